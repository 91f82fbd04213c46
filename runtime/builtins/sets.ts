// Set algebra: `&` (and), `|` (or), intersection, union; membership (`in`).
import { Value, SetV, Obj, Arr, setAdd, setHas, boolValue, T_SET, T_OBJ, T_ARR } from "../value";
import { compare } from "../compare";
import { val, ptr, isSet, set, elements, obj, arr } from "./args";

export function rt_b_and(a: usize, b: usize): usize {
  if (!isSet(a) || !isSet(b)) return 0;
  const out = new SetV();
  const xs = set(a).items;
  for (let i = 0; i < xs.length; i++) if (setHas(set(b), unchecked(xs[i]))) out.items.push(unchecked(xs[i]));
  return ptr(out);
}

export function rt_b_or(a: usize, b: usize): usize {
  if (!isSet(a) || !isSet(b)) return 0;
  const out = new SetV();
  out.items = set(a).items.slice(0);
  const ys = set(b).items;
  for (let i = 0; i < ys.length; i++) setAdd(out, unchecked(ys[i]));
  return ptr(out);
}

export function rt_b_intersection(xs: usize): usize {
  if (!isSet(xs)) return 0;
  const sets = set(xs).items;
  for (let i = 0; i < sets.length; i++) if (unchecked(sets[i]).t != T_SET) return 0;
  if (sets.length == 0) return ptr(new SetV());
  let acc = ptr(unchecked(sets[0]));
  for (let i = 1; i < sets.length; i++) acc = rt_b_and(acc, ptr(unchecked(sets[i])));
  return acc;
}

export function rt_b_union(xs: usize): usize {
  if (!isSet(xs)) return 0;
  const sets = set(xs).items;
  let acc = ptr(new SetV());
  for (let i = 0; i < sets.length; i++) {
    if (unchecked(sets[i]).t != T_SET) return 0;
    acc = rt_b_or(acc, ptr(unchecked(sets[i])));
  }
  return acc;
}

/** `x in xs`: membership among the values of an array, set or object. */
export function rt_b_internal_member_2(x: usize, xs: usize): usize {
  if (x == 0 || xs == 0) return 0;
  const c = val(xs);
  if (c.t == T_SET) return ptr(boolValue(setHas(set(xs), val(x))));
  const items = c.t == T_ARR ? arr(xs).items : c.t == T_OBJ ? obj(xs).vals : null;
  if (items === null) return ptr(boolValue(false));
  for (let i = 0; i < items!.length; i++) if (compare(unchecked(items![i]), val(x)) == 0) return ptr(boolValue(true));
  return ptr(boolValue(false));
}

/** `k, v in xs`: xs[k] == v. */
export function rt_b_internal_member_3(k: usize, v: usize, xs: usize): usize {
  if (k == 0 || v == 0 || xs == 0) return 0;
  const c = val(xs);
  if (c.t == T_SET) return ptr(boolValue(compare(val(k), val(v)) == 0 && setHas(set(xs), val(k))));
  if (c.t == T_OBJ) {
    const o = obj(xs);
    for (let i = 0; i < o.keys.length; i++) {
      if (compare(unchecked(o.keys[i]), val(k)) == 0) return ptr(boolValue(compare(unchecked(o.vals[i]), val(v)) == 0));
    }
    return ptr(boolValue(false));
  }
  if (c.t == T_ARR) {
    const items = arr(xs).items;
    for (let i = 0; i < items.length; i++) {
      if (compare(val(k), changetype<Value>(rt_index_value(i))) == 0 && compare(unchecked(items[i]), val(v)) == 0) return ptr(boolValue(true));
    }
  }
  return ptr(boolValue(false));
}

import { intValue } from "../value";
function rt_index_value(i: i32): usize { return changetype<usize>(intValue(i)); }
