// 1,000,000 decisions in-process and a long HTTP run: memory at start and end, and errors.
import { readFileSync } from "node:fs";
import { createEngineSync } from "../src/index.js";
import { scenarioMix } from "./decide.js";
import { freePort, load, startService } from "./http.js";
import { machine } from "./stats.js";

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
}

export async function benchSoak(opts: { decisions?: number; httpSeconds?: number } = {}): Promise<Record<string, unknown>> {
  const total = opts.decisions ?? 1_000_000;
  const { requests } = scenarioMix();
  const engine = createEngineSync({ config: { gateway: { bind: "lan", trustedProxies: ["10.0.0.1", "127.0.0.2"], auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user", allowLoopback: true, loopbackUser: "agent@internal" } }, controlUi: { allowedOrigins: ["https://control.example.com"] } } }, env: {} });
  let errors = 0;
  const warm = 50_000;
  for (let i = 0; i < warm; i++) engine.decide(requests[i % requests.length]);
  const start = { wasmBytes: engine.memoryBytes(), rss: process.memoryUsage().rss };
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    try { engine.decide(requests[i % requests.length]); } catch { errors++; }
  }
  const inProcess = { decisions: total, seconds: (performance.now() - t0) / 1000, errors, start, end: { wasmBytes: engine.memoryBytes(), rss: process.memoryUsage().rss } };

  const port = await freePort();
  const service = await startService(port);
  try {
    await load(`http://127.0.0.1:${port}/v1/decision`, { connections: 10, pipelining: 1, duration: 20 }); // warm-up
    const metrics = async () => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(/^tpe_wasm_memory_bytes (\d+)/m.exec(text)?.[1]);
    };
    const s = { wasmBytes: await metrics(), rss: rssOf(service.pid!) };
    const r = await load(`http://127.0.0.1:${port}/v1/decision`, { connections: 10, pipelining: 1, duration: opts.httpSeconds ?? 60 });
    const e = { wasmBytes: await metrics(), rss: rssOf(service.pid!) };
    return { machine: machine(), inProcess, http: { seconds: opts.httpSeconds ?? 60, requests: r.requests, errors: r.errors + r.timeouts, non2xx: r.non2xx, start: s, end: e } };
  } finally {
    service.kill("SIGTERM");
  }
}
