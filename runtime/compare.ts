// OPA's total order over values: null < boolean < number < string < array < object < set;
// arrays and sets compare element-wise, objects key by key then value, strings byte-wise (UTF-8).
import { Value, Bool, Num, Str, Arr, Obj, SetV, T_NULL, T_BOOL, T_NUM, T_STR, T_ARR, T_OBJ, T_SET } from "./value";

export function compareBytes(ap: usize, al: i32, bp: usize, bl: i32): i32 {
  const n = min(al, bl);
  for (let i = 0; i < n; i++) {
    const x = load<u8>(ap + <usize>i), y = load<u8>(bp + <usize>i);
    if (x != y) return x < y ? -1 : 1;
  }
  return al < bl ? -1 : al > bl ? 1 : 0;
}

export function compareNum(a: Num, b: Num): i32 {
  if (a.isInt && b.isInt) return a.i < b.i ? -1 : a.i > b.i ? 1 : 0;
  const x = a.asF64();
  const y = b.asF64();
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareList(a: Array<Value>, b: Array<Value>): i32 {
  const n = min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compare(unchecked(a[i]), unchecked(b[i]));
    if (c != 0) return c;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

export function compare(a: Value, b: Value): i32 {
  if (a === b) return 0;
  if (a.t != b.t) return a.t < b.t ? -1 : 1;
  switch (a.t) {
    case T_NULL: return 0;
    case T_BOOL: {
      const x = changetype<Bool>(a).b, y = changetype<Bool>(b).b;
      return x == y ? 0 : (x ? 1 : -1);
    }
    case T_NUM: return compareNum(changetype<Num>(a), changetype<Num>(b));
    case T_STR: {
      const x = changetype<Str>(a), y = changetype<Str>(b);
      return compareBytes(x.ptr, x.len, y.ptr, y.len);
    }
    case T_ARR: return compareList(changetype<Arr>(a).items, changetype<Arr>(b).items);
    case T_OBJ: {
      const x = changetype<Obj>(a), y = changetype<Obj>(b);
      const n = min(x.keys.length, y.keys.length);
      for (let i = 0; i < n; i++) {
        let c = compare(unchecked(x.keys[i]), unchecked(y.keys[i]));
        if (c != 0) return c;
        c = compare(unchecked(x.vals[i]), unchecked(y.vals[i]));
        if (c != 0) return c;
      }
      return x.keys.length < y.keys.length ? -1 : x.keys.length > y.keys.length ? 1 : 0;
    }
    case T_SET: return compareList(changetype<SetV>(a).items, changetype<SetV>(b).items);
  }
  return 0;
}

export function equal(a: Value, b: Value): bool { return compare(a, b) == 0; }
