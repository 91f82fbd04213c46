import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizePeer, parseProxyEntry } from "../../src/facts/address.js";
import { asciiLowerCase, trimAsciiSpace } from "../../src/facts/ascii.js";
import { normalizeHeaderName, scanHeaders } from "../../src/facts/headers.js";
import { trimSpace } from "../../src/facts/whitespace.js";
import { parseOrigin } from "../../src/facts/origin.js";
import { passwordState } from "../../src/facts/password.js";

describe("peer addresses", () => {
  it.each([
    ["10.0.0.1", { valid: true, ip: "10.0.0.1", loopback: false }],
    ["::ffff:10.0.0.1", { valid: true, ip: "10.0.0.1", loopback: false }],
    ["127.0.0.5", { valid: true, ip: "127.0.0.5", loopback: true }],
    ["::ffff:127.0.0.1", { valid: true, ip: "127.0.0.1", loopback: true }],
    ["::1", { valid: true, ip: "::1", loopback: true }],
    ["0:0:0:0:0:0:0:1", { valid: true, ip: "::1", loopback: true }],
    ["2001:DB8::1", { valid: true, ip: "2001:db8::1", loopback: false }],
    ["::FFFF:7F00:0001", { valid: true, ip: "127.0.0.1", loopback: true }],
    ["0:0:0:0:0:ffff:10.0.0.1", { valid: true, ip: "10.0.0.1", loopback: false }],
    // IPv4-compatible (deprecated), IPv4-translated and NAT64: the IPv6 addresses they spell
    ["::127.0.0.1", { valid: true, ip: "::7f00:1", loopback: false }],
    ["::7f00:1", { valid: true, ip: "::7f00:1", loopback: false }],
    ["::10.0.0.3", { valid: true, ip: "::a00:3", loopback: false }],
    ["0::127.0.0.1", { valid: true, ip: "::7f00:1", loopback: false }],
    ["::ffff:0:127.0.0.1", { valid: true, ip: "::ffff:0:7f00:1", loopback: false }],
    ["64:ff9b::127.0.0.1", { valid: true, ip: "64:ff9b::7f00:1", loopback: false }],
    ["::0.0.0.1", { valid: true, ip: "::1", loopback: true }],
    ["1:2:3:4:5:6:1.2.3.4", { valid: true, ip: "1:2:3:4:5:6:102:304", loopback: false }],
    ["::1:2:3:4:5:6:7", { valid: true, ip: "0:1:2:3:4:5:6:7", loopback: false }],
  ])("%s", (addr, want) => expect(normalizePeer(addr)).toEqual(want));

  it.each(["127.1", "0x7f.0.0.1", "0177.0.0.1", "010.0.0.1", "[::1]", "10.0.0.1:80", "::ffff:127.1", "fe80::1%eth0", "", " 10.0.0.1", "host",
    "::00001", "0:0:0:0:0:0:0:0:1", "0::0:0:0:0:0:0:0", "1::2::3", ":::1", "1:::2", ":1.2.3.4", "::1.2.3", "::1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4", "::ffff:01.2.3.4", "::g", ":1::", "1::2:"])(
    "%j is invalid (never loopback, never trusted)", (addr) => expect(normalizePeer(addr)).toEqual({ valid: false, ip: "", loopback: false }));

  it("treats absent and non-string peers as invalid", () => {
    expect(normalizePeer(null).valid).toBe(false);
    expect(normalizePeer(undefined).valid).toBe(false);
  });
});

describe("trustedProxies entries", () => {
  it.each([
    ["10.0.0.1", "10.0.0.1/32", true, false],
    [" 10.0.0.1/24 ", "10.0.0.0/24", false, false],
    ["::ffff:10.0.0.0/104", "10.0.0.0/8", false, false],
    ["::ffff:10.0.0.2/128", "10.0.0.2/32", true, false],
    ["::ffff:0.0.0.0/96", "0.0.0.0/0", false, true],
    ["0.0.0.0/0", "0.0.0.0/0", false, true],
    ["::/0", "::/0", false, true],
    ["2001:db8::1/128", "2001:db8::1/128", true, false],
    ["::FFFF:A00:0/104", "10.0.0.0/8", false, false],
    ["::10.0.0.3", "::a00:3/128", true, false],
    ["::10.0.0.0/104", "::a00:0/104", false, false],
    ["::127.0.0.1/128", "::7f00:1/128", true, false],
    ["64:ff9b::10.0.0.0/120", "64:ff9b::a00:0/120", false, false],
  ])("%j → %s", (entry, cidr, single, whole) => {
    expect(parseProxyEntry(entry)).toMatchObject({ valid: true, cidr, single, whole_family: whole });
  });

  it.each(["10.0.0.0/33", "10.0.0.0/-1", "invalid/24", "2001:db8::/129", "::ffff:10.0.0.0/64", "::00001/128", "::ffff:0:0/95", "10.0.0.0/08", "1.2.3.4/5/6", "proxy.internal", "${POD_IP}/32"])(
    "%j is invalid", (entry) => expect(parseProxyEntry(entry)).toMatchObject({ valid: false, blank: false }));

  it("marks blank entries", () => expect(parseProxyEntry("  ")).toMatchObject({ valid: false, blank: true }));
});

