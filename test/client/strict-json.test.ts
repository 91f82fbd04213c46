import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH, parseStrictJson, StrictJsonError } from "../../src/client/strict-json.js";

/** Whether JSON.parse accepts a text. */
const jsonParses = (t: string) => { try { JSON.parse(t); return true; } catch { return false; } };

describe("strict JSON", () => {
  it("reads every JSON value as JSON.parse does (with any whitespace)", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(undefined, 1, 2, "\t"), (v, indent) => {
      const text = JSON.stringify(v, null, indent);
      expect(parseStrictJson(text)).toEqual(JSON.parse(text));
    }), { numRuns: 500 });
  });

  it("rejects exactly what JSON.parse rejects, besides duplicate keys and depth", () => {
    // texts near JSON: JSON with one character changed, dropped or added, and random strings
    const mutated = fc.tuple(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), fc.nat(), fc.constantFrom("", "x", ",", "}", "]", '"', "\\", "0", "-", ".", "e", " ", "\u0001", "\ufeff"))
      .map(([t, at, ch]) => { const i = at % (t.length + 1); return t.slice(0, i) + ch + t.slice(i + 1); });
    fc.assert(fc.property(fc.oneof(mutated, fc.string(), fc.string({ unit: fc.constantFrom(..."{}[]:,\"\\ 0123456789.eE+-tnuflsra") })), (text) => {
      let strict: unknown;
      try { parseStrictJson(text); strict = true; } catch (e) { expect(e).toBeInstanceOf(StrictJsonError); strict = (e as Error).message; }
      if (jsonParses(text)) {
        if (strict !== true) expect(strict).toMatch(/duplicate key/);
      } else {
        expect(strict, text).not.toBe(true);
      }
    }), { numRuns: 3000 });
  });

  it.each([
    ['{"allow":false,"allow":true}', 'duplicate key "allow" in $'],
    ['{"a":{"b":1,"c":2,"b":3}}', 'duplicate key "b" in $.a'],
    ['[{"x":1},{"y":1,"y":1}]', 'duplicate key "y" in $[1]'],
    ['{"allow":1,"\\u0061llow":2}', 'duplicate key "allow" in $'], // the same key, escaped
  ])("rejects duplicate keys anywhere: %s", (text, message) => {
    expect(() => parseStrictJson(text)).toThrow(message);
  });

  it("keeps distinct keys and a __proto__ key as its own property", () => {
    const o = parseStrictJson('{"a":1,"A":2,"__proto__":{"allow":true}}') as Record<string, unknown>;
    expect(Object.keys(o)).toEqual(["a", "A", "__proto__"]);
    expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect((o as { allow?: unknown }).allow).toBeUndefined();
  });

  it("bounds nesting and names the problem with its offset", () => {
    expect(parseStrictJson("[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH))).toBeInstanceOf(Array);
    expect(() => parseStrictJson("[".repeat(MAX_JSON_DEPTH + 1) + "]".repeat(MAX_JSON_DEPTH + 1))).toThrow(`nesting deeper than ${MAX_JSON_DEPTH}`);
    expect(() => parseStrictJson("[".repeat(100_000))).toThrow(StrictJsonError);
    expect(() => parseStrictJson('{"a":1} x')).toThrow('not JSON: the end of the text after the value (found "x" at offset 8)');
    expect(() => parseStrictJson('{"a":1')).toThrow("(found end of text)");
    expect(() => parseStrictJson("\ufeff{}")).toThrow("at offset 0");
  });
});
