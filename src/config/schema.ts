// The gateway config subset the engine reads (spec section 1), as strict zod schemas: unknown keys
// are errors at every level and `null` is not a value for an optional key.
import { z } from "zod";
import { HTTP_TOKEN, trimAsciiSpace } from "../facts/ascii.js";

// Header names are compared in ASCII only (src/facts/ascii.ts), so a name with any other character
// (a Kelvin sign for "k", a no-break space) could never match a request header: refused here, with
// the reason, instead of silently denying every request.
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
/** The name with every non-printable-ASCII character escaped, so a look-alike shows as what it is. */
const shown = (s: string) => JSON.stringify(s).replace(/[^\x20-\x7e]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
function notAToken(s: string): string {
  const bad = [...trimAsciiSpace(s)].find((c) => !TOKEN_CHAR.test(c))!;
  return `${shown(s)} is not an HTTP header name (it contains ${codePoint(bad)}${/[\x21-\x7e]/.test(bad) ? ` "${bad}"` : ""}): use ASCII letters, digits and !#$%&'*+-.^_\`|~ only`;
}
const headerName = (s: string) => HTTP_TOKEN.test(trimAsciiSpace(s));
/** The user header: blank is the start-up check config_user_header_blank, not a shape error. */
const userHeaderName = z.string().check((ctx) => {
  if (trimAsciiSpace(ctx.value) !== "" && !headerName(ctx.value)) ctx.issues.push({ code: "custom", message: notAToken(ctx.value), input: ctx.value });
});
const requiredHeaderName = z.string().check((ctx) => {
  if (trimAsciiSpace(ctx.value) === "") ctx.issues.push({ code: "custom", message: "a required header name must not be blank", input: ctx.value });
  else if (!headerName(ctx.value)) ctx.issues.push({ code: "custom", message: notAToken(ctx.value), input: ctx.value });
});

export const TrustedProxySchema = z.strictObject({
  userHeader: userHeaderName,
  requiredHeaders: z.array(requiredHeaderName).optional(),
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
