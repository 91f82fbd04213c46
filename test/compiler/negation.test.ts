// `not` and `every` over expressions and bodies that iterate: "no solution exists" / "no element
// without a solution", never "the last iteration failed" or "one iteration succeeded".
import { describe, expect, it } from "vitest";
import { RegoError } from "../../src/rego/errors.js";
import { query, value } from "../helpers.js";

/** The value of data.p.q for a module body (rules after `package p`), or undefined. */
function q(rules: string, opts: { data?: unknown; input?: unknown } = {}): unknown {
  return value("x := data.p.q", { modules: [`package p\n${rules}\n`], ...opts });
}

function compileError(rules: string): RegoError {
  try { q(rules); } catch (e) { expect(e).toBeInstanceOf(RegoError); return e as RegoError; }
  throw new Error("expected a compile error");
}

describe("not over an iterating expression", () => {
  it("holds only when no element matches (the issue's deny rule)", () => {
    const deny = 'allowed := ["a", "b"]\nq if not input.user == allowed[_]';
    expect(q(deny, { input: { user: "c" } })).toBe(true);
    expect(q(deny, { input: { user: "a" } })).toBeUndefined();
    expect(q(deny, { input: { user: "b" } })).toBeUndefined();
  });

  it("over data refs, nested refs and partial sets, empty or not", () => {
    const rules = "q if not data.xs[_] == 1";
    expect(q(rules, { data: { xs: [1, 2] } })).toBeUndefined();
    expect(q(rules, { data: { xs: [2, 1] } })).toBeUndefined();
    expect(q(rules, { data: { xs: [2, 3] } })).toBe(true);
    expect(q(rules, { data: { xs: [] } })).toBe(true);
    expect(q(rules, {})).toBe(true);
    const nested = "q if not data.xss[_][_] == 1";
    expect(q(nested, { data: { xss: [[0], [2, 1]] } })).toBeUndefined();
    expect(q(nested, { data: { xss: [[0], [2, 3]] } })).toBe(true);
    const set = "s contains x if some x in data.xs\nq if not s[_] > 2";
    expect(q(set, { data: { xs: [1, 3] } })).toBeUndefined();
    expect(q(set, { data: { xs: [1, 2] } })).toBe(true);
  });

  it("negated unification with a wildcard is the same as ==", () => {
    const rules = "q if not input.user = data.allowed[_]";
    expect(q(rules, { data: { allowed: ["a"] }, input: { user: "b" } })).toBe(true);
    expect(q(rules, { data: { allowed: ["b", "a"] }, input: { user: "a" } })).toBeUndefined();
  });

  it("a named variable bound nowhere else is unsafe, as in OPA", () => {
    const err = compileError("q if not data.xs[y]");
    expect(err.code).toBe("rego_unsafe_var_error");
    expect(err.message).toContain("var y is unsafe");
    // bound later in the body: the negation waits for it
    expect(q("q if { not data.xs[y] == 1; y := 0 }", { data: { xs: [1, 2] } })).toBeUndefined();
    expect(q("q if { not data.xs[y] == 1; y := 1 }", { data: { xs: [1, 2] } })).toBe(true);
  });

  it("negates the whole `with`-modified expression, also when the with value iterates", () => {
    const rules = "f if data.ys[_] == 1\nq if not f with data.ys as data.yss[_]";
    expect(q(rules, { data: { yss: [[1], [2]] } })).toBeUndefined();
    expect(q(rules, { data: { yss: [[2], [3]] } })).toBe(true);
    expect(q(rules, { data: { yss: [] } })).toBe(true);
    expect(q("f if input.x == 1\nq if not f with input.x as 1")).toBeUndefined();
    expect(q("f if input.x == 1\nq if not f with input.x as 2")).toBe(true);
  });

  it("in a complete rule with an else chain", () => {
    const rules = "q := 1 if { not data.xs[_] == 0 } else := 2";
    expect(q(rules, { data: { xs: [1, 0] } })).toBe(2);
    expect(q(rules, { data: { xs: [1, 2] } })).toBe(1);
  });
});

