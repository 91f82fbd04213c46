import { describe, expect, it } from "vitest";
import { normalizePeer, parseProxyEntry } from "../../src/facts/address.js";
import { scanHeaders } from "../../src/facts/headers.js";
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
  ])("%s", (addr, want) => expect(normalizePeer(addr)).toEqual(want));

  it.each(["127.1", "0x7f.0.0.1", "0177.0.0.1", "010.0.0.1", "[::1]", "10.0.0.1:80", "::ffff:127.1", "fe80::1%eth0", "", " 10.0.0.1", "host"])(
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
  ])("%j → %s", (entry, cidr, single, whole) => {
    expect(parseProxyEntry(entry)).toMatchObject({ valid: true, cidr, single, whole_family: whole });
  });

  it.each(["10.0.0.0/33", "10.0.0.0/-1", "invalid/24", "2001:db8::/129", "::ffff:10.0.0.0/64", "10.0.0.0/08", "1.2.3.4/5/6", "proxy.internal", "${POD_IP}/32"])(
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

  it("keeps a blank scopes header as present", () => {
    expect(scanHeaders({ "x-openclaw-scopes": " " }, none).scopes).toEqual({ present: true, value: "" });
    expect(scanHeaders({ "x-openclaw-scopes": 1 }, none).scopes).toEqual({ present: false, value: "" });
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
