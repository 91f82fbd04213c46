// Token kinds of Rego v1.

export type TokenKind =
  | "ident" | "string" | "rawstring" | "number" | "eof"
  | "(" | ")" | "[" | "]" | "{" | "}" | "." | "," | ";" | ":" | "|" | "&"
  | ":=" | "=" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%";

export const KEYWORDS = new Set([
  "package", "import", "as", "default", "else", "not", "some", "in", "every", "with", "if",
  "contains", "true", "false", "null",
]);

export interface Token {
  kind: TokenKind;
  /** Source text (for strings: the decoded value). */
  text: string;
  row: number;
  col: number;
  /** Offset of the token's first character and of the character after it. */
  start: number;
  end: number;
  /** A line break separates this token from the previous one. */
  newlineBefore: boolean;
  /** Position in the token list. */
  index: number;
}
