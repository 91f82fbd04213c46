// Runs cases one at a time in a worker thread with a per-case deadline: a case that hangs is
// counted as failed, and the worker is replaced.
import { Worker } from "node:worker_threads";
import type { CaseOutcome, ComplianceCase } from "./cases.js";

export async function runCases(cases: ComplianceCase[], timeoutMs: number, onOutcome?: (o: CaseOutcome) => void): Promise<CaseOutcome[]> {
  const url = new URL("./worker.js", import.meta.url);
  let worker = new Worker(url);
  const outcomes: CaseOutcome[] = [];
  try {
    for (const c of cases) {
      const started = performance.now();
      const outcome = await new Promise<CaseOutcome>((resolve) => {
        const timer = setTimeout(() => {
          cleanup();
          void worker.terminate();
          worker = new Worker(url);
          resolve({ id: c.id, category: c.category, passed: false, detail: `timeout after ${timeoutMs} ms`, ms: performance.now() - started });
        }, timeoutMs);
        const onMessage = (o: CaseOutcome) => { cleanup(); resolve(o); };
        const onError = (e: Error) => {
          cleanup();
          worker = new Worker(url);
          resolve({ id: c.id, category: c.category, passed: false, detail: `runner crashed: ${e.message}`, ms: performance.now() - started });
        };
        const cleanup = () => { clearTimeout(timer); worker.off("message", onMessage); worker.off("error", onError); };
        worker.on("message", onMessage);
        worker.on("error", onError);
        worker.postMessage(c);
      });
      outcomes.push(outcome);
      onOutcome?.(outcome);
    }
  } finally {
    await worker.terminate();
  }
  return outcomes;
}
