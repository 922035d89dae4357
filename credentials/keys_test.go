package credentials

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"regexp"
	"sync"
	"testing"

	"gatehouse/principal"
	"gatehouse/store"
	"gatehouse/store/sqlite"
)

func openStore(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newKeys(t *testing.T) *Keys {
	t.Helper()
	return &Keys{Store: openStore(t), Cipher: newCipher(t)}
}

func put(t *testing.T, k *Keys, id, secret string, caller principal.Caller) {
	t.Helper()
	ctx := t.Context()
	err := k.Store.Update(ctx, func(tx store.Tx) error { return k.Put(ctx, tx, id, secret, caller) })
	if err != nil {
		t.Fatalf("Put %s: %v", id, err)
	}
}

var (
	rootCaller = principal.Caller{
		Type: principal.Root, Account: "111122223333",
		ARN: "arn:aws:iam::111122223333:root", PrincipalARN: "arn:aws:iam::111122223333:root", UserID: "111122223333",
	}
	userCaller = principal.Caller{
		Type: principal.IAMUser, Account: "444455556666",
		ARN: "arn:aws:iam::444455556666:user/alice", PrincipalARN: "arn:aws:iam::444455556666:user/alice",
		UserID: "AIDAEXAMPLEALICE", Name: "alice", Tags: map[string]string{"team": "blue"},
	}
)

func TestKeysPutLookup(t *testing.T) {
	k := newKeys(t)
	ctx := t.Context()
	// A caller handed to Put with an access key id keeps the one it is
	// looked up by, not that one.
	withStaleKey := userCaller
	withStaleKey.AccessKeyID = "AKIASTALESTALESTALE2"
	put(t, k, "AKIAROOTROOTROOTROOT", "root-secret/with+chars0123456789abcdefgh", rootCaller)
	put(t, k, "AKIAUSERUSERUSERUSER", "user-secret", withStaleKey)

	tests := []struct {
		name       string
		id         string
		wantSecret string
		wantCaller principal.Caller
		wantErr    error
	}{
		{name: "root key", id: "AKIAROOTROOTROOTROOT", wantSecret: "root-secret/with+chars0123456789abcdefgh", wantCaller: rootCaller},
		{name: "user key", id: "AKIAUSERUSERUSERUSER", wantSecret: "user-secret", wantCaller: userCaller},
		{name: "unknown key", id: "AKIANOSUCHKEYNOSUCH2", wantErr: ErrUnknownKey},
		{name: "empty id", id: "", wantErr: ErrUnknownKey},
		{name: "another case", id: "akiarootrootrootroot", wantErr: ErrUnknownKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secret, caller, err := k.Lookup(ctx, tt.id)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Lookup(%q) error = %v, want %v", tt.id, err, tt.wantErr)
				}
				if secret != "" || !reflect.DeepEqual(caller, principal.Caller{}) {
					t.Fatalf("Lookup(%q) returned %q, %+v with its error", tt.id, secret, caller)
				}
				return
			}
			if err != nil {
				t.Fatalf("Lookup(%q): %v", tt.id, err)
			}
			if secret != tt.wantSecret {
				t.Errorf("secret = %q, want %q", secret, tt.wantSecret)
			}
			want := tt.wantCaller
			want.AccessKeyID = tt.id
			if !reflect.DeepEqual(caller, want) {
				t.Errorf("caller = %+v, want %+v", caller, want)
			}
		})
	}
}

