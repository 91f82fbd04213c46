// The request space a diff evaluates: derived from the configs (their proxies, headers, users,
// origins, password), so every branch of the spec is exercised around the configured values.
import ipaddr from "ipaddr.js";
import type { ConfigView } from "../config/view.js";

export interface Probe {
  facts: Record<string, unknown>;
  /** Human description of the input class, dimension by dimension. */
  labels: Record<string, string>;
}

function shift(a: ipaddr.IPv4 | ipaddr.IPv6, delta: number): string | null {
  const bytes = a.toByteArray();
  let carry = delta;
  for (let i = bytes.length - 1; i >= 0 && carry !== 0; i--) {
    const v = bytes[i]! + carry;
    bytes[i] = ((v % 256) + 256) % 256;
    carry = Math.floor(v / 256);
  }
  if (carry !== 0) return null;
  return ipaddr.fromByteArray(bytes).toString();
}

function lastOf(net: ipaddr.IPv4 | ipaddr.IPv6, bits: number): ipaddr.IPv4 | ipaddr.IPv6 {
  const bytes = net.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i] = bytes[i]! | (0xff >> keep);
  }
  return ipaddr.fromByteArray(bytes);
}

/** Peers: inside, at the edges of and just outside every entry; loopback forms; unrelated; invalid; absent. */
export function peerSet(views: ConfigView[]): [string | null, string][] {
  const out = new Map<string | null, string>();
  const add = (ip: string | null, label: string) => { if (!out.has(ip)) out.set(ip, label); };
  for (const v of views) {
    for (const e of v.trusted_proxies) {
      if (!e.valid) continue;
      const [net, bits] = ipaddr.parseCIDR(e.cidr);
      const first = net, last = lastOf(net, bits);
      add(first.toString(), `first address of ${e.cidr}`);
      if (first.kind() === "ipv4") add(`::ffff:${first.toString()}`, `${e.cidr} as IPv4-mapped IPv6`);
      if (!e.single) { add(last.toString(), `last address of ${e.cidr}`); const mid = shift(first, 1); if (mid) add(mid, `inside ${e.cidr}`); }
      const below = shift(first, -1), above = shift(last, 1);
      if (below) add(below, `just below ${e.cidr}`);
      if (above) add(above, `just above ${e.cidr}`);
    }
  }
  add("127.0.0.1", "loopback 127.0.0.1");
  add("127.0.0.2", "loopback 127.0.0.2");
  add("::1", "loopback ::1");
  add("::ffff:127.0.0.1", "loopback as IPv4-mapped IPv6");
  add("203.0.113.7", "unrelated IPv4");
  add("2001:db8:ffff::7", "unrelated IPv6");
  add("not-an-ip", "invalid address");
  add(null, "no peer address");
  return [...out.entries()];
}

export function probeSpace(views: ConfigView[]): Probe[] {
  const userHeaders = [...new Set(views.map((v) => (v.user_header ?? "").trim().toLowerCase()).filter((h) => h))];
  const required = [...new Set(views.flatMap((v) => v.required_headers.map((h) => h.trim().toLowerCase())))];
  const users = new Map<string, string>();
  for (const v of views) {
    for (const u of v.allow_users) users.set(u, "a user in allowUsers");
    if (v.loopback_user && v.loopback_user.trim()) users.set(v.loopback_user.trim(), "the loopbackUser");
  }
  users.set("mallory@example.com", "a user outside allowUsers");
  const userStates: [string | null, string][] = [[null, "absent"], ["  ", "blank"], ...[...users].map(([u, l]) => [u, l] as [string, string])];
  const requiredStates: [string, string][] = [["all", "all present"], ...required.flatMap((h) => [[`blank:${h}`, `${h} blank`], [`absent:${h}`, `${h} absent`]] as [string, string][])];
  const origins = new Map<string | null, string>([[null, "absent"], ["null", "the literal null"], ["https://evil.example", "not allowed"]]);
  for (const v of views) for (const o of v.allowed_origins) if (o !== "*") origins.set(o, "allowed");
  const passwords: [string, string][] = [["none", "none presented"]];
  if (views.some((v) => v.password !== null)) {
    passwords.push(["match", "correct password"], ["mismatch", "wrong password"], ["locked", "correct password while rate-limited"]);
  }
  const configuredPassword = views.find((v) => v.password !== null)?.password ?? "";
  const surfaces: [string, string][] = [["http", "api"], ["http", "control-ui"], ["http", "plugin"], ["ws", "api"], ["ws", "control-ui"], ["ws", "plugin"]];
  const probes: Probe[] = [];
  for (const [peer, peerLabel] of peerSet(views)) {
    for (const [user, userLabel] of userStates) {
      for (const [req, reqLabel] of requiredStates) {
        for (const forwarded of [true, false]) {
          for (const [origin, originLabel] of origins) {
            for (const [transport, surface] of surfaces) {
              for (const [pw, pwLabel] of passwords) {
                const headers: Record<string, string> = { host: "gateway.example.com" };
                if (forwarded) headers["x-forwarded-for"] = "203.0.113.10";
                for (const h of userHeaders) if (user !== null) headers[h] = user;
                for (const h of required) {
                  if (req === `absent:${h}`) continue;
                  headers[h] = req === `blank:${h}` ? "" : "present";
                }
                if (origin !== null) headers.origin = origin;
                const facts: Record<string, unknown> = { transport, surface, remoteAddress: peer, headers };
                if (pw !== "none") facts.password = pw === "mismatch" ? `${configuredPassword}-wrong` : configuredPassword;
                if (pw === "locked") facts.rateLimited = true;
                probes.push({
                  facts,
                  labels: {
                    peer: `${peer ?? "(none)"}: ${peerLabel}`, user: user === null ? "absent" : `${JSON.stringify(user)}: ${userLabel}`,
                    "required headers": reqLabel, "forwarded evidence": forwarded ? "present" : "none",
                    origin: origin === null ? "absent" : `${origin}: ${originLabel}`, request: `${transport} ${surface}`, password: pwLabel,
                  },
                });
              }
            }
          }
        }
      }
    }
  }
  return probes;
}
