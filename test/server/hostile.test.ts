// Slow and hostile clients against a real listening service (`tpe serve` as a process, with short
// timeouts set by flags): bad bodies on every route, odd addresses and header tricks in facts,
// prototype names as header names, slowloris and idle sockets, the connection limit, and SIGTERM
// under load. Never a 5xx, never a crash, never an allow the spec would not give.
import http from "node:http";
import net from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serve } from "../../src/server/serve.js";
import { freePort, start, waitForPort, type Proc } from "../e2e/procs.js";

const CONFIG = `{ gateway: { bind: "loopback", trustedProxies: ["10.0.0.1"], auth: { mode: "trusted-proxy",
  trustedProxy: { userHeader: "x-forwarded-user", requiredHeaders: ["x-forwarded-proto"], allowUsers: ["nick@example.com"] } } } }`;
const GOOD = { "x-forwarded-user": "nick@example.com", "x-forwarded-proto": "https" };

const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-hostile-"));
const configFile = path.join(dir, "gateway.json5");
writeFileSync(configFile, CONFIG);

/** `tpe serve` with short timeouts: headers 1 s, request 2 s, keep-alive 1 s. */
async function startService(extra: string[] = []): Promise<{ proc: Proc; port: number }> {
  const port = await freePort();
  const proc = start(process.execPath, ["dist/src/cli/main.js", "serve", "--config", configFile, "--port", String(port), "--no-watch", "--log-level", "warn",
    "--headers-timeout", "1s", "--request-timeout", "2s", "--keep-alive-timeout", "1s", ...extra]);
  await waitForPort(port, proc);
  return { proc, port };
}

interface RawResult { status?: number; body: string; error?: string; ms: number }

/** Writes `chunks` on a fresh connection (`gapMs` apart) and reads until the server closes it. */
function raw(port: number, chunks: (string | Buffer)[], gapMs = 0, timeoutMs = 8000): Promise<RawResult> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const s = net.connect(port, "127.0.0.1");
    const data: Buffer[] = [];
    let error: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    const send = (i: number) => {
      if (i >= chunks.length || s.destroyed) return;
      s.write(chunks[i]!);
      timer = setTimeout(() => send(i + 1), gapMs);
    };
    s.once("connect", () => send(0));
    s.on("data", (d) => data.push(d));
    s.on("error", (e: NodeJS.ErrnoException) => { error = e.code ?? e.message; });
    const guard = setTimeout(() => { error = "CLIENT_TIMEOUT"; s.destroy(); }, timeoutMs);
    s.on("close", () => {
      clearTimeout(timer);
      clearTimeout(guard);
      const text = Buffer.concat(data).toString("utf8");
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : undefined, body: text.slice(text.indexOf("\r\n\r\n") + 4), error, ms: Date.now() - t0 });
    });
  });
}

function request(method: string, url: string, body: string | Buffer = "", contentType = "application/json"): (string | Buffer)[] {
  const b = typeof body === "string" ? Buffer.from(body) : body;
  const head = `${method} ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\n${b.length || method === "POST" ? `Content-Type: ${contentType}\r\nContent-Length: ${b.length}\r\n` : ""}Connection: close\r\n\r\n`;
  return [Buffer.concat([Buffer.from(head), b])];
}

/** POST through node:http on a fresh connection: status and parsed JSON body. */
function post(port: number, url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: url, method: "POST", agent: false,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) } }, (res) => {
      let out = "";
      res.setEncoding("utf8");
      res.on("data", (d) => { out += d; });
      res.on("end", () => resolve({ status: res.statusCode!, json: JSON.parse(out) }));
    });
    req.on("error", reject);
    req.end(text);
  });
}

const POST_ROUTES = ["/v1/decision", "/v1/data/trusted_proxy/decision", "/v1/explain", "/v1/audit", "/v1/reload"];
const deep = (n: number, open: string, close: string, leaf = "") => open.repeat(n) + leaf + close.repeat(n);

