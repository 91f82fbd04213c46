// The decision document (spec section 6) and the decision service's answer to /v1/decision, as
// one zod schema: the service's response schemas (and so its OpenAPI document) and the gateway
// client, which takes nothing else as an answer, both use it. Only zod here, so the client loads it
// without Fastify or the compiler.
import { z } from "zod";

export const DECISION_METHODS = ["trusted-proxy", "loopback-user", "password"] as const;

// An allow has no reason; the user is a non-empty string for a proxied or internal loopback
// caller and null for the password fallback, which has no user.
// (Fields in the document's order: the parsed answer keeps it.)
const allowed = { allow: z.literal(true), reason: z.null() };
const withUser = { ...allowed, user: z.string().min(1), method: z.enum(["trusted-proxy", "loopback-user"]), scopes: z.array(z.string()) };
const byPassword = { ...allowed, user: z.null(), method: z.literal("password"), scopes: z.array(z.string()) };
// A deny has a reason code (spec section 7) and nothing else.
const denied = { allow: z.literal(false), reason: z.string().min(1), user: z.null(), method: z.null(), scopes: z.array(z.string()).max(0) };

const allowError = { error: "expected true or false" };
const methodError = { error: `expected ${DECISION_METHODS.map((m) => `"${m}"`).join(", ")} (an allow has a method)` };

/** The document's three shapes, each with exactly its fields plus `extra`. */
function documentWith<E extends z.ZodRawShape>(extra: E) {
  return z.discriminatedUnion("allow", [
    z.strictObject({ ...denied, ...extra }),
    z.discriminatedUnion("method", [z.strictObject({ ...withUser, ...extra }), z.strictObject({ ...byPassword, ...extra })], methodError),
  ], allowError);
}

/** A decision (spec section 6): allow with reason null, a method and its user, scopes; or deny
 *  with a reason, user and method null, no scopes. No other fields. */
export const DecisionDocument = documentWith({}).describe("The decision (spec section 6)");

/** The service's answer to /v1/decision: the decision plus its decision id and policy revision. */
export const DecisionAnswer = documentWith({ decision_id: z.string().min(1), revision: z.string().min(1) })
  .describe("The decision (spec section 6), its decision id and the policy revision");

export type DecisionDocument = z.infer<typeof DecisionDocument>;
export type DecisionAnswer = z.infer<typeof DecisionAnswer>;
export type DecisionMethod = (typeof DECISION_METHODS)[number];
