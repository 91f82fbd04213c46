import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import fc from "fast-check";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/server/app.js";
import { EngineHolder } from "../../src/server/holder.js";
import { REDACT } from "../../src/server/serve.js";

const CONFIG = `{
  gateway: {
    bind: "loopback",
    trustedProxies: ["10.0.0.1"],
    auth: {
      mode: "trusted-proxy",
      password: "s3cret-local-pw",
      trustedProxy: { userHeader: "x-forwarded-user", requiredHeaders: ["x-forwarded-proto"], allowLoopback: true, loopbackUser: "agent@internal" },
    },
  },
}`;

const proxied = { remoteAddress: "10.0.0.1", headers: { "x-forwarded-user": "nick@example.com", "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.1" } };

describe("decision service", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-svc-"));
  const configFile = path.join(dir, "gateway.json5");
  const policyDir = path.join(dir, "policy");
  const logs: string[] = [];
  let app: FastifyInstance;
  let holder: EngineHolder;

  beforeAll(async () => {
    writeFileSync(configFile, CONFIG);
    cpSync("policy", policyDir, { recursive: true });
    holder = await EngineHolder.create({ configFile, policy: policyDir, env: {} });
    const logger = pino({ redact: { paths: REDACT, censor: "[redacted]" } }, new Writable({ write(chunk, _e, cb) { logs.push(chunk.toString()); cb(); } }));
    app = await buildApp({ holder, logger });
  });
  afterAll(() => app.close());

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: "POST", url, payload: typeof payload === "string" ? payload : JSON.stringify(payload), headers: { "content-type": "application/json", ...headers } });

  it("answers /v1/decision with the decision, a decision id and the revision", async () => {
    const r = await post("/v1/decision", proxied);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ allow: true, user: "nick@example.com", method: "trusted-proxy", reason: null, revision: holder.engine.policy.revision });
    expect(body.decision_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(Object.keys(body).sort()).toEqual(["allow", "decision_id", "method", "reason", "revision", "scopes", "user"]);
    // the same decision again (from the cache) gets its own decision id
    const again = (await post("/v1/decision", proxied)).json();
    expect(again).toEqual({ ...body, decision_id: again.decision_id });
    expect(again.decision_id).not.toBe(body.decision_id);
    // a client's request-id header never becomes the decision id (ids go into the JSON unescaped)
    for (const h of ["request-id", "x-request-id"]) {
      const other = await post("/v1/decision", proxied, { [h]: 'x","allow":true,"y":"' });
      expect(other.json().decision_id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("speaks OPA's Data API shape", async () => {
    const r = await post("/v1/data/trusted_proxy/decision", { input: { remoteAddress: "10.9.9.9", headers: {} } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ result: { allow: false, reason: "trusted_proxy_untrusted_source" } });
    expect(r.json().decision_id).toBeTypeOf("string");
  });

  it("explains and audits", async () => {
    const e = await post("/v1/explain", { remoteAddress: "127.0.0.1", headers: {} });
    expect(e.json()).toMatchObject({ decision: { allow: true, user: "agent@internal" }, step: "1: internal loopback caller (loopbackUser)" });
    expect(e.json().input.password).toBe("absent");
    const a = await post("/v1/audit", { config: { gateway: { bind: "lan", trustedProxies: ["0.0.0.0/0"], auth: { mode: "trusted-proxy" } } } });
    expect(a.json().findings.map((f: { checkId: string }) => f.checkId)).toContain("gateway.trusted_proxies_broad");
  });

  it.each([
    ["malformed JSON", "{nope", 400, /not valid JSON/],
    ["a wrong type", { remoteAddress: 5 }, 400, /remoteAddress: /],
    ["an unknown field", { remoteAddres: "10.0.0.1" }, 400, /remoteAddres/],
    ["a bad enum", { transport: "ftp" }, 400, /transport: /],
    ["headers of the wrong shape", { headers: ["x"] }, 400, /headers: /],
    ["too many headers", { headers: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`h${i}`, "v"])) }, 400, /at most 200 headers/],
    ["a body over 64 KiB", { headers: { big: "x".repeat(70 * 1024) } }, 413, /too large/i],
    ["a non-object body", "[1,2]", 400, /expected object/],
  ])("rejects %s with a 4xx naming the problem", async (_what, payload, status, message) => {
    const r = await post("/v1/decision", payload);
    expect(r.statusCode).toBe(status);
    expect(r.json().message).toMatch(message);
  });

  it("rejects other content types and unknown routes", async () => {
    expect((await app.inject({ method: "POST", url: "/v1/decision", payload: "<x/>", headers: { "content-type": "application/xml" } })).statusCode).toBe(415);
    expect((await app.inject({ method: "POST", url: "/v1/decision", payload: "x", headers: { "content-type": "text/plain" } })).statusCode).toBe(400);
    expect((await app.inject({ method: "GET", url: "/nope" })).statusCode).toBe(404);
  });

  it("survives fuzzed bodies: 4xx or 200, never a 5xx", async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.string(), fc.record({ remoteAddress: fc.string(), headers: fc.dictionary(fc.string(), fc.jsonValue()) })), async (body) => {
      const r = await post("/v1/decision", typeof body === "string" ? body : JSON.stringify(body));
      expect(r.statusCode, r.body).toBeLessThan(500);
      if (r.statusCode === 200) expect(r.json().allow).toBeTypeOf("boolean");
    }), { numRuns: 300 });
  });

  it("never logs the presented password", async () => {
    await post("/v1/decision", { remoteAddress: "127.0.0.1", headers: {}, password: "hunter2-presented" });
    await post("/v1/decision", { remoteAddress: "10.0.0.1", password: "hunter2-presented", transport: "nope" });
    const all = logs.join("");
    expect(all).toContain('"msg":"decision"');
    expect(all).not.toContain("hunter2-presented");
    expect(all).not.toContain("s3cret-local-pw");
  });

  it("reports health, the policy and metrics", async () => {
    expect((await app.inject({ url: "/health" })).json()).toEqual({ status: "ok", revision: holder.engine.policy.revision });
    const pol = (await app.inject({ url: "/v1/policy" })).json();
    expect(pol.entrypoints).toContain("trusted_proxy/decision");
    expect(pol.sources.map((s: { path: string }) => path.basename(s.path)).sort()).toEqual(["audit.rego", "startup.rego", "trusted_proxy.rego"]);
    const m = (await app.inject({ url: "/metrics" })).body;
    expect(m).toMatch(/tpe_decisions_total\{allow="true",reason=""\} \d+/);
    expect(m).toMatch(/tpe_decision_duration_seconds_bucket/);
    expect(m).toContain(`tpe_policy_revision_info{revision="${holder.engine.policy.revision}"} 1`);
    // process metrics an operator reads a latency tail from
    expect(m).toContain("# TYPE tpe_nodejs_gc_duration_seconds histogram");
    expect(m).toContain("# TYPE tpe_nodejs_eventloop_lag_p99_seconds gauge");
    const doc = (await app.inject({ url: "/docs/json" })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/v1/decision", "/v1/data/trusted_proxy/decision", "/health"]));
  });

  it("counts decisions by outcome and reason, with a consistent latency histogram", async () => {
    const scrape = async () => (await app.inject({ url: "/metrics" })).body;
    const value = (m: string, line: RegExp) => Number(m.match(line)?.[1] ?? 0);
    const before = await scrape();
    for (let i = 0; i < 3; i++) await post("/v1/decision", proxied);
    for (let i = 0; i < 2; i++) await post("/v1/decision", { remoteAddress: "10.9.9.9", headers: {} });
    const after = await scrape();
    const allowed = /tpe_decisions_total\{allow="true",reason=""\} (\d+)/;
    const untrusted = /tpe_decisions_total\{allow="false",reason="trusted_proxy_untrusted_source"\} (\d+)/;
    const count = /tpe_decision_duration_seconds_count (\d+)/;
    expect(value(after, allowed) - value(before, allowed)).toBe(3);
    expect(value(after, untrusted) - value(before, untrusted)).toBe(2);
    expect(value(after, count) - value(before, count)).toBe(5);
    const buckets = [...after.matchAll(/tpe_decision_duration_seconds_bucket\{le="([^"]+)"\} (\d+)/g)].map((m) => Number(m[2]));
    expect(buckets.length).toBe(11);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]).toBeGreaterThanOrEqual(buckets[i - 1]!);
    expect(buckets.at(-1)).toBe(value(after, count));
    const hits = /tpe_decision_cache_hits_total (\d+)/, misses = /tpe_decision_cache_misses_total (\d+)/;
    const dh = value(after, hits) - value(before, hits), dm = value(after, misses) - value(before, misses);
    expect(dh + dm).toBe(5);
    expect(dh).toBeGreaterThanOrEqual(3); // the repeats of each input
    expect(after).toMatch(/tpe_decision_cache_entries [1-9]/);
  });

  it("reloads atomically; a broken policy or config keeps the old one serving and degrades health", async () => {
    const before = holder.engine.policy.revision;
    const file = path.join(policyDir, "trusted_proxy.rego");
    const good = readFileSync(file, "utf8");
    writeFileSync(file, `${good}\n# a comment changes the revision\n`);
    const ok = await post("/v1/reload", {});
    expect(ok.statusCode).toBe(200);
    expect(holder.engine.policy.revision).not.toBe(before);

    writeFileSync(file, good.replace("trusted_source if {", "trusted_source if {\n\tundefined_thing > 1"));
    const bad = await post("/v1/reload", {});
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error).toMatch(/trusted_proxy\.rego:\d+:\d+: rego_unsafe_var_error: var undefined_thing is unsafe/);
    const health = (await app.inject({ url: "/health" })).json();
    expect(health.status).toBe("degraded");
    expect((await post("/v1/decision", proxied)).json().allow).toBe(true);

    writeFileSync(file, good);
    writeFileSync(configFile, CONFIG.replace('mode: "trusted-proxy"', 'mode: "token"'));
    const badConfig = await post("/v1/reload", {});
    expect(badConfig.statusCode).toBe(422);
    expect(badConfig.json().error).toContain("config_mode_not_trusted_proxy");
    expect((await post("/v1/decision", proxied)).json().allow).toBe(true);
    writeFileSync(configFile, CONFIG);
    expect((await post("/v1/reload", {})).statusCode).toBe(200);
    expect((await app.inject({ url: "/health" })).json().status).toBe("ok");
  });

  it("no request fails while reloads happen", async () => {
    const reloads = Array.from({ length: 5 }, () => post("/v1/reload", {}));
    const decisions = Array.from({ length: 200 }, () => post("/v1/decision", proxied));
    const results = await Promise.all([...reloads, ...decisions]);
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
  });
});

