import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/compile.js";
import type { Block, Func, Stmt } from "../../src/compiler/ir.js";

function stmts(b: Block): Stmt[] {
  const out: Stmt[] = [];
  for (const s of b.stmts) {
    out.push(s);
    if (s.op === "block") for (const x of s.blocks) out.push(...stmts(x));
    if (s.op === "scan" || s.op === "not") out.push(...stmts(s.block));
  }
  return out;
}

function plan(source: string, ep: string): Func[] {
  return compile({ modules: [{ path: "a.rego", source }], entrypoints: [ep] }).ir.funcs;
}

describe("planner", () => {
  it("plans a rule per group, memoised, with iteration as scans", () => {
    const funcs = plan("package p\nallow if {\n\tsome r in input.roles\n\tr == \"admin\"\n}\n", "p/allow");
    const allow = funcs.find((f) => f.name === "data.p.allow")!;
    const ops = stmts(allow.body).map((s) => s.op);
    expect(ops[0]).toBe("memo_get");
    expect(ops).toContain("scan");
    expect(ops).toContain("assign_once");
    expect(ops[ops.length - 1]).toBe("call"); // rt_memo_set
    // a constant-valued rule stops at the first solution
    expect(ops).toContain("break");
  });

  it("uses assign_once with the conflict message for complete rules", () => {
    const funcs = plan("package p\nv := x if x := input.a\nv := y if y := input.b\n", "p/v");
    const v = funcs.find((f) => f.name === "data.p.v")!;
    const once = stmts(v.body).filter((s) => s.op === "assign_once");
    expect(once).toHaveLength(2);
    expect((once[0] as { message: string }).message).toBe("a.rego:2: eval_conflict_error: complete rules must not produce multiple outputs");
    expect(stmts(v.body).some((s) => s.op === "break")).toBe(false);
  });

  it("plans negation as a not-block and functions with parameters", () => {
    const funcs = plan("package p\nf(x) := x + 1\nq if not f(1) == 3\n", "p/q");
    const f = funcs.find((g) => g.name === "data.p.f")!;
    expect(f.params).toBe(3); // input, data, x
    const q = funcs.find((g) => g.name === "data.p.q")!;
    expect(stmts(q.body).some((s) => s.op === "not")).toBe(true);
  });

  it("deduplicates constants", () => {
    const r = compile({ modules: [{ path: "a.rego", source: 'package p\na if input.x == "k"\nb if input.y == "k"\n' }], entrypoints: ["p/a", "p/b"] });
    expect(r.ir.consts.filter((c) => c.kind === "str" && c.value === "k")).toHaveLength(1);
  });
});

import { printIR } from "../../src/compiler/ir-print.js";

describe("IR printer", () => {
  it("prints functions, blocks, scans and constants readably", () => {
    const r = compile({ modules: [{ path: "a.rego", source: 'package p\nallow if {\n\tsome r in input.roles\n\tr == "admin"\n}\n' }], entrypoints: ["p/allow"] });
    const text = printIR(r.ir);
    expect(text).toContain('func 0 entrypoint:p/allow(%0, %1) entrypoint "p/allow"');
    expect(text).toMatch(/scan %\d+ \(key %\d+, value %\d+\) \{/);
    expect(text).toContain('rt_equal(%');
    expect(text).toContain('"admin") ?true');
    expect(text).toMatch(/memo_get #0/);
  });
});
