// Builtins the wasm runtime leaves to the host, implemented in TypeScript. The loader passes the
// ones a module lists (CompileResult.hostBuiltins) to the SDK automatically. Arguments arrive as
// JSON (sets as arrays); returning undefined makes the call undefined.

type HostFn = (...args: unknown[]) => unknown;

const regexCache = new Map<string, RegExp | null>();

/** RE2 syntax to a JS RegExp (u flag); inline (?i)/(?s)/(?m) prefixes become flags. */
export function compileRegex(pattern: string): RegExp | null {
  let hit = regexCache.get(pattern);
  if (hit !== undefined) return hit;
  let flags = "u";
  let src = pattern;
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    for (const f of m[1]!) if (f === "i" || f === "m" || f === "s") flags += f;
    src = src.slice(m[0].length);
  }
  src = src.replace(/\\z/g, "$").replace(/\\A/g, "^").replace(/\(\?P</g, "(?<");
  try { hit = new RegExp(src, flags); } catch { hit = null; }
  if (regexCache.size > 1000) regexCache.clear();
  regexCache.set(pattern, hit);
  return hit;
}

function escapeRegex(c: string): string { return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"); }

/** A glob (gobwas/glob as OPA uses it) as a RegExp; `*` and `?` stop at delimiters, `**` does not. */
export function globToRegex(pattern: string, delimiters: string[]): RegExp | null {
  const notDelim = delimiters.length ? `[^${delimiters.map(escapeRegex).join("")}]` : "[\\s\\S]";
  let out = "";
  let i = 0;
  const parse = (inAlt: boolean): string | null => {
    let acc = "";
    while (i < pattern.length) {
      const c = pattern[i]!;
      if (c === "\\") { i++; if (i >= pattern.length) return null; acc += escapeRegex(pattern[i]!); i++; continue; }
      if (c === "*") {
        if (pattern[i + 1] === "*") { acc += "[\\s\\S]*"; i += 2; } else { acc += `${notDelim}*`; i++; }
        continue;
      }
      if (c === "?") { acc += notDelim; i++; continue; }
      if (c === "[") {
        const close = pattern.indexOf("]", i + 1);
        if (close < 0) return null;
        let body = pattern.slice(i + 1, close);
        const neg = body.startsWith("!");
        if (neg) body = body.slice(1);
        acc += `[${neg ? "^" : ""}${body.replace(/\\/g, "\\\\").replace(/\]/g, "\\]")}]`;
        i = close + 1;
        continue;
      }
      if (c === "{") {
        i++;
        const alts: string[] = [];
        for (;;) {
          const a = parse(true);
          if (a === null) return null;
          alts.push(a);
          if (pattern[i] === ",") { i++; continue; }
          if (pattern[i] === "}") { i++; break; }
          return null;
        }
        acc += `(?:${alts.join("|")})`;
        continue;
      }
      if (inAlt && (c === "," || c === "}")) return acc;
      acc += escapeRegex(c);
      i++;
    }
    return inAlt ? null : acc;
  };
  const body = parse(false);
  if (body === null) return null;
  out = `^${body}$`;
  try { return new RegExp(out, "u"); } catch { return null; }
}

function sortKeysDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (v && typeof v === "object") {
    return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sortKeysDeep((v as Record<string, unknown>)[k])]));
  }
  return v;
}

export const HOST_BUILTINS: Record<string, HostFn> = {
  "regex.match": (pattern, value) => {
    if (typeof pattern !== "string" || typeof value !== "string") return undefined;
    const re = compileRegex(pattern);
    return re ? re.test(value) : undefined;
  },
  "regex.is_valid": (pattern) => typeof pattern === "string" && compileRegex(pattern) !== null,
  "regex.find_n": (pattern, value, n) => {
    if (typeof pattern !== "string" || typeof value !== "string" || typeof n !== "number") return undefined;
    const re = compileRegex(pattern);
    if (!re) return undefined;
    const all = [...value.matchAll(new RegExp(re.source, re.flags + "g"))].map((m) => m[0]);
    return n < 0 ? all : all.slice(0, n);
  },
  "regex.replace": (s, pattern, value) => {
    if (typeof s !== "string" || typeof pattern !== "string" || typeof value !== "string") return undefined;
    const re = compileRegex(pattern);
    return re ? s.replace(new RegExp(re.source, re.flags + "g"), value.replace(/\$(\d+)/g, "$$$1")) : undefined;
  },
  "glob.match": (pattern, delimiters, match) => {
    if (typeof pattern !== "string" || typeof match !== "string") return undefined;
    let delims: string[];
    if (delimiters === null) delims = [];
    else if (Array.isArray(delimiters)) delims = delimiters.length === 0 ? ["."] : delimiters.filter((d): d is string => typeof d === "string");
    else return undefined;
    const re = globToRegex(pattern, delims);
    return re ? re.test(match) : undefined;
  },
  "glob.quote_meta": (s) => typeof s === "string" ? s.replace(/[*?\\[\]{}]/g, "\\$&") : undefined,
  "json.marshal_with_options": (value, opts) => {
    if (!opts || typeof opts !== "object" || Array.isArray(opts)) return undefined;
    const o = opts as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!["pretty", "indent", "prefix"].includes(k)) return undefined;
    const sorted = sortKeysDeep(value);
    const pretty = o.pretty === true || (o.pretty === undefined && (o.indent !== undefined || o.prefix !== undefined));
    if (!pretty) return JSON.stringify(sorted);
    const indent = typeof o.indent === "string" ? o.indent : "\t";
    const prefix = typeof o.prefix === "string" ? o.prefix : "";
    return JSON.stringify(sorted, null, indent).split("\n").map((l) => prefix + l).join("\n");
  },
  "base64.encode": (s) => typeof s === "string" ? Buffer.from(s, "utf8").toString("base64") : undefined,
  "base64.decode": (s) => typeof s === "string" ? Buffer.from(s, "base64").toString("utf8") : undefined,
  "base64url.encode": (s) => typeof s === "string" ? Buffer.from(s, "utf8").toString("base64").replace(/\+/g, "-").replace(/\//g, "_") : undefined,
  "base64url.encode_no_pad": (s) => typeof s === "string" ? Buffer.from(s, "utf8").toString("base64url") : undefined,
  "base64url.decode": (s) => typeof s === "string" ? Buffer.from(s, "base64url").toString("utf8") : undefined,
  "hex.encode": (s) => typeof s === "string" ? Buffer.from(s, "utf8").toString("hex") : undefined,
  "hex.decode": (s) => typeof s === "string" && /^([0-9a-fA-F]{2})*$/.test(s) ? Buffer.from(s, "hex").toString("utf8") : undefined,
  "urlquery.encode": (s) => typeof s === "string" ? encodeURIComponent(s).replace(/%20/g, "+") : undefined,
  "urlquery.decode": (s) => { try { return typeof s === "string" ? decodeURIComponent(s.replace(/\+/g, " ")) : undefined; } catch { return undefined; } },
};

/** The host functions for a module's host builtins (unknown ones fail only when called). */
export function hostBuiltinsFor(names: string[]): Record<string, HostFn> {
  const out: Record<string, HostFn> = {};
  for (const n of names) {
    const f = HOST_BUILTINS[n];
    if (f) out[n] = f;
  }
  return out;
}
