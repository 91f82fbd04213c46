// The service's timeouts and limits from `tpe serve` flags.
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, limitsFromFlags } from "../../src/server/limits.js";

describe("service limits", () => {
  it("defaults: 5 s headers, 10 s request, 5 s keep-alive, 1024 connections, 64 KiB bodies, 10 s shutdown", () => {
    expect(limitsFromFlags({})).toEqual({ headersTimeoutMs: 5000, requestTimeoutMs: 10000, keepAliveTimeoutMs: 5000, maxConnections: 1024, bodyLimitBytes: 65536, shutdownTimeoutMs: 10000 });
    expect(limitsFromFlags({})).toEqual(DEFAULT_LIMITS);
  });

  it("reads durations in milliseconds or with a unit, and whole numbers", () => {
    expect(limitsFromFlags({ headersTimeoutMs: "250", requestTimeoutMs: "1.5s", keepAliveTimeoutMs: "750ms", maxConnections: "8", bodyLimitBytes: "1000", shutdownTimeoutMs: "30s" }))
      .toEqual({ headersTimeoutMs: 250, requestTimeoutMs: 1500, keepAliveTimeoutMs: 750, maxConnections: 8, bodyLimitBytes: 1000, shutdownTimeoutMs: 30000 });
  });

  it.each([
    [{ shutdownTimeoutMs: "10 minutes" }, "--shutdown-timeout must be a duration of at least 1 ms, in milliseconds or with a unit: 500ms, 10s (got 10 minutes)"],
    [{ keepAliveTimeoutMs: "-1" }, "--keep-alive-timeout must be a duration"],
    [{ requestTimeoutMs: "0.1ms" }, "--request-timeout must be a duration of at least 1 ms"],
    [{ requestTimeoutMs: "9999999999" }, "--request-timeout must be a duration"],
    [{ maxConnections: "1e3" }, "--max-connections must be a whole number of connections, at least 1 (got 1e3)"],
    [{ bodyLimitBytes: "0" }, "--body-limit must be a whole number of bytes, at least 1 (got 0)"],
    [{ headersTimeoutMs: "11s" }, "--headers-timeout (11000 ms) must not be longer than --request-timeout (10000 ms)"],
  ])("refuses %j, naming the flag", (flags, message) => {
    expect(() => limitsFromFlags(flags)).toThrow(message);
  });
});
