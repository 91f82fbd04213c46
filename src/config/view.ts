// The config as the Rego start-up checks and the audit read it: well-formed values only (a value
// with a shape error reads as absent and its path is listed in `malformed`), defaults applied,
// trustedProxies entries parsed.
import { parseProxyEntry, type ProxyEntry } from "../facts/address.js";
import { asciiLowerCase } from "../facts/ascii.js";
import { trimSpace } from "../facts/whitespace.js";

export interface ConfigView {
  malformed: string[];
  mode: string | null;
  trusted_proxy_block: boolean;
  user_header: string | null;
  token_configured: boolean;
  token_source: string;
  trusted_proxies: ProxyEntry[];
  bind: string;
  control_ui_enabled: boolean;
  allowed_origins: string[];
  host_header_fallback: boolean;
  allow_loopback: boolean;
  loopback_user: string | null;
  allow_users: string[];
  required_headers: string[];
  password: string | null;
  hsts: string | null;
  tls_enabled: boolean;
}

type Raw = Record<string, unknown>;

/** The path a shape error makes unusable: the array, for an error in one of its elements. */
export function malformedPath(issuePath: string): string {
  const parts = issuePath.split(".");
  const i = parts.findIndex((p) => /^\d+$/.test(p));
  return (i < 0 ? parts : parts.slice(0, i)).join(".");
}
const obj = (v: unknown): Raw | undefined => (v && typeof v === "object" && !Array.isArray(v) ? (v as Raw) : undefined);

export function buildView(config: unknown, malformedPaths: string[], env: Record<string, string | undefined>): ConfigView {
  const malformed = new Set(malformedPaths);
  // A value is usable unless it, or an object holding it, has a shape error (array element errors
  // are reported on the array: see `malformedPath`).
  const usable = (path: string): boolean => {
    for (const m of malformed) if (m === path || path.startsWith(`${m}.`)) return false;
    return true;
  };
  const gw = obj(obj(config)?.gateway);
  const auth = obj(gw?.auth);
  const tp = obj(auth?.trustedProxy);
  const ui = obj(gw?.controlUi);
  const get = (path: string, v: unknown): unknown => (usable(path) ? v : undefined);
  const str = (path: string, v: unknown): string | null => { const x = get(path, v); return typeof x === "string" ? x : null; };
  const bool = (path: string, v: unknown, dflt: boolean): boolean => { const x = get(path, v); return typeof x === "boolean" ? x : dflt; };
  const strings = (path: string, v: unknown): string[] => {
    const x = get(path, v);
    return Array.isArray(x) && x.every((s) => typeof s === "string") ? (x as string[]) : [];
  };
  const tokenInConfig = auth !== undefined && "token" in auth && typeof auth.token === "string";
  const envToken = env.OPENCLAW_GATEWAY_TOKEN !== undefined;
  const password = str("gateway.auth.password", auth?.password);
  const envPassword = env.OPENCLAW_GATEWAY_PASSWORD;
  const effectivePassword = password !== null && trimSpace(password) !== "" ? password
    : password === null && envPassword !== undefined && trimSpace(envPassword) !== "" ? envPassword : null;
  const hsts = get("gateway.http.securityHeaders.strictTransportSecurity", obj(obj(gw?.http)?.securityHeaders)?.strictTransportSecurity);
  return {
    malformed: [...malformed],
    mode: str("gateway.auth.mode", auth?.mode),
    trusted_proxy_block: tp !== undefined && usable("gateway.auth.trustedProxy"),
    user_header: str("gateway.auth.trustedProxy.userHeader", tp?.userHeader),
    token_configured: tokenInConfig || envToken,
    token_source: tokenInConfig ? "gateway.auth.token" : "OPENCLAW_GATEWAY_TOKEN",
    trusted_proxies: strings("gateway.trustedProxies", gw?.trustedProxies).map(parseProxyEntry),
    bind: str("gateway.bind", gw?.bind) ?? "loopback",
    control_ui_enabled: bool("gateway.controlUi.enabled", ui?.enabled, true),
    // Origins compare with the WHATWG URL's ASCII serialisation: folded in ASCII only, like header names.
    allowed_origins: strings("gateway.controlUi.allowedOrigins", ui?.allowedOrigins).map((o) => asciiLowerCase(trimSpace(o))).filter((o) => o !== ""),
    host_header_fallback: bool("gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback", ui?.dangerouslyAllowHostHeaderOriginFallback, false),
    allow_loopback: bool("gateway.auth.trustedProxy.allowLoopback", tp?.allowLoopback, false),
    loopback_user: str("gateway.auth.trustedProxy.loopbackUser", tp?.loopbackUser),
    allow_users: strings("gateway.auth.trustedProxy.allowUsers", tp?.allowUsers),
    required_headers: strings("gateway.auth.trustedProxy.requiredHeaders", tp?.requiredHeaders),
    password: effectivePassword,
    hsts: typeof hsts === "string" ? hsts : null,
    tls_enabled: bool("gateway.tls.enabled", obj(gw?.tls)?.enabled, false),
  };
}

/** The view without secrets, as policy input. */
export function viewForPolicy(v: ConfigView): Omit<ConfigView, "password"> & { password_set: boolean } {
  const { password, ...rest } = v;
  return { ...rest, password_set: password !== null };
}
