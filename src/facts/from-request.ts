// Request facts (spec section 3) from a Node request, shared by the gateway client and anything
// else that holds an IncomingMessage: the socket peer, the headers as data, and the transport.
// `ws` only for a real WebSocket upgrade; a plain request that merely carries `Upgrade: websocket`
// is `http` (it is routed and answered as HTTP, so it must be decided as HTTP).
import type { IncomingMessage } from "node:http";
import type { RequestFacts } from "./facts.js";

/** What the caller adds: the surface comes from the gateway's route, never from the client. */
export type RequestExtras = Pick<RequestFacts, "surface" | "password" | "rateLimited">;

/** Header values by lower-cased name, every value kept in order, in an object without a prototype. */
export type RequestHeaders = Record<string, string[]>;

const lowerAscii = (s: string): string => (/[A-Z]/.test(s) ? s.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : s);

/**
 * The headers as data, from `rawHeaders` (what arrived, names as sent): no prototype, so a header
 * named `__proto__` or `constructor` is a header like any other, never an inherited lookup.
 * Without `rawHeaders` (a request-like object) the own string / string[] entries of `headers`.
 */
export function requestHeaders(req: Pick<IncomingMessage, "rawHeaders" | "headers">): RequestHeaders {
  const out: RequestHeaders = Object.create(null);
  const add = (name: string, value: string) => { const k = lowerAscii(name); (out[k] ??= []).push(value); };
  const raw: unknown = req.rawHeaders;
  if (Array.isArray(raw)) {
    for (let i = 0; i + 1 < raw.length; i += 2) if (typeof raw[i] === "string" && typeof raw[i + 1] === "string") add(raw[i], raw[i + 1]);
    return out;
  }
  const h: unknown = req.headers;
  if (typeof h === "object" && h !== null) {
    for (const [name, v] of Object.entries(h)) {
      if (typeof v === "string") add(name, v);
      else if (Array.isArray(v)) for (const x of v) if (typeof x === "string") add(name, x);
    }
  }
  return out;
}

const hasToken = (values: string[] | undefined, token: string): boolean =>
  values?.some((v) => v.split(",").some((t) => lowerAscii(t.trim()) === token)) ?? false;

/**
 * A real WebSocket upgrade: Node delivered the request as an upgrade (`req.upgrade`, untyped, which
 * Node's HTTP server leaves true only on requests it hands to its `upgrade` listeners), method GET,
 * exactly one `Upgrade: websocket`, and a `Connection` header listing `upgrade`.
 */
export function isWebSocketUpgrade(req: { upgrade?: unknown; method?: string }, headers: RequestHeaders): boolean {
  if (req.upgrade !== true || req.method !== "GET") return false;
  const upgrade = headers.upgrade;
  return upgrade?.length === 1 && lowerAscii(upgrade[0]!.trim()) === "websocket" && hasToken(headers.connection, "upgrade");
}

/** Facts of spec section 3 from a Node request; only the known extras are copied. */
export function factsFromRequest(req: IncomingMessage, extras?: RequestExtras | null): RequestFacts {
  const x = extras ?? {};
  const headers = requestHeaders(req);
  const peer: unknown = req.socket?.remoteAddress;
  const facts: RequestFacts = {
    transport: isWebSocketUpgrade(req, headers) ? "ws" : "http",
    remoteAddress: typeof peer === "string" ? peer : null,
    headers,
  };
  if (x.surface !== undefined) facts.surface = x.surface;
  if (x.password !== undefined) facts.password = x.password;
  if (x.rateLimited !== undefined) facts.rateLimited = x.rateLimited;
  return facts;
}
