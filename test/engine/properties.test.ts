// Properties of the engine over generated configs and facts (fast-check).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngineSync, FactsError, type Decision, type Engine } from "../../src/index.js";
import { configArb, factsArb } from "./generators.js";

const engines = new Map<string, Engine | null>();
function engineFor(config: unknown): Engine | null {
  const key = JSON.stringify(config);
  if (!engines.has(key)) {
    try { engines.set(key, createEngineSync({ config, env: {} })); } catch { engines.set(key, null); }
  }
  return engines.get(key)!;
}

const RUNS = { numRuns: 400 };
type Facts = typeof factsArb extends fc.Arbitrary<infer F> ? F : never;

/** Checks `check` on the decision for generated facts, under every generated config that starts. */
function forAllDecisions(check: (d: Decision, facts: Facts, engine: Engine) => void): void {
  fc.assert(fc.property(configArb, factsArb, (config, facts) => {
    const e = engineFor(config);
    if (e) check(e.decide(facts), facts, e);
  }), RUNS);
}
const REASONS = /^(trusted_proxy_(untrusted_source|loopback_source|missing_header_.+|user_missing|user_not_allowed|origin_not_allowed)|control_ui_origin_not_allowed|rate_limited|password_mismatch)$/;

describe("engine properties", () => {
  const base = engineFor({ gateway: { trustedProxies: ["10.0.0.1"], auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user" } } } })!;

  it("decide never throws on arbitrary JSON except a FactsError that names the field", () => {
    fc.assert(fc.property(fc.jsonValue(), (facts) => {
      try {
        const d = base.decide(facts);
        expect(typeof d.allow).toBe("boolean");
      } catch (e) {
        expect(e).toBeInstanceOf(FactsError);
        expect((e as FactsError).issues.length).toBeGreaterThan(0);
        expect((e as FactsError).message).toMatch(/invalid request facts: /);
      }
    }), { numRuns: 500 });
  });

  it("decide never throws on odd but well-typed facts: huge and odd headers, invalid addresses", () => {
    fc.assert(fc.property(
      fc.dictionary(fc.string({ maxLength: 40 }), fc.oneof(fc.string({ maxLength: 2000 }), fc.array(fc.string()), fc.jsonValue())),
      fc.option(fc.string({ maxLength: 100 }), { nil: null }),
      (headers, remoteAddress) => {
        const d = base.decide({ headers, remoteAddress });
        expect(d.allow === false || d.allow === true).toBe(true);
      },
    ), RUNS);
    const big = "x".repeat(1_000_000);
    expect(base.decide({ remoteAddress: "10.0.0.1", headers: { "x-forwarded-user": big } }).user).toBe(big);
  });

  it("rejects malformed facts with a clear error", () => {
    expect(() => base.decide({ transport: "ftp" })).toThrow(/transport: expected one of "http", "ws"/);
    expect(() => base.decide({ remoteAddress: 17 })).toThrow(/remoteAddress: expected string/);
    expect(() => base.decide({ headers: [] })).toThrow(/headers: expected record/);
    expect(() => base.decide({ bogus: 1 })).toThrow(/unknown field bogus/);
    expect(() => base.decide("facts")).toThrow(FactsError);
  });

  it("every deny has exactly one reason code, every allow none", () => {
    forAllDecisions((d) => {
      if (d.allow) { expect(d.reason).toBeNull(); expect(d.method).not.toBeNull(); }
      else {
        expect(d.reason).toMatch(REASONS);
        expect([d.user, d.method, d.scopes]).toEqual([null, null, []]);
      }
    });
  });

  it("loopbackUser is never granted to a non-loopback peer or to a request with forwarded evidence", () => {
    forAllDecisions((d, facts) => {
      if (d.method !== "loopback-user") return;
      const peer = facts.remoteAddress ?? "";
      expect(isLoopback(peer), peer).toBe(true);
      const names = Object.keys(facts.headers).map((n) => n.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, "").replace(/[A-Z]+/g, (m) => m.toLowerCase()));
      expect(names.some((n) => n === "forwarded" || n === "x-real-ip" || n.startsWith("x-forwarded-"))).toBe(false);
    });
  });

  it("a peer outside trustedProxies is never allowed by the proxy path, whatever its headers", () => {
    forAllDecisions((d, facts, e) => {
      if (d.method !== "trusted-proxy") return;
      const peer = facts.remoteAddress!;
      const trusted = e.data.trusted_proxies;
      // the allowed peer must be inside one of the normalised entries
      const inside = trusted.some((cidr) => contains(cidr, peer));
      expect(inside, `${peer} allowed with ${JSON.stringify(trusted)}`).toBe(true);
    });
  });

  it("header-name case in the config never changes a decision", () => {
    fc.assert(fc.property(configArb, factsArb, (config, facts) => {
      const lower = engineFor(config);
      const tp = config.gateway.auth.trustedProxy;
      const upper = engineFor({ ...config, gateway: { ...config.gateway, auth: { ...config.gateway.auth,
        trustedProxy: { ...tp, userHeader: tp.userHeader.toUpperCase(), requiredHeaders: tp.requiredHeaders.map((h) => h.toUpperCase()) } } } });
      if (!lower || !upper) { expect(lower).toBe(upper); return; }
      expect(upper.decide(facts)).toEqual(lower.decide(facts));
    }), RUNS);
  });
});

// Node's own address parser (libuv's inet_pton) as the independent oracle: it reads ::a.b.c.d as
// the IPv6 address it spells, as the spec does (ipaddr.js reads it as mapped).
import net from "node:net";
const family = (peer: string) => (peer.includes("%") ? 0 : net.isIP(peer));
const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");
function isLoopback(peer: string): boolean {
  const f = family(peer);
  return f !== 0 && LOOPBACK.check(peer, f === 4 ? "ipv4" : "ipv6");
}
/** The peer is inside the normalised CIDR (a mapped peer inside an IPv4 one). */
function contains(cidr: string, peer: string): boolean {
  const f = family(peer);
  if (f === 0) return false;
  const [addr, bits] = cidr.split("/") as [string, string];
  const list = new net.BlockList();
  list.addSubnet(addr, Number(bits), addr.includes(":") ? "ipv6" : "ipv4");
  return list.check(peer, f === 4 ? "ipv4" : "ipv6");
}
