// End to end with real parts: nginx in front (auth_request to an oauth2-proxy stand-in, identity
// header set with proxy_set_header, upstream connections bound to 127.0.0.2), the example gateway
// (HTTP + WebSocket), and the decision service, each its own process.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, start, waitForPort, type Proc } from "./procs.js";

const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));

function get(port: number, urlPath: string, opts: { headers?: Record<string, string>; localAddress?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path: urlPath, headers: opts.headers, localAddress: opts.localAddress, agent: false }, (res) => {
      let body = "";
      res.on("data", (d) => { body += d; });
      res.on("end", () => resolve({ status: res.statusCode!, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function ws(port: number, urlPath: string, opts: { headers?: Record<string, string>; localAddress?: string } = {}): Promise<{ message?: string; close?: number; reason?: string; status?: number }> {
  return new Promise((resolve) => {
    const s = new WebSocket(`ws://127.0.0.1:${port}${urlPath}`, { headers: opts.headers, localAddress: opts.localAddress });
    s.once("message", (m) => { resolve({ message: m.toString() }); s.close(); });
    s.once("close", (code, reason) => resolve({ close: code, reason: reason.toString() }));
    s.once("unexpected-response", (_req, res) => resolve({ status: res.statusCode }));
    s.once("error", () => resolve({}));
  });
}

describe.runIf(NGINX)("end to end behind nginx", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-e2e-"));
  let servicePort = 0, gatewayPort = 0, nginxPort = 0;
  let service: Proc, gateway: Proc, nginx: Proc;
  let auth: http.Server;

  beforeAll(async () => {
    [servicePort, gatewayPort, nginxPort] = [await freePort(), await freePort(), await freePort()];
    // oauth2-proxy's role: a session cookie in, X-Auth-Request-Email out (202), or 401.
    auth = http.createServer((req, res) => {
      const user = /session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
      if (!user) { res.writeHead(401).end(); return; }
      res.writeHead(202, { "X-Auth-Request-Email": decodeURIComponent(user) }).end();
    });
    await new Promise<void>((r) => auth.listen(0, "127.0.0.1", () => r()));
    const authPort = (auth.address() as { port: number }).port;

    writeFileSync(path.join(dir, "gateway.json5"), `{
      gateway: {
        bind: "loopback",
        trustedProxies: ["127.0.0.2"],
        auth: { mode: "trusted-proxy", trustedProxy: {
          userHeader: "X-Auth-Request-Email", requiredHeaders: ["x-forwarded-proto"],
          allowUsers: ["nick@example.com", "agent@internal"], allowLoopback: true, loopbackUser: "agent@internal" } },
      },
    }`);
    mkdirSync(path.join(dir, "nginx"), { recursive: true });
    writeFileSync(path.join(dir, "nginx.conf"), `
worker_processes 1;
daemon off;
pid ${dir}/nginx/nginx.pid;
error_log ${dir}/nginx/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/nginx/body;
  proxy_temp_path ${dir}/nginx/proxy;
  fastcgi_temp_path ${dir}/nginx/fastcgi;
  uwsgi_temp_path ${dir}/nginx/uwsgi;
  scgi_temp_path ${dir}/nginx/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  server {
    listen 127.0.0.1:${nginxPort};
    location = /oauth2/auth {
      internal;
      proxy_pass http://127.0.0.1:${authPort};
      proxy_pass_request_body off;
      proxy_set_header Content-Length "";
    }
    location / {
      auth_request /oauth2/auth;
      auth_request_set $email $upstream_http_x_auth_request_email;
      proxy_set_header X-Auth-Request-Email $email;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header Host $host;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_bind 127.0.0.2;
      proxy_pass http://127.0.0.1:${gatewayPort};
    }
  }
}`);
    service = start(process.execPath, ["dist/src/cli/main.js", "serve", "--config", path.join(dir, "gateway.json5"), "--port", String(servicePort), "--no-watch", "--log-level", "warn"]);
    gateway = start(process.execPath, ["examples/gateway/server.mjs", "--port", String(gatewayPort), "--decision-url", `http://127.0.0.1:${servicePort}`, "--timeout-ms", "500"]);
    nginx = start(NGINX!, ["-c", path.join(dir, "nginx.conf"), "-p", path.join(dir, "nginx"), "-e", path.join(dir, "nginx", "error.log")]);
    await Promise.all([waitForPort(servicePort, service), waitForPort(gatewayPort, gateway), waitForPort(nginxPort, nginx)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([nginx?.stop("SIGQUIT"), gateway?.stop(), service?.stop()]);
    await new Promise((r) => auth?.close(r));
  });

  const session = (user: string) => ({ Cookie: `session=${encodeURIComponent(user)}` });

  it("lets a user through nginx in as that user (HTTP)", async () => {
    const r = await get(nginxPort, "/whoami", { headers: session("nick@example.com") });
    expect(r.status, r.body).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ user: "nick@example.com", method: "trusted-proxy" });
  });

  it("lets a user through nginx in as that user (WebSocket)", async () => {
    const r = await ws(nginxPort, "/ws", { headers: session("nick@example.com") });
    expect(JSON.parse(r.message!)).toEqual({ user: "nick@example.com", method: "trusted-proxy" });
  });

  it("does not let a client spoof the identity header through nginx", async () => {
    const r = await get(nginxPort, "/whoami", { headers: { ...session("nick@example.com"), "X-Auth-Request-Email": "agent@internal" } });
    expect(JSON.parse(r.body).user).toBe("nick@example.com");
    const noSession = await get(nginxPort, "/whoami", { headers: { "X-Auth-Request-Email": "nick@example.com" } });
    expect(noSession.status).toBe(401);
    const unlisted = await get(nginxPort, "/whoami", { headers: session("eve@example.com") });
    expect(unlisted.status).toBe(401);
    expect(JSON.parse(unlisted.body).reason).toBe("trusted_proxy_user_not_allowed");
  });

  it("denies a same-host process on 127.0.0.3 that sends identity headers directly", async () => {
    const r = await get(gatewayPort, "/whoami", { localAddress: "127.0.0.3", headers: { "X-Auth-Request-Email": "nick@example.com", "X-Forwarded-Proto": "https" } });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).reason).toBe("trusted_proxy_untrusted_source");
    const w = await ws(gatewayPort, "/ws", { localAddress: "127.0.0.3", headers: { "X-Auth-Request-Email": "nick@example.com" } });
    expect(w.close).toBe(1008);
    expect(w.reason).toBe("trusted_proxy_untrusted_source");
  });

  it("gives an internal caller on 127.0.0.1 without headers the loopbackUser", async () => {
    const r = await get(gatewayPort, "/whoami", { localAddress: "127.0.0.1" });
    expect(JSON.parse(r.body)).toMatchObject({ user: "agent@internal", method: "loopback-user" });
    const w = await ws(gatewayPort, "/ws", { localAddress: "127.0.0.1" });
    expect(JSON.parse(w.message!)).toEqual({ user: "agent@internal", method: "loopback-user" });
  });

  it("denies everything when the decision service is down (fails closed)", async () => {
    expect(await service.stop()).toBe(0);
    const r = await get(nginxPort, "/whoami", { headers: session("nick@example.com") });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).reason).toBe("decision_service_unavailable");
    const w = await ws(gatewayPort, "/ws", { localAddress: "127.0.0.1" });
    expect(w.close).toBe(1008);
  });
});

describe.skipIf(NGINX)("end to end behind nginx", () => {
  it("needs Debian's nginx (.ci/run installs it)", () => {
    expect.fail("nginx is not installed: run `apt-get install -y nginx-light` (.ci/run does this in CI)");
  });
});
