// The one walker over the Rego AST: every term of a term, an expression, a body or a rule, in
// source order, nested comprehension bodies and `every` bodies included.
import type { Body, Expr, Rule, Term } from "./ast.js";

export type TermVisitor = (t: Term) => void;

export function walkTerm(t: Term, visit: TermVisitor): void {
  visit(t);
  switch (t.type) {
    case "ref": walkTerm(t.head, visit); for (const p of t.path) walkTerm(p, visit); break;
    case "array": case "set": for (const i of t.items) walkTerm(i, visit); break;
    case "object": for (const [k, v] of t.entries) { walkTerm(k, visit); walkTerm(v, visit); } break;
    case "arraycompr": case "setcompr": walkTerm(t.term, visit); walkBody(t.body, visit); break;
    case "objectcompr": walkTerm(t.key, visit); walkTerm(t.value, visit); walkBody(t.body, visit); break;
    case "call": for (const a of t.args) walkTerm(a, visit); break;
    default: break;
  }
}

export function walkExpr(e: Expr, visit: TermVisitor): void {
  switch (e.kind) {
    case "term": walkTerm(e.term, visit); break;
    case "unify": case "assign": walkTerm(e.left, visit); walkTerm(e.right, visit); break;
    case "some": for (const v of e.vars) walkTerm(v, visit); break;
    case "somein": case "every":
      if (e.key) walkTerm(e.key, visit);
      walkTerm(e.value, visit);
      walkTerm(e.collection, visit);
      if (e.kind === "every") walkBody(e.body, visit);
      break;
  }
  for (const w of e.with) { walkTerm(w.target, visit); walkTerm(w.value, visit); }
}

export function walkBody(b: Body, visit: TermVisitor): void {
  for (const e of b) walkExpr(e, visit);
}

/** The terms of a rule's head (path, arguments, key, value), without its body or else chain. */
export function walkHead(r: Rule, visit: TermVisitor): void {
  for (const p of r.head.path) walkTerm(p, visit);
  for (const a of r.head.args ?? []) walkTerm(a, visit);
  if (r.head.contains) walkTerm(r.head.contains, visit);
  if (r.head.value) walkTerm(r.head.value, visit);
}

/** A rule and its else chain, definition by definition. */
export function* ruleChain(r: Rule): Generator<Rule> {
  for (let x: Rule | undefined = r; x; x = x.else) yield x;
}
