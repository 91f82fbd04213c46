// OPA-format bundles: a gzipped tar with /.manifest, /policy.wasm (optional: `opa build` without
// `-t wasm` writes only Rego), data.json files at any directory, and Rego sources. Read in memory,
// strictly: regular files only, no path outside the bundle, bounded sizes, JSON that parses.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tar from "tar";

export interface BundleManifest {
  revision: string;
  roots: string[];
  wasm: { entrypoint: string; module: string }[];
  rego_version: number;
  metadata?: Record<string, unknown>;
}

export interface Bundle {
  /** The module the manifest names (default /policy.wasm); absent in a Rego-only bundle. */
  wasm?: Uint8Array;
  /** data.json files merged at their directories (`/roles/data.json` → data.roles). */
  data: Record<string, unknown>;
  manifest: BundleManifest;
  /** Rego sources stored in the bundle, by path. */
  sources: { path: string; source: string }[];
  /** Every regular file by its path inside the bundle (no leading slash): what a signature covers. */
  files?: Map<string, Uint8Array>;
}

/** A bundle that cannot be used; the message names the bundle file and what is wrong. */
export class BundleError extends Error {
  constructor(message: string) { super(message); this.name = "BundleError"; }
}

export interface ReadBundleOptions {
  /** Largest total of file contents accepted (default 256 MiB). */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;

export async function writeBundle(file: string, b: Bundle): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-bundle-"));
  try {
    const names = ["data.json", ".manifest"];
    if (b.wasm) { writeFileSync(path.join(dir, "policy.wasm"), b.wasm); names.unshift("policy.wasm"); }
    writeFileSync(path.join(dir, "data.json"), JSON.stringify(b.data ?? {}));
    writeFileSync(path.join(dir, ".manifest"), JSON.stringify(b.manifest, null, 2));
    for (const s of b.sources) {
      const rel = path.normalize(s.path).replace(/^(\.\.[/\\])+/, "").replace(/^[/\\]+/, "");
      mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), s.source);
      names.push(rel);
    }
    await tar.c({ gzip: true, file, cwd: dir, portable: true }, names);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A path inside the bundle: leading "/" or "./" dropped; "..", empty or absolute-looking segments refused. */
function bundlePath(raw: string): string | null {
  const p = raw.replace(/^(\.\/|\/)+/, "");
  if (p === "" || p.includes("\\") || p.includes("\0")) return null;
  const segments = p.split("/");
  if (segments.some((s) => s === ".." || s === ".")) return null;
  return segments.filter((s) => s !== "").join("/");
}

async function readEntries(file: string, maxBytes: number): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const problems: string[] = [];
  let total = 0;
  try {
    await tar.t({
      file,
      strict: true,
      onReadEntry: (entry) => {
        const name = bundlePath(entry.path);
        if (entry.type === "Directory") { entry.resume(); return; }
        if (entry.type !== "File" && entry.type !== "OldFile" && entry.type !== "ContiguousFile") {
          problems.push(`${entry.path}: a ${entry.type} entry (bundles hold regular files only)`);
          entry.resume();
          return;
        }
        if (name === null) { problems.push(`${entry.path}: a path outside the bundle`); entry.resume(); return; }
        if (files.has(name)) { problems.push(`${name}: stored twice`); entry.resume(); return; }
        const chunks: Buffer[] = [];
        entry.on("data", (c: Buffer) => {
          total += c.length;
          if (total <= maxBytes) chunks.push(c);
        });
        entry.on("end", () => { files.set(name, new Uint8Array(Buffer.concat(chunks))); });
      },
    });
  } catch (e) {
    throw new BundleError(`${file}: not a readable bundle (gzipped tar): ${(e as Error).message}`);
  }
  if (total > maxBytes) throw new BundleError(`${file}: the bundle's files exceed ${maxBytes} bytes`);
  if (problems.length) throw new BundleError(`${file}: ${problems.join("; ")}`);
  return files;
}

function parseJsonFile(bundle: string, name: string, bytes: Uint8Array): unknown {
  try { return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)); }
  catch (e) { throw new BundleError(`${bundle}: /${name} is not valid JSON: ${(e as Error).message}`); }
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

