// Safety: every variable must be bound before it is read. Body expressions are reordered so that
// each runs once the variables it reads are bound (OPA's reordering); what cannot be ordered is
// reported as rego_unsafe_var_error.
import type { Body, Expr, Term } from "../rego/ast.js";
import { formatTerm } from "../rego/format.js";
import type { RegoErrorDetail } from "../rego/errors.js";
import { lookupBuiltin } from "./builtins.js";

export type VarSet = Set<string>;
/** The number of arguments a called function (`["data", …]`) or builtin takes, when known. */
export type ArityOf = (fn: string[]) => number | undefined;
const builtinArity: ArityOf = (fn) => lookupBuiltin(fn.join("."))?.arity;

export function isRoot(name: string): boolean { return name === "input" || name === "data"; }

/** All local variables in a term, including inside comprehensions (their free variables). */
export function termVars(t: Term, out: VarSet = new Set()): VarSet {
  switch (t.type) {
    case "var": if (!isRoot(t.name)) out.add(t.name); break;
    case "ref": termVars(t.head, out); for (const p of t.path) termVars(p, out); break;
    case "array": case "set": for (const x of t.items) termVars(x, out); break;
    case "object": for (const [k, v] of t.entries) { termVars(k, out); termVars(v, out); } break;
    case "call": for (const a of t.args) termVars(a, out); break;
    case "arraycompr": case "setcompr": termVars(t.term, out); bodyVars(t.body, out); break;
    case "objectcompr": termVars(t.key, out); termVars(t.value, out); bodyVars(t.body, out); break;
    default: break;
  }
  return out;
}

export function exprVars(e: Expr, out: VarSet = new Set()): VarSet {
  switch (e.kind) {
    case "term": termVars(e.term, out); break;
    case "unify": case "assign": termVars(e.left, out); termVars(e.right, out); break;
    case "some": for (const v of e.vars) termVars(v, out); break;
    case "somein": if (e.key) termVars(e.key, out); termVars(e.value, out); termVars(e.collection, out); break;
    case "every": if (e.key) termVars(e.key, out); termVars(e.value, out); termVars(e.collection, out); bodyVars(e.body, out); break;
  }
  for (const w of e.with) termVars(w.value, out);
  return out;
}

function bodyVars(b: Body, out: VarSet): VarSet { for (const e of b) exprVars(e, out); return out; }

/** Variables a term needs bound before it can be evaluated, given `bound`; `outer` = the vars of
 *  the enclosing body, which comprehensions close over. Ref keys that are variables are not needed:
 *  the ref iterates and binds them. */
export function needs(t: Term, bound: VarSet, outer: VarSet, out: VarSet = new Set()): VarSet {
  switch (t.type) {
    case "var": if (!isRoot(t.name) && !bound.has(t.name)) out.add(t.name); break;
    case "ref":
      needs(t.head, bound, outer, out);
      for (const p of t.path) {
        if (p.type === "var") continue;
        if (isPattern(p)) continue; // composite keys unify with the collection's keys
        needs(p, bound, outer, out);
      }
      break;
    case "array": case "set": for (const x of t.items) needs(x, bound, outer, out); break;
    case "object": for (const [k, v] of t.entries) { needs(k, bound, outer, out); needs(v, bound, outer, out); } break;
    case "call": for (const a of t.args) needs(a, bound, outer, out); break;
    case "arraycompr": case "setcompr": case "objectcompr":
      for (const v of termVars(t)) if (outer.has(v) && !bound.has(v)) out.add(v);
      break;
    default: break;
  }
  return out;
}

/** Variables a ref's iteration binds (vars in key positions that are not yet bound). */
export function refOutputs(t: Term, bound: VarSet, out: VarSet = new Set()): VarSet {
  switch (t.type) {
    case "ref":
      refOutputs(t.head, bound, out);
      for (const p of t.path) {
        if (p.type === "var" && !bound.has(p.name)) out.add(p.name);
        else if (isPattern(p)) for (const v of termVars(p)) if (!bound.has(v)) out.add(v);
        else refOutputs(p, bound, out);
      }
      break;
    case "array": case "set": for (const x of t.items) refOutputs(x, bound, out); break;
    case "object": for (const [k, v] of t.entries) { refOutputs(k, bound, out); refOutputs(v, bound, out); } break;
    case "call": for (const a of t.args) refOutputs(a, bound, out); break;
    default: break;
  }
  return out;
}

/** A term that can be the binding side of a unification: vars and composites of patterns/scalars. */
export function isPattern(t: Term): boolean {
  switch (t.type) {
    case "var": return !isRoot(t.name);
    case "array": return t.items.some(isPattern) && t.items.every((x) => isPattern(x) || isGround(x));
    case "object": return t.entries.some(([, v]) => isPattern(v)) && t.entries.every(([k, v]) => k.type !== "call" && (isPattern(v) || isGround(v)));
    default: return false;
  }
}

