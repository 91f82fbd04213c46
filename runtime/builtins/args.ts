// Argument access shared by the builtin families: value pointers (0 = undefined) to typed values.
import { Value, Num, Str, Arr, Obj, SetV, T_NUM, T_STR, T_ARR, T_OBJ, T_SET } from "../value";

// @ts-ignore: decorator
@inline export function val(p: usize): Value { return changetype<Value>(p); }
// @ts-ignore: decorator
@inline export function ptr(v: Value): usize { return changetype<usize>(v); }
export function isNum(p: usize): bool { return p != 0 && val(p).t == T_NUM; }
export function isStr(p: usize): bool { return p != 0 && val(p).t == T_STR; }
export function isArr(p: usize): bool { return p != 0 && val(p).t == T_ARR; }
export function isObj(p: usize): bool { return p != 0 && val(p).t == T_OBJ; }
export function isSet(p: usize): bool { return p != 0 && val(p).t == T_SET; }
// @ts-ignore: decorator
@inline export function num(p: usize): Num { return changetype<Num>(p); }
// @ts-ignore: decorator
@inline export function str(p: usize): Str { return changetype<Str>(p); }
// @ts-ignore: decorator
@inline export function arr(p: usize): Arr { return changetype<Arr>(p); }
// @ts-ignore: decorator
@inline export function obj(p: usize): Obj { return changetype<Obj>(p); }
// @ts-ignore: decorator
@inline export function set(p: usize): SetV { return changetype<SetV>(p); }

/** Elements of an array or set (other types: null). */
export function elements(p: usize): Array<Value> | null {
  if (isArr(p)) return arr(p).items;
  if (isSet(p)) return set(p).items;
  return null;
}

/** An integral number as i64, or null. */
export function intOf(p: usize): i64 {
  const n = num(p);
  return n.isInt ? n.i : <i64>n.f;
}
export function isIntegral(p: usize): bool {
  if (!isNum(p)) return false;
  const n = num(p);
  return n.isInt || (Math.floor(n.f) == n.f && Math.abs(n.f) < 9.2e18);
}
