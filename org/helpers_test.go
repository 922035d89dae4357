package org

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gatehouse/awserr"
	"gatehouse/principal"
	"gatehouse/store"
	"gatehouse/store/sqlite"
)

// The test accounts.
const (
	mgmtID  = "111111111111"
	otherID = "999999999999" // registered, in no organization
)

// newService returns a Service over a fresh SQLite store with a clock
// that advances one second on every reading.
func newService(t *testing.T) *Service {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var mu sync.Mutex
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := New(st)
	s.Now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	ctx := context.Background()
	if id, err := s.EnsureManagementAccount(ctx, mgmtID, "mgmt@example.com", "Management"); err != nil || id != mgmtID {
		t.Fatalf("EnsureManagementAccount = %q, %v", id, err)
	}
	// A standalone account, as one removed from its organization is.
	err = st.Update(ctx, func(tx store.Tx) error {
		return putAccount(ctx, tx, &accountRec{Id: otherID, Email: "other@example.com", Name: "Other", Status: AccountStatusActive, State: AccountStateActive})
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// rootOf returns the root user of an account as a caller.
func rootOf(account string) *principal.Caller {
	return &principal.Caller{Type: principal.Root, Account: account, ARN: principal.RootARN(account), PrincipalARN: principal.RootARN(account), UserID: account}
}

var mgmt = rootOf(mgmtID)

// must returns v, failing the test given to the returned function when
// err is not nil: must(s.Op(ctx, caller, in))(t).
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// wantErr checks that err is the AWS error code with the Reason (none
// when reason is "").
func wantErr(t *testing.T, err error, code, reason string) {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want %s", err, code)
	}
	got, has := e.Field("Reason")
	if e.Code != code || reason == "" && has || reason != "" && got != reason {
		t.Fatalf("got %s (reason %v): %s; want %s (reason %q)", e.Code, got, e.Message, code, reason)
	}
	if e.HTTPStatus() != 400 || e.Message == "" {
		t.Fatalf("got status %d message %q, want 400 and a message", e.HTTPStatus(), e.Message)
	}
}

// checkErr checks err against a wanted code: none when code is "".
func checkErr(t *testing.T, err error, code, reason string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	wantErr(t, err, code, reason)
}

// newOrg creates an organization with all features managed by mgmtID.
func newOrg(t *testing.T, s *Service) Organization {
	t.Helper()
	return must(s.CreateOrganization(context.Background(), mgmt, CreateOrganizationInput{}))(t).Organization
}

// rootID returns the organization's root id.
func rootID(t *testing.T, s *Service) string {
	t.Helper()
	return must(s.ListRoots(context.Background(), mgmt, ListRootsInput{}))(t).Roots[0].Id
}

// newAccount creates an account in the root and returns its id.
func newAccount(t *testing.T, s *Service, name string) string {
	t.Helper()
	ctx := context.Background()
	car := must(s.CreateAccount(ctx, mgmt, CreateAccountInput{Email: name + "@example.com", AccountName: name}))(t).CreateAccountStatus
	st := must(s.DescribeCreateAccountStatus(ctx, mgmt, DescribeCreateAccountStatusInput{CreateAccountRequestId: car.Id}))(t).CreateAccountStatus
	if st.State != CreateAccountStateSucceeded {
		t.Fatalf("CreateAccount %s: %+v", name, st)
	}
	return st.AccountId
}

// newOU creates an OU and returns its id.
func newOU(t *testing.T, s *Service, parent, name string) string {
	t.Helper()
	return must(s.CreateOrganizationalUnit(context.Background(), mgmt, CreateOrganizationalUnitInput{ParentId: parent, Name: name}))(t).OrganizationalUnit.Id
}

// newSCP creates an SCP with the content and returns its id.
func newSCP(t *testing.T, s *Service, name, content string) string {
	t.Helper()
	return must(s.CreatePolicy(context.Background(), mgmt, CreatePolicyInput{Name: name, Description: name, Type: PolicyTypeServiceControlPolicy, Content: content}))(t).Policy.PolicySummary.Id
}

// denySCP is a valid SCP denying one action.
func denySCP(action string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"` + action + `","Resource":"*"}]}`
}

func ptr[T any](v T) *T { return &v }
