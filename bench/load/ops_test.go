package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/sigv4"
)

// TestOperationsAgainstBaseline drives every operation, readied and
// measured as a run does, against the baseline handler, which verifies
// each request's signature (and, for STS, its session token): so every
// operation's requests are signed and checked as the benchmark needs. It
// asserts on counts, never on time.
func TestOperationsAgainstBaseline(t *testing.T) {
	srv := httptest.NewServer(baselineHandler())
	defer srv.Close()
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			tg := &target{name: "baseline", url: srv.URL, orgID: baselineOrg, dials: new(atomic.Int64),
				creds: sigv4.Credentials{AccessKeyID: baselineKey, SecretAccessKey: baselineSecret}}
			tg.client = newClient(4, tg.dials)
			defer tg.client.CloseIdleConnections()
			if _, err := tg.prepare(context.Background(), op); err != nil {
				t.Fatalf("prepare: %v", err)
			}
			if op != operations[0] && (tg.opCreds.SessionToken == "" || !strings.HasPrefix(tg.opCreds.AccessKeyID, "ASIA")) {
				t.Errorf("%s is signed with %+v, not temporary credentials", op.name, tg.opCreds)
			}
			r := runLoad(context.Background(), tg, 4, 40, time.Minute)
			if r.ok != 40 || r.errors != 0 {
				t.Fatalf("runLoad: %d ok, %d errors (%v), want 40 ok", r.ok, r.errors, r.firstErrs)
			}
		})
	}
}

// TestOperationsCountOnlySuccesses checks that a request the server
// refuses counts as an error, not as a measured success: the baseline
// does not know the key.
func TestOperationsCountOnlySuccesses(t *testing.T) {
	srv := httptest.NewServer(baselineHandler())
	defer srv.Close()
	for _, op := range operations {
		t.Run(op.name, func(t *testing.T) {
			tg := &target{name: "baseline", url: srv.URL, orgID: baselineOrg, dials: new(atomic.Int64), op: op,
				opCreds: sigv4.Credentials{AccessKeyID: "ASIAUNKNOWN000000000", SecretAccessKey: "x", SessionToken: "y"},
				opBody:  assumeRoleBody(baselineRoleARN), want: stsSetup{account: baselineAccount}.assumedRoleARN()}
			tg.client = newClient(2, tg.dials)
			defer tg.client.CloseIdleConnections()
			r := runLoad(context.Background(), tg, 2, 6, time.Minute)
			if r.ok != 0 || r.errors != 6 {
				t.Fatalf("runLoad: %d ok, %d errors, want 6 errors", r.ok, r.errors)
			}
		})
	}
}

func TestCheckAssumeRole(t *testing.T) {
	const arn = "arn:aws:sts::111111111111:assumed-role/load-role/load-session"
	good := `<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAAAAAAAAAAAAAAAAA</AccessKeyId><SecretAccessKey>s</SecretAccessKey>` +
		`<SessionToken>t</SessionToken><Expiration>2026-11-25T12:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA:load-session</AssumedRoleId>` +
		`<Arn>` + arn + `</Arn></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`
	tests := []struct {
		name    string
		code    int
		body    string
		wantErr bool
	}{
		{name: "credentials", code: http.StatusOK, body: good},
		{name: "access denied", code: http.StatusForbidden, body: `<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>`, wantErr: true},
		{name: "200 without credentials", code: http.StatusOK, body: strings.Replace(good, "<SessionToken>t</SessionToken>", "", 1), wantErr: true},
		{name: "long-term key", code: http.StatusOK, body: strings.Replace(good, "<AccessKeyId>ASIA", "<AccessKeyId>AKIA", 1), wantErr: true},
		{name: "another session", code: http.StatusOK, body: strings.Replace(good, "load-role/load-session", "load-role/other", 1), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkAssumeRole(tt.code, []byte(tt.body), arn); (err != nil) != tt.wantErr {
				t.Errorf("checkAssumeRole = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestCheckGetCallerIdentity(t *testing.T) {
	const arn = "arn:aws:sts::111111111111:assumed-role/load-role/load-session"
	good := `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>` + arn + `</Arn><UserId>AROA:load-session</UserId><Account>111111111111</Account></GetCallerIdentityResult></GetCallerIdentityResponse>`
	tests := []struct {
		name    string
		code    int
		body    string
		wantErr bool
	}{
		{name: "the session", code: http.StatusOK, body: good},
		{name: "expired token", code: http.StatusForbidden, body: `<ErrorResponse><Error><Code>ExpiredToken</Code></Error></ErrorResponse>`, wantErr: true},
		{name: "another caller", code: http.StatusOK, body: strings.Replace(good, "assumed-role/load-role/load-session", "user/load-user", 1), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := checkGetCallerIdentity(tt.code, []byte(tt.body), arn); (err != nil) != tt.wantErr {
				t.Errorf("checkGetCallerIdentity = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func TestXMLFields(t *testing.T) {
	doc := []byte(`<CreateAccessKeyResponse><CreateAccessKeyResult><AccessKey><UserName>u</UserName><AccessKeyId>AKIA1</AccessKeyId>` +
		`<Status>Active</Status><SecretAccessKey>secret</SecretAccessKey></AccessKey></CreateAccessKeyResult></CreateAccessKeyResponse>`)
	got, err := xmlFields(doc, "AccessKeyId", "SecretAccessKey")
	if err != nil || len(got) != 2 || got[0] != "AKIA1" || got[1] != "secret" {
		t.Fatalf("xmlFields = %q, %v", got, err)
	}
	if _, err := xmlFields(doc, "AccessKeyId", "SessionToken"); err == nil {
		t.Error("xmlFields found a SessionToken that is not there")
	}
}

func TestLookupOperation(t *testing.T) {
	if op, err := lookupOperation("assume-role"); err != nil || op.event != "AssumeRole" {
		t.Errorf("lookupOperation(assume-role) = %v, %v", op, err)
	}
	if _, err := lookupOperation("describe"); err == nil {
		t.Error("lookupOperation(describe) did not fail")
	}
	if operations[0].name != "describe-organization" {
		t.Errorf("the default operation is %s, want describe-organization", operations[0].name)
	}
}
