// The same module gives the same results on both SDK evaluation paths: the ABI 1.2 fast path
// (opa_eval) and the ABI 1.0 context path (opa_eval_ctx_*).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile } from "../src/compiler/compile.js";
import { inputBuffer, loadPolicySync } from "../src/engine/load.js";
import type { ComplianceCase } from "../src/conformance/cases.js";
import { canonical } from "../src/conformance/cases.js";

describe("SDK paths", () => {
  const { cases } = JSON.parse(readFileSync("test/fixtures/opa-cases/tier1-visible.json", "utf8")) as { cases: ComplianceCase[] };
  const sample = cases.filter((_, i) => i % 4 === 0);

  it(`agree on ${sample.length} compliance cases`, () => {
    let compared = 0;
    for (const c of sample) {
      const r = compile({ modules: c.modules.map((source, i) => ({ path: `m${i}.rego`, source })), query: c.query });
      const run = (ctxPath: boolean): string => {
        const p = loadPolicySync(r.wasm, r.hostBuiltins) as ReturnType<typeof loadPolicySync> & { minorVersion: number };
        if (ctxPath) p.minorVersion = 1; // what the SDK reads to choose the path
        p.setData(c.data ?? {});
        try { return canonical(p.evaluate(inputBuffer(c.input), "query")); } catch (e) { return `error: ${String((e as Error).message ?? e)}`; }
      };
      expect(run(true), c.id).toBe(run(false));
      compared++;
    }
    expect(compared).toBe(sample.length);
  });

  it("the context path sees falsy inputs that the fast path drops when not passed as a buffer", () => {
    const r = compile({ modules: [{ path: "a.rego", source: "package a\necho := input\n" }], entrypoints: ["a/echo"] });
    const p = loadPolicySync(r.wasm) as ReturnType<typeof loadPolicySync> & { minorVersion: number };
    expect(p.evaluate(inputBuffer(false), "a/echo")).toEqual([{ result: false }]);
    expect(p.evaluate(undefined, "a/echo")).toEqual([]);
    p.minorVersion = 1;
    expect(p.evaluate(false, "a/echo")).toEqual([{ result: false }]);
    expect(p.evaluate(undefined, "a/echo")).toEqual([]);
  });
});