describe("headers", () => {
  const none = new Set<string>();
  it("lower-cases names, takes an array's first element, trims, drops blank and non-string values", () => {
    const wanted = new Set(["x-forwarded-user", "x-empty", "x-num", "x-list"]);
    const h = scanHeaders({ "X-Forwarded-User": ["  nick ", "evil"], "X-Empty": "  ", "X-Num": 42, "x-list": [], Host: "Gateway.Local" }, wanted);
    expect(h.wanted).toEqual({ "x-forwarded-user": "nick" });
    expect(h.host).toBe("Gateway.Local");
    expect(scanHeaders({ " X-A ": "1", "x-a": "2" }, new Set(["x-a"])).wanted).toEqual({ "x-a": "1" }); // the first occurrence wins
  });

  it("sees forwarded evidence by name, even empty", () => {
    expect(scanHeaders({ "X-Forwarded-For": "" }, none).forwarded).toBe(true);
    expect(scanHeaders({ forwarded: [] }, none).forwarded).toBe(true);
    expect(scanHeaders({ "x-real-ip": null }, none).forwarded).toBe(true);
    expect(scanHeaders({ "x-forwardedfor": "1" }, none).forwarded).toBe(false);
  });

  it("keeps a blank or non-string scopes header as present with no scopes (the first of two spellings wins)", () => {
    expect(scanHeaders({ "x-openclaw-scopes": " " }, none).scopes).toEqual({ present: true, value: "" });
    for (const v of [1, [], [42, "operator.admin"], null, {}, true])
      expect(scanHeaders({ "x-openclaw-scopes": v }, none).scopes, JSON.stringify(v)).toEqual({ present: true, value: "" });
    expect(scanHeaders({ "X-OpenClaw-Scopes": [], "x-openclaw-scopes": "operator.admin" }, none).scopes).toEqual({ present: true, value: "" });
    expect(scanHeaders({ "x-openclaw-\u017fcopes": "operator.admin" }, none).scopes).toEqual({ present: false, value: "" });
  });

  it("folds names in ASCII only: no Kelvin sign for k, no Unicode spaces trimmed", () => {
    const wanted = new Set(["x-kc-user"]);
    expect(scanHeaders({ "x-\u212ac-user": "nick" }, wanted).wanted).toEqual({});
    expect(scanHeaders({ "\u00a0x-kc-user": "nick", "x-kc-user\u3000": "nick" }, wanted).wanted).toEqual({});
    expect(scanHeaders({ " \tX-KC-User\r\n": "nick" }, wanted).wanted).toEqual({ "x-kc-user": "nick" });
    expect(scanHeaders({ "x-forwarded-\u212a": "" }, none).forwarded).toBe(true); // still starts with x-forwarded-
    expect(scanHeaders({ "\u00a0forwarded": "" }, none).forwarded).toBe(false);
    expect(normalizeHeaderName(" X-\u212aC-USER ")).toBe("x-\u212ac-user");
  });

  it("reads names as data: own keys only, __proto__ and constructor like any other name", () => {
    const raw = JSON.parse(`{"__proto__":" nick ","constructor":"x"}`) as Record<string, unknown>;
    const h = scanHeaders(raw, new Set(["__proto__", "constructor", "tostring"]));
    expect(Object.keys(h.wanted).sort()).toEqual(["__proto__", "constructor"]);
    expect(h.wanted["__proto__"]).toBe("nick");
    expect(Object.hasOwn(h.wanted, "tostring")).toBe(false);
    expect(scanHeaders(Object.create({ "x-a": "1", forwarded: "" }) as Record<string, unknown>, new Set(["x-a"]))).toMatchObject({ wanted: {}, forwarded: false });
  });
});

describe("ASCII folding and trimming", () => {
  it("lower-cases A-Z only and keeps every other character", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 20 }), (s) => {
      const want = Array.from({ length: s.length }, (_, i) => s.charCodeAt(i)).map((c) => String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c)).join("");
      expect(asciiLowerCase(s)).toBe(want);
    }), { numRuns: 500 });
    expect(asciiLowerCase("X-\u212a-\u0130")).toBe("x-\u212a-\u0130");
  });

  it("trims ASCII whitespace from names, and values as the policy's trim_space (Go's unicode.IsSpace) does", () => {
    expect(trimAsciiSpace("\u00a0 x \t")).toBe("\u00a0 x");
    expect(trimSpace("\u0085\u00a0\u3000 nick \u2028")).toBe("nick"); // JS trim() keeps U+0085
    expect(trimSpace("\ufeffnick")).toBe("\ufeffnick"); // and strips U+FEFF, which Go does not
    expect(trimSpace(" \t\n")).toBe("");
  });
});

describe("origins", () => {
  it.each([
    ["https://Control.Example.com", { present: true, valid: true, normalized: "https://control.example.com", host: "control.example.com" }],
    ["https://control.example.com:443/path?q#f", { present: true, valid: true, normalized: "https://control.example.com", host: "control.example.com" }],
    ["http://user:pw@gw.local:8080", { present: true, valid: true, normalized: "http://gw.local:8080", host: "gw.local:8080" }],
    ["null", { present: true, valid: false, normalized: "", host: "" }],
    ["file:///etc/passwd", { present: true, valid: false, normalized: "", host: "" }],
    ["not a url", { present: true, valid: false, normalized: "", host: "" }],
  ])("%s", (o, want) => expect(parseOrigin(o)).toEqual(want));

  it("treats no origin as absent", () => expect(parseOrigin(undefined).present).toBe(false));
});

describe("password", () => {
  it("compares exactly, and only non-empty presented passwords count", () => {
    expect(passwordState("pw", "pw")).toBe("match");
    expect(passwordState(" pw", "pw")).toBe("mismatch");
    expect(passwordState("", "pw")).toBe("absent");
    expect(passwordState(undefined, "pw")).toBe("absent");
    expect(passwordState("pw", null)).toBe("absent");
  });
});
