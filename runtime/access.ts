// Reading inside values: lookups by key, and positional iteration for scans.
import { Value, Num, Bool, Arr, Obj, SetV, objGet, setHas, intValue, T_NUM, T_ARR, T_OBJ, T_SET, T_BOOL } from "./value";

/** Array index from a number value, or -1 when it is not a non-negative integer. */
export function indexOf(k: Value): i64 {
  if (k.t != T_NUM) return -1;
  const n = changetype<Num>(k);
  if (n.isInt) return n.i;
  if (Math.floor(n.f) == n.f && n.f >= 0 && n.f < 9007199254740992.0) return <i64>n.f;
  return -1;
}

export function dotValue(v: Value, k: Value): Value | null {
  switch (v.t) {
    case T_OBJ: return objGet(changetype<Obj>(v), k);
    case T_ARR: {
      const i = indexOf(k);
      const items = changetype<Arr>(v).items;
      return i >= 0 && i < <i64>items.length ? unchecked(items[<i32>i]) : null;
    }
    case T_SET: return setHas(changetype<SetV>(v), k) ? k : null;
  }
  return null;
}

export function rt_dot(v: usize, k: usize): usize {
  if (v == 0 || k == 0) return 0;
  const r = dotValue(changetype<Value>(v), changetype<Value>(k));
  return r === null ? 0 : changetype<usize>(r);
}

/** Number of entries to scan, 0 for scalars and undefined. */
export function rt_len(v: usize): i32 {
  if (v == 0) return 0;
  const x = changetype<Value>(v);
  switch (x.t) {
    case T_ARR: return changetype<Arr>(x).items.length;
    case T_OBJ: return changetype<Obj>(x).keys.length;
    case T_SET: return changetype<SetV>(x).items.length;
  }
  return 0;
}

export function rt_key_at(v: usize, i: i32): usize {
  const x = changetype<Value>(v);
  switch (x.t) {
    case T_ARR: return changetype<usize>(intValue(i));
    case T_OBJ: return changetype<usize>(unchecked(changetype<Obj>(x).keys[i]));
  }
  return changetype<usize>(unchecked(changetype<SetV>(x).items[i]));
}

export function rt_val_at(v: usize, i: i32): usize {
  const x = changetype<Value>(v);
  switch (x.t) {
    case T_ARR: return changetype<usize>(unchecked(changetype<Arr>(x).items[i]));
    case T_OBJ: return changetype<usize>(unchecked(changetype<Obj>(x).vals[i]));
  }
  return changetype<usize>(unchecked(changetype<SetV>(x).items[i]));
}

/** A body expression holds when its value is defined and not `false`. */
export function rt_truthy(v: usize): i32 {
  if (v == 0) return 0;
  const x = changetype<Value>(v);
  return x.t == T_BOOL && !changetype<Bool>(x).b ? 0 : 1;
}


export function rt_arr_len_is(v: usize, n: i32): i32 {
  return v != 0 && changetype<Value>(v).t == T_ARR && changetype<Arr>(v).items.length == n ? 1 : 0;
}

export function rt_obj_len_is(v: usize, n: i32): i32 {
  return v != 0 && changetype<Value>(v).t == T_OBJ && changetype<Obj>(v).keys.length == n ? 1 : 0;
}

