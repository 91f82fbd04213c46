// fast-check generators of gateway configs and request facts around the interesting edges.
import fc from "fast-check";

export const ADDRESSES = [
  "10.0.0.1", "::ffff:10.0.0.1", "10.0.0.2", "10.1.2.3", "127.0.0.1", "::ffff:127.0.0.1", "127.0.0.2", "::1",
  "2001:db8::1", "2001:db8::2", "192.168.1.1", "0177.0.0.1", "127.1", "not-an-ip", "", "[::1]", "10.0.0.1:8080",
  // IPv4-compatible, IPv4-translated and NAT64 forms: IPv6, never the IPv4 address in their tail
  "::127.0.0.1", "::10.0.0.1", "::ffff:0:127.0.0.1", "64:ff9b::10.0.0.1", "::7f00:1", "::a00:1",
  // not addresses: a zone, a 5-digit group, two "::", a short tail
  "fe80::1%eth0", "::00001", "1::2::3", "::1.2.3",
];
export const PROXY_ENTRIES = ["10.0.0.1", "10.0.0.0/8", "127.0.0.1", "::1", "::1/128", "::ffff:10.0.0.0/104", "2001:db8::/32", "::/0", "bogus", " 10.0.0.1 ", "127.0.0.0/8",
  "::10.0.0.1", "::127.0.0.1/128", "::10.0.0.0/104", "::FFFF:A00:0/104", "::ffff:0:0/96"];

// ---- spellings of one address: every one must read as the same address ------------------------

/** The eight groups of an address; an IPv4 one as its mapped IPv6 form. */
const groupsOfV4 = (a: number, b: number, c: number, d: number) => [0, 0, 0, 0, 0, 0xffff, (a << 8) | b, (c << 8) | d];
export const BASE_ADDRESSES: readonly (readonly number[])[] = [
  groupsOfV4(10, 0, 0, 1), groupsOfV4(127, 0, 0, 1), groupsOfV4(10, 0, 0, 2), groupsOfV4(127, 0, 0, 2),
  [0, 0, 0, 0, 0, 0, 0, 1], [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0x7f00, 1], [0, 0, 0, 0, 0, 0, 0xa00, 1],
  [0x64, 0xff9b, 0, 0, 0, 0, 0xa00, 1], [0, 0, 0, 0, 0xffff, 0, 0x7f00, 1], [0, 0, 0, 0, 0, 0, 0, 0],
];

/** Every zero run [i, j) of the first `n` groups: each may be written "::". */
function zeroRuns(g: readonly number[], n: number): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j <= n && g[j - 1] === 0; j++) runs.push([i, j]);
  return runs;
}

/** One spelling of the address `g`: leading zeros per group, upper or lower case per group, any
 *  zero run compressed (or none), the last 32 bits in hex or dotted, an IPv4 one also dotted alone. */
