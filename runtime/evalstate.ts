// Per-evaluation state: rule memo slots and the stack of `with` overrides. It lives on the heap,
// so each evaluation starts from a fresh copy when the SDK resets the heap pointer.
import { rawAlloc, heapGet, heapSet } from "./alloc";
import { Value, Arr } from "./value";

let memo: usize = 0;
let memoCount: i32 = 0;
let withPaths = new Array<Arr>(0);
let withValues = new Array<Value>(0);
let withDepth: i32 = 0;

export function resetEvalState(slots: i32): void {
  memoCount = slots;
  memo = slots > 0 ? rawAlloc(<usize>slots << 2) : 0;
  if (slots > 0) memory.fill(memo, 0, <usize>slots << 2);
  withPaths = new Array<Arr>(0);
  withValues = new Array<Value>(0);
  withDepth = 0;
}

/** 0: not computed; 1: computed and undefined; otherwise the value. Disabled under `with`. */
export function rt_memo_get(slot: i32): usize {
  if (withDepth > 0 || slot >= memoCount) return 0;
  return load<usize>(memo + (<usize>slot << 2));
}

export function rt_memo_set(slot: i32, v: usize): void {
  if (withDepth > 0 || slot >= memoCount) return;
  store<usize>(memo + (<usize>slot << 2), v == 0 ? 1 : v);
}

export function withCount(): i32 { return withDepth; }
export function withPathAt(i: i32): Arr { return unchecked(withPaths[i]); }
export function withValueAt(i: i32): Value { return unchecked(withValues[i]); }

export function rt_with_push(path: usize, v: usize): void {
  withPaths.push(changetype<Arr>(path));
  withValues.push(changetype<Value>(v));
  withDepth++;
}

export function rt_with_pop(): void {
  withPaths.pop();
  withValues.pop();
  withDepth--;
}

export function rt_with_active(): i32 { return withDepth > 0 ? 1 : 0; }
