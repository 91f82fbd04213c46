// Modules → the rule tree: every rule placed at its path below `data`, grouped by the path its
// value is defined at, with names in bodies resolved (rule names, imports, locals, wildcards).
import type { Body, Expr, Module, Rule, Term, With } from "../rego/ast.js";
import type { Location, RegoErrorDetail } from "../rego/errors.js";

export type GroupKind = "complete" | "set" | "object" | "function";

/** One definition: a rule (with its else chain) and the terms that place its value. */
export interface RuleDef {
  rule: Rule;
  /** Object rules: the key terms after the group's static path (`p[x].y` → [x, "y"]). */
  keys: Term[];
  module: Module;
}

export interface RuleGroup {
  path: string[];
  kind: GroupKind;
  defs: RuleDef[];
  defaults: RuleDef[];
  arity: number;
  loc: Location;
}

export interface RuleNode {
  children: Map<string, RuleNode>;
  group?: RuleGroup;
  /** A package is declared here: its document exists (as {}) even without rules. */
  isPackage?: boolean;
}

export interface RuleTree {
  root: RuleNode;
  groups: RuleGroup[];
}

export function staticPrefix(rule: Rule): { path: string[]; keys: Term[] } {
  const path = [rule.head.name];
  let i = 0;
  for (; i < rule.head.path.length; i++) {
    const t = rule.head.path[i]!;
    if (t.type !== "string") break;
    path.push(t.value);
  }
  const keys = rule.head.path.slice(i);
  return { path, keys };
}

function kindOf(rule: Rule, keys: Term[]): GroupKind {
  if (rule.head.args) return "function";
  if (rule.head.contains) return "set";
  if (keys.length > 0) return "object";
  return "complete";
}

export function buildRuleTree(modules: Module[], errors: RegoErrorDetail[]): RuleTree {
  const root: RuleNode = { children: new Map() };
  const groups: RuleGroup[] = [];
  const nodeAt = (path: string[]): RuleNode => {
    let n = root;
    for (const seg of path) {
      let c = n.children.get(seg);
      if (!c) { c = { children: new Map() }; n.children.set(seg, c); }
      n = c;
    }
    return n;
  };
  for (const mod of modules) {
    nodeAt(mod.pkg).isPackage = true;
    for (const rule of mod.rules) {
      const { path, keys } = staticPrefix(rule);
      let kind = kindOf(rule, keys);
      // `p[x].r contains v`: an object whose leaves are sets
      if (kind === "set" && keys.length > 0) kind = "object";
      // `p.q.r contains x` and `p.q := v` keep their whole static path; for functions too.
      if (kind === "function" && keys.length > 0) {
        errors.push({ code: "rego_parse_error", message: "function names must be static references", location: rule.loc });
        continue;
      }
      const full = [...mod.pkg, ...path];
      const node = nodeAt(full);
      if (!node.group) {
        node.group = { path: full, kind, defs: [], defaults: [], arity: rule.head.args?.length ?? 0, loc: rule.loc };
        groups.push(node.group);
      }
      const g = node.group;
      if (g.kind !== kind) {
        errors.push({
          code: "rego_type_error",
          message: `conflicting rules data.${full.join(".")} found: ${describeKind(g.kind)} and ${describeKind(kind)}`,
          location: rule.loc,
        });
        continue;
      }
      if (kind === "function" && (rule.head.args?.length ?? 0) !== g.arity) {
        errors.push({ code: "rego_type_error", message: `function data.${full.join(".")} has arity ${g.arity} and ${rule.head.args?.length ?? 0}`, location: rule.loc });
        continue;
      }
      if (rule.isDefault) {
        if (kind === "object" || kind === "set") {
          errors.push({ code: "rego_type_error", message: `default rules must be complete rules or functions: data.${full.join(".")}`, location: rule.loc });
          continue;
        }
        if (g.defaults.length > 0) {
          errors.push({ code: "rego_type_error", message: `multiple default rules data.${full.join(".")} found`, location: rule.loc });
          continue;
        }
        g.defaults.push({ rule, keys, module: mod });
      } else g.defs.push({ rule, keys, module: mod });
    }
  }
  return { root, groups };
}

