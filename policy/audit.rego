# Security audit of a gateway config (spec section 8). Reads the same config view as the start-up
# checks; a config that would not start is audited too (wrongly typed values read as absent).
package trusted_proxy.audit

import rego.v1

trusted_proxy_mode if input.mode == "trusted-proxy"

exposed_bind if input.bind != "loopback"

# path: the config key the finding is about (dotted, list items by index), for file:line:col in
# reports; a key absent from the file is located at its nearest present parent.
finding(check_id, severity, path, title, detail, fix) := {
	"checkId": check_id,
	"severity": severity,
	"path": path,
	"title": title,
	"detail": detail,
	"fix": fix,
}

findings contains finding(
	"gateway.trusted_proxy_auth", "critical",
	"gateway.auth.mode",
	"Authentication is delegated to the reverse proxy",
	"In trusted-proxy mode the gateway accepts the identity header from the listed proxies: anyone who can reach the gateway around the proxy, or make the proxy forward a forged header, is whoever they claim to be.",
	"Make the gateway reachable only through the proxy (firewall, bind to a private interface), and configure the proxy to overwrite the identity header.",
) if trusted_proxy_mode

findings contains finding(
	"gateway.trusted_proxy_no_proxies", "critical",
	"gateway.trustedProxies",
	"No trusted proxies are configured",
	"gateway.trustedProxies is empty, so no request can be authenticated through a proxy.",
	"List the proxy's own addresses in gateway.trustedProxies.",
) if {
	trusted_proxy_mode
	count([e | some e in input.trusted_proxies; not e.blank]) == 0
}

findings contains finding(
	"gateway.trusted_proxy_no_user_header", "critical",
	"gateway.auth.trustedProxy.userHeader",
	"No user header is configured",
	"gateway.auth.trustedProxy.userHeader is missing or blank: no proxied request can carry an identity.",
	"Set userHeader to the header your proxy sets (x-forwarded-user, x-pomerium-claim-email, ...).",
) if {
	trusted_proxy_mode
	not user_header_set
}

user_header_set if {
	is_string(input.user_header)
	trim_space(input.user_header) != ""
}

findings contains finding(
	"gateway.trusted_proxy_no_allowlist", "warn",
	"gateway.auth.trustedProxy.allowUsers",
	"Any authenticated user is accepted",
	"gateway.auth.trustedProxy.allowUsers is empty: every identity the proxy authenticates gets operator access.",
	"List the users who may operate the gateway in allowUsers.",
) if {
	trusted_proxy_mode
	count(input.allow_users) == 0
}

findings contains finding(
	"gateway.trusted_proxy_allow_loopback", "warn",
	"gateway.auth.trustedProxy.allowLoopback",
	"Loopback sources are accepted",
	"allowLoopback is true: any process on the gateway's host can act as a proxy if its loopback address is trusted, and internal callers may use loopbackUser.",
	"Keep allowLoopback only for a same-host proxy or internal callers, and list exact loopback addresses.",
) if {
	trusted_proxy_mode
	input.allow_loopback == true
}

findings contains finding(
	"gateway.trusted_proxy_loopback_user", "warn",
	"gateway.auth.trustedProxy.loopbackUser",
	"Headerless loopback callers get an identity",
	loopback_user_detail,
	loopback_user_fix,
) if {
	trusted_proxy_mode
	input.allow_loopback == true
	is_string(input.loopback_user)
	trim_space(input.loopback_user) != ""
}

loopback_user := json.marshal(trim_space(input.loopback_user))

# trustedProxies entries that cover a loopback address: the proxy runs on the gateway's host, and
# its requests come from loopback like the internal callers' (spec 5.1 tells them apart only by
# the user header and forwarded evidence).
loopback_proxies contains json.marshal(e.entry) if {
	some e in input.trusted_proxies
	e.valid
	covers_loopback(e.cidr)
}

covers_loopback(cidr) if net.cidr_intersects(cidr, "127.0.0.0/8")

covers_loopback(cidr) if net.cidr_contains(cidr, "::1")

same_host_proxy if count(loopback_proxies) > 0

