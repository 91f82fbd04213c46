import { describe, expect, it } from "vitest";
import { value } from "../helpers.js";

describe("runtime values (OPA semantics)", () => {
  it("orders sets and object keys, and compares across types", () => {
    expect(value("x := {3, 1, 2, 1}")).toEqual([1, 2, 3]);
    expect(value('x := [k | some k, _ in {"b": 1, "a": 2, "c": 3}]')).toEqual(["a", "b", "c"]);
    expect(value('x := sort([{"a": 1}, "s", 2, null, true, [1], {1}])')).toEqual([null, true, 2, "s", [1], { a: 1 }, [1]]);
  });

  it("compares numbers by value", () => {
    expect(value("x := 1 == 1.0")).toBe(true);
    expect(value("x := {1, 1.0}")).toEqual([1]);
    expect(value("x := 2.5 < 3")).toBe(true);
  });

  it("keeps integer arithmetic exact and divides like OPA", () => {
    expect(value("x := 9007199254740993 + 0")).toBe(9007199254740993);
    expect(value("x := 7 / 2")).toBe(3.5);
    expect(value("x := 6 / 2")).toBe(3);
    expect(value("x := 7 % 3")).toBe(1);
    expect(value("x := 1 / 0")).toBeUndefined();
  });

  it("treats undefined, false and conflicts as OPA does", () => {
    expect(value("x := input.missing")).toBeUndefined();
    expect(value("x := true; input.flag == false", { input: { flag: false } })).toBe(true);
    expect(() => value("x := data.p.v", { modules: ["package p\nv := 1 if true\nv := 2 if true\n"] }))
      .toThrow(/eval_conflict_error: complete rules must not produce multiple outputs/);
  });

  it("merges virtual documents with base data", () => {
    expect(value("x := data.p", { modules: ["package p\nr := 1\n"], data: { p: { base: true } } })).toEqual({ base: true, r: 1 });
  });
});
