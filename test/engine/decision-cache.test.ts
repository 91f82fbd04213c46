// The decision cache: same decisions as evaluating every time, bounded, immutable results.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngineSync, type Engine } from "../../src/index.js";
import { DecisionCache, MAX_KEY_LENGTH } from "../../src/engine/decision-cache.js";
import { lookupBuiltin } from "../../src/compiler/builtins.js";
import { configArb, factsArb } from "./generators.js";

const CONFIG = { gateway: { trustedProxies: ["10.0.0.1"], auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user", allowUsers: ["nick@example.com"] } } } };
const proxied = (user: string, extra: Record<string, string> = {}) => ({ remoteAddress: "10.0.0.1", headers: { "x-forwarded-user": user, ...extra } });

describe("decision cache", () => {
  it("answers exactly as an engine without a cache, over generated configs and request sequences", () => {
    const pairs = new Map<string, [Engine, Engine] | null>();
    const enginesFor = (config: unknown) => {
      const key = JSON.stringify(config);
      if (!pairs.has(key)) {
        try { pairs.set(key, [createEngineSync({ config, env: {} }), createEngineSync({ config, env: {}, decisionCache: 0 })]); }
        catch { pairs.set(key, null); }
      }
      return pairs.get(key)!;
    };
    let hits = 0;
    fc.assert(fc.property(configArb, fc.array(factsArb, { minLength: 1, maxLength: 6 }), (config, requests) => {
      const p = enginesFor(config);
      if (!p) return;
      const [cached, plain] = p;
      // each request twice, so the second answer comes from the cache
      for (const facts of [...requests, ...requests]) expect(cached.decide(facts)).toEqual(plain.decide(facts));
      hits = [...pairs.values()].reduce((n, x) => n + (x ? x[0].cacheStats().hits : 0), 0);
    }), { numRuns: 300 });
    expect(hits).toBeGreaterThan(300);
    for (const p of pairs.values()) if (p) expect(p[1].cacheStats()).toMatchObject({ hits: 0, size: 0, capacity: 0, misses: p[0].cacheStats().hits + p[0].cacheStats().misses });
  });

  it("keys on what the policy reads: facts it ignores share an entry, facts it reads do not", () => {
    const e = createEngineSync({ config: CONFIG, env: {} });
    const a = e.decide(proxied("nick@example.com", { "x-forwarded-for": "203.0.113.1" }));
    const b = e.decide(proxied("nick@example.com", { "x-forwarded-for": "198.51.100.7", "user-agent": "curl" }));
    expect(b).toBe(a);
    expect(e.cacheStats()).toMatchObject({ hits: 1, misses: 1, size: 1 });
    const c = e.decide(proxied("mitch@example.com"));
    expect(c).toMatchObject({ allow: false, reason: "trusted_proxy_user_not_allowed" });
    expect(e.cacheStats()).toMatchObject({ hits: 1, misses: 2, size: 2 });
  });

  it("hands out frozen decisions, so a caller cannot change what the next caller gets", () => {
    const e = createEngineSync({ config: CONFIG, env: {} });
    const d = e.decide(proxied("nick@example.com"));
    expect(Object.isFrozen(d) && Object.isFrozen(d.scopes)).toBe(true);
    expect(() => { (d as { allow: boolean }).allow = false; }).toThrow(TypeError);
    expect(e.decide(proxied("nick@example.com")).allow).toBe(true);
  });

  it("stays within its capacity, first in first out, and skips oversized inputs", () => {
    const e = createEngineSync({ config: CONFIG, env: {}, decisionCache: 3 });
    for (let i = 0; i < 10; i++) e.decide(proxied(`user${i}@example.com`));
    expect(e.cacheStats()).toMatchObject({ size: 3, misses: 10, hits: 0 });
    e.decide(proxied("user9@example.com"));
    e.decide(proxied("user0@example.com"));
    expect(e.cacheStats()).toMatchObject({ hits: 1, misses: 11 });

    const c = new DecisionCache<number>(5);
    c.set("x".repeat(MAX_KEY_LENGTH + 1), 1);
    expect(c.stats().size).toBe(0);
    const big = createEngineSync({ config: CONFIG, env: {} });
    const long = proxied(`${"n".repeat(MAX_KEY_LENGTH)}@example.com`);
    expect(big.decide(long).reason).toBe("trusted_proxy_user_not_allowed");
    expect(big.decide(long).reason).toBe("trusted_proxy_user_not_allowed");
    expect(big.cacheStats()).toMatchObject({ hits: 0, misses: 2, size: 0 });
  });

  it("rejects a capacity that is not a whole number", () => {
    expect(() => createEngineSync({ config: CONFIG, env: {}, decisionCache: -1 })).toThrow(/decisionCache/);
    expect(() => createEngineSync({ config: CONFIG, env: {}, decisionCache: 1.5 })).toThrow(/decisionCache/);
  });

  it("relies on deterministic builtins: the compiler supports none that reads the clock, randomness or the network", () => {
    for (const name of ["time.now_ns", "rand.intn", "uuid.rfc4122", "http.send", "opa.runtime", "net.lookup_ip_addr"]) {
      expect(lookupBuiltin(name), name).toBeUndefined();
    }
  });
});