describe("tpe serve against hostile clients", () => {
  let svc: { proc: Proc; port: number };
  beforeAll(async () => { svc = await startService(["--max-connections", "20"]); });
  afterAll(async () => { await svc.proc.stop(); });

  it.each([
    ["not JSON", "{nope", "application/json", 400, /body: not valid JSON/],
    ["truncated JSON", '{"headers":{"x-forwarded-user":', "application/json", 400, /body: not valid JSON/],
    ["an empty body", "", "application/json", 400, /body: empty/],
    ["a wrong content type", "<facts/>", "application/xml", 415, /content-type "application\/xml" is not supported: send the body as application\/json/],
    ["a body over the limit", JSON.stringify({ headers: { big: "x".repeat(70 * 1024) } }), "application/json", 413, /body: too large: over the service's limit of 65536 bytes \(tpe serve --body-limit\)/],
    ["arrays nested 10,000 deep", deep(10_000, "[", "]"), "application/json", 400, /nested deeper than 32 levels/],
    ["objects nested 10,000 deep", deep(10_000, '{"a":', "}", "1"), "application/json", 400, /nested deeper than 32 levels/],
    ["a config nested 10,000 deep", `{"config":${deep(10_000, "[", "]")}}`, "application/json", 400, /nested deeper than 32 levels/],
    ["a header value nested 10,000 deep", `{"remoteAddress":"10.0.0.1","headers":{"x-forwarded-user":${deep(10_000, "[", "]")}}}`, "application/json", 400, /nested deeper than 32 levels/],
  ])("answers %s with a 4xx naming the problem on every route", async (_what, body, contentType, status, message) => {
    for (const route of POST_ROUTES) {
      const r = await raw(svc.port, request("POST", route, body, contentType));
      expect(r.status, `${route}: ${r.body}`).toBe(status);
      expect(JSON.parse(r.body).message, route).toMatch(message);
    }
  });

  it("answers JSON that is not an object per route: 400 naming what is expected (a reload takes no body)", async () => {
    for (const body of ["null", "5", '"facts"', "[]", "true"]) {
      for (const route of ["/v1/decision", "/v1/explain"]) expect((await post(svc.port, route, body)).json.message).toBe("body: expected object");
      expect((await post(svc.port, "/v1/data/trusted_proxy/decision", body)).json.message).toBe('body: expected {"input": <request facts>}');
      const a = await post(svc.port, "/v1/audit", body);
      expect(a.status).toBe(400);
      expect(a.json.message).toMatch(/^body: .*expected object/);
    }
    expect((await post(svc.port, "/v1/reload", "null")).status).toBe(200);
  });

  it("answers odd URLs, methods and request lines with a 4xx, and the GET routes with a 200", async () => {
    for (const [method, url, status] of [
      ["GET", "/health", 200], ["GET", "/v1/policy", 200], ["GET", "/metrics", 200], ["GET", "/docs/json", 200],
      ["GET", "/health?x=%zz&y[]=1&__proto__[a]=1", 200], ["GET", "/v1/decision", 404], ["DELETE", "/v1/decision", 404],
      ["GET", "/v1/%zz", 400], ["GET", "/__proto__", 404], ["GET", `/${"a".repeat(8000)}`, 404],
    ] as const) {
      const r = await raw(svc.port, request(method, url));
      expect(r.status, `${method} ${url}: ${r.body}`).toBe(status);
    }
    // not HTTP at all, and headers over Node's 16 KiB: JSON 4xx from the connection level
    const garbage = await raw(svc.port, ["\x16\x03\x01\x00\xa5garbage\r\n\r\n"]);
    expect(garbage.status).toBe(400);
    expect(JSON.parse(garbage.body).message).toBe("not a valid HTTP/1.1 request");
    const big = await raw(svc.port, [`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`]);
    expect(big.status).toBe(431);
  });

  it("counts facts headers against the documented limit: 400 naming it", async () => {
    const headers = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`h${i}`, "v"]));
    expect(await post(svc.port, "/v1/decision", { remoteAddress: "10.0.0.1", headers })).toMatchObject({ status: 400, json: { message: "body.headers: at most 200 headers" } });
    expect(await post(svc.port, "/v1/data/trusted_proxy/decision", { input: { headers } })).toMatchObject({ status: 400, json: { message: "input.headers: at most 200 headers" } });
    const ok = Object.fromEntries(Object.entries(headers).slice(0, 198));
    expect((await post(svc.port, "/v1/decision", { remoteAddress: "10.0.0.1", headers: { ...ok, ...GOOD } })).json).toMatchObject({ allow: true, user: "nick@example.com" });
  });

  const decide = async (facts: unknown) => {
    const r = await post(svc.port, "/v1/decision", facts);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json as { allow: boolean; reason: string | null; user: string | null };
  };

  it.each([
    // the proxy, as Node may report it (spec 3: IPv4-mapped IPv6 in any spelling becomes IPv4)
    ["10.0.0.1", true], ["::ffff:10.0.0.1", true], ["::FFFF:10.0.0.1", true], ["::ffff:a00:1", true], ["0:0:0:0:0:ffff:10.0.0.1", true],
    // strict grammar: no leading zeros, short or hex forms, ports, brackets, CIDR, spaces, NUL
    ["010.0.0.1", false], ["10.0.0.01", false], ["10.1", false], ["0xa.0.0.1", false], ["167772161", false], ["10.0.0.1:80", false],
    ["[10.0.0.1]", false], ["[::ffff:10.0.0.1]", false], ["10.0.0.1/32", false], ["10.0.0.1.", false], [" 10.0.0.1", false],
    ["10.0.0.1\u0000", false], ["\uff11\uff10.0.0.1", false], ["10.0.0.1\ud800", false], ["", false], [null, false], ["1".repeat(20_000), false],
  ].map(([a, allow]) => [typeof a === "string" && a.length > 50 ? `${a.slice(0, 10)}… (${a.length} characters)` : JSON.stringify(a), allow, a] as const))(
  "decides the peer address %s as the spec does (allow: %s)", async (_label, allow, remoteAddress) => {
    const d = await decide({ remoteAddress, headers: GOOD });
    expect(d.allow).toBe(allow);
    if (!allow) expect(d.reason).toBe("trusted_proxy_untrusted_source");
  });

  it.each([
    ["the user header in another case", { "X-Forwarded-User": "nick@example.com", "x-forwarded-proto": "https" }, "allow"],
    ["the user header padded", { "x-forwarded-user": "  nick@example.com\t", "x-forwarded-proto": "https" }, "allow"],
    ["an array value (its first element counts)", { "x-forwarded-user": ["nick@example.com", "eve"], "x-forwarded-proto": "https" }, "allow"],
    ["an array value led by another user", { "x-forwarded-user": ["eve", "nick@example.com"], "x-forwarded-proto": "https" }, "trusted_proxy_user_not_allowed"],
    ["the user in another case", { "x-forwarded-user": "Nick@example.com", "x-forwarded-proto": "https" }, "trusted_proxy_user_not_allowed"],
    ["a user with a NUL byte", { "x-forwarded-user": "nick@example.com\u0000", "x-forwarded-proto": "https" }, "trusted_proxy_user_not_allowed"],
    ["a user with a lone surrogate", { "x-forwarded-user": "nick@example.com\udc00", "x-forwarded-proto": "https" }, "trusted_proxy_user_not_allowed"],
    ["a user header name with a NUL byte", { "x-forwarded-user\u0000": "nick@example.com", "x-forwarded-proto": "https" }, "trusted_proxy_user_missing"],
    ["a user header name with a long s", { "x-forwarded-u\u017fer": "nick@example.com", "x-forwarded-proto": "https" }, "trusted_proxy_user_missing"],
    ["an empty array", { "x-forwarded-user": [], "x-forwarded-proto": "https" }, "trusted_proxy_user_missing"],
    ["an object value", { "x-forwarded-user": { toString: "nick@example.com" }, "x-forwarded-proto": "https" }, "trusted_proxy_user_missing"],
    ["a number value", { "x-forwarded-user": 7, "x-forwarded-proto": "https" }, "trusted_proxy_user_missing"],
    ["a blank required header", { "x-forwarded-user": "nick@example.com", "x-forwarded-proto": " " }, "trusted_proxy_missing_header_x-forwarded-proto"],
  ])("decides facts with %s as the spec does", async (_what, headers, expected) => {
    const d = await decide({ remoteAddress: "10.0.0.1", headers });
    if (expected === "allow") expect(d).toMatchObject({ allow: true, user: "nick@example.com" });
    else expect(d).toMatchObject({ allow: false, reason: expected, user: null });
  });

  it("takes header names such as __proto__ and constructor as data, on every decision route", async () => {
    // the issue's case: decided as data (no peer: untrusted), not a 400 or a 500
    const body = '{"headers":{"__proto__":"x","x-forwarded-user":"a"}}';
    expect(await decide(body)).toMatchObject({ allow: false, reason: "trusted_proxy_untrusted_source" });
    expect((await post(svc.port, "/v1/explain", body)).json).toMatchObject({ decision: { allow: false, reason: "trusted_proxy_untrusted_source" } });
    expect((await post(svc.port, "/v1/data/trusted_proxy/decision", `{"input":${body}}`)).json).toMatchObject({ result: { allow: false, reason: "trusted_proxy_untrusted_source" } });
    // prototype names next to real headers change nothing
    const names = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "__defineGetter__", "__lookupGetter__"];
    const mixed = `{"remoteAddress":"10.0.0.1","headers":{${names.map((n) => `"${n}":"x"`).join(",")},"x-forwarded-user":"nick@example.com","x-forwarded-proto":"https"}}`;
    expect(await decide(mixed)).toMatchObject({ allow: true, user: "nick@example.com" });
    // and give nothing: headers hidden behind __proto__ or constructor are not headers
    expect(await decide(`{"remoteAddress":"10.0.0.1","headers":{"__proto__":${JSON.stringify(GOOD)}}}`)).toMatchObject({ allow: false, reason: "trusted_proxy_missing_header_x-forwarded-proto" });
    expect(await decide(`{"remoteAddress":"10.0.0.1","headers":{"constructor":{"prototype":${JSON.stringify(GOOD)}}}}`)).toMatchObject({ allow: false, reason: "trusted_proxy_missing_header_x-forwarded-proto" });
    // a __proto__ field of the facts themselves is an unknown field, named
    const r = await post(svc.port, "/v1/decision", `{"__proto__":{"remoteAddress":"10.0.0.1"},"headers":${JSON.stringify(GOOD)}}`);
    expect(r).toMatchObject({ status: 400, json: { message: "body: unknown field __proto__" } });
    // the audit takes them as data too
    const a = await post(svc.port, "/v1/audit", '{"config":{"__proto__":{"gateway":{"bind":"lan"}},"gateway":{"constructor":{"prototype":{"x":1}}}},"env":{"__proto__":"x"}}');
    expect(a.status, JSON.stringify(a.json)).toBeLessThan(500);
    // nothing was polluted: facts with no headers are still missing them
    expect(await decide({ remoteAddress: "10.0.0.1", headers: {} })).toMatchObject({ allow: false, reason: "trusted_proxy_missing_header_x-forwarded-proto" });
    expect(await decide({ headers: GOOD })).toMatchObject({ allow: false, reason: "trusted_proxy_untrusted_source" });
  });

  it("answers bodies with NUL bytes, lone surrogates and invalid UTF-8 without a 5xx", async () => {
    const bodies: (string | Buffer)[] = [
      '{"remoteAddress":"10.0.0.1\\u0000","headers":{"x-forwarded-user":"nick@example.com"}}',
      '{"remoteAddress":"\\ud800","headers":{"\\udfff":"\\ud800","x-forwarded-proto":"\\u0000"}}',
      '{"headers":{"x-forwarded-user":"nick@example.com"},"password":"\\ud800\\u0000"}',
      Buffer.concat([Buffer.from('{"remoteAddress":"10.0.0.1","headers":{"x-forwarded-user":"nick@example.com'), Buffer.from([0xff, 0xfe, 0xc0]), Buffer.from('","x-forwarded-proto":"https"}}')]),
      Buffer.from([0x7b, 0x00, 0x7d]),
    ];
    for (const route of ["/v1/decision", "/v1/data/trusted_proxy/decision", "/v1/explain", "/v1/audit"]) {
      for (const b of bodies) {
        const r = await raw(svc.port, request("POST", route, b));
        expect(r.status, `${route}: ${r.body}`).toBeLessThan(500);
        if (r.status === 200 && route !== "/v1/audit") expect(r.body).not.toMatch(/"allow":true/);
      }
    }
  });

  it("never lets slow or idle clients hold a connection past their timeout, and keeps answering meanwhile", async () => {
    const head = "POST /v1/decision HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    const body = JSON.stringify({ remoteAddress: "10.0.0.1", headers: GOOD });
    const clients = Promise.all([
      // slowloris: the headers a byte at a time, 4 bytes a second, forever (60 s of bytes)
      raw(svc.port, Array.from({ length: 240 }, (_, i) => (i === 0 ? head : "X")), 250),
      // a whole request but the body a byte at a time
      raw(svc.port, [`${head}Content-Length: ${body.length}\r\n\r\n`, ...body], 250),
      // a connection that sends nothing
      raw(svc.port, []),
      // an idle keep-alive connection after one request
      raw(svc.port, [`${head}Content-Length: ${body.length}\r\n\r\n${body}`]),
    ]);
    // the service keeps deciding while they hang on
    for (let i = 0; i < 5; i++) {
      expect((await decide({ remoteAddress: "10.0.0.1", headers: GOOD })).allow).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
    }
    const [slowHeaders, slowBody, silent, idle] = await clients;
    // 408 at the headers timeout (1 s, checked every 250 ms), naming the flags
    expect(slowHeaders.status).toBe(408);
    expect(JSON.parse(slowHeaders.body).message).toMatch(/headers within 1000 ms \(tpe serve --headers-timeout\)/);
    expect(slowHeaders.ms).toBeLessThan(3500); // (the client had 60 s of bytes to send; bounds leave room for a loaded machine)
    // 408 at the request timeout (2 s)
    expect(slowBody.status).toBe(408);
    expect(slowBody.ms).toBeGreaterThanOrEqual(1900);
    expect(slowBody.ms).toBeLessThan(4500);
    // closed after the headers timeout, without a word
    expect(silent.status).toBeUndefined();
    expect(silent.ms).toBeGreaterThanOrEqual(900);
    expect(silent.ms).toBeLessThan(3500);
    // answered, then closed at the keep-alive timeout (1 s advertised; Node gives 1 s of grace)
    expect(idle.status).toBe(200);
    expect(idle.body).toBeTruthy();
    expect(idle.ms).toBeGreaterThanOrEqual(900);
    expect(idle.ms).toBeLessThan(4000);
  });

  it("closes connections over --max-connections on arrival and recovers when they go", async () => {
    const open: net.Socket[] = [];
    // 20 slow clients (a header byte every 100 ms) fill the limit
    for (let i = 0; i < 20; i++) {
      const s = net.connect(svc.port, "127.0.0.1");
      s.on("error", () => {});
      await new Promise((r) => s.once("connect", r));
      s.write("GET /health HTTP/1.1\r\n");
      const t = setInterval(() => { if (!s.destroyed) s.write("X"); }, 100);
      s.once("close", () => clearInterval(t));
      open.push(s);
    }
    await new Promise((r) => setTimeout(r, 100));
    const over = await Promise.all(Array.from({ length: 5 }, () => raw(svc.port, request("GET", "/health"))));
    for (const r of over) {
      expect(r.status, r.body).toBeUndefined(); // closed, never answered (least of all with a 5xx)
      expect(r.ms).toBeLessThan(1500);
    }
    for (const s of open) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await raw(svc.port, request("GET", "/health"))).status).toBe(200);
    const metrics = (await raw(svc.port, request("GET", "/metrics"))).body;
    expect(Number(/^tpe_connections_dropped_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(5);
  });

  it("refuses timeout and limit flags it cannot honour, naming the flag", async () => {
    await Promise.all(([
      [["--shutdown-timeout", "soon"], "--shutdown-timeout must be a duration of at least 1 ms, in milliseconds or with a unit: 500ms, 10s (got soon)"],
      [["--headers-timeout", "20s", "--request-timeout", "10s"], "--headers-timeout (20000 ms) must not be longer than --request-timeout (10000 ms)"],
      [["--max-connections", "0"], "--max-connections must be a whole number of connections, at least 1 (got 0)"],
    ] as const).map(async ([flags, message]) => { // (every flag's checks: limits.test.ts)
      const p = start(process.execPath, ["dist/src/cli/main.js", "serve", "--config", configFile, "--port", "0", ...flags]);
      expect(await p.wait()).toBe(1);
      expect(p.output()).toContain(message);
    }));
  });
});

