// The reused, space-padded input buffers the engine hands to the SDK.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputEncoder } from "../../src/engine/input-encoder.js";
import { createEngineSync } from "../../src/index.js";

const text = (b: ArrayBuffer) => new TextDecoder().decode(b);

describe("input encoder", () => {
  it("writes the text as UTF-8, padded with spaces to the buffer size, for any string", () => {
    const enc = new InputEncoder();
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 700 }), (s) => {
      const json = JSON.stringify({ s });
      const b = enc.encode(json);
      expect(text(b).trimEnd()).toBe(json);
      expect(JSON.parse(text(b))).toEqual({ s });
      expect(b.byteLength).toBeGreaterThanOrEqual(Buffer.byteLength(json));
    }), { numRuns: 300 });
  });

  it("grows past the first size when multi-byte characters do not fit, and reuses buffers", () => {
    const enc = new InputEncoder();
    const wide = JSON.stringify("é".repeat(200)); // 202 characters, 402 bytes
    const b = enc.encode(wide);
    expect(b.byteLength).toBe(512);
    expect(JSON.parse(text(b))).toBe("é".repeat(200));
    expect(enc.encode(JSON.stringify("x".repeat(300)))).toBe(b); // same size class, same buffer
    expect(enc.encode("{}").byteLength).toBe(256);
  });

  it("lets the policy read non-ASCII facts exactly (padding and multi-byte text through the wasm)", () => {
    const config = { gateway: { trustedProxies: ["10.0.0.1"], auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user", allowUsers: ["nïck@例え.jp"] } } } };
    const e = createEngineSync({ config, env: {}, decisionCache: 0 });
    const d = e.decide({ remoteAddress: "10.0.0.1", headers: { "x-forwarded-user": "nïck@例え.jp" } });
    expect(d).toMatchObject({ allow: true, user: "nïck@例え.jp" });
    const long = "ü".repeat(5000);
    expect(e.decide({ remoteAddress: "10.0.0.1", headers: { "x-forwarded-user": long } })).toMatchObject({ allow: false, reason: "trusted_proxy_user_not_allowed" });
    expect(e.decide({ remoteAddress: "10.0.0.1", headers: { "x-forwarded-user": "nïck@例え.jp" } })).toEqual(d);
  });
});
