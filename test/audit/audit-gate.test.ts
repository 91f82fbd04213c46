// tpe audit as a CI gate: the baseline, file:line:col for every finding, and SARIF that validates
// against the SARIF 2.1.0 schema.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { describe, expect, it, vi } from "vitest";
import { applyBaseline, parseBaseline } from "../../src/audit/baseline.js";
import { runAudit } from "../../src/cli/audit.js";
import { configLocator } from "../../src/config/positions.js";

/** `tpe audit …` in-process (the command's own function), with what it prints. */
function run(args: string[]): { code: number; out: string; err: string } {
  expect(args[0]).toBe("audit");
  const file = args[1]!;
  const opts: Record<string, string> = {};
  for (let i = 2; i < args.length; i += 2) opts[args[i]!.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = args[i + 1]!;
  const out: string[] = [], err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => { out.push(a.join(" ")); });
  const error = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => { err.push(a.join(" ")); });
  try { return { code: runAudit(file, opts), out: out.join("\n"), err: err.join("\n") }; }
  finally { log.mockRestore(); error.mockRestore(); }
}

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
// The schema's patterns are ECMAScript regexps without the u flag (one does not compile with it).
const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);
function expectValidSarif(doc: unknown): void {
  const ok = validateSarif(doc);
  expect(validateSarif.errors ?? [], JSON.stringify(validateSarif.errors?.slice(0, 5))).toEqual([]);
  expect(ok).toBe(true);
}

const EXAMPLES = readdirSync("examples").filter((f) => f.endsWith(".json5") && f !== "audit-baseline.json5").map((f) => `examples/${f}`);
const BASELINE = "examples/audit-baseline.json5";
const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-audit-"));
const write = (name: string, text: string) => { const f = path.join(dir, name); writeFileSync(f, text); return f; };

