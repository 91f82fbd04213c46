package trusted_proxy_test

import rego.v1

# A proxied deployment: one proxy, a user header, a required header, an allow-list.
gateway := {
	"trusted_proxies": ["10.0.0.1/32"],
	"allow_loopback": false,
	"loopback_user": "",
	"user_header": "x-forwarded-user",
	"required_headers": ["x-forwarded-proto"],
	"allow_users": ["nick@example.com"],
	"allowed_origins": ["https://control.example.com"],
	"host_header_fallback": false,
	"password_configured": false,
}

# The same with a sidecar's internal callers.
sidecar := object.union(object.remove(gateway, ["trusted_proxies", "allow_users"]), {
	"trusted_proxies": ["10.42.0.7/32"],
	"allow_loopback": true,
	"loopback_user": "agent@internal",
	"allow_users": ["nick@example.com", "agent@internal"],
	"password_configured": true,
})

# A proxied request, with top-level facts replaced by `overrides`.
request(overrides) := object.union(object.remove(base_request, object.keys(overrides)), overrides)

base_request := {
	"transport": "http",
	"surface": "api",
	"peer": {"valid": true, "ip": "10.0.0.1", "loopback": false},
	"headers": {"x-forwarded-user": "nick@example.com", "x-forwarded-proto": "https"},
	"forwarded": true,
	"origin": {"present": false, "valid": false, "normalized": "", "host": ""},
	"host": "gateway.local",
	"scopes": {"present": false, "value": ""},
	"password": "absent",
	"rate_limited": false,
}

decide(req, cfg) := d if {
	d := data.trusted_proxy.decision with input as req with data.gateway as cfg
}

test_proxied_user_is_allowed_with_default_scopes if {
	d := decide(request({}), gateway)
	d.allow
	d.user == "nick@example.com"
	d.method == "trusted-proxy"
	count(d.scopes) == 6
}

test_untrusted_peer_is_denied if {
	d := decide(request({"peer": {"valid": true, "ip": "10.0.0.2", "loopback": false}}), gateway)
	d.reason == "trusted_proxy_untrusted_source"
}

test_invalid_peer_is_denied if {
	d := decide(request({"peer": {"valid": false, "ip": "", "loopback": false}}), gateway)
	d.reason == "trusted_proxy_untrusted_source"
}

test_loopback_peer_needs_allow_loopback if {
	cfg := object.union(object.remove(gateway, ["trusted_proxies"]), {"trusted_proxies": ["127.0.0.1/32"]})
	d := decide(request({"peer": {"valid": true, "ip": "127.0.0.1", "loopback": true}}), cfg)
	d.reason == "trusted_proxy_loopback_source"
}

test_missing_required_header_names_it if {
	d := decide(request({"headers": {"x-forwarded-user": "nick@example.com"}}), gateway)
	d.reason == "trusted_proxy_missing_header_x-forwarded-proto"
}

test_user_header_missing if {
	d := decide(request({"headers": {"x-forwarded-proto": "https"}}), gateway)
	d.reason == "trusted_proxy_user_missing"
}

test_user_not_in_allow_list if {
	d := decide(request({"headers": {"x-forwarded-user": "Nick@example.com", "x-forwarded-proto": "https"}}), gateway)
	d.reason == "trusted_proxy_user_not_allowed"
}

test_http_origin_must_be_allowed if {
	origin := {"present": true, "valid": true, "normalized": "https://evil.example", "host": "evil.example"}
	d := decide(request({"origin": origin}), gateway)
	d.reason == "trusted_proxy_origin_not_allowed"
}

test_control_ui_websocket_needs_an_origin if {
	d := decide(request({"transport": "ws", "surface": "control-ui"}), gateway)
	d.reason == "control_ui_origin_not_allowed"
}

test_scopes_header_is_honoured if {
	d := decide(request({"scopes": {"present": true, "value": "operator.read, ,operator.write"}}), gateway)
	d.scopes == ["operator.read", "operator.write"]
}

test_internal_loopback_caller_gets_loopback_user if {
	req := request({"peer": {"valid": true, "ip": "127.0.0.1", "loopback": true}, "headers": {}, "forwarded": false})
	d := decide(req, sidecar)
	d.allow
	d.user == "agent@internal"
	d.method == "loopback-user"
}

test_loopback_user_never_for_forwarded_requests if {
	req := request({"peer": {"valid": true, "ip": "127.0.0.1", "loopback": true}, "headers": {}, "forwarded": true})
	d := decide(req, sidecar)
	not d.allow
	d.reason == "trusted_proxy_untrusted_source"
}

test_loopback_user_never_for_remote_peers if {
	req := request({"peer": {"valid": true, "ip": "10.9.9.9", "loopback": false}, "headers": {}, "forwarded": false})
	d := decide(req, sidecar)
	d.reason == "trusted_proxy_untrusted_source"
}

test_password_fallback_for_direct_local_callers if {
	cfg := object.union(gateway, {"password_configured": true})
	base := {"peer": {"valid": true, "ip": "127.0.0.1", "loopback": true}, "headers": {}, "forwarded": false}
	decide(request(object.union(base, {"password": "match"})), cfg).method == "password"
	decide(request(object.union(base, {"password": "mismatch"})), cfg).reason == "password_mismatch"
	decide(request(object.union(base, {"password": "match", "rate_limited": true})), cfg).reason == "rate_limited"
}
