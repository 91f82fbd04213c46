// Request headers as the checks see them: names lower-cased and trimmed; an array value means its
// first element; values trimmed; blank or non-string values are absent.

export interface HeaderFacts {
  /** Non-blank values by lower-cased name (the first occurrence of a name wins). */
  values: Map<string, string>;
  /** Every header name present, whatever its value (for forwarded evidence). */
  names: Set<string>;
  /** The x-openclaw-scopes header: present (maybe blank) or not. */
  scopes: { present: boolean; value: string };
}

export const SCOPES_HEADER = "x-openclaw-scopes";

export function normalizeHeaderName(name: string): string { return name.trim().toLowerCase(); }

function firstValue(v: unknown): unknown { return Array.isArray(v) ? v[0] : v; }

export function normalizeHeaders(raw: Record<string, unknown> | undefined): HeaderFacts {
  const values = new Map<string, string>();
  const names = new Set<string>();
  const scopes = { present: false, value: "" };
  const seen = new Set<string>();
  for (const [rawName, rawValue] of Object.entries(raw ?? {})) {
    const name = normalizeHeaderName(rawName);
    names.add(name);
    if (seen.has(name)) continue;
    seen.add(name);
    const v = firstValue(rawValue);
    if (typeof v !== "string") continue;
    const trimmed = v.trim();
    if (name === SCOPES_HEADER) { scopes.present = true; scopes.value = trimmed; }
    if (trimmed !== "") values.set(name, trimmed);
  }
  return { values, names, scopes };
}

/** A `forwarded` or `x-real-ip` header, or any `x-forwarded-*` header, is present (even empty). */
export function hasForwardedEvidence(names: Set<string>): boolean {
  for (const n of names) if (n === "forwarded" || n === "x-real-ip" || n.startsWith("x-forwarded-")) return true;
  return false;
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
 * One pass over the request headers keeping only what the policy reads (the configured headers,
 * origin, host, scopes, forwarded evidence); the same rules as `normalizeHeaders`.
 */
export function scanHeaders(raw: Record<string, unknown> | undefined, wantedNames: Set<string>): ScannedHeaders {
  const out: ScannedHeaders = { wanted: {}, forwarded: false, origin: undefined, host: "", scopes: { present: false, value: "" } };
  if (!raw) return out;
  let seen: Set<string> | undefined;
  for (const rawName in raw) {
    let name = rawName.toLowerCase();
    if (name.length && (name.charCodeAt(0) <= 32 || name.charCodeAt(name.length - 1) <= 32)) name = name.trim();
    if (!out.forwarded && (name === "forwarded" || name === "x-real-ip" || name.startsWith("x-forwarded-"))) out.forwarded = true;
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