function describeKind(k: GroupKind): string {
  return k === "complete" ? "a complete rule" : k === "set" ? "a partial set rule" : k === "object" ? "a partial object rule" : "a function";
}

// ---- name resolution ---------------------------------------------------------------------------

export interface ModuleScope {
  pkg: string[];
  /** First names of the package's rules. */
  ruleNames: Set<string>;
  /** Import alias → the ref it stands for. */
  imports: Map<string, Term>;
}

export function moduleScope(mod: Module, tree: RuleTree): ModuleScope {
  const ruleNames = new Set<string>();
  let n: RuleNode | undefined = tree.root;
  for (const seg of mod.pkg) n = n?.children.get(seg);
  if (n) for (const k of n.children.keys()) ruleNames.add(k);
  const imports = new Map<string, Term>();
  for (const imp of mod.imports) {
    const t = imp.path;
    const head = t.type === "var" ? t.name : t.type === "ref" && t.head.type === "var" ? t.head.name : "";
    if (head === "future" || head === "rego") continue;
    let alias = imp.alias;
    if (!alias) {
      if (t.type === "var") alias = t.name;
      else if (t.type === "ref") {
        const last = t.path[t.path.length - 1]!;
        alias = last.type === "string" ? last.value : undefined;
      }
    }
    if (alias && !(t.type === "var" && (alias === "input" || alias === "data"))) imports.set(alias, t);
  }
  return { pkg: mod.pkg, ruleNames, imports };
}

let wildcardCounter = 0;

/** Resolves the names in one rule body (and the head terms that share its scope). */
export class Resolver {
  constructor(private scope: ModuleScope) {}

  /** Returns resolved copies of the body and the extra terms, given locals already declared. */
  resolve(body: Body, terms: (Term | undefined)[], declared: Set<string>): { body: Body; terms: (Term | undefined)[] } {
    const locals = new Set(declared);
    for (const e of body) collectDeclared(e, locals);
    const r = (t: Term): Term => this.term(t, locals);
    const resolvedBody = body.map((e) => this.expr(e, locals));
    return { body: resolvedBody, terms: terms.map((t) => (t ? r(t) : t)) };
  }

  private expr(e: Expr, locals: Set<string>): Expr {
    const t = (x: Term) => this.term(x, locals);
    const withs = e.with.map((w): With => ({ ...w, target: this.withTarget(w.target), value: t(w.value) }));
    switch (e.kind) {
      case "term": return { ...e, term: t(e.term), with: withs };
      case "unify": case "assign": return { ...e, left: t(e.left), right: t(e.right), with: withs };
      case "some": return { ...e, vars: e.vars.map(t), with: withs };
      case "somein": return { ...e, key: e.key && t(e.key), value: t(e.value), collection: t(e.collection), with: withs };
      case "every": {
        const inner = new Set(locals);
        if (e.key) collectArgVars(e.key, inner, true);
        collectArgVars(e.value, inner, true);
        for (const x of e.body) collectDeclared(x, inner);
        return {
          ...e, key: e.key && this.term(e.key, inner), value: this.term(e.value, inner),
          collection: t(e.collection), body: e.body.map((x) => this.expr(x, inner)), with: withs,
        };
      }
    }
  }

