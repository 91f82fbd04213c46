// ASCII-only case folding and trimming for protocol text (header names, the Host header, origins).
// HTTP field names are ASCII tokens: JS `toLowerCase()` folds Unicode too (the Kelvin sign
// U+212A becomes "k", "İ" becomes "i̇") and `trim()` strips Unicode spaces (U+00A0, U+3000...),
// so a non-ASCII look-alike would read as the ASCII name. Here only A-Z fold and only ASCII
// whitespace is trimmed; anything else stays as written and never equals an ASCII name.

const NON_ASCII = /[^\x00-\x7f]/;
const UPPER_RUN = /[A-Z]+/g;

/** `s` with A-Z lower-cased and every other character kept. */
export function asciiLowerCase(s: string): string {
  // Fast path (Node's header names are lower case already): when toLowerCase() changes nothing
  // there is no A-Z either; when it changes an ASCII string it did exactly the ASCII folding.
  const lower = s.toLowerCase();
  if (lower === s || !NON_ASCII.test(s)) return lower;
  return s.replace(UPPER_RUN, (m) => m.toLowerCase());
}

/** ASCII whitespace: space, tab, LF, VT, FF, CR (what JS `trim()` and Go's TrimSpace agree on). */
const isAsciiSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** `s` without leading and trailing ASCII whitespace (Unicode spaces are kept). */
export function trimAsciiSpace(s: string): string {
  let from = 0, to = s.length;
  while (from < to && isAsciiSpace(s.charCodeAt(from))) from++;
  while (to > from && isAsciiSpace(s.charCodeAt(to - 1))) to--;
  return from === 0 && to === s.length ? s : s.slice(from, to);
}

/** An HTTP field name (RFC 9110 token): what a header name in the config must be. */
export const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
