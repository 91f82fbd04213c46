// Rules → IR. Bodies are planned in continuation-passing style: each expression emits its
// statements and calls the continuation for the rest of the body inside whatever scans it opened,
// so a failure anywhere backtracks to the innermost iteration.
import type { Body, Expr, Term } from "../rego/ast.js";
import { formatTerm } from "../rego/format.js";
import type { Location, RegoErrorDetail } from "../rego/errors.js";
import { isUnsupportedBuiltin, lookupBuiltin, OPERATOR_NAMES } from "./builtins.js";
import type { Block, Const, Func, Operand, Policy, Stmt } from "./ir.js";
import { collectArgVars, type ModuleScope, Resolver, type RuleDef, type RuleGroup, type RuleNode, type RuleTree } from "./rules.js";
import { isGround, isPattern, isRoot, orderBody, outerVarsInOrder, termVars } from "./safety.js";

type Env = Map<string, Operand>;
type Cont = (env: Env) => void;
type TermCont = (op: Operand, env: Env) => void;

const INPUT: Operand = { kind: "local", index: 0 };
const DATA: Operand = { kind: "local", index: 1 };

const COMPARISONS: Record<string, string> = { equal: "rt_equal" };

/** One generated function under construction. */
class FnBuilder {
  locals: number;
  private stack: Stmt[][] = [[]];
  constructor(readonly name: string, readonly params: number) { this.locals = params; }
  local(): number { return this.locals++; }
  emit(s: Stmt): void { this.stack[this.stack.length - 1]!.push(s); }
  block(fill: () => void): Block {
    this.stack.push([]);
    fill();
    return { stmts: this.stack.pop()! };
  }
  /** Number of IR blocks enclosing the current position (the function body counts). */
  get depth(): number { return this.stack.length; }
  finish(result: number): Func {
    return { name: this.name, params: this.params, locals: this.locals, body: { stmts: this.stack[0]! }, result };
  }
}

export interface PlanOptions {
  entrypoints: string[][];
  query?: Body;
}

export class Planner {
  private consts: Const[] = [];
  private constKeys = new Map<string, number>();
  private funcs: (Func | undefined)[] = [];
  private groupFuncs = new Map<RuleGroup, number>();
  private memoSlots = 0;
  private hostBuiltins: string[] = [];
  private fn!: FnBuilder;
  private ctx = { input: INPUT, data: DATA };
  private usesWith = false;
  private resolvers = new Map<object, Resolver>();
  /** Groups being planned (depth-first): meeting one again is recursion. */
  private planning: RuleGroup[] = [];
  private reportedCycles = new Set<RuleGroup>();

  constructor(
    private tree: RuleTree,
    private scopes: Map<object, ModuleScope>,
    private errors: RegoErrorDetail[],
  ) {}

  plan(opts: PlanOptions): Policy {
    this.usesWith = this.tree.groups.some((g) => [...g.defs, ...g.defaults].some((d) => ruleHasWith(d.rule))) ||
      (opts.query ? opts.query.some(exprHasWith) : false);
    const entrypoints: { name: string; func: number }[] = [];
    for (const ep of opts.entrypoints) entrypoints.push({ name: ep.join("/"), func: this.planEntrypoint(ep) });
    if (opts.query) entrypoints.push({ name: "query", func: this.planQuery(opts.query) });
    // Every rule is checked (safety, recursion, types), also those no entrypoint reaches.
    for (const g of this.tree.groups) this.groupFunc(g);
    return {
      consts: this.consts,
      funcs: this.funcs.map((f, i) => f ?? failMissing(i)),
      entrypoints,
      hostBuiltins: this.hostBuiltins,
      memoSlots: this.memoSlots,
    };
  }

  private err(code: RegoErrorDetail["code"], message: string, location?: Location): void {
    this.errors.push({ code, message, location });
  }

  // ---- constants ---------------------------------------------------------------------------------

  private constOf(c: Const): number {
    const key = JSON.stringify(c);
    let i = this.constKeys.get(key);
    if (i === undefined) { i = this.consts.length; this.consts.push(c); this.constKeys.set(key, i); }
    return i;
  }
  private constTerm(t: Term): number {
    switch (t.type) {
      case "null": return this.constOf({ kind: "null" });
      case "boolean": return this.constOf({ kind: "bool", value: t.value });
      case "number": return this.constOf({ kind: "num", text: normalizeNumber(t.text) });
      case "string": return this.constOf({ kind: "str", value: t.value });
      case "array": return this.constOf({ kind: "arr", items: t.items.map((x) => this.constTerm(x)) });
      case "set": return this.constOf({ kind: "set", items: t.items.map((x) => this.constTerm(x)) });
      case "object": return this.constOf({ kind: "obj", entries: t.entries.map(([k, v]) => [this.constTerm(k), this.constTerm(v)]) });
      default: throw new Error(`not a constant: ${t.type}`);
    }
  }
  private str(s: string): Operand { return { kind: "const", index: this.constOf({ kind: "str", value: s }) }; }
  private strPath(path: string[]): number {
    return this.constOf({ kind: "arr", items: path.map((s) => this.constOf({ kind: "str", value: s })) });
  }

