// Property: `not` means "the negated expression has no solution" and `every` means "no element
// for which the body has no solution", whatever the inner expressions iterate over. Rules are
// generated from a small grammar (iteration over data refs, nested `[_][_]`, `some k, v in` over
// arrays/objects/sets/partial-set rules, comparisons, nested `not`/`every`, comprehensions,
// function calls with several bodies or an else-chain, `with data.… as`), compiled with our
// compiler, evaluated through the SDK, and compared with a direct evaluation in TypeScript.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inputBuffer } from "../../src/engine/load.js";
import { policyFor } from "../helpers.js";

// ---- the grammar ---------------------------------------------------------------------------------

type Ty = "int" | "str";
interface Var { name: string; ty: Ty }
type Operand = { v: string } | { lit: number | string };
/** Collections: data arrays/object, a partial set rule, a set literal, a number, an undefined ref. */
type Coll = "xs" | "ys" | "o" | "ps" | "set" | "n" | "missing";
type Op = "==" | "!=" | "<" | "<=" | ">" | ">=";
type Expr =
  | { k: "somein"; key?: Var; val: Var; c: Coll | "xssrow" }      // some k, v in C / some v in data.xss[_]
  | { k: "bindref"; val: Var; c: Coll | "xss"; unify?: boolean }   // v := C[_] / v = data.xss[_][_]
  | { k: "cmp"; op: Op; a: Operand; b: Operand }
  | { k: "itercmp"; c: Coll | "xss"; op: Op; b: Operand }          // C[_] op b: iterates inside one expression
  | { k: "member"; a: Operand; c: Coll }                           // a in C
  | { k: "psref"; a: Operand }                                     // ps[a]: a partial set rule looked up
  | { k: "not"; e: Expr }
  | { k: "every"; key?: Var; val: Var; c: Coll; body: Expr[]; with?: number[] }
  | { k: "call"; f: number; arg: Operand; with?: number[] }        // fN(arg)
  | { k: "gcall"; g: number; arg: Operand; lit: 1 | 2 }            // gN(arg) == lit
  | { k: "count"; body: Expr[]; op: ">" | "==" };                  // count([1 | body]) op 0

interface Fn { param: string; bodies: Expr[][] }                   // f(p) if {b1}  f(p) if {b2}
interface Else { param: string; first: Expr[]; second: Expr[] }    // g(p) := 1 if {b1} else := 2 if {b2}
interface Rule { out: string[]; body: Expr[] }                     // qN contains [out…] if {body}
interface Spec { fns: Fn[]; elses: Else[]; rules: Rule[] }

interface Data { xs: number[]; ys: number[]; o: Record<string, number>; xss: number[][]; n: number }

// ---- Rego text -----------------------------------------------------------------------------------

const COLL_TEXT: Record<Coll, string> = { xs: "data.xs", ys: "data.ys", o: "data.o", ps: "ps", set: "{1, 3}", n: "data.n", missing: "data.missing" };
const opd = (o: Operand): string => ("v" in o ? o.v : JSON.stringify(o.lit));
const withText = (w?: number[]): string => (w ? ` with data.ys as ${JSON.stringify(w)}` : "");

function exprText(e: Expr): string {
  switch (e.k) {
    case "somein":
      return e.c === "xssrow" ? `some ${e.key ? `${e.key.name}, ` : ""}${e.val.name} in data.xss[_]`
        : `some ${e.key ? `${e.key.name}, ` : ""}${e.val.name} in ${COLL_TEXT[e.c]}`;
    case "bindref": return `${e.val.name} ${e.unify ? "=" : ":="} ${e.c === "xss" ? "data.xss[_]" : COLL_TEXT[e.c]}[_]`;
    case "cmp": return `${opd(e.a)} ${e.op} ${opd(e.b)}`;
    case "itercmp": return `${e.c === "xss" ? "data.xss[_]" : COLL_TEXT[e.c]}[_] ${e.op} ${opd(e.b)}`;
    case "member": return `${opd(e.a)} in ${COLL_TEXT[e.c]}`;
    case "psref": return `ps[${opd(e.a)}]`;
    case "not": return `not ${exprText(e.e)}`;
    case "every": return `every ${e.key ? `${e.key.name}, ` : ""}${e.val.name} in ${COLL_TEXT[e.c]} { ${bodyText(e.body)} }${withText(e.with)}`;
    case "call": return `f${e.f}(${opd(e.arg)})${withText(e.with)}`;
    case "gcall": return `g${e.g}(${opd(e.arg)}) == ${e.lit}`;
    case "count": return `count([1 | ${bodyText(e.body)}]) ${e.op} 0`;
  }
}
/** Bodies written in another order than they were generated (and are evaluated) in. */
const shownOrder = new WeakMap<Expr[], Expr[]>();
const bodyText = (b: Expr[]): string => (shownOrder.get(b) ?? b).map(exprText).join("; ");

