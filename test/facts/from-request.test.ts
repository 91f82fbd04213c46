// Facts from real Node requests: raw bytes on a socket into a real http.Server (with and without
// an `upgrade` listener), so `transport` and `headers` are what Node itself hands a gateway.
import type { IncomingMessage } from "node:http";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEngineSync } from "../../src/engine/engine.js";
import { parseFacts } from "../../src/facts/facts.js";
import { factsFromRequest } from "../../src/facts/from-request.js";
import * as api from "../../src/index.js";
import * as client from "../../src/client/client.js";

/** Sends `head` (request line + headers) and resolves with the request as the server received it. */
function serverWith(upgradeListener: boolean) {
  let next: ((r: { req: IncomingMessage; via: "request" | "upgrade" }) => void) | undefined;
  const server = http.createServer((req, res) => { next?.({ req, via: "request" }); res.end(); });
  if (upgradeListener) server.on("upgrade", (req, socket) => { next?.({ req, via: "upgrade" }); socket.destroy(); });
  return {
    listen: () => new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r())),
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
    send(head: string): Promise<{ req: IncomingMessage; via: "request" | "upgrade" }> {
      return new Promise((resolve, reject) => {
        next = resolve;
        const s = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1", () => s.write(`${head}\r\n\r\n`));
        s.on("error", reject);
        s.resume();
      });
    },
  };
}

const WS_HEAD = "Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13";

