// tpe diff [before] [after] [--config f | --before-config f --after-config f] [--format] [--fail-on-widen]
import { readConfigFile } from "../config/load.js";
import { createEngineSync } from "../engine/engine.js";
import { bundledPolicyDir } from "../engine/policy.js";
import { configView } from "../engine/validate.js";
import { diffEngines } from "../diff/diff.js";
import { formatDiff } from "../diff/report.js";
import { policyVersion } from "../diff/sources.js";

export interface DiffOptions { config?: string; beforeConfig?: string; afterConfig?: string; format?: string; failOnWiden?: boolean }

export async function runDiff(before: string | undefined, after: string | undefined, opts: DiffOptions): Promise<number> {
  const format = (opts.format ?? "text") as "text" | "markdown" | "json";
  if (!["text", "markdown", "json"].includes(format)) throw new Error(`--format must be text, markdown or json (got ${format})`);
  const beforeConfigFile = opts.beforeConfig ?? opts.config;
  const afterConfigFile = opts.afterConfig ?? opts.config;
  if (!beforeConfigFile || !afterConfigFile) throw new Error("tpe diff needs a config: --config, or --before-config and --after-config");
  const dflt = bundledPolicyDir();
  const [p1, p2] = await Promise.all([policyVersion(before ?? dflt), policyVersion(after ?? before ?? dflt)]);
  const c1 = readConfigFile(beforeConfigFile), c2 = readConfigFile(afterConfigFile);
  const e1 = createEngineSync({ config: c1, policy: p1 }), e2 = createEngineSync({ config: c2, policy: p2 });
  const result = diffEngines(e1, e2, [configView(c1), configView(c2)]);
  const title = `${before ?? "bundled policy"} + ${beforeConfigFile}  →  ${after ?? before ?? "bundled policy"} + ${afterConfigFile}`;
  console.log(formatDiff(result, format, title));
  return opts.failOnWiden && result.widened ? 1 : 0;
}
