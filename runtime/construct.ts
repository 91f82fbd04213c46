// Building values: constants (from the policy's data segment, at start-up) and collections that
// generated code fills (comprehensions, partial rules, composite terms).
import { Value, Str, Arr, Obj, SetV, NULL, TRUE, FALSE, objPut, objPutOnce, setAdd, objGet, T_OBJ, T_SET, T_ARR } from "./value";
import { numberFromText } from "./json";
import { compare } from "./compare";
import { abortWith } from "./abort";

export function rt_null(): usize { return changetype<usize>(NULL); }
export function rt_true(): usize { return changetype<usize>(TRUE); }
export function rt_false(): usize { return changetype<usize>(FALSE); }
export function rt_str(ptr: usize, len: i32): usize { return changetype<usize>(new Str(ptr, len)); }
export function rt_num(ptr: usize, len: i32): usize {
  let isInt = len <= 18;
  for (let i = 0; i < len && isInt; i++) {
    const c = load<u8>(ptr + <usize>i);
    if (!(c >= 0x30 && c <= 0x39) && !(i == 0 && c == 0x2d)) isInt = false;
  }
  return changetype<usize>(numberFromText(ptr, len, isInt));
}

export function rt_arr_new(cap: i32): usize { return changetype<usize>(new Arr(cap)); }
export function rt_arr_push(a: usize, v: usize): void { changetype<Arr>(a).items.push(changetype<Value>(v)); }
export function rt_obj_new(): usize { return changetype<usize>(new Obj()); }
export function rt_obj_put(o: usize, k: usize, v: usize): void { objPut(changetype<Obj>(o), changetype<Value>(k), changetype<Value>(v)); }
/** 1 when inserted or already equal; 0 on a conflicting value for the key. */
export function rt_obj_put_once(o: usize, k: usize, v: usize): i32 {
  return objPutOnce(changetype<Obj>(o), changetype<Value>(k), changetype<Value>(v)) ? 1 : 0;
}
export function rt_set_new(): usize { return changetype<usize>(new SetV()); }
export function rt_set_add(s: usize, v: usize): void { setAdd(changetype<SetV>(s), changetype<Value>(v)); }

/** The object holding the last key of `items` below `o`, creating objects on the way; null when
 *  something other than an object is in the way. */
function parentAt(o: Obj, items: Array<Value>): Obj | null {
  let cur = o;
  for (let i = 0; i < items.length - 1; i++) {
    const k = unchecked(items[i]);
    const next = objGet(cur, k);
    if (next === null) { const fresh = new Obj(); objPut(cur, k, fresh); cur = fresh; }
    else if (next.t == T_OBJ) cur = changetype<Obj>(next);
    else return null;
  }
  return cur;
}

/**
 * Ref-head rules (`p[x].y := v`): sets obj[path...] = v, creating objects on the way.
 * Returns 1, or 0 on a conflict (a different value, or a non-object in the way).
 */
export function rt_obj_put_path(o: usize, path: usize, v: usize): i32 {
  const items = changetype<Arr>(path).items;
  const n = items.length;
  const p = parentAt(changetype<Obj>(o), items);
  if (p === null) return 0;
  const cur = p!;
  const last = unchecked(items[n - 1]);
  const existing = objGet(cur, last);
  if (existing === null) { objPut(cur, last, changetype<Value>(v)); return 1; }
  return compare(existing, changetype<Value>(v)) == 0 ? 1 : 0;
}

/** Merges b into a copy of a: objects merge deeply, b wins on everything else (sets included). */
export function rt_obj_merge(a: usize, b: usize): usize {
  if (a == 0) return b;
  if (b == 0) return a;
  return changetype<usize>(mergeValues(changetype<Value>(a), changetype<Value>(b)));
}

let mergeConflict = false;

/** Merges two virtual documents (rules that overlap through ref heads); a conflict aborts. */
export function rt_virtual_merge(a: usize, b: usize): usize {
  if (a == 0) return b;
  if (b == 0) return a;
  mergeConflict = false;
  const r = merge(changetype<Value>(a), changetype<Value>(b), true);
  if (mergeConflict) abortWith("eval_conflict_error: object keys must be unique");
  return changetype<usize>(r);
}

/**
 * Merges b into a copy of a: objects merge key by key, b wins elsewhere. `strict` (overlapping
 * virtual documents): sets unite, and differing values are a conflict (sets mergeConflict).
 */
function merge(a: Value, b: Value, strict: bool): Value {
  if (strict && a.t == T_SET && b.t == T_SET) {
    const out = new SetV();
    out.items = changetype<SetV>(a).items.slice(0);
    const ys = changetype<SetV>(b).items;
    for (let i = 0; i < ys.length; i++) setAdd(out, unchecked(ys[i]));
    return out;
  }
  if (a.t != T_OBJ || b.t != T_OBJ) {
    if (strict && compare(a, b) != 0) mergeConflict = true;
    return b;
  }
  const x = changetype<Obj>(a), y = changetype<Obj>(b);
  const out = new Obj();
  out.keys = x.keys.slice(0);
  out.vals = x.vals.slice(0);
  for (let i = 0; i < y.keys.length; i++) {
    const k = unchecked(y.keys[i]);
    const prev = objGet(out, k);
    objPut(out, k, prev === null ? unchecked(y.vals[i]) : merge(prev, unchecked(y.vals[i]), strict));
  }
  return out;
}

/**
 * Ref-head partial set rules (`p[x].r contains v`): adds v to the set at obj[path...], creating
 * objects and the set on the way. Returns 0 on a conflict (something else is in the way).
 */
export function rt_obj_add_path_set(o: usize, path: usize, v: usize): i32 {
  const items = changetype<Arr>(path).items;
  const n = items.length;
  const p = parentAt(changetype<Obj>(o), items);
  if (p === null) return 0;
  const cur = p!;
  const last = unchecked(items[n - 1]);
  let leaf = objGet(cur, last);
  if (leaf === null) { leaf = new SetV(); objPut(cur, last, leaf); }
  else if (leaf.t != T_SET) return 0;
  setAdd(changetype<SetV>(leaf), changetype<Value>(v));
  return 1;
}

/** 1 when v is an array, object or set (what `every` and `some … in` can iterate). */
export function rt_is_collection(v: usize): i32 {
  if (v == 0) return 0;
  const t = changetype<Value>(v).t;
  return t == T_ARR || t == T_OBJ || t == T_SET ? 1 : 0;
}

export function mergeValues(a: Value, b: Value): Value { return merge(a, b, false); }

/** Inserts key → v unless v is undefined (0): virtual documents skip undefined rules. */
export function rt_obj_put_defined(o: usize, k: usize, v: usize): void {
  if (v != 0) objPut(changetype<Obj>(o), changetype<Value>(k), changetype<Value>(v));
}
