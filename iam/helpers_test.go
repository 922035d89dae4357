package iam

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"gatehouse/awserr"
	"gatehouse/credentials"
	"gatehouse/principal"
	"gatehouse/store"
	"gatehouse/store/sqlite"
)

const acct = "111111111111"

var root = &principal.Caller{Type: principal.Root, Account: acct, ARN: principal.RootARN(acct), PrincipalARN: principal.RootARN(acct), UserID: acct}

// newService returns a Service over a fresh SQLite store.
func newService(t *testing.T) *Service {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c, err := credentials.NewCipher(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	return New(st, &credentials.Keys{Store: st, Cipher: c})
}

// wantCode fails unless err is the AWS error code with the message (when
// not empty).
func wantCode(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Errorf("err = %s %q, want %s %q", e.Code, e.Message, code, msg)
	}
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func generation(t *testing.T, s *Service) int64 {
	t.Helper()
	g, err := s.Store.Generation(context.Background())
	mustOK(t, err)
	return g
}

func view(t *testing.T, s *Service, fn func(tx store.Tx) error) {
	t.Helper()
	mustOK(t, s.Store.View(context.Background(), fn))
}

const allowAll = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

func trustRoot(account string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"sts:AssumeRole"}]}`
}
