// The heap pointer of the OPA wasm ABI, over AssemblyScript's `stub` runtime (a bump allocator that
// never frees). The SDK reads the pointer after loading data and resets it before each
// evaluation, which frees everything an evaluation allocated.
//
// The stub keeps its pointer private, so it is read and moved through its own entry points: the
// stub's offset always sits 4 bytes below a 16-byte boundary (a block header precedes each
// 16-aligned payload), `__alloc(0)` reveals it, and `__reset()` + one allocation moves it to any
// address at or above a requested one.

// @ts-ignore: decorator
@inline const BLOCK_HEADER: usize = 4;

/** Current heap pointer (opa_heap_ptr_get). Costs one 16-byte block. */
export function heapGet(): usize {
  return __alloc(0) + 12;
}

/** Moves the heap pointer to `p` or just above it (opa_heap_ptr_set). */
export function heapSet(p: usize): void {
  __reset();
  const start = __alloc(0) - BLOCK_HEADER; // the stub's start offset, now 16 bytes on
  if (p > start + BLOCK_HEADER + 16) {
    __reset();
    __alloc(p - start - BLOCK_HEADER);
  }
}

/** Raw bytes (opa_malloc and internal buffers). */
export function rawAlloc(size: usize): usize {
  return __alloc(size);
}
