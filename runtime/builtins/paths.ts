// "a/b/c" JSON paths as lists of string keys (json.filter, json.remove).
import { Value, Str } from "../value";

export function splitPath(s: Str): Array<Value> {
  const out = new Array<Value>(0);
  let start = 0;
  let len = s.len;
  if (len > 0 && load<u8>(s.ptr) == 0x2f) start = 1; // a leading "/" is ignored
  if (len > start && load<u8>(s.ptr + <usize>(len - 1)) == 0x2f) len--;
  if (len <= start) return out;
  let i = start;
  for (; i < len; i++) {
    if (load<u8>(s.ptr + <usize>i) == 0x2f) {
      out.push(new Str(s.ptr + <usize>start, i - start));
      start = i + 1;
    }
  }
  out.push(new Str(s.ptr + <usize>start, len - start));
  return out;
}