export function isGround(t: Term): boolean {
  switch (t.type) {
    case "null": case "boolean": case "number": case "string": return true;
    case "array": case "set": return t.items.every(isGround);
    case "object": return t.entries.every(([k, v]) => isGround(k) && isGround(v));
    default: return false;
  }
}

/** Can `e` run with `bound`? Returns the variables it binds, or undefined when it cannot yet. */
export function analyze(e: Expr, bound: VarSet, outer: VarSet, arityOf: ArityOf = builtinArity): VarSet | undefined {
  for (const w of e.with) if (needs(w.value, bound, outer).size > 0) return undefined;
  const plus = (a: VarSet, b: VarSet) => { for (const v of b) a.add(v); return a; };
  if (e.negated) return negationReady(e, bound, outer) ? new Set() : undefined;
  switch (e.kind) {
    case "some": return new Set();
    case "term": {
      const t = e.term;
      if (t.type === "call") {
        if (needs(t, bound, outer).size === 0) return refOutputs(t, bound);
        // Only a call with one argument more than the function takes has an output (count(xs, n)):
        // `0 == x` and `f(x)` read x, they wait for it.
        const arity = arityOf(t.fn);
        return arity !== undefined && t.args.length !== arity + 1 ? undefined : callWithOutput(t, bound, outer);
      }
      return needs(t, bound, outer).size === 0 ? refOutputs(t, bound) : undefined;
    }
    case "unify": case "assign": return unifyBinds(e.left, e.right, bound, outer);
    case "somein": {
      if (needs(e.collection, bound, outer).size > 0) return undefined;
      const out = refOutputs(e.collection, bound);
      const b2 = plus(new Set(bound), out);
      for (const p of e.key ? [e.key, e.value] : [e.value]) {
        if (needs(p, b2, outer).size === 0) continue;
        if (!isPattern(p)) return undefined;
        for (const v of termVars(p)) if (!b2.has(v)) out.add(v);
      }
      return out;
    }
    case "every": {
      if (needs(e.collection, bound, outer).size > 0) return undefined;
      // The body closes over the enclosing body's variables: it runs once they are bound, or it
      // would bind them itself, per element (OPA's reordering for closures).
      const own = new Set<string>();
      if (e.key) termVars(e.key, own);
      termVars(e.value, own);
      for (const x of e.body) declaredVars(x, own);
      for (const v of bodyVars(e.body, new Set())) if (!own.has(v) && outer.has(v) && !bound.has(v)) return undefined;
      return new Set();
    }
  }
}

/** A negated expression binds nothing, so it runs once every variable it names is bound; a
 *  wildcard (`_`) is its own, searched over: `not xs[_] == 1` holds when no element is 1. */
function negationReady(e: Expr, bound: VarSet, outer: VarSet): boolean {
  const terms = e.kind === "term" ? [e.term] : e.kind === "unify" || e.kind === "assign" ? [e.left, e.right] : [];
  if (terms.some((t) => needs(t, bound, outer).size > 0)) return false;
  return outerVarsInOrder(e).every((v) => v.startsWith("_$") || bound.has(v));
}

/** Variables a body expression declares for itself: `some x`, `some k, v in`, `x := …`. */
function declaredVars(e: Expr, out: VarSet): void {
  if (e.kind === "some") for (const v of e.vars) termVars(v, out);
  if (e.kind === "somein") { if (e.key) termVars(e.key, out); termVars(e.value, out); }
  if (e.kind === "assign") termVars(e.left, out);
}

/** `f(a, b, out)`: the last argument is an output when the call has one more than the arity. */
function callWithOutput(t: Term & { type: "call" }, bound: VarSet, outer: VarSet): VarSet | undefined {
  if (t.args.length === 0) return undefined;
  const last = t.args[t.args.length - 1]!;
  const init = t.args.slice(0, -1);
  for (const a of init) if (needs(a, bound, outer).size > 0) return undefined;
  if (!isPattern(last) && needs(last, bound, outer).size > 0) return undefined;
  const out = new Set<string>();
  for (const a of init) refOutputs(a, bound, out);
  for (const v of termVars(last)) if (!bound.has(v)) out.add(v);
  return out;
}