describe("every over bodies that iterate", () => {
  it("the issue's case: the body must have a solution for each element", () => {
    expect(value("x := true; every y in [3] { [1, 2][_] == y }")).toBeUndefined();
    expect(value("x := true; every y in [2, 1] { [1, 2][_] == y }")).toBe(true);
  });

  it("with some … in, nested every and not in the body", () => {
    const rules = 'q if { every c in input.cs { some r in data.repos; startswith(c, r) } }';
    const data = { repos: ["a/", "b/"] };
    expect(q(rules, { data, input: { cs: ["a/x", "b/y"] } })).toBe(true);
    expect(q(rules, { data, input: { cs: ["a/x", "c/y"] } })).toBeUndefined();
    // disjoint: every x has no equal y
    const disjoint = "q if { every x in data.xs { not data.ys[_] == x } }";
    expect(q(disjoint, { data: { xs: [1, 2], ys: [3, 4] } })).toBe(true);
    expect(q(disjoint, { data: { xs: [1, 2], ys: [3, 2] } })).toBeUndefined();
    // every row has an element that is in every other row
    const nested = "q if { every r in data.xss { some x in r; every s in data.xss { x in s } } }";
    expect(q(nested, { data: { xss: [[1, 2], [2, 3]] } })).toBe(true);
    expect(q(nested, { data: { xss: [[1, 2], [3]] } })).toBeUndefined();
  });

  it("with key and value over objects and sets", () => {
    const obj = "q if { every k, v in data.o { data.names[_] == k; v > 0 } }";
    expect(q(obj, { data: { o: { a: 1, b: 2 }, names: ["b", "a"] } })).toBe(true);
    expect(q(obj, { data: { o: { a: 1, b: 2 }, names: ["a"] } })).toBeUndefined();
    expect(q(obj, { data: { o: { a: 1, b: 0 }, names: ["a", "b"] } })).toBeUndefined();
    const set = "s contains x if some x in data.xs\nq if { every k, v in s { k == v; data.ys[_] == v } }";
    expect(q(set, { data: { xs: [1, 2], ys: [2, 1] } })).toBe(true);
    expect(q(set, { data: { xs: [1, 2], ys: [2] } })).toBeUndefined();
  });

  it("over an empty, undefined or non-collection domain (OPA: true, undefined, undefined)", () => {
    const rules = "q if { every x in data.d { data.ys[_] == x } }";
    expect(q(rules, { data: { d: [], ys: [] } })).toBe(true);
    expect(q(rules, { data: { d: {}, ys: [] } })).toBe(true);
    expect(q(rules, { data: { ys: [1] } })).toBeUndefined();
    expect(q(rules, { data: { d: 1, ys: [1] } })).toBeUndefined();
    expect(q(rules, { data: { d: "1", ys: ["1"] } })).toBeUndefined();
  });

  it("over functions with several bodies and partial sets, and under with", () => {
    const rules = "f(x) if x == 1\nf(x) if data.ys[_] == x\nq if { every x in data.xs { f(x) } }";
    expect(q(rules, { data: { xs: [1, 2], ys: [3, 2] } })).toBe(true);
    expect(q(rules, { data: { xs: [1, 2], ys: [3] } })).toBeUndefined();
    const w = "q if { every v in data.xs { data.ys[_] == v } with data.ys as [1, 2] }";
    expect(q(w, { data: { xs: [2, 1], ys: [] } })).toBe(true);
    expect(q(w, { data: { xs: [2, 3], ys: [3] } })).toBeUndefined();
  });

  it("runs after the variables its body shares with the enclosing body are bound", () => {
    // y is the rule body's variable, bound by `y = 3`: the body compares, it does not bind y per element
    expect(q("q if { every x in [1, 2] { x = y }; y = 3 }")).toBeUndefined();
    expect(q("q if { every x in [3, 3] { x = y }; y = 3 }")).toBe(true);
  });

  it("rejects a pattern for the key or value, as OPA does (it would skip the elements it does not match)", () => {
    for (const [rules, msg] of [
      ["q if { every [a, b] in data.ps { a < b } }", "every: expected value to be a variable"],
      ['q if { every "k", v in data.o { v > 0 } }', "every: expected key to be a variable"],
    ] as const) {
      const err = compileError(rules);
      expect(err.code).toBe("rego_parse_error");
      expect(err.message).toContain(msg);
    }
  });
});

describe("queries", () => {
  it("negation over iteration at query level", () => {
    expect(query("not data.xs[_] == 1", { data: { xs: [2] } })).toEqual([{}]);
    expect(query("not data.xs[_] == 1", { data: { xs: [2, 1] } })).toEqual([]);
  });
});
