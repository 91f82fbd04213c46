// String builtins with Go's semantics: byte-wise matching, rune-based positions and cut sets.
import { Value, Obj, Str, Arr, Num, intValue, boolValue, strCopy, T_STR, T_NUM, T_BOOL, T_NULL, Bool } from "../value";
import { Buf } from "../buffer";
import { writeNumber, dumpJSON } from "../json";
import { val, ptr, isStr, isNum, str, num, elements, isIntegral, intOf, isArr, isSet } from "./args";
import { decodeRunes, encodeRunes, isAscii } from "./runes";

function bytesEq(a: usize, b: usize, n: i32): bool { return memory.compare(a, b, <usize>n) == 0; }

/** Byte offset of needle in hay at or after `from`, or -1. */
function findBytes(hp: usize, hl: i32, np: usize, nl: i32, from: i32): i32 {
  if (nl == 0) return from <= hl ? from : -1;
  for (let i = from; i + nl <= hl; i++) if (bytesEq(hp + <usize>i, np, nl)) return i;
  return -1;
}

function sub(s: Str, from: i32, to: i32): Str { return new Str(s.ptr + <usize>from, to - from); }

export function rt_b_startswith(s: usize, p: usize): usize {
  if (!isStr(s) || !isStr(p)) return 0;
  const a = str(s), b = str(p);
  return ptr(boolValue(b.len <= a.len && bytesEq(a.ptr, b.ptr, b.len)));
}

export function rt_b_endswith(s: usize, p: usize): usize {
  if (!isStr(s) || !isStr(p)) return 0;
  const a = str(s), b = str(p);
  return ptr(boolValue(b.len <= a.len && bytesEq(a.ptr + <usize>(a.len - b.len), b.ptr, b.len)));
}

export function rt_b_contains(s: usize, p: usize): usize {
  if (!isStr(s) || !isStr(p)) return 0;
  return ptr(boolValue(findBytes(str(s).ptr, str(s).len, str(p).ptr, str(p).len, 0) >= 0));
}

function anyMatch(s: usize, ps: usize, suffix: bool): usize {
  const subjects = isStr(s) ? [val(s)] : elements(s);
  const patterns = isStr(ps) ? [val(ps)] : elements(ps);
  if (subjects === null || patterns === null) return 0;
  for (let i = 0; i < subjects!.length; i++) {
    if (unchecked(subjects![i]).t != T_STR) return 0;
    for (let j = 0; j < patterns!.length; j++) {
      if (unchecked(patterns![j]).t != T_STR) return 0;
      const r = suffix ? rt_b_endswith(ptr(unchecked(subjects![i])), ptr(unchecked(patterns![j])))
                       : rt_b_startswith(ptr(unchecked(subjects![i])), ptr(unchecked(patterns![j])));
      if (changetype<Bool>(r).b) return r;
    }
  }
  return ptr(boolValue(false));
}
export function rt_b_strings_any_prefix_match(s: usize, p: usize): usize { return anyMatch(s, p, false); }
export function rt_b_strings_any_suffix_match(s: usize, p: usize): usize { return anyMatch(s, p, true); }

function mapAscii(s: usize, upper: bool): usize {
  if (!isStr(s)) return 0;
  const a = str(s);
  if (!isAscii(a.ptr, a.len)) {
    const t = String.UTF8.decodeUnsafe(a.ptr, <usize>a.len);
    const m = upper ? t.toUpperCase() : t.toLowerCase();
    const enc = String.UTF8.encode(m);
    return ptr(strCopy(changetype<usize>(enc), enc.byteLength));
  }
  const out = strCopy(a.ptr, a.len);
  for (let i = 0; i < a.len; i++) {
    const c = load<u8>(out.ptr + <usize>i);
    if (upper && c >= 0x61 && c <= 0x7a) store<u8>(out.ptr + <usize>i, c - 32);
    if (!upper && c >= 0x41 && c <= 0x5a) store<u8>(out.ptr + <usize>i, c + 32);
  }
  return ptr(out);
}
export function rt_b_lower(s: usize): usize { return mapAscii(s, false); }
export function rt_b_upper(s: usize): usize { return mapAscii(s, true); }

function inCutset(c: i32, cut: Array<i32>): bool {
  for (let i = 0; i < cut.length; i++) if (unchecked(cut[i]) == c) return true;
  return false;
}
function trimRunes(s: usize, c: usize, left: bool, right: bool): usize {
  if (!isStr(s) || !isStr(c)) return 0;
  const runes = decodeRunes(str(s).ptr, str(s).len);
  const cut = decodeRunes(str(c).ptr, str(c).len);
  let from = 0, to = runes.length;
  if (left) while (from < to && inCutset(unchecked(runes[from]), cut)) from++;
  if (right) while (to > from && inCutset(unchecked(runes[to - 1]), cut)) to--;
  return ptr(encodeRunes(runes, from, to));
}
export function rt_b_trim(s: usize, c: usize): usize { return trimRunes(s, c, true, true); }
export function rt_b_trim_left(s: usize, c: usize): usize { return trimRunes(s, c, true, false); }
export function rt_b_trim_right(s: usize, c: usize): usize { return trimRunes(s, c, false, true); }

