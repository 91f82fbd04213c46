// tpe audit <file> [--format text|json|sarif] [--fail-on critical|warn|info] [--baseline file] [--repo-root dir]
// Exit codes: 0 no unaccepted finding at the --fail-on severity (or no --fail-on); 1 such a finding,
// or the config cannot be read or parsed (it cannot be audited); 2 a bad baseline file or option.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { applyBaseline, BaselineError, readBaseline, type Suppression } from "../audit/baseline.js";
import { toSarif, type LocatedFinding } from "../audit/sarif.js";
import { ConfigError } from "../config/errors.js";
import { parseConfigText } from "../config/load.js";
import { configLocator } from "../config/positions.js";
import { audit } from "../engine/validate.js";

export interface AuditOptions { format?: string; failOn?: string; baseline?: string; repoRoot?: string }

const SEVERITY_RANK = { info: 0, warn: 1, critical: 2 } as const;
const FORMATS = ["text", "json", "sarif"];

/** The repository the config belongs to (git's top level), else the working directory. */
function repositoryRoot(file: string): string {
  try {
    return execFileSync("git", ["-C", path.dirname(path.resolve(file)), "rev-parse", "--show-toplevel"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch { return process.cwd(); }
}

function artifact(file: string, root: string): { uri: string; rootUri: string } {
  const rel = path.relative(root, path.resolve(file)).split(path.sep).join("/");
  const rootUri = pathToFileURL(root).href.replace(/\/?$/, "/");
  return { uri: rel.startsWith("../") ? pathToFileURL(path.resolve(file)).href : encodeURI(rel), rootUri };
}

export function runAudit(file: string, opts: AuditOptions): number {
  const format = opts.format ?? "text";
  const usage = (message: string) => { console.error(`error: ${message}`); return 2; };
  if (!FORMATS.includes(format)) return usage(`--format must be text, json or sarif (got ${format})`);
  if (opts.failOn !== undefined && !Object.hasOwn(SEVERITY_RANK, opts.failOn)) return usage(`--fail-on must be critical, warn or info (got ${opts.failOn})`);
  let suppressions: Suppression[] = [];
  try { if (opts.baseline) suppressions = readBaseline(opts.baseline); } catch (e) {
    if (e instanceof BaselineError) return usage(e.message);
    throw e;
  }
  const where = artifact(file, path.resolve(opts.repoRoot ?? repositoryRoot(file)));

  let text: string;
  try { text = readFileSync(file, "utf8"); }
  catch (e) { throw new Error(`${file}: cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`); }
  let config: unknown;
  try { config = parseConfigText(text, file); } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const issue = e.errors[0]!;
    const line = issue.line ?? 1, column = issue.column ?? 1;
    if (format === "sarif") {
      console.log(JSON.stringify(toSarif({ ...where, findings: [], parseError: { message: issue.message, region: { startLine: line, startColumn: column, endLine: line, endColumn: column } } }), null, 2));
    } else if (format === "json") console.log(JSON.stringify({ file, error: { message: issue.message, line, column }, findings: [] }, null, 2));
    else console.log(`${issue.message}\n${file}: the config does not parse, so it cannot be audited`);
    return 1;
  }

  const locate = configLocator(text);
  const { active, suppressed, stale } = applyBaseline(audit(config), suppressions);
  const acceptedBy = new Map(suppressed.map((s) => [s.finding, s.by]));
  const findings: LocatedFinding[] = [...active, ...suppressed.map((s) => s.finding)].map((f) => {
    const by = acceptedBy.get(f);
    return { ...f, region: locate(f.path).region, ...(by ? { suppressedBy: by } : {}) };
  });

  if (format === "sarif") console.log(JSON.stringify(toSarif({ ...where, findings }), null, 2));
  else if (format === "json") {
    console.log(JSON.stringify({
      file,
      findings: findings.map(({ region, suppressedBy, ...f }) => ({ ...f, line: region.startLine, column: region.startColumn, ...(suppressedBy ? { suppressed: { reason: suppressedBy.reason } } : {}) })),
      stale,
    }, null, 2));
  } else {
    for (const f of findings) {
      if (f.suppressedBy) continue;
      console.log(`${file}:${f.region.startLine}:${f.region.startColumn}: [${f.severity.toUpperCase()}] ${f.checkId} (${f.path}): ${f.title}\n  ${f.detail}\n  fix: ${f.fix}`);
    }
    for (const f of findings) {
      if (f.suppressedBy) console.log(`${file}:${f.region.startLine}:${f.region.startColumn}: accepted by the baseline: [${f.severity.toUpperCase()}] ${f.checkId} (${f.path}): ${f.suppressedBy.reason}`);
    }
    for (const s of stale) console.log(`${opts.baseline}: stale baseline entry ${s.checkId}${s.path ? ` (${s.path})` : ""}: no such finding in ${file}; remove it`);
    const count = (sev: string) => active.filter((f) => f.severity === sev).length;
    console.log(`${file}: ${count("critical")} critical, ${count("warn")} warn, ${count("info")} info${suppressions.length ? ` (${suppressed.length} accepted by the baseline, ${stale.length} stale baseline entr${stale.length === 1 ? "y" : "ies"})` : ""}`);
  }
  if (opts.failOn === undefined) return 0;
  const threshold = SEVERITY_RANK[opts.failOn as keyof typeof SEVERITY_RANK];
  return active.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? 1 : 0;
}
