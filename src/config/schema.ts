// The gateway config subset the engine reads (spec section 1), as strict zod schemas: unknown keys
// are errors at every level and `null` is not a value for an optional key.
import { z } from "zod";

const nonBlank = (what: string) => z.string().refine((s) => s.trim() !== "", { message: `${what} must not be blank` });

export const TrustedProxySchema = z.strictObject({
  userHeader: z.string(),
  requiredHeaders: z.array(nonBlank("a required header name")).optional(),
  allowUsers: z.array(z.string()).optional(),
  allowLoopback: z.boolean().optional(),
  loopbackUser: z.string().optional(),
});

export const GatewaySchema = z.strictObject({
  bind: z.enum(["loopback", "lan", "auto", "custom", "tailnet"]).optional(),
  trustedProxies: z.array(z.string()).optional(),
  auth: z.strictObject({
    mode: z.string().optional(),
    token: z.string().optional(),
    password: z.string().optional(),
    trustedProxy: TrustedProxySchema.optional(),
  }).optional(),
  controlUi: z.strictObject({
    enabled: z.boolean().optional(),
    allowedOrigins: z.array(z.string()).optional(),
    dangerouslyAllowHostHeaderOriginFallback: z.boolean().optional(),
  }).optional(),
  http: z.strictObject({
    securityHeaders: z.strictObject({
      strictTransportSecurity: z.union([z.string(), z.literal(false)]).optional(),
    }).optional(),
  }).optional(),
  tls: z.strictObject({ enabled: z.boolean().optional() }).optional(),
});

export const ConfigSchema = z.strictObject({ gateway: GatewaySchema.optional() });

export type GatewayConfig = z.infer<typeof GatewaySchema>;
export type Config = z.infer<typeof ConfigSchema>;

export interface ShapeIssue { path: string; message: string; unknownKeys: boolean }

/** Shape errors with their config paths ("gateway.auth.trustedProxy.allowLoopback: expected boolean"). */
export function shapeIssues(config: unknown): ShapeIssue[] {
  const r = ConfigSchema.safeParse(config, { reportInput: true });
  if (r.success) return [];
  return r.error.issues.map((i) => {
    const path = i.path.map(String).join(".");
    let message: string;
    if (i.code === "invalid_type") message = i.input === undefined ? "is required" : `expected ${i.expected}`;
    else if (i.code === "invalid_value") message = `expected one of ${i.values.map((v) => JSON.stringify(v)).join(", ")}`;
    else if (i.code === "unrecognized_keys") message = `unknown key${i.keys.length > 1 ? "s" : ""} ${i.keys.map((k) => JSON.stringify(k)).join(", ")}`;
    else if (i.code === "invalid_union") message = "expected a string or false";
    else message = i.message;
    return { path, message, unknownKeys: i.code === "unrecognized_keys" };
  });
}
