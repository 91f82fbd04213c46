// The OPA wasm ABI surface that the runtime owns. The generated part (opa_eval, eval, builtins,
// entrypoints) is appended by the linker and calls the rt_eval_* helpers below.
import { rawAlloc, heapGet, heapSet } from "./alloc";
import { Value, Obj, Arr, Str, NULL, objPut, T_OBJ } from "./value";
import { parseJSON, dumpJSON } from "./json";
import { abortWith } from "./abort";
import { resetEvalState } from "./evalstate";
import { upsertPath, removePath } from "./paths";

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 2;

export function opa_malloc(size: usize): usize { return rawAlloc(size); }
export function opa_free(ptr: usize): void {}
export function opa_heap_ptr_get(): usize { return heapGet(); }
export function opa_heap_ptr_set(p: usize): void { heapSet(p); }

export function opa_json_parse(ptr: usize, len: i32): usize {
  const v = parseJSON(ptr, len);
  return v === null ? 0 : changetype<usize>(v);
}
export function opa_value_parse(ptr: usize, len: i32): usize { return opa_json_parse(ptr, len); }

export function opa_json_dump(v: usize): usize {
  const b = dumpJSON(v == 0 ? NULL : changetype<Value>(v));
  b.byte(0);
  return b.ptr;
}
export function opa_value_dump(v: usize): usize { return opa_json_dump(v); }

/** Sets the value at `path` (a JSON array of strings) inside `base`: 0 ok, 1 bad path, 2 not an object. */
export function opa_value_add_path(base: usize, path: usize, v: usize): i32 {
  if (base == 0 || path == 0 || changetype<Value>(path).t != 5) return 1;
  const b = changetype<Value>(base);
  if (b.t != T_OBJ) return 2;
  const updated = upsertPath(b, changetype<Arr>(path).items, changetype<Value>(v));
  if (updated === null) return 2;
  const src = changetype<Obj>(updated!);
  const dst = changetype<Obj>(b);
  dst.keys = src.keys;
  dst.vals = src.vals;
  return 0;
}

export function opa_value_remove_path(base: usize, path: usize): i32 {
  if (base == 0 || path == 0 || changetype<Value>(path).t != 5) return 1;
  return removePath(changetype<Value>(base), changetype<Arr>(path).items) ? 0 : 2;
}

// ---- the context path (ABI 1.0) --------------------------------------------------------------

// ctx layout: input(+0) data(+4) entrypoint(+8) result(+12)
export function opa_eval_ctx_new(): usize {
  const ctx = rawAlloc(16);
  store<usize>(ctx, 0);
  store<usize>(ctx, 0, 4);
  store<i32>(ctx, 0, 8);
  store<usize>(ctx, 0, 12);
  return ctx;
}
export function opa_eval_ctx_set_input(ctx: usize, v: usize): void { store<usize>(ctx, v); }
export function opa_eval_ctx_set_data(ctx: usize, v: usize): void { store<usize>(ctx, v, 4); }
export function opa_eval_ctx_set_entrypoint(ctx: usize, ep: i32): void { store<i32>(ctx, ep, 8); }
export function opa_eval_ctx_get_result(ctx: usize): usize { return load<usize>(ctx, 12); }

// ---- helpers for the generated glue ----------------------------------------------------------

/** Fast path: resets the heap to `heapPtr`, parses the input text; returns the input or 0 (undefined). */
export function rt_eval_begin(heapPtr: usize, inputPtr: usize, inputLen: i32, memoSlots: i32): usize {
  heapSet(heapPtr);
  resetEvalState(memoSlots);
  if (inputLen <= 0) return 0;
  const v = parseJSON(inputPtr, inputLen);
  if (v === null) abortWith("opa_eval: failed to parse input JSON");
  return changetype<usize>(v);
}

/** Context path: prepares per-evaluation state; input and data come from the ctx. */
export function rt_ctx_begin(memoSlots: i32): void { resetEvalState(memoSlots); }

const RESULT_KEY = memory.data<u8>([0x72, 0x65, 0x73, 0x75, 0x6c, 0x74]);

/** The entrypoint's result set: [{"result": v}] or [] when v is undefined (0). */
export function rt_result_set(v: usize): usize {
  const rs = new Arr(1);
  if (v != 0) {
    const row = new Obj();
    objPut(row, new Str(RESULT_KEY, 6), changetype<Value>(v));
    rs.items.push(row);
  }
  return changetype<usize>(rs);
}

export function rt_dump_cstring(v: usize): usize { return opa_json_dump(v); }

/** The data document with `data` defaulting to {} (the ctx path may leave it unset). */
export function rt_data_or_empty(v: usize): usize { return v == 0 ? changetype<usize>(new Obj()) : v; }

/** For the linker's start function: moves the heap above the policy's static data. */
export function rt_heap_set(p: usize): void { heapSet(p); }
