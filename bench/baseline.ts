// A hand-written TypeScript implementation of the trusted-proxy decision (spec sections 3-6),
// independent of the Rego policy: the performance baseline, and the second opinion of the
// differential tests. Config is prepared once (like the engine's setData); each call takes raw facts.
import { createHash, timingSafeEqual } from "node:crypto";
import ipaddr from "ipaddr.js";

export interface BaselineDecision { allow: boolean; reason: string | null; user: string | null; method: string | null; scopes: string[] }

type Addr = ipaddr.IPv4 | ipaddr.IPv6;
const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function parseIp(s: string, unmap: boolean): Addr | null {
  if (V4.test(s)) return ipaddr.IPv4.parse(s);
  if (!s.includes(":") || /[[\]%/\s]/.test(s)) return null;
  const tail = s.slice(s.lastIndexOf(":") + 1);
  if (tail.includes(".") && !V4.test(tail)) return null;
  if (!ipaddr.IPv6.isValid(s)) return null;
  const a = ipaddr.IPv6.parse(s);
  return unmap && a.isIPv4MappedAddress() ? a.toIPv4Address() : a;
}

function parseRange(entry: string): [Addr, number] | null {
  const t = entry.trim();
  const [ip, bits, extra] = t.split("/");
  if (extra !== undefined || !ip) return null;
  let a = parseIp(ip, false);
  if (!a) return null;
  let n = a.kind() === "ipv4" ? 32 : 128;
  if (bits !== undefined) {
    if (!/^(0|[1-9]\d{0,2})$/.test(bits) || Number(bits) > n) return null;
    n = Number(bits);
  }
  if (a.kind() === "ipv6" && (a as ipaddr.IPv6).isIPv4MappedAddress()) {
    if (n < 96) return null;
    a = (a as ipaddr.IPv6).toIPv4Address();
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
    this.userHeader = String(tp.userHeader ?? "").trim().toLowerCase();
    this.required = (tp.requiredHeaders ?? []).map((h: string) => h.trim().toLowerCase());
    this.allowUsers = tp.allowUsers ?? [];
    this.allowLoopback = tp.allowLoopback === true;
    this.loopbackUser = typeof tp.loopbackUser === "string" ? tp.loopbackUser.trim() : "";
    this.origins = (g.controlUi?.allowedOrigins ?? []).map((o: string) => o.trim().toLowerCase()).filter((o: string) => o !== "");
    this.hostFallback = g.controlUi?.dangerouslyAllowHostHeaderOriginFallback === true;
    const pw = typeof g.auth?.password === "string" ? g.auth.password : env.OPENCLAW_GATEWAY_PASSWORD;
    this.password = typeof pw === "string" && pw.trim() !== "" ? createHash("sha256").update(pw).digest() : null;
  }

  decide(facts: Record<string, any>): BaselineDecision {
    const transport = facts.transport ?? "http";
    const surface = facts.surface ?? "api";
    const headers = new Map<string, string>();
    const names = new Set<string>();
    let scopesHeader: string | null = null;
    for (const [k, raw] of Object.entries((facts.headers ?? {}) as Record<string, unknown>)) {
      const name = k.trim().toLowerCase();
      const first = !names.has(name);
      names.add(name);
      if (!first) continue;
      const v = Array.isArray(raw) ? raw[0] : raw;
      if (typeof v !== "string") continue;
      if (name === "x-openclaw-scopes") scopesHeader = v.trim();
      if (v.trim() !== "") headers.set(name, v.trim());
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
        const hostHeader = (headers.get("host") ?? "").toLowerCase();
        originOk = this.origins.includes("*") || this.origins.includes(o.norm) || (this.hostFallback && hostHeader !== "" && o.host === hostHeader);
      }
    }
    const deny = (reason: string): BaselineDecision => ({ allow: false, reason, user: null, method: null, scopes: [] });
    const defaultScopes = surface === "plugin" ? ["operator.write"] : ALL_SCOPES;
    const headerScopes = scopesHeader === null ? defaultScopes : scopesHeader.split(",").map((s) => s.trim()).filter((s) => s !== "");

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
