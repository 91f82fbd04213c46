// What a policy can tell apart in its input: the constants it compares each input field with.
// A light data-flow over the rules the decision depends on: a constant is linked to the input
// fields (`input.peer`, `input.headers`, ...) read by the expression that uses it, or, when that
// expression reads none (a local or a rule of constants), by the rule body around it and by the
// expressions that use that rule. Over-linking only adds probe values; the analysis must never
// under-link, so anything it cannot follow marks the field opaque (no proof over its partition).
import type { SourceFile } from "../bundle/sources.js";
import type { Body, Expr, Module, Rule, Term } from "../rego/ast.js";
import { parseModule } from "../rego/parser.js";
import { ruleChain, walkBody, walkExpr, walkHead, walkTerm } from "../rego/walk.js";

/** The input field a constant is compared with: the first element of an `input.…` reference. */
export type InputRoot = string;
/** Every root, for a reference the analysis cannot name (`input[x]`, `input` as a whole). */
export const ANY_ROOT = "*";

export interface PolicyConstants {
  /** Whether sources were analysed; false for a wasm module without sources (values then come
   *  from the module's data section, linked to every field). */
  analysed: boolean;
  /** Input field → the string constants compared with it. */
  byRoot: Map<InputRoot, Set<string>>;
  /** Constants used as affixes (startswith/endswith/contains/glob/regex patterns) per field. */
  affixes: Map<InputRoot, Set<string>>;
  /** Header names the policy reads with a constant key (`input.headers["x-a"]`). */
  headerNames: Set<string>;
  /** Fields whose values the policy transforms in ways the analysis does not partition. */
  opaque: Set<InputRoot>;
}

/** Builtins whose result depends on their arguments only through comparisons the constants
 *  capture (or that pass a value through). Any other call on an input field makes it opaque. */
const PARTITIONED = new Set([
  "equal", "neq", "internal.member_2", "internal.member_3", "net.cidr_contains", "startswith", "endswith", "contains",
  "count", "lt", "lte", "gt", "gte", "concat", "trim_space", "split", "array.concat", "object.get", "is_string", "is_array", "is_object",
  "is_boolean", "is_number", "is_null", "is_set", "type_name",
]);
const AFFIX = new Set(["startswith", "endswith", "contains", "glob.match", "regex.match", "re_match", "strings.any_prefix_match", "strings.any_suffix_match"]);

interface Def { name: string; rule: Rule; pkg: string }

const refHeadName = (t: Term): string | undefined => (t.type === "var" ? t.name : undefined);

/** The input fields a term tree reads directly (ANY_ROOT for `input[x]` or `input` as a whole). */
function directRoots(visitTerms: (v: (t: Term) => void) => void): Set<InputRoot> {
  const out = new Set<InputRoot>();
  let refs = 0, vars = 0; // the walker visits a ref's head var too: a bare `input` is vars - refs
  visitTerms((t) => {
    if (t.type === "var" && t.name === "input") vars++;
    if (t.type === "ref" && refHeadName(t.head) === "input") {
      refs++;
      const first = t.path[0];
      out.add(first?.type === "string" ? first.value : ANY_ROOT);
    }
  });
  if (vars > refs) out.add(ANY_ROOT);
  return out;
}

/** String literals of a term tree, except reference path elements (`input.peer` is not a constant)
 *  — those under `input.headers[...]` are header names, reported separately. */
function literals(visitTerms: (v: (t: Term) => void) => void, headerNames: Set<string>): Set<string> {
  const pathStrings = new Set<Term>();
  visitTerms((t) => {
    if (t.type !== "ref") return;
    t.path.forEach((p, i) => {
      if (p.type !== "string") return;
      pathStrings.add(p);
      if (i === 1 && refHeadName(t.head) === "input" && t.path[0]?.type === "string" && t.path[0].value === "headers") headerNames.add(p.value.toLowerCase());
    });
  });
  const out = new Set<string>();
  visitTerms((t) => { if (t.type === "string" && !pathStrings.has(t)) out.add(t.value); });
  return out;
}

function calls(visitTerms: (v: (t: Term) => void) => void): { fn: string; args: Term[] }[] {
  const out: { fn: string; args: Term[] }[] = [];
  visitTerms((t) => { if (t.type === "call") out.push({ fn: t.fn.join("."), args: t.args }); });
  return out;
}

