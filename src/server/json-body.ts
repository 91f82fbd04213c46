// Request bodies as JSON, parsed once and strictly: the nesting depth is checked by a linear scan
// before JSON.parse, so nothing downstream (zod, the config checks, the wasm input encoder) ever
// recurses through a deeply nested body. Keys such as `__proto__` and `constructor` are plain data:
// JSON.parse makes them own properties and never touches a prototype, and request data is only
// ever read through own properties.

/** Arrays and objects nested deeper than this are refused (facts need 3 levels, configs ~6). */
export const MAX_JSON_DEPTH = 32;

export class JsonBodyError extends Error {
  readonly statusCode = 400;
}

const OPEN_OBJECT = 0x7b, OPEN_ARRAY = 0x5b, CLOSE_OBJECT = 0x7d, CLOSE_ARRAY = 0x5d, QUOTE = 0x22, BACKSLASH = 0x5c;

/** Whether arrays/objects nest deeper than `max` in JSON text (strings skipped; any text). */
export function nestsDeeperThan(text: string, max: number): boolean {
  if (text.length <= max || openingsAtMost(text, max)) return false; // max+1 levels need max+1 opening brackets
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // to the closing quote: a quote preceded by an odd number of backslashes is escaped
      for (i++; i < text.length; i++) {
        const s = text.charCodeAt(i);
        if (s === BACKSLASH) i++;
        else if (s === QUOTE) break;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > max) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

/** Whether the text holds at most `max` of `{` and `[` together (native searches: the common case). */
function openingsAtMost(text: string, max: number): boolean {
  let n = 0;
  for (const ch of ["{", "["]) {
    for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) if (++n > max) return false;
  }
  return true;
}

/** A request body as JSON; a JsonBodyError (400) names what is wrong. */
export function parseJsonBody(text: string): unknown {
  if (text.length === 0 || text.trim().length === 0) throw new JsonBodyError("body: empty; send a JSON object (content-type application/json)");
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw new JsonBodyError(`body: JSON nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects (the service's limit)`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new JsonBodyError(`body: not valid JSON: ${(e as Error).message}`);
  }
}
