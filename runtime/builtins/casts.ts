// to_number and json.marshal / json.unmarshal / json.is_valid.
import { Value, Str, intValue, boolValue, NULL, T_NULL, T_BOOL, T_NUM, T_STR, Bool } from "../value";
import { numberFromText, parseJSON, dumpJSON } from "../json";
import { val, ptr, isStr, str } from "./args";

/** Is [p, p+len) a decimal number (JSON grammar, plus an optional leading '+')? */
function numberShape(p: usize, len: i32): i32 { // -1: not a number, 1: integer, 0: other number
  let i = 0;
  if (i < len && (load<u8>(p) == 0x2d || load<u8>(p) == 0x2b)) i++;
  const d0 = i;
  while (i < len && load<u8>(p + <usize>i) >= 0x30 && load<u8>(p + <usize>i) <= 0x39) i++;
  if (i == d0) return -1;
  let isInt = true;
  if (i < len && load<u8>(p + <usize>i) == 0x2e) {
    isInt = false; i++;
    const f0 = i;
    while (i < len && load<u8>(p + <usize>i) >= 0x30 && load<u8>(p + <usize>i) <= 0x39) i++;
    if (i == f0) return -1;
  }
  if (i < len && (load<u8>(p + <usize>i) | 0x20) == 0x65) {
    isInt = false; i++;
    if (i < len && (load<u8>(p + <usize>i) == 0x2d || load<u8>(p + <usize>i) == 0x2b)) i++;
    const e0 = i;
    while (i < len && load<u8>(p + <usize>i) >= 0x30 && load<u8>(p + <usize>i) <= 0x39) i++;
    if (i == e0) return -1;
  }
  if (i != len) return -1;
  return isInt && i - d0 <= 18 ? 1 : 0;
}

export function rt_b_to_number(x: usize): usize {
  if (x == 0) return 0;
  const v = val(x);
  switch (v.t) {
    case T_NUM: return x;
    case T_NULL: return ptr(intValue(0));
    case T_BOOL: return ptr(intValue(changetype<Bool>(v).b ? 1 : 0));
    case T_STR: {
      let p = str(x).ptr, len = str(x).len;
      const shape = numberShape(p, len);
      if (shape < 0) return 0;
      if (load<u8>(p) == 0x2b) { p++; len--; }
      return ptr(numberFromText(p, len, shape == 1));
    }
  }
  return 0;
}

export function rt_b_json_marshal(x: usize): usize {
  if (x == 0) return 0;
  const b = dumpJSON(val(x));
  return ptr(new Str(b.ptr, b.len));
}

export function rt_b_json_unmarshal(s: usize): usize {
  if (!isStr(s)) return 0;
  const v = parseJSON(str(s).ptr, str(s).len);
  return v === null ? 0 : ptr(v!);
}

export function rt_b_json_is_valid(s: usize): usize {
  if (!isStr(s)) return ptr(boolValue(false));
  return ptr(boolValue(parseJSON(str(s).ptr, str(s).len) !== null));
}
