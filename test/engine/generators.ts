// fast-check generators of gateway configs and request facts around the interesting edges.
import fc from "fast-check";

export const ADDRESSES = [
  "10.0.0.1", "::ffff:10.0.0.1", "10.0.0.2", "10.1.2.3", "127.0.0.1", "::ffff:127.0.0.1", "127.0.0.2", "::1",
  "2001:db8::1", "2001:db8::2", "192.168.1.1", "0177.0.0.1", "127.1", "not-an-ip", "", "[::1]", "10.0.0.1:8080",
];
export const PROXY_ENTRIES = ["10.0.0.1", "10.0.0.0/8", "127.0.0.1", "::1", "::1/128", "::ffff:10.0.0.0/104", "2001:db8::/32", "::/0", "bogus", " 10.0.0.1 ", "127.0.0.0/8"];
export const USERS = ["nick@example.com", "Nick@example.com", " nick@example.com", "agent@internal", "mitch@example.com", ""];
export const ORIGINS = ["https://control.example.com", "https://CONTROL.example.com:443", "https://evil.example", "null", "not a url", "", "http://gateway.local"];

export const configArb = fc.record({
  trustedProxies: fc.subarray(PROXY_ENTRIES, { minLength: 1 }),
  userHeader: fc.constantFrom("x-forwarded-user", "X-Forwarded-User", " x-auth-request-email "),
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
    trustedProxies: c.trustedProxies,
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

const headerValue = fc.oneof(
  fc.constantFrom(...USERS),
  fc.constant(["nick@example.com", "evil@example.com"]),
  fc.constant(["  ", "nick@example.com"]),
  fc.constant([]),
  fc.constant(42),
  fc.constant(null),
);

export const factsArb = fc.record({
  transport: fc.constantFrom("http", "ws"),
  surface: fc.constantFrom("api", "control-ui", "plugin"),
  remoteAddress: fc.option(fc.constantFrom(...ADDRESSES), { nil: null }),
  headers: fc.record({
    "x-forwarded-user": headerValue,
    "X-Forwarded-User": headerValue,
    "x-auth-request-email": headerValue,
    "x-forwarded-proto": fc.constantFrom("https", "", "  "),
    "x-forwarded-host": fc.constantFrom("gateway.example.com", ""),
    "x-forwarded-for": fc.constant("203.0.113.10"),
    forwarded: fc.constant("for=203.0.113.10"),
    "x-real-ip": fc.constant(""),
    origin: fc.constantFrom(...ORIGINS),
    host: fc.constantFrom("gateway.local", "control.example.com", ""),
    "x-openclaw-scopes": fc.constantFrom("operator.read", " operator.read , ,operator.write ", ""),
  }, { requiredKeys: [] }),
  password: fc.option(fc.constantFrom("local-password", "pw", "wrong", ""), { nil: undefined }),
  rateLimited: fc.option(fc.boolean(), { nil: undefined }),
}, { requiredKeys: ["headers"] });