function moduleText(s: Spec): string {
  const lines = ["package p", "ps contains x if { some x in data.xs }", "ps contains x if { some x in data.ys; x > 1 }"];
  s.fns.forEach((f, i) => { for (const b of f.bodies) lines.push(`f${i}(${f.param}) if { ${bodyText(b)} }`); });
  s.elses.forEach((g, i) => lines.push(`g${i}(${g.param}) := 1 if { ${bodyText(g.first)} } else := 2 if { ${bodyText(g.second)} }`));
  s.rules.forEach((r, i) => lines.push(`q${i} contains [${r.out.join(", ")}] if { ${bodyText(r.body)} }`));
  // the same bodies as complete rules (which stop at their first solution), with a default
  s.rules.forEach((r, i) => lines.push(`default c${i} := false`, `c${i} if { ${bodyText(r.body)} }`));
  return lines.join("\n") + "\n";
}

// ---- direct evaluation ---------------------------------------------------------------------------

type Val = number | string;
type Env = ReadonlyMap<string, Val>;
type Value = { t: "arr"; items: number[] } | { t: "obj"; o: Record<string, number> } | { t: "set"; items: number[] } | { t: "num" } | { t: "undef" };

function collValue(c: Coll, d: Data): Value {
  switch (c) {
    case "xs": return { t: "arr", items: d.xs };
    case "ys": return { t: "arr", items: d.ys };
    case "o": return { t: "obj", o: d.o };
    case "ps": return { t: "set", items: [...new Set([...d.xs, ...d.ys.filter((y) => y > 1)])] };
    case "set": return { t: "set", items: [1, 3] };
    case "n": return { t: "num" };
    case "missing": return { t: "undef" };
  }
}
/** key/value pairs of a collection (a set's keys are its elements); none for anything else. */
function pairs(v: Value): [Val, number][] {
  if (v.t === "arr") return v.items.map((x, i) => [i, x]);
  if (v.t === "obj") return Object.entries(v.o);
  if (v.t === "set") return v.items.map((x) => [x, x]);
  return [];
}
const isCollection = (v: Value) => v.t === "arr" || v.t === "obj" || v.t === "set";
function values(c: Coll | "xss", d: Data): number[] {
  return c === "xss" ? d.xss.flat() : pairs(collValue(c, d)).map(([, x]) => x);
}
function compare(op: Op, a: Val, b: Val): boolean {
  switch (op) {
    case "==": return a === b;
    case "!=": return a !== b;
    case "<": return a < b;
    case "<=": return a <= b;
    case ">": return a > b;
    case ">=": return a >= b;
  }
}
const bind = (env: Env, name: string, v: Val): Env => new Map(env).set(name, v);

class Evaluator {
  constructor(private spec: Spec) {}
  private val(o: Operand, env: Env): Val { return "v" in o ? env.get(o.v)! : o.lit; }
  private withData(d: Data, w?: number[]): Data { return w ? { ...d, ys: w } : d; }
  private some(body: Expr[], env: Env, d: Data): boolean { return !this.solve(body, 0, env, d).next().done; }

  *solve(body: Expr[], i: number, env: Env, d: Data): Generator<Env> {
    if (i === body.length) { yield env; return; }
    for (const env2 of this.expr(body[i]!, env, d)) yield* this.solve(body, i + 1, env2, d);
  }

  *expr(e: Expr, env: Env, d: Data): Generator<Env> {
    switch (e.k) {
      case "somein": {
        const ps = e.c === "xssrow" ? d.xss.flatMap((row) => pairs({ t: "arr", items: row })) : pairs(collValue(e.c, d));
        for (const [k, v] of ps) yield e.key ? bind(bind(env, e.key.name, k), e.val.name, v) : bind(env, e.val.name, v);
        return;
      }
      case "bindref": for (const v of values(e.c, d)) yield bind(env, e.val.name, v); return;
      case "cmp": if (compare(e.op, this.val(e.a, env), this.val(e.b, env))) yield env; return;
      case "itercmp": for (const v of values(e.c, d)) if (compare(e.op, v, this.val(e.b, env))) yield env; return;
      case "member": if (values(e.c, d).includes(this.val(e.a, env) as number)) yield env; return;
      case "psref": if (values("ps", d).includes(this.val(e.a, env) as number)) yield env; return;
      case "not": if (this.expr(e.e, env, d).next().done) yield env; return;
      case "every": {
        const d2 = this.withData(d, e.with);
        const dom = collValue(e.c, d2);
        if (!isCollection(dom)) return;
        const holds = pairs(dom).every(([k, v]) => {
          const inner = e.key ? bind(bind(env, e.key.name, k), e.val.name, v) : bind(env, e.val.name, v);
          return this.some(e.body, inner, d2);
        });
        if (holds) yield env;
        return;
      }
      case "call": {
        const f = this.spec.fns[e.f]!, d2 = this.withData(d, e.with);
        const arg = new Map([[f.param, this.val(e.arg, env)]]);
        if (f.bodies.some((b) => this.some(b, arg, d2))) yield env;
        return;
      }
      case "gcall": {
        const g = this.spec.elses[e.g]!;
        const arg = new Map([[g.param, this.val(e.arg, env)]]);
        const value = this.some(g.first, arg, d) ? 1 : this.some(g.second, arg, d) ? 2 : undefined;
        if (value === e.lit) yield env;
        return;
      }
      case "count": {
        let n = 0;
        for (const _ of this.solve(e.body, 0, env, d)) n++;
        if (e.op === ">" ? n > 0 : n === 0) yield env;
        return;
      }
    }
  }

