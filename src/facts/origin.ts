// The browser Origin, parsed with the WHATWG URL parser.

export interface OriginFacts {
  /** A non-blank Origin header was sent. */
  present: boolean;
  /** It parses with a scheme and a non-empty host (the literal "null" does not). */
  valid: boolean;
  /** scheme://host[:port], lower case, default port dropped. */
  normalized: string;
  /** host[:port] (a non-default port kept), lower case. */
  host: string;
}

const ABSENT: OriginFacts = Object.freeze({ present: false, valid: false, normalized: "", host: "" });
const UNPARSEABLE: OriginFacts = Object.freeze({ present: true, valid: false, normalized: "", host: "" });
const cache = new Map<string, OriginFacts>();
const CACHE_SIZE = 1024;

/** The Origin's facts; results are cached (a gateway sees few distinct origins). */
export function parseOrigin(value: string | undefined): OriginFacts {
  if (value === undefined || value === "") return ABSENT;
  let o = cache.get(value);
  if (o) return o;
  o = UNPARSEABLE;
  try {
    const url = new URL(value);
    const host = url.host.toLowerCase();
    if (url.protocol && host !== "") o = Object.freeze({ present: true, valid: true, normalized: `${url.protocol.toLowerCase()}//${host}`, host });
  } catch { /* unparseable */ }
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(value, o);
  return o;
}
