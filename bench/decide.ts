// engine.decide(facts) versus the hand-written baseline, interleaved batch by batch (paired).
import { readFileSync } from "node:fs";
import { createEngineSync, type Engine } from "../src/index.js";
import { BaselineDecider } from "./baseline.js";
import { machine, median, percentile } from "./stats.js";

interface Case { config: { env?: Record<string, string> } & Record<string, unknown>; request: Record<string, unknown>; expect: { phase: string } }

/** A fixed mix: every visible decision scenario whose config is the first one's, plus its requests on the others. */
export function scenarioMix(): { engines: Engine[]; baselines: BaselineDecider[]; requests: Record<string, unknown>[] } {
  const { cases } = JSON.parse(readFileSync("test/fixtures/scenarios/visible.json", "utf8")) as { cases: Case[] };
  const decision = cases.filter((c) => c.expect.phase === "decision");
  const engines: Engine[] = [], baselines: BaselineDecider[] = [], requests: Record<string, unknown>[] = [];
  for (const c of decision) {
    const { env = {}, ...config } = c.config;
    engines.push(createEngineSync({ config, env }));
    baselines.push(new BaselineDecider(config, env));
    requests.push(c.request);
  }
  return { engines, baselines, requests };
}

export function benchDecide(opts: { batches?: number; batchSize?: number } = {}): Record<string, unknown> {
  const batches = opts.batches ?? 200;
  const size = opts.batchSize ?? 500;
  const { engines, baselines, requests } = scenarioMix();
  const n = requests.length;
  const runEngine = (start: number) => { for (let i = 0; i < size; i++) { const k = (start + i) % n; engines[k]!.decide(requests[k]); } };
  const runBase = (start: number) => { for (let i = 0; i < size; i++) { const k = (start + i) % n; baselines[k]!.decide(requests[k]!); } };
  for (let w = 0; w < 20; w++) { runEngine(w * size); runBase(w * size); }
  const eng: number[] = [], base: number[] = [], ratios: number[] = [];
  for (let b = 0; b < batches; b++) {
    const start = b * size;
    const t0 = process.hrtime.bigint();
    runEngine(start);
    const t1 = process.hrtime.bigint();
    runBase(start);
    const t2 = process.hrtime.bigint();
    const e = Number(t1 - t0) / size, x = Number(t2 - t1) / size;
    eng.push(e); base.push(x); ratios.push(e / x);
  }
  return {
    machine: machine(),
    decisions: batches * size,
    engine_ns: { median: median(eng), p99: percentile(eng, 99) },
    baseline_ns: { median: median(base), p99: percentile(base, 99) },
    ratio: { median: median(ratios), p99: percentile(ratios, 99) },
  };
}
