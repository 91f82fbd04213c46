// The engine (Rego compiled to wasm) against an independent hand-written implementation of the
// spec (bench/baseline.ts), on every visible scenario and on generated configs and facts.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BaselineDecider } from "../../bench/baseline.js";
import { createEngineSync, type Engine } from "../../src/index.js";
import { configArb, factsArb } from "./generators.js";

describe("differential: engine vs hand-written baseline", () => {
  it("agree on every visible decision scenario", () => {
    const { cases } = JSON.parse(readFileSync("test/fixtures/scenarios/visible.json", "utf8")) as { cases: { id: string; config: { env?: Record<string, string> }; request: unknown; expect: { phase: string } }[] };
    let n = 0;
    for (const c of cases) {
      if (c.expect.phase !== "decision") continue;
      const { env = {}, ...config } = c.config;
      const e = createEngineSync({ config, env }).decide(c.request);
      expect(new BaselineDecider(config, env).decide(c.request as Record<string, unknown>), c.id).toEqual(e);
      n++;
    }
    expect(n).toBeGreaterThan(150);
  });

  it("agree on generated configs and facts", () => {
    const cache = new Map<string, [Engine, BaselineDecider] | null>();
    let compared = 0;
    fc.assert(fc.property(configArb, factsArb, (config, facts) => {
      const key = JSON.stringify(config);
      if (!cache.has(key)) {
        try { cache.set(key, [createEngineSync({ config, env: {} }), new BaselineDecider(config)]); } catch { cache.set(key, null); }
      }
      const pair = cache.get(key);
      if (!pair) return;
      expect(pair[1].decide(facts as Record<string, unknown>), JSON.stringify({ config, facts })).toEqual(pair[0].decide(facts));
      compared++;
    }), { numRuns: 1500 });
    expect(compared).toBeGreaterThan(500);
  });
});
