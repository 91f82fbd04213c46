// The value model: OPA's seven JSON-like types. Objects and sets keep their entries sorted by
// `compare`, so lookups are binary searches and iteration is in OPA's sorted order.
import { rawAlloc, heapGet, heapSet } from "./alloc";
import { compare, compareBytes } from "./compare";

export const T_NULL: u8 = 1;
export const T_BOOL: u8 = 2;
export const T_NUM: u8 = 3;
export const T_STR: u8 = 4;
export const T_ARR: u8 = 5;
export const T_OBJ: u8 = 6;
export const T_SET: u8 = 7;

export class Value {
  t: u8;
  constructor(t: u8) { this.t = t; }
}

export class Bool extends Value {
  b: bool;
  constructor(b: bool) { super(T_BOOL); this.b = b; }
}

/** A number is an exact 64-bit integer or a double; `text` keeps a literal's spelling for output. */
export class Num extends Value {
  isInt: bool;
  i: i64 = 0;
  f: f64 = 0;
  text: usize = 0;
  textLen: i32 = 0;
  constructor(isInt: bool) { super(T_NUM); this.isInt = isInt; }
  asF64(): f64 { return this.isInt ? <f64>this.i : this.f; }
}

/** A UTF-8 string: `len` bytes at `ptr` (possibly inside the input or data text). */
export class Str extends Value {
  ptr: usize;
  len: i32;
  constructor(ptr: usize, len: i32) { super(T_STR); this.ptr = ptr; this.len = len; }
}

export class Arr extends Value {
  items: Array<Value>;
  constructor(cap: i32) { super(T_ARR); this.items = new Array<Value>(0); }
}

export class Obj extends Value {
  keys: Array<Value> = new Array<Value>(0);
  vals: Array<Value> = new Array<Value>(0);
  constructor() { super(T_OBJ); }
}

export class SetV extends Value {
  items: Array<Value> = new Array<Value>(0);
  constructor() { super(T_SET); }
}

// Singletons live below the heap base, so they survive every evaluation's heap reset.
export const NULL = new Value(T_NULL);
export const TRUE = new Bool(true);
export const FALSE = new Bool(false);
const SMALL_INTS = new Array<Num>(0);
for (let i = 0; i < 256; i++) {
  const n = new Num(true);
  n.i = i;
  SMALL_INTS.push(n);
}

export function boolValue(b: bool): Value { return b ? TRUE : FALSE; }

export function intValue(i: i64): Num {
  if (i >= 0 && i < 256) return unchecked(SMALL_INTS[<i32>i]);
  const n = new Num(true);
  n.i = i;
  return n;
}

const TWO53: f64 = 9007199254740992.0;

/** A double as a number value; integral doubles within 2^53 become exact integers. */
export function floatValue(f: f64): Num {
  if (Math.floor(f) == f && Math.abs(f) <= TWO53) return intValue(<i64>f);
  const n = new Num(false);
  n.f = f;
  return n;
}

export function strValue(ptr: usize, len: i32): Str { return new Str(ptr, len); }

/** A string value holding a copy of the bytes (for builtins that build new text). */
export function strCopy(src: usize, len: i32): Str {
  const p = rawAlloc(<usize>len);
  memory.copy(p, src, len);
  return new Str(p, len);
}

// ---- sorted containers -------------------------------------------------------------------------

