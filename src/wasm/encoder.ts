// The wasm binary format, as much of it as the code generator and linker write: LEB128 numbers,
// vectors, names, sections, and an instruction buffer.

export class ByteWriter {
  private buf: Uint8Array;
  length = 0;
  constructor(capacity = 256) { this.buf = new Uint8Array(capacity); }

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  byte(b: number): this { this.ensure(1); this.buf[this.length++] = b & 0xff; return this; }
  bytes(bs: Uint8Array | number[]): this {
    this.ensure(bs.length);
    this.buf.set(bs, this.length);
    this.length += bs.length;
    return this;
  }
  u32(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`u32 out of range: ${n}`);
    do {
      let b = n & 0x7f;
      n = Math.floor(n / 128);
      if (n !== 0) b |= 0x80;
      this.byte(b);
    } while (n !== 0);
    return this;
  }
  s32(n: number): this {
    if (!Number.isInteger(n) || n < -0x80000000 || n > 0x7fffffff) throw new RangeError(`s32 out of range: ${n}`);
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) { this.byte(b); return this; }
      this.byte(b | 0x80);
    }
  }
  name(s: string): this { const b = new TextEncoder().encode(s); return this.u32(b.length).bytes(b); }
  /** A length-prefixed vector of already encoded items. */
  vec(items: Uint8Array[]): this { this.u32(items.length); for (const it of items) this.bytes(it); return this; }
  finish(): Uint8Array { return this.buf.slice(0, this.length); }
}

export const SectionId = {
  custom: 0, type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7,
  start: 8, element: 9, code: 10, data: 11, dataCount: 12,
} as const;

export const ValType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c } as const;
export const ExportKind = { func: 0, table: 1, memory: 2, global: 3 } as const;

export function encodeSection(id: number, body: Uint8Array): Uint8Array {
  return new ByteWriter(body.length + 8).byte(id).u32(body.length).bytes(body).finish();
}

export function encodeFuncType(params: number[], results: number[]): Uint8Array {
  const w = new ByteWriter(16).byte(0x60).u32(params.length);
  for (const p of params) w.byte(p);
  w.u32(results.length);
  for (const r of results) w.byte(r);
  return w.finish();
}

/** Opcodes the code generator emits. */
export const Op = {
  unreachable: 0x00, nop: 0x01, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b,
  br: 0x0c, br_if: 0x0d, br_table: 0x0e, return: 0x0f, call: 0x10, drop: 0x1a,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22, global_get: 0x23, global_set: 0x24,
  i32_const: 0x41, i32_eqz: 0x45, i32_eq: 0x46, i32_ne: 0x47, i32_lt_s: 0x48, i32_ge_s: 0x4e,
  i32_add: 0x6a, i32_sub: 0x6b,
} as const;

export const BlockType = { empty: 0x40, i32: 0x7f } as const;

/** One function body: locals (all i32) and instructions. */
export class CodeWriter {
  readonly w = new ByteWriter(256);
  op(code: number): this { this.w.byte(code); return this; }
  i32(n: number): this { this.w.byte(Op.i32_const).s32(n | 0); return this; }
  localGet(i: number): this { this.w.byte(Op.local_get).u32(i); return this; }
  localSet(i: number): this { this.w.byte(Op.local_set).u32(i); return this; }
  localTee(i: number): this { this.w.byte(Op.local_tee).u32(i); return this; }
  globalGet(i: number): this { this.w.byte(Op.global_get).u32(i); return this; }
  call(f: number): this { this.w.byte(Op.call).u32(f); return this; }
  globalSet(i: number): this { this.w.byte(Op.global_set).u32(i); return this; }
  i32Load(offset: number): this { this.w.byte(0x28).u32(2).u32(offset); return this; }
  i32Store(offset: number): this { this.w.byte(0x36).u32(2).u32(offset); return this; }
  block(): this { this.w.byte(Op.block).byte(BlockType.empty); return this; }
  loop(): this { this.w.byte(Op.loop).byte(BlockType.empty); return this; }
  if(): this { this.w.byte(Op.if).byte(BlockType.empty); return this; }
  end(): this { this.w.byte(Op.end); return this; }
  br(depth: number): this { this.w.byte(Op.br).u32(depth); return this; }
  brIf(depth: number): this { this.w.byte(Op.br_if).u32(depth); return this; }
  brTable(targets: number[], dflt: number): this {
    this.w.byte(Op.br_table).u32(targets.length);
    for (const t of targets) this.w.u32(t);
    this.w.u32(dflt);
    return this;
  }
  /** The code-section entry: size, local declarations, instructions, end. */
  finish(extraLocals: number): Uint8Array {
    const body = new ByteWriter(this.w.length + 16);
    if (extraLocals > 0) body.u32(1).u32(extraLocals).byte(ValType.i32);
    else body.u32(0);
    body.bytes(this.w.finish()).byte(Op.end);
    const out = new ByteWriter(body.length + 5);
    return out.u32(body.length).bytes(body.finish()).finish();
  }
}