export function unifyBinds(a: Term, b: Term, bound: VarSet, outer: VarSet): VarSet | undefined {
  const ea = needs(a, bound, outer).size === 0;
  const eb = needs(b, bound, outer).size === 0;
  if (ea && eb) { const o = refOutputs(a, bound); refOutputs(b, bound, o); return o; }
  if (ea && isPattern(b)) {
    const o = refOutputs(a, bound);
    for (const v of termVars(b)) if (!bound.has(v)) o.add(v);
    return o;
  }
  if (eb && isPattern(a)) {
    const o = refOutputs(b, bound);
    for (const v of termVars(a)) if (!bound.has(v)) o.add(v);
    return o;
  }
  // [a, 1] = [2, b]: element-wise
  if (a.type === "array" && b.type === "array" && a.items.length === b.items.length) {
    const b2 = new Set(bound);
    const out = new Set<string>();
    const pending = a.items.map((x, i) => [x, b.items[i]!] as const);
    let progress = true;
    while (pending.length && progress) {
      progress = false;
      for (let i = 0; i < pending.length; i++) {
        const r = unifyBinds(pending[i]![0], pending[i]![1], b2, outer);
        if (r) { for (const v of r) { out.add(v); b2.add(v); } pending.splice(i, 1); i--; progress = true; }
      }
    }
    return pending.length ? undefined : out;
  }
  if (a.type === "object" && b.type === "object" && a.entries.length === b.entries.length) {
    const b2 = new Set(bound);
    const out = new Set<string>();
    for (const [k, v] of a.entries) {
      if (needs(k, bound, outer).size > 0) return undefined;
      const other = b.entries.find(([k2]) => formatTerm(k2) === formatTerm(k));
      if (!other) return undefined;
      const r = unifyBinds(v, other[1], b2, outer);
      if (!r) return undefined;
      for (const x of r) { out.add(x); b2.add(x); }
    }
    return out;
  }
  return undefined;
}

/** Orders a body so each expression's inputs are bound first; reports unsafe variables. */
export function orderBody(body: Body, bound: VarSet, errors: RegoErrorDetail[], arityOf: ArityOf = builtinArity): Body | undefined {
  const outer = new Set<string>();
  for (const e of body) {
    if (e.kind === "every") { if (e.key) termVars(e.key, outer); termVars(e.value, outer); termVars(e.collection, outer); }
    else outerExprVars(e, outer);
  }
  // A var declared with := is a new variable from its declaration on: comprehensions before it
  // that use the same name have their own local (OPA's scoping).
  const declaredAt = new Map<string, number>();
  body.forEach((e, i) => {
    if (e.kind === "assign") for (const v of termVars(e.left)) if (!declaredAt.has(v)) declaredAt.set(v, i);
  });
  const outerAt = body.map((_, i) => {
    const o = new Set(outer);
    for (const [v, at] of declaredAt) if (at > i) o.delete(v);
    return o;
  });
  const b = new Set(bound);
  const remaining = body.map((e, i) => ({ e, i }));
  const ordered: Body = [];
  while (remaining.length) {
    let picked = -1;
    for (let i = 0; i < remaining.length; i++) {
      const r = analyze(remaining[i]!.e, b, outerAt[remaining[i]!.i]!, arityOf);
      if (r) { for (const v of r) b.add(v); picked = i; break; }
    }
    if (picked < 0) {
      for (const { e } of remaining) {
        const unsafe = [...exprVars(e)].filter((v) => !b.has(v) && !v.startsWith("_$")).sort();
        const wild = [...exprVars(e)].some((v) => !b.has(v) && v.startsWith("_$"));
        const names = unsafe.length ? unsafe : wild ? ["_"] : [];
        for (const v of names) {
          errors.push({ code: "rego_unsafe_var_error", message: `var ${v} is unsafe`, location: e.loc });
        }
        if (names.length) break;
      }
      return undefined;
    }
    ordered.push(remaining.splice(picked, 1)[0]!.e);
  }
  return ordered;
}

/** Variables of an expression outside comprehension bodies, in order of appearance: what
 *  comprehensions may close over, and a query's result columns. */
export function outerVarsInOrder(e: Expr): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (t: Term): void => {
    switch (t.type) {
      case "var": if (!isRoot(t.name) && !seen.has(t.name)) { seen.add(t.name); out.push(t.name); } break;
      case "ref": visit(t.head); t.path.forEach(visit); break;
      case "array": case "set": t.items.forEach(visit); break;
      case "object": t.entries.forEach(([k, v]) => { visit(k); visit(v); }); break;
      case "call": t.args.forEach(visit); break;
      default: break;
    }
  };
  switch (e.kind) {
    case "term": visit(e.term); break;
    case "unify": case "assign": visit(e.left); visit(e.right); break;
    case "some": e.vars.forEach(visit); break;
    case "somein": if (e.key) visit(e.key); visit(e.value); visit(e.collection); break;
    case "every": break;
  }
  return out;
}

function outerExprVars(e: Expr, out: VarSet): void {
  for (const v of outerVarsInOrder(e)) out.add(v);
}