export function spellingArb(g: readonly number[]): fc.Arbitrary<string> {
  return fc.record({
    pad: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }),
    upper: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    dotted: fc.boolean(),
    run: fc.nat(),
    plainV4: fc.boolean(),
  }).map(({ pad, upper, dotted, run, plainV4 }) => {
    const quad = `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
    if (plainV4 && g.slice(0, 6).join() === "0,0,0,0,0,65535") return quad;
    const n = dotted ? 6 : 8;
    const hex = g.slice(0, n).map((x, i) => {
      const h = x.toString(16);
      const t = "0".repeat(Math.min(pad[i]!, 4 - h.length)) + h;
      return upper[i] ? t.toUpperCase() : t;
    });
    const tail = dotted ? [quad] : [];
    const runs = zeroRuns(g, n);
    const pick = run % (runs.length + 1);
    if (pick === runs.length) return [...hex, ...tail].join(":");
    const [i, j] = runs[pick]!;
    return `${hex.slice(0, i).join(":")}::${[...hex.slice(j), ...tail].join(":")}`;
  });
}

/** A spelling of one of the base addresses. */
export const spelledAddressArb = fc.constantFrom(...BASE_ADDRESSES).chain(spellingArb);

/** A header name's look-alikes: non-ASCII characters that JS case mapping or trim() would read as
 *  ASCII (Kelvin sign, long s, dotted/dotless i), Unicode spaces around it, or a fullwidth letter. */
export function lookAlikeArb(name: string): fc.Arbitrary<string> {
  const swaps: [RegExp, string][] = [[/k/i, "\u212a"], [/s/i, "\u017f"], [/i/i, "\u0130"], [/i/i, "\u0131"], [/[a-z]/, "\uff41"]];
  const usable = swaps.filter(([re]) => re.test(name));
  return fc.oneof(
    ...usable.map(([re, c]) => fc.constant(name.replace(re, c))),
    fc.constantFrom("\u00a0", "\u3000", "\ufeff", "\u0085", "\u2028").map((sp) => `${sp}${name}`),
    fc.constantFrom("\u00a0", "\u3000", "\ufeff", "\u0085", "\u2028").map((sp) => `${name}${sp}`),
  );
}
export const USERS = ["nick@example.com", "Nick@example.com", " nick@example.com", "agent@internal", "mitch@example.com", ""];
export const ORIGINS = ["https://control.example.com", "https://CONTROL.example.com:443", "https://evil.example", "null", "not a url", "", "http://gateway.local"];

export const configArb = fc.record({
  trustedProxies: fc.subarray(PROXY_ENTRIES, { minLength: 1 }),
  trustedSpelling: fc.option(spelledAddressArb, { nil: undefined }),
  userHeader: fc.constantFrom("x-forwarded-user", "X-Forwarded-User", " x-auth-request-email ", "x-kc-user", "constructor"),
  requiredHeaders: fc.subarray(["x-forwarded-proto", "X-Forwarded-Host"]),
  allowUsers: fc.subarray(["nick@example.com", "agent@internal"]),
  allowLoopback: fc.boolean(),
  loopbackUser: fc.option(fc.constantFrom("agent@internal", " agent@internal "), { nil: undefined }),
  password: fc.option(fc.constantFrom("local-password", "pw"), { nil: undefined }),
  allowedOrigins: fc.subarray(["https://control.example.com", "*", " HTTPS://Control.Example.com "], { minLength: 1 }),
  hostFallback: fc.boolean(),
}).map((c) => ({
  gateway: {
    bind: "lan",
    trustedProxies: c.trustedSpelling === undefined ? c.trustedProxies : [...c.trustedProxies, c.trustedSpelling],
    auth: {
      mode: "trusted-proxy",
      ...(c.password !== undefined ? { password: c.password } : {}),
      trustedProxy: {
        userHeader: c.userHeader,
        requiredHeaders: c.requiredHeaders,
        allowUsers: c.allowUsers,
        allowLoopback: c.allowLoopback,
        ...(c.loopbackUser !== undefined ? { loopbackUser: c.loopbackUser } : {}),
      },
    },
    controlUi: { allowedOrigins: c.allowedOrigins, dangerouslyAllowHostHeaderOriginFallback: c.hostFallback },
  },
}));

/** Header values as a caller may send them: strings, arrays (empty, first element blank or not a
 *  string) and every other JSON type. */
const oddValue = fc.constantFrom<unknown>([], [42, "nick@example.com"], [null], [[]], 42, 0, true, false, null, {}, { 0: "nick@example.com" });
const headerValue = fc.oneof(
  fc.constantFrom(...USERS),
  fc.constant(["nick@example.com", "evil@example.com"]),
  fc.constant(["  ", "nick@example.com"]),
  fc.constant(["\ufeffnick@example.com\u0085"]),
  oddValue,
);
const scopesValue = fc.oneof(
  fc.constantFrom<unknown>("operator.read", " operator.read , ,operator.write ", "", " ", "\u0085operator.admin", ["operator.read"], ["", "operator.admin"]),
  oddValue,
);

export const factsArb = fc.record({
  transport: fc.constantFrom("http", "ws"),
  surface: fc.constantFrom("api", "control-ui", "plugin"),
  remoteAddress: fc.option(fc.oneof(fc.constantFrom(...ADDRESSES), spelledAddressArb), { nil: null }),
  headers: fc.record({
    "x-forwarded-user": headerValue,
    "X-Forwarded-User": headerValue,
    "x-auth-request-email": headerValue,
    "x-kc-user": headerValue,
    "x-\u212ac-user": headerValue, // Kelvin sign: never x-kc-user
    "X-\u212aC-USER": headerValue,
    "\u00a0x-forwarded-user": headerValue, // a no-break space is not trimmed from a name
    "x-forwarded-u\u017fer": headerValue, // long s: JS upper-cases it to S
    "x-forwarded-proto": fc.constantFrom("https", "", "  "),
    "x-forwarded-host": fc.constantFrom("gateway.example.com", ""),
    "x-forwarded-for": fc.constant("203.0.113.10"),
    forwarded: fc.constant("for=203.0.113.10"),
    "x-real-ip": fc.constant(""),
    origin: fc.constantFrom(...ORIGINS),
    host: fc.constantFrom("gateway.local", "control.example.com", ""),
    "x-openclaw-scopes": scopesValue,
    "X-OpenClaw-Scopes": scopesValue,
    "x-openclaw-\u017fcopes": scopesValue,
  }, { requiredKeys: [] }),
  // names that are Object.prototype members: own keys, as JSON.parse makes them
  protoHeaders: fc.dictionary(fc.constantFrom("__proto__", "constructor", "toString", "hasOwnProperty"), headerValue, { maxKeys: 2 }),
  password: fc.option(fc.constantFrom("local-password", "pw", "wrong", ""), { nil: undefined }),
  rateLimited: fc.option(fc.boolean(), { nil: undefined }),
}, { requiredKeys: ["headers", "protoHeaders"] }).map(({ protoHeaders, ...f }) => {
  if (Object.keys(protoHeaders).length === 0) return f;
  // JSON text, so that "__proto__" becomes an own key; the order of the names is kept
  const entries = [...Object.entries(f.headers), ...Object.entries(protoHeaders)];
  const headers = JSON.parse(`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`) as typeof f.headers;
  return { ...f, headers };
});
