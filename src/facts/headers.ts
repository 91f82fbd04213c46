// Request headers as the checks see them (spec section 3): names trimmed and lower-cased in ASCII
// only (ascii.ts: a non-ASCII look-alike never reads as an ASCII name); an array value means its
// first element; values trimmed (whitespace.ts); blank or non-string values are absent, except for forwarded
// evidence (the name is enough) and x-openclaw-scopes (present, with no scopes).
// Names are request data, never property names: own keys only, results in null-prototype objects,
// so `__proto__`, `constructor` or `toString` are headers like any other.
import { asciiLowerCase, trimAsciiSpace } from "./ascii.js";
import { trimSpace } from "./whitespace.js";

export const SCOPES_HEADER = "x-openclaw-scopes";

/** A header name as every part of the system compares it: ASCII-trimmed, ASCII-lower-cased. */
export function normalizeHeaderName(name: string): string {
  // The hot path, inlined: Node's names need no trimming and are lower case already.
  const t = name.charCodeAt(0) <= 32 || name.charCodeAt(name.length - 1) <= 32 ? trimAsciiSpace(name) : name;
  const lower = t.toLowerCase();
  return lower === t ? t : asciiLowerCase(t);
}

function firstValue(v: unknown): unknown { return Array.isArray(v) ? v[0] : v; }

/** A `forwarded` or `x-real-ip` header, or any `x-forwarded-*` header, is forwarded evidence (even empty). */
export function isForwardedEvidence(name: string): boolean {
  return name === "forwarded" || name === "x-real-ip" || name.startsWith("x-forwarded-");
}

export interface ScannedHeaders {
  /** Non-blank values of the wanted headers (a null-prototype object: every key is a header). */
  wanted: Record<string, string>;
  forwarded: boolean;
  origin: string | undefined;
  host: string;
  /** The scopes header: present whatever its value; a blank or non-string value is "" (no scopes). */
  scopes: { present: boolean; value: string };
}

/**
 * One pass over the request headers keeping only what the policy reads: the wanted headers,
 * origin, host, scopes, and forwarded evidence (which any header name counts for). When two names
 * read the same (`X-A` and `x-a`), the first in the object's key order wins, for every check.
 */
export function scanHeaders(raw: Record<string, unknown> | undefined, wantedNames: Set<string>): ScannedHeaders {
  const out: ScannedHeaders = { wanted: Object.create(null) as Record<string, string>, forwarded: false, origin: undefined, host: "", scopes: { present: false, value: "" } };
  if (!raw) return out;
  let seen: Set<string> | undefined;
  for (const rawName of Object.keys(raw)) {
    const name = normalizeHeaderName(rawName);
    if (!out.forwarded && isForwardedEvidence(name)) out.forwarded = true;
    const isScopes = name === SCOPES_HEADER;
    const wanted = wantedNames.has(name);
    if (!wanted && !isScopes && name !== "origin" && name !== "host") continue;
    seen ??= new Set();
    if (seen.has(name)) continue; // the first occurrence of a name wins
    seen.add(name);
    const v = firstValue(raw[rawName]);
    const trimmed = typeof v === "string" ? trimSpace(v) : "";
    if (isScopes) out.scopes = { present: true, value: trimmed };
    if (trimmed === "") continue;
    if (wanted) out.wanted[name] = trimmed;
    if (name === "origin") out.origin = trimmed;
    else if (name === "host") out.host = trimmed;
  }
  return out;
}
