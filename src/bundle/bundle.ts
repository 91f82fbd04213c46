// OPA-format bundles: a gzipped tar with /policy.wasm, /data.json, /.manifest (and the sources).
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
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
  wasm: Uint8Array;
  data: unknown;
  manifest: BundleManifest;
  /** Rego sources stored in the bundle, by path. */
  sources: { path: string; source: string }[];
}

export async function writeBundle(file: string, b: Bundle): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-bundle-"));
  try {
    const names = ["policy.wasm", "data.json", ".manifest"];
    writeFileSync(path.join(dir, "policy.wasm"), b.wasm);
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

export async function readBundle(file: string): Promise<Bundle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-bundle-"));
  try {
    await tar.x({ file, cwd: dir, strict: true });
    const read = (name: string) => readFileSync(path.join(dir, name));
    let manifest: BundleManifest;
    try { manifest = JSON.parse(read(".manifest").toString("utf8")) as BundleManifest; }
    catch { throw new Error(`${file}: bundle has no readable /.manifest`); }
    let wasm: Uint8Array;
    try { wasm = new Uint8Array(read("policy.wasm")); }
    catch { throw new Error(`${file}: bundle has no /policy.wasm`); }
    let data: unknown = {};
    try { data = JSON.parse(read("data.json").toString("utf8")); } catch { data = {}; }
    const sources: { path: string; source: string }[] = [];
    await tar.t({ file, onReadEntry: (e) => {
      if (e.path.endsWith(".rego")) sources.push({ path: e.path.replace(/^\.?\//, ""), source: readFileSync(path.join(dir, e.path), "utf8") });
    } });
    return { wasm, data, manifest, sources };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
