// The gateway client against a fake decision service (node:http on 127.0.0.1:0) that answers what
// each test says, and against the real service. Only an exact decision answer passes; everything
// else is a deny with reason decision_service_unavailable and an error.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createDecisionClient, type ClientDecision, type DecisionClient } from "../../src/client/client.js";
import { DecisionAnswer } from "../../src/decision/document.js";
import { buildApp } from "../../src/server/app.js";
import { EngineHolder } from "../../src/server/holder.js";

// ---- the fake service -----------------------------------------------------------------------------

type Answer = { status?: number; headers?: OutgoingHttpHeaders; body?: string | Buffer };
type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const JSON_TYPE = { "content-type": "application/json" };
const send = (a: Answer): Handler => (_req, res) => { res.writeHead(a.status ?? 200, a.headers ?? JSON_TYPE); res.end(a.body ?? ""); };

let handler: Handler = send({ status: 500 });
const seen: { method?: string; url?: string; body: string }[] = [];
let server: Server;
let base: string;
let client: DecisionClient;

const listen = (s: Server) => new Promise<string>((resolve) => s.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => { body += c; });
    req.on("end", () => { seen.push({ method: req.method, url: req.url, body }); handler(req, res); });
  });
  base = await listen(server);
  client = createDecisionClient({ url: base, timeoutMs: 2000 });
});
afterAll(async () => { await client.close(); server.closeAllConnections(); await new Promise((r) => server.close(r)); });

const FACTS = { remoteAddress: "10.0.0.1", headers: { "x-forwarded-user": "nick@example.com" } };

/** The client's decision when the service answers `a`. */
async function decisionFor(a: Answer | Handler, c: DecisionClient = client): Promise<ClientDecision> {
  handler = typeof a === "function" ? a : send(a);
  return c.decide(FACTS);
}

const expectUnavailable = (d: ClientDecision, error: RegExp | string) => {
  expect(d).toMatchObject({ allow: false, reason: "decision_service_unavailable", user: null, method: null, scopes: [] });
  expect(Object.keys(d).sort()).toEqual(["allow", "error", "method", "reason", "scopes", "user"]);
  expect(d.error).toMatch(error);
};

// ---- the decision document, as spec section 6 says it (written here independently of src) ------

const ALLOW_PROXY = { allow: true, reason: null, user: "nick@example.com", method: "trusted-proxy", scopes: ["operator.admin", "operator.read"], decision_id: "d-1", revision: "r-1" };
const ALLOW_LOOPBACK = { ...ALLOW_PROXY, user: "agent@internal", method: "loopback-user" };
const ALLOW_PASSWORD = { ...ALLOW_PROXY, user: null, method: "password", scopes: ["operator.write"] };
const DENY = { allow: false, reason: "trusted_proxy_untrusted_source", user: null, method: null, scopes: [], decision_id: "d-2", revision: "r-1" };
const GOOD = { ALLOW_PROXY, ALLOW_LOOPBACK, ALLOW_PASSWORD, DENY };
const FIELDS = ["allow", "reason", "user", "method", "scopes", "decision_id", "revision"];

const isString = (x: unknown): x is string => typeof x === "string";
const nonEmpty = (x: unknown) => isString(x) && x !== "";

/** Whether a parsed body is a decision answer: exactly the fields, each as the spec says. */
function isAnswer(x: unknown): boolean {
  if (typeof x !== "object" || x === null || Array.isArray(x)) return false;
  const d = x as Record<string, unknown>;
  if (Object.keys(d).sort().join() !== [...FIELDS].sort().join()) return false;
  if (!nonEmpty(d.decision_id) || !nonEmpty(d.revision) || !Array.isArray(d.scopes) || !d.scopes.every(isString)) return false;
  if (d.allow === true) {
    if (d.reason !== null) return false;
    if (d.method === "trusted-proxy" || d.method === "loopback-user") return nonEmpty(d.user);
    return d.method === "password" && d.user === null;
  }
  return d.allow === false && nonEmpty(d.reason) && d.user === null && d.method === null && d.scopes.length === 0;
}