function parseManifest(bundle: string, files: Map<string, Uint8Array>): BundleManifest {
  const bytes = files.get(".manifest");
  if (!bytes) return { revision: "", roots: [""], wasm: [], rego_version: 1 };
  const m = parseJsonFile(bundle, ".manifest", bytes);
  if (!isObject(m)) throw new BundleError(`${bundle}: /.manifest must be a JSON object`);
  const bad = (field: string, want: string) => new BundleError(`${bundle}: /.manifest ${field} must be ${want}`);
  if (m.revision !== undefined && typeof m.revision !== "string") throw bad("revision", "a string");
  if (m.roots !== undefined && (!Array.isArray(m.roots) || !m.roots.every((r) => typeof r === "string"))) throw bad("roots", "a list of strings");
  if (m.wasm !== undefined && (!Array.isArray(m.wasm) || !m.wasm.every((w) => isObject(w) && typeof w.entrypoint === "string" && typeof w.module === "string"))) {
    throw bad("wasm", "a list of { entrypoint, module } strings");
  }
  if (m.rego_version !== undefined && m.rego_version !== 0 && m.rego_version !== 1) throw bad("rego_version", "0 or 1");
  if (m.metadata !== undefined && !isObject(m.metadata)) throw bad("metadata", "an object");
  return {
    revision: (m.revision as string | undefined) ?? "",
    roots: (m.roots as string[] | undefined) ?? [""],
    wasm: (m.wasm as BundleManifest["wasm"] | undefined) ?? [],
    rego_version: (m.rego_version as number | undefined) ?? 1,
    ...(m.metadata ? { metadata: m.metadata as Record<string, unknown> } : {}),
  };
}

/** Puts `value` at `at` below `node`; objects merge, anything else defined twice is a conflict. */
function place(node: Record<string, unknown>, at: string[], value: unknown, conflict: (p: string[]) => BundleError, done: string[] = []): void {
  if (at.length === 0) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) place(node, [k], v, conflict, done);
    return;
  }
  const [head, ...rest] = at as [string, ...string[]];
  const here = [...done, head];
  if (rest.length === 0) {
    if (!Object.hasOwn(node, head)) { node[head] = value; return; }
    const existing = node[head];
    if (!isObject(existing) || !isObject(value)) throw conflict(here);
    place(existing, [], value, conflict, here);
    return;
  }
  if (!Object.hasOwn(node, head)) node[head] = {};
  const next = node[head];
  if (!isObject(next)) throw conflict(here);
  place(next, rest, value, conflict, here);
}

/** data.json files placed at their directory (`/a/b/data.json` → data.a.b), merged. */
function mergeData(bundle: string, files: Map<string, Uint8Array>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const name of [...files.keys()].filter((n) => n === "data.json" || n.endsWith("/data.json")).sort()) {
    const value = parseJsonFile(bundle, name, files.get(name)!);
    const dirs = name.split("/").slice(0, -1);
    if (dirs.length === 0 && !isObject(value)) throw new BundleError(`${bundle}: /data.json must be a JSON object`);
    place(data, dirs, value, (p) => new BundleError(`${bundle}: /${name} defines data.${p.join(".")}, which another data file defines too`));
  }
  return data;
}

export async function readBundle(file: string, opts: ReadBundleOptions = {}): Promise<Bundle> {
  const files = await readEntries(file, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  const manifest = parseManifest(file, files);
  const modules = [...new Set(manifest.wasm.map((w) => bundlePath(w.module)))];
  if (modules.some((m) => m === null)) throw new BundleError(`${file}: /.manifest names a wasm module outside the bundle`);
  if (modules.length > 1) throw new BundleError(`${file}: /.manifest names ${modules.length} wasm modules; one module per bundle is supported`);
  const wasmName = modules[0] ?? "policy.wasm";
  const wasm = files.get(wasmName!);
  if (modules.length === 1 && !wasm) throw new BundleError(`${file}: /.manifest names /${wasmName} but the bundle has no such file`);
  const sources: Bundle["sources"] = [];
  for (const [name, bytes] of files) {
    if (!name.endsWith(".rego")) continue;
    try { sources.push({ path: name, source: new TextDecoder("utf-8", { fatal: true }).decode(bytes) }); }
    catch { throw new BundleError(`${file}: /${name} is not UTF-8 text`); }
  }
  sources.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ...(wasm ? { wasm } : {}), data: mergeData(file, files), manifest, sources, files };
}