describe("tpe audit --fail-on critical --baseline", () => {
  it("fails on every shipped example without a baseline (the mode itself is critical) and passes with the shipped one", () => {
    expect(EXAMPLES.length).toBeGreaterThan(3);
    for (const f of EXAMPLES) {
      expect(run(["audit", f, "--fail-on", "critical"]).code, f).toBe(1);
      const r = run(["audit", f, "--fail-on", "critical", "--baseline", BASELINE]);
      expect(r.code, `${f}\n${r.out}${r.err}`).toBe(0);
      expect(r.out).toContain("accepted by the baseline: [CRITICAL] gateway.trusted_proxy_auth");
    }
  });

  it("fails on a config with a new critical problem, naming it", () => {
    const f = write("broad.json5", readFileSync("examples/traefik.json5", "utf8").replace('"10.0.0.0/24"', '"10.0.0.0/24", "0.0.0.0/0"'));
    const r = run(["audit", f, "--fail-on", "critical", "--baseline", BASELINE]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/broad\.json5:5:\d+: \[CRITICAL\] gateway\.trusted_proxies_broad \(gateway\.trustedProxies\.1\)/);
    // warn findings do not fail a critical gate, but do fail a warn gate
    expect(run(["audit", "examples/traefik.json5", "--fail-on", "warn", "--baseline", BASELINE]).code).toBe(1);
  });

  it("a path-specific entry accepts only the finding at that key; stale entries are reported", () => {
    const cfg = write("two.json5", readFileSync("examples/traefik.json5", "utf8").replace('"10.0.0.0/24"', '"10.0.0.0/24", "0.0.0.0/0"'));
    const bl = write("bl.json5", `{ suppressions: [
      { checkId: "gateway.trusted_proxy_auth", reason: "by design" },
      { checkId: "gateway.trusted_proxies_broad", path: "gateway.trustedProxies.0", reason: "Traefik's overlay network" },
      { checkId: "gateway.hsts_without_tls", reason: "left over" },
    ] }`);
    const r = run(["audit", cfg, "--fail-on", "warn", "--baseline", bl, "--format", "json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.out);
    const active = out.findings.filter((f: { suppressed?: unknown }) => !f.suppressed).map((f: { checkId: string; path: string }) => `${f.checkId} ${f.path}`);
    expect(active).toEqual(["gateway.trusted_proxies_broad gateway.trustedProxies.1"]);
    expect(out.stale).toEqual([{ checkId: "gateway.hsts_without_tls", reason: "left over" }]);
    expect(run(["audit", cfg, "--baseline", bl]).out).toContain("stale baseline entry gateway.hsts_without_tls");
  });

  it("a baseline entry without a reason, with an unknown key, or a file that does not parse is a usage error (exit 2) naming the file and entry", () => {
    const noReason = write("nr.json5", `{ suppressions: [{ checkId: "gateway.trusted_proxy_auth", reason: "  " }] }`);
    let r = run(["audit", "examples/traefik.json5", "--fail-on", "critical", "--baseline", noReason]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("nr.json5");
    expect(r.err).toContain("suppressions.0.reason: a reason is required");
    r = run(["audit", "examples/traefik.json5", "--baseline", write("uk.json5", `{ suppressions: [{ checkId: "x", reason: "y", severity: "warn" }] }`)]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("severity");
    r = run(["audit", "examples/traefik.json5", "--baseline", write("bad.json5", `{ suppressions: [ }`)]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.json5:1:\d+/);
    expect(() => parseBaseline(`{}`, "f")).toThrow(/suppressions/);
  });

  it("applyBaseline: every finding is either active or accepted, never both", () => {
    const f = (checkId: string, p: string) => ({ checkId, path: p, severity: "warn" as const, title: "", detail: "", fix: "" });
    const findings = [f("a", "x.0"), f("a", "x.1"), f("b", "y")];
    const r = applyBaseline(findings, [{ checkId: "a", path: "x.1", reason: "r" }, { checkId: "a", reason: "all a" }]);
    expect(r.active).toEqual([f("b", "y")]);
    expect(r.suppressed.map((s) => s.finding.path)).toEqual(["x.0", "x.1"]);
    expect(r.stale).toEqual([]);
  });
});

describe("finding locations", () => {
  it("locates keys, list items and the nearest present parent of an absent key", () => {
    const text = `// comment\n{\n  gateway: {\n    trustedProxies: [\n      "10.0.0.1",\n      '10.0.0.0/8',\n    ],\n    'auth': { mode: "trusted-proxy" },\n  },\n}\n`;
    const at = configLocator(text);
    expect(at("gateway.trustedProxies.1")).toEqual({ found: "gateway.trustedProxies.1", region: { startLine: 6, startColumn: 7, endLine: 6, endColumn: 19 } });
    expect(at("gateway.auth.mode").region.startLine).toBe(8);
    expect(at("gateway.auth.trustedProxy.allowUsers")).toMatchObject({ found: "gateway.auth", region: { startLine: 8, startColumn: 5 } });
    expect(at("gateway.trustedProxies.7").found).toBe("gateway.trustedProxies");
    expect(configLocator("{ not json5")("gateway").region.startLine).toBe(1);
  });

  it("every finding of every shipped example has a line that holds its key (or its nearest parent)", () => {
    for (const f of EXAMPLES) {
      const lines = readFileSync(f, "utf8").split("\n");
      const out = JSON.parse(run(["audit", f, "--format", "json"]).out);
      expect(out.findings.length).toBeGreaterThan(0);
      for (const x of out.findings) {
        expect(x.line, `${f} ${x.checkId}`).toBeGreaterThan(0);
        const key = x.path.split(".").filter((s: string) => !/^\d+$/.test(s)).at(-1);
        const found = configLocator(lines.join("\n"))(x.path).found.split(".").filter((s: string) => !/^\d+$/.test(s)).at(-1) ?? key;
        expect(lines[x.line - 1], `${f} ${x.checkId} ${x.path}`).toContain(found);
      }
    }
  });
});

describe("SARIF", () => {
  it("validates against the SARIF 2.1.0 schema for every shipped example, with and without the baseline", () => {
    for (const f of EXAMPLES) {
      for (const extra of [[], ["--baseline", BASELINE]]) {
        const doc = JSON.parse(run(["audit", f, "--format", "sarif", ...extra]).out);
        expectValidSarif(doc);
        const runObj = doc.runs[0];
        expect(runObj.tool.driver.version).toBe(JSON.parse(readFileSync("package.json", "utf8")).version);
        expect(runObj.artifacts[0].location.uri).toBe(f);
        for (const r of runObj.results) {
          expect(r.locations[0].physicalLocation.artifactLocation).toMatchObject({ uri: f, uriBaseId: "%SRCROOT%" });
          expect(r.locations[0].physicalLocation.region.startLine).toBeGreaterThan(0);
          expect(r.locations[0].physicalLocation.region.startColumn).toBeGreaterThan(0);
          expect(r.partialFingerprints["tpeFinding/v1"]).toMatch(/^[0-9a-f]{32}$/);
          const rule = runObj.tool.driver.rules[r.ruleIndex];
          expect(rule.id).toBe(r.ruleId);
          expect(Number(rule.properties["security-severity"])).toBeGreaterThan(0);
          expect(rule.properties.tags).toContain("security");
        }
        const auth = runObj.results.find((r: { ruleId: string }) => r.ruleId === "gateway.trusted_proxy_auth");
        if (extra.length) expect(auth.suppressions).toEqual([{ kind: "external", status: "accepted", justification: expect.stringContaining("design") }]);
        else expect(auth.suppressions).toBeUndefined();
      }
    }
  });

  it("fingerprints stay when lines move; regions follow", () => {
    const text = readFileSync("examples/traefik.json5", "utf8");
    const a = write("fp.json5", text), b = write("fp2.json5", `// one more line\n${text}`);
    const ra = JSON.parse(run(["audit", a, "--format", "sarif", "--repo-root", dir]).out).runs[0].results;
    const rb = JSON.parse(run(["audit", b, "--format", "sarif", "--repo-root", dir]).out).runs[0].results;
    expect(ra.length).toBe(rb.length);
    for (let i = 0; i < ra.length; i++) {
      expect(rb[i].locations[0].physicalLocation.region.startLine).toBe(ra[i].locations[0].physicalLocation.region.startLine + 1);
    }
    // the fingerprint includes the artifact, so compare the same file's moved copy by rewriting it in place
    writeFileSync(a, `// moved\n${text}`);
    const rc = JSON.parse(run(["audit", a, "--format", "sarif", "--repo-root", dir]).out).runs[0].results;
    expect(rc.map((r: { partialFingerprints: object }) => r.partialFingerprints)).toEqual(ra.map((r: { partialFingerprints: object }) => r.partialFingerprints));
    expect(ra[0].locations[0].physicalLocation.artifactLocation.uri).toBe("fp.json5");
  });

  it("a config that does not parse is itself a result, at the syntax error, and fails the gate", () => {
    const f = write("broken.json5", `{\n  gateway: {\n    bind: "lan",,\n  }\n}\n`);
    const r = run(["audit", f, "--format", "sarif", "--repo-root", dir, "--fail-on", "critical"]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expectValidSarif(doc);
    const res = doc.runs[0].results;
    expect(res).toHaveLength(1);
    expect(res[0]).toMatchObject({ ruleId: "config.parse_error", level: "error", locations: [{ physicalLocation: { artifactLocation: { uri: "broken.json5" }, region: { startLine: 3, startColumn: 17 } } }] });
    expect(run(["audit", f]).code).toBe(1);
  });
});