/** Rule names a term tree refers to (by bare name, or by data.<package>.<name>). */
function ruleRefs(visitTerms: (v: (t: Term) => void) => void, names: Set<string>, pkg: string): Set<string> {
  const out = new Set<string>();
  visitTerms((t) => {
    if (t.type === "var" && names.has(`${pkg}.${t.name}`)) out.add(`${pkg}.${t.name}`);
    if (t.type === "call" && names.has(`${pkg}.${t.fn.join(".")}`)) out.add(`${pkg}.${t.fn.join(".")}`);
    if (t.type === "call" && t.fn[0] === "data" && names.has(t.fn.slice(1).join("."))) out.add(t.fn.slice(1).join("."));
    if (t.type === "ref" && refHeadName(t.head) === "data") {
      const parts: string[] = [];
      for (const p of t.path) { if (p.type !== "string") break; parts.push(p.value); if (names.has(parts.join("."))) out.add(parts.join(".")); }
    }
  });
  return out;
}

const exprVisitor = (e: Expr) => (v: (t: Term) => void) => walkExpr(e, v);
const bodyVisitor = (b: Body) => (v: (t: Term) => void) => walkBody(b, v);
const headVisitor = (r: Rule) => (v: (t: Term) => void) => walkHead(r, v);
const defVisitor = (r: Rule) => (v: (t: Term) => void) => { walkHead(r, v); walkBody(r.body, v); };

/** A bare reference used as a condition (`identity_denial`) compares nothing with its value. */
const isBareCondition = (e: Expr) => e.kind === "term" && (e.term.type === "var" || e.term.type === "ref");

