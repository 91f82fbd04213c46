// The service as a process: it refuses to start on bad input, and shuts down gracefully.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import http from "node:http";
import { describe, expect, it } from "vitest";
import { freePort, start, waitForPort } from "../e2e/procs.js";

describe("tpe serve", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-life-"));

  it("refuses to start on a config error, naming the path", async () => {
    writeFileSync(path.join(dir, "bad.json5"), "{ gateway: { auth: { mode: 'token' } } }");
    const p = start(process.execPath, ["dist/src/cli/main.js", "serve", "--config", path.join(dir, "bad.json5"), "--port", "0"]);
    expect(await p.wait()).toBe(1);
    expect(p.output()).toContain("config_mode_not_trusted_proxy: gateway.auth.mode must be \"trusted-proxy\"");
  });

  it("refuses to start on a policy error, naming file:line:col", async () => {
    mkdirSafe(path.join(dir, "policy"));
    writeFileSync(path.join(dir, "policy", "p.rego"), "package trusted_proxy\n\ndecision := x\n");
    const p = start(process.execPath, ["dist/src/cli/main.js", "serve", "--config", "examples/gateway.json5", "--policy", path.join(dir, "policy"), "--port", "0"]);
    expect(await p.wait()).toBe(1);
    expect(p.output()).toMatch(/p\.rego:3:\d+: rego_unsafe_var_error: var x is unsafe/);
  });

  it("finishes in-flight requests on SIGTERM and exits 0", async () => {
    const port = await freePort();
    const p = start(process.execPath, ["dist/src/cli/main.js", "serve", "--config", "examples/gateway.json5", "--port", String(port), "--log-level", "warn"]);
    await waitForPort(port, p);
    const body = JSON.stringify({ remoteAddress: "127.0.0.2", headers: { "x-auth-request-email": "nick@example.com", "x-forwarded-proto": "https" } });
    const inflight = Array.from({ length: 20 }, () => post(port, body));
    await new Promise((r) => setTimeout(r, 5));
    p.child.kill("SIGTERM");
    const results = await Promise.all(inflight);
    // each request was either answered in full, or its connection was never accepted
    for (const r of results) expect(r === 200 || r === "ECONNREFUSED" || r === "ECONNRESET", String(r)).toBe(true);
    expect(results).toContain(200);
    expect(await p.wait()).toBe(0);
    expect(p.output()).toContain("SIGTERM: finishing in-flight requests");
  });
});

/** POST on a fresh connection: the status, or the connection error's code. */
function post(port: number, body: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.request({ host: "127.0.0.1", port, path: "/v1/decision", method: "POST", agent: false,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) }, timeout: 10_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode!));
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.on("timeout", () => { req.destroy(); resolve("TIMEOUT"); });
    req.end(body);
  });
}

import { mkdirSync } from "node:fs";
function mkdirSafe(d: string): void { mkdirSync(d, { recursive: true }); }
