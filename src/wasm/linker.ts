// Appends a planned policy to the precompiled runtime: constants (data segment + globals built by a
// new start function), generated functions, and the ABI glue (opa_eval, eval, builtins,
// entrypoints). The runtime's own code is copied byte for byte, never decoded.
import type { Const, Policy } from "../compiler/ir.js";
import { ByteWriter, CodeWriter, ExportKind, Op, SectionId, ValType, encodeFuncType, encodeSection } from "./encoder.js";
import { readExports, readImports, readSections, staticDataEnd, vectorItems, type RawSection } from "./module-reader.js";
import { generateFunction, type CodegenEnv } from "./codegen.js";

const PAGE = 65536;
/** The SDK's default memory is 5 pages: static data must fit below that. */
const MAX_STATIC_BYTES = 5 * PAGE;

export class LinkError extends Error {}

interface RuntimeInfo {
  sections: RawSection[];
  importedFuncs: number;
  definedFuncs: number;
  globals: number;
  types: number;
  exports: Map<string, number>;
  abortImport: number;
  /** Where the heap stands after the runtime's own initialisation: policy data goes above it. */
  initHeapEnd: number;
}

let cachedRuntime: { bytes: Uint8Array; info: RuntimeInfo } | undefined;

function inspectRuntime(bytes: Uint8Array): RuntimeInfo {
  if (cachedRuntime?.bytes === bytes) return cachedRuntime.info;
  const sections = readSections(bytes);
  const find = (id: number) => sections.find((s) => s.id === id);
  const imports = readImports(find(SectionId.import)?.body ?? new Uint8Array([0]));
  const funcImports = imports.filter((i) => i.kind === 0);
  const abort = funcImports.find((i) => i.name === "opa_abort");
  if (!abort) throw new LinkError("runtime.wasm does not import env.opa_abort");
  const exports = new Map<string, number>();
  for (const e of readExports(find(SectionId.export)?.body ?? new Uint8Array([0]))) {
    if (e.kind === ExportKind.func) exports.set(e.name, e.index);
  }
  const info: RuntimeInfo = {
    sections,
    importedFuncs: funcImports.length,
    definedFuncs: vectorItems(find(SectionId.function)!.body).count,
    globals: find(SectionId.global) ? vectorItems(find(SectionId.global)!.body).count : 0,
    types: vectorItems(find(SectionId.type)!.body).count,
    exports,
    abortImport: abort.funcIndex!,
    initHeapEnd: measureInitHeap(bytes, find(SectionId.data) ? staticDataEnd(find(SectionId.data)!.body) : 0),
  };
  cachedRuntime = { bytes, info };
  return info;
}

/**
 * Runs the runtime's initialisation once, in a scratch instance, to learn how far it fills the
 * heap (its singletons are allocated there before the policy's start code runs).
 */
function measureInitHeap(bytes: Uint8Array, dataEnd: number): number {
  const memory = new WebAssembly.Memory({ initial: 5 });
  const fail = () => { throw new LinkError("runtime.wasm called the host during initialisation"); };
  const env: Record<string, unknown> = { memory, opa_abort: fail, opa_println: fail };
  for (let i = 0; i <= 4; i++) env[`opa_builtin${i}`] = fail;
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>), { env: env as WebAssembly.ModuleImports });
  const ex = inst.exports as Record<string, () => number>;
  ex._initialize!();
  return Math.max(dataEnd, ex.opa_heap_ptr_get!());
}

/** Static bytes laid out after the runtime's data. */
class StaticData {
  private w = new ByteWriter(1024);
  private strings = new Map<string, number>();
  constructor(readonly base: number) {}
  /** Address of UTF-8 bytes (not terminated) or of a C string when `terminated`. */
  add(s: string, terminated: boolean): { addr: number; len: number } {
    const key = (terminated ? "c:" : "s:") + s;
    const bytes = new TextEncoder().encode(s);
    const found = this.strings.get(key);
    if (found !== undefined) return { addr: found, len: bytes.length };
    const addr = this.base + this.w.length;
    this.w.bytes(bytes);
    if (terminated) this.w.byte(0);
    this.strings.set(key, addr);
    return { addr, len: bytes.length };
  }
  get end(): number { return this.base + this.w.length; }
  bytes(): Uint8Array { return this.w.finish(); }
}

