// Where a config key stands in its JSON5 file, for file:line:col in audit reports and SARIF
// regions. The values themselves come from the JSON5 parser (src/config/load.ts); this reads the
// same text with a position-keeping JSON5 parser (momoa) only to locate keys.
import { parse, type AnyNode, type MemberNode } from "@humanwhocodes/momoa";

export interface Region {
  /** 1-based, as SARIF and editors count. */
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface KeyLocation {
  region: Region;
  /** The path that was found: the whole one asked for, or its nearest present parent. */
  found: string;
}

export type Locator = (path: string) => KeyLocation;

const FILE_START: Region = { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };

function regionOf(node: { loc: { start: { line: number; column: number }; end: { line: number; column: number } } }): Region {
  return { startLine: node.loc.start.line, startColumn: node.loc.start.column, endLine: node.loc.end.line, endColumn: node.loc.end.column };
}

function memberName(m: MemberNode): string {
  return m.name.type === "Identifier" ? m.name.name : m.name.value;
}

/**
 * A locator for a config text: a dotted path (`gateway.trustedProxies.0`) → the region of that
 * key (a member's name, or a list item), or of its nearest present parent when the key is absent;
 * the start of the file when nothing of it is present or the text does not parse.
 */
export function configLocator(text: string): Locator {
  let root: AnyNode | undefined;
  try { root = parse(text, { mode: "json5" }).body; } catch { root = undefined; }
  return (path) => {
    let node: AnyNode | undefined = root;
    let region = FILE_START;
    const found: string[] = [];
    for (const segment of path.split(".")) {
      if (!node) break;
      let next: AnyNode | undefined;
      let at: Region | undefined;
      if (node.type === "Object") {
        // JSON5 keeps the last of duplicate keys, and so does this.
        const m = node.members.filter((x) => memberName(x) === segment).at(-1);
        if (m) { next = m.value; at = regionOf(m.name); }
      } else if (node.type === "Array" && /^(0|[1-9][0-9]*)$/.test(segment)) {
        const el = node.elements[Number(segment)];
        if (el) { next = el.value; at = regionOf(el.value); }
      }
      if (!next || !at) break;
      node = next;
      region = at;
      found.push(segment);
    }
    return { region, found: found.join(".") };
  };
}
