// A hand-written TypeScript implementation of the trusted-proxy decision (spec sections 3-6),
// independent of the Rego policy: the performance baseline, and the second opinion of the
// differential tests. Config is prepared once (like the engine's setData); each call takes raw facts.
import { createHash, timingSafeEqual } from "node:crypto";
import ipaddr from "ipaddr.js";

export interface BaselineDecision { allow: boolean; reason: string | null; user: string | null; method: string | null; scopes: string[] }

type Addr = ipaddr.IPv4 | ipaddr.IPv6;
const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** The eight groups of an IPv6 text (RFC 4291 2.2), read here: ipaddr.js reads `::a.b.c.d` as the
 *  mapped `::ffff:a.b.c.d`, the spec as the IPv6 address it spells. A dotted tail is rewritten as
 *  its two hex groups first, so it is only ever the last 32 bits. */
function v6Groups(s: string): number[] | null {
  let t = s;
  const tail = /^(.*:)([^:]*\.[^:]*)$/.exec(s);
  if (tail) {
    if (!V4.test(tail[2]!)) return null;
    const [a, b, c, d] = tail[2]!.split(".").map(Number) as [number, number, number, number];
    t = `${tail[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = t.split("::");
  const groups = (x: string | undefined) => (x ? x.split(":") : []);
  if (halves.length > 2 || !t.includes(":")) return null;
  const left = groups(halves[0]), right = groups(halves[1]);
  if (![...left, ...right].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  const zeros = 8 - left.length - right.length;
  if (halves.length === 2 ? zeros < 1 : zeros !== 0) return null;
  return [...left, ...Array<string>(zeros).fill("0"), ...right].map((g) => parseInt(g, 16));
}

const isMapped = (a: Addr): a is ipaddr.IPv6 => a.kind() === "ipv6" && (a as ipaddr.IPv6).parts.slice(0, 6).join() === "0,0,0,0,0,65535";
const toV4 = (a: ipaddr.IPv6): ipaddr.IPv4 => new ipaddr.IPv4([a.parts[6]! >> 8, a.parts[6]! & 255, a.parts[7]! >> 8, a.parts[7]! & 255]);

function parseIp(s: string, unmap: boolean): Addr | null {
  if (V4.test(s)) return ipaddr.IPv4.parse(s);
  const g = v6Groups(s);
  if (!g) return null;
  const a = new ipaddr.IPv6(g);
  return unmap && isMapped(a) ? toV4(a) : a;
}

/** Trimming as Go's strings.TrimSpace (the policy's trim_space): JS trim() strips U+FEFF, keeps U+0085. */
const SPACES = "\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const EDGE_SPACES = new RegExp(`^[${SPACES}]+|[${SPACES}]+$`, "g");
const trim = (s: string) => s.replace(EDGE_SPACES, "");

/** Header names and other protocol text fold in ASCII only (no Unicode case mapping or spaces). */
const asciiFold = (s: string) => s.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, "").replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));

function parseRange(entry: string): [Addr, number] | null {
  const t = trim(entry);
  const [ip, bits, extra] = t.split("/");
  if (extra !== undefined || !ip) return null;
  let a = parseIp(ip, false);
  if (!a) return null;
  let n = a.kind() === "ipv4" ? 32 : 128;
  if (bits !== undefined) {
    if (!/^(0|[1-9]\d{0,2})$/.test(bits) || Number(bits) > n) return null;
    n = Number(bits);
  }
  if (isMapped(a)) {
    if (n < 96) return null;
    a = toV4(a);
    n -= 96;
  }
  return [a, n];
}

// Parsed peers and origins, cached as the engine caches them (peers and origins repeat).
const peerCache = new Map<string, { addr: Addr | null; loopback: boolean }>();
function peerOf(s: string): { addr: Addr | null; loopback: boolean } {
  let p = peerCache.get(s);
  if (!p) {
    const a = parseIp(s, true);
    p = { addr: a, loopback: a !== null && (a.kind() === "ipv4" ? (a as ipaddr.IPv4).octets[0] === 127 : a.toNormalizedString() === "0:0:0:0:0:0:0:1") };
    if (peerCache.size > 4096) peerCache.clear();
    peerCache.set(s, p);
  }
  return p;
}
const originCache = new Map<string, { norm: string; host: string } | null>();
function originOf(s: string): { norm: string; host: string } | null {
  let o = originCache.get(s);
  if (o === undefined) {
    o = null;
    try { const u = new URL(s); const host = u.host.toLowerCase(); if (host !== "") o = { norm: `${u.protocol.toLowerCase()}//${host}`, host }; } catch { o = null; }
    if (originCache.size > 1024) originCache.clear();
    originCache.set(s, o);
  }
  return o;
}

const ALL_SCOPES = ["operator.admin", "operator.read", "operator.write", "operator.approvals", "operator.pairing", "operator.talk.secrets"];

export class BaselineDecider {
  private ranges: [Addr, number][];
  private userHeader: string;
  private required: string[];
  private allowUsers: string[];
  private allowLoopback: boolean;
  private loopbackUser: string;
  private origins: string[];
  private hostFallback: boolean;
  private password: Buffer | null;