func TestKeysLookupInactive(t *testing.T) {
	k := newKeys(t)
	ctx := t.Context()
	const id = "AKIAINACTIVEINACTIVE"
	put(t, k, id, "secret", rootCaller)
	if _, _, err := k.Lookup(ctx, id); err != nil {
		t.Fatalf("Lookup of the active key: %v", err)
	}
	err := k.Store.Update(ctx, func(tx store.Tx) error {
		return k.SetStatus(ctx, tx, id, "Inactive")
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := k.Lookup(ctx, id); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("Lookup of an inactive key error = %v, want ErrUnknownKey", err)
	}
}

func TestKeysSecretEncryptedAtRest(t *testing.T) {
	k := newKeys(t)
	ctx := t.Context()
	const id, secret = "AKIAATRESTATRESTATRE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	put(t, k, id, secret, rootCaller)

	var rec store.Record
	err := k.Store.View(ctx, func(tx store.Tx) error {
		var err error
		rec, err = tx.Get(ctx, Kind, id)
		return err
	})
	if err != nil {
		t.Fatalf("Get raw record: %v", err)
	}
	if rec.Parent != rootCaller.Account {
		t.Errorf("record parent = %q, want the caller's account %q", rec.Parent, rootCaller.Account)
	}
	if bytes.Contains(rec.Body, []byte(secret)) {
		t.Fatalf("the stored record holds the plaintext secret: %s", rec.Body)
	}
	var stored Key
	if err := json.Unmarshal(rec.Body, &stored); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(stored.Secret, []byte(secret)) {
		t.Fatal("the decoded secret field holds the plaintext secret")
	}
	if stored.AccessKeyID != id || stored.Status != "Active" || stored.Created.IsZero() {
		t.Errorf("stored key = %+v, want id %s, Active, a creation time", stored, id)
	}
	if stored.Caller.AccessKeyID != "" {
		t.Errorf("stored caller has AccessKeyID %q, want none", stored.Caller.AccessKeyID)
	}
}

func TestKeysLookupWithAnotherMasterKey(t *testing.T) {
	k := newKeys(t)
	ctx := t.Context()
	put(t, k, "AKIAMOVEDMOVEDMOVEDM", "secret", rootCaller)
	other := &Keys{Store: k.Store, Cipher: newCipher(t)}
	_, _, err := other.Lookup(ctx, "AKIAMOVEDMOVEDMOVEDM")
	if err == nil || errors.Is(err, ErrUnknownKey) {
		t.Fatalf("Lookup under another master key error = %v, want a decryption error", err)
	}
}

func TestKeysSecretBoundToKeyID(t *testing.T) {
	// A sealed secret copied into another key's record does not open.
	k := newKeys(t)
	ctx := t.Context()
	put(t, k, "AKIAAAAAAAAAAAAAAAAA", "secret-a", rootCaller)
	put(t, k, "AKIABBBBBBBBBBBBBBBB", "secret-b", rootCaller)
	err := k.Store.Update(ctx, func(tx store.Tx) error {
		a, err := store.Get[Key](ctx, tx, Kind, "AKIAAAAAAAAAAAAAAAAA")
		if err != nil {
			return err
		}
		b, err := store.Get[Key](ctx, tx, Kind, "AKIABBBBBBBBBBBBBBBB")
		if err != nil {
			return err
		}
		b.Secret = a.Secret
		return store.Put(ctx, tx, store.Record{Kind: Kind, ID: b.AccessKeyID, Parent: b.Caller.Account}, b)
	})
	if err != nil {
		t.Fatal(err)
	}
	if secret, _, err := k.Lookup(ctx, "AKIABBBBBBBBBBBBBBBB"); err == nil {
		t.Fatalf("Lookup opened a secret moved from another key: %q", secret)
	}
}

func TestKeysPutInAbortedTransaction(t *testing.T) {
	k := newKeys(t)
	ctx := t.Context()
	boom := errors.New("boom")
	err := k.Store.Update(ctx, func(tx store.Tx) error {
		if err := k.Put(ctx, tx, "AKIAROLLEDBACKROLLED", "secret", rootCaller); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update error = %v", err)
	}
	if _, _, err := k.Lookup(ctx, "AKIAROLLEDBACKROLLED"); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("Lookup of a rolled-back key error = %v, want ErrUnknownKey", err)
	}
}

func TestKeysConcurrentLookup(t *testing.T) {
	k := newKeys(t)
	ctx := context.Background()
	put(t, k, "AKIACONCURRENTCONCUR", "secret", rootCaller)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			secret, _, err := k.Lookup(ctx, "AKIACONCURRENTCONCUR")
			if err == nil && secret != "secret" {
				err = errors.New("wrong secret " + secret)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestNewAccessKeyID(t *testing.T) {
	tests := []struct {
		name    string
		prefix  string
		pattern string
	}{
		{name: "long-term", prefix: "AKIA", pattern: `^AKIA[A-Z2-7]{16}$`},
		{name: "temporary", prefix: "ASIA", pattern: `^ASIA[A-Z2-7]{16}$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			re := regexp.MustCompile(tt.pattern)
			seen := map[string]bool{}
			for range 200 {
				id := NewAccessKeyID(tt.prefix)
				if !re.MatchString(id) {
					t.Fatalf("NewAccessKeyID(%q) = %q, want %s", tt.prefix, id, tt.pattern)
				}
				if seen[id] {
					t.Fatalf("NewAccessKeyID repeated %q", id)
				}
				seen[id] = true
			}
		})
	}
}

func TestNewSecret(t *testing.T) {
	re := regexp.MustCompile(`^[A-Za-z0-9+/]{40}$`)
	seen := map[string]bool{}
	for range 200 {
		s := NewSecret()
		if len(s) != 40 {
			t.Fatalf("NewSecret() has length %d, want 40", len(s))
		}
		if !re.MatchString(s) {
			t.Fatalf("NewSecret() = %q has characters outside A-Za-z0-9+/", s)
		}
		if seen[s] {
			t.Fatalf("NewSecret repeated %q", s)
		}
		seen[s] = true
	}
}

func TestRandomStringUsesWholeAlphabet(t *testing.T) {
	// Every character of the alphabet turns up: the draw is not stuck on
	// a part of it.
	seen := map[byte]bool{}
	for range 100 {
		for _, c := range []byte(NewAccessKeyID("")) {
			seen[c] = true
		}
	}
	if len(seen) != len(idAlphabet) {
		t.Fatalf("1600 drawn characters cover %d of the %d in the alphabet", len(seen), len(idAlphabet))
	}
}

// TestKeysLookupCache shows that a warm Lookup does not read the store,
// and that a generation bump empties the cache.
func TestKeysLookupCache(t *testing.T) {
	k := newKeys(t)
	ctx := t.Context()
	const id = "AKIACACHEDCACHEDCACH"
	put(t, k, id, "secret", rootCaller)
	if _, _, err := k.Lookup(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := k.Store.Update(ctx, func(tx store.Tx) error { return tx.Delete(ctx, Kind, id) }); err != nil {
		t.Fatal(err)
	}
	if secret, _, err := k.Lookup(ctx, id); err != nil || secret != "secret" {
		t.Fatalf("warm Lookup = %q, %v; want the cached secret", secret, err)
	}
	if err := k.Store.Update(ctx, func(tx store.Tx) error { return tx.BumpGeneration(ctx) }); err != nil {
		t.Fatal(err)
	}
	if _, _, err := k.Lookup(ctx, id); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("Lookup after a generation bump: %v, want ErrUnknownKey", err)
	}
}

func TestKeysListDeleteSetCaller(t *testing.T) {
	k := newKeys(t)
	ctx := t.Context()
	put(t, k, "AKIAALICE0000000001", "s1", userCaller)
	put(t, k, "AKIAALICE0000000002", "s2", userCaller)
	put(t, k, "AKIAROOT00000000001", "s3", rootCaller)
	if _, _, err := k.Lookup(ctx, "AKIAALICE0000000001"); err != nil { // warm the cache
		t.Fatal(err)
	}
	renamed := userCaller
	renamed.Name, renamed.ARN = "alicia", "arn:aws:iam::444455556666:user/alicia"
	err := k.Store.Update(ctx, func(tx store.Tx) error {
		keys, err := k.List(ctx, tx, userCaller.UserID)
		if err != nil {
			return err
		}
		if len(keys) != 2 || keys[0].AccessKeyID != "AKIAALICE0000000001" || keys[1].AccessKeyID != "AKIAALICE0000000002" {
			t.Errorf("List = %+v, want alice's two keys", keys)
		}
		if err := k.SetCaller(ctx, tx, "AKIAALICE0000000001", renamed); err != nil {
			return err
		}
		return k.Delete(ctx, tx, "AKIAALICE0000000002")
	})
	if err != nil {
		t.Fatal(err)
	}
	// The cache was emptied by the generation bump: the renamed caller
	// is seen, and the deleted key is unknown.
	_, c, err := k.Lookup(ctx, "AKIAALICE0000000001")
	if err != nil || c.Name != "alicia" || c.AccessKeyID != "AKIAALICE0000000001" {
		t.Errorf("Lookup after SetCaller = %+v, %v", c, err)
	}
	if _, _, err := k.Lookup(ctx, "AKIAALICE0000000002"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Lookup of a deleted key: %v, want ErrUnknownKey", err)
	}
	err = k.Store.Update(ctx, func(tx store.Tx) error {
		if err := k.Delete(ctx, tx, "AKIAALICE0000000002"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Delete twice: %v, want ErrNotFound", err)
		}
		if _, err := k.Get(ctx, tx, "AKIAALICE0000000001"); err != nil {
			t.Errorf("Get: %v", err)
		}
		keys, err := k.List(ctx, tx, "")
		if err != nil || keys != nil {
			t.Errorf("List(\"\") = %v, %v", keys, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
