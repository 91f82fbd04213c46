// Trimming of values (header values, users, config entries) as the policy's `trim_space` does it:
// Go's unicode.IsSpace, which the wasm runtime implements (runtime/builtins/strings.ts). JS
// `trim()` differs in two characters (it strips U+FEFF and keeps U+0085), so a value trimmed by
// the host and one trimmed by the policy could read differently; here they read the same.

/** Go's unicode.IsSpace. */
export function isSpace(c: number): boolean {
  if (c <= 0xff) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** `s` without leading and trailing whitespace (every space character is one UTF-16 unit). */
export function trimSpace(s: string): string {
  let from = 0, to = s.length;
  while (from < to && isSpace(s.charCodeAt(from))) from++;
  while (to > from && isSpace(s.charCodeAt(to - 1))) to--;
  return from === 0 && to === s.length ? s : s.slice(from, to);
}