  private withTarget(t: Term): Term {
    if (t.type === "var" && this.scope.imports.has(t.name)) return this.scope.imports.get(t.name)!;
    if (t.type === "ref" && t.head.type === "var" && this.scope.imports.has(t.head.name)) {
      const base = this.scope.imports.get(t.head.name)!;
      if (base.type === "ref") return { ...base, path: [...base.path, ...t.path] };
      return { type: "ref", head: base, path: t.path, loc: t.loc };
    }
    if (t.type === "var" && t.name !== "input" && t.name !== "data" && this.scope.ruleNames.has(t.name)) {
      return this.ruleRef(t.name, t.loc);
    }
    if (t.type === "ref" && t.head.type === "var" && t.head.name !== "input" && t.head.name !== "data" && this.scope.ruleNames.has(t.head.name)) {
      const base = this.ruleRef(t.head.name, t.loc) as Term & { type: "ref" };
      return { ...base, path: [...base.path, ...t.path] };
    }
    return t;
  }

  private ruleRef(name: string, loc: Location): Term {
    return {
      type: "ref", head: { type: "var", name: "data", loc },
      path: [...this.scope.pkg, name].map((s) => ({ type: "string", value: s, loc })), loc,
    };
  }

  term(t: Term, locals: Set<string>): Term {
    switch (t.type) {
      case "var": {
        if (t.name === "_") return { ...t, name: `_$${wildcardCounter++}` };
        if (locals.has(t.name) || t.name === "input" || t.name === "data") return t;
        if (this.scope.ruleNames.has(t.name)) return this.ruleRef(t.name, t.loc);
        const imp = this.scope.imports.get(t.name);
        if (imp) return imp;
        return t;
      }
      case "ref": {
        const head = this.term(t.head, locals);
        const path = t.path.map((p) => this.term(p, locals));
        if (head.type === "ref") return { ...t, head: head.head, path: [...head.path, ...path] };
        return { ...t, head, path };
      }
      case "array": return { ...t, items: t.items.map((x) => this.term(x, locals)) };
      case "set": return { ...t, items: t.items.map((x) => this.term(x, locals)) };
      case "object": return { ...t, entries: t.entries.map(([k, v]) => [this.term(k, locals), this.term(v, locals)] as [Term, Term]) };
      case "arraycompr": case "setcompr": {
        const inner = new Set(locals);
        for (const e of t.body) collectDeclared(e, inner);
        return { ...t, term: this.term(t.term, inner), body: t.body.map((e) => this.expr(e, inner)) };
      }
      case "objectcompr": {
        const inner = new Set(locals);
        for (const e of t.body) collectDeclared(e, inner);
        return { ...t, key: this.term(t.key, inner), value: this.term(t.value, inner), body: t.body.map((e) => this.expr(e, inner)) };
      }
      case "call": {
        const args = t.args.map((a) => this.term(a, locals));
        return { ...t, fn: this.callName(t.fn, locals), args };
      }
      default: return t;
    }
  }

  private callName(fn: string[], locals: Set<string>): string[] {
    const [first, ...rest] = fn;
    if (first === undefined || locals.has(first)) return fn;
    if (first === "data") return fn;
    if (this.scope.ruleNames.has(first)) return ["data", ...this.scope.pkg, ...fn];
    const imp = this.scope.imports.get(first);
    if (imp && imp.type === "ref" && imp.head.type === "var" && imp.head.name === "data") {
      return ["data", ...imp.path.map((p) => (p as { value: string }).value), ...rest];
    }
    return fn;
  }
}

/** Variables a body declares: `some x`, `some k, v in`, and the left side of `:=`. */
function collectDeclared(e: Expr, out: Set<string>): void {
  if (e.kind === "some") for (const v of e.vars) collectArgVars(v, out, true);
  if (e.kind === "somein") { if (e.key) collectArgVars(e.key, out, true); collectArgVars(e.value, out, true); }
  if (e.kind === "assign") collectArgVars(e.left, out, true);
}

/** Vars in a pattern (function args, declarations). */
export function collectArgVars(t: Term, out: Set<string>, patternOnly: boolean): void {
  switch (t.type) {
    case "var": if (t.name !== "_") out.add(t.name); return;
    case "array": case "set": for (const x of t.items) collectArgVars(x, out, patternOnly); return;
    case "object": for (const [, v] of t.entries) collectArgVars(v, out, patternOnly); return;
    default: return;
  }
}
