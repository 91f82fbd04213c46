// Request facts (spec section 3): their schema, and the policy input built from them.
import { z } from "zod";
import { normalizePeer, type Peer } from "./address.js";
import { asciiLowerCase } from "./ascii.js";
import { scanHeaders } from "./headers.js";
import { parseOrigin, type OriginFacts } from "./origin.js";
import { passwordState, type PasswordState } from "./password.js";

export const FactsSchema = z.strictObject({
  transport: z.enum(["http", "ws"]).optional(),
  surface: z.enum(["api", "control-ui", "plugin"]).optional(),
  remoteAddress: z.string().nullable().optional(),
  headers: z.record(z.string(), z.unknown()).optional(),
  password: z.string().optional(),
  rateLimited: z.boolean().optional(),
});

export type RequestFacts = z.infer<typeof FactsSchema>;

export interface FactsIssue { path: string; message: string }

/** Facts that do not match the schema of section 3; `issues` name each field. */
export class FactsError extends Error {
  readonly issues: FactsIssue[];
  constructor(issues: FactsIssue[]) {
    super(`invalid request facts: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`);
    this.name = "FactsError";
    this.issues = issues;
  }
}

const TRANSPORTS = new Set(["http", "ws"]);
const SURFACES = new Set(["api", "control-ui", "plugin"]);
const FIELDS = new Set(["transport", "surface", "remoteAddress", "headers", "password", "rateLimited"]);

/** The schema's checks as straight-line code (the hot path); zod explains whatever fails them. */
function isWellFormed(f: unknown): f is RequestFacts {
  if (typeof f !== "object" || f === null || Array.isArray(f)) return false;
  const o = f as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!FIELDS.has(k)) return false;
  if (o.transport !== undefined && !TRANSPORTS.has(o.transport as string)) return false;
  if (o.surface !== undefined && !SURFACES.has(o.surface as string)) return false;
  if (o.remoteAddress !== undefined && o.remoteAddress !== null && typeof o.remoteAddress !== "string") return false;
  if (o.headers !== undefined && (typeof o.headers !== "object" || o.headers === null || Array.isArray(o.headers))) return false;
  if (o.password !== undefined && typeof o.password !== "string") return false;
  if (o.rateLimited !== undefined && typeof o.rateLimited !== "boolean") return false;
  return true;
}

export function parseFacts(facts: unknown): RequestFacts {
  if (isWellFormed(facts)) return facts;
  const r = FactsSchema.safeParse(facts);
  if (r.success) return r.data;
  throw new FactsError(r.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: describeIssue(i) })));
}

function describeIssue(i: z.core.$ZodIssue): string {
  if (i.code === "invalid_type") return `expected ${i.expected}`;
  if (i.code === "invalid_value") return `expected one of ${i.values.map((v) => JSON.stringify(v)).join(", ")}`;
  if (i.code === "unrecognized_keys") return `unknown field${i.keys.length > 1 ? "s" : ""} ${i.keys.join(", ")}`;
  return i.message;
}

/** What the policy reads (`input` of trusted_proxy/decision). */
export interface PolicyInput {
  transport: "http" | "ws";
  surface: "api" | "control-ui" | "plugin";
  peer: Peer;
  /** Only the headers the config names (user header and required headers); a null-prototype
   *  object, so a header named `__proto__` or `constructor` is an own key like any other. */
  headers: Record<string, string>;
  forwarded: boolean;
  origin: OriginFacts;
  host: string;
  scopes: { present: boolean; value: string };
  password: PasswordState;
  rate_limited: boolean;
}

export interface FactsContext {
  /** Lower-cased names of the headers the policy reads (user header, required headers). */
  headerSet: Set<string>;
  /** The effective password, or null when none is configured. */
  password: string | null;
}

export function buildPolicyInput(facts: RequestFacts, ctx: FactsContext): PolicyInput {
  const h = scanHeaders(facts.headers, ctx.headerSet);
  return {
    transport: facts.transport ?? "http",
    surface: facts.surface ?? "api",
    peer: normalizePeer(facts.remoteAddress),
    headers: h.wanted,
    forwarded: h.forwarded,
    origin: parseOrigin(h.origin),
    host: asciiLowerCase(h.host),
    scopes: h.scopes,
    password: passwordState(facts.password, ctx.password),
    rate_limited: facts.rateLimited === true,
  };
}
