// 1,000,000 decisions in-process and a long HTTP run: memory at start and end, and errors. Both
// make the policy evaluate: the in-process engine has its decision cache off, and every HTTP request
// names another user (so the service's cache misses and keeps evicting).
import { readFileSync } from "node:fs";
import { createEngineSync } from "../src/index.js";
import { scenarioMix } from "./decide.js";
import { BODY, freePort, load, startService } from "./http.js";
import { machine } from "./stats.js";

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** A body whose user is new for every request. */
const distinctBody = (n: number) => BODY.replace("nick@example.com", `user${n}@example.com`);

export async function benchSoak(opts: { decisions?: number; httpSeconds?: number } = {}): Promise<Record<string, unknown>> {
  const total = opts.decisions ?? 1_000_000;
  const { requests } = scenarioMix();
  const engine = createEngineSync({ config: { gateway: { bind: "lan", trustedProxies: ["10.0.0.1", "127.0.0.2"], auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user", allowLoopback: true, loopbackUser: "agent@internal" } }, controlUi: { allowedOrigins: ["https://control.example.com"] } } }, env: {}, decisionCache: 0 });
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
    // RSS moves with the GC's phase: sample it every 2 s and compare thirds of the run.
    const samples: { t: number; rss: number; wasm: number }[] = [];
    const seconds = opts.httpSeconds ?? 60;
    const running = load(`http://127.0.0.1:${port}/v1/decision`, { connections: 10, pipelining: 1, duration: seconds, bodyAt: distinctBody });
    const t0 = Date.now();
    while (Date.now() - t0 < seconds * 1000 - 1000) {
      await new Promise((r) => setTimeout(r, 2000));
      samples.push({ t: (Date.now() - t0) / 1000, rss: rssOf(service.pid!), wasm: await metrics() });
    }
    const r = await running;
    const third = Math.max(1, Math.floor(samples.length / 3));
    const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const first = med(samples.slice(0, third).map((x) => x.rss)), last = med(samples.slice(-third).map((x) => x.rss));
    // After warm-up (the first third): the lowest RSS of the middle and of the last third, each
    // the floor a collection leaves (a third spans several GC cycles), so the GC's phase at the
    // moment of sampling does not decide the comparison.
    const floorMid = Math.min(...samples.slice(third, 2 * third).map((x) => x.rss)), floorLast = Math.min(...samples.slice(-third).map((x) => x.rss));
    return {
      machine: machine(), inProcess,
      http: {
        seconds, distinctUsers: true, requests: r.requests, errors: r.errors + r.timeouts, non2xx: r.non2xx,
        rssFirstThirdMedian: first, rssLastThirdMedian: last, rssGrowth: (last - first) / first,
        rssFloorMiddleThird: floorMid, rssFloorLastThird: floorLast, rssFloorGrowthAfterWarmup: (floorLast - floorMid) / floorMid,
        wasmBytes: { min: Math.min(...samples.map((x) => x.wasm)), max: Math.max(...samples.map((x) => x.wasm)) },
        samples,
      },
    };
  } finally {
    service.kill("SIGTERM");
  }
}
