// Random and malformed bodies against a running service: no 5xx, no crash, bounded memory.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { Agent, request } from "undici";
import { freePort, startService } from "./http.js";
import { machine } from "./stats.js";

function rss(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) * 1024;
}

const bodies = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 300 }),
  fc.record({ remoteAddress: fc.oneof(fc.string(), fc.constant("10.0.0.1")), headers: fc.dictionary(fc.string({ maxLength: 30 }), fc.jsonValue(), { maxKeys: 40 }), transport: fc.constantFrom("http", "ws", "x") }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 2000 }).map((s) => `{"headers":{"x":${JSON.stringify(s)}}`), // truncated JSON
);

export async function benchFuzz(opts: { requests?: number } = {}): Promise<Record<string, unknown>> {
  const total = opts.requests ?? 50_000;
  const port = await freePort();
  const service = await startService(port);
  const agent = new Agent({ connections: 8 });
  const samples = fc.sample(bodies, { numRuns: total, seed: 42 });
  const statuses = new Map<number, number>();
  let crashed = false;
  const send = async (body: string) => {
    const r = await request(`http://127.0.0.1:${port}/v1/decision`, { method: "POST", body, headers: { "content-type": "application/json" }, dispatcher: agent });
    await r.body.dump();
    statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
  };
  try {
    const warm = Math.min(5000, total / 10);
    for (let i = 0; i < warm; i += 8) await Promise.all(samples.slice(i, i + 8).map(send));
    // RSS moves with the GC's phase: sample it as the run goes and compare the first and last thirds.
    const rssSamples: number[] = [];
    for (let i = warm; i < total; i += 8) {
      await Promise.all(samples.slice(i, i + 8).map(send));
      if ((i - warm) % 2000 < 8) rssSamples.push(rss(service.pid!));
    }
    const third = Math.max(1, Math.floor(rssSamples.length / 3));
    const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const start = med(rssSamples.slice(0, third)), end = med(rssSamples.slice(-third));
    crashed = service.exitCode !== null;
    const fivexx = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    return { machine: machine(), requests: total, statuses: Object.fromEntries(statuses), fivexx, crashed, rss: { start, end, growth: (end - start) / start, samplesMB: rssSamples.map((x) => Math.round(x / 1e6)) }, ok: fivexx === 0 && !crashed };
  } finally {
    await agent.close();
    service.kill("SIGTERM");
  }
}