export function link(runtime: Uint8Array, policy: Policy): Uint8Array {
  const rt = inspectRuntime(runtime);
  const rtFunc = (name: string): number => {
    const idx = rt.exports.get(name);
    if (idx === undefined) throw new LinkError(`runtime.wasm has no export ${name}`);
    return idx;
  };
  const data = new StaticData(((rt.initHeapEnd + 15) & ~15) + 16);
  const firstFunc = rt.importedFuncs + rt.definedFuncs;
  const firstGlobal = rt.globals;

  // Types: one per arity of generated functions (all i32 → i32), plus the glue's shapes.
  const types: Uint8Array[] = [];
  const typeIndex = new Map<string, number>();
  const typeOf = (params: number, results: number): number => {
    const key = `${params}:${results}`;
    let t = typeIndex.get(key);
    if (t === undefined) {
      t = rt.types + types.length;
      types.push(encodeFuncType(Array(params).fill(ValType.i32), Array(results).fill(ValType.i32)));
      typeIndex.set(key, t);
    }
    return t;
  };

  const env: CodegenEnv = {
    runtimeFunc: rtFunc,
    generatedFunc: (i) => firstFunc + i,
    constGlobal: (i) => firstGlobal + i,
    staticCString: (s) => data.add(asciiOnly(s), true).addr,
    abortFunc: rt.abortImport,
  };

  const funcTypes: number[] = [];
  const bodies: Uint8Array[] = [];
  for (const fn of policy.funcs) {
    funcTypes.push(typeOf(fn.params, 1));
    bodies.push(generateFunction(fn, env));
  }

  // Glue functions, after the generated ones.
  let next = firstFunc + policy.funcs.length;
  const glue = (params: number, results: number, body: Uint8Array): number => {
    funcTypes.push(typeOf(params, results));
    bodies.push(body);
    return next++;
  };

  const dispatch = glue(3, 1, dispatchBody(policy, env, firstFunc));
  const opaEval = glue(7, 1, (() => {
    const c = new CodeWriter();
    // opa_eval(reserved, entrypoint, data, input, input_len, heap_ptr, format)
    c.localGet(5).localGet(3).localGet(4).i32(policy.memoSlots).call(rtFunc("rt_eval_begin")).localSet(7);
    c.localGet(1).localGet(7).localGet(2).call(dispatch);
    c.call(rtFunc("rt_dump_cstring"));
    return c.finish(1);
  })());
  const evalCtx = glue(1, 1, (() => {
    const c = new CodeWriter();
    c.i32(policy.memoSlots).call(rtFunc("rt_ctx_begin"));
    c.localGet(0); // result address target
    c.localGet(0).i32Load(8); // entrypoint
    c.localGet(0).i32Load(0); // input
    c.localGet(0).i32Load(4); // data
    c.call(rtFunc("rt_data_or_empty"));
    c.call(dispatch);
    c.i32Store(12);           // the result

    c.i32(0);
    return c.finish(0);
  })());
  const jsonGetter = (json: string) => {
    const s = data.add(json, false);
    const c = new CodeWriter();
    c.i32(s.addr).i32(s.len).call(rtFunc("opa_json_parse"));
    return glue(0, 1, c.finish(0));
  };
  const builtinsFn = jsonGetter(JSON.stringify(Object.fromEntries(policy.hostBuiltins.map((n, i) => [n, i]))));
  const entrypointsFn = jsonGetter(JSON.stringify(Object.fromEntries(policy.entrypoints.map((e, i) => [e.name, i]))));

  // Constants: their bytes are static data; their values are built once by the start function.
  const constBytes = policy.consts.map((k) =>
    k.kind === "str" ? data.add(k.value, false) : k.kind === "num" ? data.add(k.text, false) : undefined);
  const heapStart = (data.end + 15) & ~15;
  if (heapStart > MAX_STATIC_BYTES) {
    throw new LinkError(`policy static data needs ${heapStart} bytes; the SDK's default memory holds ${MAX_STATIC_BYTES}`);
  }
  const start = glue(0, 0, startBody(policy.consts, constBytes, heapStart, rtFunc, firstGlobal));

  // ---- assemble the module: the runtime's sections with ours appended --------------------------
  const out = new ByteWriter(runtime.length + 4096);
  out.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const appendVec = (s: RawSection | undefined, extra: Uint8Array[]): Uint8Array => {
    const { count, items } = s ? vectorItems(s.body) : { count: 0, items: new Uint8Array() };
    const w = new ByteWriter(items.length + 64).u32(count + extra.length).bytes(items);
    for (const e of extra) w.bytes(e);
    return w.finish();
  };
  const exportsExtra = [
    exportEntry("opa_eval", opaEval), exportEntry("eval", evalCtx),
    exportEntry("builtins", builtinsFn), exportEntry("entrypoints", entrypointsFn),
  ];
  const globalsExtra = policy.consts.map(() =>
    new ByteWriter(8).byte(ValType.i32).byte(1).byte(Op.i32_const).s32(0).byte(Op.end).finish());
  const dataBytes = data.bytes();
  const dataSegment = new ByteWriter(dataBytes.length + 16)
    .u32(0).byte(Op.i32_const).s32(data.base).byte(Op.end).u32(dataBytes.length).bytes(dataBytes).finish();

  const byId = (id: number) => rt.sections.find((s) => s.id === id);
  const order = [SectionId.type, SectionId.import, SectionId.function, SectionId.table, SectionId.memory,
    SectionId.global, SectionId.export, SectionId.start, SectionId.element, SectionId.dataCount,
    SectionId.code, SectionId.data];
  for (const id of order) {
    const s = byId(id);
    let body: Uint8Array | undefined;
    switch (id) {
      case SectionId.type: body = appendVec(s, types); break;
      case SectionId.function: body = appendVec(s, funcTypes.map((t) => new ByteWriter(5).u32(t).finish())); break;
      case SectionId.global: body = appendVec(s, globalsExtra); break;
      case SectionId.export: body = appendVec(s, exportsExtra.filter((e) => e !== undefined)); break;
      case SectionId.start: body = new ByteWriter(5).u32(start).finish(); break;
      case SectionId.code: body = appendVec(s, bodies); break;
      case SectionId.data: body = appendVec(s, dataBytes.length ? [dataSegment] : []); break;
      case SectionId.dataCount:
        if (s) body = new ByteWriter(5).u32(vectorItems(byId(SectionId.data)!.body).count + (dataBytes.length ? 1 : 0)).finish();
        break;
      default: body = s?.body;
    }
    if (body) out.bytes(encodeSection(id, body));
  }
  // The runtime's name section (debug builds) stays valid: generated functions come after its own.
  for (const s of rt.sections) if (s.id === SectionId.custom) out.bytes(encodeSection(SectionId.custom, s.body));
  return out.finish();
}

