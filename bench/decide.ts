// engine.decide(facts) versus the hand-written baseline, interleaved batch by batch (paired).
import { readFileSync } from "node:fs";
import { createEngineSync, type Engine } from "../src/index.js";
import { BaselineDecider } from "./baseline.js";
import { machine, median, percentile } from "./stats.js";

interface Case { config: { env?: Record<string, string> } & Record<string, unknown>; request: Record<string, unknown>; expect: { phase: string } }

/** `engine` evaluates the policy for every decision (decision cache off); `cached` is the engine as
 *  it ships, answering repeated policy inputs from its decision cache. */
export interface ConfigGroup { engine: Engine; cached: Engine; baseline: BaselineDecider; requests: Record<string, unknown>[] }

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
      g = { engine: createEngineSync({ config, env, decisionCache: 0 }), cached: createEngineSync({ config, env }), baseline: new BaselineDecider(config, env), requests: [] };
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
 * would), with the engine, the baseline and the cached engine in turn; batches rotate over the
 * configs.
 */
export function benchDecide(opts: { batches?: number; batchSize?: number } = {}): Record<string, unknown> {
  const batches = opts.batches ?? 300;
  const size = opts.batchSize ?? 500;
  const groups = scenarioGroups();
  type Who = "engine" | "baseline" | "cached";
  const run = (g: ConfigGroup, who: Who) => {
    const rs = g.requests, n = rs.length;
    if (who === "baseline") for (let i = 0; i < size; i++) g.baseline.decide(rs[i % n]!);
    else for (let i = 0; i < size; i++) g[who].decide(rs[i % n]);
  };
  const order: Who[] = ["engine", "baseline", "cached"];
  for (let w = 0; w < groups.length * 2; w++) for (const who of order) run(groups[w % groups.length]!, who);
  const ns: Record<Who, number[]> = { engine: [], baseline: [], cached: [] };
  const ratios: number[] = [], cachedRatios: number[] = [];
  for (let b = 0; b < batches; b++) {
    const g = groups[b % groups.length]!;
    const t: Record<string, number> = {};
    for (const who of order) {
      const t0 = process.hrtime.bigint();
      run(g, who);
      t[who] = Number(process.hrtime.bigint() - t0) / size;
      ns[who].push(t[who]!);
    }
    ratios.push(t.engine! / t.baseline!);
    cachedRatios.push(t.cached! / t.baseline!);
  }
  const stat = (xs: number[]) => ({ median: median(xs), p99: percentile(xs, 99) });
  return {
    machine: machine(),
    configs: groups.length,
    requests: groups.reduce((n, g) => n + g.requests.length, 0),
    decisions: batches * size,
    engine_ns: stat(ns.engine),
    baseline_ns: stat(ns.baseline),
    ratio: stat(ratios),
    cached_engine_ns: stat(ns.cached),
    ratio_cached: stat(cachedRatios),
  };
}