describe("factsFromRequest on real Node requests", () => {
  const gw = serverWith(true);
  const plain = serverWith(false);
  beforeAll(async () => { await gw.listen(); await plain.listen(); });
  afterAll(async () => { await gw.close(); await plain.close(); });

  it("marks a real WebSocket upgrade (upgrade event, GET, Upgrade: websocket, Connection: upgrade) as ws", async () => {
    const r = await gw.send(`GET /ws HTTP/1.1\r\nHost: gw\r\nConnection: Upgrade\r\n${WS_HEAD}`);
    expect(r.via).toBe("upgrade");
    expect(factsFromRequest(r.req).transport).toBe("ws");
    const listed = await gw.send(`GET /ws HTTP/1.1\r\nHost: gw\r\nConnection: keep-alive, Upgrade\r\nUpgrade: WebSocket`);
    expect(factsFromRequest(listed.req).transport).toBe("ws");
  });

  it.each([
    ["Upgrade: websocket without Connection: upgrade", "GET /whoami HTTP/1.1\r\nHost: gw\r\nUpgrade: websocket"],
    ["Upgrade: websocket with Connection: close", "GET /whoami HTTP/1.1\r\nHost: gw\r\nConnection: close\r\nUpgrade: websocket"],
  ])("a plain request carrying %s is http", async (_name, head) => {
    const r = await gw.send(head);
    expect(r.via).toBe("request");
    expect(factsFromRequest(r.req).transport).toBe("http");
  });

  it.each([
    ["a POST", `POST /ws HTTP/1.1\r\nHost: gw\r\nContent-Length: 0\r\nConnection: upgrade\r\n${WS_HEAD}`],
    ["an upgrade to another protocol", "GET /ws HTTP/1.1\r\nHost: gw\r\nConnection: upgrade\r\nUpgrade: h2c"],
    ["two Upgrade headers", `GET /ws HTTP/1.1\r\nHost: gw\r\nConnection: upgrade\r\nUpgrade: h2c\r\n${WS_HEAD}`],
  ])("an upgrade that is not a WebSocket handshake (%s) is http", async (_name, head) => {
    const r = await gw.send(head);
    expect(r.via).toBe("upgrade");
    expect(factsFromRequest(r.req).transport).toBe("http");
  });

  it("is http when the server has no upgrade listener (Node answers the request as HTTP)", async () => {
    const r = await plain.send(`GET /ws HTTP/1.1\r\nHost: gw\r\nConnection: Upgrade\r\n${WS_HEAD}`);
    expect(r.via).toBe("request");
    expect(factsFromRequest(r.req).transport).toBe("http");
  });

  it("passes the headers as data: names lower-cased, every value kept, __proto__ and constructor are headers", async () => {
    const r = await gw.send("GET / HTTP/1.1\r\nHost: gw\r\n__proto__: p\r\nconstructor: c\r\nX-Auth-Request-Email: nick@example.com\r\nx-auth-request-email: eve@example.com\r\nX-Forwarded-For: 203.0.113.1");
    const facts = factsFromRequest(r.req);
    const headers = facts.headers as Record<string, string[]>;
    expect(Object.getPrototypeOf(headers)).toBeNull();
    expect(Object.keys(headers)).toEqual(["host", "__proto__", "constructor", "x-auth-request-email", "x-forwarded-for"]);
    expect(headers["__proto__"]).toEqual(["p"]);
    expect(headers.constructor).toEqual(["c"]);
    expect(headers["x-auth-request-email"]).toEqual(["nick@example.com", "eve@example.com"]);
    expect(headers.tostring).toBeUndefined(); // nothing inherited
    // as JSON (what the client sends) the __proto__ header is an ordinary member
    expect(JSON.parse(JSON.stringify(facts)).headers).toEqual(JSON.parse('{"host":["gw"],"__proto__":["p"],"constructor":["c"],"x-auth-request-email":["nick@example.com","eve@example.com"],"x-forwarded-for":["203.0.113.1"]}'));
    expect(facts.remoteAddress).toBe("127.0.0.1");
    expect(parseFacts(facts)).toBe(facts); // strict facts of section 3
  });

  it("copies only the known extras (the transport and peer always come from the request)", async () => {
    const r = await gw.send("GET / HTTP/1.1\r\nHost: gw");
    const extras = { surface: "control-ui", password: "pw", rateLimited: true, transport: "ws", remoteAddress: "10.0.0.5" } as never;
    const facts = factsFromRequest(r.req, extras);
    expect({ ...facts, headers: undefined }).toEqual({ transport: "http", remoteAddress: "127.0.0.1", headers: undefined, surface: "control-ui", password: "pw", rateLimited: true });
    expect(Object.keys(factsFromRequest(r.req, null))).toEqual(["transport", "remoteAddress", "headers"]);
  });

  it("decides a plain request carrying Upgrade: websocket as HTTP, and a real upgrade as a WebSocket", async () => {
    // The Control UI WebSocket needs an allowed Origin (spec 5, step 0); HTTP without Origin does not.
    const engine = createEngineSync({ env: {}, config: { gateway: { trustedProxies: ["127.0.0.1"], auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-user", allowLoopback: true } } } } });
    const plainReq = await gw.send("GET /control-ui HTTP/1.1\r\nHost: gw\r\nX-User: nick\r\nUpgrade: websocket");
    expect(engine.decide(factsFromRequest(plainReq.req, { surface: "control-ui" }))).toMatchObject({ allow: true, user: "nick" });
    const wsReq = await gw.send(`GET /control-ui HTTP/1.1\r\nHost: gw\r\nX-User: nick\r\nConnection: upgrade\r\n${WS_HEAD}`);
    expect(engine.decide(factsFromRequest(wsReq.req, { surface: "control-ui" }))).toMatchObject({ allow: false, reason: "control_ui_origin_not_allowed" });
  });
});

describe("factsFromRequest on request-like objects", () => {
  it("never throws: no socket is a null peer (never trusted), no headers are none", () => {
    expect(factsFromRequest({ method: "GET" } as IncomingMessage)).toEqual({ transport: "http", remoteAddress: null, headers: {} });
  });

  it("reads `headers` when there are no rawHeaders, keeping only strings", () => {
    const req = { method: "GET", upgrade: true, socket: { remoteAddress: "::1" }, headers: { Upgrade: "websocket", connection: ["Upgrade"], "x-n": 1 } } as unknown as IncomingMessage;
    const facts = factsFromRequest(req);
    expect(facts).toMatchObject({ transport: "ws", remoteAddress: "::1" });
    expect({ ...facts.headers }).toEqual({ upgrade: ["websocket"], connection: ["Upgrade"] });
  });

  it("is the one the client and the package export", () => {
    expect(client.factsFromRequest).toBe(factsFromRequest);
    expect(api.factsFromRequest).toBe(factsFromRequest);
  });
});
