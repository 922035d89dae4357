package sts

import (
	"testing"

	"gatehouse/awserr"
	"gatehouse/principal"
)

// TestCheckSessionScope: credentials from GetSessionToken without MFA
// "cannot call any IAM API operations" and "cannot call any AWS STS API
// except AssumeRole or GetCallerIdentity" (IAM User Guide, Requesting
// temporary security credentials); other credentials are not limited.
func TestCheckSessionScope(t *testing.T) {
	user := &principal.Caller{Type: principal.IAMUser, Account: "111122223333", Name: "alice"}
	fromSessionToken := &principal.Caller{Type: principal.IAMUser, Account: "111122223333", Name: "alice",
		Session: &principal.Session{Issuer: "GetSessionToken"}}
	roleSession := &principal.Caller{Type: principal.AssumedRole, Account: "111122223333",
		Session: &principal.Session{Issuer: "AssumeRole"}}
	tests := []struct {
		name               string
		caller             *principal.Caller
		service, operation string
		wantCode           string
	}{
		{name: "long-term key, IAM", caller: user, service: "iam", operation: "ListRoles"},
		{name: "role session, IAM", caller: roleSession, service: "iam", operation: "ListRoles"},
		{name: "role session, STS", caller: roleSession, service: "sts", operation: "GetAccessKeyInfo"},
		{name: "session token, IAM", caller: fromSessionToken, service: "iam", operation: "ListRoles", wantCode: "InvalidClientTokenId"},
		{name: "session token, AssumeRole", caller: fromSessionToken, service: "sts", operation: "AssumeRole"},
		{name: "session token, GetCallerIdentity", caller: fromSessionToken, service: "sts", operation: "GetCallerIdentity"},
		{name: "session token, GetAccessKeyInfo", caller: fromSessionToken, service: "sts", operation: "GetAccessKeyInfo", wantCode: "AccessDenied"},
		{name: "session token, Organizations", caller: fromSessionToken, service: "organizations", operation: "DescribeOrganization"},
		{name: "no caller", service: "iam", operation: "ListRoles"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSessionScope(tt.caller, tt.service, tt.operation)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			if got := awserr.As(err).Code; got != tt.wantCode {
				t.Errorf("code = %s (%v), want %s", got, err, tt.wantCode)
			}
		})
	}
}
