// Shutdown within a deadline, in-process: what is cut off and what is merely closed.
import net from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.js";
import { EngineHolder } from "../../src/server/holder.js";
import { shutdown } from "../../src/server/shutdown.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-shutdown-"));
const configFile = path.join(dir, "gateway.json5");
writeFileSync(configFile, `{ gateway: { trustedProxies: ["10.0.0.1"], auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user" } } } }`);

async function listening() {
  const holder = await EngineHolder.create({ configFile, policy: "policy", env: {} });
  const app = await buildApp({ holder });
  let hung = 0;
  app.get("/hang", () => { hung++; return new Promise(() => {}); }); // a request that is never answered
  await app.listen({ host: "127.0.0.1", port: 0 });
  const port = (app.server.address() as net.AddressInfo).port;
  const socket = (text: string) => {
    const s = net.connect(port, "127.0.0.1", () => s.write(text));
    s.on("error", () => {});
    return s;
  };
  return { app, socket, hung: () => hung };
}

const settle = () => new Promise((r) => setTimeout(r, 100));

describe("shutdown", () => {
  it("is clean and immediate with nothing open", async () => {
    const { app } = await listening();
    const r = await shutdown(app, app.connections, 5000);
    expect(r).toMatchObject({ forcedConnections: 0, cutOffRequests: 0 });
    expect(r.ms).toBeLessThan(500);
  });

  it("closes slow uploads and half-sent headers at the deadline without calling them cut off", async () => {
    const { app, socket } = await listening();
    socket("GET /health HTTP/1.1\r\nHost: x\r\n"); // headers never finished
    socket("POST /v1/decision HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"); // body never finished
    await settle();
    const r = await shutdown(app, app.connections, 300);
    expect(r).toMatchObject({ forcedConnections: 2, cutOffRequests: 0 });
    expect(r.ms).toBeGreaterThanOrEqual(290);
    expect(r.ms).toBeLessThan(800);
  });

  it("counts a request received in full but unanswered at the deadline as cut off", async () => {
    const { app, socket, hung } = await listening();
    socket("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n");
    await settle();
    expect(hung()).toBe(1);
    const r = await shutdown(app, app.connections, 300);
    expect(r).toMatchObject({ forcedConnections: 1, cutOffRequests: 1 });
    expect(r.ms).toBeLessThan(800);
  });
});
