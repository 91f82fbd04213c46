// count, sum, product, max, min, sort.
import { Value, Arr, intValue, floatValue, sortValues, T_NUM, T_STR, T_ARR, T_OBJ, T_SET, Num } from "../value";
import { compare } from "../compare";
import { val, ptr, isStr, str, elements, obj, isObj } from "./args";
import { decodeRunes } from "./runes";
import { rt_b_plus, rt_b_mul } from "./arithmetic";

export function rt_b_count(x: usize): usize {
  if (x == 0) return 0;
  if (isStr(x)) return ptr(intValue(decodeRunes(str(x).ptr, str(x).len).length));
  if (isObj(x)) return ptr(intValue(obj(x).keys.length));
  const items = elements(x);
  return items === null ? 0 : ptr(intValue(items!.length));
}

function fold(x: usize, start: i64, mul: bool): usize {
  const items = elements(x);
  if (items === null) return 0;
  let acc = ptr(intValue(start));
  for (let i = 0; i < items!.length; i++) {
    const it = unchecked(items![i]);
    if (it.t != T_NUM) return 0;
    acc = mul ? rt_b_mul(acc, ptr(it)) : rt_b_plus(acc, ptr(it));
  }
  return acc;
}
export function rt_b_sum(x: usize): usize { return fold(x, 0, false); }
export function rt_b_product(x: usize): usize { return fold(x, 1, true); }

function extreme(x: usize, sign: i32): usize {
  const items = elements(x);
  if (items === null || items!.length == 0) return 0;
  let best = unchecked(items![0]);
  for (let i = 1; i < items!.length; i++) {
    const it = unchecked(items![i]);
    if (compare(it, best) * sign > 0) best = it;
  }
  return ptr(best);
}
export function rt_b_max(x: usize): usize { return extreme(x, 1); }
export function rt_b_min(x: usize): usize { return extreme(x, -1); }

export function rt_b_sort(x: usize): usize {
  const items = elements(x);
  if (items === null) return 0;
  const out = new Arr(0);
  out.items = sortValues(items!);
  return ptr(out);
}
