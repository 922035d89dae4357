package punchout

import (
	"testing"

	"gatehouse/cxml"
	"gatehouse/procurement"
)

func TestCheckFormPost(t *testing.T) {
	prod := procurement.Portal{Preference: procurement.ProcurementPortalPreference{
		ProcurementPortalInstanceEndpoint: "https://acme.coupahost.com/cxml/po",
		PurchaseOrderRetrievalEndpoint:    "https://po.acme.example:8443/orders",
		TestEnvPreference:                 &procurement.TestEnvPreference{ProcurementPortalInstanceEndpoint: "https://acme-test.coupahost.com/"},
	}}
	test := prod
	test.Test = true
	tests := []struct {
		name   string
		portal procurement.Portal
		url    string
		want   int // 0 for allowed
	}{
		{name: "instance host", portal: prod, url: "https://acme.coupahost.com/punchout/checkout?id=1"},
		{name: "host in another case, default port", portal: prod, url: "https://ACME.coupahost.com:443/x"},
		{name: "retrieval host and port", portal: prod, url: "https://po.acme.example:8443/back"},
		{name: "retrieval host, other port", portal: prod, url: "https://po.acme.example/back", want: cxml.StatusForbidden},
		{name: "downgrade to http", portal: prod, url: "http://acme.coupahost.com/x", want: cxml.StatusForbidden},
		{name: "foreign host", portal: prod, url: "https://evil.example/x", want: cxml.StatusForbidden},
		{name: "suffix trick", portal: prod, url: "https://acme.coupahost.com.evil.example/x", want: cxml.StatusForbidden},
		{name: "user info", portal: prod, url: "https://x@acme.coupahost.com/x", want: cxml.StatusBadRequest},
		{name: "relative", portal: prod, url: "/checkout", want: cxml.StatusBadRequest},
		{name: "javascript", portal: prod, url: "javascript:alert(1)", want: cxml.StatusBadRequest},
		{name: "test environment uses its own endpoint", portal: test, url: "https://acme-test.coupahost.com/x"},
		{name: "test environment refuses production host", portal: test, url: "https://acme.coupahost.com/x", want: cxml.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkFormPost(tt.portal, tt.url)
			got := 0
			if err != nil {
				got = StatusOf(err)
			}
			if got != tt.want {
				t.Fatalf("checkFormPost(%q) = %v, want status %d", tt.url, err, tt.want)
			}
		})
	}
}

func TestSecretMatches(t *testing.T) {
	creds := []cxml.Credential{{Identity: "a"}, {Identity: "b", SharedSecret: "right"}}
	if !secretMatches(creds, "right") {
		t.Error("a matching secret in the second credential was refused")
	}
	if secretMatches(creds, "") {
		t.Error("an empty configured secret matched")
	}
	if secretMatches([]cxml.Credential{{SharedSecret: ""}}, "") {
		t.Error("empty secrets matched")
	}
}
