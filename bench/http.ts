// autocannon against POST /v1/decision and against a Fastify hello-world route with the same body;
// servers and the load generator are separate processes.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import autocannon from "autocannon";
import { machine, stealMeter } from "./stats.js";

export const BODY = JSON.stringify({
  transport: "http", remoteAddress: "::ffff:127.0.0.2",
  headers: { host: "gateway.example.com", "x-forwarded-for": "203.0.113.10", "x-forwarded-proto": "https", "x-auth-request-email": "nick@example.com" },
});

export async function freePort(): Promise<number> {
  return new Promise((resolve) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); }); });
}

export async function startProcess(args: string[], port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => { out += d; });
  child.stderr!.on("data", (d) => { out += d; });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const ok = await new Promise<boolean>((r) => { const s = net.connect({ port, host: "127.0.0.1" }, () => { s.end(); r(true); }); s.once("error", () => r(false)); });
    if (ok) return child;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function startService(port: number, config = "examples/gateway.json5", extra: string[] = []): Promise<ChildProcess> {
  return startProcess(["dist/src/cli/main.js", "serve", "--config", config, "--port", String(port), "--log-level", "warn", "--no-watch", ...extra], port);
}

export interface LoadResult { rps: number; p50: number; p99: number; non2xx: number; errors: number; timeouts: number; requests: number; serverCpuUsPerRequest?: number; stealPct?: number }

/** CPU seconds (user + system) a process has used, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

/** `bodyAt(n)`: the body of the n-th request (over all connections) instead of `body` every time. */
export async function load(url: string, opts: { connections: number; pipelining: number; duration: number; body?: string; bodyAt?: (n: number) => string }): Promise<LoadResult> {
  const headers = { "content-type": "application/json" };
  let n = 0;
  const r = await autocannon({
    url, method: "POST", body: opts.body ?? BODY, headers,
    ...(opts.bodyAt ? { requests: [{ method: "POST" as const, headers, setupRequest: (req: object) => ({ ...req, body: opts.bodyAt!(n++) }) }] } : {}),
    connections: opts.connections, pipelining: opts.pipelining, duration: opts.duration,
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, requests: r.requests.total };
}

/** The service with its decision cache (the same body every time: answered from the cache after
 *  the first request), the service with the cache off (the policy evaluates every request), and
 *  the hello-world reference. */
const TARGETS = ["decision", "decision_nocache", "hello"] as const;
type Target = (typeof TARGETS)[number];

export async function benchHttp(opts: { duration?: number; rounds?: number } = {}): Promise<Record<string, unknown>> {
  const duration = opts.duration ?? 10;
  const rounds = opts.rounds ?? 5;
  const ports = { decision: await freePort(), decision_nocache: await freePort(), hello: await freePort() };
  const procs: Record<Target, ChildProcess> = {
    decision: await startService(ports.decision),
    decision_nocache: await startService(ports.decision_nocache, undefined, ["--decision-cache", "0"]),
    hello: await startProcess(["bench/hello-server.mjs", String(ports.hello)], ports.hello),
  };
  const url = (t: Target) => `http://127.0.0.1:${ports[t]}${t === "hello" ? "/hello" : "/v1/decision"}`;
  const rows: Record<string, unknown>[] = [];
  try {
    for (const pipelining of [1, 10]) {
      for (let round = 0; round < rounds; round++) {
        // paired: the targets back to back, rotating which goes first
        const order = TARGETS.map((_, i) => TARGETS[(i + round) % TARGETS.length]!);
        const res = {} as Record<Target, LoadResult>;
        for (const t of order) {
          const pid = procs[t].pid!;
          const cpu0 = cpuSeconds(pid);
          const steal = stealMeter();
          const r = await load(url(t), { connections: 10, pipelining, duration });
          res[t] = { ...r, serverCpuUsPerRequest: ((cpuSeconds(pid) - cpu0) * 1e6) / r.requests, stealPct: steal() };
        }
        rows.push({ pipelining, round, ...res, ratio: res.decision.rps / res.hello.rps, ratio_nocache: res.decision_nocache.rps / res.hello.rps });
      }
    }
  } finally {
    for (const p of Object.values(procs)) p.kill("SIGTERM");
  }
  const summary = [1, 10].map((p) => {
    const rs = rows.filter((r) => r.pipelining === p);
    const med = (f: (r: Record<string, unknown>) => number) => rs.map(f).sort((a, b) => a - b)[Math.floor(rs.length / 2)]!;
    const of = (t: Target) => (r: Record<string, unknown>) => r[t] as LoadResult;
    const out: Record<string, number> = { pipelining: p, ratio: med((r) => r.ratio as number), ratio_nocache: med((r) => r.ratio_nocache as number) };
    // server CPU per request, hello-world ÷ service: the same ratio without the load generator's noise
    out.cpu_ratio = med((r) => of("hello")(r).serverCpuUsPerRequest! / of("decision")(r).serverCpuUsPerRequest!);
    out.cpu_ratio_nocache = med((r) => of("hello")(r).serverCpuUsPerRequest! / of("decision_nocache")(r).serverCpuUsPerRequest!);
    for (const t of TARGETS) {
      out[`${t}_rps`] = med((r) => of(t)(r).rps);
      out[`${t}_p50_ms`] = med((r) => of(t)(r).p50);
      out[`${t}_p99_ms`] = med((r) => of(t)(r).p99);
      out[`${t}_cpu_us`] = med((r) => of(t)(r).serverCpuUsPerRequest!);
      out[`${t}_steal_pct`] = med((r) => of(t)(r).stealPct!);
      out[`${t}_non2xx`] = rs.reduce((n, r) => n + of(t)(r).non2xx + of(t)(r).errors, 0);
    }
    return out;
  });
  return { machine: machine(), duration, rounds, summary, rows, body: JSON.parse(BODY), version: JSON.parse(readFileSync("package.json", "utf8")).version };
}
