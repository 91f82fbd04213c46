// Compile + link time of policy/ and of the OPA compliance corpus, and loadPolicy time.
// Run: npm run bench -- compile
import { readFileSync } from "node:fs";
import { compile } from "../src/compiler/compile.js";
import { readRegoSources } from "../src/bundle/sources.js";
import { loadPolicy, loadPolicySync } from "../src/engine/load.js";
import { ENTRYPOINTS } from "../src/engine/policy.js";
import { machine, median, percentile } from "./stats.js";

export async function benchCompile(): Promise<Record<string, unknown>> {
  const sources = readRegoSources(["policy"]);
  const lines = sources.reduce((n, s) => n + s.source.split("\n").length, 0);
  const entrypoints = Object.values(ENTRYPOINTS);
  for (let i = 0; i < 20; i++) compile({ modules: sources, entrypoints }); // warm-up
  const times: number[] = [];
  let wasm = new Uint8Array();
  for (let i = 0; i < 100; i++) {
    const t0 = performance.now();
    wasm = compile({ modules: sources, entrypoints }).wasm;
    times.push(performance.now() - t0);
  }
  const loadTimes: number[] = [];
  await loadPolicy(wasm); // first load in the process pays for the SDK's lazy imports
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    loadPolicySync(wasm, ["sprintf"]);
    loadTimes.push(performance.now() - t0);
  }
  const { cases } = JSON.parse(readFileSync("test/fixtures/opa-cases/tier1-visible.json", "utf8")) as { cases: { modules: string[]; query: string }[] };
  const corpusTimes: number[] = [];
  for (const c of cases) {
    const t0 = performance.now();
    try { compile({ modules: c.modules.map((source, i) => ({ path: `m${i}.rego`, source })), query: c.query }); } catch { /* counted anyway */ }
    corpusTimes.push(performance.now() - t0);
  }
  return {
    machine: machine(),
    policy: { files: sources.length, lines, wasmBytes: wasm.length, compileLinkMs: { median: median(times), p99: percentile(times, 99) } },
    loadPolicyMs: { median: median(loadTimes), p99: percentile(loadTimes, 99) },
    corpus: { cases: cases.length, compileLinkMs: { median: median(corpusTimes), p99: percentile(corpusTimes, 99), total: corpusTimes.reduce((a, b) => a + b, 0) } },
  };
}
