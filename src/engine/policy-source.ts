// A policy named on the command line or in the service config: a directory of Rego, or an OPA
// bundle. A bundle is served as OPA serves it: its own policy.wasm when it has one (what any OPA
// SDK would run, and what a reviewer diffs), its Rego compiled here when it has none (what
// `opa build` writes by default), with its data.json files, manifest revision and roots.
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { readRegoSources, type SourceFile } from "../bundle/sources.js";
import { compile } from "../compiler/compile.js";
import { parseModule } from "../rego/parser.js";
import { compilePolicy, wasmPolicy, type CompiledPolicy } from "./policy.js";

/** How a bundle's Rego relates to its policy.wasm (only for bundles that hold both). */
export type SourcesMatch =
  | { state: "identical" }
  | { state: "different"; detail: string }
  | { state: "no-sources" };

export interface LoadedPolicySource {
  policy: CompiledPolicy;
  /** Set for bundles with a policy.wasm: whether their Rego compiles to the same module. */
  sourcesMatch?: SourcesMatch;
  /** Things an operator should hear about (logged by the service, printed by the CLI). */
  warnings: string[];
}

/** The config's view is data.gateway; a bundle may not bring data of its own there. */
const RESERVED_DATA = "gateway";

function underRoot(path: string[], roots: string[]): boolean {
  const p = path.join("/");
  return roots.some((r) => {
    const root = r.replace(/^\/+|\/+$/g, "");
    return root === "" || p === root || p.startsWith(`${root}/`);
  });
}

/** Data paths outside every root: a path above a root is looked into, one beside all roots is outside. */
function dataOutside(node: unknown, at: string[], roots: string[], out: string[]): void {
  if (at.length && underRoot(at, roots)) return;
  const aboveARoot = roots.some((r) => underRoot(r.replace(/^\/+|\/+$/g, "").split("/"), [at.join("/")]));
  if (at.length && !aboveARoot) { out.push(`data.${at.join(".")}`); return; }
  if (typeof node !== "object" || node === null || Array.isArray(node)) { if (at.length) out.push(`data.${at.join(".")}`); return; }
  for (const [k, v] of Object.entries(node)) dataOutside(v, [...at, k], roots, out);
}

/** OPA's rule: every package and every data path of a bundle lies under one of its roots. */
function checkRoots(label: string, roots: string[], sources: SourceFile[], data: Record<string, unknown>): void {
  const outside: string[] = [];
  for (const s of sources) {
    const pkg = parseModule(s.source, s.path).pkg;
    if (!underRoot(pkg, roots)) outside.push(`package ${pkg.join(".")} (${s.path})`);
  }
  dataOutside(data, [], roots, outside);
  if (outside.length) throw new Error(`${label}: outside the manifest's roots (${roots.map((r) => JSON.stringify(r)).join(", ")}): ${outside.join(", ")}`);
}

export async function loadPolicySource(spec: string): Promise<LoadedPolicySource> {
  if (!existsSync(spec)) throw new Error(`${spec}: no such policy directory or bundle`);
  if (statSync(spec).isDirectory()) return { policy: compilePolicy(readRegoSources([spec])), warnings: [] };
  const { readBundle } = await import("../bundle/bundle.js"); // tar, only for bundles
  const bundle = await readBundle(spec);
  const sources = bundle.sources.filter((s) => !s.path.endsWith("_test.rego"));
  if (Object.hasOwn(bundle.data, RESERVED_DATA)) {
    throw new Error(`${spec}: the bundle's data defines data.${RESERVED_DATA}, which holds the gateway config's view; move that data elsewhere`);
  }
  checkRoots(spec, bundle.manifest.roots, sources, bundle.data);
  const revision = bundle.manifest.revision;
  if (!bundle.wasm) {
    if (sources.length === 0) throw new Error(`${spec}: the bundle holds neither a policy.wasm nor Rego sources`);
    return { policy: compilePolicy(sources, { revision, data: bundle.data }), warnings: [] };
  }
  const policy = wasmPolicy(bundle.wasm, `${spec}: policy.wasm`, { revision, data: bundle.data, sources });
  const warnings: string[] = [];
  let sourcesMatch: SourcesMatch;
  if (sources.length === 0) sourcesMatch = { state: "no-sources" };
  else {
    // Compiled with the module's own entrypoints, in its order, as `tpe build` would have.
    let rebuilt: Uint8Array | undefined, detail = "";
    try { rebuilt = compile({ modules: sources, entrypoints: policy.info.entrypoints }).wasm; }
    catch (e) { detail = `its Rego does not compile here: ${(e as Error).message}`; }
    if (rebuilt && createHash("sha256").update(rebuilt).digest("hex") === policy.info.wasmSha256) sourcesMatch = { state: "identical" };
    else {
      sourcesMatch = { state: "different", detail: detail || "its Rego compiles to a different module (another compiler or version built it, or the sources were edited after the build)" };
      warnings.push(`${spec}: serving the bundle's policy.wasm, but ${sourcesMatch.detail}; review the wasm (tpe diff reads it), not the Rego`);
    }
  }
  return { policy, sourcesMatch, warnings };
}
