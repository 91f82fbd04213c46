// Addresses as spec section 3 defines them: IPv4 only as four decimal parts without leading zeros;
// IPv6 in the text form of RFC 4291 section 2.2 (groups of 1-4 hex digits, at most one "::", an
// optional strict dotted IPv4 tail; no zone, brackets or port). The text is read here, group by
// group, not by ipaddr.js: ipaddr.js reads the one text form `::a.b.c.d` as the IPv4-mapped
// `::ffff:a.b.c.d`, while the spec (and the same address written `::7f00:1`) makes it plain IPv6.
// Only `::ffff:0:0/96` maps to IPv4 (in any spelling); `::a.b.c.d`, `::ffff:0:a.b.c.d` and
// `64:ff9b::a.b.c.d` are the IPv6 addresses they spell. ipaddr.js only holds and prints the result.
import ipaddr from "ipaddr.js";
import { trimSpace } from "./whitespace.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

const OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const STRICT_V4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** The eight 16-bit groups of an IPv6 text, or null when it is not one. */
export function parseIPv6Groups(text: string): number[] | null {
  let head = text;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (lastColon < 0) return null;
  const last = text.slice(lastColon + 1);
  if (last.includes(".")) { // an embedded IPv4 tail: its 32 bits are the last two groups, nothing more
    if (!STRICT_V4.test(last)) return null;
    const o = last.split(".").map(Number) as [number, number, number, number];
    tail = [(o[0] << 8) | o[1], (o[2] << 8) | o[3]];
    head = text.endsWith("::", lastColon + 1) ? text.slice(0, lastColon + 1) : text.slice(0, lastColon);
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const groupsOf = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groupsOf(halves[0]!), right = halves.length === 2 ? groupsOf(halves[1]!) : [];
  for (const g of left) if (!HEX_GROUP.test(g)) return null;
  for (const g of right) if (!HEX_GROUP.test(g)) return null;
  const n = left.length + right.length + tail.length;
  if (halves.length === 1 ? n !== 8 : n > 7) return null; // "::" stands for at least one group
  const hex = (g: string) => parseInt(g, 16);
  return [...left.map(hex), ...new Array<number>(8 - n).fill(0), ...right.map(hex), ...tail];
}

/** IPv4-mapped (`::ffff:0:0/96`): the only IPv6 addresses that are IPv4 peers. */
function isMapped(g: readonly number[]): boolean {
  return g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff;
}

function mappedIPv4(g: readonly number[]): ipaddr.IPv4 {
  return new ipaddr.IPv4([g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff]);
}

/** Parses an address literal; IPv4-mapped IPv6 stays IPv6 here (see `unmap`). */
function parseLiteral(text: string): Address | null {
  if (STRICT_V4.test(text)) return ipaddr.IPv4.parse(text);
  const groups = parseIPv6Groups(text);
  return groups ? new ipaddr.IPv6(groups) : null;
}

function isMappedAddress(a: Address): a is ipaddr.IPv6 {
  return a.kind() === "ipv6" && isMapped((a as ipaddr.IPv6).parts);
}

function unmap(a: Address): Address {
  return isMappedAddress(a) ? mappedIPv4(a.parts) : a;
}

export function parseAddress(text: string): Address | null {
  const a = parseLiteral(text);
  return a ? unmap(a) : null;
}

export function isLoopback(a: Address): boolean {
  if (a.kind() === "ipv4") return (a as ipaddr.IPv4).octets[0] === 127;
  return (a as ipaddr.IPv6).parts.every((p, i) => p === (i === 7 ? 1 : 0));
}

export interface Peer {
  /** A parseable socket address; invalid peers are never loopback and never trusted. */
  valid: boolean;
  /** Canonical text (IPv4 dotted, IPv6 compressed); "" when invalid. */
  ip: string;
  loopback: boolean;
}

const INVALID_PEER: Peer = Object.freeze({ valid: false, ip: "", loopback: false });
const peerCache = new Map<string, Peer>();
const PEER_CACHE_SIZE = 4096;

/** The peer's facts; results are cached (peers repeat: the proxy's own address above all). */
export function normalizePeer(remoteAddress: unknown): Peer {
  if (typeof remoteAddress !== "string") return INVALID_PEER;
  let p = peerCache.get(remoteAddress);
  if (p) return p;
  const a = remoteAddress.length <= 64 ? parseAddress(remoteAddress) : null;
  p = a ? Object.freeze({ valid: true, ip: a.toString(), loopback: isLoopback(a) }) : INVALID_PEER;
  if (peerCache.size >= PEER_CACHE_SIZE) peerCache.clear();
  peerCache.set(remoteAddress, p);
  return p;
}

export interface ProxyEntry {
  /** The entry as configured. */
  entry: string;
  blank: boolean;
  valid: boolean;
  /** Normalised CIDR (network address / prefix) for net.cidr_contains; "" when invalid. */
  cidr: string;
  /** Exactly one address (/32, /128). */
  single: boolean;
  /** Every address of its family (/0 after mapping). */
  whole_family: boolean;
}

/** A trustedProxies entry: an address or CIDR, trimmed; host bits allowed; mapped CIDRs ≥ /96. */
export function parseProxyEntry(raw: string): ProxyEntry {
  const entry = raw;
  const text = trimSpace(raw);
  const invalid: ProxyEntry = { entry, blank: text === "", valid: false, cidr: "", single: false, whole_family: false };
  if (text === "") return invalid;
  const parts = text.split("/");
  if (parts.length > 2) return invalid;
  const literal = parseLiteral(parts[0]!);
  if (!literal) return invalid;
  let bits = literal.kind() === "ipv4" ? 32 : 128;
  if (parts.length === 2) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(parts[1]!)) return invalid;
    const n = Number(parts[1]);
    if (n > bits) return invalid;
    bits = n;
  }
  let addr: Address = literal;
  if (isMappedAddress(literal)) {
    if (bits < 96) return invalid;
    addr = mappedIPv4(literal.parts);
    bits -= 96;
  }
  const bytes = addr.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i] = bytes[i]! & ((0xff << (8 - keep)) & 0xff);
  }
  const network = ipaddr.fromByteArray(bytes);
  const width = addr.kind() === "ipv4" ? 32 : 128;
  return { entry, blank: false, valid: true, cidr: `${network.toString()}/${bits}`, single: bits === width, whole_family: bits === 0 };
}
