// tpe test | eval | check-config | audit
import { readFileSync } from "node:fs";
import { readRegoSources } from "../bundle/sources.js";
import { ConfigError, type ConfigIssue } from "../config/errors.js";
import { readConfigFile } from "../config/load.js";
import { createEngineSync } from "../engine/engine.js";
import type { CompiledPolicy } from "../engine/policy.js";
import { loadPolicySource } from "../engine/policy-source.js";
import { audit, validateConfig, type Finding } from "../engine/validate.js";
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

const SEVERITY_RANK = { info: 0, warn: 1, critical: 2 } as const;

export function runAudit(file: string, opts: { format?: string; failOn?: string }): number {
  const findings: Finding[] = audit(readConfigFile(file));
  const format = opts.format ?? "text";
  if (format === "json") console.log(JSON.stringify({ file, findings }, null, 2));
  else if (format === "sarif") console.log(JSON.stringify(toSarif(file, findings), null, 2));
  else if (format === "text") {
    for (const f of findings) console.log(`[${f.severity.toUpperCase()}] ${f.checkId}: ${f.title}\n  ${f.detail}\n  fix: ${f.fix}`);
    const count = (s: string) => findings.filter((f) => f.severity === s).length;
    console.log(`${file}: ${count("critical")} critical, ${count("warn")} warn, ${count("info")} info`);
  } else throw new Error(`--format must be text, json or sarif (got ${format})`);
  if (opts.failOn === undefined) return 0;
  if (opts.failOn !== "critical" && opts.failOn !== "warn") throw new Error(`--fail-on must be critical or warn (got ${opts.failOn})`);
  const threshold = SEVERITY_RANK[opts.failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}

/** SARIF 2.1.0, for code-scanning UIs. */
export function toSarif(file: string, findings: Finding[]): unknown {
  const level = { critical: "error", warn: "warning", info: "note" } as const;
  const ids = [...new Set(findings.map((f) => f.checkId))];
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{
      tool: { driver: {
        name: "trusted-proxy-engine audit",
        informationUri: "https://github.com/",
        rules: ids.map((id) => {
          const f = findings.find((x) => x.checkId === id)!;
          return { id, shortDescription: { text: f.title }, help: { text: f.fix }, defaultConfiguration: { level: level[f.severity] } };
        }),
      } },
      results: findings.map((f) => ({
        ruleId: f.checkId,
        level: level[f.severity],
        message: { text: `${f.title}: ${f.detail} Fix: ${f.fix}` },
        locations: [{ physicalLocation: { artifactLocation: { uri: file } } }],
      })),
    }],
  };
}

