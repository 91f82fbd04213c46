// plus, minus, mul, div, rem, abs, round, ceil, floor; `-` also takes set difference.
// Integers stay exact in 64 bits; on overflow or a fraction the result is a double.
import { Value, Num, SetV, intValue, floatValue, setAdd, setHas } from "../value";
import { val, ptr, isNum, isSet, num, set, isIntegral, intOf } from "./args";

function f(p: usize): f64 { return num(p).asF64(); }
function bothInt(a: usize, b: usize): bool { return num(a).isInt && num(b).isInt; }

export function rt_b_plus(a: usize, b: usize): usize {
  if (!isNum(a) || !isNum(b)) return 0;
  if (bothInt(a, b)) {
    const x = num(a).i, y = num(b).i, r = x + y;
    if (((x ^ r) & (y ^ r)) >= 0) return ptr(intValue(r));
  }
  return ptr(floatValue(f(a) + f(b)));
}

export function rt_b_minus(a: usize, b: usize): usize {
  if (isSet(a) && isSet(b)) {
    const out = new SetV();
    const xs = set(a).items;
    for (let i = 0; i < xs.length; i++) if (!setHas(set(b), unchecked(xs[i]))) setAdd(out, unchecked(xs[i]));
    return ptr(out);
  }
  if (!isNum(a) || !isNum(b)) return 0;
  if (bothInt(a, b)) {
    const x = num(a).i, y = num(b).i, r = x - y;
    if (((x ^ y) & (x ^ r)) >= 0) return ptr(intValue(r));
  }
  return ptr(floatValue(f(a) - f(b)));
}

export function rt_b_mul(a: usize, b: usize): usize {
  if (!isNum(a) || !isNum(b)) return 0;
  if (bothInt(a, b)) {
    const x = num(a).i, y = num(b).i;
    const r = x * y;
    if (x == 0 || (r / x == y && !(x == -1 && y == i64.MIN_VALUE))) return ptr(intValue(r));
  }
  return ptr(floatValue(f(a) * f(b)));
}

export function rt_b_div(a: usize, b: usize): usize {
  if (!isNum(a) || !isNum(b)) return 0;
  if (f(b) == 0) return 0; // divide by zero
  if (bothInt(a, b)) {
    const x = num(a).i, y = num(b).i;
    if (y != -1 && x % y == 0) return ptr(intValue(x / y));
  }
  return ptr(floatValue(f(a) / f(b)));
}

export function rt_b_rem(a: usize, b: usize): usize {
  if (!isIntegral(a) || !isIntegral(b)) return 0; // modulo on floating-point number
  const y = intOf(b);
  if (y == 0) return 0; // modulo by zero
  if (y == -1) return ptr(intValue(0));
  return ptr(intValue(intOf(a) % y));
}

export function rt_b_abs(a: usize): usize {
  if (!isNum(a)) return 0;
  const n = num(a);
  if (n.isInt) return n.i >= 0 ? a : ptr(n.i == i64.MIN_VALUE ? floatValue(-<f64>n.i) : intValue(-n.i));
  return ptr(floatValue(Math.abs(n.f)));
}

function rounded(a: usize, r: f64): usize { return num(a).isInt ? a : ptr(floatValue(r)); }
export function rt_b_ceil(a: usize): usize { return isNum(a) ? rounded(a, Math.ceil(f(a))) : 0; }
export function rt_b_floor(a: usize): usize { return isNum(a) ? rounded(a, Math.floor(f(a))) : 0; }
export function rt_b_round(a: usize): usize {
  if (!isNum(a)) return 0;
  const x = f(a);
  return rounded(a, x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5));
}
