// The service's JSON body parser: the depth check before JSON.parse, and prototype names as data.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, nestsDeeperThan, parseJsonBody } from "../../src/server/json-body.js";

/** Nesting depth of a parsed value (arrays and objects). */
function depthOf(v: unknown): number {
  if (typeof v !== "object" || v === null) return 0;
  return 1 + Math.max(0, ...Object.values(v).map(depthOf));
}

describe("JSON request bodies", () => {
  it("accepts exactly the limit and refuses one level more, naming it", () => {
    const at = "[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH);
    expect(depthOf(parseJsonBody(at))).toBe(MAX_JSON_DEPTH);
    expect(() => parseJsonBody(`[${at}]`)).toThrow(`body: JSON nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects (the service's limit)`);
    expect(() => parseJsonBody('{"a":'.repeat(100_000))).toThrow(/nested deeper/);
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    const s = JSON.stringify({ headers: { "x-a": "[{".repeat(500), "x-b": '\\"[[[[' + "[".repeat(100), "x-c": "\\" } });
    expect(nestsDeeperThan(s, MAX_JSON_DEPTH)).toBe(false);
    expect(parseJsonBody(s)).toEqual(JSON.parse(s));
  });

  it("agrees with the depth of what JSON.parse builds", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 12 }), fc.integer({ min: 0, max: 12 }), (v, max) => {
      const text = JSON.stringify(v);
      expect(nestsDeeperThan(text, max)).toBe(depthOf(v) > max);
    }), { numRuns: 500 });
  });

  it("keeps __proto__ and constructor keys as own data properties, touching no prototype", () => {
    const v = parseJsonBody('{"headers":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"x":"y"}}') as { headers: Record<string, unknown> };
    expect(Object.getPrototypeOf(v.headers)).toBe(Object.prototype);
    expect(Object.keys(v.headers)).toEqual(["__proto__", "constructor", "x"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses empty and malformed bodies with a message", () => {
    expect(() => parseJsonBody("")).toThrow("body: empty; send a JSON object");
    expect(() => parseJsonBody(" \n")).toThrow("body: empty");
    expect(() => parseJsonBody("{nope")).toThrow(/^body: not valid JSON: /);
    expect(() => parseJsonBody('{"a":"\u0000"}')).toThrow(/not valid JSON/); // a raw control character
  });
});
