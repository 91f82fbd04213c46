// UTF-8 ⇄ code points, for the builtins that count in runes as Go does.
import { Str } from "../value";
import { Buf } from "../buffer";

export function decodeRunes(p: usize, len: i32): Array<i32> {
  const out = new Array<i32>(0);
  const stop = p + <usize>len;
  let q = p;
  while (q < stop) {
    const c = <i32>load<u8>(q);
    let cp = 0xfffd, n = 1;
    if (c < 0x80) { cp = c; }
    else if ((c & 0xe0) == 0xc0 && q + 1 < stop) { cp = ((c & 0x1f) << 6) | (load<u8>(q + 1) & 0x3f); n = 2; }
    else if ((c & 0xf0) == 0xe0 && q + 2 < stop) {
      cp = ((c & 0x0f) << 12) | ((load<u8>(q + 1) & 0x3f) << 6) | (load<u8>(q + 2) & 0x3f); n = 3;
    } else if ((c & 0xf8) == 0xf0 && q + 3 < stop) {
      cp = ((c & 0x07) << 18) | ((load<u8>(q + 1) & 0x3f) << 12) | ((load<u8>(q + 2) & 0x3f) << 6) | (load<u8>(q + 3) & 0x3f);
      n = 4;
    }
    out.push(cp);
    q += <usize>n;
  }
  return out;
}

export function encodeRunes(runes: Array<i32>, from: i32, to: i32): Str {
  const b = new Buf(to - from);
  for (let i = from; i < to; i++) b.rune(unchecked(runes[i]));
  return new Str(b.ptr, b.len);
}

export function isAscii(p: usize, len: i32): bool {
  for (let i = 0; i < len; i++) if (load<u8>(p + <usize>i) >= 0x80) return false;
  return true;
}
