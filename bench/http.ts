// autocannon against POST /v1/decision and against a Fastify hello-world route with the same body;
// servers and the load generator are separate processes.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import net from "node:net";
import autocannon from "autocannon";
import { machine } from "./stats.js";

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

export function startService(port: number, config = "examples/gateway.json5"): Promise<ChildProcess> {
  return startProcess(["dist/src/cli/main.js", "serve", "--config", config, "--port", String(port), "--log-level", "warn", "--no-watch"], port);
}

export interface LoadResult { rps: number; p50: number; p99: number; non2xx: number; errors: number; timeouts: number; requests: number; serverCpuUsPerRequest?: number }

/** CPU seconds (user + system) a process has used, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

export async function load(url: string, opts: { connections: number; pipelining: number; duration: number; body?: string }): Promise<LoadResult> {
  const r = await autocannon({
    url, method: "POST", body: opts.body ?? BODY, headers: { "content-type": "application/json" },
    connections: opts.connections, pipelining: opts.pipelining, duration: opts.duration,
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, requests: r.requests.total };
}

export async function benchHttp(opts: { duration?: number; rounds?: number } = {}): Promise<Record<string, unknown>> {
  const duration = opts.duration ?? 10;
  const rounds = opts.rounds ?? 3;
  const [sp, hp] = [await freePort(), await freePort()];
  const service = await startService(sp);
  const hello = await startProcess(["bench/hello-server.mjs", String(hp)], hp);
  const rows: Record<string, unknown>[] = [];
  try {
    for (const pipelining of [1, 10]) {
      for (let round = 0; round < rounds; round++) {
        // paired: the two targets back to back, alternating which goes first
        const order = round % 2 === 0 ? ["decision", "hello"] : ["hello", "decision"];
        const res: Record<string, LoadResult> = {};
        for (const which of order) {
          const url = which === "decision" ? `http://127.0.0.1:${sp}/v1/decision` : `http://127.0.0.1:${hp}/hello`;
          const pid = (which === "decision" ? service : hello).pid!;
          const cpu0 = cpuSeconds(pid);
          const r = await load(url, { connections: 10, pipelining, duration });
          res[which] = { ...r, serverCpuUsPerRequest: ((cpuSeconds(pid) - cpu0) * 1e6) / r.requests };
        }
        rows.push({ pipelining, round, decision: res.decision, hello: res.hello, ratio: res.decision!.rps / res.hello!.rps });
      }
    }
  } finally {
    service.kill("SIGTERM");
    hello.kill("SIGTERM");
  }
  const summary = [1, 10].map((p) => {
    const rs = rows.filter((r) => r.pipelining === p);
    const med = (f: (r: Record<string, unknown>) => number) => rs.map(f).sort((a, b) => a - b)[Math.floor(rs.length / 2)]!;
    return {
      pipelining: p,
      decision_rps: med((r) => (r.decision as LoadResult).rps), hello_rps: med((r) => (r.hello as LoadResult).rps),
      ratio: med((r) => r.ratio as number), decision_p50_ms: med((r) => (r.decision as LoadResult).p50), decision_p99_ms: med((r) => (r.decision as LoadResult).p99),
      non2xx: rs.reduce((n, r) => n + (r.decision as LoadResult).non2xx, 0),
      decision_cpu_us: med((r) => (r.decision as LoadResult).serverCpuUsPerRequest!), hello_cpu_us: med((r) => (r.hello as LoadResult).serverCpuUsPerRequest!),
    };
  });
  return { machine: machine(), duration, rounds, summary, rows, body: JSON.parse(BODY), version: JSON.parse(readFileSync("package.json", "utf8")).version };
}
