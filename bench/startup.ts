// Service start-up: from spawning `tpe serve` to the first decision answered.
import { spawn } from "node:child_process";
import { BODY, freePort } from "./http.js";
import { machine, median } from "./stats.js";

async function once(): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, ["dist/src/cli/main.js", "serve", "--config", "examples/gateway.json5", "--port", String(port), "--log-level", "warn", "--no-watch"], { stdio: "ignore" });
  try {
    for (;;) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/v1/decision`, { method: "POST", headers: { "content-type": "application/json" }, body: BODY });
        if (r.status === 200) { await r.json(); return performance.now() - t0; }
      } catch { /* not listening yet */ }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill("SIGTERM");
  }
}

export async function benchStartup(opts: { runs?: number } = {}): Promise<Record<string, unknown>> {
  const times: number[] = [];
  for (let i = 0; i < (opts.runs ?? 5); i++) times.push(await once());
  return { machine: machine(), runs: times.length, firstDecisionMs: { median: median(times), all: times.map((t) => Math.round(t)) } };
}
