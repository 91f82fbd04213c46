// A growable byte buffer on the heap, for building text (JSON dumps, string builtins).
import { rawAlloc } from "./alloc";
export class Buf {
  ptr: usize;
  len: i32 = 0;
  cap: i32;
  constructor(cap: i32) { this.cap = max(cap, 16); this.ptr = rawAlloc(<usize>this.cap); }

  reserve(extra: i32): void {
    if (this.len + extra <= this.cap) return;
    let cap = this.cap << 1;
    while (cap < this.len + extra) cap <<= 1;
    const p = rawAlloc(<usize>cap);
    memory.copy(p, this.ptr, this.len);
    this.ptr = p;
    this.cap = cap;
  }
  byte(b: i32): void { this.reserve(1); store<u8>(this.ptr + this.len, <u8>b); this.len++; }
  bytes(p: usize, n: i32): void { this.reserve(n); memory.copy(this.ptr + this.len, p, n); this.len += n; }
  /** Appends an ASCII AssemblyScript string (literals, number text). */
  ascii(s: string): void {
    const n = s.length;
    this.reserve(n);
    for (let i = 0; i < n; i++) store<u8>(this.ptr + this.len + i, <u8>s.charCodeAt(i));
    this.len += n;
  }
  /** Appends a code point as UTF-8. */
  rune(c: i32): void {
    if (c < 0x80) { this.byte(c); return; }
    if (c < 0x800) { this.byte(0xc0 | (c >> 6)); this.byte(0x80 | (c & 0x3f)); return; }
    if (c < 0x10000) {
      this.byte(0xe0 | (c >> 12)); this.byte(0x80 | ((c >> 6) & 0x3f)); this.byte(0x80 | (c & 0x3f));
      return;
    }
    this.byte(0xf0 | (c >> 18)); this.byte(0x80 | ((c >> 12) & 0x3f));
    this.byte(0x80 | ((c >> 6) & 0x3f)); this.byte(0x80 | (c & 0x3f));
  }
}

/** An AssemblyScript string (ASCII) as a NUL-terminated C string on the heap. */
export function cString(s: string): usize {
  const b = new Buf(s.length + 1);
  b.ascii(s);
  b.byte(0);
  return b.ptr;
}