function isSpaceByte(c: u8): bool { return c == 0x20 || (c >= 0x09 && c <= 0x0d); }
export function rt_b_trim_space(s: usize): usize {
  if (!isStr(s)) return 0;
  const a = str(s);
  if (!isAscii(a.ptr, a.len)) {
    const runes = decodeRunes(a.ptr, a.len);
    let from = 0, to = runes.length;
    while (from < to && isUnicodeSpace(unchecked(runes[from]))) from++;
    while (to > from && isUnicodeSpace(unchecked(runes[to - 1]))) to--;
    return ptr(encodeRunes(runes, from, to));
  }
  let from = 0, to = a.len;
  while (from < to && isSpaceByte(load<u8>(a.ptr + <usize>from))) from++;
  while (to > from && isSpaceByte(load<u8>(a.ptr + <usize>(to - 1)))) to--;
  return ptr(sub(a, from, to));
}
function isUnicodeSpace(c: i32): bool {
  return (c >= 9 && c <= 13) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

export function rt_b_trim_prefix(s: usize, p: usize): usize {
  if (!isStr(s) || !isStr(p)) return 0;
  const a = str(s), b = str(p);
  return b.len <= a.len && bytesEq(a.ptr, b.ptr, b.len) ? ptr(sub(a, b.len, a.len)) : s;
}
export function rt_b_trim_suffix(s: usize, p: usize): usize {
  if (!isStr(s) || !isStr(p)) return 0;
  const a = str(s), b = str(p);
  return b.len <= a.len && bytesEq(a.ptr + <usize>(a.len - b.len), b.ptr, b.len) ? ptr(sub(a, 0, a.len - b.len)) : s;
}

/** Go's strings.SplitN (n < 0: all). */
function splitN(s: Str, sep: Str, n: i32): Arr {
  const out = new Arr(0);
  if (n == 0) return out;
  if (sep.len == 0) { // split into runes
    const runes = decodeRunes(s.ptr, s.len);
    const limit = n < 0 || n > runes.length ? runes.length : n;
    for (let i = 0; i < limit - 1; i++) out.items.push(encodeRunes(runes, i, i + 1));
    if (limit > 0) out.items.push(encodeRunes(runes, limit - 1, runes.length));
    return out;
  }
  let start = 0;
  while (n < 0 || out.items.length < n - 1) {
    const at = findBytes(s.ptr, s.len, sep.ptr, sep.len, start);
    if (at < 0) break;
    out.items.push(sub(s, start, at));
    start = at + sep.len;
  }
  out.items.push(sub(s, start, s.len));
  return out;
}
export function rt_b_split(s: usize, d: usize): usize {
  if (!isStr(s) || !isStr(d)) return 0;
  return ptr(splitN(str(s), str(d), -1));
}
/** strings.split_n(s, delim, n): the first n parts of the split (n < 0: the last -n parts). */
export function rt_b_strings_split_n(s: usize, d: usize, n: usize): usize {
  if (!isStr(s) || !isStr(d) || !isIntegral(n)) return 0;
  const all = splitN(str(s), str(d), -1);
  const k = intOf(n);
  const len = <i64>all.items.length;
  const out = new Arr(0);
  if (k >= 0) out.items = all.items.slice(0, <i32>min(k, len));
  else out.items = all.items.slice(<i32>max(len + k, 0));
  return ptr(out);
}

function replaceAll(s: Str, old: Str, nw: Str, limit: i32): Str {
  if (limit == 0) return s;
  if (old.len == 0) { // Go inserts `new` around every rune
    const runes = decodeRunes(s.ptr, s.len);
    const b = new Buf(s.len + nw.len * (runes.length + 1));
    let count = 0;
    for (let i = 0; i <= runes.length; i++) {
      if (limit < 0 || count < limit) { b.bytes(nw.ptr, nw.len); count++; }
      if (i < runes.length) b.rune(unchecked(runes[i]));
    }
    return new Str(b.ptr, b.len);
  }
  const b = new Buf(s.len);
  let start = 0, count = 0;
  while (limit < 0 || count < limit) {
    const at = findBytes(s.ptr, s.len, old.ptr, old.len, start);
    if (at < 0) break;
    b.bytes(s.ptr + <usize>start, at - start);
    b.bytes(nw.ptr, nw.len);
    start = at + old.len;
    count++;
  }
  b.bytes(s.ptr + <usize>start, s.len - start);
  return new Str(b.ptr, b.len);
}
export function rt_b_replace(s: usize, o: usize, n: usize): usize {
  if (!isStr(s) || !isStr(o) || !isStr(n)) return 0;
  return ptr(replaceAll(str(s), str(o), str(n), -1));
}

/** strings.replace_n(patterns: {old: new}, s): every old → new, in key order, one pass like Go's Replacer. */
export function rt_b_strings_replace_n(pats: usize, s: usize): usize {
  if (pats == 0 || val(pats).t != 6 || !isStr(s)) return 0;
  const o = changetype<Obj>(pats);
  for (let i = 0; i < o.keys.length; i++) {
    if (unchecked(o.keys[i]).t != T_STR || unchecked(o.vals[i]).t != T_STR) return 0;
  }
  const a = str(s);
  const b = new Buf(a.len);
  let i = 0;
  while (i < a.len) {
    let matched = -1;
    for (let k = 0; k < o.keys.length; k++) {
      const key = changetype<Str>(unchecked(o.keys[k]));
      if (key.len > 0 && i + key.len <= a.len && bytesEq(a.ptr + <usize>i, key.ptr, key.len)) { matched = k; break; }
    }
    if (matched < 0) { b.byte(<i32>load<u8>(a.ptr + <usize>i)); i++; continue; }
    const rep = changetype<Str>(unchecked(o.vals[matched]));
    b.bytes(rep.ptr, rep.len);
    i += changetype<Str>(unchecked(o.keys[matched])).len;
  }
  return ptr(new Str(b.ptr, b.len));
}

export function rt_b_concat(d: usize, xs: usize): usize {
  if (!isStr(d)) return 0;
  const items = elements(xs);
  if (items === null) return 0;
  const b = new Buf(16);
  for (let i = 0; i < items!.length; i++) {
    const it = unchecked(items![i]);
    if (it.t != T_STR) return 0;
    if (i > 0) b.bytes(str(d).ptr, str(d).len);
    b.bytes(changetype<Str>(it).ptr, changetype<Str>(it).len);
  }
  return ptr(new Str(b.ptr, b.len));
}

/** substring(s, offset, length) in runes; a negative length means to the end. */
export function rt_b_substring(s: usize, o: usize, l: usize): usize {
  if (!isStr(s) || !isIntegral(o) || !isIntegral(l)) return 0;
  const off = intOf(o), len = intOf(l);
  if (off < 0) return 0; // negative offset
  const runes = decodeRunes(str(s).ptr, str(s).len);
  const n = <i64>runes.length;
  if (off >= n) return ptr(new Str(0, 0));
  const end = len < 0 || off + len > n ? n : off + len;
  return ptr(encodeRunes(runes, <i32>off, <i32>end));
}

/** Rune index of the first occurrence, or -1. */
function runeIndex(s: Str, at: i32): i32 {
  let count = 0;
  for (let i = 0; i < at; i++) if ((load<u8>(s.ptr + <usize>i) & 0xc0) != 0x80) count++;
  return count;
}
export function rt_b_indexof(s: usize, n: usize): usize {
  if (!isStr(s) || !isStr(n)) return 0;
  const at = findBytes(str(s).ptr, str(s).len, str(n).ptr, str(n).len, 0);
  return ptr(intValue(at < 0 ? -1 : runeIndex(str(s), at)));
}
export function rt_b_indexof_n(s: usize, n: usize): usize {
  if (!isStr(s) || !isStr(n)) return 0;
  const out = new Arr(0);
  let from = 0;
  while (true) {
    const at = findBytes(str(s).ptr, str(s).len, str(n).ptr, str(n).len, from);
    if (at < 0) break;
    out.items.push(intValue(runeIndex(str(s), at)));
    from = at + 1;
  }
  return ptr(out);
}

export function rt_b_strings_reverse(s: usize): usize {
  if (!isStr(s)) return 0;
  const runes = decodeRunes(str(s).ptr, str(s).len);
  runes.reverse();
  return ptr(encodeRunes(runes, 0, runes.length));
}

export function rt_b_strings_count(s: usize, n: usize): usize {
  if (!isStr(s) || !isStr(n)) return 0;
  const a = str(s), b = str(n);
  if (b.len == 0) return ptr(intValue(decodeRunes(a.ptr, a.len).length + 1));
  let count = 0, from = 0;
  while (true) {
    const at = findBytes(a.ptr, a.len, b.ptr, b.len, from);
    if (at < 0) break;
    count++;
    from = at + b.len;
  }
  return ptr(intValue(count));
}

/** format_int(number, base) for bases 2, 8, 10, 16 (truncating toward zero like OPA). */
export function rt_b_format_int(n: usize, b: usize): usize {
  if (!isNum(n) || !isIntegral(b)) return 0;
  const base = <i32>intOf(b);
  if (base != 2 && base != 8 && base != 10 && base != 16) return 0;
  const x = num(n).isInt ? num(n).i : <i64>Math.trunc(num(n).f);
  const neg = x < 0;
  let u: u64 = neg ? <u64>(-x) : <u64>x;
  const digits = new Array<i32>(0);
  do { digits.push(<i32>(u % <u64>base)); u /= <u64>base; } while (u > 0);
  const buf = new Buf(digits.length + 1);
  if (neg) buf.byte(0x2d);
  const hex = "0123456789abcdef";
  for (let i = digits.length - 1; i >= 0; i--) buf.byte(hex.charCodeAt(unchecked(digits[i])));
  return ptr(new Str(buf.ptr, buf.len));
}