  // ---- functions ---------------------------------------------------------------------------------

  private reserveFunc(): number { this.funcs.push(undefined); return this.funcs.length - 1; }

  private withFn<T>(fn: FnBuilder, run: () => T): T {
    const saved = this.fn, savedCtx = this.ctx;
    this.fn = fn;
    this.ctx = { input: INPUT, data: DATA };
    try { return run(); } finally { this.fn = saved; this.ctx = savedCtx; }
  }

  private asLocal(op: Operand): number {
    if (op.kind === "local") return op.index;
    const l = this.fn.local();
    this.fn.emit({ op: "assign", source: op, target: l });
    return l;
  }

  private planEntrypoint(path: string[]): number {
    const id = this.reserveFunc();
    const fn = new FnBuilder(`entrypoint:${path.join("/")}`, 2);
    this.withFn(fn, () => {
      const v = fn.local();
      fn.emit({ op: "block", blocks: [fn.block(() => this.planDataRef(path.map((s) => strTerm(s)), new Map(), (op) => {
        fn.emit({ op: "assign", source: op, target: v });
      }))] });
      const r = fn.local();
      fn.emit({ op: "call", fn: "rt_result_set", args: [{ kind: "local", index: v }], target: r });
      this.funcs[id] = fn.finish(r);
    });
    return id;
  }

  private planQuery(query: Body): number {
    const id = this.reserveFunc();
    const fn = new FnBuilder("query", 2);
    const vars: string[] = [];
    for (const e of query) for (const v of outerVarsInOrder(e)) if (!v.startsWith("_$") && !vars.includes(v)) vars.push(v);
    this.withFn(fn, () => {
      const rows = fn.local();
      fn.emit({ op: "call", fn: "rt_set_new", args: [], target: rows });
      fn.emit({ op: "block", blocks: [fn.block(() => this.planBody(query, new Map(), (env) => {
        const row = fn.local();
        fn.emit({ op: "call", fn: "rt_obj_new", args: [], target: row });
        for (const v of vars) {
          const op = env.get(v);
          if (op) fn.emit({ op: "call", fn: "rt_obj_put", args: [{ kind: "local", index: row }, this.str(v), op] });
        }
        fn.emit({ op: "call", fn: "rt_set_add", args: [{ kind: "local", index: rows }, { kind: "local", index: row }] });
      }))] });
      this.funcs[id] = fn.finish(rows);
    });
    return id;
  }

  /** The function computing a rule group's value, planned on first use. */
  private groupFunc(g: RuleGroup): number {
    const at = this.planning.indexOf(g);
    if (at >= 0) {
      const cycle = [...this.planning.slice(at), g].map((x) => `data.${x.path.join(".")}`).join(" -> ");
      if (!this.reportedCycles.has(g)) {
        this.reportedCycles.add(g);
        this.err("rego_recursion_error", `rule data.${g.path.join(".")} is recursive: ${cycle}`, g.loc);
      }
    }
    let id = this.groupFuncs.get(g);
    if (id !== undefined) return id;
    id = this.reserveFunc();
    this.groupFuncs.set(g, id);
    const fn = new FnBuilder(`data.${g.path.join(".")}`, 2 + g.arity);
    this.planning.push(g);
    try { this.withFn(fn, () => { this.funcs[id!] = this.planGroup(g, fn); }); } finally { this.planning.pop(); }
    return id;
  }

  private resolverFor(def: RuleDef): Resolver {
    let r = this.resolvers.get(def.module);
    if (!r) { r = new Resolver(this.scopes.get(def.module)!); this.resolvers.set(def.module, r); }
    return r;
  }

