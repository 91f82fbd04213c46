// Runs compliance cases through compile → SDK loadPolicy → evaluate, one case at a time.
import { compile } from "../compiler/compile.js";
import { RegoError } from "../rego/errors.js";
import { inputBuffer, loadPolicySync } from "../engine/load.js";
import { judgeError, judgeRows, type CaseOutcome, type ComplianceCase } from "./cases.js";

export function runCase(c: ComplianceCase): CaseOutcome {
  const t0 = performance.now();
  const done = (passed: boolean, detail?: string): CaseOutcome =>
    ({ id: c.id, category: c.category, passed, detail, ms: performance.now() - t0 });
  let compiled;
  try {
    compiled = compile({ modules: c.modules.map((source, i) => ({ path: `case/module${i}.rego`, source })), query: c.query });
  } catch (e) {
    if (e instanceof RegoError) return done(false, `compile: ${e.message.split("\n").slice(0, 3).join(" | ")}`);
    return done(false, `compiler crashed: ${(e as Error).stack?.split("\n").slice(0, 3).join(" | ")}`);
  }
  let rows: Record<string, unknown>[];
  try {
    const policy = loadPolicySync(compiled.wasm, compiled.hostBuiltins);
    policy.setData(c.data ?? {});
    rows = policy.evaluate(inputBuffer(c.input), "query") as Record<string, unknown>[];
  } catch (e) {
    const msg = typeof e === "string" ? e : e instanceof Error ? e.message : JSON.stringify(e);
    const why = judgeError(msg, c);
    return done(why === undefined, why);
  }
  const why = judgeRows(rows, c);
  return done(why === undefined, why);
}
