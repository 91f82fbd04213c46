// Load with policy reloads during the run (issue 4): every response must be a 2xx.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, load, startProcess } from "./http.js";
import { machine } from "./stats.js";

export async function benchReload(opts: { duration?: number; reloads?: number } = {}): Promise<Record<string, unknown>> {
  const duration = opts.duration ?? 20;
  const reloads = opts.reloads ?? 20;
  const dir = mkdtempSync(path.join(os.tmpdir(), "tpe-reload-"));
  cpSync("policy", path.join(dir, "policy"), { recursive: true });
  const port = await freePort();
  const service = await startProcess(["dist/src/cli/main.js", "serve", "--config", "examples/gateway.json5", "--policy", path.join(dir, "policy"), "--port", String(port), "--log-level", "warn", "--no-watch"], port);
  const file = path.join(dir, "policy", "trusted_proxy.rego");
  const original = readFileSync(file, "utf8");
  const reloadResults: { status: number; ms: number }[] = [];
  try {
    const running = load(`http://127.0.0.1:${port}/v1/decision`, { connections: 10, pipelining: 1, duration });
    for (let i = 0; i < reloads; i++) {
      await new Promise((r) => setTimeout(r, (duration * 1000 * 0.9) / reloads));
      writeFileSync(file, `${original}\n# reload ${i}\n`); // a new revision each time
      const t0 = performance.now();
      const r = await fetch(`http://127.0.0.1:${port}/v1/reload`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      reloadResults.push({ status: r.status, ms: performance.now() - t0 });
      await r.arrayBuffer();
    }
    const result = await running;
    return { machine: machine(), duration, reloads: reloadResults, load: result, ok: result.non2xx === 0 && result.errors === 0 && result.timeouts === 0 && reloadResults.every((r) => r.status === 200) };
  } finally {
    service.kill("SIGTERM");
  }
}
