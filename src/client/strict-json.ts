// Strict JSON (RFC 8259) for the decision service's answers: JSON.parse silently keeps the last of
// duplicate keys, so `{"allow":false,…,"allow":true}` would read as an allow. This parser takes the
// grammar exactly, rejects a duplicate key in any object, and bounds the nesting depth (no deep
// recursion on hostile input). Errors name the offset and, for duplicates, the key's path.

export class StrictJsonError extends Error {
  override name = "StrictJsonError";
}

/** Deepest nesting of objects and arrays accepted. */
export const MAX_JSON_DEPTH = 64;

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** The value of a JSON text; throws StrictJsonError on anything else. */
export function parseStrictJson(text: string): unknown {
  let i = 0;
  // the path to the value being read, for messages only
  const path: (string | number)[] = [];
  const where = () => "$" + path.map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`)).join("");

  const fail = (what: string): never => {
    const at = i < text.length ? `${JSON.stringify(text[i])} at offset ${i}` : "end of text";
    throw new StrictJsonError(`not JSON: ${what} (found ${at})`);
  };
  const space = () => {
    for (let c = text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++i));
  };

  const string = (): string => {
    // at the opening quote
    let out = "";
    let start = ++i;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x22) { out += text.slice(start, i++); return out; }
      if (Number.isNaN(c)) fail("an unterminated string");
      if (c < 0x20) fail("a control character in a string (escape it)");
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1] ?? "";
        if (e === "u") {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) { i++; fail("a \\u escape without four hex digits"); }
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          const ch = ESCAPES[e];
          if (ch === undefined) { i++; fail("an unknown escape"); }
          out += ch;
          i += 2;
        }
        start = i;
        continue;
      }
      i++;
    }
  };

  const value = (depth: number): unknown => {
    space();
    const c = text[i];
    if (c === "{") {
      if (depth >= MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH}`);
      i++;
      const o: Record<string, unknown> = {};
      space();
      if (text[i] === "}") { i++; return o; }
      for (;;) {
        space();
        if (text[i] !== '"') fail("a key (a string)");
        const keyAt = i;
        const key = string();
        if (Object.hasOwn(o, key)) { i = keyAt; fail(`duplicate key ${JSON.stringify(key)} in ${where()}`); }
        space();
        if (text[i] !== ":") fail('":" after a key');
        i++;
        path.push(key);
        const v = value(depth + 1);
        path.pop();
        // an own property even for "__proto__" (as JSON.parse makes it), never the prototype
        if (key === "__proto__") Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
        else o[key] = v;
        space();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "}") { i++; return o; }
        fail('"," or "}" in an object');
      }
    }
    if (c === "[") {
      if (depth >= MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH}`);
      i++;
      const a: unknown[] = [];
      space();
      if (text[i] === "]") { i++; return a; }
      for (;;) {
        path.push(a.length);
        a.push(value(depth + 1));
        path.pop();
        space();
        if (text[i] === ",") { i++; continue; }
        if (text[i] === "]") { i++; return a; }
        fail('"," or "]" in an array');
      }
    }
    if (c === '"') return string();
    if (text.startsWith("true", i)) { i += 4; return true; }
    if (text.startsWith("false", i)) { i += 5; return false; }
    if (text.startsWith("null", i)) { i += 4; return null; }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) { i += m[0].length; return Number(m[0]); }
    return fail("a value");
  };

  const v = value(0);
  space();
  if (i < text.length) fail("the end of the text after the value");
  return v;
}
