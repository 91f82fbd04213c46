// is_* and type_name.
import { Value, boolValue, Str, T_NULL, T_BOOL, T_NUM, T_STR, T_ARR, T_OBJ, T_SET } from "../value";
import { val, ptr } from "./args";

function is(x: usize, t: u8): usize { return x == 0 ? 0 : ptr(boolValue(val(x).t == t)); }
export function rt_b_is_null(x: usize): usize { return is(x, T_NULL); }
export function rt_b_is_boolean(x: usize): usize { return is(x, T_BOOL); }
export function rt_b_is_number(x: usize): usize { return is(x, T_NUM); }
export function rt_b_is_string(x: usize): usize { return is(x, T_STR); }
export function rt_b_is_array(x: usize): usize { return is(x, T_ARR); }
export function rt_b_is_object(x: usize): usize { return is(x, T_OBJ); }
export function rt_b_is_set(x: usize): usize { return is(x, T_SET); }

const N_NULL = memory.data<u8>([0x6e, 0x75, 0x6c, 0x6c]);
const N_BOOLEAN = memory.data<u8>([0x62, 0x6f, 0x6f, 0x6c, 0x65, 0x61, 0x6e]);
const N_NUMBER = memory.data<u8>([0x6e, 0x75, 0x6d, 0x62, 0x65, 0x72]);
const N_STRING = memory.data<u8>([0x73, 0x74, 0x72, 0x69, 0x6e, 0x67]);
const N_ARRAY = memory.data<u8>([0x61, 0x72, 0x72, 0x61, 0x79]);
const N_OBJECT = memory.data<u8>([0x6f, 0x62, 0x6a, 0x65, 0x63, 0x74]);
const N_SET = memory.data<u8>([0x73, 0x65, 0x74]);

export function rt_b_type_name(x: usize): usize {
  if (x == 0) return 0;
  switch (val(x).t) {
    case T_NULL: return ptr(new Str(N_NULL, 4));
    case T_BOOL: return ptr(new Str(N_BOOLEAN, 7));
    case T_NUM: return ptr(new Str(N_NUMBER, 6));
    case T_STR: return ptr(new Str(N_STRING, 6));
    case T_ARR: return ptr(new Str(N_ARRAY, 5));
    case T_OBJ: return ptr(new Str(N_OBJECT, 6));
  }
  return ptr(new Str(N_SET, 3));
}