  private planGroup(g: RuleGroup, fn: FnBuilder): Func {
    const result = fn.local();
    const r: Operand = { kind: "local", index: result };
    const where = `${g.loc.file}:${g.loc.row}`;
    if (this.usesWith) fn.emit({ op: "with_check", path: this.strPath(g.path) });
    const memo = g.kind !== "function";
    const slot = memo ? this.memoSlots++ : -1;
    if (memo) fn.emit({ op: "memo_get", slot });
    if (g.kind === "set") fn.emit({ op: "call", fn: "rt_set_new", args: [], target: result });
    if (g.kind === "object") fn.emit({ op: "call", fn: "rt_obj_new", args: [], target: result });

    const message = g.kind === "function"
      ? `${where}: eval_conflict_error: functions must not produce multiple outputs for same inputs`
      : `${where}: eval_conflict_error: complete rules must not produce multiple outputs`;
    const constValues = new Set(g.defs.flatMap((d) => chain(d.rule).map((x) => x.head.value ? (isGround(x.head.value) ? formatTerm(x.head.value) : "?") : "true")));
    const earlyExit = g.kind === "complete" && constValues.size === 1 && !constValues.has("?") &&
      !g.defs.some((d) => ruleHasWith(d.rule));

    const defsBlock = fn.block(() => {
      for (const def of g.defs) {
        const rules = chain(def.rule);
        const done = rules.length > 1 ? fn.local() : -1;
        for (const rule of rules) {
          fn.emit({ op: "block", blocks: [fn.block(() => {
            if (done >= 0) fn.emit({ op: "undefined", local: done });
            const declared = new Set<string>();
            for (const a of rule.head.args ?? []) collectArgVars(a, declared, true);
            const keyTerms = g.kind === "object" ? def.keys : [];
            const { body, terms } = this.resolverFor(def).resolve(rule.body, [
              ...(rule.head.args ?? []), rule.head.value, rule.head.contains, ...keyTerms,
            ], declared);
            const nargs = rule.head.args?.length ?? 0;
            const args = terms.slice(0, nargs) as Term[];
            const value = terms[nargs] ?? trueTerm(rule.loc);
            const contains = terms[nargs + 1];
            const keys = terms.slice(nargs + 2) as Term[];
            this.bindArgs(args, 0, new Map(), (env) => this.planBody(body, env, (env2) => {
              const yieldValue = (v: Operand, env3: Env) => {
                if (g.kind === "set") {
                  fn.emit({ op: "call", fn: "rt_set_add", args: [r, v] });
                } else if (g.kind === "object") {
                  this.planTerms(keys, env3, (ks) => {
                    if (rule.head.contains) {
                      const p = fn.local();
                      fn.emit({ op: "call", fn: "rt_arr_new", args: [{ kind: "int", value: ks.length }], target: p });
                      for (const k of ks) fn.emit({ op: "call", fn: "rt_arr_push", args: [{ kind: "local", index: p }, k] });
                      fn.emit({ op: "call", fn: "rt_obj_add_path_set", args: [r, { kind: "local", index: p }, v], check: "true",
                        abort: `${where}: eval_conflict_error: object keys must be unique` });
                    } else if (ks.length === 1) {
                      fn.emit({ op: "call", fn: "rt_obj_put_once", args: [r, ks[0]!, v], check: "true",
                        abort: `${where}: eval_conflict_error: object keys must be unique` });
                    } else {
                      const p = fn.local();
                      fn.emit({ op: "call", fn: "rt_arr_new", args: [{ kind: "int", value: ks.length }], target: p });
                      for (const k of ks) fn.emit({ op: "call", fn: "rt_arr_push", args: [{ kind: "local", index: p }, k] });
                      fn.emit({ op: "call", fn: "rt_obj_put_path", args: [r, { kind: "local", index: p }, v], check: "true",
                        abort: `${where}: eval_conflict_error: object keys must be unique` });
                    }
                  });
                } else {
                  fn.emit({ op: "assign_once", source: v, target: result, message });
                  if (done >= 0) fn.emit({ op: "assign", source: { kind: "int", value: 1 }, target: done });
                  if (earlyExit) fn.emit({ op: "break", index: fn.depth - 2 });
                }
              };
              if (rule.head.contains) this.planTerm(contains!, env2, yieldValue);
              else this.planTerm(value, env2, yieldValue);
            }));
          })] });
        }
      }
    });
    fn.emit({ op: "block", blocks: [defsBlock] });

    for (const def of g.defaults) {
      const declared = new Set<string>();
      for (const a of def.rule.head.args ?? []) collectArgVars(a, declared, true);
      const { terms } = this.resolverFor(def).resolve([], [def.rule.head.value], declared);
      fn.emit({ op: "block", blocks: [fn.block(() => {
        fn.emit({ op: "undefined", local: result });
        this.planTerm(terms[0]!, new Map(), (v) => fn.emit({ op: "assign", source: v, target: result }));
      })] });
    }
    if (this.usesWith && g.kind !== "function") {
      fn.emit({ op: "call", fn: "rt_with_patch", args: [{ kind: "const", index: this.strPath(g.path) }, r], target: result });
    }
    if (memo) fn.emit({ op: "call", fn: "rt_memo_set", args: [{ kind: "int", value: slot }, r] });
    return fn.finish(result);
  }

  /** Unifies function parameters (locals 2..) with the definition's argument patterns. */
  private bindArgs(args: Term[], i: number, env: Env, k: Cont): void {
    if (i === args.length) { k(env); return; }
    this.destructure(args[i]!, { kind: "local", index: 2 + i }, env, (env2) => this.bindArgs(args, i + 1, env2, k));
  }

  // ---- bodies ------------------------------------------------------------------------------------

  planBody(body: Body, env: Env, k: Cont): void {
    const ordered = orderBody(body, new Set(env.keys()), this.errors, (f) => {
      if (f[0] !== "data") return lookupBuiltin(f.join("."))?.arity;
      const g = this.groupAt(f.slice(1));
      return g?.kind === "function" ? g.arity : undefined;
    });
    if (!ordered) return;
    this.planExprs(ordered, 0, env, k);
  }

  private planExprs(exprs: Body, i: number, env: Env, k: Cont): void {
    if (i === exprs.length) { k(env); return; }
    this.planExpr(exprs[i]!, env, (env2) => this.planExprs(exprs, i + 1, env2, k));
  }

