// The gateway's decision client: facts from a Node request (or plain facts) → the service's
// decision. Keep-alive connections (undici). Only a 200 with a JSON body that is exactly a decision
// answer (src/decision) is taken; anything else — another status, a redirect, another content type,
// a body that is too large, not strict JSON or not a decision, a timeout, a connection error — is
// a deny with reason decision_service_unavailable and an error saying why: the gateway fails closed.
import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import { Agent, request } from "undici";
import type { DecisionMethod } from "../decision/document.js";
import { factsFromRequest } from "../facts/from-request.js";
import { checkAnswer, contentTypeProblem } from "./answer.js";

export { factsFromRequest };

/** The service's answer as it came (spec section 6 plus decision id and revision), or a deny
 *  with reason decision_service_unavailable and the error. */
export interface ClientDecision {
  allow: boolean;
  reason: string | null;
  user: string | null;
  method: DecisionMethod | null;
  scopes: string[];
  decision_id?: string;
  /** The policy revision that decided. */
  revision?: string;
  /** Why the service could not be asked or its answer was not taken (only with decision_service_unavailable). */
  error?: string;
}

export interface DecisionClientOptions {
  /** The service's base URL, e.g. http://127.0.0.1:8181 */
  url: string;
  /** Per-decision deadline (default 1000 ms). */
  timeoutMs?: number;
  /** Kept-alive connections to the service (default 16). */
  connections?: number;
  /** Largest answer body taken, in bytes (default 256 KiB; a decision's scopes come from a request header). */
  maxAnswerBytes?: number;
}

export const DEFAULT_MAX_ANSWER_BYTES = 256 * 1024;

export interface FactsExtras {
  surface?: "api" | "control-ui" | "plugin";
  password?: string;
  rateLimited?: boolean;
}

export interface DecisionClient {
  decide(reqOrFacts: IncomingMessage | Record<string, unknown>, extras?: FactsExtras): Promise<ClientDecision>;
  close(): Promise<void>;
}

export function unavailable(error: string): ClientDecision {
  return { allow: false, reason: "decision_service_unavailable", user: null, method: null, scopes: [], error };
}

function isIncomingMessage(x: unknown): x is IncomingMessage {
  return typeof x === "object" && x !== null && "socket" in x && "headers" in x && typeof (x as IncomingMessage).method === "string";
}


export function createDecisionClient(opts: DecisionClientOptions): DecisionClient {
  const timeoutMs = positive("timeoutMs", opts.timeoutMs ?? 1000);
  const maxBytes = positive("maxAnswerBytes", opts.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES);
  const connections = positive("connections", opts.connections ?? 16);
  const endpoint = decisionEndpoint(opts.url);
  const agent = new Agent({ connections, keepAliveTimeout: 30_000, pipelining: 1 });
  return {
    async decide(reqOrFacts, extras) {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        const facts = isIncomingMessage(reqOrFacts) ? factsFromRequest(reqOrFacts, extras) : { ...reqOrFacts, ...extras };
        // undici follows no redirect: a 3xx is an answer like any other non-200.
        const res = await request(endpoint, {
          method: "POST",
          dispatcher: agent,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(facts),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal,
        });
        // A body not read to its end errors when it is dropped: never an uncaught exception.
        res.body.on("error", ignore);
        if (res.statusCode !== 200) {
          const text = (await readBody(res.body, 4096).catch(() => undefined))?.slice(0, 200);
          const location = res.statusCode >= 300 && res.statusCode < 400 ? ` (a redirect to ${String(res.headers.location ?? "nowhere")}, not followed)` : "";
          return unavailable(`decision service answered ${res.statusCode}${location}${text ? `: ${text}` : ""}`);
        }
        const typeProblem = contentTypeProblem(res.headers["content-type"]);
        if (typeProblem !== undefined) { res.body.destroy(); return unavailable(`decision service: ${typeProblem}`); }
        const text = await readBody(res.body, maxBytes);
        if (text === undefined) return unavailable(`decision service: the answer is larger than ${maxBytes} bytes`);
        const check = checkAnswer(text);
        return check.ok ? check.answer : unavailable(`decision service: ${check.error}`);
      } catch (e) {
        if (signal.aborted) return unavailable(`decision service: no answer within ${timeoutMs} ms`);
        return unavailable(`decision service: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
    close: () => agent.close(),
  };
}

/** An option that must be a whole number ≥ 1 (a misconfigured client refuses to start rather
 *  than deny every request, or fail on each). */
function positive(name: string, n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`decision client: ${name} must be a whole number ≥ 1, got ${String(n)}`);
  return n;
}

/** The /v1/decision URL under a base URL, keeping its path prefix: http://h/authz and
 *  http://h/authz/ both give http://h/authz/v1/decision. */
export function decisionEndpoint(base: string): string {
  let url: URL;
  try { url = new URL(base); }
  catch { throw new Error(`decision client: url ${JSON.stringify(base)} is not an absolute URL (e.g. http://127.0.0.1:8181)`); }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`decision client: url ${JSON.stringify(base)} must be http: or https:`);
  if (url.search || url.hash) throw new Error(`decision client: url ${JSON.stringify(base)} must have no query or fragment (the base of the service's routes)`);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/v1/decision`;
  return url.toString();
}

/** A body as UTF-8 text (invalid UTF-8 rejects), or undefined once it is over `max` bytes (the
 *  rest is not read). Events rather than async iteration: fewer turns of the event loop. */
function readBody(body: Readable, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) { body.destroy(); resolve(undefined); } else chunks.push(chunk);
    });
    body.on("error", reject);
    body.on("end", () => {
      try { resolve(UTF8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))); } catch (e) { reject(e); }
    });
  });
}

const ignore = () => {};

// A byte-order mark is kept, so the JSON parser rejects it (RFC 8259 8.1).
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
