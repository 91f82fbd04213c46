// The request space of a diff: dimensions (the facts of spec section 3), each with the values that
// fall into different classes of what either policy compares (its constants, the configs' values,
// the host's states such as absent/blank/array), one representative per class.
import ipaddr from "ipaddr.js";
import type { PolicyData } from "../config/normalize.js";
import { normalizePeer, parseProxyEntry } from "../facts/address.js";
import { scanHeaders, SCOPES_HEADER } from "../facts/headers.js";
import { parseOrigin } from "../facts/origin.js";
import { passwordState } from "../facts/password.js";
import { affixesFor, constantsFor, type PolicyConstants } from "./constants.js";

/** Request facts being built, as a gateway sends them to /v1/decision. */
export interface FactsDraft {
  transport: "http" | "ws";
  surface: "api" | "control-ui" | "plugin";
  remoteAddress: string | null;
  headers: Record<string, unknown>;
  password?: string;
  rateLimited?: boolean;
}

export interface DimensionValue {
  label: string;
  apply(f: FactsDraft): void;
}

export interface Dimension {
  name: string;
  /** The input fields this dimension sets (for the exhaustiveness claim). */
  roots: string[];
  values: DimensionValue[];
}

/** One config of the diff, as each side's engine reads it. */
export interface ConfigPair {
  before: PolicyData;
  after: PolicyData;
  /** The effective passwords (null: none configured). */
  beforePassword: string | null;
  afterPassword: string | null;
}

export const emptyDraft = (): FactsDraft => ({ transport: "http", surface: "api", remoteAddress: null, headers: {} });

/** Everything either side compares a field with: both policies' constants and the configs' values. */
class Known {
  constructor(readonly strings: Set<string>, readonly affixes: string[], readonly opaque: boolean) {}
  /** The class of a string: itself when known (or when the field is opaque), else which affix
   *  tests it passes. */
  classOf(s: string): string {
    if (this.opaque || this.strings.has(s)) return `=${s}`;
    return `~${this.affixes.map((a) => `${+s.startsWith(a)}${+s.endsWith(a)}${+s.includes(a)}`).join("")}`;
  }
}

function known(consts: PolicyConstants[], root: string, extra: Iterable<string>): Known {
  const strings = new Set<string>(extra);
  const affixes = new Set<string>();
  for (const c of consts) {
    for (const s of constantsFor(c, root)) strings.add(s);
    for (const a of affixesFor(c, root)) affixes.add(a);
  }
  return new Known(strings, [...affixes].sort(), consts.some((c) => c.opaque.has(root) || c.opaque.has("*")));
}

/** Keeps the first value of each class (by signature). */
function distinct(name: string, roots: string[], candidates: DimensionValue[], signature: (v: DimensionValue) => string): Dimension {
  const seen = new Set<string>();
  const values: DimensionValue[] = [];
  for (const v of candidates) {
    const s = signature(v);
    if (seen.has(s)) continue;
    seen.add(s);
    values.push(v);
  }
  return { name, roots, values };
}

const draftWith = (v: DimensionValue): FactsDraft => { const d = emptyDraft(); v.apply(d); return d; };
const value = (label: string, apply: (f: FactsDraft) => void): DimensionValue => ({ label, apply });
const q = (s: string) => JSON.stringify(s);

/** The text with ASCII letters' case swapped (a case variant that is not simply upper case). */
const swapCase = (s: string) => s.replace(/[a-zA-Z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));

function shiftAddress(a: ipaddr.IPv4 | ipaddr.IPv6, delta: number): string | null {
  const bytes = a.toByteArray();
  let carry = delta;
  for (let i = bytes.length - 1; i >= 0 && carry !== 0; i--) {
    const v = bytes[i]! + carry;
    bytes[i] = ((v % 256) + 256) % 256;
    carry = Math.floor(v / 256);
  }
  return carry === 0 ? ipaddr.fromByteArray(bytes).toString() : null;
}

function lastAddress(net: ipaddr.IPv4 | ipaddr.IPv6, bits: number): ipaddr.IPv4 | ipaddr.IPv6 {
  const bytes = net.toByteArray();
  for (let i = 0; i < bytes.length; i++) bytes[i] = bytes[i]! | (0xff >> Math.max(0, Math.min(8, bits - i * 8)));
  return ipaddr.fromByteArray(bytes);
}

