// JSON text ⇄ values. The parser points strings without escapes into the source text (which the
// SDK keeps alive for as long as the values live); numbers keep their spelling for exact output.
import { Value, Num, Str, Arr, Obj, SetV, Bool, NULL, TRUE, FALSE, intValue, objFromUnsorted,
  T_NULL, T_BOOL, T_NUM, T_STR, T_ARR, T_OBJ, T_SET } from "./value";
import { Buf } from "./buffer";

let pos: usize = 0;
let end: usize = 0;
let failed = false;

function peek(): i32 { return pos < end ? <i32>load<u8>(pos) : -1; }
function skipWs(): void {
  while (pos < end) {
    const c = load<u8>(pos);
    if (c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09) pos++;
    else break;
  }
}
function fail(): Value { failed = true; return NULL; }

/** Parses JSON text; returns null on any syntax error. Not re-entrant (it never calls out). */
export function parseJSON(ptr: usize, len: i32): Value | null {
  pos = ptr;
  end = ptr + <usize>len;
  failed = false;
  skipWs();
  const v = parseValue(0);
  skipWs();
  if (failed || pos != end) return null;
  return v;
}

function parseValue(depth: i32): Value {
  if (depth > 10000) return fail();
  skipWs();
  const c = peek();
  if (c == 0x7b) return parseObject(depth);
  if (c == 0x5b) return parseArray(depth);
  if (c == 0x22) return parseString();
  if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return parseNumber();
  if (matchWord("true")) return TRUE;
  if (matchWord("false")) return FALSE;
  if (matchWord("null")) return NULL;
  return fail();
}

function matchWord(w: string): bool {
  const n = <usize>w.length;
  if (pos + n > end) return false;
  for (let i: usize = 0; i < n; i++) if (<i32>load<u8>(pos + i) != w.charCodeAt(<i32>i)) return false;
  pos += n;
  return true;
}

function parseObject(depth: i32): Value {
  pos++;
  const keys = new Array<Value>(0);
  const vals = new Array<Value>(0);
  skipWs();
  if (peek() == 0x7d) { pos++; return new Obj(); }
  while (true) {
    skipWs();
    if (peek() != 0x22) return fail();
    const k = parseString();
    if (failed) return NULL;
    skipWs();
    if (peek() != 0x3a) return fail();
    pos++;
    const v = parseValue(depth + 1);
    if (failed) return NULL;
    keys.push(k);
    vals.push(v);
    skipWs();
    const c = peek();
    if (c == 0x2c) { pos++; continue; }
    if (c == 0x7d) { pos++; break; }
    return fail();
  }
  return objFromUnsorted(keys, vals);
}

function parseArray(depth: i32): Value {
  pos++;
  const a = new Arr(0);
  skipWs();
  if (peek() == 0x5d) { pos++; return a; }
  while (true) {
    const v = parseValue(depth + 1);
    if (failed) return NULL;
    a.items.push(v);
    skipWs();
    const c = peek();
    if (c == 0x2c) { pos++; continue; }
    if (c == 0x5d) { pos++; break; }
    return fail();
  }
  return a;
}

function hex4(p: usize): i32 {
  let r = 0;
  for (let i: usize = 0; i < 4; i++) {
    const c = <i32>load<u8>(p + i);
    let d: i32;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
    else if (c >= 0x41 && c <= 0x46) d = c - 0x41 + 10;
    else return -1;
    r = (r << 4) | d;
  }
  return r;
}

function parseString(): Value {
  pos++;
  const start = pos;
  let escaped = false;
  while (pos < end) {
    const c = load<u8>(pos);
    if (c == 0x22) break;
    if (c < 0x20) return fail();
    if (c == 0x5c) { escaped = true; pos += 2; continue; }
    pos++;
  }
  if (pos >= end) return fail();
  const stop = pos;
  pos++;
  if (!escaped) return new Str(start, <i32>(stop - start));
  const b = new Buf(<i32>(stop - start));
  let p = start;
  while (p < stop) {
    const c = <i32>load<u8>(p);
    if (c != 0x5c) { b.byte(c); p++; continue; }
    const e = <i32>load<u8>(p + 1);
    p += 2;
    if (e == 0x22 || e == 0x5c || e == 0x2f) b.byte(e);
    else if (e == 0x62) b.byte(8);
    else if (e == 0x66) b.byte(12);
    else if (e == 0x6e) b.byte(10);
    else if (e == 0x72) b.byte(13);
    else if (e == 0x74) b.byte(9);
    else if (e == 0x75) {
      if (p + 4 > stop) return fail();
      let cp = hex4(p);
      if (cp < 0) return fail();
      p += 4;
      if (cp >= 0xd800 && cp < 0xdc00) { // a surrogate pair
        if (p + 6 <= stop && load<u8>(p) == 0x5c && load<u8>(p + 1) == 0x75) {
          const lo = hex4(p + 2);
          if (lo >= 0xdc00 && lo < 0xe000) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            p += 6;
          } else cp = 0xfffd;
        } else cp = 0xfffd;
      } else if (cp >= 0xdc00 && cp < 0xe000) cp = 0xfffd;
      b.rune(cp);
    } else return fail();
  }
  return new Str(b.ptr, b.len);
}