  constructor(config: { gateway?: Record<string, any> }, env: Record<string, string | undefined> = {}) {
    const subst = (v: unknown): any => typeof v === "string" ? v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, n: string) => env[n] ?? "")
      : Array.isArray(v) ? v.map(subst) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, subst(x)])) : v;
    const g = subst(config.gateway ?? {});
    const tp = g.auth?.trustedProxy ?? {};
    this.ranges = (g.trustedProxies ?? []).map(parseRange).filter((r: unknown): r is [Addr, number] => r !== null);
    this.userHeader = asciiFold(String(tp.userHeader ?? ""));
    this.required = (tp.requiredHeaders ?? []).map(asciiFold);
    this.allowUsers = tp.allowUsers ?? [];
    this.allowLoopback = tp.allowLoopback === true;
    this.loopbackUser = typeof tp.loopbackUser === "string" ? trim(tp.loopbackUser) : "";
    this.origins = (g.controlUi?.allowedOrigins ?? []).map((o: string) => asciiFold(trim(o))).filter((o: string) => o !== "");
    this.hostFallback = g.controlUi?.dangerouslyAllowHostHeaderOriginFallback === true;
    const pw = typeof g.auth?.password === "string" ? g.auth.password : env.OPENCLAW_GATEWAY_PASSWORD;
    this.password = typeof pw === "string" && trim(pw) !== "" ? createHash("sha256").update(pw).digest() : null;
  }

  decide(facts: Record<string, any>): BaselineDecision {
    const transport = facts.transport ?? "http";
    const surface = facts.surface ?? "api";
    const headers = new Map<string, string>();
    const names = new Set<string>();
    let scopesHeader: string | null = null;
    for (const [k, raw] of Object.entries((facts.headers ?? {}) as Record<string, unknown>)) {
      const name = asciiFold(k);
      const first = !names.has(name);
      names.add(name);
      if (!first) continue;
      const v = Array.isArray(raw) ? raw[0] : raw;
      // present with a blank or non-string value (an empty array, a number...): no scopes
      if (name === "x-openclaw-scopes") scopesHeader = typeof v === "string" ? trim(v) : "";
      if (typeof v !== "string") continue;
      if (trim(v) !== "") headers.set(name, trim(v));
    }
    let forwarded = false;
    for (const n of names) if (n === "forwarded" || n === "x-real-ip" || n.startsWith("x-forwarded-")) forwarded = true;
    const pf = typeof facts.remoteAddress === "string" ? peerOf(facts.remoteAddress) : { addr: null, loopback: false };
    const peer = pf.addr;
    const loopback = pf.loopback;
    const directLocal = loopback && !forwarded;

    const originRaw = headers.get("origin");
    let originOk = false;
    if (originRaw !== undefined) {
      const o = originOf(originRaw);
      if (o) {
        const hostHeader = asciiFold(headers.get("host") ?? "");
        originOk = this.origins.includes("*") || this.origins.includes(o.norm) || (this.hostFallback && hostHeader !== "" && o.host === hostHeader);
      }
    }
    const deny = (reason: string): BaselineDecision => ({ allow: false, reason, user: null, method: null, scopes: [] });
    const defaultScopes = surface === "plugin" ? ["operator.write"] : ALL_SCOPES;
    const headerScopes = scopesHeader === null ? defaultScopes : scopesHeader.split(",").map((s) => trim(s)).filter((s) => s !== "");

    if (transport === "ws" && surface === "control-ui" && !originOk) return deny("control_ui_origin_not_allowed");
    const httpOriginBad = transport === "http" && originRaw !== undefined && !originOk;

    let denial: string | null = null;
    let user = "";
    let method = "trusted-proxy";
    if (this.allowLoopback && this.loopbackUser !== "" && directLocal && !headers.has(this.userHeader)) {
      user = this.loopbackUser;
      method = "loopback-user";
      if (this.allowUsers.length && !this.allowUsers.includes(user)) denial = "trusted_proxy_user_not_allowed";
    } else if (!peer || !this.ranges.some(([net, bits]) => net.kind() === peer.kind() && peer.match(net as never, bits))) {
      denial = "trusted_proxy_untrusted_source";
    } else if (loopback && !this.allowLoopback) {
      denial = "trusted_proxy_loopback_source";
    } else {
      const missing = this.required.find((h) => !headers.has(h));
      if (missing !== undefined) denial = `trusted_proxy_missing_header_${missing}`;
      else if (!headers.has(this.userHeader)) denial = "trusted_proxy_user_missing";
      else {
        user = headers.get(this.userHeader)!;
        if (this.allowUsers.length && !this.allowUsers.includes(user)) denial = "trusted_proxy_user_not_allowed";
      }
    }
    if (denial !== null) {
      const presented = typeof facts.password === "string" && facts.password !== "" ? facts.password : null;
      if (directLocal && this.password && presented !== null) {
        if (facts.rateLimited === true) return deny("rate_limited");
        const match = timingSafeEqual(createHash("sha256").update(presented).digest(), this.password);
        if (!match) return deny("password_mismatch");
        if (httpOriginBad) return deny("trusted_proxy_origin_not_allowed");
        return { allow: true, reason: null, user: null, method: "password", scopes: defaultScopes };
      }
      return deny(denial);
    }
    if (httpOriginBad) return deny("trusted_proxy_origin_not_allowed");
    return { allow: true, reason: null, user, method, scopes: headerScopes };
  }
}
