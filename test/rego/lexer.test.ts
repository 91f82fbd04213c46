import { describe, expect, it } from "vitest";
import { tokenize } from "../../src/rego/lexer.js";
import { expectParseError } from "../helpers.js";

describe("lexer", () => {
  it("produces tokens with positions and line-break flags", () => {
    const toks = tokenize('package a\np := 1 if {\n  x == "y"\n}', "f.rego");
    expect(toks.map((t) => t.kind)).toEqual(["ident", "ident", "ident", ":=", "number", "ident", "{", "ident", "==", "string", "}", "eof"]);
    const x = toks[7]!;
    expect([x.text, x.row, x.col, x.newlineBefore]).toEqual(["x", 3, 3, true]);
    expect(toks[8]!.newlineBefore).toBe(false);
  });

  it("decodes string escapes and keeps raw strings verbatim", () => {
    const toks = tokenize('"a\\n\\t\\"\\u00e9\\ud83d\\ude00" `c:\\dir\\n`', "f.rego");
    expect(toks[0]!.text).toBe('a\n\t"é😀');
    expect(toks[1]!.kind).toBe("rawstring");
    expect(toks[1]!.text).toBe("c:\\dir\\n");
  });

  it("lexes numbers with fractions and exponents", () => {
    expect(tokenize("1 2.5 3e10 4.0E-2", "f").slice(0, 4).map((t) => t.text)).toEqual(["1", "2.5", "3e10", "4.0E-2"]);
  });

  it("skips comments", () => {
    expect(tokenize("a # comment := 1\nb", "f").map((t) => t.text)).toEqual(["a", "b", ""]);
  });

  it.each([
    ['"unterminated', 1, 1, "unterminated string"],
    ["a := \"x\\q\"", 1, 8, "invalid escape"],
    ["x := 1\ny := @", 2, 6, "unexpected character"],
    ["x := 012", 1, 6, "leading zero"],
  ])("reports %j at its position", (src, row, col, msg) => {
    expectParseError(() => tokenize(src, "p.rego"), "p.rego", row, col, msg);
  });
});