/** The client passes an answer through exactly, and turns anything else into a deny. */
async function expectJudged(doc: unknown) {
  const d = await decisionFor({ body: JSON.stringify(doc) });
  if (isAnswer(doc)) expect(d).toEqual(doc);
  else expectUnavailable(d, /^decision service: the answer is not a decision: /);
}

// Values of every JSON type, including ones some field takes.
const VALUES: unknown[] = [null, true, false, 0, 123, -1.5, "", " ", "x", "root", "trusted-proxy", "loopback-user", "password",
  "nick@example.com", "trusted_proxy_untrusted_source", [], [""], ["operator.admin"], [1], [null], [[]], {}, { user: "x" }];

describe("gateway client: the answer", () => {
  it("passes a well-formed allow or deny through exactly", async () => {
    for (const doc of Object.values(GOOD)) {
      const d = await decisionFor({ body: JSON.stringify(doc) });
      expect(d).toEqual(doc);
      expect(Object.keys(d)).toEqual(Object.keys(doc));
    }
    expect(await decisionFor({ body: JSON.stringify(ALLOW_PROXY), headers: { "content-type": "application/json; charset=utf-8" } })).toEqual(ALLOW_PROXY);
    expect(await decisionFor({ body: JSON.stringify(DENY), headers: { "content-type": "Application/JSON;charset=\"UTF-8\"" } })).toEqual(DENY);
    expect(await decisionFor({ body: ` \n${JSON.stringify(DENY, null, 2)}\n` })).toEqual(DENY);
    // what the client sent
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/v1/decision" });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual(FACTS);
  });

  it("denies the malformed answers the issue names", async () => {
    const bad = [
      { allow: true, scopes: [] },
      { ...ALLOW_PROXY, user: 123 },
      { ...ALLOW_PROXY, method: "root" },
      { ...ALLOW_PROXY, reason: "trusted_proxy_untrusted_source" },
      { ...ALLOW_PROXY, user: "" },
      { ...ALLOW_PASSWORD, user: "nick@example.com" },
      { ...DENY, user: "nick@example.com" },
      { ...DENY, scopes: ["operator.admin"] },
    ];
    for (const doc of bad) {
      expect(isAnswer(doc)).toBe(false);
      expectUnavailable(await decisionFor({ body: JSON.stringify(doc) }), /^decision service: the answer is not a decision: /);
    }
    const d = await decisionFor({ body: JSON.stringify({ ...ALLOW_PROXY, method: "root" }) });
    expect(d.error).toContain('method: expected "trusted-proxy", "loopback-user", "password"');
    expect((await decisionFor({ body: JSON.stringify({ ...ALLOW_PROXY, user: 123 }) })).error).toMatch(/user: .*expected string, received number/);
    expect((await decisionFor({ body: JSON.stringify({ ...DENY, admin: true }) })).error).toMatch(/Unrecognized key: "admin"/);
  });

  it("for each shape and each field: a missing field, a value of every type, an extra field", async () => {
    let passed = 0, denied = 0;
    for (const good of Object.values(GOOD)) {
      for (const field of FIELDS) {
        const { [field]: _, ...missing } = good as Record<string, unknown>;
        const variants: unknown[] = [missing, ...VALUES.map((v) => ({ ...good, [field]: v }))];
        for (const doc of variants) {
          await expectJudged(doc);
          if (isAnswer(doc)) passed++; else denied++;
        }
      }
      for (const extra of ["error", "admin", "Allow", "allow ", "__proto__", ""]) await expectJudged({ ...good, [extra]: true });
      await expectJudged(JSON.parse(`{${JSON.stringify(good).slice(1, -1)},"__proto__":{"allow":true}}`));
    }
    // both outcomes occur: the generated variants include valid answers (e.g. another user) too
    expect(passed).toBeGreaterThan(10);
    expect(denied).toBeGreaterThan(300);
  });

  it("any combination of field values: exactly the consistent ones pass", async () => {
    const field = (values: unknown[]) => fc.option(fc.constantFrom(...values), { nil: undefined, freq: 8 });
    const doc = fc.record({
      allow: field([true, false, "true", 1, null]),
      reason: field([null, "trusted_proxy_user_missing", "", 0]),
      user: field([null, "nick@example.com", "", 123, ["nick"]]),
      method: field([null, "trusted-proxy", "loopback-user", "password", "root", "Password", 1]),
      scopes: field([[], ["operator.read"], [1], "operator.read", null]),
      decision_id: field(["d-9", "", 9, null]),
      revision: field(["r-9", "", null]),
    }, { requiredKeys: [] }).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
    const withExtra = fc.tuple(doc, fc.option(fc.constantFrom("extra", "error", "allowed"), { nil: undefined })).map(([d, k]) => (k ? { ...d, [k]: 1 } : d));
    await fc.assert(fc.asyncProperty(withExtra, (d) => expectJudged(d)), { numRuns: 400 });
  });

  it("denies a body that is not one JSON document without duplicate keys", async () => {
    const good = JSON.stringify(ALLOW_PROXY);
    const bodies: [string | Buffer, RegExp][] = [
      ["", /not JSON/],
      ["nope", /not JSON/],
      [good.slice(0, -1), /not JSON/],
      [`${good} x`, /not JSON/],
      [`${good}${good}`, /not JSON/],
      [`\ufeff${good}`, /not JSON/],
      [good.replace(":null", ":NaN"), /not JSON/],
      [good.replaceAll('"', "'"), /not JSON/],
      [`/* ok */${good}`, /not JSON/],
      [Buffer.concat([Buffer.from(good.slice(0, 20)), Buffer.from([0xff, 0xfe]), Buffer.from(good.slice(20))]), /encoded data was not valid|utf-8/i],
      // duplicate keys: JSON.parse would keep the last, an allow
      [`{${JSON.stringify(DENY).slice(1, -1)},"allow":true,"reason":null}`, /duplicate key "allow"/],
      [`{${good.slice(1, -1)},"user":"admin"}`, /duplicate key "user"/],
      [`{${good.slice(1, -1)},"u\\u0073er":"admin"}`, /duplicate key "user"/],
    ];
    for (const [body, error] of bodies) expectUnavailable(await decisionFor({ body }), error);
  });

  it("denies other content types", async () => {
    const body = JSON.stringify(ALLOW_PROXY);
    for (const headers of [{}, { "content-type": "text/plain" }, { "content-type": "text/json" }, { "content-type": "application/problem+json" },
      { "content-type": "application/jsonp" }, { "content-type": "application/json; charset=iso-8859-1" }, { "content-type": "application/json, text/html" },
      { "content-type": ["application/json", "application/json"] }]) {
      expectUnavailable(await decisionFor({ headers, body }), /content type|content-type|charset/);
    }
  });

  it("denies any status but 200, and follows no redirect", async () => {
    for (const status of [201, 203, 204, 400, 401, 403, 404, 500, 502, 503]) {
      const d = await decisionFor({ status, body: status === 204 ? undefined : JSON.stringify(ALLOW_PROXY) });
      expectUnavailable(d, new RegExp(`^decision service answered ${status}`));
    }
    // a redirect to a URL that would answer an allow
    const other = createServer((_req, res) => { res.writeHead(200, JSON_TYPE); res.end(JSON.stringify(ALLOW_PROXY)); });
    const otherBase = await listen(other);
    try {
      for (const status of [301, 302, 303, 307, 308]) {
        const d = await decisionFor({ status, headers: { location: `${otherBase}/v1/decision` } });
        expectUnavailable(d, `decision service answered ${status} (a redirect to ${otherBase}/v1/decision, not followed)`);
      }
    } finally { other.close(); }
  });

  it("denies a body over the bound, and takes one under it", async () => {
    const big = { ...ALLOW_PROXY, scopes: Array.from({ length: 20_000 }, (_, i) => `operator.scope${i}`) }; // ~400 KB
    expectUnavailable(await decisionFor({ body: JSON.stringify(big) }), `the answer is larger than ${256 * 1024} bytes`);
    const small = createDecisionClient({ url: base, maxAnswerBytes: 300 });
    try {
      const fits = JSON.stringify(DENY);
      expect(fits.length).toBeLessThan(300);
      expect(await decisionFor({ body: fits }, small)).toEqual(DENY);
      expectUnavailable(await decisionFor({ body: fits + " ".repeat(300) }, small), "the answer is larger than 300 bytes");
      // sent in chunks without a content-length
      expectUnavailable(await decisionFor((_req, res) => { res.writeHead(200, JSON_TYPE); res.write(fits); res.write(" ".repeat(200)); res.end(" ".repeat(200)); }, small), "larger than 300 bytes");
    } finally { await small.close(); }
  });

  it("denies on a timeout, before the headers or in the body", async () => {
    const quick = createDecisionClient({ url: base, timeoutMs: 150 });
    try {
      const t0 = Date.now();
      expectUnavailable(await decisionFor(() => { /* never answers */ }, quick), "decision service: no answer within 150 ms");
      expectUnavailable(await decisionFor((_req, res) => { res.writeHead(200, JSON_TYPE); res.write(JSON.stringify(ALLOW_PROXY).slice(0, 30)); }, quick), /no answer within 150 ms|timeout/i);
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally { await quick.close(); server.closeAllConnections(); }
  });

  it("denies on a connection error", async () => {
    expectUnavailable(await decisionFor((req) => req.socket.destroy()), /^decision service: /);
    const closed = createServer();
    const url = await listen(closed);
    await new Promise((r) => closed.close(r));
    const c = createDecisionClient({ url });
    try { expectUnavailable(await c.decide(FACTS), /ECONNREFUSED|connect/); } finally { await c.close(); }
  });

  it("denies, never throws, when the facts cannot be sent", async () => {
    handler = send({ body: JSON.stringify(ALLOW_PROXY) });
    expectUnavailable(await client.decide({ big: 1n }), /BigInt/);
    // A request without a socket is sent with remoteAddress null (factsFromRequest never throws;
    // test/facts/from-request.test.ts), which the service denies as an untrusted source.
  });
});

describe("gateway client: the service URL", () => {
  it.each([
    ["/authz", "/authz/v1/decision"],
    ["/authz/", "/authz/v1/decision"],
    ["/a/b//", "/a/b/v1/decision"],
    ["", "/v1/decision"],
    ["/", "/v1/decision"],
  ])("keeps the base path %j: POST %s", async (prefix, expected) => {
    const c = createDecisionClient({ url: `${base}${prefix}` });
    try {
      handler = (req, res) => { res.writeHead(req.url === expected ? 200 : 404, JSON_TYPE); res.end(JSON.stringify(DENY)); };
      expect(await c.decide(FACTS)).toEqual(DENY);
      expect(seen.at(-1)!.url).toBe(expected);
    } finally { await c.close(); }
  });

  it("refuses a URL that is not an http(s) base, naming it", () => {
    expect(() => createDecisionClient({ url: "127.0.0.1:8181" })).toThrow('decision client: url "127.0.0.1:8181" is not an absolute URL (e.g. http://127.0.0.1:8181)');
    expect(() => createDecisionClient({ url: "ftp://127.0.0.1:8181" })).toThrow('decision client: url "ftp://127.0.0.1:8181" must be http: or https:');
    expect(() => createDecisionClient({ url: "not a url" })).toThrow('decision client: url "not a url" is not an absolute URL');
    expect(() => createDecisionClient({ url: `${base}/authz?x=1` })).toThrow(/must have no query or fragment/);
  });

  it.each([["timeoutMs", Number.NaN], ["timeoutMs", 0], ["maxAnswerBytes", -1], ["connections", 1.5]])("refuses %s: %s, naming it", (name, value) => {
    expect(() => createDecisionClient({ url: base, [name]: value })).toThrow(`decision client: ${name} must be a whole number ≥ 1, got ${value}`);
  });
});

describe("gateway client and the real service", () => {
  const CONFIG = `{ gateway: { bind: "loopback", trustedProxies: ["10.0.0.1"], auth: { mode: "trusted-proxy", password: "s3cret-local-pw",
    trustedProxy: { userHeader: "x-auth-user", requiredHeaders: ["x-forwarded-proto"], allowLoopback: true, loopbackUser: "agent@internal", allowUsers: ["nick@example.com", "ann", "agent@internal"] } } } }`;
  // a direct-local caller (no x-forwarded-* header) that is not the loopback user (it sends a user
  // header) but has the password
  const PASSWORD_CALLER = { remoteAddress: "127.0.0.1", transport: "http", surface: "api", rateLimited: false, password: "s3cret-local-pw", headers: { "x-auth-user": "eve" } };
  const LOOPBACK_CALLER = { remoteAddress: "127.0.0.1", transport: "http", surface: "api", rateLimited: false, headers: {} };
  let app: FastifyInstance;
  let real: DecisionClient;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-client-"));
    writeFileSync(path.join(dir, "gateway.json5"), CONFIG);
    const holder = await EngineHolder.create({ configFile: path.join(dir, "gateway.json5"), policy: "policy", env: {} });
    app = await buildApp({ holder });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    real = createDecisionClient({ url });
  });
  afterAll(async () => { await real?.close(); await app?.close(); });

  it("takes the service's allow and deny as they are", async () => {
    const allow = await real.decide({ remoteAddress: "10.0.0.1", headers: { "x-auth-user": "nick@example.com", "x-forwarded-proto": "https" } });
    expect(allow).toMatchObject({ allow: true, reason: null, user: "nick@example.com", method: "trusted-proxy" });
    expect(allow.decision_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(allow.revision).toMatch(/\S/);
    expect(await real.decide(PASSWORD_CALLER)).toMatchObject({ allow: true, reason: null, user: null, method: "password" });
    const deny = await real.decide({ remoteAddress: "10.9.9.9", headers: {} });
    expect(deny).toMatchObject({ allow: false, reason: "trusted_proxy_untrusted_source", user: null, method: null, scopes: [] });
  });

  it("the OpenAPI document describes the answer with the client's schema", async () => {
    const doc = (await app.inject({ url: "/docs/json" })).json();
    const schema = doc.paths["/v1/decision"].post.responses["200"].content["application/json"].schema;
    expect(schema).toEqual(z.toJSONSchema(DecisionAnswer, { target: "openapi-3.0" }));
    expect(JSON.stringify(schema)).toContain('"additionalProperties":false');
  });

  it("every answer the service gives passes the client's check unchanged", async () => {
    const header = fc.constantFrom(undefined, "", " ", "nick@example.com", "ann", " ann ", "eve", "https", "a,b");
    const facts = fc.record({
      remoteAddress: fc.constantFrom("10.0.0.1", "127.0.0.1", "::1", "10.9.9.9", "not-an-ip"),
      transport: fc.constantFrom("http", "ws"),
      surface: fc.constantFrom("api", "control-ui", "plugin"),
      password: fc.constantFrom(undefined, "s3cret-local-pw", "wrong"),
      rateLimited: fc.boolean(),
      headers: fc.record({ "x-auth-user": header, "x-forwarded-proto": header, "x-forwarded-for": fc.constantFrom(undefined, "203.0.113.1"), origin: fc.constantFrom(undefined, "https://a.example", "null"), "x-openclaw-scopes": header }),
    }).map((f) => JSON.parse(JSON.stringify(f)) as Record<string, unknown>);
    const outcomes = new Set<string>();
    await fc.assert(fc.asyncProperty(facts, async (f) => {
      const direct = await app.inject({ method: "POST", url: "/v1/decision", payload: JSON.stringify(f), headers: { "content-type": "application/json" } });
      expect(direct.statusCode).toBe(200);
      const d = await real.decide(f);
      expect(d.reason).not.toBe("decision_service_unavailable");
      expect(d).toEqual({ ...direct.json(), decision_id: d.decision_id });
      outcomes.add(d.allow ? `allow ${d.method}` : "deny");
    }), { numRuns: 300, examples: [[PASSWORD_CALLER], [LOOPBACK_CALLER]] });
    expect([...outcomes].sort()).toEqual(["allow loopback-user", "allow password", "allow trusted-proxy", "deny"]);
  });
});
