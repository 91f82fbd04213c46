// The service's timeouts and limits against slow and hostile clients: their defaults, the
// `tpe serve` flags that set them, and the checks on those values.

export interface ServiceLimits {
  /** Time for a request's line and headers to arrive (a slowloris client is answered 408); a new
   *  connection that sends nothing for this long is closed. Milliseconds. */
  headersTimeoutMs: number;
  /** Time for a whole request, body included, to arrive (else 408). Milliseconds. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this long. Milliseconds. */
  keepAliveTimeoutMs: number;
  /** Open connections at most; more are closed as soon as they are accepted. */
  maxConnections: number;
  /** Request body size at most, bytes (else 413). */
  bodyLimitBytes: number;
  /** On SIGTERM/SIGINT: what is still open this long after the signal is closed. Milliseconds. */
  shutdownTimeoutMs: number;
}

export const DEFAULT_LIMITS: Readonly<ServiceLimits> = Object.freeze({
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
  bodyLimitBytes: 64 * 1024,
  shutdownTimeoutMs: 10_000,
});

/** Each limit's `tpe serve` flag, for messages. */
export const LIMIT_FLAGS: Readonly<Record<keyof ServiceLimits, string>> = Object.freeze({
  headersTimeoutMs: "--headers-timeout",
  requestTimeoutMs: "--request-timeout",
  keepAliveTimeoutMs: "--keep-alive-timeout",
  maxConnections: "--max-connections",
  bodyLimitBytes: "--body-limit",
  shutdownTimeoutMs: "--shutdown-timeout",
});

const DURATION = /^(\d+(?:\.\d+)?)(ms|s)?$/;
const WHOLE = /^\d+$/;
/** Node's timers take at most 2^31-1 ms. */
const MAX_MS = 2 ** 31 - 1;

/** A duration flag: milliseconds, or with a unit (`500ms`, `10s`). */
export function parseDuration(flag: string, text: string): number {
  const m = DURATION.exec(text.trim());
  const ms = m ? Math.round(Number(m[1]) * (m[2] === "s" ? 1000 : 1)) : NaN;
  if (!m || !(ms >= 1) || ms > MAX_MS) throw new Error(`${flag} must be a duration of at least 1 ms, in milliseconds or with a unit: 500ms, 10s (got ${text})`);
  return ms;
}

/** A count or size flag: a whole number of at least 1. */
export function parseCount(flag: string, text: string, unit: string): number {
  const n = Number(text.trim());
  if (!WHOLE.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} must be a whole number of ${unit}, at least 1 (got ${text})`);
  return n;
}

/** The limits from `tpe serve` flag values (absent ones keep their default); throws naming the flag. */
export function limitsFromFlags(flags: Partial<Record<keyof ServiceLimits, string>>): ServiceLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(LIMIT_FLAGS) as (keyof ServiceLimits)[]) {
    const text = Object.hasOwn(flags, key) ? flags[key] : undefined;
    if (text === undefined) continue;
    out[key] = key === "maxConnections" ? parseCount(LIMIT_FLAGS[key], text, "connections")
      : key === "bodyLimitBytes" ? parseCount(LIMIT_FLAGS[key], text, "bytes")
      : parseDuration(LIMIT_FLAGS[key], text);
  }
  return checkLimits(out);
}

/** Limits that hold together: Node refuses a headers timeout longer than the request timeout. */
export function checkLimits(l: ServiceLimits): ServiceLimits {
  if (l.headersTimeoutMs > l.requestTimeoutMs) {
    throw new Error(`--headers-timeout (${l.headersTimeoutMs} ms) must not be longer than --request-timeout (${l.requestTimeoutMs} ms): the headers are part of the request`);
  }
  return l;
}
