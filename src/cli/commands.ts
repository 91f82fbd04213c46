// tpe test | eval | check-config
import { readFileSync } from "node:fs";
import { readRegoSources } from "../bundle/sources.js";
import { ConfigError, type ConfigIssue } from "../config/errors.js";
import { readConfigFile } from "../config/load.js";
import { createEngineSync } from "../engine/engine.js";
import type { CompiledPolicy } from "../engine/policy.js";
import { loadPolicySource } from "../engine/policy-source.js";
import { validateConfig } from "../engine/validate.js";
import { formatTestReport, readDataFiles, runRegoTests } from "../policytest/run.js";

export function runTests(paths: string[], opts: { verbose?: boolean; data?: string[] }): number {
  const sources = readRegoSources(paths.length ? paths : ["policy"], true);
  const results = runRegoTests(sources, readDataFiles(opts.data ?? []));
  if (results.length === 0) { console.log("no tests found (rules named test_*)"); return 1; }
  console.log(formatTestReport(results, opts.verbose ?? false));
  return results.every((r) => r.status === "PASS") ? 0 : 1;
}

function readJson(file: string, what: string): unknown {
  try { return JSON.parse(readFileSync(file, "utf8")); }
  catch (e) { throw new Error(`${file}: cannot read ${what} as JSON: ${(e as Error).message}`); }
}

export async function runEval(opts: { config: string; request: string; policy?: string; explain?: boolean }): Promise<number> {
  const config = readConfigFile(opts.config);
  let policy: CompiledPolicy | undefined;
  if (opts.policy !== undefined) {
    const loaded = await loadPolicySource(opts.policy);
    for (const w of loaded.warnings) console.error(`warning: ${w}`);
    policy = loaded.policy;
  }
  const engine = createEngineSync({ config, policy });
  const facts = readJson(opts.request, "request facts");
  const out = opts.explain ? engine.explain(facts) : engine.decide(facts);
  console.log(JSON.stringify(out, null, 2));
  return 0;
}

function printIssues(kind: string, issues: ConfigIssue[]): void {
  for (const i of issues) console.log(`${kind} ${i.code}: ${i.message}`);
}

export function runCheckConfig(file: string, opts: { format?: string }): number {
  let errors: ConfigIssue[];
  let warnings: ConfigIssue[];
  try {
    ({ errors, warnings } = validateConfig(readConfigFile(file)));
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    ({ errors, warnings } = e);
  }
  if (opts.format === "json") console.log(JSON.stringify({ file, errors, warnings }, null, 2));
  else {
    printIssues("error", errors);
    printIssues("warning", warnings);
    console.log(errors.length ? `${file}: ${errors.length} error(s), ${warnings.length} warning(s): the engine will not start` : `${file}: OK (${warnings.length} warning(s))`);
  }
  return errors.length ? 1 : 0;
}
