import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/compile.js";

/** The linked module's own JSON parser and printer, called directly. */
function runtimeJSON() {
  const { wasm } = compile({ modules: [{ path: "a.rego", source: "package a\nx := 1\n" }], entrypoints: ["a/x"] });
  const memory = new WebAssembly.Memory({ initial: 5 });
  const fail = () => { throw new Error("unexpected host call"); };
  const env = { memory, opa_abort: fail, opa_println: fail, opa_builtin0: fail, opa_builtin1: fail, opa_builtin2: fail, opa_builtin3: fail, opa_builtin4: fail };
  const ex = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env }).exports as Record<string, (...a: number[]) => number>;
  const roundTrip = (text: string): string | null => {
    const bytes = new TextEncoder().encode(text);
    const p = ex.opa_malloc!(bytes.length);
    new Uint8Array(memory.buffer, p, bytes.length).set(bytes);
    const v = ex.opa_json_parse!(p, bytes.length);
    if (v === 0) return null;
    const out = ex.opa_json_dump!(v);
    const mem = new Uint8Array(memory.buffer);
    let end = out;
    while (mem[end] !== 0) end++;
    return new TextDecoder().decode(mem.subarray(out, end));
  };
  return roundTrip;
}

describe("runtime JSON", () => {
  const rt = runtimeJSON();

  it.each([
    ["null"], ["true"], ["false"], ["0"], ["-17"], ["1.5"], ["[]"], ["{}"], ['""'],
    ['"plain"'], ['[1,"a",null,[true,{}]]'],
  ])("round-trips %s", (text) => expect(rt(text)).toBe(text));

  it("prints numbers as written: big integers, decimals, exponents", () => {
    expect(rt("12345678901234567890123")).toBe("12345678901234567890123");
    expect(rt("9007199254740993")).toBe("9007199254740993");
    expect(rt("1.0")).toBe("1.0");
    expect(rt("0.1000")).toBe("0.1000");
    expect(rt("1e400")).toBe("1e400");
    expect(rt("-2.5E-3")).toBe("-2.5E-3");
  });

  it("decodes escapes and re-escapes what JSON requires", () => {
    expect(rt('"a\\"b\\\\c\\/d\\n\\t\\r\\b\\f"')).toBe('"a\\"b\\\\c/d\\n\\t\\r\\b\\f"');
    expect(rt('"\\u0001\\u001f"')).toBe('"\\u0001\\u001f"');
    expect(JSON.parse(rt('"\\u00e9\\ud83d\\ude00 é😀"')!)).toBe("é😀 é😀");
    expect(rt('"\\ud800x"')).toBe(JSON.stringify("\ufffdx"));
  });

  it("sorts object keys and keeps the last of duplicate keys", () => {
    expect(rt('{"b":1,"a":2,"c":{"z":1,"y":2}}')).toBe('{"a":2,"b":1,"c":{"y":2,"z":1}}');
    expect(rt('{"k":1,"k":2}')).toBe('{"k":2}');
  });

  it("handles whitespace and rejects malformed text", () => {
    expect(rt(' \n\t{ "a" : [ 1 , 2 ] } ')).toBe('{"a":[1,2]}');
    for (const bad of ["", "{", "[1,]", '{"a"}', "01", "1.", "-", "tru", '"\n"', '"\\x"', "[1] 2", "NaN"]) {
      expect(rt(bad), bad).toBeNull();
    }
  });
});
