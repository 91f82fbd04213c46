// Addresses with ipaddr.js, as spec section 3 defines them: IPv4 only as four decimal parts
// without leading zeros, IPv6 as ipaddr.js accepts it (no zone, brackets or port), IPv4-mapped
// IPv6 as IPv4.
import ipaddr from "ipaddr.js";

type Address = ipaddr.IPv4 | ipaddr.IPv6;

const OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const STRICT_V4 = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

/** Parses an address literal; IPv4-mapped IPv6 stays IPv6 here (see `unmap`). */
function parseLiteral(text: string): Address | null {
  if (STRICT_V4.test(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes(":") || /[[\]%/\s]/.test(text)) return null;
  const tail = text.slice(text.lastIndexOf(":") + 1);
  if (tail.includes(".") && !STRICT_V4.test(tail)) return null;
  if (!ipaddr.IPv6.isValid(text)) return null;
  try { return ipaddr.IPv6.parse(text); } catch { return null; }
}

function unmap(a: Address): Address {
  return a.kind() === "ipv6" && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
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
  const text = raw.trim();
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
  if (literal.kind() === "ipv6" && (literal as ipaddr.IPv6).isIPv4MappedAddress()) {
    if (bits < 96) return invalid;
    addr = (literal as ipaddr.IPv6).toIPv4Address();
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
