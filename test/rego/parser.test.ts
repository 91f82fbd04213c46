import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseModule, parseQuery } from "../../src/rego/parser.js";
import { formatModule } from "../../src/rego/format.js";
import { expectParseError } from "../helpers.js";

const strip = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v) => (k === "loc" || k === "fnLoc" || k === "pkgLoc" ? undefined : v)));

const SAMPLE = `package app.authz

import rego.v1
import data.lib.helpers as h
import input.request

default allow := false

allow if {
\tsome role in input.user.roles
\trole == "admin"
}

allow if input.user.name in data.superusers

deny contains msg if {
\tnot input.user
\tmsg := sprintf("no user: %v", [input.path])
}

scopes[name] := level if {
\tsome name, level in input.grants
\tlevel >= 2
}

p.q[x].r := y if {
\tx := "a"
\ty := [1, 2.5, "s", null, true, {"k": {1, 2}}, set()]
}

f(x) := y if {
\ty := x * 2 + 1
} else := 0

g([a, b], {"k": c}) := a + b + c

every_ok if {
\tevery k, v in input.obj {
\t\tk != v
\t}
}

compr := {"a": [x | x := input.xs[_]; x > 1], "s": {y | some y in input.xs}, "o": {k: v | some k, v in input.m}}

w if {
\tallow with input.user as {"name": "x"} with data.superusers as []
\tx := (1 + 2) * 3 - -4 % 5
\ty := {1, 2} | {3} & {1}
\traw := \`a\\b\`
}
`;

describe("parser", () => {
  it("parses every construct of Rego v1", () => {
    const m = parseModule(SAMPLE, "sample.rego");
    expect(m.pkg).toEqual(["app", "authz"]);
    expect(m.imports.map((i) => i.alias)).toEqual([undefined, "h", undefined]);
    const names = m.rules.map((r) => r.head.name);
    expect(names).toEqual(["allow", "allow", "allow", "deny", "scopes", "p", "f", "g", "every_ok", "compr", "w"]);
    expect(m.rules[0]!.isDefault).toBe(true);
    expect(m.rules[3]!.head.contains?.type).toBe("var");
    expect(m.rules[5]!.head.path.map((p) => p.type)).toEqual(["string", "var", "string"]);
    expect(m.rules[6]!.else?.head.value).toMatchObject({ type: "number", text: "0" });
    expect(m.rules[8]!.body[0]!.kind).toBe("every");
  });

  it("round-trips through the formatter (sample and every OPA compliance module)", () => {
    const a = parseModule(SAMPLE, "sample.rego");
    expect(strip(parseModule(formatModule(a), "sample.rego"))).toEqual(strip(a));
    const { cases } = JSON.parse(readFileSync("test/fixtures/opa-cases/tier1-visible.json", "utf8")) as { cases: { modules: string[] }[] };
    let n = 0;
    for (const c of cases) for (const src of c.modules) {
      const m = parseModule(src, "m.rego");
      expect(strip(parseModule(formatModule(m), "m.rego"))).toEqual(strip(m));
      n++;
    }
    expect(n).toBeGreaterThan(1000);
  });

  it("binds operators with Rego's precedence", () => {
    const [e] = parseQuery("x := 1 + 2 * 3 == 7");
    expect(e!.kind).toBe("assign");
    const right = (e as { right: { fn: string[]; args: { fn?: string[] }[] } }).right;
    expect(right.fn).toEqual(["equal"]);
    expect(right.args[0]!.fn).toEqual(["plus"]);
  });

  it("ends expressions at line breaks but not inside brackets", () => {
    expect(parseQuery("x := [1,\n 2]\ny := 3")).toHaveLength(2);
    expect(parseQuery("a\n-1 == b")).toHaveLength(2);
  });

  it("accepts keywords as names after a dot and as ref-head rule names", () => {
    const m = parseModule("package k\nas.foo := 1\np if as.foo == 1\n", "k.rego");
    expect(m.rules.map((r) => r.head.name)).toEqual(["as", "p"]);
  });

  it.each([
    ["package p\nallow { true }", 2, 7, '"if" is required'],
    ["package p\np := 1 if {\n  x := \n}", 4, 1, 'unexpected "}"'],
    ["package p\np if { x == 1 y == 2 }", 2, 15, "separated"],
    ["p := 1", 1, 1, 'expected "package"'],
    ["package p\nimport foo.bar", 2, 1, "must begin with input or data"],
    ["package p\nq if {\n  x == [1, 2\n}", 4, 1, 'expected "]"'],
    ["package p\nq if {}", 2, 7, "empty body"],
  ])("reports parse errors with file:row:col: %j", (src, row, col, msg) => {
    expectParseError(() => parseModule(src, "policy/x.rego"), "policy/x.rego", row, col, msg);
  });
});

describe("parser: comprehensions and set unions", () => {
  it("reads `|` in a comprehension head's parentheses as a union", () => {
    const [e] = parseQuery("x := [(a | b) | some a in input.s; some b in input.t]");
    const right = (e as { right: { type: string; term: { fn: string[] } } }).right;
    expect(right.type).toBe("arraycompr");
    expect(right.term.fn).toEqual(["or"]);
  });

  it("reads `|` after a complete term as a comprehension body and elsewhere as a union", () => {
    expect((parseQuery("x := {a | some a in input.s}")[0] as { right: { type: string } }).right.type).toBe("setcompr");
    expect((parseQuery("x := input.s | input.t")[0] as { right: { fn: string[] } }).right.fn).toEqual(["or"]);
    expect((parseQuery("x := [{y | some y in input.s} | true]")[0] as { right: { type: string } }).right.type).toBe("arraycompr");
  });
});
