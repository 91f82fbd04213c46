package trusted_proxy.startup_test

import rego.v1

view := {
	"malformed": [],
	"mode": "trusted-proxy",
	"trusted_proxy_block": true,
	"user_header": "x-forwarded-user",
	"token_configured": false,
	"token_source": "gateway.auth.token",
	"trusted_proxies": [{"entry": "10.0.0.1", "blank": false, "valid": true, "cidr": "10.0.0.1/32", "single": true, "whole_family": false}],
	"bind": "lan",
	"control_ui_enabled": true,
	"allowed_origins": ["https://control.example.com"],
	"host_header_fallback": false,
	"allow_loopback": false,
	"loopback_user": null,
	"allow_users": [],
	"required_headers": [],
	"password_set": false,
	"hsts": null,
	"tls_enabled": false,
}

codes(v) := [e.code | some e in r.errors] if r := data.trusted_proxy.startup.result with input as v

warning_codes(v) := [w.code | some w in r.warnings] if r := data.trusted_proxy.startup.result with input as v

test_valid_config_has_no_errors if codes(view) == []

test_errors_are_reported_together_in_order if {
	v := object.union(view, {"token_configured": true, "trusted_proxies": [], "allowed_origins": []})
	codes(v) == ["mixed_trusted_proxy_token", "config_no_trusted_proxies", "config_control_ui_allowed_origins_required"]
}

test_other_modes_skip_the_trusted_proxy_checks if {
	codes(object.union(view, {"mode": "token", "token_configured": true})) == ["config_mode_not_trusted_proxy"]
}

test_malformed_inputs_skip_their_checks if {
	codes(object.union(view, {"trusted_proxies": [], "malformed": ["gateway.trustedProxies"]})) == []
}

test_warnings_in_spec_order if {
	v := object.union(view, {
		"trusted_proxies": [{"entry": "bogus", "blank": false, "valid": false, "cidr": "", "single": false, "whole_family": false}],
		"allow_loopback": true,
		"allow_users": [" nick@example.com"],
	})
	warning_codes(v) == ["config_trusted_proxies_invalid_entry", "config_allow_loopback_without_loopback_user", "config_allow_users_entry_whitespace"]
}