describe("tpe serve on SIGTERM", () => {
  it("under load: every request is answered 200 or its connection refused, and it exits 0 within the deadline despite slow and idle sockets", async () => {
    const { proc, port } = await startService(["--shutdown-timeout", "2s", "--headers-timeout", "5s", "--request-timeout", "10s", "--keep-alive-timeout", "30s"]);
    const body = JSON.stringify({ remoteAddress: "10.0.0.1", headers: GOOD });
    // sockets a shutdown must not wait for: a slowloris, a silent one, an idle keep-alive one
    const lingering = [
      raw(port, Array.from({ length: 200 }, (_, i) => (i === 0 ? "GET /health HTTP/1.1\r\n" : "X")), 100, 20_000),
      raw(port, [], 0, 20_000),
      raw(port, [`GET /health HTTP/1.1\r\nHost: x\r\n\r\n`], 0, 20_000),
    ];
    const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 4 });
    const results: (number | string)[] = [];
    let stopped = false;
    const once = (agent: http.Agent | false) => new Promise<number | string>((resolve) => {
      const req = http.request({ host: "127.0.0.1", port, path: "/v1/decision", method: "POST", agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode!));
      });
      req.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      req.end(body);
    });
    // 8 workers in a loop (fresh connections and keep-alive ones) until the service is gone
    const workers = Array.from({ length: 8 }, async (_, i) => {
      while (!stopped) {
        const r = await once(i % 2 ? keepAlive : false);
        results.push(r);
        if (typeof r === "string") { stopped = true; break; }
      }
    });
    await new Promise((r) => setTimeout(r, 500));
    const before = results.length;
    const t0 = Date.now();
    proc.child.kill("SIGTERM");
    const code = await proc.wait();
    const exitMs = Date.now() - t0;
    stopped = true;
    await Promise.all(workers);
    keepAlive.destroy();
    await Promise.all(lingering);
    expect(before).toBeGreaterThan(10);
    for (const r of results) expect([200, "ECONNREFUSED", "ECONNRESET", "EPIPE"], String(r)).toContain(r);
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(4000); // the 2 s deadline, plus process exit (on a loaded machine)
    expect(exitMs).toBeGreaterThanOrEqual(1900); // the slowloris was waited for, up to the deadline
    expect(proc.output()).toContain("SIGTERM: finishing in-flight requests, then exiting (at most 2000 ms)");
    expect(proc.output()).toMatch(/shutdown deadline: closed [1-9]\d* connection\(s\) still open/);
    expect(proc.output()).not.toContain("cut off");
  });

  it("exits 0 at once when nothing is open (and honours --body-limit)", async () => {
    const { proc, port } = await startService(["--shutdown-timeout", "5s", "--body-limit", "100"]);
    expect((await raw(port, request("GET", "/health"))).status).toBe(200);
    const big = await raw(port, request("POST", "/v1/decision", JSON.stringify({ remoteAddress: "10.0.0.1", headers: { ...GOOD, pad: "x".repeat(60) } })));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).message).toBe("body: too large: over the service's limit of 100 bytes (tpe serve --body-limit)");
    const t0 = Date.now();
    proc.child.kill("SIGINT");
    expect(await proc.wait()).toBe(0);
    expect(Date.now() - t0).toBeLessThan(2000); // not the 5 s deadline
    expect(proc.output()).not.toContain("shutdown deadline");
  });
});