function contains(cidr: string, ip: string): boolean {
  try {
    const [net, bits] = ipaddr.parseCIDR(cidr);
    const a = ipaddr.parse(ip);
    return a.kind() === net.kind() && a.match(net, bits);
  } catch { return false; }
}

function peerDimension(configs: ConfigPair[], consts: PolicyConstants[]): Dimension {
  const cidrs = new Set<string>();
  for (const c of configs) for (const d of [c.before, c.after]) for (const e of d.trusted_proxies) cidrs.add(e);
  const ipConstants = consts.flatMap((c) => constantsFor(c, "peer"));
  for (const s of ipConstants) { const e = parseProxyEntry(s); if (e.valid) cidrs.add(e.cidr); }
  const k = known(consts, "peer", []);
  const candidates: DimensionValue[] = [];
  const add = (ip: string | null, label: string) => candidates.push(value(`${ip ?? "(none)"}: ${label}`, (f) => { f.remoteAddress = ip; }));
  for (const cidr of [...cidrs].sort()) {
    const [net, bits] = ipaddr.parseCIDR(cidr);
    const last = lastAddress(net, bits);
    add(net.toString(), `first address of ${cidr}`);
    if (net.kind() === "ipv4") add(`::ffff:${net.toString()}`, `${cidr} as IPv4-mapped IPv6`);
    add(last.toString(), `last address of ${cidr}`);
    const inside = shiftAddress(net, 1);
    if (inside) add(inside, `inside ${cidr}`);
    const below = shiftAddress(net, -1), above = shiftAddress(last, 1);
    if (below) add(below, `just below ${cidr}`);
    if (above) add(above, `just above ${cidr}`);
  }
  add("127.0.0.1", "loopback");
  add("127.0.0.2", "loopback 127.0.0.2");
  add("::1", "IPv6 loopback");
  add("::ffff:127.0.0.1", "loopback as IPv4-mapped IPv6");
  add("::127.0.0.1", "IPv4-compatible ::127.0.0.1 (not loopback)");
  add("203.0.113.7", "unrelated IPv4");
  add("2001:db8:ffff::7", "unrelated IPv6");
  add("not-an-ip", "invalid address");
  add(null, "no peer address");
  const sorted = [...cidrs].sort();
  return distinct("peer", ["peer"], candidates, (v) => {
    const p = normalizePeer(draftWith(v).remoteAddress);
    if (!p.valid) return "invalid";
    return `${+p.loopback}${sorted.map((c) => +contains(c, p.ip)).join("")}${k.classOf(p.ip)}`;
  });
}

/** Header names a policy reads (both configs' user and required headers). */
function userHeaders(configs: ConfigPair[]): string[] {
  return [...new Set(configs.flatMap((c) => [c.before.user_header, c.after.user_header]).filter((h) => h !== ""))].sort();
}

function requiredHeaderNames(configs: ConfigPair[]): string[] {
  return [...new Set(configs.flatMap((c) => [...c.before.required_headers, ...c.after.required_headers]))].sort();
}

function userDimension(configs: ConfigPair[], consts: PolicyConstants[]): Dimension {
  const names = userHeaders(configs);
  const users = new Map<string, string>();
  for (const c of configs) {
    for (const d of [c.before, c.after]) {
      for (const u of d.allow_users) users.set(u, "in allowUsers");
      if (d.loopback_user) users.set(d.loopback_user, "the loopbackUser");
    }
  }
  const k = known(consts, "headers", users.keys());
  const candidates: DimensionValue[] = [];
  const send = (label: string, v: unknown) => candidates.push(value(label, (f) => { for (const h of names) f.headers[h] = v; }));
  candidates.push(value("absent", () => {}));
  send(`blank ${q("  ")}`, "  ");
  send("an array of one allowed user", [...users.keys()][0] ?? "nick@example.com");
  for (const [u, why] of users) {
    send(`${q(u)}: ${why}`, u);
    send(`${q(swapCase(u))}: case variant of ${q(u)}`, swapCase(u));
    send(`${q(` ${u} `)}: ${q(u)} padded`, ` ${u} `);
  }
  for (const c of k.strings) if (!users.has(c) && c !== "") send(`${q(c)}: a policy constant`, c);
  for (const a of k.affixes) { send(`${q(`${a}x`)}: starts with ${q(a)}`, `${a}x`); send(`${q(`x${a}`)}: ends with ${q(a)}`, `x${a}`); }
  send(`${q("mallory@example.com")}: nobody's user`, "mallory@example.com");
  const wanted = new Set(names);
  return distinct("user", ["headers"], candidates, (v) => {
    const seen = scanHeaders(draftWith(v).headers, wanted).wanted;
    return names.map((h) => (Object.hasOwn(seen, h) ? k.classOf(seen[h]!) : "-")).join("|");
  });
}