describe("decision service, when evaluation fails", () => {
  it("answers 500 with allow false and logs the failure with its decision id, never the body", async () => {
    const logs: string[] = [];
    const engine = {
      decide: () => { throw new Error("wasm trap: unreachable"); },
      explain: () => { throw new Error("wasm trap: unreachable"); },
      policy: { revision: "r1" }, memoryBytes: () => 0, warnings: [],
    };
    const holder = { engine, lastReload: undefined, cacheStats: () => ({ hits: 0, misses: 0, size: 0, capacity: 0 }) } as unknown as EngineHolder;
    const logger = pino({ redact: { paths: REDACT, censor: "[redacted]" } }, new Writable({ write(chunk, _e, cb) { logs.push(chunk.toString()); cb(); } }));
    const app = await buildApp({ holder, logger });
    try {
      const r = await app.inject({ method: "POST", url: "/v1/decision", payload: JSON.stringify({ remoteAddress: "127.0.0.1", password: "hunter2-presented" }), headers: { "content-type": "application/json" } });
      expect(r.statusCode).toBe(500);
      const body = r.json();
      expect(body).toMatchObject({ allow: false, error: "internal_error" });
      const record = logs.map((l) => JSON.parse(l)).find((l) => l.msg === "request failed");
      expect(record).toMatchObject({ level: 50, decision_id: body.decision_id });
      expect(record.err.message).toContain("wasm trap");
      expect(logs.join("")).not.toContain("hunter2-presented");
      const m = (await app.inject({ url: "/metrics" })).body;
      expect(m).toMatch(/^tpe_decision_errors_total 1$/m);
    } finally {
      await app.close();
    }
  });
});
