// The decision document schema (src/decision) holds for what the engine decides: on every visible
// scenario and on generated configs and facts, so the client never refuses a real answer.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecisionDocument } from "../../src/decision/document.js";
import { createEngineSync, type Engine } from "../../src/index.js";
import { configArb, factsArb } from "../engine/generators.js";

const problems = (d: unknown) => {
  const r = DecisionDocument.safeParse(d);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("the decision document schema and the engine", () => {
  it("every visible scenario's decision and expected decision is a document", () => {
    const { cases } = JSON.parse(readFileSync("test/fixtures/scenarios/visible.json", "utf8")) as { cases: { id: string; config: { env?: Record<string, string> }; request: unknown; expect: { phase: string; allow?: boolean } }[] };
    const seen = new Set<string>();
    for (const c of cases) {
      if (c.expect.phase !== "decision") continue;
      const { env = {}, ...config } = c.config;
      const d = createEngineSync({ config, env }).decide(c.request);
      expect(problems(d), c.id).toEqual([]);
      const { phase: _p, warnings: _w, ...expected } = c.expect as Record<string, unknown>;
      expect(problems(expected), c.id).toEqual([]);
      seen.add(d.allow ? `allow ${d.method}` : "deny");
    }
    expect([...seen].sort()).toEqual(["allow loopback-user", "allow password", "allow trusted-proxy", "deny"]);
  });

  it("every decision on generated configs and facts is a document", () => {
    const cache = new Map<string, Engine | null>();
    let decided = 0;
    fc.assert(fc.property(configArb, factsArb, (config, facts) => {
      const key = JSON.stringify(config);
      if (!cache.has(key)) {
        try { cache.set(key, createEngineSync({ config, env: {} })); } catch { cache.set(key, null); }
      }
      const engine = cache.get(key);
      if (!engine) return;
      expect(problems(engine.decide(facts)), JSON.stringify({ config, facts })).toEqual([]);
      decided++;
    }), { numRuns: 1500 });
    expect(decided).toBeGreaterThan(500);
  });
});
