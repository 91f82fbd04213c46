// net.cidr_contains, net.cidr_intersects, net.cidr_is_valid with Go's net package semantics:
// IPv4 is stored as IPv4-mapped IPv6 (16 bytes); a network whose address is IPv4 (or mapped)
// is an IPv4 network, and IPv4 and IPv6 never contain one another.
import { boolValue } from "../value";
import { ptr, isStr, str } from "./args";

const A = memory.data(16); // scratch: first address
const B = memory.data(16); // scratch: second address

/** Parses a dotted IPv4 address into out[12..16]; Go rejects leading zeros. */
function parseV4(p: usize, len: i32, out: usize): bool {
  let part = 0, digits = 0, val = 0;
  for (let i = 0; i <= len; i++) {
    const c = i < len ? <i32>load<u8>(p + <usize>i) : 0x2e;
    if (c == 0x2e) {
      if (digits == 0 || part > 3) return false;
      store<u8>(out + 12 + <usize>part, <u8>val);
      part++; digits = 0; val = 0;
      continue;
    }
    if (c < 0x30 || c > 0x39) return false;
    if (digits > 0 && val == 0) return false; // leading zero
    val = val * 10 + (c - 0x30);
    digits++;
    if (val > 255) return false;
  }
  if (part != 4) return false;
  memory.fill(out, 0, 10);
  store<u8>(out + 10, 0xff);
  store<u8>(out + 11, 0xff);
  return true;
}

