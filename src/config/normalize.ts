// The config as the decision policy reads it (data.gateway), set once when the engine starts.
import { normalizeHeaderName } from "../facts/headers.js";
import { trimSpace } from "../facts/whitespace.js";
import type { ConfigView } from "./view.js";

export interface PolicyData {
  trusted_proxies: string[];
  allow_loopback: boolean;
  loopback_user: string;
  user_header: string;
  required_headers: string[];
  allow_users: string[];
  allowed_origins: string[];
  host_header_fallback: boolean;
  password_configured: boolean;
}

export function policyData(v: ConfigView): PolicyData {
  return {
    trusted_proxies: v.trusted_proxies.filter((e) => e.valid).map((e) => e.cidr),
    allow_loopback: v.allow_loopback,
    loopback_user: trimSpace(v.loopback_user ?? ""),
    user_header: normalizeHeaderName(v.user_header ?? ""),
    required_headers: v.required_headers.map(normalizeHeaderName),
    allow_users: v.allow_users,
    allowed_origins: v.allowed_origins,
    host_header_fallback: v.host_header_fallback,
    password_configured: v.password !== null,
  };
}
