// The policy the engine evaluates: the bundled policy/ directory by default, compiled in-process;
// or a wasm module someone else built (a bundle's policy.wasm), checked before it is used.
import { createHash } from "node:crypto";
import path from "node:path";
import { compile } from "../compiler/compile.js";
import { hostBuiltinNames } from "../compiler/builtins.js";
import { readRegoSources, type SourceFile } from "../bundle/sources.js";
import { packageRoot } from "../package.js";
import { loadPolicySync, type LoadedPolicy } from "./load.js";

export const ENTRYPOINTS = {
  decision: "trusted_proxy/decision",
  step: "trusted_proxy/step",
  startup: "trusted_proxy/startup/result",
  audit: "trusted_proxy/audit/findings",
} as const;

/** Entrypoints the engine evaluates; a module without them cannot serve decisions. */
export const REQUIRED_ENTRYPOINTS = [ENTRYPOINTS.decision, ENTRYPOINTS.step, ENTRYPOINTS.startup];

export interface PolicyInfo {
  /** Identifies what is evaluated: the bundle's manifest revision, else a hash of the sources (or of the wasm). */
  revision: string;
  entrypoints: string[];
  compiledAt: string;
  compileMs: number;
  sources: { path: string; sha256: string }[];
  /** Where the module came from: compiled here from Rego, or a bundle's own policy.wasm. */
  origin: "rego" | "bundle-wasm";
  /** sha256 of the wasm that is evaluated. */
  wasmSha256: string;
}

export interface CompiledPolicy {
  info: PolicyInfo;
  /** Base documents that come with the policy (a bundle's data.json files); the config's view is
   *  added under data.gateway. */
  data: Record<string, unknown>;
  /** A fresh SDK instance of the module. */
  instantiate(): LoadedPolicy;
  /** The Rego it was compiled from, or that came with a bundle's wasm (may then differ from it). */
  sources: SourceFile[];
  /** The module evaluated. */
  wasm: Uint8Array;
}

const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

/** The policy/ directory shipped with the package. */
export function bundledPolicyDir(): string {
  return path.join(packageRoot(), "policy");
}

export interface CompileOptions {
  /** Revision to report instead of the sources' hash (a bundle manifest's). */
  revision?: string;
  data?: Record<string, unknown>;
}

export function compilePolicy(sources: SourceFile[], opts: CompileOptions = {}): CompiledPolicy {
  const t0 = performance.now();
  const compiled = compile({ modules: sources, entrypoints: Object.values(ENTRYPOINTS) });
  const compileMs = performance.now() - t0;
  const hashes = sources.map((s) => ({ path: s.path, sha256: sha256(s.source) }));
  const revision = opts.revision || sha256(hashes.map((h) => `${h.path}\0${h.sha256}`).join("\n")).slice(0, 16);
  const module = new WebAssembly.Module(compiled.wasm as Uint8Array<ArrayBuffer>);
  return {
    info: { revision, entrypoints: compiled.entrypoints, compiledAt: new Date().toISOString(), compileMs, sources: hashes, origin: "rego", wasmSha256: sha256(compiled.wasm) },
    data: opts.data ?? {},
    instantiate: () => loadPolicySync(module as unknown as Uint8Array, compiled.hostBuiltins),
    sources,
    wasm: compiled.wasm,
  };
}

/** Exported global's value, whether the SDK's instance exposes it as a number or a Global. */
function globalValue(g: unknown): unknown {
  return typeof g === "number" ? g : (g as WebAssembly.Global | undefined)?.value;
}

/**
 * A wasm module built elsewhere (`opa build -t wasm`, `tpe build`, a bundle server): checked for
 * OPA's wasm ABI 1.x (1.1+: the SDK's fast path needs opa_eval) and for the entrypoints the engine
 * evaluates before it is used. `label` names it in errors.
 */
export function wasmPolicy(wasm: Uint8Array, label: string, opts: CompileOptions & { sources?: SourceFile[] } = {}): CompiledPolicy {
  const t0 = performance.now();
  let module: WebAssembly.Module;
  try { module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>); }
  catch (e) { throw new Error(`${label}: not a WebAssembly module (${(e as Error).message})`); }
  const exports = new Set(WebAssembly.Module.exports(module).map((x) => x.name));
  const missingExports = ["opa_wasm_abi_version", "opa_wasm_abi_minor_version", "entrypoints", "opa_eval"].filter((n) => !exports.has(n));
  if (missingExports.length) throw new Error(`${label}: not an OPA wasm policy of ABI 1.2 or later (missing exports: ${missingExports.join(", ")})`);
  const hostBuiltins = hostBuiltinNames();
  let probe: LoadedPolicy;
  try { probe = loadPolicySync(module as unknown as Uint8Array, hostBuiltins); }
  catch (e) { throw new Error(`${label}: the wasm module does not load: ${typeof e === "string" ? e : (e as Error).message}`); }
  const ex = (probe as unknown as { wasmInstance: WebAssembly.Instance }).wasmInstance.exports;
  const major = globalValue(ex.opa_wasm_abi_version), minor = globalValue(ex.opa_wasm_abi_minor_version);
  if (major !== 1 || typeof minor !== "number" || minor < 2) throw new Error(`${label}: OPA wasm ABI ${String(major)}.${String(minor)} is not supported (1.2 or later is)`);
  const entrypoints = Object.entries(probe.entrypoints).sort((a, b) => a[1] - b[1]).map(([name]) => name);
  const missing = REQUIRED_ENTRYPOINTS.filter((e) => !entrypoints.includes(e));
  if (missing.length) {
    throw new Error(`${label}: the wasm module lacks the entrypoint${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; build it with -e ${REQUIRED_ENTRYPOINTS.join(" -e ")}`);
  }
  const digest = sha256(wasm);
  return {
    info: {
      revision: opts.revision || digest.slice(0, 16),
      entrypoints,
      compiledAt: new Date().toISOString(),
      compileMs: performance.now() - t0,
      sources: (opts.sources ?? []).map((s) => ({ path: s.path, sha256: sha256(s.source) })),
      origin: "bundle-wasm",
      wasmSha256: digest,
    },
    data: opts.data ?? {},
    instantiate: () => loadPolicySync(module as unknown as Uint8Array, hostBuiltins),
    sources: opts.sources ?? [],
    wasm,
  };
}

let bundled: CompiledPolicy | undefined;

export function bundledPolicy(): CompiledPolicy {
  bundled ??= compilePolicy(readRegoSources([bundledPolicyDir()]));
  return bundled;
}
