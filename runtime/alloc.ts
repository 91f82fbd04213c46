// The runtime's memory manager: a bump allocator over the imported memory.
//
// It stands in for AssemblyScript's own runtime (asc --runtime ./runtime/alloc.ts), so managed
// objects (classes, arrays) and raw blocks share one heap pointer. That pointer is the OPA wasm ABI's
// memory contract: the SDK reads it after loading data and resets it before each evaluation, which
// frees everything an evaluation allocated. Nothing is ever freed individually.
import { AL_MASK, BLOCK, BLOCK_OVERHEAD, BLOCK_MAXSIZE, OBJECT, OBJECT_OVERHEAD, OBJECT_MAXSIZE } from "~lib/rt/common";

// @ts-ignore: decorator
@lazy let heapTop: usize = 0;

// @ts-ignore: decorator
@inline function alignUp(p: usize): usize {
  return (p + AL_MASK) & ~AL_MASK;
}

function ensureMemory(end: usize): void {
  const have = <usize>memory.size() << 16;
  if (end <= have) return;
  const need = <i32>((end - have + 0xffff) >>> 16);
  const before = memory.size();
  // Grow at least by doubling, so long runs of small allocations stay cheap.
  if (memory.grow(max(before, need)) < 0) {
    if (memory.grow(need) < 0) unreachable(); // out of memory
  }
}

/** Current heap pointer (the ABI's opa_heap_ptr_get). */
// @ts-ignore: decorator
@global export function __heap_get(): usize {
  if (heapTop == 0) heapTop = alignUp(__heap_base);
  return heapTop;
}

/** Moves the heap pointer (the ABI's opa_heap_ptr_set); everything above it is discarded. */
// @ts-ignore: decorator
@global export function __heap_set(p: usize): void {
  heapTop = alignUp(p);
  ensureMemory(heapTop);
}

/** Raw, 16-byte aligned bytes with no header, for the SDK and for buffers. */
// @ts-ignore: decorator
@global export function __raw_alloc(size: usize): usize {
  const start = alignUp(__heap_get());
  const end = alignUp(start + size);
  ensureMemory(end);
  heapTop = end;
  return start;
}

// @ts-ignore: decorator
@unsafe @global export function __alloc(size: usize): usize {
  if (size > BLOCK_MAXSIZE) unreachable();
  const payload = alignUp(size + BLOCK_OVERHEAD) - BLOCK_OVERHEAD;
  const ptr = alignUp(__heap_get() + BLOCK_OVERHEAD);
  const blockAt = ptr - BLOCK_OVERHEAD;
  ensureMemory(ptr + payload);
  heapTop = ptr + payload;
  changetype<BLOCK>(blockAt).mmInfo = payload;
  return ptr;
}

// @ts-ignore: decorator
@unsafe @global export function __realloc(ptr: usize, size: usize): usize {
  const block = changetype<BLOCK>(ptr - BLOCK_OVERHEAD);
  const have = block.mmInfo;
  if (size <= have) return ptr;
  if (ptr + have == heapTop) { // the last block grows in place
    const payload = alignUp(size + BLOCK_OVERHEAD) - BLOCK_OVERHEAD;
    ensureMemory(ptr + payload);
    heapTop = ptr + payload;
    block.mmInfo = payload;
    return ptr;
  }
  const fresh = __alloc(max<usize>(size, have << 1));
  memory.copy(fresh, ptr, have);
  return fresh;
}

// @ts-ignore: decorator
@unsafe @global export function __free(ptr: usize): void {}

// @ts-ignore: decorator
@unsafe @global export function __reset(): void {}

// @ts-ignore: decorator
@unsafe @global export function __new(size: usize, id: u32): usize {
  if (size > OBJECT_MAXSIZE) unreachable();
  const ptr = __alloc(OBJECT_OVERHEAD + size);
  const obj = changetype<OBJECT>(ptr - BLOCK_OVERHEAD);
  obj.gcInfo = 0;
  obj.gcInfo2 = 0;
  obj.rtId = id;
  obj.rtSize = <u32>size;
  return ptr + OBJECT_OVERHEAD;
}

// @ts-ignore: decorator
@unsafe @global export function __renew(oldPtr: usize, size: usize): usize {
  if (size > OBJECT_MAXSIZE) unreachable();
  const ptr = __realloc(oldPtr - OBJECT_OVERHEAD, OBJECT_OVERHEAD + size);
  changetype<OBJECT>(ptr - BLOCK_OVERHEAD).rtSize = <u32>size;
  return ptr + OBJECT_OVERHEAD;
}

// @ts-ignore: decorator
@global @unsafe export function __link(parentPtr: usize, childPtr: usize, expectMultiple: bool): void {}
// @ts-ignore: decorator
@global @unsafe export function __pin(ptr: usize): usize { return ptr; }
// @ts-ignore: decorator
@global @unsafe export function __unpin(ptr: usize): void {}
// @ts-ignore: decorator
@global @unsafe function __visit(ptr: usize, cookie: u32): void {}
// @ts-ignore: decorator
@global @unsafe export function __collect(): void {}
