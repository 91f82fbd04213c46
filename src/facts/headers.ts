// Request headers as the checks see them: names lower-cased and trimmed; an array value means its
// first element; values trimmed; blank or non-string values are absent.

export const SCOPES_HEADER = "x-openclaw-scopes";

export function normalizeHeaderName(name: string): string { return name.trim().toLowerCase(); }

function firstValue(v: unknown): unknown { return Array.isArray(v) ? v[0] : v; }

/** A `forwarded` or `x-real-ip` header, or any `x-forwarded-*` header, is forwarded evidence (even empty). */
export function isForwardedEvidence(name: string): boolean {
  return name === "forwarded" || name === "x-real-ip" || name.startsWith("x-forwarded-");
}

export interface ScannedHeaders {
  /** Non-blank values of the wanted headers. */
  wanted: Record<string, string>;
  forwarded: boolean;
  origin: string | undefined;
  host: string;
  scopes: { present: boolean; value: string };
}

/**
 * One pass over the request headers keeping only what the policy reads: the wanted headers,
 * origin, host, scopes, and forwarded evidence (which any header name counts for).
 */
export function scanHeaders(raw: Record<string, unknown> | undefined, wantedNames: Set<string>): ScannedHeaders {
  const out: ScannedHeaders = { wanted: {}, forwarded: false, origin: undefined, host: "", scopes: { present: false, value: "" } };
  if (!raw) return out;
  let seen: Set<string> | undefined;
  for (const rawName in raw) {
    let name = rawName.toLowerCase();
    if (name.length && (name.charCodeAt(0) <= 32 || name.charCodeAt(name.length - 1) <= 32)) name = name.trim();
    if (!out.forwarded && isForwardedEvidence(name)) out.forwarded = true;
    const isScopes = name === SCOPES_HEADER;
    const wanted = wantedNames.has(name);
    if (!wanted && !isScopes && name !== "origin" && name !== "host") continue;
    seen ??= new Set();
    if (seen.has(name)) continue; // the first occurrence of a name wins
    seen.add(name);
    const v = firstValue(raw[rawName]);
    if (typeof v !== "string") continue;
    const trimmed = v.trim();
    if (isScopes) out.scopes = { present: true, value: trimmed };
    if (trimmed === "") continue;
    if (wanted) out.wanted[name] = trimmed;
    if (name === "origin") out.origin = trimmed;
    else if (name === "host") out.host = trimmed;
  }
  return out;
}