function hexDigit(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function parseV6(p: usize, len: i32, out: usize): bool {
  memory.fill(out, 0, 16);
  let i = 0, n = 0, ellipsis = -1; // n: bytes written
  if (len >= 2 && load<u8>(p) == 0x3a && load<u8>(p + 1) == 0x3a) {
    ellipsis = 0; i = 2;
    if (i == len) return true;
  }
  while (i < len) {
    let v = 0, d = 0;
    const start = i;
    while (i < len && d < 4) {
      const h = hexDigit(<i32>load<u8>(p + <usize>i));
      if (h < 0) break;
      v = (v << 4) | h; d++; i++;
    }
    if (d == 0) return false;
    if (i < len && load<u8>(p + <usize>i) == 0x2e) { // embedded IPv4 tail
      if (ellipsis < 0 && n != 12) return false;
      if (n + 4 > 16) return false;
      const tmp = memory.data(16);
      if (!parseV4(p + <usize>start, len - start, tmp)) return false;
      memory.copy(out + <usize>n, tmp + 12, 4);
      n += 4; i = len;
      break;
    }
    if (n + 2 > 16) return false;
    store<u8>(out + <usize>n, <u8>(v >> 8));
    store<u8>(out + <usize>n + 1, <u8>v);
    n += 2;
    if (i == len) break;
    if (load<u8>(p + <usize>i) != 0x3a) return false;
    i++;
    if (i < len && load<u8>(p + <usize>i) == 0x3a) {
      if (ellipsis >= 0) return false;
      ellipsis = n; i++;
      if (i == len) break;
    } else if (i == len) return false;
  }
  if (n < 16) {
    if (ellipsis < 0) return false;
    const tail = n - ellipsis;
    for (let k = tail - 1; k >= 0; k--) {
      store<u8>(out + 16 - <usize>tail + <usize>k, load<u8>(out + <usize>ellipsis + <usize>k));
    }
    memory.fill(out + <usize>ellipsis, 0, <usize>(16 - n));
  } else if (ellipsis >= 0 && ellipsis != n) {
    // "::" must stand for at least one group
    return false;
  }
  return true;
}

function hasByte(p: usize, len: i32, c: u8): i32 {
  for (let i = 0; i < len; i++) if (load<u8>(p + <usize>i) == c) return i;
  return -1;
}

/** Go's net.ParseIP into 16 bytes. */
export function parseIP(p: usize, len: i32, out: usize): bool {
  if (len == 0) return false;
  if (hasByte(p, len, 0x3a) >= 0) return parseV6(p, len, out);
  return parseV4(p, len, out);
}

function isMapped(a: usize): bool {
  for (let i = 0; i < 10; i++) if (load<u8>(a + <usize>i) != 0) return false;
  return load<u8>(a + 10) == 0xff && load<u8>(a + 11) == 0xff;
}

// A parsed network: address in 16 bytes plus prefix bits counted over 128.
let netBits: i32 = 0;
let netIsV4: bool = false;

/** Go's net.ParseCIDR: the address (masked) into out; sets netBits / netIsV4. */
function parseCIDR(p: usize, len: i32, out: usize): bool {
  const slash = hasByte(p, len, 0x2f);
  if (slash < 0) return false;
  const v6Text = hasByte(p, slash, 0x3a) >= 0;
  if (!parseIP(p, slash, out)) return false;
  let bits = 0, digits = 0;
  for (let i = slash + 1; i < len; i++) {
    const c = <i32>load<u8>(p + <usize>i);
    if (c < 0x30 || c > 0x39) return false;
    if (digits > 0 && bits == 0) return false;
    bits = bits * 10 + (c - 0x30); digits++;
    if (bits > 128) return false;
  }
  if (digits == 0) return false;
  if (!v6Text && bits > 32) return false;
  let bits128 = v6Text ? bits : bits + 96;
  netIsV4 = isMapped(out);
  if (netIsV4 && v6Text) bits128 = max(bits, 96); // a mapped network: Go keeps only the IPv4 part of the mask
  netBits = bits128;
  applyMask(out, bits128);
  return true;
}

function applyMask(a: usize, bits: i32): void {
  for (let i = 0; i < 16; i++) {
    const keep = bits >= (i + 1) * 8 ? 8 : bits <= i * 8 ? 0 : bits - i * 8;
    const mask = keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    store<u8>(a + <usize>i, <u8>(load<u8>(a + <usize>i) & mask));
  }
}

function containsAddr(net: usize, bits: i32, isV4: bool, ip: usize): bool {
  if (isMapped(ip) != isV4) return false;
  for (let i = 0; i < 16; i++) {
    const keep = bits >= (i + 1) * 8 ? 8 : bits <= i * 8 ? 0 : bits - i * 8;
    const mask = keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff;
    if ((load<u8>(ip + <usize>i) & mask) != load<u8>(net + <usize>i)) return false;
  }
  return true;
}

/** Last address of a network (all host bits set). */
function lastAddr(a: usize, bits: i32, out: usize): void {
  for (let i = 0; i < 16; i++) {
    const keep = bits >= (i + 1) * 8 ? 8 : bits <= i * 8 ? 0 : bits - i * 8;
    const host = keep == 8 ? 0 : (0xff >> keep) & 0xff;
    store<u8>(out + <usize>i, <u8>(load<u8>(a + <usize>i) | host));
  }
}

export function rt_b_net_cidr_contains(c: usize, x: usize): usize {
  if (!isStr(c) || !isStr(x)) return 0;
  if (!parseCIDR(str(c).ptr, str(c).len, A)) return 0;
  const bits = netBits, v4 = netIsV4;
  const xp = str(x).ptr, xl = str(x).len;
  if (hasByte(xp, xl, 0x2f) >= 0) {
    if (!parseCIDR(xp, xl, B)) return 0;
    const last = memory.data(16);
    lastAddr(B, netBits, last);
    return ptr(boolValue(containsAddr(A, bits, v4, B) && containsAddr(A, bits, v4, last)));
  }
  if (!parseIP(xp, xl, B)) return 0;
  return ptr(boolValue(containsAddr(A, bits, v4, B)));
}

export function rt_b_net_cidr_intersects(a: usize, b: usize): usize {
  if (!isStr(a) || !isStr(b)) return 0;
  if (!parseCIDR(str(a).ptr, str(a).len, A)) return 0;
  const bitsA = netBits, v4A = netIsV4;
  if (!parseCIDR(str(b).ptr, str(b).len, B)) return 0;
  const bitsB = netBits, v4B = netIsV4;
  if (v4A != v4B) return ptr(boolValue(false));
  return ptr(boolValue(containsAddr(A, bitsA, v4A, B) || containsAddr(B, bitsB, v4B, A)));
}

export function rt_b_net_cidr_is_valid(c: usize): usize {
  if (!isStr(c)) return ptr(boolValue(false));
  return ptr(boolValue(parseCIDR(str(c).ptr, str(c).len, A)));
}

// ---- net.cidr_contains_matches -------------------------------------------------------------------

import { Value, Bool, Str, Arr, Obj, SetV, intValue, setAdd, T_STR, T_ARR, T_OBJ, T_SET } from "../value";
import { val } from "./args";

/** (key, address text) pairs of a string, array, set or object operand; tuples give their first element. */
function addEntry(keys: Array<Value>, texts: Array<Str>, k: Value, item: Value): bool {
  if (item.t == T_STR) { keys.push(k); texts.push(changetype<Str>(item)); return true; }
  if (item.t == T_ARR) {
    const a = changetype<Arr>(item).items;
    if (a.length > 0 && unchecked(a[0]).t == T_STR) { keys.push(k); texts.push(changetype<Str>(unchecked(a[0]))); return true; }
  }
  return false;
}

function matchEntries(p: usize, keys: Array<Value>, texts: Array<Str>): bool {
  if (p == 0) return false;
  const v = val(p);
  switch (v.t) {
    case T_STR: return addEntry(keys, texts, v, v);
    case T_ARR: {
      const a = changetype<Arr>(v).items;
      for (let i = 0; i < a.length; i++) if (!addEntry(keys, texts, intValue(i), unchecked(a[i]))) return false;
      return true;
    }
    case T_SET: {
      const a = changetype<SetV>(v).items;
      for (let i = 0; i < a.length; i++) if (!addEntry(keys, texts, unchecked(a[i]), unchecked(a[i]))) return false;
      return true;
    }
    case T_OBJ: {
      const o = changetype<Obj>(v);
      for (let i = 0; i < o.keys.length; i++) if (!addEntry(keys, texts, unchecked(o.keys[i]), unchecked(o.vals[i]))) return false;
      return true;
    }
  }
  return false;
}

export function rt_b_net_cidr_contains_matches(a: usize, b: usize): usize {
  const ka = new Array<Value>(0), ta = new Array<Str>(0);
  const kb = new Array<Value>(0), tb = new Array<Str>(0);
  if (!matchEntries(a, ka, ta) || !matchEntries(b, kb, tb)) return 0;
  const out = new SetV();
  for (let i = 0; i < ta.length; i++) {
    for (let j = 0; j < tb.length; j++) {
      const r = rt_b_net_cidr_contains(changetype<usize>(unchecked(ta[i])), changetype<usize>(unchecked(tb[j])));
      if (r == 0) return 0; // an invalid CIDR or address is an error
      if (changetype<Bool>(r).b) {
        const pair = new Arr(2);
        pair.items.push(unchecked(ka[i]));
        pair.items.push(unchecked(kb[j]));
        setAdd(out, pair);
      }
    }
  }
  return changetype<usize>(out);
}
