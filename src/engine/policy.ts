// The policy the engine evaluates: the bundled policy/ directory by default, compiled in-process.
import { createHash } from "node:crypto";
import path from "node:path";
import { compile, type CompileResult } from "../compiler/compile.js";
import { readRegoSources, type SourceFile } from "../bundle/sources.js";
import { packageRoot } from "../package.js";
import { loadPolicySync, type LoadedPolicy } from "./load.js";

export const ENTRYPOINTS = {
  decision: "trusted_proxy/decision",
  step: "trusted_proxy/step",
  startup: "trusted_proxy/startup/result",
  audit: "trusted_proxy/audit/findings",
} as const;

export interface PolicyInfo {
  revision: string;
  entrypoints: string[];
  compiledAt: string;
  compileMs: number;
  sources: { path: string; sha256: string }[];
}

export interface CompiledPolicy {
  info: PolicyInfo;
  compiled: CompileResult;
  /** A fresh SDK instance of the module. */
  instantiate(): LoadedPolicy;
}

/** The policy/ directory shipped with the package. */
export function bundledPolicyDir(): string {
  return path.join(packageRoot(), "policy");
}

export function compilePolicy(sources: SourceFile[]): CompiledPolicy {
  const t0 = performance.now();
  const compiled = compile({ modules: sources, entrypoints: Object.values(ENTRYPOINTS) });
  const compileMs = performance.now() - t0;
  const hashes = sources.map((s) => ({ path: s.path, sha256: createHash("sha256").update(s.source).digest("hex") }));
  const revision = createHash("sha256").update(hashes.map((h) => `${h.path}\0${h.sha256}`).join("\n")).digest("hex").slice(0, 16);
  const module = new WebAssembly.Module(compiled.wasm as Uint8Array<ArrayBuffer>);
  return {
    info: { revision, entrypoints: compiled.entrypoints, compiledAt: new Date().toISOString(), compileMs, sources: hashes },
    compiled,
    instantiate: () => loadPolicySync(module as unknown as Uint8Array, compiled.hostBuiltins),
  };
}

let bundled: CompiledPolicy | undefined;

export function bundledPolicy(): CompiledPolicy {
  bundled ??= compilePolicy(readRegoSources([bundledPolicyDir()]));
  return bundled;
}