  private planExpr(e: Expr, env: Env, k: Cont): void {
    // `not x with a as v` negates the whole modified expression: the `with` values are evaluated
    // inside the negation (a `with` value that iterates is searched like the rest of it).
    if (e.negated) {
      this.planNot((found) => this.planExpr({ ...e, negated: false }, env, found));
      k(env);
      return;
    }
    if (e.with.length > 0) { this.planWith(e, env, k); return; }
    this.planPositive(e, env, k);
  }

  /** Negation: fails when one solution of what `plan` emits reaches `found`, succeeds when none
   *  does, however many scans `plan` opens (a scan that runs out is no solution, not success).
   *    not { block A { block B { <plan; found = break out of A> } break 1 } }
   *  Leaving A lands at the end of the not-block (a solution: the `not` fails); B ending, by
   *  failure or by its scans running out, reaches `break 1`, which leaves the not-block (the
   *  `not` succeeds). The first solution stops the search. */
  private planNot(plan: (found: Cont) => void): void {
    const fn = this.fn;
    const notBlock = fn.block(() => fn.emit({ op: "block", blocks: [fn.block(() => {
      const depthA = fn.depth;
      fn.emit({ op: "block", blocks: [fn.block(() => plan(() => fn.emit({ op: "break", index: fn.depth - depthA })))] });
      fn.emit({ op: "break", index: 1 });
    })] }));
    fn.emit({ op: "not", block: notBlock });
  }

  private planPositive(e: Expr, env: Env, k: Cont): void {
    switch (e.kind) {
      case "some": {
        const env2 = new Map(env);
        for (const v of e.vars) if (v.type === "var") env2.delete(v.name);
        k(env2);
        return;
      }
      case "unify": case "assign": this.planUnify(e.left, e.right, env, k); return;
      case "somein": {
        this.planTerm(e.collection, env, (c, env2) => {
          const coll = this.asLocal(c);
          const key = this.fn.local(), val = this.fn.local();
          const block = this.fn.block(() => {
            const after = (env3: Env) => this.destructure(e.value, { kind: "local", index: val }, env3, k);
            if (e.key) this.destructure(e.key, { kind: "local", index: key }, env2, after);
            else after(env2);
          });
          this.fn.emit({ op: "scan", source: coll, key, value: val, block });
        });
        return;
      }
      case "every": {
        this.planTerm(e.collection, env, (c, env2) => {
          const coll = this.asLocal(c);
          this.fn.emit({ op: "call", fn: "rt_is_collection", args: [{ kind: "local", index: coll }], check: "true" });
          // every ≡ no element for which the body has no solution: not { scan { not { body } } }
          this.planNot((counterexample) => {
            const key = this.fn.local(), val = this.fn.local();
            const block = this.fn.block(() => {
              const inner = new Map(env2);
              for (const p of e.key ? [e.key, e.value] : [e.value]) for (const v of termVars(p)) inner.delete(v);
              const after = (env3: Env) => {
                this.planNot((solution) => this.planBody(e.body, env3, solution));
                counterexample(env3);
              };
              const afterKey = (env3: Env) => this.destructure(e.value, { kind: "local", index: val }, env3, after);
              if (e.key) this.destructure(e.key, { kind: "local", index: key }, inner, afterKey);
              else afterKey(inner);
            });
            this.fn.emit({ op: "scan", source: coll, key, value: val, block });
          });
          k(env2);
        });
        return;
      }
      case "term": {
        const t = e.term;
        if (t.type === "call" && t.fn[0] === "data") {
          const g = this.groupAt(t.fn.slice(1));
          if (g?.kind === "function" && t.args.length === g.arity + 1) { this.planCall(t, env, (_op, env2) => k(env2)); return; }
        }
        if (t.type === "call" && t.fn[0] !== "data") {
          const info = lookupBuiltin(t.fn.join("."));
          if (info && t.args.length === info.arity + 1) { this.planCall(t, env, (_op, env2) => k(env2)); return; }
          const cmp = COMPARISONS[t.fn.join(".")];
          if (cmp && t.args.length === 2) {
            this.planTerms(t.args, env, (ops, env2) => {
              this.fn.emit({ op: "call", fn: cmp, args: ops, check: "true" });
              k(env2);
            });
            return;
          }
        }
        this.planTerm(t, env, (op, env2) => {
          if (op.kind === "const" && this.consts[op.index]!.kind !== "bool") { k(env2); return; }
          this.fn.emit({ op: "call", fn: "rt_truthy", args: [op], check: "true" });
          k(env2);
        });
        return;
      }
    }
  }