function parseNumber(): Value {
  const start = pos;
  if (peek() == 0x2d) pos++;
  const digits = pos;
  if (peek() == 0x30) pos++;
  else if (peek() >= 0x31 && peek() <= 0x39) { while (peek() >= 0x30 && peek() <= 0x39) pos++; }
  else return fail();
  let isInt = true;
  if (peek() == 0x2e) {
    isInt = false;
    pos++;
    if (!(peek() >= 0x30 && peek() <= 0x39)) return fail();
    while (peek() >= 0x30 && peek() <= 0x39) pos++;
  }
  if (peek() == 0x65 || peek() == 0x45) {
    isInt = false;
    pos++;
    if (peek() == 0x2b || peek() == 0x2d) pos++;
    if (!(peek() >= 0x30 && peek() <= 0x39)) return fail();
    while (peek() >= 0x30 && peek() <= 0x39) pos++;
  }
  return numberFromText(start, <i32>(pos - start), isInt && pos - digits <= 18);
}

/** A number from well-formed JSON number text. */
export function numberFromText(p: usize, len: i32, isSmallInt: bool): Num {
  if (isSmallInt) {
    let neg = false;
    let q = p;
    if (load<u8>(q) == 0x2d) { neg = true; q++; }
    let v: i64 = 0;
    while (q < p + <usize>len) { v = v * 10 + <i64>(load<u8>(q) - 0x30); q++; }
    return intValue(neg ? -v : v);
  }
  const n = new Num(false);
  n.f = parseFloat(String.UTF8.decodeUnsafe(p, <usize>len));
  n.text = p;
  n.textLen = len;
  return n;
}

// ---- dump -------------------------------------------------------------------------------------

export function dumpJSON(v: Value): Buf {
  const b = new Buf(64);
  writeValue(b, v);
  return b;
}

export function writeNumber(b: Buf, n: Num): void {
  if (n.text != 0) { b.bytes(n.text, n.textLen); return; }
  if (n.isInt) { b.ascii(n.i.toString()); return; }
  const f = n.f;
  if (Math.floor(f) == f && Math.abs(f) < 1e21) { b.ascii((<i64>f).toString()); return; }
  b.ascii(f.toString());
}

export function writeString(b: Buf, p: usize, len: i32): void {
  b.byte(0x22);
  let runStart = p;
  const stop = p + <usize>len;
  let q = p;
  while (q < stop) {
    const c = <i32>load<u8>(q);
    if (c >= 0x20 && c != 0x22 && c != 0x5c) { q++; continue; }
    b.bytes(runStart, <i32>(q - runStart));
    b.byte(0x5c);
    if (c == 0x22 || c == 0x5c) b.byte(c);
    else if (c == 10) b.byte(0x6e);
    else if (c == 13) b.byte(0x72);
    else if (c == 9) b.byte(0x74);
    else if (c == 8) b.byte(0x62);
    else if (c == 12) b.byte(0x66);
    else {
      b.ascii("u00");
      const hex = "0123456789abcdef";
      b.byte(hex.charCodeAt(c >> 4));
      b.byte(hex.charCodeAt(c & 15));
    }
    q++;
    runStart = q;
  }
  b.bytes(runStart, <i32>(stop - runStart));
  b.byte(0x22);
}

function writeKey(b: Buf, k: Value): void {
  if (k.t == T_STR) { writeString(b, changetype<Str>(k).ptr, changetype<Str>(k).len); return; }
  const inner = dumpJSON(k); // a non-string key is written as the string of its JSON text
  writeString(b, inner.ptr, inner.len);
}

export function writeValue(b: Buf, v: Value): void {
  switch (v.t) {
    case T_NULL: b.ascii("null"); return;
    case T_BOOL: b.ascii(changetype<Bool>(v).b ? "true" : "false"); return;
    case T_NUM: writeNumber(b, changetype<Num>(v)); return;
    case T_STR: writeString(b, changetype<Str>(v).ptr, changetype<Str>(v).len); return;
    case T_ARR: writeList(b, changetype<Arr>(v).items); return;
    case T_SET: writeList(b, changetype<SetV>(v).items); return;
    case T_OBJ: {
      const o = changetype<Obj>(v);
      b.byte(0x7b);
      for (let i = 0; i < o.keys.length; i++) {
        if (i > 0) b.byte(0x2c);
        writeKey(b, unchecked(o.keys[i]));
        b.byte(0x3a);
        writeValue(b, unchecked(o.vals[i]));
      }
      b.byte(0x7d);
      return;
    }
  }
}

function writeList(b: Buf, items: Array<Value>): void {
  b.byte(0x5b);
  for (let i = 0; i < items.length; i++) {
    if (i > 0) b.byte(0x2c);
    writeValue(b, unchecked(items[i]));
  }
  b.byte(0x5d);
}
