// Bundles as OPA writes them: served from their own policy.wasm when they have one (what an OPA
// SDK runs, and what a review reads), compiled from Rego when they have none, with data.json files,
// manifest revision and roots; anything malformed refused with the bundle named.
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tar from "tar";
import { describe, expect, it } from "vitest";
import { readBundle, writeBundle, type BundleManifest } from "../../src/bundle/bundle.js";
import { readRegoSources } from "../../src/bundle/sources.js";
import { compile } from "../../src/compiler/compile.js";
import { policyVersion } from "../../src/diff/sources.js";
import { createEngineSync } from "../../src/engine/engine.js";
import { ENTRYPOINTS } from "../../src/engine/policy.js";
import { loadPolicySource } from "../../src/engine/policy-source.js";
import { readConfigFile } from "../../src/config/load.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-bundle-src-"));
const config = readConfigFile("examples/gateway.json5");
const shipped = readRegoSources(["policy"]).map((s) => ({ path: s.path, source: s.source }));
const ALL = Object.values(ENTRYPOINTS);
const manifest = (over: Partial<BundleManifest> = {}): BundleManifest => ({ revision: "rev-1", roots: [""], wasm: ALL.map((entrypoint) => ({ entrypoint, module: "/policy.wasm" })), rego_version: 1, ...over });
const wasmOf = (sources: { path: string; source: string }[], entrypoints: string[] = ALL) => compile({ modules: sources, entrypoints }).wasm;
let n = 0;
const bundleFile = () => path.join(dir, `b${n++}.tar.gz`);

/** A request the shipped policy denies for the example config: a user outside allowUsers. */
const outsider = { remoteAddress: "127.0.0.2", headers: { "x-auth-request-email": "mallory@example.com", "x-forwarded-proto": "https" } };
/** The shipped policy with its allow-list check removed: allows the outsider. */
const widened = shipped.map((s) => s.path.endsWith("trusted_proxy.rego") ? { ...s, source: s.source.replace("user_allowed(user) if user in cfg.allow_users", "user_allowed(_) := true") } : s);