/** Index of `key` in sorted `items`, or -(insertion point) - 1. */
export function search(items: Array<Value>, key: Value): i32 {
  let lo = 0;
  let hi = items.length - 1;
  if (key.t == T_STR) { // string keys: compare bytes directly
    const k = changetype<Str>(key);
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const item = unchecked(items[mid]);
      let c: i32;
      if (item.t == T_STR) {
        const x = changetype<Str>(item);
        c = compareBytes(x.ptr, x.len, k.ptr, k.len);
      } else c = item.t < T_STR ? -1 : 1;
      if (c < 0) lo = mid + 1;
      else if (c > 0) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compare(unchecked(items[mid]), key);
    if (c < 0) lo = mid + 1;
    else if (c > 0) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

function insertAt(items: Array<Value>, at: i32, v: Value): void {
  const n = items.length;
  if (at == n) { items.push(v); return; }
  items.push(v);
  for (let i = n; i > at; i--) unchecked(items[i] = items[i - 1]);
  unchecked(items[at] = v);
}

export function objGet(o: Obj, key: Value): Value | null {
  const i = search(o.keys, key);
  return i >= 0 ? unchecked(o.vals[i]) : null;
}

/** Sets key to val, replacing an existing entry. */
export function objPut(o: Obj, key: Value, val: Value): void {
  const n = o.keys.length;
  if (n == 0 || compare(unchecked(o.keys[n - 1]), key) < 0) { // appending in order is the common case
    o.keys.push(key);
    o.vals.push(val);
    return;
  }
  const i = search(o.keys, key);
  if (i >= 0) { unchecked(o.vals[i] = val); return; }
  insertAt(o.keys, -i - 1, key);
  insertAt(o.vals, -i - 1, val);
}

/** Inserts key → val; returns false when the key exists with a different value. */
export function objPutOnce(o: Obj, key: Value, val: Value): bool {
  const i = search(o.keys, key);
  if (i >= 0) return compare(unchecked(o.vals[i]), val) == 0;
  objPut(o, key, val);
  return true;
}

export function setHas(s: SetV, v: Value): bool { return search(s.items, v) >= 0; }

export function setAdd(s: SetV, v: Value): void {
  const n = s.items.length;
  if (n == 0 || compare(unchecked(s.items[n - 1]), v) < 0) { s.items.push(v); return; }
  const i = search(s.items, v);
  if (i < 0) insertAt(s.items, -i - 1, v);
}

/** Sorts entries gathered out of order (JSON objects) and keeps the last value of a duplicate key. */
export function objFromUnsorted(keys: Array<Value>, vals: Array<Value>): Obj {
  const o = new Obj();
  const n = keys.length;
  if (n == 0) return o;
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (compare(unchecked(keys[i - 1]), unchecked(keys[i])) >= 0) { sorted = false; break; }
  }
  if (sorted) { // already in order (what this project's own encoder writes): adopt the arrays
    o.keys = keys;
    o.vals = vals;
    return o;
  }
  const idx = new Array<i32>(n);
  for (let i = 0; i < n; i++) unchecked(idx[i] = i);
  sortIndices(idx, keys);
  for (let j = 0; j < n; j++) {
    const i = unchecked(idx[j]);
    const k = o.keys.length;
    if (k > 0 && compare(unchecked(o.keys[k - 1]), unchecked(keys[i])) == 0) {
      unchecked(o.vals[k - 1] = vals[i]);
    } else {
      o.keys.push(unchecked(keys[i]));
      o.vals.push(unchecked(vals[i]));
    }
  }
  return o;
}

/** Stable merge sort of indices by the values they point at (stable: a later duplicate wins). */
function sortIndices(idx: Array<i32>, keys: Array<Value>): void {
  const n = idx.length;
  let src = idx;
  let dst = new Array<i32>(n);
  for (let width = 1; width < n; width <<= 1) {
    for (let lo = 0; lo < n; lo += width << 1) {
      const mid = min(lo + width, n);
      const hi = min(lo + (width << 1), n);
      let a = lo, b = mid, k = lo;
      while (a < mid && b < hi) {
        if (compare(unchecked(keys[unchecked(src[b])]), unchecked(keys[unchecked(src[a])])) < 0) unchecked(dst[k++] = src[b++]);
        else unchecked(dst[k++] = src[a++]);
      }
      while (a < mid) unchecked(dst[k++] = src[a++]);
      while (b < hi) unchecked(dst[k++] = src[b++]);
    }
    const t = src; src = dst; dst = t;
  }
  if (src !== idx) for (let i = 0; i < n; i++) unchecked(idx[i] = src[i]);
}

/** Sorts values ascending (stable), for sets built from many items and for `sort`. */
export function sortValues(items: Array<Value>): Array<Value> {
  const n = items.length;
  const idx = new Array<i32>(n);
  for (let i = 0; i < n; i++) unchecked(idx[i] = i);
  sortIndices(idx, items);
  const out = new Array<Value>(n);
  for (let i = 0; i < n; i++) unchecked(out[i] = items[idx[i]]);
  return out;
}

export function setFromItems(items: Array<Value>): SetV {
  const s = new SetV();
  const sorted = sortValues(items);
  for (let i = 0; i < sorted.length; i++) {
    const v = unchecked(sorted[i]);
    const n = s.items.length;
    if (n == 0 || compare(unchecked(s.items[n - 1]), v) != 0) s.items.push(v);
  }
  return s;
}