export function analyseConstants(sources: SourceFile[], entrypoint: string): PolicyConstants {
  const modules: Module[] = sources.filter((s) => !s.path.endsWith("_test.rego")).map((s) => parseModule(s.source, s.path));
  const defs = new Map<string, Def[]>();
  for (const m of modules) {
    const pkg = m.pkg.join(".");
    for (const r of m.rules) {
      const name = `${pkg}.${r.head.name}`;
      for (const d of ruleChain(r)) {
        const list = defs.get(name) ?? [];
        list.push({ name, rule: d, pkg });
        defs.set(name, list);
      }
    }
  }
  const names = new Set(defs.keys());
  const headerNames = new Set<string>();

  // Reachability from the entrypoint.
  const refsOf = new Map<Def, Set<string>>();
  for (const list of defs.values()) for (const d of list) refsOf.set(d, ruleRefs(defVisitor(d.rule), names, d.pkg));
  const reachable = new Set<string>();
  const stack = [entrypoint.replace(/\//g, ".")];
  while (stack.length) {
    const n = stack.pop()!;
    if (reachable.has(n) || !defs.has(n)) continue;
    reachable.add(n);
    for (const d of defs.get(n)!) for (const r of refsOf.get(d)!) stack.push(r);
  }

  // Input fields each rule reads, transitively.
  const roots = new Map<string, Set<InputRoot>>();
  for (const n of names) roots.set(n, new Set());
  for (let changed = true; changed;) {
    changed = false;
    for (const [n, list] of defs) {
      const set = roots.get(n)!;
      const before = set.size;
      for (const d of list) {
        for (const r of directRoots(defVisitor(d.rule))) set.add(r);
        for (const ref of refsOf.get(d)!) for (const r of roots.get(ref)!) set.add(r);
      }
      if (set.size !== before) changed = true;
    }
  }
  const rootsOfTerms = (visit: (v: (t: Term) => void) => void, pkg: string): Set<InputRoot> => {
    const out = directRoots(visit);
    for (const ref of ruleRefs(visit, names, pkg)) for (const r of roots.get(ref)!) out.add(r);
    return out;
  };

  // Constants each rule hands out (its values, its function arguments, constants of a body that
  // reads no input), transitively.
  const ruleConsts = new Map<string, Set<string>>();
  for (const n of names) ruleConsts.set(n, new Set());
  for (let changed = true; changed;) {
    changed = false;
    for (const [n, list] of defs) {
      const set = ruleConsts.get(n)!;
      const before = set.size;
      for (const d of list) {
        const parts: ((v: (t: Term) => void) => void)[] = [headVisitor(d.rule)];
        if (rootsOfTerms(bodyVisitor(d.rule.body), d.pkg).size === 0) parts.push(bodyVisitor(d.rule.body));
        for (const p of parts) {
          for (const c of literals(p, headerNames)) set.add(c);
          for (const ref of ruleRefs(p, names, d.pkg)) for (const c of ruleConsts.get(ref)!) set.add(c);
        }
      }
      if (set.size !== before) changed = true;
    }
  }

  // What a function's parameters can carry: the input fields of the arguments at its call sites.
  const callerRoots = new Map<string, Set<InputRoot>>();
  for (const list of defs.values()) {
    for (const d of list) {
      for (const call of calls(defVisitor(d.rule))) {
        const fn = names.has(`${d.pkg}.${call.fn}`) ? `${d.pkg}.${call.fn}` : undefined;
        if (!fn) continue;
        const set = callerRoots.get(fn) ?? new Set<InputRoot>();
        for (const a of call.args) for (const r of rootsOfTerms((v) => walkTerm(a, v), d.pkg)) set.add(r);
        callerRoots.set(fn, set);
      }
    }
  }
  const hasLocals = (t: Term, pkg: string) => {
    let found = false;
    walkTerm(t, (x) => { if (x.type === "var" && x.name !== "input" && x.name !== "data" && x.name !== "_" && !names.has(`${pkg}.${x.name}`)) found = true; });
    return found;
  };

  const byRoot = new Map<InputRoot, Set<string>>();
  const affixes = new Map<InputRoot, Set<string>>();
  const opaque = new Set<InputRoot>();
  const link = (m: Map<InputRoot, Set<string>>, rs: Set<InputRoot>, cs: Iterable<string>) => {
    for (const r of rs) { const s = m.get(r) ?? new Set<string>(); for (const c of cs) s.add(c); m.set(r, s); }
  };
  for (const n of reachable) {
    for (const d of defs.get(n)!) {
      const defRoots = rootsOfTerms(defVisitor(d.rule), d.pkg);
      for (const r of callerRoots.get(d.name) ?? []) defRoots.add(r);
      const exprs: Expr[] = [];
      const collect = (b: Body) => { for (const e of b) { exprs.push(e); if (e.kind === "every") collect(e.body); } };
      collect(d.rule.body);
      // Comprehension bodies inside heads and expressions are walked as part of their expression.
      for (const e of exprs) {
        const visit = exprVisitor(e);
        const consts = literals(visit, headerNames);
        if (!isBareCondition(e)) for (const ref of ruleRefs(visit, names, d.pkg)) for (const c of ruleConsts.get(ref)!) consts.add(c);
        const own = rootsOfTerms(visit, d.pkg);
        const target = own.size ? own : defRoots;
        link(byRoot, target, consts);
        for (const call of calls(visit)) {
          const argRoots = new Set<InputRoot>();
          for (const a of call.args) {
            for (const r of rootsOfTerms((v) => walkTerm(a, v), d.pkg)) argRoots.add(r);
            // A local or a parameter may hold input: assume any field the rule or its callers read.
            if (hasLocals(a, d.pkg)) {
              for (const r of defRoots) argRoots.add(r);
              for (const r of callerRoots.get(d.name) ?? []) argRoots.add(r);
            }
          }
          const touchesInput = argRoots.size > 0;
          if (AFFIX.has(call.fn)) {
            const cs = new Set<string>();
            for (const a of call.args) for (const c of literals((v) => walkTerm(a, v), headerNames)) cs.add(c);
            for (const a of call.args) for (const ref of ruleRefs((v) => walkTerm(a, v), names, d.pkg)) for (const c of ruleConsts.get(ref)!) cs.add(c);
            link(affixes, touchesInput ? argRoots : target, cs);
            if (call.fn.startsWith("glob.") || call.fn.startsWith("regex.") || call.fn === "re_match") for (const r of touchesInput ? argRoots : target) opaque.add(r);
          } else if (touchesInput && !PARTITIONED.has(call.fn) && !names.has(`${d.pkg}.${call.fn}`)) {
            for (const r of argRoots) opaque.add(r);
          }
        }
      }
    }
  }
  if (byRoot.has(ANY_ROOT) || opaque.has(ANY_ROOT)) opaque.add(ANY_ROOT);
  return { analysed: true, byRoot, affixes, headerNames, opaque };
}

/** Without sources: printable strings of the module's data (its constants are stored there),
 *  linked to every field. The result is never a proof. */
export function wasmConstants(wasm: Uint8Array): PolicyConstants {
  const text = Buffer.from(wasm).toString("latin1");
  const out = new Set<string>();
  for (const m of text.matchAll(/[\x21-\x7e]{2,80}/g)) {
    const s = m[0];
    if (/^[\w.:/@*+-]+$/.test(s)) out.add(s);
    if (out.size >= 400) break;
  }
  return { analysed: false, byRoot: new Map([[ANY_ROOT, out]]), affixes: new Map(), headerNames: new Set(), opaque: new Set([ANY_ROOT]) };
}

/** The constants of one field (plus those linked to every field). */
export function constantsFor(c: PolicyConstants, root: InputRoot): string[] {
  return [...new Set([...(c.byRoot.get(root) ?? []), ...(c.byRoot.get(ANY_ROOT) ?? [])])].sort();
}

export function affixesFor(c: PolicyConstants, root: InputRoot): string[] {
  return [...new Set([...(c.affixes.get(root) ?? []), ...(c.affixes.get(ANY_ROOT) ?? [])])].sort();
}
