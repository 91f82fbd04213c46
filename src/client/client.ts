// The gateway's decision client: facts from a Node request (or plain facts) → the service's
// decision. Keep-alive connections (undici); any error, timeout or non-200 answer is a deny with
// reason decision_service_unavailable — the gateway fails closed.
import type { IncomingMessage } from "node:http";
import { Agent, request } from "undici";
import { factsFromRequest } from "../facts/from-request.js";

export { factsFromRequest };

export interface ClientDecision {
  allow: boolean;
  reason: string | null;
  user: string | null;
  method: string | null;
  scopes: string[];
  decision_id?: string;
  /** Why the service could not be asked (only with decision_service_unavailable). */
  error?: string;
}

export interface DecisionClientOptions {
  /** The service's base URL, e.g. http://127.0.0.1:8181 */
  url: string;
  /** Per-decision deadline (default 1000 ms). */
  timeoutMs?: number;
  /** Kept-alive connections to the service (default 16). */
  connections?: number;
}

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

function isDecision(x: unknown): x is ClientDecision {
  const d = x as ClientDecision;
  return typeof d === "object" && d !== null && typeof d.allow === "boolean" && Array.isArray(d.scopes);
}

export function createDecisionClient(opts: DecisionClientOptions): DecisionClient {
  const timeoutMs = opts.timeoutMs ?? 1000;
  const endpoint = new URL("/v1/decision", opts.url).toString();
  const agent = new Agent({ connections: opts.connections ?? 16, keepAliveTimeout: 30_000, pipelining: 1 });
  return {
    async decide(reqOrFacts, extras) {
      const facts = isIncomingMessage(reqOrFacts) ? factsFromRequest(reqOrFacts, extras) : { ...reqOrFacts, ...extras };
      try {
        const res = await request(endpoint, {
          method: "POST",
          dispatcher: agent,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(facts),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (res.statusCode !== 200) {
          const text = await res.body.text().catch(() => "");
          return unavailable(`decision service answered ${res.statusCode}: ${text.slice(0, 200)}`);
        }
        const body = await res.body.json();
        if (!isDecision(body)) return unavailable("decision service answered without a decision");
        return { allow: body.allow === true, reason: body.reason, user: body.user, method: body.method, scopes: body.scopes, decision_id: body.decision_id };
      } catch (e) {
        return unavailable((e as Error).message ?? String(e));
      }
    },
    close: () => agent.close(),
  };
}