  private planWith(e: Expr, env: Env, k: Cont): void {
    const inner: Expr = { ...e, with: [] };
    const fn = this.fn;
    const outerCtx = this.ctx;
    const pushes: { path: number; value: Operand }[] = [];
    const step = (i: number, ctx: { input: Operand; data: Operand }, env1: Env) => {
      if (i === e.with.length) {
        this.ctx = ctx;
        const pushAll = () => { for (const p of pushes) fn.emit({ op: "call", fn: "rt_with_push", args: [{ kind: "const", index: p.path }, p.value] }); };
        const popAll = () => { for (let j = 0; j < pushes.length; j++) fn.emit({ op: "call", fn: "rt_with_pop", args: [] }); };
        pushAll();
        const blk = fn.block(() => this.planExpr(inner, env1, (env2) => {
          popAll();
          const saved = this.ctx;
          this.ctx = outerCtx;
          fn.emit({ op: "block", blocks: [fn.block(() => k(env2))] });
          this.ctx = saved;
          pushAll();
        }));
        fn.emit({ op: "block", blocks: [blk] });
        popAll();
        this.ctx = outerCtx;
        return;
      }
      const w = e.with[i]!;
      const target = w.target;
      const root = target.type === "var" ? target.name : target.type === "ref" && target.head.type === "var" ? target.head.name : "";
      const pathTerms = target.type === "ref" ? target.path : [];
      if ((root !== "input" && root !== "data") || !pathTerms.every((p) => p.type === "string")) {
        this.err("rego_compile_error", `with keyword target must reference input or data: ${formatTerm(target)}`, w.loc);
        return;
      }
      const path = pathTerms.map((p) => (p as { value: string }).value);
      if (root === "data") {
        const g = this.groupAt(path);
        if (g?.kind === "function" || !lookupBuiltin(path.join(".")) === false && path.length === 0) {
          this.err("rego_compile_error", `unsupported: with keyword replacing functions (${formatTerm(target)})`, w.loc);
          return;
        }
      }
      this.ctx = outerCtx;
      this.planTerm(w.value, env1, (v, env2) => {
        const vop = { kind: "local" as const, index: this.asLocal(v) };
        const base = root === "input" ? ctx.input : ctx.data;
        let next: Operand = vop;
        if (path.length > 0) {
          const t = fn.local();
          fn.emit({ op: "call", fn: "rt_upsert", args: [base, { kind: "const", index: this.strPath(path) }, vop], target: t });
          next = { kind: "local", index: t };
        }
        const marker = root === "input" ? this.constOf({ kind: "arr", items: [this.constOf({ kind: "null" })] }) : this.strPath(path);
        pushes.push({ path: marker, value: vop });
        step(i + 1, root === "input" ? { ...ctx, input: next } : { ...ctx, data: next }, env2);
      });
    };
    step(0, outerCtx, env);
  }

  // ---- unification -------------------------------------------------------------------------------

  private unbound(t: Term, env: Env): boolean {
    return t.type === "var" && !isRoot(t.name) && !env.has(t.name);
  }
  private hasUnbound(t: Term, env: Env): boolean {
    for (const v of termVars(t)) if (!env.has(v)) return true;
    return false;
  }

  private planUnify(a: Term, b: Term, env: Env, k: Cont): void {
    if (this.unbound(a, env)) { this.planTerm(b, env, (op, env2) => k(bind(env2, (a as { name: string }).name, op))); return; }
    if (this.unbound(b, env)) { this.planTerm(a, env, (op, env2) => k(bind(env2, (b as { name: string }).name, op))); return; }
    if (a.type === "array" && b.type === "array" && a.items.length === b.items.length && (this.hasUnbound(a, env) || this.hasUnbound(b, env))) {
      const pairs = a.items.map((x, i) => [x, b.items[i]!] as const);
      const go = (i: number, env1: Env): void => {
        if (i === pairs.length) { k(env1); return; }
        // unify the pairs whose sides can be evaluated first
        this.planUnify(pairs[i]![0], pairs[i]![1], env1, (env2) => go(i + 1, env2));
      };
      go(0, env);
      return;
    }
    if (a.type === "object" && b.type === "object" && a.entries.length === b.entries.length && (this.hasUnbound(a, env) || this.hasUnbound(b, env))) {
      const pairs: [Term, Term][] = [];
      for (const [ka, va] of a.entries) {
        const other = b.entries.find(([kb]) => formatTerm(kb) === formatTerm(ka));
        if (!other) { this.fn.emit({ op: "break", index: 0 }); return; }
        pairs.push([va, other[1]]);
      }
      const go = (i: number, env1: Env): void => {
        if (i === pairs.length) { k(env1); return; }
        this.planUnify(pairs[i]![0], pairs[i]![1], env1, (env2) => go(i + 1, env2));
      };
      go(0, env);
      return;
    }
    if (isPattern(a) && this.hasUnbound(a, env) && !this.needsUnbound(b, env)) {
      this.planTerm(b, env, (op, env2) => this.destructure(a, op, env2, k));
      return;
    }
    if (isPattern(b) && this.hasUnbound(b, env) && !this.needsUnbound(a, env)) {
      this.planTerm(a, env, (op, env2) => this.destructure(b, op, env2, k));
      return;
    }
    this.planTerm(a, env, (x, env2) => this.planTerm(b, env2, (y, env3) => {
      this.fn.emit({ op: "call", fn: "rt_equal", args: [x, y], check: "true" });
      k(env3);
    }));
  }

  /** Does evaluating `t` read a variable that is not bound (outside ref keys)? */
  private needsUnbound(t: Term, env: Env): boolean {
    if (t.type === "var") return this.unbound(t, env);
    if (t.type === "array" || t.type === "set") return t.items.some((x) => this.needsUnbound(x, env));
    if (t.type === "object") return t.entries.some(([kk, v]) => this.needsUnbound(kk, env) || this.needsUnbound(v, env));
    if (t.type === "call") return t.args.some((x) => this.needsUnbound(x, env));
    return false;
  }

