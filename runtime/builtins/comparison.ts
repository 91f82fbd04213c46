// equal, neq, lt, lte, gt, gte over OPA's total order.
import { boolValue } from "../value";
import { compare } from "../compare";
import { val, ptr } from "./args";

export function rt_equal(a: usize, b: usize): i32 { return a != 0 && b != 0 && compare(val(a), val(b)) == 0 ? 1 : 0; }

function cmp(a: usize, b: usize): i32 { return compare(val(a), val(b)); }
export function rt_b_equal(a: usize, b: usize): usize { return ptr(boolValue(cmp(a, b) == 0)); }
export function rt_b_neq(a: usize, b: usize): usize { return ptr(boolValue(cmp(a, b) != 0)); }
export function rt_b_lt(a: usize, b: usize): usize { return ptr(boolValue(cmp(a, b) < 0)); }
export function rt_b_lte(a: usize, b: usize): usize { return ptr(boolValue(cmp(a, b) <= 0)); }
export function rt_b_gt(a: usize, b: usize): usize { return ptr(boolValue(cmp(a, b) > 0)); }
export function rt_b_gte(a: usize, b: usize): usize { return ptr(boolValue(cmp(a, b) >= 0)); }