loopback_user_detail := sprintf(
	"loopbackUser %s is given to every direct loopback connection without proxy headers, and gateway.trustedProxies lists a loopback address (%s), so the proxy runs on this host and connects from loopback too. A request it forwards without the user header and without X-Forwarded-For (or any X-Forwarded-*, Forwarded or X-Real-IP header) is taken for an internal caller and gets loopbackUser with its operator scopes (operator.admin by default): e.g. an nginx location that lacks auth_request and forgets proxy_set_header X-Forwarded-For.",
	[loopback_user, concat(", ", sort(loopback_proxies))],
) if same_host_proxy
else := sprintf("loopbackUser %s is given to every direct loopback connection without proxy headers.", [loopback_user])

loopback_user_fix := "Make the proxy set X-Forwarded-For in every location that reaches the gateway (nginx: proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;), so its requests are never taken for internal callers; or do not set loopbackUser while the proxy is on loopback (internal callers can present gateway.auth.password instead)." if same_host_proxy
else := "Make sure only the gateway's own subsystems can connect over loopback (e.g. a pod with no other containers)."

findings contains finding(
	"gateway.trusted_proxies_invalid_entry", "warn",
	sprintf("gateway.trustedProxies.%d", [i]),
	"A trustedProxies entry is not an IP address or CIDR",
	sprintf("gateway.trustedProxies.%d (%s) never matches any peer.", [i, json.marshal(e.entry)]),
	"Use IP addresses or CIDRs (hostnames are not resolved); check ${VAR} substitutions.",
) if {
	some i, e in input.trusted_proxies
	not e.valid
}

findings contains finding(
	"gateway.trusted_proxies_broad", severity,
	sprintf("gateway.trustedProxies.%d", [i]),
	"A trustedProxies entry covers a range",
	sprintf("gateway.trustedProxies.%d (%s) trusts %s.", [i, json.marshal(e.entry), scope]),
	"List the proxy's own addresses (/32 or /128), not subnets: any host in the range can assert identities.",
) if {
	some i, e in input.trusted_proxies
	e.valid
	not e.single
	severity := breadth_severity(e)
	scope := breadth(e)
}

breadth_severity(e) := "critical" if e.whole_family
else := "warn"

breadth(e) := "every address of its family" if e.whole_family
else := "more than one address"

findings contains finding(
	"gateway.control_ui.allowed_origins_wildcard", "critical",
	"gateway.controlUi.allowedOrigins",
	"The Control UI accepts any browser origin",
	"gateway.controlUi.allowedOrigins contains \"*\" while the gateway listens beyond loopback: any web page can open Control UI connections.",
	"List the exact origin(s) of the Control UI.",
) if {
	exposed_bind
	"*" in input.allowed_origins
}

findings contains finding(
	"gateway.control_ui.allowed_origins_required", "critical",
	"gateway.controlUi.allowedOrigins",
	"The Control UI has no origin allow-list",
	"The gateway listens beyond loopback with the Control UI enabled, but allowedOrigins is empty and the Host-header fallback is off (the gateway will not start).",
	"Set gateway.controlUi.allowedOrigins.",
) if {
	exposed_bind
	input.control_ui_enabled == true
	count(input.allowed_origins) == 0
	input.host_header_fallback != true
}

findings contains finding(
	"gateway.control_ui.host_header_fallback", "warn",
	"gateway.controlUi.dangerouslyAllowHostHeaderOriginFallback",
	"Origins are checked against the Host header",
	"dangerouslyAllowHostHeaderOriginFallback accepts an Origin whose host equals the request's Host header, which a client controls.",
	"Turn it off and list allowedOrigins instead.",
) if input.host_header_fallback == true

findings contains finding(
	"gateway.hsts_without_tls", "info",
	"gateway.http.securityHeaders.strictTransportSecurity",
	"HSTS is set but the gateway does not serve TLS",
	"gateway.http.securityHeaders.strictTransportSecurity is set while gateway.tls is off; browsers ignore HSTS over plain HTTP.",
	"Set HSTS at the TLS-terminating proxy instead.",
) if {
	is_string(input.hsts)
	trim_space(input.hsts) != ""
	input.tls_enabled != true
}
