package sts

import (
	"errors"
	"testing"
	"time"
)

// FuzzOpen feeds Tokens.Open session tokens made from a real one by the
// fuzzer. Open must never panic, and it must authenticate nothing but the
// real token, unchanged, with its own access key id: AES-GCM's tag makes
// any other input ErrInvalidToken.
func FuzzOpen(f *testing.F) {
	tokens := newTokens(f)
	caller := sessionCaller(f, t0.Add(time.Hour))
	real, err := tokens.Seal("secret-key", caller)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(caller.AccessKeyID, real)
	f.Add(caller.AccessKeyID, real[:len(real)/2])
	f.Add(caller.AccessKeyID, real+"A")
	f.Add("ASIAAAAAAAAAAAAAAAAA", real)
	f.Add(caller.AccessKeyID, "")
	f.Add(caller.AccessKeyID, "AQ==")
	f.Add(caller.AccessKeyID, "not base64 at all!")
	f.Fuzz(func(t *testing.T, keyID, token string) {
		secret, _, err := tokens.Open(keyID, token, t0.Add(time.Minute))
		if keyID == caller.AccessKeyID && token == real {
			if err != nil || secret != "secret-key" {
				t.Fatalf("the real token: %q, %v", secret, err)
			}
			return
		}
		if !errors.Is(err, ErrInvalidToken) {
			t.Fatalf("Open(%q, %q) = %q, %v; want ErrInvalidToken", keyID, token, secret, err)
		}
	})
}