describe("serving a bundle", () => {
  it("serves the bundle's policy.wasm, not its Rego, and says so when they differ", async () => {
    expect(widened.find((s) => s.path.endsWith("trusted_proxy.rego"))!.source).not.toEqual(shipped.find((s) => s.path.endsWith("trusted_proxy.rego"))!.source);
    const file = bundleFile();
    // wasm built from the widened policy, sources from the shipped one: what a tampered or stale bundle looks like
    await writeBundle(file, { wasm: wasmOf(widened), data: {}, manifest: manifest(), sources: shipped });
    const loaded = await loadPolicySource(file);
    expect(loaded.policy.info.origin).toBe("bundle-wasm");
    expect(loaded.policy.info.revision).toBe("rev-1");
    expect(loaded.sourcesMatch?.state).toBe("different");
    expect(loaded.warnings.join("\n")).toMatch(/serving the bundle's policy\.wasm, but its Rego compiles to a different module/);
    const fromBundle = createEngineSync({ config, policy: loaded.policy });
    const fromRego = createEngineSync({ config, policy: shipped });
    expect(fromRego.decide(outsider)).toMatchObject({ allow: false, reason: "trusted_proxy_user_not_allowed" });
    expect(fromBundle.decide(outsider)).toMatchObject({ allow: true, user: "mallory@example.com" });
    // tpe diff's reading of a bundle is the same served module
    const v = await policyVersion(file);
    expect(v.info.wasmSha256).toBe(loaded.policy.info.wasmSha256);
    expect(v.info.origin).toBe("bundle-wasm");
  });

  it("reports identical when the bundle's Rego compiles to its wasm", async () => {
    const file = bundleFile();
    await writeBundle(file, { wasm: wasmOf(shipped), data: {}, manifest: manifest(), sources: shipped });
    const loaded = await loadPolicySource(file);
    expect(loaded.sourcesMatch).toEqual({ state: "identical" });
    expect(loaded.warnings).toEqual([]);
  });

  it("compiles a Rego-only bundle (what opa build writes by default), with its manifest revision", async () => {
    const file = bundleFile();
    await writeBundle(file, { data: {}, manifest: manifest({ wasm: [], revision: "2026-12-03" }), sources: shipped });
    const b = await readBundle(file);
    expect(b.wasm).toBeUndefined();
    const loaded = await loadPolicySource(file);
    expect(loaded.policy.info).toMatchObject({ origin: "rego", revision: "2026-12-03" });
    expect(createEngineSync({ config, policy: loaded.policy }).decide(outsider)).toMatchObject({ allow: false, reason: "trusted_proxy_user_not_allowed" });
  });

  it("merges data.json files at their directories and gives them to the policy beside the config's view", async () => {
    const src = [...shipped, { path: "extra/extra.rego", source: "package extra\n\nimport rego.v1\n\nteams := data.org.teams\n\nfirst := data.org.eng.lead\n" }];
    const d = path.join(dir, "data-bundle");
    mkdirSync(path.join(d, "org", "eng"), { recursive: true });
    writeFileSync(path.join(d, "data.json"), JSON.stringify({ org: { teams: ["eng"] } }));
    writeFileSync(path.join(d, "org", "eng", "data.json"), JSON.stringify({ lead: "ada" }));
    writeFileSync(path.join(d, ".manifest"), JSON.stringify(manifest({ wasm: [] })));
    for (const s of src) { mkdirSync(path.join(d, path.dirname(s.path)), { recursive: true }); writeFileSync(path.join(d, s.path), s.source); }
    const file = bundleFile();
    await tar.c({ gzip: true, file, cwd: d, portable: true }, ["data.json", "org/eng/data.json", ".manifest", ...src.map((s) => s.path)]);
    const b = await readBundle(file);
    expect(b.data).toEqual({ org: { teams: ["eng"], eng: { lead: "ada" } } });
    const loaded = await loadPolicySource(file);
    expect(loaded.policy.data).toEqual(b.data);
    expect(createEngineSync({ config, policy: loaded.policy }).decide(outsider).reason).toBe("trusted_proxy_user_not_allowed");
  });

  it("refuses what it cannot serve, naming the bundle and the reason", async () => {
    const cases: [string, () => Promise<string>, RegExp][] = [
      ["data.gateway", async () => { const f = bundleFile(); await writeBundle(f, { data: { gateway: {} }, manifest: manifest({ wasm: [] }), sources: shipped }); return f; }, /defines data\.gateway, which holds the gateway config's view/],
      ["package outside roots", async () => { const f = bundleFile(); await writeBundle(f, { data: {}, manifest: manifest({ wasm: [], roots: ["other"] }), sources: shipped }); return f; }, /outside the manifest's roots \("other"\): package trusted_proxy/],
      ["data outside roots", async () => { const f = bundleFile(); await writeBundle(f, { data: { stray: 1 }, manifest: manifest({ wasm: [], roots: ["trusted_proxy"] }), sources: shipped }); return f; }, /outside the manifest's roots.*data\.stray/],
      ["missing entrypoints", async () => { const f = bundleFile(); await writeBundle(f, { wasm: wasmOf(shipped, [ENTRYPOINTS.decision]), data: {}, manifest: manifest(), sources: [] }); return f; }, /lacks the entrypoints trusted_proxy\/step, trusted_proxy\/startup\/result; build it with -e/],
      ["not wasm", async () => { const f = bundleFile(); await writeBundle(f, { wasm: new TextEncoder().encode("not wasm"), data: {}, manifest: manifest(), sources: [] }); return f; }, /policy\.wasm: not a WebAssembly module/],
      ["not an OPA module", async () => { const f = bundleFile(); await writeBundle(f, { wasm: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), data: {}, manifest: manifest(), sources: [] }); return f; }, /not an OPA wasm policy of ABI 1\.2 or later \(missing exports: opa_wasm_abi_version/],
      ["empty", async () => { const f = bundleFile(); await writeBundle(f, { data: {}, manifest: manifest({ wasm: [] }), sources: [] }); return f; }, /holds neither a policy\.wasm nor Rego sources/],
      ["not gzip", async () => { const f = bundleFile(); writeFileSync(f, "plain text"); return f; }, /not a readable bundle/],
      ["bad manifest", async () => { const d = mkdtempSync(path.join(dir, "m-")); writeFileSync(path.join(d, ".manifest"), "{"); const f = bundleFile(); await tar.c({ gzip: true, file: f, cwd: d }, [".manifest"]); return f; }, /\/\.manifest is not valid JSON/],
      ["bad data.json", async () => { const d = mkdtempSync(path.join(dir, "d-")); writeFileSync(path.join(d, "data.json"), "[1]"); const f = bundleFile(); await tar.c({ gzip: true, file: f, cwd: d }, ["data.json"]); return f; }, /\/data\.json must be a JSON object/],
      ["conflicting data", async () => {
        const d = mkdtempSync(path.join(dir, "c-")); mkdirSync(path.join(d, "a"));
        writeFileSync(path.join(d, "data.json"), JSON.stringify({ a: { b: 1 } })); writeFileSync(path.join(d, "a", "data.json"), JSON.stringify({ b: 2 }));
        const f = bundleFile(); await tar.c({ gzip: true, file: f, cwd: d }, ["data.json", "a/data.json"]); return f;
      }, /defines data\.a\.b, which another data file defines too/],
      ["symlink", async () => {
        const d = mkdtempSync(path.join(dir, "s-")); symlinkSync("/etc/passwd", path.join(d, "data.json"));
        const f = bundleFile(); await tar.c({ gzip: true, file: f, cwd: d }, ["data.json"]); return f;
      }, /SymbolicLink entry \(bundles hold regular files only\)/],
      ["manifest names a missing module", async () => { const f = bundleFile(); await writeBundle(f, { data: {}, manifest: manifest({ wasm: [{ entrypoint: "x/y", module: "/other.wasm" }] }), sources: shipped }); return f; }, /names \/other\.wasm but the bundle has no such file/],
    ];
    for (const [name, make, message] of cases) {
      const file = await make();
      await expect(loadPolicySource(file), name).rejects.toThrow(message);
      await expect(loadPolicySource(file), name).rejects.toThrow(file);
    }
  });

  it("refuses entries outside the bundle and oversized contents", async () => {
    const d = mkdtempSync(path.join(dir, "p-"));
    mkdirSync(path.join(d, "in"));
    writeFileSync(path.join(d, "x.rego"), "package x\n");
    const f = bundleFile();
    await tar.c({ gzip: true, file: f, cwd: path.join(d, "in"), preservePaths: true }, ["../x.rego"]);
    await expect(readBundle(f)).rejects.toThrow(/a path outside the bundle/);
    const big = bundleFile();
    await writeBundle(big, { data: { blob: "x".repeat(5000) }, manifest: manifest({ wasm: [] }), sources: [] });
    await expect(readBundle(big, { maxBytes: 1000 })).rejects.toThrow(/exceed 1000 bytes/);
    expect(readFileSync(big).length).toBeGreaterThan(0);
  });
});
