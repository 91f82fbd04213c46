// A policy version to diff: a directory, a bundle, or a git revision (reading policy/ with git show).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { SourceFile } from "../bundle/sources.js";
import { loadPolicySource } from "../server/holder.js";
import { compilePolicy, type CompiledPolicy } from "../engine/policy.js";

export async function policyVersion(spec: string, policyPath = "policy"): Promise<CompiledPolicy> {
  if (existsSync(spec)) return loadPolicySource(spec);
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
