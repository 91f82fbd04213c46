// tpe diff over policy mutations: widened access is reported with an example that really is
// denied before and allowed after; a refactor that changes no decision reports no change.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readConfigFile } from "../../src/config/load.js";
import { diffPolicies } from "../../src/diff/diff.js";
import { policyVersion } from "../../src/diff/sources.js";
import { createEngineSync } from "../../src/engine/engine.js";
import { parseModule } from "../../src/rego/parser.js";
import { formatModule } from "../../src/rego/format.js";

const CONFIGS = ["examples/gateway.json5", "examples/gateway-with-password.json5"];
const original = readFileSync("policy/trusted_proxy.rego", "utf8");

function mutant(edit: (src: string) => string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-mutant-"));
  cpSync("policy", dir, { recursive: true });
  const changed = edit(original);
  expect(changed, "the mutation must change the source").not.toBe(original);
  writeFileSync(path.join(dir, "trusted_proxy.rego"), changed);
  return dir;
}

async function diff(afterDir: string, config: string) {
  const [p1, p2] = await Promise.all([policyVersion("policy"), policyVersion(afterDir)]);
  const c = readConfigFile(config);
  const before = createEngineSync({ config: c, policy: p1 }), after = createEngineSync({ config: c, policy: p2 });
  return { result: diffPolicies({ label: "before", policy: p1, config: c }, { label: "after", policy: p2, config: c }, { budget: 30_000 }), before, after };
}

const MUTATIONS: [string, string, (s: string) => string][] = [
  ["a check removed (allowUsers)", CONFIGS[0]!, (s) => s.replace('else := "trusted_proxy_user_not_allowed" if not user_allowed(proxy_user)\n', "")],
  ["an operator flipped (HTTP origin check)", CONFIGS[0]!, (s) => s.replace('http_origin_rejected if {\n\tinput.transport == "http"', 'http_origin_rejected if {\n\tinput.transport != "http"')],
  ["a rule's order changed (password fallback before the Control UI origin check)", CONFIGS[1]!, (s) => s.replace(
    /decision := deny\("control_ui_origin_not_allowed"\) if \{\n\tcontrol_ui_websocket\n\tnot origin_allowed\n\}\n\n# Steps 1-6 denied, but a direct-local caller presented the shared password \(5\.3\)\.\nelse := password_decision if \{\n\tidentity_denial\n\tpassword_fallback_applies\n\}/,
    'decision := password_decision if {\n\tidentity_denial\n\tpassword_fallback_applies\n}\n\nelse := deny("control_ui_origin_not_allowed") if {\n\tcontrol_ui_websocket\n\tnot origin_allowed\n}')],
  ["an allow-list bypass", CONFIGS[0]!, (s) => s.replace("user_allowed(_) if count(cfg.allow_users) == 0", "user_allowed(_) if true")],
];

describe("tpe diff", () => {
  for (const [what, config, edit] of MUTATIONS) {
    it(`reports widened access for ${what}, with a correct example`, async () => {
      const { result, before, after } = await diff(mutant(edit), config);
      expect(result.widened).toBe(true);
      const first = result.groups[0]!;
      expect(first.kind).toBe("widened");
      // the example really changes: re-decide it on both sides
      const a = before.decide(first.example.facts), b = after.decide(first.example.facts);
      expect(a).toEqual(first.example.before);
      expect(b).toEqual(first.example.after);
      expect(b.allow && (!a.allow || a.user !== b.user || b.scopes.some((x) => !a.scopes.includes(x)))).toBe(true);
      // widened groups come before narrowed ones
      const kinds = result.groups.map((g) => g.kind);
      expect(kinds.indexOf("narrowed") === -1 || kinds.lastIndexOf("widened") < kinds.indexOf("narrowed")).toBe(true);
    });
  }

  it("reports no change for a refactor (renamed rule, reformatted source)", async () => {
    const dir = mutant((s) => formatModule(parseModule(s.replace(/\bproxy_user\b/g, "authenticated_user"), "x.rego")));
    for (const config of CONFIGS) {
      const { result } = await diff(dir, config);
      expect(result.changed, JSON.stringify(result.groups[0]?.summary)).toBe(0);
      expect(result.space.tried).toBeGreaterThan(2_000);
    }
  });

  it("diffs the real policy against itself with two configs quickly, covering every reason code", () => {
    const out = execFileSync(process.execPath, ["dist/src/cli/main.js", "diff", "--before-config", CONFIGS[0]!, "--after-config", CONFIGS[1]!, "--format", "json"], { encoding: "utf8" });
    const r = JSON.parse(out) as { space: { tried: number }; compared?: number; ms: number; reasons: string[]; widened: boolean; groups: unknown[] };
    expect(r.ms).toBeLessThan(10_000);
    expect(r.space.tried).toBeGreaterThan(2_000);
    expect(r.reasons).toEqual([
      "control_ui_origin_not_allowed", "password_mismatch", "rate_limited", "trusted_proxy_loopback_source",
      "trusted_proxy_missing_header_<name>", "trusted_proxy_origin_not_allowed", "trusted_proxy_untrusted_source",
      "trusted_proxy_user_missing", "trusted_proxy_user_not_allowed",
    ]);
    expect(r.widened).toBe(true); // the /30 and the password widen access
  });

  it("exits 1 with --fail-on-widen, renders Markdown, and reads git revisions", () => {
    const dir = mutant((s) => s.replace("user_allowed(_) if count(cfg.allow_users) == 0", "user_allowed(_) if true"));
    let code = 0, out = "";
    try { execFileSync(process.execPath, ["dist/src/cli/main.js", "diff", "policy", dir, "--config", CONFIGS[0]!, "--format", "markdown", "--fail-on-widen"], { encoding: "utf8" }); }
    catch (e) { code = (e as { status: number }).status; out = (e as { stdout: string }).stdout; }
    expect(code).toBe(1);
    expect(out).toContain("#### Widened access");
    expect(out).toContain("| requests | before → after | example |");
    const same = execFileSync(process.execPath, ["dist/src/cli/main.js", "diff", "HEAD", "HEAD", "--config", CONFIGS[0]!], { encoding: "utf8" });
    expect(same).toContain("no decision changed");
  });
});
