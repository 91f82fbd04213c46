// The policy input as the wasm reads it (canonical JSON) and as the decision cache keys it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { policyInputKey } from "../../src/facts/cache-key.js";
import { policyInputJson } from "../../src/facts/encode.js";
import type { PolicyInput } from "../../src/facts/facts.js";

const NAMES = ["x-a", "x-b", "x-forwarded-user"];
// Few, separator-like strings, so that inputs collide often and ambiguous encodings would show.
const text = fc.constantFrom("", "-", "1", ":", "1:", "a", "1:a", "0:", "a-1:", "1:-", "|", "a|", "|a", ",", "\0", "é");
const inputArb: fc.Arbitrary<PolicyInput> = fc.record({
  transport: fc.constantFrom("http" as const, "ws" as const),
  surface: fc.constantFrom("api" as const, "control-ui" as const, "plugin" as const),
  peer: fc.oneof(fc.constant({ valid: false, ip: "", loopback: false }), fc.record({ valid: fc.constant(true), ip: text, loopback: fc.boolean() })),
  headers: fc.dictionary(fc.constantFrom(...NAMES), text, { maxKeys: 3 }),
  forwarded: fc.boolean(),
  origin: fc.oneof(fc.constant({ present: false, valid: false, normalized: "", host: "" }), fc.record({ present: fc.constant(true), valid: fc.boolean(), normalized: text, host: text })),
  host: text,
  scopes: fc.oneof(fc.constant({ present: false, value: "" }), fc.record({ present: fc.constant(true), value: text })),
  password: fc.constantFrom("absent" as const, "match" as const, "mismatch" as const),
  rate_limited: fc.boolean(),
});

/** Reads a key back into the input it stands for: if every key reads back to its input's JSON,
 *  two inputs with one key have one JSON. */
function readKey(key: string, names: string[]): PolicyInput {
  let at = 0;
  const char = () => key[at++]!;
  const part = () => {
    const colon = key.indexOf(":", at);
    const n = Number(key.slice(at, colon));
    at = colon + 1 + n;
    return key.slice(colon + 1, at);
  };
  const absent = () => (key[at] === "-" ? (at++, true) : false);
  const transport = ({ h: "http", w: "ws" } as const)[char() as "h" | "w"];
  const surface = ({ a: "api", c: "control-ui", p: "plugin" } as const)[char() as "a" | "c" | "p"];
  const password = (["absent", "match", "mismatch"] as const)[Number(char())]!;
  const forwarded = char() === "1", rate_limited = char() === "1";
  const peer = absent() ? { valid: false, ip: "", loopback: false } : { valid: true, loopback: char() === "1", ip: part() };
  const host = part();
  const origin = absent() ? { present: false, valid: false, host: "", normalized: "" } : { present: true, valid: char() === "1", host: part(), normalized: part() };
  const scopes = absent() ? { present: false, value: "" } : { present: true, value: part() };
  const headers: Record<string, string> = {};
  for (const name of names) if (!absent()) headers[name] = part();
  expect(at).toBe(key.length);
  return { transport, surface, password, forwarded, rate_limited, peer, host, origin, scopes, headers };
}

describe("canonical input JSON", () => {
  it("is the input's JSON with sorted keys and absent facts left out, whatever the strings hold", () => {
    const anyText = fc.string({ unit: "binary", maxLength: 12 });
    fc.assert(fc.property(inputArb, anyText, anyText, (input, host, user) => {
      const i: PolicyInput = { ...input, host, headers: { ...input.headers, "x-forwarded-user": user } };
      const text = policyInputJson(i);
      const expected: Record<string, unknown> = { headers: Object.fromEntries(Object.entries(i.headers).sort(([a], [b]) => (a < b ? -1 : 1))), surface: i.surface, transport: i.transport };
      if (i.forwarded) expected.forwarded = true;
      if (i.host !== "") expected.host = i.host;
      if (i.origin.present) expected.origin = i.origin;
      if (i.password !== "absent") expected.password = i.password;
      expected.peer = i.peer.valid ? i.peer : { valid: false };
      if (i.rate_limited) expected.rate_limited = true;
      if (i.scopes.present) expected.scopes = i.scopes;
      expect(JSON.parse(text)).toEqual(expected);
      const keysInOrder = (v: unknown): boolean => typeof v !== "object" || v === null || (Object.keys(v).every((k, n, ks) => n === 0 || ks[n - 1]! < k) && Object.values(v).every(keysInOrder));
      expect(keysInOrder(JSON.parse(text))).toBe(true);
    }), { numRuns: 500 });
  });
});

describe("decision cache key", () => {
  it("reads back to the input it stands for, whatever the strings hold", () => {
    const anyText = fc.string({ unit: "binary", maxLength: 12 });
    fc.assert(fc.property(inputArb, fc.record({ ip: anyText, host: anyText, value: anyText, user: anyText }), (input, t) => {
      const i: PolicyInput = { ...input, host: t.host, scopes: input.scopes.present ? { present: true, value: t.value } : input.scopes, headers: { ...input.headers, "x-forwarded-user": t.user }, peer: input.peer.valid ? { ...input.peer, ip: t.ip } : input.peer };
      expect(policyInputJson(readKey(policyInputKey(i, NAMES), NAMES))).toBe(policyInputJson(i));
    }), { numRuns: 1000 });
  });

  it("is shared by two inputs exactly when their canonical JSON is", () => {
    const byKey = new Map<string, Set<string>>(), byJson = new Map<string, Set<string>>();
    for (const input of fc.sample(inputArb, { numRuns: 20_000, seed: 7 })) {
      const key = policyInputKey(input, NAMES), json = policyInputJson(input);
      (byKey.get(key) ?? byKey.set(key, new Set()).get(key)!).add(json);
      (byJson.get(json) ?? byJson.set(json, new Set()).get(json)!).add(key);
    }
    expect([...byKey.values()].filter((s) => s.size > 1)).toEqual([]);
    expect([...byJson.values()].filter((s) => s.size > 1)).toEqual([]);
    // the sample must hold repeats, or the check above shows nothing
    expect(byKey.size).toBeLessThan(20_000);
  });

  it("is shorter than the JSON it stands for", () => {
    const input = fc.sample(inputArb, { numRuns: 1, seed: 1 })[0]!;
    const proxied: PolicyInput = { ...input, headers: { "x-forwarded-user": "nick@example.com" }, peer: { valid: true, ip: "10.0.0.1", loopback: false }, host: "gateway.example.com" };
    expect(policyInputKey(proxied, NAMES).length * 2).toBeLessThan(policyInputJson(proxied).length);
  });
});
