// IR → wasm function bodies. Each IR block is a wasm `block`; a failing statement branches to the
// end of the innermost IR block. Scans become loops over the runtime's positional accessors.
import type { Block, Func, Operand, Stmt } from "../compiler/ir.js";
import { CodeWriter, Op } from "./encoder.js";

export interface CodegenEnv {
  /** Function index of a runtime export (rt_*), throwing when the runtime lacks it. */
  runtimeFunc(name: string): number;
  /** Function index of generated function i. */
  generatedFunc(i: number): number;
  /** Global holding constant i. */
  constGlobal(i: number): number;
  /** Address of a NUL-terminated static string (abort messages). */
  staticCString(s: string): number;
  abortFunc: number;
}

interface Label { ir: boolean }

/** Runtime helpers that return nothing (no result to drop). */
const VOID_HELPERS = new Set([
  "rt_arr_push", "rt_obj_put", "rt_set_add", "rt_obj_put_defined", "rt_with_push", "rt_with_pop", "rt_memo_set",
]);

export function generateFunction(fn: Func, env: CodegenEnv): Uint8Array {
  const g = new FunctionGen(fn, env);
  g.blockStmts(fn.body);
  g.c.localGet(fn.result);
  return g.c.finish(g.totalLocals - fn.params);
}

class FunctionGen {
  readonly c = new CodeWriter();
  private labels: Label[] = [];
  totalLocals: number;
  constructor(private fn: Func, private env: CodegenEnv) { this.totalLocals = fn.locals; }

  private scratch(): number { return this.totalLocals++; }

  /** Branch depth to the end of the n-th enclosing IR block (0 = innermost). */
  private irDepth(n: number): number {
    let seen = 0;
    for (let d = 0; d < this.labels.length; d++) {
      if (this.labels[this.labels.length - 1 - d]!.ir) {
        if (seen === n) return d;
        seen++;
      }
    }
    throw new Error(`codegen: break ${n} has no enclosing block in ${this.fn.name}`);
  }

  private operand(o: Operand): void {
    if (o.kind === "local") this.c.localGet(o.index);
    else if (o.kind === "const") this.c.globalGet(this.env.constGlobal(o.index));
    else this.c.i32(o.value);
  }

  blockStmts(b: Block): void {
    this.c.block();
    this.labels.push({ ir: true });
    for (const s of b.stmts) this.stmt(s);
    this.labels.pop();
    this.c.end();
  }

  private failIfZero(abort?: string): void {
    if (abort === undefined) { this.c.op(Op.i32_eqz).brIf(this.irDepth(0)); return; }
    this.c.op(Op.i32_eqz).if();
    this.labels.push({ ir: false });
    this.c.i32(this.env.staticCString(abort)).call(this.env.abortFunc).op(Op.unreachable);
    this.labels.pop();
    this.c.end();
  }

  private stmt(s: Stmt): void {
    const c = this.c;
    switch (s.op) {
      case "call": {
        for (const a of s.args) this.operand(a);
        c.call(this.env.runtimeFunc(s.fn));
        if (s.target !== undefined) {
          if (s.check) { c.localTee(s.target); this.failIfZero(s.abort); } else c.localSet(s.target);
        } else if (s.check) this.failIfZero(s.abort);
        else if (!VOID_HELPERS.has(s.fn)) c.op(Op.drop);
        return;
      }
      case "assign_once": {
        // if (target == 0) target = source; else if (!equal(target, source)) abort
        c.localGet(s.target).op(Op.i32_eqz).if();
        this.labels.push({ ir: false });
        this.operand(s.source); c.localSet(s.target);
        c.op(Op.else);
        c.localGet(s.target); this.operand(s.source); c.call(this.env.runtimeFunc("rt_equal"));
        this.failIfZero(s.message);
        this.labels.pop();
        c.end();
        return;
      }
      case "memo_get": {
        const t = this.scratch();
        c.i32(s.slot).call(this.env.runtimeFunc("rt_memo_get")).localTee(t).if();
        this.labels.push({ ir: false });
        c.i32(0).localGet(t).localGet(t).i32(1).op(Op.i32_eq).op(0x1b /* select */).op(Op.return);
        this.labels.pop();
        c.end();
        return;
      }
      case "with_check": {
        const t = this.scratch();
        c.call(this.env.runtimeFunc("rt_with_active")).if();
        this.labels.push({ ir: false });
        c.globalGet(this.env.constGlobal(s.path)).call(this.env.runtimeFunc("rt_with_lookup")).localTee(t);
        c.i32(-1).op(Op.i32_ne).if();
        this.labels.push({ ir: false });
        c.localGet(t).op(Op.return);
        this.labels.pop();
        c.end();
        this.labels.pop();
        c.end();
        return;
      }
      case "callfn": {
        for (const a of s.args) this.operand(a);
        c.call(this.env.generatedFunc(s.func));
        if (s.check === undefined || s.check === "defined") { c.localTee(s.target); this.failIfZero(); }
        else c.localSet(s.target);
        return;
      }
      case "host": {
        if (s.args.length > 4) throw new Error("codegen: host builtins take at most 4 arguments");
        c.i32(s.id);
        for (const a of s.args) this.operand(a);
        c.call(this.env.runtimeFunc(`rt_host${s.args.length}`));
        c.localTee(s.target);
        this.failIfZero();
        return;
      }
      case "assign":
        this.operand(s.source);
        c.localSet(s.target);
        return;
      case "defined":
        c.localGet(s.local);
        this.failIfZero();
        return;
      case "undefined":
        c.localGet(s.local);
        c.brIf(this.irDepth(0));
        return;
      case "return":
        this.operand(s.source);
        c.op(Op.return);
        return;
      case "abort":
        c.i32(this.env.staticCString(s.message));
        c.call(this.env.abortFunc);
        c.op(Op.unreachable);
        return;
      case "break":
        c.br(this.irDepth(s.index));
        return;
      case "block":
        for (const b of s.blocks) this.blockStmts(b);
        return;
      case "not": {
        c.block();
        this.labels.push({ ir: true });
        for (const x of s.block.stmts) this.stmt(x);
        // The negated block succeeded: the `not` fails (leave the block that encloses it).
        c.br(this.irDepth(1));
        this.labels.pop();
        c.end();
        return;
      }
      case "scan": {
        const i = this.scratch(), n = this.scratch();
        c.localGet(s.source).call(this.env.runtimeFunc("rt_len")).localSet(n);
        c.i32(0).localSet(i);
        c.block(); this.labels.push({ ir: false });
        c.loop(); this.labels.push({ ir: false });
        c.localGet(i).localGet(n).op(Op.i32_ge_s).brIf(1);
        c.localGet(s.source).localGet(i).call(this.env.runtimeFunc("rt_key_at")).localSet(s.key);
        c.localGet(s.source).localGet(i).call(this.env.runtimeFunc("rt_val_at")).localSet(s.value);
        this.blockStmts(s.block);
        c.localGet(i).i32(1).op(Op.i32_add).localSet(i);
        c.br(0);
        this.labels.pop(); c.end();
        this.labels.pop(); c.end();
        return;
      }
    }
  }
}
