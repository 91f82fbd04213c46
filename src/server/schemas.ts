// Request and response schemas of the service's routes (zod; also the OpenAPI document).
import { z } from "zod";
import { DecisionAnswer, DecisionDocument } from "../decision/document.js";
import { FactsSchema } from "../facts/facts.js";

export const MAX_HEADERS = 200;

export const FactsBody = FactsSchema.extend({
  headers: z.record(z.string(), z.unknown())
    .refine((h) => Object.keys(h).length <= MAX_HEADERS, { message: `at most ${MAX_HEADERS} headers` })
    .optional(),
}).describe("Request facts (spec section 3)");

// The decision and /v1/decision's answer are defined once, in src/decision (the client checks
// answers against the same schema).
export const DecisionSchema = DecisionDocument;
export const DecisionResponse = DecisionAnswer;

export const DataApiBody = z.strictObject({ input: FactsBody });
export const DataApiResponse = z.object({ result: DecisionSchema, decision_id: z.string() });

/** The facts as the policy saw them (src/facts: PolicyInput). */
export const PolicyInputSchema = z.object({
  transport: z.enum(["http", "ws"]),
  surface: z.enum(["api", "control-ui", "plugin"]),
  peer: z.object({ valid: z.boolean(), ip: z.string(), loopback: z.boolean() }),
  headers: z.record(z.string(), z.string()),
  forwarded: z.boolean(),
  origin: z.object({ present: z.boolean(), valid: z.boolean(), normalized: z.string(), host: z.string() }),
  host: z.string(),
  scopes: z.object({ present: z.boolean(), value: z.string() }),
  password: z.enum(["absent", "match", "mismatch"]),
  rate_limited: z.boolean(),
});

export const ExplainResponse = z.object({
  decision: DecisionSchema,
  step: z.string(),
  hint: z.string(),
  input: PolicyInputSchema,
  decision_id: z.string(),
  revision: z.string(),
});

export const AuditBody = z.object({ config: z.unknown(), env: z.record(z.string(), z.string()).optional() });
