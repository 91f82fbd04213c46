# Start-up checks of the gateway config (spec section 2): errors refuse to start, warnings are
# logged. Input: the config view built by src/config/view.ts — well-formed values only; paths
# with shape errors are listed in input.malformed and the checks that read them are skipped.
package trusted_proxy.startup

import rego.v1

result := {
	"errors": [e | some p in sort([[e.order, e] | some e in errors]); e := object.remove(p[1], ["order"])],
	"warnings": [w | some p in sort([[w.order, w.index, w] | some w in warnings]); w := object.remove(p[2], ["order", "index"])],
}

malformed(path) if {
	some m in input.malformed
	prefix_of(m, path)
}

prefix_of(m, path) if m == path

prefix_of(m, path) if startswith(path, concat("", [m, "."]))

trusted_proxy_mode if input.mode == "trusted-proxy"

# 2. The engine serves trusted-proxy mode only.
errors contains {
	"order": 2,
	"code": "config_mode_not_trusted_proxy",
	"path": "gateway.auth.mode",
	"message": mode_message,
} if {
	not malformed("gateway.auth.mode")
	not trusted_proxy_mode
}

mode_message := "gateway.auth.mode must be \"trusted-proxy\"; it is not set" if input.mode == null
else := sprintf("gateway.auth.mode must be \"trusted-proxy\" (modes are case-sensitive), not %s", [json.marshal(input.mode)])

# 3. The trustedProxy block holds the user header and the rest of the mode's settings.
errors contains {
	"order": 3,
	"code": "config_trusted_proxy_missing",
	"path": "gateway.auth.trustedProxy",
	"message": "gateway.auth.trustedProxy is missing: add it with at least userHeader",
} if {
	trusted_proxy_mode
	not malformed("gateway.auth.trustedProxy")
	not input.trusted_proxy_block
}

# 4. A blank user header can never identify anyone.
errors contains {
	"order": 4,
	"code": "config_user_header_blank",
	"path": "gateway.auth.trustedProxy.userHeader",
	"message": "gateway.auth.trustedProxy.userHeader is blank: name the header your proxy sets, e.g. x-forwarded-user",
} if {
	trusted_proxy_mode
	not malformed("gateway.auth.trustedProxy.userHeader")
	is_string(input.user_header)
	trim_space(input.user_header) == ""
}

# 5. Token auth and trusted-proxy auth are mutually exclusive.
errors contains {
	"order": 5,
	"code": "mixed_trusted_proxy_token",
	"path": input.token_source,
	"message": sprintf("a shared token is configured (%s) but trusted-proxy mode accepts no tokens: remove it", [input.token_source]),
} if {
	trusted_proxy_mode
	input.token_configured == true
}

# 6. Without proxies nothing can be trusted.
errors contains {
	"order": 6,
	"code": "config_no_trusted_proxies",
	"path": "gateway.trustedProxies",
	"message": "gateway.trustedProxies is empty: list your proxy's addresses (IPs or CIDRs)",
} if {
	trusted_proxy_mode
	not malformed("gateway.trustedProxies")
	count([e | some e in input.trusted_proxies; not e.blank]) == 0
}

# 7. A Control UI reachable from the network needs an origin allow-list.
errors contains {
	"order": 7,
	"code": "config_control_ui_allowed_origins_required",
	"path": "gateway.controlUi.allowedOrigins",
	"message": sprintf("gateway.bind is %s and the Control UI is enabled: set gateway.controlUi.allowedOrigins to the UI's origin(s)", [json.marshal(input.bind)]),
} if {
	trusted_proxy_mode
	control_ui_origins_missing
}

control_ui_origins_missing if {
	not malformed("gateway.bind")
	not malformed("gateway.controlUi")
	input.bind != "loopback"
	input.control_ui_enabled == true
	count(input.allowed_origins) == 0
	input.host_header_fallback != true
}

# ---- warnings -------------------------------------------------------------------------------------

warnings contains {
	"order": 1,
	"index": i,
	"code": "config_trusted_proxies_invalid_entry",
	"path": sprintf("gateway.trustedProxies.%d", [i]),
	"message": sprintf("gateway.trustedProxies.%d (%s) is not an IP address or CIDR and never matches", [i, json.marshal(e.entry)]),
} if {
	trusted_proxy_mode
	some i, e in input.trusted_proxies
	not e.valid
}

warnings contains {
	"order": 2,
	"index": 0,
	"code": "config_loopback_user_without_allow_loopback",
	"path": "gateway.auth.trustedProxy.loopbackUser",
	"message": "gateway.auth.trustedProxy.loopbackUser has no effect unless allowLoopback is true",
} if {
	trusted_proxy_mode
	loopback_user_set
	input.allow_loopback != true
}

warnings contains {
	"order": 3,
	"index": 0,
	"code": "config_allow_loopback_without_loopback_user",
	"path": "gateway.auth.trustedProxy.allowLoopback",
	"message": "allowLoopback is true without loopbackUser: headerless internal callers get trusted_proxy_user_missing or trusted_proxy_untrusted_source",
} if {
	trusted_proxy_mode
	input.allow_loopback == true
	not loopback_user_set
}

warnings contains {
	"order": 4,
	"index": 0,
	"code": "config_loopback_user_not_in_allow_users",
	"path": "gateway.auth.trustedProxy.loopbackUser",
	"message": sprintf("loopbackUser %s is not in allowUsers: internal callers will always be rejected", [json.marshal(trim_space(input.loopback_user))]),
} if {
	trusted_proxy_mode
	loopback_user_set
	count(input.allow_users) > 0
	not trim_space(input.loopback_user) in input.allow_users
}

warnings contains {
	"order": 5,
	"index": i,
	"code": "config_allow_users_entry_whitespace",
	"path": sprintf("gateway.auth.trustedProxy.allowUsers.%d", [i]),
	"message": sprintf("allowUsers.%d (%s) has surrounding whitespace and can never match a user", [i, json.marshal(u)]),
} if {
	trusted_proxy_mode
	some i, u in input.allow_users
	u != trim_space(u)
}

loopback_user_set if {
	is_string(input.loopback_user)
	trim_space(input.loopback_user) != ""
}
