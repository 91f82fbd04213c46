package trusted_proxy.audit_test

import rego.v1

view := data.trusted_proxy.startup_test.view

checks(v) := {sprintf("%s/%s", [f.checkId, f.severity]) | some f in findings} if findings := data.trusted_proxy.audit.findings with input as v

test_trusted_proxy_mode_always_gets_the_reminder if "gateway.trusted_proxy_auth/critical" in checks(view)

test_whole_family_ranges_are_critical if {
	entry := {"entry": "0.0.0.0/0", "blank": false, "valid": true, "cidr": "0.0.0.0/0", "single": false, "whole_family": true}
	"gateway.trusted_proxies_broad/critical" in checks(object.union(view, {"trusted_proxies": [entry]}))
}

test_wildcard_origin_only_matters_beyond_loopback if {
	"gateway.control_ui.allowed_origins_wildcard/critical" in checks(object.union(view, {"allowed_origins": ["*"]}))
	not "gateway.control_ui.allowed_origins_wildcard/critical" in checks(object.union(view, {"allowed_origins": ["*"], "bind": "loopback"}))
}
