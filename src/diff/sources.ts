// A policy version to diff: a directory, a bundle (its policy.wasm when it has one: what is served),
// or a git revision (reading policy/ with git show).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { SourceFile } from "../bundle/sources.js";
import { loadPolicySource } from "../engine/policy-source.js";
import { compilePolicy, type CompiledPolicy } from "../engine/policy.js";

export async function policyVersion(spec: string, policyPath = "policy"): Promise<CompiledPolicy> {
  if (existsSync(spec)) {
    const loaded = await loadPolicySource(spec);
    for (const w of loaded.warnings) console.error(`WARNING: ${w}`);
    return loaded.policy;
  }
  let files: string[];
  try {
    files = execFileSync("git", ["ls-tree", "-r", "--name-only", spec, "--", policyPath], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
      .split("\n").filter((f) => f.endsWith(".rego") && !f.endsWith("_test.rego"));
  } catch (e) {
    throw new Error(`${spec}: neither a policy directory, a bundle, nor a git revision (${(e as { stderr?: string }).stderr?.trim() ?? (e as Error).message})`);
  }
  if (!files.length) throw new Error(`${spec}: no .rego files under ${policyPath}/ at that revision`);
  const sources: SourceFile[] = files.map((f) => ({ path: `${spec}:${f}`, source: execFileSync("git", ["show", `${spec}:${f}`], { encoding: "utf8" }) }));
  return compilePolicy(sources);
}
