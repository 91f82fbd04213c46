// Calls into builtins the host (JavaScript) provides, through the SDK's opa_builtinN imports.
import { opa_builtin0, opa_builtin1, opa_builtin2, opa_builtin3, opa_builtin4 } from "../host";

export function rt_host0(id: i32): usize { return opa_builtin0(id, 0); }
export function rt_host1(id: i32, a: usize): usize { return a == 0 ? 0 : opa_builtin1(id, 0, a); }
export function rt_host2(id: i32, a: usize, b: usize): usize { return a == 0 || b == 0 ? 0 : opa_builtin2(id, 0, a, b); }
export function rt_host3(id: i32, a: usize, b: usize, c: usize): usize {
  return a == 0 || b == 0 || c == 0 ? 0 : opa_builtin3(id, 0, a, b, c);
}
export function rt_host4(id: i32, a: usize, b: usize, c: usize, d: usize): usize {
  return a == 0 || b == 0 || c == 0 || d == 0 ? 0 : opa_builtin4(id, 0, a, b, c, d);
}
