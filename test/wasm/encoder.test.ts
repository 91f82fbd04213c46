import { describe, expect, it } from "vitest";
import { ByteWriter, CodeWriter, encodeFuncType, encodeSection, Op, SectionId, ValType } from "../../src/wasm/encoder.js";
import { ByteReader, readSections, readExports } from "../../src/wasm/module-reader.js";

describe("wasm encoder", () => {
  it.each([
    [0, [0x00]], [1, [0x01]], [127, [0x7f]], [128, [0x80, 0x01]], [624485, [0xe5, 0x8e, 0x26]],
    [0xffffffff, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ])("encodes u32 %i as LEB128", (n, bytes) => {
    expect([...new ByteWriter().u32(n).finish()]).toEqual(bytes);
    expect(new ByteReader(new Uint8Array(bytes)).u32()).toBe(n);
  });

  it.each([
    [0, [0x00]], [-1, [0x7f]], [63, [0x3f]], [64, [0xc0, 0x00]], [-64, [0x40]], [-65, [0xbf, 0x7f]],
    [-123456, [0xc0, 0xbb, 0x78]], [2147483647, [0xff, 0xff, 0xff, 0xff, 0x07]], [-2147483648, [0x80, 0x80, 0x80, 0x80, 0x78]],
  ])("encodes s32 %i as signed LEB128", (n, bytes) => {
    expect([...new ByteWriter().s32(n).finish()]).toEqual(bytes);
    expect(new ByteReader(new Uint8Array(bytes)).s32()).toBe(n);
  });

  it("rejects out-of-range numbers", () => {
    expect(() => new ByteWriter().u32(-1)).toThrow(RangeError);
    expect(() => new ByteWriter().s32(2 ** 31)).toThrow(RangeError);
  });

  it("builds a module that validates, runs, and reads back", () => {
    const type = encodeFuncType([ValType.i32, ValType.i32], [ValType.i32]);
    const code = new CodeWriter();
    // max(a, b) with a block and br_if
    code.block().localGet(0).localGet(1).op(0x4a /* i32.gt_s */).brIf(0).localGet(1).op(Op.return).end().localGet(0);
    const w = new ByteWriter();
    w.bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    w.bytes(encodeSection(SectionId.type, new ByteWriter().vec([type]).finish()));
    w.bytes(encodeSection(SectionId.function, new ByteWriter().u32(1).u32(0).finish()));
    w.bytes(encodeSection(SectionId.export, new ByteWriter().u32(1).name("max").byte(0).u32(0).finish()));
    w.bytes(encodeSection(SectionId.code, new ByteWriter().vec([code.finish(0)]).finish()));
    const bytes = w.finish();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    const max = inst.exports.max as (a: number, b: number) => number;
    expect([max(3, 9), max(9, 3), max(-5, -7)]).toEqual([9, 9, -5]);
    const sections = readSections(bytes);
    expect(sections.map((s) => s.id)).toEqual([1, 3, 7, 10]);
    expect(readExports(sections[2]!.body)).toEqual([{ name: "max", kind: 0, index: 0 }]);
  });
});
