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

export function parseOrigin(value: string | undefined): OriginFacts {
  if (value === undefined || value === "") return { present: false, valid: false, normalized: "", host: "" };
  let url: URL;
  try { url = new URL(value); } catch { return { present: true, valid: false, normalized: "", host: "" }; }
  const host = url.host.toLowerCase();
  if (!url.protocol || host === "") return { present: true, valid: false, normalized: "", host: "" };
  return { present: true, valid: true, normalized: `${url.protocol.toLowerCase()}//${host}`, host };
}
