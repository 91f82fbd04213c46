import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/compile.js";
import { RegoError } from "../../src/rego/errors.js";

function errorsOf(...sources: string[]): RegoError {
  try {
    compile({ modules: sources.map((source, i) => ({ path: `policy/m${i}.rego`, source })) });
  } catch (e) {
    if (e instanceof RegoError) return e;
    throw e;
  }
  throw new Error("expected compile errors");
}

describe("compiler checks", () => {
  it("reports unsafe variables with their position", () => {
    const e = errorsOf("package p\n\nq if {\n\tx > 1\n}\n");
    expect(e.errors).toEqual([{ code: "rego_unsafe_var_error", message: "var x is unsafe", location: { file: "policy/m0.rego", row: 4, col: 2 } }]);
    expect(e.message).toBe("policy/m0.rego:4:2: rego_unsafe_var_error: var x is unsafe");
  });

  it("reorders a body so variables are bound before use", () => {
    const r = compile({ modules: [{ path: "a.rego", source: "package p\nq := y if {\n\ty > 1\n\ty := input.n\n}\n" }], entrypoints: ["p/q"] });
    expect(r.entrypoints).toEqual(["p/q"]);
  });

  it("reports recursion through rules and through data references", () => {
    const e = errorsOf("package p\na if b\nb if a\nc := data.p\n");
    expect(e.errors.map((x) => x.code)).toEqual(["rego_recursion_error", "rego_recursion_error"]);
    expect(e.errors[0]!.message).toBe("rule data.p.a is recursive: data.p.a -> data.p.b -> data.p.a");
    expect(e.errors[1]!.message).toContain("data.p.c -> data.p.c");
  });

  it("reports undefined functions, arity mismatches and unsupported builtins", () => {
    const e = errorsOf("package p\na if nope(1)\nb if count(1, 2, 3)\nc if time.now_ns() > 0\n");
    expect(e.errors.map((x) => `${x.location?.row}:${x.code}:${x.message}`)).toEqual([
      "2:rego_type_error:undefined function nope",
      "3:rego_type_error:count: arity mismatch: 3 arguments given, count takes 1",
      "4:rego_type_error:unsupported: builtin time.now_ns is not implemented by this compiler yet",
    ]);
  });

  it("reports conflicting rule kinds and duplicate defaults", () => {
    const e = errorsOf("package p\nr := 1\nr contains 2\ndefault d := 1\ndefault d := 2\n");
    expect(e.errors.map((x) => x.message)).toEqual([
      "conflicting rules data.p.r found: a complete rule and a partial set rule",
      "multiple default rules data.p.d found",
    ]);
    expect(e.errors.every((x) => x.code === "rego_type_error")).toBe(true);
  });

  it("reports several errors from several files together", () => {
    const e = errorsOf("package a\nx if y\n", "package b\nz if {\n", "package c\nw := 1\n");
    expect(e.errors.length).toBe(1); // the parse error stops compilation before checks
    expect(e.errors[0]!.location?.file).toBe("policy/m1.rego");
    const e2 = errorsOf("package a\nx if y\n", "package b\nz if q\n");
    expect(e2.errors.map((x) => x.location?.file)).toEqual(["policy/m0.rego", "policy/m1.rego"]);
  });

  it("rejects unknown entrypoints", () => {
    expect(() => compile({ modules: [{ path: "a.rego", source: "package a\nx := 1\n" }], entrypoints: ["a/y"] }))
      .toThrow(/entrypoint a\/y does not match any rule or package/);
  });
});
