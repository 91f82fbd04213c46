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

# gateway.trusted_proxy_loopback_user: the same-host proxy risk is named when a loopback address is
# a trusted proxy, and only then.
proxy(entry, cidr) := {"entry": entry, "blank": false, "valid": true, "cidr": cidr, "single": endswith(cidr, "/32"), "whole_family": endswith(cidr, "/0")}

loopback_user_view(entries) := object.union(view, {"trusted_proxies": entries, "allow_loopback": true, "loopback_user": " agent@internal "})

loopback_user_finding(entries) := f if {
	some f in data.trusted_proxy.audit.findings with input as loopback_user_view(entries)
	f.checkId == "gateway.trusted_proxy_loopback_user"
}

names_same_host_risk(f) if {
	f.severity == "warn"
	contains(f.detail, "X-Forwarded-For")
	contains(f.detail, "taken for an internal caller")
	contains(f.fix, "proxy_set_header X-Forwarded-For")
	contains(f.fix, "do not set loopbackUser")
}

ordinary_text(f) if {
	f.severity == "warn"
	f.detail == "loopbackUser \"agent@internal\" is given to every direct loopback connection without proxy headers."
	f.fix == "Make sure only the gateway's own subsystems can connect over loopback (e.g. a pod with no other containers)."
}

test_loopback_user_names_the_same_host_proxy_risk if {
	f := loopback_user_finding([proxy("10.0.0.1", "10.0.0.1/32"), proxy("127.0.0.2", "127.0.0.2/32")])
	names_same_host_risk(f)
	contains(f.detail, "(\"127.0.0.2\")")
}

test_loopback_user_risk_for_every_entry_covering_loopback if {
	names_same_host_risk(loopback_user_finding([proxy("::1", "::1/128")]))
	names_same_host_risk(loopback_user_finding([proxy("127.0.0.0/8", "127.0.0.0/8")]))
	names_same_host_risk(loopback_user_finding([proxy("::ffff:127.0.0.1", "127.0.0.1/32")]))
	names_same_host_risk(loopback_user_finding([proxy("0.0.0.0/0", "0.0.0.0/0")]))
	names_same_host_risk(loopback_user_finding([proxy("::/0", "::/0")]))
	f := loopback_user_finding([proxy("::1", "::1/128"), proxy(" 127.0.0.1", "127.0.0.1/32")])
	contains(f.detail, "(\" 127.0.0.1\", \"::1\")")
}

test_loopback_user_ordinary_text_without_a_loopback_proxy if {
	ordinary_text(loopback_user_finding([proxy("10.0.0.1", "10.0.0.1/32")]))
	ordinary_text(loopback_user_finding([proxy("126.0.0.0/8", "126.0.0.0/8"), proxy("128.0.0.1", "128.0.0.1/32")]))
	ordinary_text(loopback_user_finding([proxy("::127.0.0.1", "::7f00:1/128"), proxy("::2", "::2/128")])) # IPv4-compatible: not loopback
	ordinary_text(loopback_user_finding([{"entry": "127.0.0.1:80", "blank": false, "valid": false, "cidr": "", "single": false, "whole_family": false}]))
	ordinary_text(loopback_user_finding([]))
}

test_loopback_user_finding_fires_as_before if {
	count({f | some f in data.trusted_proxy.audit.findings with input as object.union(loopback_user_view([proxy("127.0.0.2", "127.0.0.2/32")]), {"allow_loopback": false}); f.checkId == "gateway.trusted_proxy_loopback_user"}) == 0
	count({f | some f in data.trusted_proxy.audit.findings with input as loopback_user_view([proxy("127.0.0.2", "127.0.0.2/32")]); f.checkId == "gateway.trusted_proxy_loopback_user"}) == 1
}
