package sts

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"gatehouse/credentials"
	"gatehouse/principal"
)

func newTokens(t testing.TB) *Tokens {
	t.Helper()
	key := make([]byte, credentials.MasterKeySize)
	rand.Read(key)
	c, err := credentials.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	return NewTokens(c)
}

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func sessionCaller(t testing.TB, expires time.Time) principal.Caller {
	t.Helper()
	id, err := newTemporaryKeyID("111122223333")
	if err != nil {
		t.Fatal(err)
	}
	return principal.Caller{
		Type: principal.AssumedRole, Account: "111122223333",
		ARN:          "arn:aws:sts::111122223333:assumed-role/admin/alice",
		PrincipalARN: "arn:aws:iam::111122223333:role/admin",
		UserID:       "AROAEXAMPLEEXAMPLE01:alice", Name: "alice", AccessKeyID: id,
		Tags: map[string]string{"team": "blue"},
		Session: &principal.Session{Issuer: "AssumeRole", Issued: t0, Expiration: expires,
			Policies:          []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
			TransitiveTagKeys: []string{"team"}, SourceIdentity: "alice@example.com"},
	}
}

func TestTokenRoundTrip(t *testing.T) {
	tokens := newTokens(t)
	caller := sessionCaller(t, t0.Add(time.Hour))
	token, err := tokens.Seal("secret-key", caller)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // the second Open is served from the cache
		secret, got, err := tokens.Open(caller.AccessKeyID, token, t0.Add(time.Minute))
		if err != nil {
			t.Fatalf("Open #%d: %v", i, err)
		}
		if secret != "secret-key" || got.ARN != caller.ARN || got.AccessKeyID != caller.AccessKeyID ||
			got.Session.SourceIdentity != "alice@example.com" || got.Tags["team"] != "blue" ||
			len(got.Session.Policies) != 1 || !got.Session.Expiration.Equal(caller.Session.Expiration) {
			t.Errorf("Open #%d = %q, %+v %+v", i, secret, got, got.Session)
		}
	}
}

func TestTokenFailsClosed(t *testing.T) {
	tokens := newTokens(t)
	caller := sessionCaller(t, t0.Add(time.Hour))
	token, err := tokens.Seal("secret-key", caller)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(token)
	flip := func(i int) string {
		b := append([]byte(nil), raw...)
		b[i] ^= 1
		return base64.StdEncoding.EncodeToString(b)
	}
	other, _ := newTemporaryKeyID("111122223333")
	otherToken, _ := newTokens(t).Seal("secret-key", caller)
	tests := []struct {
		name, keyID, token string
		at                 time.Time
		want               error
	}{
		{name: "flipped version", keyID: caller.AccessKeyID, token: flip(0), at: t0, want: ErrInvalidToken},
		{name: "flipped nonce", keyID: caller.AccessKeyID, token: flip(3), at: t0, want: ErrInvalidToken},
		{name: "flipped ciphertext", keyID: caller.AccessKeyID, token: flip(len(raw) / 2), at: t0, want: ErrInvalidToken},
		{name: "flipped tag", keyID: caller.AccessKeyID, token: flip(len(raw) - 1), at: t0, want: ErrInvalidToken},
		{name: "truncated", keyID: caller.AccessKeyID, token: token[:len(token)/2], at: t0, want: ErrInvalidToken},
		{name: "not base64", keyID: caller.AccessKeyID, token: "!!" + token, at: t0, want: ErrInvalidToken},
		{name: "empty", keyID: caller.AccessKeyID, token: "", at: t0, want: ErrInvalidToken},
		{name: "too large", keyID: caller.AccessKeyID, token: strings.Repeat("A", MaxTokenSize+4), at: t0, want: ErrInvalidToken},
		{name: "another key id", keyID: other, token: token, at: t0, want: ErrInvalidToken},
		{name: "another master key", keyID: caller.AccessKeyID, token: otherToken, at: t0, want: ErrInvalidToken},
		{name: "expired at expiration", keyID: caller.AccessKeyID, token: token, at: t0.Add(time.Hour), want: ErrExpiredToken},
		{name: "expired after", keyID: caller.AccessKeyID, token: token, at: t0.Add(2 * time.Hour), want: ErrExpiredToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := tokens.Open(tt.keyID, tt.token, tt.at)
			if !errors.Is(err, tt.want) {
				t.Errorf("Open = %v, want %v", err, tt.want)
			}
		})
	}
	// The valid token still opens after the failures, and with the
	// cache warm, another key id is still refused.
	if _, _, err := tokens.Open(caller.AccessKeyID, token, t0); err != nil {
		t.Errorf("Open valid token: %v", err)
	}
	if _, _, err := tokens.Open(other, token, t0); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("Open cached token with another key id = %v, want ErrInvalidToken", err)
	}
}

func TestSealNeedsSession(t *testing.T) {
	tokens := newTokens(t)
	c := sessionCaller(t, t0)
	c.Session = nil
	if _, err := tokens.Seal("s", c); err == nil {
		t.Error("Seal of a caller without a session succeeded")
	}
}

func TestTemporaryKeyID(t *testing.T) {
	for _, account := range []string{"000000000000", "111122223333", "999999999999", "123456789012"} {
		id, err := newTemporaryKeyID(account)
		if err != nil {
			t.Fatal(err)
		}
		if len(id) != 20 || !strings.HasPrefix(id, "ASIA") || strings.Trim(id[4:], "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
			t.Errorf("key id %q is not ASIA + 16 base32 characters", id)
		}
		if got, ok := temporaryKeyAccount(id); !ok || got != account {
			t.Errorf("temporaryKeyAccount(%s) = %q, %v; want %s", id, got, ok, account)
		}
	}
	if _, err := newTemporaryKeyID("12345"); err == nil {
		t.Error("newTemporaryKeyID accepted a short account")
	}
	for _, id := range []string{"AKIAAAAAAAAAAAAAAAAA", "ASIA", "ASIA1111111111111111", "ASIA7777777777777777"} {
		if got, ok := temporaryKeyAccount(id); ok {
			t.Errorf("temporaryKeyAccount(%s) = %q, want none", id, got)
		}
	}
}

// BenchmarkOpen measures the session-token check of every request signed
// with temporary credentials: warm (the token seen before, the path of
// all but a session's first request) and cold (decrypt and decode).
func BenchmarkOpen(b *testing.B) {
	tokens := newTokens(b)
	caller := sessionCaller(b, t0.Add(time.Hour))
	token, err := tokens.Seal("secret-key", caller)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("warm", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := tokens.Open(caller.AccessKeyID, token, t0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cold", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := tokens.decode(caller.AccessKeyID, token); err != nil {
				b.Fatal(err)
			}
		}
	})
}