  /** Matches a value against a pattern term, binding the pattern's unbound variables. */
  private destructure(p: Term, op: Operand, env: Env, k: Cont): void {
    const fn = this.fn;
    if (p.type === "var" && !isRoot(p.name)) {
      const have = env.get(p.name);
      if (!have) { k(bind(env, p.name, op)); return; }
      fn.emit({ op: "call", fn: "rt_equal", args: [have, op], check: "true" });
      k(env);
      return;
    }
    if (p.type === "array" && this.hasUnbound(p, env)) {
      fn.emit({ op: "call", fn: "rt_arr_len_is", args: [op, { kind: "int", value: p.items.length }], check: "true" });
      const go = (i: number, env1: Env): void => {
        if (i === p.items.length) { k(env1); return; }
        const el = fn.local();
        fn.emit({ op: "call", fn: "rt_dot", args: [op, { kind: "const", index: this.constOf({ kind: "num", text: String(i) }) }], target: el, check: "defined" });
        this.destructure(p.items[i]!, { kind: "local", index: el }, env1, (env2) => go(i + 1, env2));
      };
      go(0, env);
      return;
    }
    if (p.type === "object" && this.hasUnbound(p, env)) {
      fn.emit({ op: "call", fn: "rt_obj_len_is", args: [op, { kind: "int", value: p.entries.length }], check: "true" });
      const go = (i: number, env1: Env): void => {
        if (i === p.entries.length) { k(env1); return; }
        const [key, val] = p.entries[i]!;
        this.planTerm(key, env1, (kop, env2) => {
          const el = fn.local();
          fn.emit({ op: "call", fn: "rt_dot", args: [op, kop], target: el, check: "defined" });
          this.destructure(val, { kind: "local", index: el }, env2, (env3) => go(i + 1, env3));
        });
      };
      go(0, env);
      return;
    }
    this.planTerm(p, env, (x, env2) => {
      fn.emit({ op: "call", fn: "rt_equal", args: [x, op], check: "true" });
      k(env2);
    });
  }

  // ---- terms -------------------------------------------------------------------------------------

  private planTerms(ts: Term[], env: Env, k: (ops: Operand[], env: Env) => void): void {
    const ops: Operand[] = [];
    const go = (i: number, env1: Env): void => {
      if (i === ts.length) { k(ops.slice(), env1); return; }
      this.planTerm(ts[i]!, env1, (op, env2) => { ops[i] = op; go(i + 1, env2); });
    };
    go(0, env);
  }

  planTerm(t: Term, env: Env, k: TermCont): void {
    const fn = this.fn;
    switch (t.type) {
      case "null": case "boolean": case "number": case "string":
        k({ kind: "const", index: this.constTerm(t) }, env);
        return;
      case "var": {
        if (t.name === "input") {
          if (this.ctx.input.kind === "local") this.fn.emit({ op: "defined", local: this.ctx.input.index });
          k(this.ctx.input, env);
          return;
        }
        if (t.name === "data") { this.planDataRef([], env, k); return; }
        const op = env.get(t.name);
        if (!op) { this.err("rego_unsafe_var_error", `var ${t.name.startsWith("_$") ? "_" : t.name} is unsafe`, t.loc); return; }
        k(op, env);
        return;
      }
      case "ref": this.planRef(t, env, k); return;
      case "array": case "set": case "object": {
        if (isGround(t)) { k({ kind: "const", index: this.constTerm(t) }, env); return; }
        if (t.type === "object") {
          const flat = t.entries.flatMap(([a, b]) => [a, b]);
          this.planTerms(flat, env, (ops, env2) => {
            const o = fn.local();
            fn.emit({ op: "call", fn: "rt_obj_new", args: [], target: o });
            for (let i = 0; i < ops.length; i += 2) {
              fn.emit({ op: "call", fn: "rt_obj_put", args: [{ kind: "local", index: o }, ops[i]!, ops[i + 1]!] });
            }
            k({ kind: "local", index: o }, env2);
          });
          return;
        }
        this.planTerms(t.items, env, (ops, env2) => {
          const c = fn.local();
          const isArr = t.type === "array";
          fn.emit({ op: "call", fn: isArr ? "rt_arr_new" : "rt_set_new", args: isArr ? [{ kind: "int", value: ops.length }] : [], target: c });
          for (const op of ops) fn.emit({ op: "call", fn: isArr ? "rt_arr_push" : "rt_set_add", args: [{ kind: "local", index: c }, op] });
          k({ kind: "local", index: c }, env2);
        });
        return;
      }
      case "arraycompr": case "setcompr": case "objectcompr": {
        const c = fn.local();
        const make = t.type === "arraycompr" ? "rt_arr_new" : t.type === "setcompr" ? "rt_set_new" : "rt_obj_new";
        fn.emit({ op: "call", fn: make, args: t.type === "arraycompr" ? [{ kind: "int", value: 0 }] : [], target: c });
        const co: Operand = { kind: "local", index: c };
        const blk = fn.block(() => this.planBody(t.body, env, (env2) => {
          if (t.type === "objectcompr") {
            this.planTerms([t.key, t.value], env2, ([kk, vv]) => {
              fn.emit({ op: "call", fn: "rt_obj_put_once", args: [co, kk!, vv!], check: "true",
                abort: `${t.loc.file}:${t.loc.row}: eval_conflict_error: object keys must be unique` });
            });
          } else {
            this.planTerm(t.term, env2, (v) => fn.emit({ op: "call", fn: t.type === "arraycompr" ? "rt_arr_push" : "rt_set_add", args: [co, v] }));
          }
        }));
        fn.emit({ op: "block", blocks: [blk] });
        k(co, env);
        return;
      }
      case "call": this.planCall(t, env, k); return;
    }
  }

