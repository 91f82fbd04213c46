// array.concat, array.slice, array.reverse, array.flatten.
import { Value, Arr, T_ARR } from "../value";
import { ptr, isArr, arr, isIntegral, intOf } from "./args";

export function rt_b_array_concat(a: usize, b: usize): usize {
  if (!isArr(a) || !isArr(b)) return 0;
  const out = new Arr(0);
  out.items = arr(a).items.concat(arr(b).items);
  return ptr(out);
}

export function rt_b_array_slice(a: usize, s: usize, e: usize): usize {
  if (!isArr(a) || !isIntegral(s) || !isIntegral(e)) return 0;
  const n = <i64>arr(a).items.length;
  let from = intOf(s), to = intOf(e);
  if (from < 0) from = 0;
  if (to > n) to = n;
  const out = new Arr(0);
  if (from < to) out.items = arr(a).items.slice(<i32>from, <i32>to);
  return ptr(out);
}

export function rt_b_array_reverse(a: usize): usize {
  if (!isArr(a)) return 0;
  const out = new Arr(0);
  out.items = arr(a).items.slice(0).reverse();
  return ptr(out);
}

/** One level: nested arrays' elements are spliced in, deeper arrays stay. */
function flattenInto(out: Array<Value>, items: Array<Value>): void {
  for (let i = 0; i < items.length; i++) {
    const it = unchecked(items[i]);
    if (it.t == T_ARR) { const inner = changetype<Arr>(it).items; for (let j = 0; j < inner.length; j++) out.push(unchecked(inner[j])); }
    else out.push(it);
  }
}
export function rt_b_array_flatten(a: usize): usize {
  if (!isArr(a)) return 0;
  const out = new Arr(0);
  flattenInto(out.items, arr(a).items);
  return ptr(out);
}