function exportEntry(name: string, func: number): Uint8Array {
  return new ByteWriter(name.length + 8).name(name).byte(ExportKind.func).u32(func).finish();
}

function asciiOnly(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, "?");
}

function dispatchBody(policy: Policy, env: CodegenEnv, firstFunc: number): Uint8Array {
  // dispatch(entrypoint, input, data): a br_table over the entrypoints.
  const c = new CodeWriter();
  const n = policy.entrypoints.length;
  for (let i = 0; i <= n; i++) c.block();
  c.localGet(0).brTable(policy.entrypoints.map((_, i) => i), n);
  for (let i = 0; i < n; i++) {
    c.end();
    c.localGet(1).localGet(2).call(firstFunc + policy.entrypoints[i]!.func).op(Op.return);
  }
  c.end();
  c.i32(env.staticCString("invalid entrypoint id")).call(env.abortFunc).op(Op.unreachable);
  c.i32(0);
  return c.finish(0);
}

function startBody(
  consts: Const[], bytes: ({ addr: number; len: number } | undefined)[], heapStart: number,
  rtFunc: (n: string) => number, firstGlobal: number,
): Uint8Array {
  const c = new CodeWriter();
  c.call(rtFunc("_initialize"));
  c.i32(heapStart).call(rtFunc("rt_heap_set"));
  consts.forEach((k, i) => {
    const g = firstGlobal + i;
    const get = (j: number) => c.globalGet(firstGlobal + j);
    switch (k.kind) {
      case "null": c.call(rtFunc("rt_null")); break;
      case "bool": c.call(rtFunc(k.value ? "rt_true" : "rt_false")); break;
      case "str": c.i32(bytes[i]!.addr).i32(bytes[i]!.len).call(rtFunc("rt_str")); break;
      case "num": c.i32(bytes[i]!.addr).i32(bytes[i]!.len).call(rtFunc("rt_num")); break;
      case "arr":
        c.i32(k.items.length).call(rtFunc("rt_arr_new")).globalSet(g);
        for (const it of k.items) { c.globalGet(g); get(it); c.call(rtFunc("rt_arr_push")); }
        return;
      case "set":
        c.call(rtFunc("rt_set_new")).globalSet(g);
        for (const it of k.items) { c.globalGet(g); get(it); c.call(rtFunc("rt_set_add")); }
        return;
      case "obj":
        c.call(rtFunc("rt_obj_new")).globalSet(g);
        for (const [kk, vv] of k.entries) { c.globalGet(g); get(kk); get(vv); c.call(rtFunc("rt_obj_put")); }
        return;
    }
    c.globalSet(g);
  });
  return c.finish(0);
}