describe("tpe serve on a second signal", () => {
  it("exits 1 at once instead of waiting for the deadline", async () => {
    const { proc, port } = await startService(["--shutdown-timeout", "20s"]);
    const slow = raw(port, Array.from({ length: 100 }, (_, i) => (i === 0 ? "GET /health HTTP/1.1\r\n" : "X")), 100, 20_000);
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    proc.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 200));
    proc.child.kill("SIGINT");
    expect(await proc.wait()).toBe(1);
    expect(Date.now() - t0).toBeLessThan(3000); // not the 20 s deadline
    expect(proc.output()).toContain("SIGINT again: exiting without waiting");
    await slow;
  });
});

describe("the service in-process", () => {
  it("keeps prototypes untouched whatever keys request bodies carry", async () => {
    const port = await freePort();
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const { close, url } = await serve({ config: configFile, policy: "policy", host: "127.0.0.1", port, watch: false, logLevel: "silent" });
    try {
      expect(url).toContain(String(port));
      const payloads = [
        `{"remoteAddress":"10.0.0.1","headers":{"__proto__":{"polluted":"yes","x-forwarded-user":"nick@example.com"}}}`,
        `{"remoteAddress":"10.0.0.1","headers":{"constructor":{"prototype":{"polluted":"yes"}}}}`,
        `{"input":{"headers":{"__proto__":{"polluted":"yes"}}},"__proto__":{"polluted":"yes"}}`,
        `{"config":{"__proto__":{"polluted":"yes"},"gateway":{"__proto__":{"polluted":"yes"}}},"env":{"__proto__":{"polluted":"yes"}}}`,
      ];
      for (const route of POST_ROUTES) for (const p of payloads) expect((await post(port, route, p)).status).toBeLessThan(500);
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((await post(port, "/v1/decision", { remoteAddress: "10.0.0.1", headers: { "x-forwarded-proto": "https" } })).json).toMatchObject({ allow: false, reason: "trusted_proxy_user_missing" });
    } finally {
      const r = await close();
      expect(r).toMatchObject({ forcedConnections: 0, cutOffRequests: 0 });
    }
  });
});
