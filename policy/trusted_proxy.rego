# Trusted-proxy authentication: who may connect to the gateway, and as whom.
#
# Input: the request facts as the host normalised them (src/facts): transport, surface, peer,
# headers (lower-cased names, trimmed non-blank values), forwarded evidence, origin, host,
# scopes header, password state, rate limit. Data: the gateway config as normalised at start-up,
# under data.gateway (src/config/normalize.ts). The decision document is spec section 6.
package trusted_proxy

import rego.v1

cfg := data.gateway

# ---- the decision, in order (spec section 5): the first rule that applies decides --------------

# 0. A Control UI WebSocket needs an allowed Origin before anything else.
decision := deny("control_ui_origin_not_allowed") if {
	control_ui_websocket
	not origin_allowed
}

# Steps 1-6 denied, but a direct-local caller presented the shared password (5.3).
else := password_decision if {
	identity_denial
	password_fallback_applies
}

# Steps 1-6: the caller's identity was not established.
else := deny(identity_denial) if identity_denial

# 7. A browser Origin on an HTTP request must be allowed.
else := deny("trusted_proxy_origin_not_allowed") if http_origin_rejected

# 8. Allowed, as the proxy's user or as the internal loopback user.
else := allow(identity.user, identity.method, request_scopes)

# ---- step 1: internal loopback callers (5.1) ----------------------------------------------------

# The gateway's own subsystems: a direct loopback connection with no proxy headers at all.
direct_local if {
	input.peer.loopback
	not input.forwarded
}

loopback_user_applies if {
	cfg.allow_loopback == true
	cfg.loopback_user != ""
	direct_local
	not input.headers[cfg.user_header]
}

# ---- steps 2 to 6: requests through a trusted proxy ---------------------------------------------

# 2. The peer is a configured proxy (a CIDR match, also for single addresses: /32, /128).
trusted_source if {
	input.peer.valid
	some cidr in cfg.trusted_proxies
	net.cidr_contains(cidr, input.peer.ip)
}

# 4. Required headers, in configured order.
missing_required_headers := [name |
	some name in cfg.required_headers
	not input.headers[name]
]

# 5. The user the proxy authenticated (trimmed, case kept).
proxy_user := input.headers[cfg.user_header]

# 6. The allow-list (empty: any authenticated user).
user_allowed(_) if count(cfg.allow_users) == 0

user_allowed(user) if user in cfg.allow_users

# The first failing check of steps 2 to 6 (undefined when the proxied request passes them all).
proxy_denial := "trusted_proxy_untrusted_source" if not trusted_source
else := "trusted_proxy_loopback_source" if {
	input.peer.loopback
	cfg.allow_loopback != true
}
else := concat("", ["trusted_proxy_missing_header_", missing_required_headers[0]]) if count(missing_required_headers) > 0
else := "trusted_proxy_user_missing" if not proxy_user
else := "trusted_proxy_user_not_allowed" if not user_allowed(proxy_user)

# Why steps 1 to 6 deny, if they do.
identity_denial := "trusted_proxy_user_not_allowed" if {
	loopback_user_applies
	not user_allowed(cfg.loopback_user)
}
else := proxy_denial if not loopback_user_applies

identity := {"user": cfg.loopback_user, "method": "loopback-user"} if loopback_user_applies
else := {"user": proxy_user, "method": "trusted-proxy"}

# ---- 5.3: password fallback for internal callers ------------------------------------------------

password_fallback_applies if {
	direct_local
	cfg.password_configured == true
	input.password in {"match", "mismatch"}
}

password_decision := deny("rate_limited") if input.rate_limited == true
else := deny("trusted_proxy_origin_not_allowed") if {
	input.password == "match"
	http_origin_rejected
}
else := allow(null, "password", default_scopes) if input.password == "match"
else := deny("password_mismatch")

# ---- 5.4: the Origin check ----------------------------------------------------------------------

control_ui_websocket if {
	input.transport == "ws"
	input.surface == "control-ui"
}

http_origin_rejected if {
	input.transport == "http"
	input.origin.present
	not origin_allowed
}

origin_allowed if {
	input.origin.valid
	"*" in cfg.allowed_origins
}

origin_allowed if {
	input.origin.valid
	input.origin.normalized in cfg.allowed_origins
}

origin_allowed if {
	input.origin.valid
	cfg.host_header_fallback == true
	input.host != ""
	input.origin.host == input.host
}

# ---- operator scopes (section 4) ----------------------------------------------------------------

all_operator_scopes := [
	"operator.admin",
	"operator.read",
	"operator.write",
	"operator.approvals",
	"operator.pairing",
	"operator.talk.secrets",
]

default_scopes := ["operator.write"] if input.surface == "plugin"
else := all_operator_scopes

# The x-openclaw-scopes header, honoured for trusted-proxy and loopback-user decisions.
request_scopes := [scope |
	some item in split(input.scopes.value, ",")
	scope := trim_space(item)
	scope != ""
] if input.scopes.present
else := default_scopes

# ---- the decision document (section 6) ----------------------------------------------------------

allow(user, method, scopes) := {"allow": true, "reason": null, "user": user, "method": method, "scopes": scopes}

deny(reason) := {"allow": false, "reason": reason, "user": null, "method": null, "scopes": []}

# The step of section 5 that decided, for `explain`.
step := "0: Control UI WebSocket origin" if decision.reason == "control_ui_origin_not_allowed"
else := "5.3: password fallback" if {
	identity_denial
	password_fallback_applies
}
else := denial_step(identity_denial) if identity_denial
else := "7: browser origin of an HTTP request" if http_origin_rejected
else := "1: internal loopback caller (loopbackUser)" if loopback_user_applies
else := "8: allowed through a trusted proxy"

denial_step(reason) := "4: required headers" if startswith(reason, "trusted_proxy_missing_header_")
else := "1: internal loopback caller (loopbackUser)" if loopback_user_applies
else := denial_steps[reason]

denial_steps := {
	"trusted_proxy_untrusted_source": "2: peer is a configured proxy",
	"trusted_proxy_loopback_source": "3: loopback peers need allowLoopback",
	"trusted_proxy_user_missing": "5: user header",
	"trusted_proxy_user_not_allowed": "6: allowUsers",
}
