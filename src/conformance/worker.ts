// Runs compliance cases sent by the pool (src/conformance/pool.ts) in a worker thread.
import { parentPort } from "node:worker_threads";
import { runCase } from "./run.js";
import type { ComplianceCase } from "./cases.js";

parentPort!.on("message", (c: ComplianceCase) => {
  parentPort!.postMessage(runCase(c));
});
