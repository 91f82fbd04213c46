// tpe diff [before] [after] [--config f | --before-config f --after-config f] [--format] [--fail-on-widen]
import { readConfigFile } from "../config/load.js";
import { bundledPolicyDir } from "../engine/policy.js";
import { diffPolicies } from "../diff/diff.js";
import { formatDiff } from "../diff/report.js";
import { policyVersion } from "../diff/sources.js";

export interface DiffOptions { config?: string; beforeConfig?: string; afterConfig?: string; format?: string; failOnWiden?: boolean; seed?: number; budget?: number }

export async function runDiff(before: string | undefined, after: string | undefined, opts: DiffOptions): Promise<number> {
  const format = (opts.format ?? "text") as "text" | "markdown" | "json";
  if (!["text", "markdown", "json"].includes(format)) throw new Error(`--format must be text, markdown or json (got ${format})`);
  const beforeConfigFile = opts.beforeConfig ?? opts.config;
  const afterConfigFile = opts.afterConfig ?? opts.config;
  const dflt = bundledPolicyDir();
  const [p1, p2] = await Promise.all([policyVersion(before ?? dflt), policyVersion(after ?? before ?? dflt)]);
  const result = diffPolicies(
    { label: before ?? "bundled policy", policy: p1, config: beforeConfigFile ? readConfigFile(beforeConfigFile) : undefined, configLabel: beforeConfigFile },
    { label: after ?? before ?? "bundled policy", policy: p2, config: afterConfigFile ? readConfigFile(afterConfigFile) : undefined, configLabel: afterConfigFile },
    { seed: opts.seed, budget: opts.budget },
  );
  const title = `${result.before}${beforeConfigFile ? ` + ${beforeConfigFile}` : ""}  →  ${result.after}${afterConfigFile ? ` + ${afterConfigFile}` : ""}`;
  console.log(formatDiff(result, format, title));
  return opts.failOnWiden && result.widened ? 1 : 0;
}
