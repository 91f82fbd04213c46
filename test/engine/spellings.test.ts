// One reading of every address and header name (issue 11 items 1 and 2): every spelling of one
// address, and only ASCII case variants of one header name, decide alike; look-alikes never match;
// header values of every JSON type are read as spec section 3 says. Node's own address parser
// (libuv's inet_pton, through net.isIP and net.BlockList) is the independent oracle for addresses.
import net from "node:net";
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { BaselineDecider } from "../../bench/baseline.js";
import { ConfigError, createEngineSync, type Engine } from "../../src/index.js";
import { normalizePeer, parseProxyEntry } from "../../src/facts/address.js";
import { BASE_ADDRESSES, configArb, factsArb, lookAlikeArb, spellingArb } from "./generators.js";

const engines = new Map<string, Engine | null>();
function engineFor(config: unknown): Engine | null {
  const key = JSON.stringify(config);
  if (!engines.has(key)) {
    try { engines.set(key, createEngineSync({ config, env: {} })); } catch { engines.set(key, null); }
  }
  return engines.get(key)!;
}
const gatewayWith = (tp: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  gateway: { trustedProxies: ["10.0.0.1"], ...extra, auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user", ...tp } } },
});
const RUNS = { numRuns: 300 };

const isMappedGroups = (g: readonly number[]) => g.slice(0, 6).join() === "0,0,0,0,0,65535";
const quadOf = (g: readonly number[]) => `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
const isLoopbackGroups = (g: readonly number[]) => (isMappedGroups(g) ? g[6]! >> 8 === 127 : g.join() === "0,0,0,0,0,0,0,1");
/** An address with two of its spellings. */
const spelledPair = fc.constantFrom(...BASE_ADDRESSES).chain((g) => fc.tuple(fc.constant(g), spellingArb(g), spellingArb(g)));

const oracleLoopback = new net.BlockList();
oracleLoopback.addSubnet("127.0.0.0", 8, "ipv4");
oracleLoopback.addAddress("::1", "ipv6");

describe("addresses: every spelling is one address", () => {
  it("reads every spelling of an address as that address, as Node's own parser does", () => {
    fc.assert(fc.property(spelledPair, ([g, s]) => {
      const family = net.isIP(s);
      expect(family, s).toBe(isMappedGroups(g) && !s.includes(":") ? 4 : 6);
      const want = { valid: true, ip: isMappedGroups(g) ? quadOf(g) : new ipaddr.IPv6([...g]).toString(), loopback: isLoopbackGroups(g) };
      expect(normalizePeer(s), s).toEqual(want);
      expect(oracleLoopback.check(s, family === 4 ? "ipv4" : "ipv6"), s).toBe(want.loopback);
    }), { numRuns: 1000 });
  });

  it("gives the same decision for every spelling of the peer", () => {
    fc.assert(fc.property(configArb, factsArb, spelledPair, (config, facts, [, s1, s2]) => {
      const e = engineFor(config);
      if (!e) return;
      expect(e.decide({ ...facts, remoteAddress: s2 }), `${s1} / ${s2}`).toEqual(e.decide({ ...facts, remoteAddress: s1 }));
    }), RUNS);
  });

  it("gives the same decisions for every spelling of a trustedProxies entry", () => {
    const prefix = (g: readonly number[]) => (isMappedGroups(g) ? fc.constantFrom("", "/128", "/120", "/104", "/96") : fc.constantFrom("", "/128", "/64", "/0"));
    const entryPair = fc.constantFrom(...BASE_ADDRESSES).chain((g) => fc.tuple(spellingArb(g), spellingArb(g), prefix(g)));
    // a mapped prefix counts the 96 bits of ::ffff:0:0/96; written as plain IPv4 it does not
    const withPrefix = (entry: string, bits: string) => (bits === "" || entry.includes(":") ? `${entry}${bits}` : `${entry}/${Number(bits.slice(1)) - 96}`);
    fc.assert(fc.property(entryPair, factsArb, spelledPair, ([a, b, bits], facts, [, peer]) => {
      const cfg = (entry: string) => gatewayWith({ allowLoopback: true }, { trustedProxies: [entry] });
      const ea = engineFor(cfg(withPrefix(a, bits)))!, eb = engineFor(cfg(withPrefix(b, bits)))!;
      expect(ea.data.trusted_proxies.length).toBe(1);
      expect(eb.data.trusted_proxies).toEqual(ea.data.trusted_proxies);
      expect(eb.decide({ ...facts, remoteAddress: peer }), `${a} / ${b}`).toEqual(ea.decide({ ...facts, remoteAddress: peer }));
    }), RUNS);
  });

  it("reads ::a.b.c.d, ::ffff:0:a.b.c.d and 64:ff9b::a.b.c.d as IPv6: never an IPv4 peer, never an IPv4 entry", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const forms = fc.tuple(octet, octet, octet, octet, fc.constantFrom([0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0xffff, 0], [0x64, 0xff9b, 0, 0, 0, 0]))
      .chain(([a, b, c, d, head]) => fc.tuple(fc.constant(`${a}.${b}.${c}.${d}`), fc.constant([...head, (a << 8) | b, (c << 8) | d]), spellingArb([...head, (a << 8) | b, (c << 8) | d])));
    const everyV4 = gatewayWith({ allowLoopback: true, loopbackUser: "agent@internal" }, { trustedProxies: ["0.0.0.0/0", "::ffff:0:0/96"] });
    fc.assert(fc.property(forms, ([quad, g, s]) => {
      const p = normalizePeer(s);
      expect(p.valid && p.ip.includes(":"), `${s} → ${p.ip}`).toBe(true);
      expect(p.loopback, s).toBe(g.join() === "0,0,0,0,0,0,0,1");
      expect(oracleLoopback.check(s, "ipv6"), s).toBe(p.loopback);
      // behind a proxy configured as every IPv4 address, it is no proxy...
      const proxied = engineFor(everyV4)!.decide({ remoteAddress: s, headers: { "x-forwarded-user": "nick@example.com" } });
      expect(proxied.reason, s).toBe("trusted_proxy_untrusted_source");
      // ...nor, headerless, the internal loopback caller (unless it spells ::1)
      const internal = engineFor(everyV4)!.decide({ remoteAddress: s, headers: {} });
      expect(internal.method === "loopback-user", s).toBe(p.loopback);
      // as an entry it is the IPv6 address it spells, so the IPv4 peer is not behind it
      const entry = parseProxyEntry(s);
      expect(entry.valid && entry.cidr.includes(":"), `${s} → ${entry.cidr}`).toBe(true);
      const e = engineFor(gatewayWith({}, { trustedProxies: [s] }))!;
      for (const peer of [quad, `::ffff:${quad}`]) expect(e.decide({ remoteAddress: peer, headers: { "x-forwarded-user": "nick@example.com" } }).reason, `${s} vs ${peer}`).toBe("trusted_proxy_untrusted_source");
    }), { numRuns: 500 });
  });

  it("decides NEW-S2-V01's peers as the review found them: ::127.0.0.1 is not loopback, ::10.0.0.3 is not the proxy 10.0.0.3", () => {
    const e = engineFor(gatewayWith({ allowLoopback: true, loopbackUser: "agent@internal" }, { trustedProxies: ["10.0.0.3", "127.0.0.1"] }))!;
    expect(e.decide({ remoteAddress: "::127.0.0.1", headers: {} }).reason).toBe("trusted_proxy_untrusted_source");
    expect(e.decide({ remoteAddress: "::10.0.0.3", headers: { "x-forwarded-user": "nick@example.com" } }).reason).toBe("trusted_proxy_untrusted_source");
    expect(e.decide({ remoteAddress: "::ffff:10.0.0.3", headers: { "x-forwarded-user": "nick@example.com" } }).allow).toBe(true);
    expect(e.decide({ remoteAddress: "::ffff:7f00:1", headers: {} }).method).toBe("loopback-user");
  });
});

// ---- header names ----------------------------------------------------------------------------------

const NAMES = ["x-forwarded-user", "x-kc-user", "x-auth-request-email", "remote-user", "x-pomerium-claim-email"];
/** The name with each ASCII letter in a random case. */
const asciiCaseArb = (name: string) => fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length })
  .map((up) => [...name].map((c, i) => (up[i] ? c.toUpperCase() : c)).join(""));
const nameAndLookAlike = fc.constantFrom(...NAMES).chain((n) => fc.tuple(fc.constant(n), lookAlikeArb(n), asciiCaseArb(n)));

describe("header names: ASCII case only", () => {
  it("never reads a non-ASCII look-alike of a name as the name (user header, required header, scopes)", () => {
    fc.assert(fc.property(nameAndLookAlike, ([name, alike, cased]) => {
      const asUser = engineFor(gatewayWith({ userHeader: name }))!;
      expect(asUser.decide({ remoteAddress: "10.0.0.1", headers: { [alike]: "nick@example.com" } }).reason, JSON.stringify(alike)).toBe("trusted_proxy_user_missing");
      expect(asUser.decide({ remoteAddress: "10.0.0.1", headers: { [cased]: "nick@example.com" } }).user).toBe("nick@example.com");
      const asRequired = engineFor(gatewayWith({ userHeader: "x-user", requiredHeaders: [name] }))!;
      expect(asRequired.decide({ remoteAddress: "10.0.0.1", headers: { [alike]: "yes", "x-user": "nick@example.com" } }).reason).toBe(`trusted_proxy_missing_header_${name}`);
      expect(asRequired.decide({ remoteAddress: "10.0.0.1", headers: { [cased]: "yes", "x-user": "nick@example.com" } }).allow).toBe(true);
    }), RUNS);
    fc.assert(fc.property(lookAlikeArb("x-openclaw-scopes"), (alike) => {
      const d = engineFor(gatewayWith({}))!.decide({ remoteAddress: "10.0.0.1", headers: { "x-forwarded-user": "nick@example.com", [alike]: "operator.read" } });
      expect(d.scopes, JSON.stringify(alike)).toContain("operator.admin"); // the look-alike is not the scopes header
    }), RUNS);
  });

  it("never reads a look-alike of x-forwarded-*, forwarded or x-real-ip as forwarded evidence, nor an ASCII case variant as none", () => {
    const cfg = gatewayWith({ allowLoopback: true, loopbackUser: "agent@internal" }, { trustedProxies: ["127.0.0.1"] });
    // (a name that still starts with "x-forwarded-" is evidence, whatever follows)
    const alikes = fc.constantFrom("x-forwarded-for", "forwarded", "x-real-ip").chain((n) => fc.tuple(lookAlikeArb(n).filter((a) => !a.startsWith("x-forwarded-")), asciiCaseArb(n)));
    fc.assert(fc.property(alikes, ([alike, cased]) => {
      const e = engineFor(cfg)!;
      expect(e.decide({ remoteAddress: "127.0.0.1", headers: { [alike]: "203.0.113.9" } }).method, JSON.stringify(alike)).toBe("loopback-user");
      expect(e.decide({ remoteAddress: "127.0.0.1", headers: { [cased]: "203.0.113.9" } }).reason, cased).toBe("trusted_proxy_user_missing");
    }), RUNS);
  });

  it("folds config header names in ASCII only: case variants decide alike, look-alikes are config errors naming the character", () => {
    fc.assert(fc.property(nameAndLookAlike, factsArb, ([name, , cased], facts) => {
      const a = engineFor(gatewayWith({ userHeader: name, requiredHeaders: ["x-forwarded-proto"] }, { trustedProxies: ["10.0.0.0/8", "127.0.0.1"] }))!;
      const b = engineFor(gatewayWith({ userHeader: cased, requiredHeaders: ["X-Forwarded-PROTO"] }, { trustedProxies: ["10.0.0.0/8", "127.0.0.1"] }))!;
      expect(b.decide(facts)).toEqual(a.decide(facts));
    }), RUNS);
    fc.assert(fc.property(nameAndLookAlike, ([, alike]) => {
      for (const [tp, path] of [[{ userHeader: alike }, "gateway.auth.trustedProxy.userHeader"], [{ requiredHeaders: ["x-ok", alike] }, "gateway.auth.trustedProxy.requiredHeaders.1"]] as const) {
        let err: unknown;
        try { createEngineSync({ config: gatewayWith(tp), env: {} }); } catch (e) { err = e; }
        expect(err, JSON.stringify(alike)).toBeInstanceOf(ConfigError);
        const issue = (err as ConfigError).errors.find((x) => x.path === path)!;
        expect(issue.code).toBe("config_invalid");
        expect(issue.message).toMatch(/is not an HTTP header name \(it contains U\+[0-9A-F]{4}\)/);
      }
    }), { numRuns: 100 });
  });
});

// ---- header values of every JSON type (item 2) ------------------------------------------------------

describe("header values: arrays, empty arrays and non-strings", () => {
  const e = () => engineFor(gatewayWith({ requiredHeaders: ["x-forwarded-proto"], allowLoopback: true, loopbackUser: "agent@internal" },
    { trustedProxies: ["10.0.0.1", "127.0.0.1"], controlUi: { allowedOrigins: ["https://control.example.com"], dangerouslyAllowHostHeaderOriginFallback: true } }))!;
  const proxied = (headers: Record<string, unknown>) => e().decide({ remoteAddress: "10.0.0.1", headers: { "x-forwarded-proto": "https", "x-forwarded-user": "nick@example.com", ...headers } });
  const ALL = ["operator.admin", "operator.read", "operator.write", "operator.approvals", "operator.pairing", "operator.talk.secrets"];

  it.each<[string, unknown, string[]]>([
    ["an empty array", [], []],
    ["an array whose first element is a number", [42, "operator.admin"], []],
    ["an array whose first element is blank", ["  ", "operator.admin"], []],
    ["an array of one string", ["operator.read, operator.write"], ["operator.read", "operator.write"]],
    ["a number", 7, []],
    ["a boolean", true, []],
    ["null", null, []],
    ["an object", { 0: "operator.admin" }, []],
    ["a blank string", "  ", []],
    ["a list of blanks", " , ,", []],
  ])("x-openclaw-scopes as %s: present, so %j (never the default set)", (_, value, scopes) => {
    expect(proxied({ "x-openclaw-scopes": value }).scopes).toEqual(scopes);
    expect(e().decide({ remoteAddress: "127.0.0.1", headers: { "x-openclaw-scopes": value } })).toMatchObject({ method: "loopback-user", scopes });
  });

  it("x-openclaw-scopes absent gives the default set; duplicates differing in case: the first wins, whatever its value", () => {
    expect(proxied({}).scopes).toEqual(ALL);
    expect(proxied({ "X-OpenClaw-Scopes": [], "x-openclaw-scopes": "operator.admin" }).scopes).toEqual([]);
    expect(proxied({ "X-OpenClaw-Scopes": 1, "x-openclaw-scopes": "operator.admin" }).scopes).toEqual([]);
    expect(proxied({ "x-openclaw-scopes": "operator.admin", "X-OPENCLAW-SCOPES": [] }).scopes).toEqual(["operator.admin"]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["user header an empty array", { "x-forwarded-user": [] }, "trusted_proxy_user_missing"],
    ["user header an array whose first element is a number", { "x-forwarded-user": [42, "nick@example.com"] }, "trusted_proxy_user_missing"],
    ["user header an object", { "x-forwarded-user": { 0: "nick@example.com" } }, "trusted_proxy_user_missing"],
    ["user header null", { "x-forwarded-user": null }, "trusted_proxy_user_missing"],
    ["user header false", { "x-forwarded-user": false }, "trusted_proxy_user_missing"],
    ["user header blank, a case variant holding a user after it", { "x-forwarded-user": " ", "X-Forwarded-User": "nick@example.com" }, "trusted_proxy_user_missing"],
    ["required header an empty array", { "x-forwarded-proto": [] }, "trusted_proxy_missing_header_x-forwarded-proto"],
    ["required header a number", { "x-forwarded-proto": 1 }, "trusted_proxy_missing_header_x-forwarded-proto"],
    ["required header an array whose first element is blank", { "x-forwarded-proto": ["", "https"] }, "trusted_proxy_missing_header_x-forwarded-proto"],
    ["origin an array whose first element is not allowed", { origin: ["https://evil.example", "https://control.example.com"] }, "trusted_proxy_origin_not_allowed"],
  ])("%s → %s", (_, headers, reason) => expect(proxied(headers).reason).toBe(reason));

  it("an origin or host of another type is absent: no origin to check, no host to fall back on", () => {
    for (const v of [[], 42, null, {}, [42]]) {
      expect(proxied({ origin: v }).allow).toBe(true);
      expect(proxied({ origin: "https://gw.example", host: v }).reason).toBe("trusted_proxy_origin_not_allowed");
    }
    expect(proxied({ origin: "https://gw.example", host: ["gw.example", "x"] }).allow).toBe(true);
    expect(proxied({ origin: "https://gw.example", host: "GW.EXAMPLE" }).allow).toBe(true);
    // the Host header folds in ASCII only: a Kelvin sign is not the origin's "k"
    expect(proxied({ origin: "https://kc.example", host: "\u212ac.example" }).reason).toBe("trusted_proxy_origin_not_allowed");
  });

  it("forwarded evidence is the name alone, whatever the value: the request is not direct-local", () => {
    for (const v of ["", [], null, 0, {}, [42]]) {
      for (const name of ["X-Forwarded-For", "forwarded", "x-real-ip", "x-forwarded-"]) {
        const d = e().decide({ remoteAddress: "127.0.0.1", headers: { [name]: v } });
        expect([d.allow, d.method], `${name}: ${JSON.stringify(v)}`).toEqual([false, null]);
      }
    }
  });

  it("the hand-written baseline agrees on all of these", () => {
    const cfg = gatewayWith({ requiredHeaders: ["x-forwarded-proto"] });
    const engine = engineFor(cfg)!, baseline = new BaselineDecider(cfg);
    for (const v of [[], [42], [" "], ["operator.read"], 7, true, null, {}, " ", "operator.read,,"]) {
      for (const facts of [{ remoteAddress: "10.0.0.1", headers: { "x-forwarded-proto": "https", "x-forwarded-user": "nick@example.com", "x-openclaw-scopes": v } },
        { remoteAddress: "10.0.0.1", headers: { "x-forwarded-proto": v, "x-forwarded-user": v } }]) {
        expect(baseline.decide(facts), JSON.stringify(facts)).toEqual(engine.decide(facts));
      }
    }
  });
});

// ---- header names that are Object.prototype members --------------------------------------------

describe("header names are data, never property lookups", () => {
  const facts = (json: string) => JSON.parse(json) as unknown; // "__proto__" is an own key here

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])("a user header named %s decides on its value (or its absence) only", (name) => {
    for (const cache of [0, 100]) {
      const engine = createEngineSync({ config: gatewayWith({ userHeader: name, requiredHeaders: ["x-forwarded-proto"] }), env: {}, decisionCache: cache });
      const d = engine.decide(facts(`{"remoteAddress":"10.0.0.1","headers":{"x-forwarded-proto":"https",${JSON.stringify(name)}:"nick@example.com"}}`));
      expect(d).toMatchObject({ allow: true, user: "nick@example.com" });
      expect(engine.decide(facts(`{"remoteAddress":"10.0.0.1","headers":{"x-forwarded-proto":"https"}}`)).reason).toBe("trusted_proxy_user_missing");
      expect(engine.decide(facts(`{"remoteAddress":"10.0.0.1","headers":{"x-forwarded-proto":"https",${JSON.stringify(name.toUpperCase())}:[" nick "]}}`)).user).toBe("nick");
      expect(Object.keys(engine.explain(facts(`{"remoteAddress":"10.0.0.1","headers":{${JSON.stringify(name)}:"u"}}`)).input.headers)).toEqual([name.toLowerCase()]);
    }
    const asRequired = createEngineSync({ config: gatewayWith({ requiredHeaders: [name] }), env: {} });
    expect(asRequired.decide(facts(`{"remoteAddress":"10.0.0.1","headers":{"x-forwarded-user":"nick@example.com"}}`)).reason).toBe(`trusted_proxy_missing_header_${name.toLowerCase()}`);
    expect(asRequired.decide(facts(`{"remoteAddress":"10.0.0.1","headers":{"x-forwarded-user":"nick@example.com",${JSON.stringify(name)}:"1"}}`)).allow).toBe(true);
  });

  it("a __proto__ header holding an object is a non-string value, and inherited properties are no headers", () => {
    const engine = engineFor(gatewayWith({ allowLoopback: true, loopbackUser: "agent@internal" }, { trustedProxies: ["10.0.0.1", "127.0.0.1"] }))!;
    expect(engine.decide(facts(`{"remoteAddress":"10.0.0.1","headers":{"__proto__":{"x-forwarded-user":"nick@example.com"}}}`)).reason).toBe("trusted_proxy_user_missing");
    const inherited = Object.create(JSON.parse(`{"x-forwarded-user":"nick@example.com","x-openclaw-scopes":"","x-forwarded-for":"1.2.3.4"}`)) as Record<string, unknown>;
    expect(engine.decide({ remoteAddress: "10.0.0.1", headers: inherited }).reason).toBe("trusted_proxy_user_missing");
    expect(engine.decide({ remoteAddress: "127.0.0.1", headers: inherited })).toMatchObject({ method: "loopback-user", scopes: expect.arrayContaining(["operator.admin"]) });
  });

  it("a polluted Object.prototype adds no header", () => {
    const engine = engineFor(gatewayWith({}))!;
    const proto = Object.prototype as Record<string, unknown>;
    proto["x-forwarded-user"] = "nick@example.com";
    try {
      expect(engine.decide(facts(`{"remoteAddress":"10.0.0.1","headers":{}}`)).reason).toBe("trusted_proxy_user_missing");
    } finally { delete proto["x-forwarded-user"]; }
  });
});
