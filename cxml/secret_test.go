package cxml

import (
	"fmt"
	"strings"
	"testing"
)

func TestSecretEqual(t *testing.T) {
	tests := []struct {
		name      string
		got, want string
		match     bool
	}{
		{name: "equal", got: "s3cr3t", want: "s3cr3t", match: true},
		{name: "different", got: "s3cr3t", want: "s3cr3u", match: false},
		{name: "prefix", got: "s3cr", want: "s3cr3t", match: false},
		{name: "case differs", got: "S3CR3T", want: "s3cr3t", match: false},
		{name: "empty presented", got: "", want: "s3cr3t", match: false},
		{name: "empty configured", got: "s3cr3t", want: "", match: false},
		{name: "both empty", got: "", want: "", match: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			equal(t, "match", SecretEqual(tt.got, tt.want), tt.match)
		})
	}
}

func TestSecretNeverPrints(t *testing.T) {
	c := Credential{Domain: "NetworkID", Identity: "acme", SharedSecret: "s3cr3t"}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(format, c); strings.Contains(out, "s3cr3t") {
			t.Errorf("%s prints the secret: %s", format, out)
		}
	}
	d := &Document{Header: &Header{Sender: Sender{Credentials: []Credential{c}}}}
	if out := fmt.Sprintf("%+v", *d.Header); strings.Contains(out, "s3cr3t") {
		t.Errorf("header prints the secret: %s", out)
	}
}

func TestCredentialMatches(t *testing.T) {
	c := Credential{Domain: "NetworkId", Identity: "AN01000000042"}
	tests := []struct {
		name             string
		domain, identity string
		match            bool
	}{
		{name: "exact", domain: "NetworkId", identity: "AN01000000042", match: true},
		{name: "domain in other case", domain: "NETWORKID", identity: "AN01000000042", match: true},
		{name: "identity case matters", domain: "NetworkID", identity: "an01000000042", match: false},
		{name: "other domain", domain: "DUNS", identity: "AN01000000042", match: false},
		{name: "empty identity", domain: "NetworkID", identity: "", match: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			equal(t, "match", c.Matches(tt.domain, tt.identity), tt.match)
		})
	}
}