function requiredDimension(configs: ConfigPair[], consts: PolicyConstants[]): Dimension {
  const names = requiredHeaderNames(configs).filter((h) => !userHeaders(configs).includes(h));
  const k = known(consts, "headers", []);
  const candidates: DimensionValue[] = [];
  const setAll = (v: unknown) => (f: FactsDraft) => { for (const h of names) f.headers[h] = v; };
  candidates.push(value(names.length ? "all present" : "(none configured)", setAll("https")));
  for (const h of names) {
    candidates.push(value(`${h} absent`, (f) => { for (const n of names) if (n !== h) f.headers[n] = "https"; }));
    candidates.push(value(`${h} blank`, (f) => { for (const n of names) f.headers[n] = n === h ? "" : "https"; }));
  }
  if (names.length > 1) candidates.push(value("all absent", () => {}));
  for (const c of k.strings) if (c !== "") candidates.push(value(`all ${q(c)} (a policy constant)`, setAll(c)));
  const wanted = new Set(names);
  return distinct("required headers", ["headers"], candidates, (v) => {
    const seen = scanHeaders(draftWith(v).headers, wanted).wanted;
    return names.map((h) => (Object.hasOwn(seen, h) ? k.classOf(seen[h]!) : "-")).join("|");
  });
}

function forwardedDimension(): Dimension {
  return distinct("forwarded evidence", ["forwarded"], [
    value("none", () => {}),
    value("X-Forwarded-For", (f) => { f.headers["x-forwarded-for"] = "203.0.113.10"; }),
    value("Forwarded", (f) => { f.headers.forwarded = "for=203.0.113.10"; }),
  ], (v) => String(scanHeaders(draftWith(v).headers, new Set()).forwarded));
}

function originDimension(configs: ConfigPair[], consts: PolicyConstants[]): Dimension {
  const allowed = new Set<string>();
  for (const c of configs) for (const d of [c.before, c.after]) for (const o of d.allowed_origins) allowed.add(o);
  const ko = known(consts, "origin", allowed);
  const hostsOfOrigins = [...allowed].map((o) => parseOrigin(o)).filter((o) => o.valid).map((o) => o.host);
  const kh = known(consts, "host", ["", ...hostsOfOrigins]);
  const origins: [string | null, string][] = [[null, "absent"], ["null", "the literal null"], ["https://evil.example", "not allowed"], ["not a url", "unparseable"]];
  for (const o of allowed) {
    if (o === "*") continue;
    origins.push([o, "allowed"], [o.toUpperCase(), `${q(o)} upper-cased`], [`${o}/`, `${q(o)} with a slash`]);
  }
  for (const c of ko.strings) if (c !== "*" && c !== "") origins.push([c, "a policy constant"]);
  const hosts: [string | null, string][] = [[null, "absent"], ["gateway.example.com", "the gateway"], ["evil.example", "another host"]];
  for (const h of hostsOfOrigins) hosts.push([h, "an allowed origin's host"], [h.toUpperCase(), "an allowed origin's host, upper-cased"]);
  for (const c of kh.strings) if (c !== "") hosts.push([c, "a policy constant"]);
  const candidates: DimensionValue[] = [];
  for (const [o, ol] of origins) {
    for (const [h, hl] of hosts) {
      candidates.push(value(`Origin ${o === null ? "absent" : `${q(o)} (${ol})`}, Host ${h === null ? "absent" : `${q(h)} (${hl})`}`, (f) => {
        if (o !== null) f.headers.origin = o;
        if (h !== null) f.headers.host = h;
      }));
    }
  }
  candidates.push(value(`Origin ${q("https://gateway.example.com")} equal to Host`, (f) => { f.headers.origin = "https://gateway.example.com"; f.headers.host = "gateway.example.com"; }));
  return distinct("origin and host", ["origin", "host"], candidates, (v) => {
    const s = scanHeaders(draftWith(v).headers, new Set());
    const o = parseOrigin(s.origin);
    const host = s.host.toLowerCase();
    return `${+o.present}${+o.valid}${ko.classOf(o.normalized)}|${kh.classOf(o.host)}|${kh.classOf(host)}|${+(o.host === host)}`;
  });
}

