// Rego source → tokens. Line breaks are kept as a flag on the following token, because they end
// expressions inside rule bodies.
import { RegoError, type RegoErrorDetail } from "./errors.js";
import type { Token, TokenKind } from "./tokens.js";

const PUNCT2 = new Set([":=", "==", "!=", "<=", ">="]);
const PUNCT1 = new Set(["(", ")", "[", "]", "{", "}", ".", ",", ";", ":", "|", "&", "=", "<", ">", "+", "-", "*", "/", "%"]);

export function tokenize(source: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0, row = 1, lineStart = 0, newline = true;
  const err = (message: string, at: number): never => {
    const detail: RegoErrorDetail = { code: "rego_parse_error", message, location: { file, row, col: at - lineStart + 1 } };
    throw new RegoError([detail]);
  };
  const push = (kind: TokenKind, text: string, start: number, startRow: number, startCol: number) => {
    tokens.push({ kind, text, row: startRow, col: startCol, start, end: i, newlineBefore: newline, index: tokens.length });
    newline = false;
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === "\n") { i++; row++; lineStart = i; newline = true; continue; }
    if (c === " " || c === "\t" || c === "\r") { i++; continue; }
    if (c === "#") { while (i < source.length && source[i] !== "\n") i++; continue; }
    const start = i, startRow = row, col = i - lineStart + 1;
    if (/[A-Za-z_]/.test(c)) {
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i]!)) i++;
      push("ident", source.slice(start, i), start, startRow, col);
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < source.length && /[0-9]/.test(source[i]!)) i++;
      if (source[i] === "." && /[0-9]/.test(source[i + 1] ?? "")) {
        i++;
        while (i < source.length && /[0-9]/.test(source[i]!)) i++;
      }
      if (source[i] === "e" || source[i] === "E") {
        const save = i;
        i++;
        if (source[i] === "+" || source[i] === "-") i++;
        if (/[0-9]/.test(source[i] ?? "")) { while (i < source.length && /[0-9]/.test(source[i]!)) i++; }
        else i = save;
      }
      const text = source.slice(start, i);
      if (text.length > 1 && text[0] === "0" && /[0-9]/.test(text[1]!)) err(`invalid number ${text}: leading zero`, start);
      push("number", text, start, startRow, col);
      continue;
    }
    if (c === '"') {
      i++;
      let value = "";
      for (;;) {
        if (i >= source.length || source[i] === "\n") err("unterminated string", start);
        const d = source[i]!;
        if (d === '"') { i++; break; }
        if (d === "\\") {
          const e = source[i + 1];
          const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
          if (e !== undefined && simple[e] !== undefined) { value += simple[e]; i += 2; continue; }
          if (e === "u") {
            const hex = source.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) err("invalid \\u escape in string", i);
            value += String.fromCharCode(parseInt(hex, 16));
            i += 6;
            continue;
          }
          err(`invalid escape sequence \\${e ?? ""} in string`, i);
        }
        value += d;
        i++;
      }
      push("string", value, start, startRow, col);
      continue;
    }
    if (c === "`") {
      const close = source.indexOf("`", i + 1);
      if (close < 0) err("unterminated raw string", start);
      const value = source.slice(i + 1, close);
      for (const ch of value) if (ch === "\n") row++;
      const lastNl = value.lastIndexOf("\n");
      i = close + 1;
      if (lastNl >= 0) lineStart = start + 1 + lastNl + 1;
      push("rawstring", value, start, startRow, col);
      continue;
    }
    const two = source.slice(i, i + 2);
    if (PUNCT2.has(two)) { i += 2; push(two as TokenKind, two, start, startRow, col); continue; }
    if (PUNCT1.has(c)) { i++; push(c as TokenKind, c, start, startRow, col); continue; }
    err(`unexpected character ${JSON.stringify(c)}`, start);
  }
  tokens.push({ kind: "eof", text: "", row, col: i - lineStart + 1, start: i, end: i, newlineBefore: true, index: tokens.length });
  return tokens;
}
