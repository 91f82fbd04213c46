// The IR as text, one statement per line, blocks indented: for debugging a policy's plan and for
// tests that look at what the planner produced.
import type { Block, Const, Operand, Policy, Stmt } from "./ir.js";

function constText(consts: Const[], i: number): string {
  const c = consts[i]!;
  switch (c.kind) {
    case "null": return "null";
    case "bool": return String(c.value);
    case "num": return c.text;
    case "str": return JSON.stringify(c.value);
    case "arr": return `[${c.items.map((x) => constText(consts, x)).join(", ")}]`;
    case "set": return `{${c.items.map((x) => constText(consts, x)).join(", ")}}`;
    case "obj": return `{${c.entries.map(([k, v]) => `${constText(consts, k)}: ${constText(consts, v)}`).join(", ")}}`;
  }
}

export function printIR(policy: Policy): string {
  const op = (o: Operand): string => (o.kind === "local" ? `%${o.index}` : o.kind === "int" ? `#${o.value}` : constText(policy.consts, o.index));
  const lines: string[] = [];
  const block = (b: Block, indent: string): void => { for (const s of b.stmts) stmt(s, indent); };
  const stmt = (s: Stmt, indent: string): void => {
    const args = "args" in s ? s.args.map(op).join(", ") : "";
    switch (s.op) {
      case "call": lines.push(`${indent}${s.target !== undefined ? `%${s.target} = ` : ""}${s.fn}(${args})${s.check ? ` ?${s.check}` : ""}${s.abort ? " !abort" : ""}`); return;
      case "callfn": lines.push(`${indent}%${s.target} = ${policy.funcs[s.func]!.name}(${args})${s.check === "none" ? "" : " ?defined"}`); return;
      case "host": lines.push(`${indent}%${s.target} = host ${policy.hostBuiltins[s.id]}(${args}) ?defined`); return;
      case "assign": lines.push(`${indent}%${s.target} = ${op(s.source)}`); return;
      case "assign_once": lines.push(`${indent}%${s.target} =once ${op(s.source)}`); return;
      case "defined": lines.push(`${indent}defined %${s.local}`); return;
      case "undefined": lines.push(`${indent}undefined %${s.local}`); return;
      case "return": lines.push(`${indent}return ${op(s.source)}`); return;
      case "abort": lines.push(`${indent}abort ${JSON.stringify(s.message)}`); return;
      case "break": lines.push(`${indent}break ${s.index}`); return;
      case "memo_get": lines.push(`${indent}memo_get #${s.slot}`); return;
      case "with_check": lines.push(`${indent}with_check ${constText(policy.consts, s.path)}`); return;
      case "block": for (const b of s.blocks) { lines.push(`${indent}block {`); block(b, `${indent}  `); lines.push(`${indent}}`); } return;
      case "not": lines.push(`${indent}not {`); block(s.block, `${indent}  `); lines.push(`${indent}}`); return;
      case "scan": lines.push(`${indent}scan %${s.source} (key %${s.key}, value %${s.value}) {`); block(s.block, `${indent}  `); lines.push(`${indent}}`); return;
    }
  };
  policy.funcs.forEach((f, i) => {
    const ep = policy.entrypoints.find((e) => e.func === i);
    lines.push(`func ${i} ${f.name}(${Array.from({ length: f.params }, (_, j) => `%${j}`).join(", ")})${ep ? ` entrypoint ${JSON.stringify(ep.name)}` : ""} -> %${f.result} {`);
    block(f.body, "  ");
    lines.push("}");
  });
  return lines.join("\n");
}