  rule(r: Rule, d: Data): string[] {
    const rows = new Set<string>();
    for (const env of this.solve(r.body, 0, new Map(), d)) rows.add(JSON.stringify(r.out.map((v) => env.get(v))));
    return [...rows].sort();
  }
}

// ---- generation ----------------------------------------------------------------------------------

type Gen = fc.GeneratorValue;

class SpecGen {
  private next = 0;
  constructor(private g: Gen) {}
  private pick<T>(xs: readonly T[]): T { return xs[this.g(fc.integer, { min: 0, max: xs.length - 1 })]!; }
  private int(min: number, max: number): number { return this.g(fc.integer, { min, max }); }
  private fresh(ty: Ty): Var { return { name: `v${this.next++}`, ty }; }
  private withList(): number[] | undefined {
    return this.int(0, 3) === 0 ? this.g(fc.array, fc.integer({ min: 0, max: 3 }), { maxLength: 3 }) : undefined;
  }
  private intOperand(scope: Var[]): Operand {
    const ints = scope.filter((v) => v.ty === "int");
    return ints.length && this.int(0, 2) > 0 ? { v: this.pick(ints).name } : { lit: this.int(0, 3) };
  }

  /** A body over the variables in `scope`; the variables it binds are pushed onto `out`. Some
   *  bodies are written shuffled, the compiler has to order them (closures and negations after
   *  the variables they read): their bindings are unifications, since `some x in` and `:=`
   *  declare a variable from where they stand. */
  body(scope: Var[], depth: number, fns: number, elses: number, out: Var[] = []): Expr[] {
    const n = this.int(1, 3);
    const shuffled = n > 1 && this.int(0, 2) === 0;
    const local = [...scope];
    const exprs: Expr[] = [];
    for (let i = 0; i < n; i++) {
      const e = this.expr(local, depth, fns, elses, shuffled ? ["bindref", "cmp", "itercmp", "member", "psref", "not", "call", "gcall", "every", "count"] : undefined);
      if (shuffled && e.k === "bindref") e.unify = true;
      exprs.push(e);
      for (const v of boundBy(e)) { local.push(v); out.push(v); }
    }
    if (shuffled) {
      const perm = this.g(fc.shuffledSubarray, exprs.map((_, i) => i), { minLength: n, maxLength: n });
      shownOrder.set(exprs, perm.map((i) => exprs[i]!));
    }
    return exprs;
  }