  private planCall(t: Term & { type: "call" }, env: Env, k: TermCont): void {
    const fn = this.fn;
    const name = t.fn.join(".");
    if (t.fn[0] === "data") {
      const g = this.groupAt(t.fn.slice(1));
      if (!g || g.kind !== "function") {
        if (g && t.args.length === 0) { this.planDataRef(t.fn.slice(1).map((s) => strTerm(s)), env, k); return; }
        this.err("rego_type_error", `undefined function ${name}`, t.fnLoc);
        return;
      }
      let args = t.args;
      let out: Term | undefined;
      if (args.length === g.arity + 1) { out = args[args.length - 1]; args = args.slice(0, -1); }
      if (args.length !== g.arity) {
        this.err("rego_type_error", `${name}: arity mismatch: ${t.args.length} arguments given, function takes ${g.arity}`, t.fnLoc);
        return;
      }
      const id = this.groupFunc(g);
      this.planTerms(args, env, (ops, env2) => {
        const r = fn.local();
        fn.emit({ op: "callfn", func: id, args: [this.ctx.input, this.ctx.data, ...ops], target: r });
        if (out) this.destructure(out, { kind: "local", index: r }, env2, (env3) => k({ kind: "local", index: r }, env3));
        else k({ kind: "local", index: r }, env2);
      });
      return;
    }
    const info = lookupBuiltin(name);
    if (!info) {
      if (isUnsupportedBuiltin(name)) this.err("rego_type_error", `unsupported: builtin ${name} is not implemented by this compiler yet`, t.fnLoc);
      else this.err("rego_type_error", `undefined function ${name}`, t.fnLoc);
      return;
    }
    let args = t.args;
    let out: Term | undefined;
    if (args.length === info.arity + 1) { out = args[args.length - 1]; args = args.slice(0, -1); }
    if (args.length !== info.arity) {
      const shown = OPERATOR_NAMES[name] ?? name;
      this.err("rego_type_error", `${shown}: arity mismatch: ${t.args.length} arguments given, ${name} takes ${info.arity}`, t.fnLoc);
      return;
    }
    this.planTerms(args, env, (ops, env2) => {
      const r = fn.local();
      if (info.native) fn.emit({ op: "call", fn: info.native, args: ops, target: r, check: "defined" });
      else fn.emit({ op: "host", id: this.hostId(name), args: ops, target: r });
      const ro: Operand = { kind: "local", index: r };
      if (out) this.destructure(out, ro, env2, (env3) => k(ro, env3));
      else k(ro, env2);
    });
  }

  private hostId(name: string): number {
    let i = this.hostBuiltins.indexOf(name);
    if (i < 0) { i = this.hostBuiltins.length; this.hostBuiltins.push(name); }
    return i;
  }

  private planRef(t: Term & { type: "ref" }, env: Env, k: TermCont): void {
    const head = t.head;
    if (head.type === "var" && head.name === "data") { this.planDataRef(t.path, env, k); return; }
    if (head.type === "var" && head.name === "input") { this.planPath(this.ctx.input, t.path, 0, env, k); return; }
    this.planTerm(head, env, (base, env2) => this.planPath(base, t.path, 0, env2, k));
  }

  /** Follows ref path elements from a value: lookups for bound keys, scans for unbound ones. */
  private planPath(base: Operand, path: Term[], i: number, env: Env, k: TermCont): void {
    if (i === path.length) { k(base, env); return; }
    const fn = this.fn;
    const p = path[i]!;
    if (this.unbound(p, env) || (isPattern(p) && this.hasUnbound(p, env))) {
      const src = this.asLocal(base);
      const key = fn.local(), val = fn.local();
      const block = fn.block(() => {
        const kop: Operand = { kind: "local", index: key };
        this.destructure(p, kop, env, (env2) => this.planPath({ kind: "local", index: val }, path, i + 1, env2, k));
      });
      fn.emit({ op: "scan", source: src, key, value: val, block });
      return;
    }
    this.planTerm(p, env, (kop, env2) => {
      const r = fn.local();
      fn.emit({ op: "call", fn: "rt_dot", args: [base, kop], target: r, check: "defined" });
      this.planPath({ kind: "local", index: r }, path, i + 1, env2, k);
    });
  }