function scopesDimension(consts: PolicyConstants[]): Dimension {
  const k = known(consts, "scopes", []);
  const candidates: DimensionValue[] = [
    value("absent", () => {}),
    value(`blank ${q("")}`, (f) => { f.headers[SCOPES_HEADER] = ""; }),
    value(`${q("operator.read")}`, (f) => { f.headers[SCOPES_HEADER] = "operator.read"; }),
    value(`${q("operator.admin, operator.read")}`, (f) => { f.headers[SCOPES_HEADER] = "operator.admin, operator.read"; }),
    value(`${q(" , ")} (separators only)`, (f) => { f.headers[SCOPES_HEADER] = " , "; }),
    value("an empty array", (f) => { f.headers[SCOPES_HEADER] = []; }),
  ];
  for (const c of k.strings) candidates.push(value(`${q(c)} (a policy constant)`, (f) => { f.headers[SCOPES_HEADER] = c; }));
  return distinct("scopes header", ["scopes"], candidates, (v) => JSON.stringify(scanHeaders(draftWith(v).headers, new Set()).scopes));
}

function passwordDimension(configs: ConfigPair[]): Dimension {
  const configured = configs.flatMap((c) => [c.beforePassword, c.afterPassword]).filter((p): p is string => p !== null);
  const right = configured[0] ?? "s3cret";
  const candidates: DimensionValue[] = [];
  for (const limited of [false, true]) {
    const tail = limited ? ", rate-limited" : "";
    candidates.push(value(`none presented${tail}`, (f) => { if (limited) f.rateLimited = true; }));
    for (const p of new Set(configured.length ? configured : [right])) candidates.push(value(`${q(p)}: a configured password${tail}`, (f) => { f.password = p; if (limited) f.rateLimited = true; }));
    candidates.push(value(`a wrong password${tail}`, (f) => { f.password = `${right}-wrong`; if (limited) f.rateLimited = true; }));
  }
  return distinct("password", ["password", "rate_limited"], candidates, (v) => {
    const d = draftWith(v);
    return `${configs.map((c) => `${passwordState(d.password, c.beforePassword)}${passwordState(d.password, c.afterPassword)}`).join("")}${+(d.rateLimited === true)}`;
  });
}

function requestDimension(): Dimension {
  const values: DimensionValue[] = [];
  for (const transport of ["http", "ws"] as const) {
    for (const surface of ["api", "control-ui", "plugin"] as const) values.push(value(`${transport} ${surface}`, (f) => { f.transport = transport; f.surface = surface; }));
  }
  return { name: "request", roots: ["transport", "surface"], values };
}

/** The dimensions for one config (a pair of each side's view of it) and both policies' constants. */
export function dimensions(configs: ConfigPair[], consts: PolicyConstants[]): Dimension[] {
  return [
    requestDimension(),
    peerDimension(configs, consts),
    userDimension(configs, consts),
    requiredDimension(configs, consts),
    forwardedDimension(),
    originDimension(configs, consts),
    scopesDimension(consts),
    passwordDimension(configs),
  ];
}

/** The facts of one combination (one value index per dimension), with its labels. */
export function request(dims: Dimension[], pick: number[]): { facts: FactsDraft; labels: Record<string, string> } {
  const facts = emptyDraft();
  const labels: Record<string, string> = {};
  dims.forEach((d, i) => { const v = d.values[pick[i]!]!; v.apply(facts); labels[d.name] = v.label; });
  return { facts, labels };
}
