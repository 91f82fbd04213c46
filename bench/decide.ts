// engine.decide(facts) versus the hand-written baseline, interleaved batch by batch (paired).
import { readFileSync } from "node:fs";
import { createEngineSync, type Engine } from "../src/index.js";
import { BaselineDecider } from "./baseline.js";
import { machine, median, percentile } from "./stats.js";

interface Case { config: { env?: Record<string, string> } & Record<string, unknown>; request: Record<string, unknown>; expect: { phase: string } }

export interface ConfigGroup { engine: Engine; baseline: BaselineDecider; requests: Record<string, unknown>[] }

/** Every visible decision scenario, grouped by config: one engine (and one baseline) per config. */
export function scenarioGroups(): ConfigGroup[] {
  const { cases } = JSON.parse(readFileSync("test/fixtures/scenarios/visible.json", "utf8")) as { cases: Case[] };
  const groups = new Map<string, ConfigGroup>();
  for (const c of cases) {
    if (c.expect.phase !== "decision") continue;
    const key = JSON.stringify(c.config);
    let g = groups.get(key);
    if (!g) {
      const { env = {}, ...config } = c.config;
      g = { engine: createEngineSync({ config, env }), baseline: new BaselineDecider(config, env), requests: [] };
      groups.set(key, g);
    }
    g.requests.push(c.request);
  }
  return [...groups.values()];
}

/** For the soak: one flat list of (engine, request) pairs. */
export function scenarioMix(): { engines: Engine[]; requests: Record<string, unknown>[] } {
  const engines: Engine[] = [], requests: Record<string, unknown>[] = [];
  for (const g of scenarioGroups()) for (const r of g.requests) { engines.push(g.engine); requests.push(r); }
  return { engines, requests };
}

/**
 * Paired: each batch decides `batchSize` requests of one config (as a service with that config
 * would), first with the engine, then with the baseline; batches rotate over the configs.
 */
export function benchDecide(opts: { batches?: number; batchSize?: number } = {}): Record<string, unknown> {
  const batches = opts.batches ?? 300;
  const size = opts.batchSize ?? 500;
  const groups = scenarioGroups();
  const run = (g: ConfigGroup, engine: boolean) => {
    const rs = g.requests, n = rs.length;
    if (engine) for (let i = 0; i < size; i++) g.engine.decide(rs[i % n]);
    else for (let i = 0; i < size; i++) g.baseline.decide(rs[i % n]!);
  };
  for (let w = 0; w < groups.length * 2; w++) { run(groups[w % groups.length]!, true); run(groups[w % groups.length]!, false); }
  const eng: number[] = [], base: number[] = [], ratios: number[] = [];
  for (let b = 0; b < batches; b++) {
    const g = groups[b % groups.length]!;
    const t0 = process.hrtime.bigint();
    run(g, true);
    const t1 = process.hrtime.bigint();
    run(g, false);
    const t2 = process.hrtime.bigint();
    const e = Number(t1 - t0) / size, x = Number(t2 - t1) / size;
    eng.push(e); base.push(x); ratios.push(e / x);
  }
  return {
    machine: machine(),
    configs: groups.length,
    requests: groups.reduce((n, g) => n + g.requests.length, 0),
    decisions: batches * size,
    engine_ns: { median: median(eng), p99: percentile(eng, 99) },
    baseline_ns: { median: median(base), p99: percentile(base, 99) },
    ratio: { median: median(ratios), p99: percentile(ratios, 99) },
  };
}