  private expr(scope: Var[], depth: number, fns: number, elses: number, only?: Expr["k"][]): Expr {
    const kinds: Expr["k"][] = ["somein", "bindref", "cmp", "itercmp", "member", "psref", "not"];
    if (fns) kinds.push("call");
    if (elses) kinds.push("gcall");
    if (depth > 0) kinds.push("every", "every", "count", "not");
    const kind = this.pick(only ? kinds.filter((x) => only.includes(x)) : kinds);
    const colls: Coll[] = ["xs", "ys", "o", "ps", "set", "n", "missing"];
    switch (kind) {
      case "somein": {
        const c = this.pick([...colls, "xssrow"] as const);
        const key = this.int(0, 1) ? this.fresh(c === "o" ? "str" : "int") : undefined;
        return { k: "somein", key, val: this.fresh("int"), c };
      }
      case "bindref": return { k: "bindref", val: this.fresh("int"), c: this.pick(["xs", "ys", "o", "ps", "n", "missing", "xss"] as const) };
      case "cmp": {
        const strs = scope.filter((v) => v.ty === "str");
        if (strs.length && this.int(0, 2) === 0) return { k: "cmp", op: this.pick(["==", "!="] as const), a: { v: this.pick(strs).name }, b: { lit: this.pick(["a", "b", "z"]) } };
        return { k: "cmp", op: this.pick(["==", "!=", "<", "<=", ">", ">="] as const), a: this.intOperand(scope), b: this.intOperand(scope) };
      }
      case "itercmp": return { k: "itercmp", c: this.pick(["xs", "ys", "o", "ps", "n", "missing", "xss"] as const), op: this.pick(["==", "!=", "<", ">="] as const), b: this.intOperand(scope) };
      // `not` takes one expression that binds nothing: a comparison (iterating or not), a call, a
      // comprehension count (Rego does not allow `not every` or `not some`).
      case "member": return { k: "member", a: this.intOperand(scope), c: this.pick(colls) };
      case "psref": return { k: "psref", a: this.intOperand(scope) };
      case "not": return { k: "not", e: this.expr(scope, depth, fns, elses, ["cmp", "itercmp", "member", "psref", "call", "gcall", "count"]) };
      case "every": {
        const c = this.pick(colls);
        const key = this.int(0, 1) ? this.fresh(c === "o" ? "str" : "int") : undefined;
        const val = this.fresh("int");
        return { k: "every", key, val, c, body: this.body([...scope, ...(key ? [key] : []), val], depth - 1, fns, elses), with: this.withList() };
      }
      case "count": return { k: "count", body: this.body(scope, depth - 1, fns, elses), op: this.pick([">", "=="] as const) };
      case "call": return { k: "call", f: this.int(0, fns - 1), arg: this.intOperand(scope), with: this.withList() };
      case "gcall": return { k: "gcall", g: this.int(0, elses - 1), arg: this.intOperand(scope), lit: this.pick([1, 2] as const) };
    }
  }

  spec(): Spec {
    const fns: Fn[] = [], elses: Else[] = [];
    for (let i = 0; i < 2; i++) {
      const param = this.fresh("int");
      const bodies = Array.from({ length: this.int(1, 2) }, () => this.body([param], 1, i, 0));
      fns.push({ param: param.name, bodies });
    }
    const gp = this.fresh("int");
    elses.push({ param: gp.name, first: this.body([gp], 1, fns.length, 0), second: this.body([gp], 1, fns.length, 0) });
    const rules = Array.from({ length: 6 }, (): Rule => {
      const out: Var[] = [];
      const body = this.body([], 2, fns.length, elses.length, out);
      return { out: out.map((v) => v.name), body };
    });
    return { fns, elses, rules };
  }
}

/** Variables an expression binds for the rest of its body (only the iterating forms do). */
function boundBy(e: Expr): Var[] {
  if (e.k === "somein") return e.key ? [e.key, e.val] : [e.val];
  if (e.k === "bindref") return [e.val];
  return [];
}

const smallInts = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });
const dataArb: fc.Arbitrary<Data> = fc.record({
  xs: smallInts,
  ys: smallInts,
  o: fc.dictionary(fc.constantFrom("a", "b", "c"), fc.integer({ min: 0, max: 3 }), { maxKeys: 3 }),
  xss: fc.array(smallInts, { maxLength: 2 }),
  n: fc.constant(2),
});

// ---- the property --------------------------------------------------------------------------------

/** A partial set comes back from the SDK as an array; rows compared as sorted JSON. */
function rows(v: unknown): string[] {
  expect(Array.isArray(v)).toBe(true);
  return (v as unknown[]).map((x) => JSON.stringify(x)).sort();
}

describe("negation and every over iterating bodies (property)", () => {
  it("agree with a direct evaluation of the same rules", () => {
    fc.assert(fc.property(fc.gen(), fc.array(dataArb, { minLength: 3, maxLength: 3 }), (g, datas) => {
      const spec = new SpecGen(g).spec();
      const text = moduleText(spec);
      let policy: ReturnType<typeof policyFor>;
      try { policy = policyFor(text, { query: "x := data.p" }); } catch (e) { throw new Error(`${String(e)}\n${text}`); }
      const ev = new Evaluator(spec);
      for (const d of datas) {
        policy.setData(d);
        const out = policy.evaluate(inputBuffer(undefined), "query") as { x?: Record<string, unknown> }[];
        expect(out).toHaveLength(1);
        const doc = out[0]!.x!;
        spec.rules.forEach((r, i) => {
          const want = ev.rule(r, d);
          expect(rows(doc[`q${i}`]), `q${i} over ${JSON.stringify(d)}\n${text}`).toEqual(want);
          expect(doc[`c${i}`], `c${i} over ${JSON.stringify(d)}\n${text}`).toBe(want.length > 0);
        });
      }
    }), { numRuns: Number(process.env.NEG_RUNS ?? 60) });
  });
});
