// Reads the sections of a wasm module (the runtime) without decoding function bodies: what the
// linker needs to append to it.

export interface RawSection { id: number; body: Uint8Array }

export class ByteReader {
  pos: number;
  constructor(readonly buf: Uint8Array, pos = 0) { this.pos = pos; }
  byte(): number {
    if (this.pos >= this.buf.length) throw new Error("wasm: unexpected end of module");
    return this.buf[this.pos++]!;
  }
  u32(): number {
    let result = 0, shift = 0, b: number;
    do {
      b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return result;
  }
  s32(): number {
    let result = 0, shift = 0, b: number;
    do {
      b = this.byte();
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    if (shift < 32 && (b & 0x40)) result |= -1 << shift;
    return result;
  }
  bytes(n: number): Uint8Array { const out = this.buf.subarray(this.pos, this.pos + n); this.pos += n; return out; }
  name(): string { return new TextDecoder().decode(this.bytes(this.u32())); }
  get done(): boolean { return this.pos >= this.buf.length; }
}

export function readSections(module: Uint8Array): RawSection[] {
  const r = new ByteReader(module);
  const magic = r.bytes(8);
  if (magic[0] !== 0 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d || magic[4] !== 1) {
    throw new Error("wasm: not a version 1 wasm module");
  }
  const sections: RawSection[] = [];
  while (!r.done) {
    const id = r.byte();
    const size = r.u32();
    sections.push({ id, body: r.bytes(size) });
  }
  return sections;
}

/** Splits a vector section into its count and the bytes of its items (undivided). */
export function vectorItems(body: Uint8Array): { count: number; items: Uint8Array } {
  const r = new ByteReader(body);
  const count = r.u32();
  return { count, items: body.subarray(r.pos) };
}

export interface ImportInfo { module: string; name: string; kind: number; funcIndex?: number }
export interface ExportInfo { name: string; kind: number; index: number }

export function readImports(body: Uint8Array): ImportInfo[] {
  const r = new ByteReader(body);
  const n = r.u32();
  const out: ImportInfo[] = [];
  let funcs = 0;
  for (let i = 0; i < n; i++) {
    const module = r.name();
    const name = r.name();
    const kind = r.byte();
    const info: ImportInfo = { module, name, kind };
    if (kind === 0) { r.u32(); info.funcIndex = funcs++; }
    else if (kind === 1) { r.byte(); readLimits(r); }
    else if (kind === 2) readLimits(r);
    else if (kind === 3) { r.byte(); r.byte(); }
    else throw new Error(`wasm: unknown import kind ${kind}`);
    out.push(info);
  }
  return out;
}

function readLimits(r: ByteReader): void {
  const flag = r.byte();
  r.u32();
  if (flag & 1) r.u32();
}

export function readExports(body: Uint8Array): ExportInfo[] {
  const r = new ByteReader(body);
  const n = r.u32();
  const out: ExportInfo[] = [];
  for (let i = 0; i < n; i++) out.push({ name: r.name(), kind: r.byte(), index: r.u32() });
  return out;
}

/** End address of the active data segments with constant offsets (the runtime's static data). */
export function staticDataEnd(body: Uint8Array): number {
  const r = new ByteReader(body);
  const n = r.u32();
  let end = 0;
  for (let i = 0; i < n; i++) {
    const flag = r.u32();
    let offset = 0;
    if (flag === 0 || flag === 2) {
      if (flag === 2) r.u32();
      const op = r.byte();
      if (op !== 0x41) throw new Error("wasm: unsupported data segment offset expression");
      offset = r.s32();
      if (r.byte() !== 0x0b) throw new Error("wasm: unsupported data segment offset expression");
    }
    const size = r.u32();
    r.bytes(size);
    if (flag !== 1) end = Math.max(end, offset + size);
  }
  return end;
}
