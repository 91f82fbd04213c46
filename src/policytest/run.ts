// Runs Rego unit tests: every rule named test_* in the given modules, evaluated with no input; a
// test passes when its value is true (defined and not false). Like `opa test`.
import { readFileSync } from "node:fs";
import { compile } from "../compiler/compile.js";
import { buildRuleTree } from "../compiler/rules.js";
import { parseModule } from "../rego/parser.js";
import { RegoError, type RegoErrorDetail } from "../rego/errors.js";
import type { Module } from "../rego/ast.js";
import { loadPolicySync } from "../engine/load.js";
import type { SourceFile } from "../bundle/sources.js";

export interface TestResult {
  name: string;
  file: string;
  row: number;
  status: "PASS" | "FAIL" | "ERROR";
  ms: number;
  error?: string;
}

export function runRegoTests(sources: SourceFile[], data: unknown = {}): TestResult[] {
  const modules: Module[] = [];
  const errors: RegoErrorDetail[] = [];
  for (const s of sources) {
    try { modules.push(parseModule(s.source, s.path)); }
    catch (e) { if (e instanceof RegoError) errors.push(...e.errors); else throw e; }
  }
  if (errors.length) throw new RegoError(errors);
  const tree = buildRuleTree(modules, errors);
  const tests = tree.groups.filter((g) => g.path[g.path.length - 1]!.startsWith("test_") && g.kind === "complete");
  if (tests.length === 0) return [];
  const compiled = compile({ modules: sources, entrypoints: tests.map((g) => g.path.join("/")) });
  const policy = loadPolicySync(compiled.wasm, compiled.hostBuiltins);
  policy.setData(data as object);
  return tests.map((g, i) => {
    const t0 = performance.now();
    const base = { name: `data.${g.path.join(".")}`, file: g.loc.file, row: g.loc.row };
    try {
      const rows = policy.evaluate(undefined, i);
      const v = rows[0]?.result;
      return { ...base, status: v !== undefined && v !== false ? "PASS" : "FAIL", ms: performance.now() - t0 } as TestResult;
    } catch (e) {
      return { ...base, status: "ERROR", ms: performance.now() - t0, error: typeof e === "string" ? e : (e as Error).message } as TestResult;
    }
  });
}

/** `opa test`-style report: failures with file:line, then PASS/FAIL counts. */
export function formatTestReport(results: TestResult[], verbose: boolean): string {
  const lines: string[] = [];
  const shown = verbose ? results : results.filter((r) => r.status !== "PASS");
  let file = "";
  for (const r of shown) {
    if (r.file !== file) { if (lines.length) lines.push(""); lines.push(`${r.file}:`); file = r.file; }
    lines.push(`${r.name}: ${r.status} (${formatMs(r.ms)})${r.status === "PASS" ? "" : ` at ${r.file}:${r.row}`}${r.error ? `\n  ${r.error}` : ""}`);
  }
  if (shown.length) lines.push("-".repeat(80));
  const pass = results.filter((r) => r.status === "PASS").length;
  const fail = results.filter((r) => r.status === "FAIL").length;
  const err = results.filter((r) => r.status === "ERROR").length;
  lines.push(`PASS: ${pass}/${results.length}`);
  if (fail) lines.push(`FAIL: ${fail}/${results.length}`);
  if (err) lines.push(`ERROR: ${err}/${results.length}`);
  return lines.join("\n");
}

function formatMs(ms: number): string { return ms < 1 ? `${(ms * 1000).toFixed(0)}µs` : `${ms.toFixed(1)}ms`; }

export function readDataFiles(files: string[]): unknown {
  let data: Record<string, unknown> = {};
  for (const f of files) data = { ...data, ...(JSON.parse(readFileSync(f, "utf8")) as Record<string, unknown>) };
  return data;
}