  private groupAt(path: string[]): RuleGroup | undefined {
    let n: RuleNode | undefined = this.tree.root;
    for (const s of path) { n = n?.children.get(s); if (!n) return undefined; }
    return n?.group;
  }

  /** data.<path>: rules where the path meets the rule tree, base data elsewhere, merged views of
   *  packages and prefixes that hold rules. */
  private planDataRef(path: Term[], env: Env, k: TermCont): void {
    let node: RuleNode = this.tree.root;
    let i = 0;
    const prefix: string[] = [];
    while (i < path.length) {
      const seg = path[i]!;
      if (seg.type !== "string") break;
      const child = node.children.get(seg.value);
      if (!child) {
        if (node === this.tree.root || !node.group) { this.planPath(this.ctx.data, path, 0, env, k); return; }
        break;
      }
      node = child;
      prefix.push(seg.value);
      i++;
      if (node.group) {
        if (node.group.kind === "function") {
          this.err("rego_type_error", `function data.${node.group.path.join(".")} used without arguments`, seg.loc);
          return;
        }
        const v = this.virtualValue(node, prefix);
        this.fn.emit({ op: "defined", local: v });
        this.planPath({ kind: "local", index: v }, path, i, env, k);
        return;
      }
    }
    const m = this.materialize(node, prefix);
    this.planPath({ kind: "local", index: m }, path, i, env, k);
  }

  /** The value of the rules at and below a node: its group's value merged with its children's. */
  private virtualValue(node: RuleNode, prefix: string[]): number {
    const fn = this.fn;
    let v = -1;
    if (node.group && node.group.kind !== "function") {
      v = fn.local();
      fn.emit({ op: "callfn", func: this.groupFunc(node.group), args: [this.ctx.input, this.ctx.data], target: v, check: "none" });
    }
    if (node.children.size === 0 && v >= 0) return v;
    const o = fn.local();
    fn.emit({ op: "call", fn: "rt_obj_new", args: [], target: o });
    for (const [name, child] of node.children) {
      if (child.group?.kind === "function" && child.children.size === 0) continue;
      const cv = this.virtualValue(child, [...prefix, name]);
      fn.emit({ op: "call", fn: "rt_obj_put_defined", args: [{ kind: "local", index: o }, this.str(name), { kind: "local", index: cv }] });
    }
    if (v < 0) return o;
    const merged = fn.local();
    fn.emit({ op: "call", fn: "rt_virtual_merge", args: [{ kind: "local", index: v }, { kind: "local", index: o }], target: merged });
    return merged;
  }

  /** The document at a node without rules of its own: base data merged with the rules below
   *  (base data wins where both define a value, as in OPA). */
  private materialize(node: RuleNode, prefix: string[]): number {
    const fn = this.fn;
    const base = fn.local();
    fn.emit({ op: "assign", source: this.ctx.data, target: base });
    for (const s of prefix) fn.emit({ op: "call", fn: "rt_dot", args: [{ kind: "local", index: base }, this.str(s)], target: base });
    const v = this.virtualValue(node, prefix);
    const merged = fn.local();
    fn.emit({ op: "call", fn: "rt_obj_merge", args: [{ kind: "local", index: v }, { kind: "local", index: base }], target: merged });
    return merged;
  }
}

function bind(env: Env, name: string, op: Operand): Env {
  const e = new Map(env);
  e.set(name, op);
  return e;
}

function strTerm(s: string): Term {
  return { type: "string", value: s, loc: { file: "", row: 0, col: 0 } };
}
function trueTerm(loc: Location): Term { return { type: "boolean", value: true, loc }; }

function chain(rule: import("../rego/ast.js").Rule): import("../rego/ast.js").Rule[] {
  const out = [rule];
  let r = rule.else;
  while (r) { out.push(r); r = r.else; }
  return out;
}

/** Does an expression use `with`, also inside comprehensions and `every` bodies? */
function exprHasWith(e: Expr): boolean {
  if (e.with.length > 0) return true;
  switch (e.kind) {
    case "term": return termHasWith(e.term);
    case "unify": case "assign": return termHasWith(e.left) || termHasWith(e.right);
    case "some": return false;
    case "somein": return termHasWith(e.collection);
    case "every": return termHasWith(e.collection) || e.body.some(exprHasWith);
  }
}

function termHasWith(t: Term): boolean {
  switch (t.type) {
    case "ref": return termHasWith(t.head) || t.path.some(termHasWith);
    case "array": case "set": return t.items.some(termHasWith);
    case "object": return t.entries.some(([k, v]) => termHasWith(k) || termHasWith(v));
    case "call": return t.args.some(termHasWith);
    case "arraycompr": case "setcompr": case "objectcompr": return t.body.some(exprHasWith);
    default: return false;
  }
}

function ruleHasWith(r: import("../rego/ast.js").Rule): boolean {
  return chain(r).some((x) => x.body.some(exprHasWith));
}

/** Number literals as JSON text (Rego allows forms JSON does not, e.g. 1. or .5 are rejected by the lexer). */
function normalizeNumber(text: string): string { return text; }

function failMissing(i: number): never { throw new Error(`planner: function ${i} was never planned`); }
