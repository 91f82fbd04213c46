import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const run = (args: string[], env: Record<string, string> = {}) => {
  try { return { code: 0, out: execFileSync(process.execPath, ["dist/src/cli/main.js", ...args], { encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] }), err: "" }; }
  catch (e) { const x = e as { status: number; stdout: string; stderr: string }; return { code: x.status, out: x.stdout, err: x.stderr }; }
};

describe("tpe eval / explain / check-config / audit", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-cli-"));
  const bad = path.join(dir, "bad.json5");
  writeFileSync(bad, "{ gateway: { bind: 'lan', trustedProxies: [], auth: { mode: 'trusted-proxy', token: 'x', trustedProxy: { userHeader: 'x-u', allowLoopback: 'yes' } } } }");

  it("serve refuses a decision cache size that is not a whole number, saying what it takes", () => {
    for (const v of ["-1", "abc", "1.5"]) {
      const r = run(["serve", "--config", "examples/gateway.json5", "--port", "0", "--decision-cache", v]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`--decision-cache must be a whole number of entries, 0 to turn the cache off (got ${v})`);
    }
  });

  it("eval prints the decision", () => {
    const r = run(["eval", "--config", "examples/gateway.json5", "--request", "examples/requests/proxied.json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ allow: true, user: "nick@example.com", method: "trusted-proxy" });
  });

  it("explain names the step, the facts and the hint", () => {
    const req = path.join(dir, "req.json");
    writeFileSync(req, JSON.stringify({ remoteAddress: "10.9.9.9", headers: { "x-auth-request-email": "nick@example.com" } }));
    const out = JSON.parse(run(["explain", "--config", "examples/gateway.json5", "--request", req]).out);
    expect(out.decision.reason).toBe("trusted_proxy_untrusted_source");
    expect(out.step).toBe("2: peer is a configured proxy");
    expect(out.hint).toMatch(/trustedProxies/);
    expect(out.input.peer).toEqual({ valid: true, ip: "10.9.9.9", loopback: false });
  });

  it("check-config reports every error with its path and exits 1", () => {
    const r = run(["check-config", bad]);
    expect(r.code).toBe(1);
    expect(r.out).toContain("error config_invalid: gateway.auth.trustedProxy.allowLoopback: expected boolean");
    expect(r.out).toContain("error mixed_trusted_proxy_token");
    expect(r.out).toContain("error config_no_trusted_proxies");
    expect(run(["check-config", "examples/gateway.json5"]).code).toBe(0);
  });

  it("check-config names the file, line and column of a JSON5 syntax error", () => {
    const syntax = path.join(dir, "syntax.json5");
    writeFileSync(syntax, "{\n  gateway: {\n    bind: 'lan',,\n  }\n}\n");
    const r = run(["check-config", syntax]);
    expect(r.code).toBe(1);
    expect(r.err + r.out).toContain(`${syntax}:3:17`);
  });

  it("check-config substitutes ${VAR} from the environment", () => {
    expect(run(["check-config", "examples/kubernetes-sidecar.json5"], { POD_IP: "10.42.0.7" }).code).toBe(0);
    const r = run(["check-config", "examples/kubernetes-sidecar.json5"], {});
    expect(r.out).toContain("gateway.trustedProxies.0: environment variable POD_IP is not set");
  });

  it("audit prints findings as text, JSON and SARIF, and fails on a threshold", () => {
    const text = run(["audit", "examples/traefik.json5"]);
    expect(text.out).toContain("[CRITICAL] gateway.trusted_proxy_auth");
    expect(text.code).toBe(0);
    const json = JSON.parse(run(["audit", "examples/traefik.json5", "--format", "json"]).out);
    expect(json.findings.map((f: { checkId: string }) => f.checkId)).toEqual(["gateway.trusted_proxy_auth", "gateway.trusted_proxies_broad"]);
    const sarif = JSON.parse(run(["audit", "examples/traefik.json5", "--format", "sarif"]).out);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: "gateway.trusted_proxy_auth", level: "error" });
    expect(run(["audit", "examples/traefik.json5", "--fail-on", "critical"]).code).toBe(1);
    expect(run(["audit", "examples/pomerium.json5", "--fail-on", "critical"]).code).toBe(1);
    const ok = path.join(dir, "no-tp.json5");
    writeFileSync(ok, "{ gateway: { bind: 'loopback', auth: { mode: 'token' } } }");
    expect(run(["audit", ok, "--fail-on", "warn"]).code).toBe(0);
  });
});
