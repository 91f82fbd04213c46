// One-line operator hints per reason code (spec section 7), returned by `explain`.

const HINTS: Record<string, string> = {
  trusted_proxy_untrusted_source:
    "The connection did not come from an address in gateway.trustedProxies: add the proxy's address as the gateway sees it (check the socket peer, e.g. a Docker bridge or ::ffff: form), or make sure clients cannot bypass the proxy.",
  trusted_proxy_loopback_source:
    "The peer is loopback but gateway.auth.trustedProxy.allowLoopback is not true: set it for a same-host proxy (and list 127.0.0.1 or ::1 in trustedProxies), or for internal callers together with loopbackUser.",
  trusted_proxy_missing_header:
    "The proxy did not send a header listed in requiredHeaders (or sent it blank): configure the proxy to set it (e.g. proxy_set_header in nginx), or remove it from requiredHeaders.",
  trusted_proxy_user_missing:
    "The identity header named by userHeader is absent or blank: check that the proxy authenticates the request and sets that exact header; internal callers need allowLoopback with loopbackUser.",
  trusted_proxy_user_not_allowed:
    "The authenticated user is not in gateway.auth.trustedProxy.allowUsers (exact, case-sensitive match): add the user or fix the entry's spelling and whitespace.",
  trusted_proxy_origin_not_allowed:
    "The browser Origin is not in gateway.controlUi.allowedOrigins: add the exact scheme://host[:port] the UI is served from.",
  control_ui_origin_not_allowed:
    "The Control UI WebSocket had no allowed Origin: add the UI's origin to gateway.controlUi.allowedOrigins (the Origin header is required for Control UI sockets).",
  rate_limited:
    "The caller is locked out by the gateway's limiter after failed password attempts: wait for the lockout to expire.",
  password_mismatch:
    "The presented password does not match gateway.auth.password (or OPENCLAW_GATEWAY_PASSWORD): check the client's password; it is compared exactly, without trimming.",
  decision_service_unavailable:
    "The gateway could not get a decision from the decision service (down, timed out, or an error): check the service's health and logs; requests are denied meanwhile.",
};

export function hintFor(reason: string | null): string {
  if (reason === null) return "Allowed.";
  if (reason.startsWith("trusted_proxy_missing_header_")) {
    const name = reason.slice("trusted_proxy_missing_header_".length);
    return `Required header ${name}: ${HINTS.trusted_proxy_missing_header!}`;
  }
  return HINTS[reason] ?? "No hint for this reason code.";
}

export const REASON_CODES = [
  "trusted_proxy_untrusted_source", "trusted_proxy_loopback_source", "trusted_proxy_missing_header_<name>",
  "trusted_proxy_user_missing", "trusted_proxy_user_not_allowed", "trusted_proxy_origin_not_allowed",
  "control_ui_origin_not_allowed", "rate_limited", "password_mismatch",
];
