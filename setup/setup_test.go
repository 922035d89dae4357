package setup

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"gatehouse/credentials"
	"gatehouse/principal"
	"gatehouse/store"
	"gatehouse/store/sqlite"
)

// fakeAccounts registers the first account it is given as the
// management account, as org.Service does.
type fakeAccounts struct {
	mu         sync.Mutex
	management string
	calls      int
	err        error
}

func (f *fakeAccounts) EnsureManagementAccount(_ context.Context, accountID, email, name string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return "", f.err
	}
	if f.management == "" {
		f.management = accountID
	}
	return f.management, nil
}

type env struct {
	store    store.Store
	keys     *credentials.Keys
	accounts *fakeAccounts
	dir      string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	key := make([]byte, credentials.MasterKeySize)
	rand.Read(key)
	c, err := credentials.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	return &env{store: s, keys: &credentials.Keys{Store: s, Cipher: c}, accounts: &fakeAccounts{}, dir: t.TempDir()}
}

func (e *env) run(t *testing.T, cfg Config) (Result, error) {
	t.Helper()
	return Run(t.Context(), e.store, e.keys, e.accounts, cfg)
}

// storedKeys returns the access keys in the store.
func (e *env) storedKeys(t *testing.T) []credentials.Key {
	t.Helper()
	var keys []credentials.Key
	err := e.store.View(t.Context(), func(tx store.Tx) error {
		var err error
		keys, err = store.List[credentials.Key](t.Context(), tx, store.Query{Kind: credentials.Kind})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

var credentialsFilePattern = regexp.MustCompile(`^\[default\]\naws_access_key_id = (AKIA[A-Z2-7]{16})\naws_secret_access_key = ([A-Za-z0-9+/]{40})\n$`)

// readCredentials parses the credentials file and checks its mode.
func readCredentials(t *testing.T, path string) (id, secret string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("credentials file: %v", err)
	}
	if perm := fi.Mode().Perm(); perm != 0o600 {
		t.Fatalf("credentials file mode = %v, want 0600", perm)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := credentialsFilePattern.FindStringSubmatch(string(data))
	if m == nil {
		t.Fatalf("credentials file is not in the AWS format:\n%s", data)
	}
	return m[1], m[2]
}

func wantRootKey(t *testing.T, e *env, account, id, secret string) {
	t.Helper()
	gotSecret, caller, err := e.keys.Lookup(t.Context(), id)
	if err != nil {
		t.Fatalf("Lookup(%s): %v", id, err)
	}
	if gotSecret != secret {
		t.Errorf("stored secret = %q, want %q", gotSecret, secret)
	}
	want := principal.Caller{
		Type: principal.Root, Account: account, ARN: "arn:aws:iam::" + account + ":root",
		PrincipalARN: "arn:aws:iam::" + account + ":root", UserID: account, AccessKeyID: id,
	}
	if caller.Type != want.Type || caller.Account != want.Account || caller.ARN != want.ARN ||
		caller.PrincipalARN != want.PrincipalARN || caller.UserID != want.UserID || caller.AccessKeyID != want.AccessKeyID {
		t.Errorf("caller = %+v, want %+v", caller, want)
	}
}

func TestRunGeneratesRootKey(t *testing.T) {
	e := newEnv(t)
	file := filepath.Join(e.dir, "data", "root-credentials")
	res, err := e.run(t, Config{AccountID: "123456789012", CredentialsFile: file})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.ManagementAccount != "123456789012" || res.CredentialsWritten != file {
		t.Fatalf("Result = %+v, want account 123456789012 and file %s", res, file)
	}
	id, secret := readCredentials(t, file)
	wantRootKey(t, e, "123456789012", id, secret)
	if keys := e.storedKeys(t); len(keys) != 1 {
		t.Fatalf("%d keys stored, want 1", len(keys))
	}

	// A second start changes nothing and writes no file.
	file2 := filepath.Join(e.dir, "data", "root-credentials-2")
	res, err = e.run(t, Config{AccountID: "123456789012", CredentialsFile: file2})
	if err != nil {
		t.Fatalf("second Run: %v", err)
	}
	if res.ManagementAccount != "123456789012" || res.CredentialsWritten != "" {
		t.Fatalf("second Result = %+v, want the account and no file", res)
	}
	if _, err := os.Stat(file2); !os.IsNotExist(err) {
		t.Fatalf("second Run wrote a credentials file: %v", err)
	}
	// Nor does it touch the first file (which it would refuse to
	// overwrite anyway).
	if id2, secret2 := readCredentials(t, file); id2 != id || secret2 != secret {
		t.Fatal("the credentials file changed")
	}
	if keys := e.storedKeys(t); len(keys) != 1 {
		t.Fatalf("%d keys stored after the second Run, want 1", len(keys))
	}
	wantRootKey(t, e, "123456789012", id, secret)

	// A restart with the same file path and a random account id is a
	// no-op too: the management account already exists.
	res, err = e.run(t, Config{CredentialsFile: file})
	if err != nil || res.ManagementAccount != "123456789012" || res.CredentialsWritten != "" {
		t.Fatalf("third Run = %+v, %v", res, err)
	}
}

func TestRunRandomAccountID(t *testing.T) {
	e := newEnv(t)
	res, err := e.run(t, Config{CredentialsFile: filepath.Join(e.dir, "creds")})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !regexp.MustCompile(`^[1-9]\d{11}$`).MatchString(res.ManagementAccount) {
		t.Fatalf("generated account id %q is not 12 digits without a leading zero", res.ManagementAccount)
	}
	id, secret := readCredentials(t, res.CredentialsWritten)
	wantRootKey(t, e, res.ManagementAccount, id, secret)
	seen := map[string]bool{}
	for range 50 {
		seen[randomAccountID()] = true
	}
	if len(seen) < 45 {
		t.Fatalf("50 random account ids have only %d distinct values", len(seen))
	}
}

func TestRunKeyFromEnvironment(t *testing.T) {
	const id, secret = "AKIAENVENVENVENVENV2", "envSecretenvSecretenvSecretenvSecret1234"
	e := newEnv(t)
	file := filepath.Join(e.dir, "creds")
	cfg := Config{AccountID: "210987654321", RootAccessKeyID: id, RootSecretAccessKey: secret, CredentialsFile: file}
	res, err := e.run(t, cfg)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if res.ManagementAccount != "210987654321" || res.CredentialsWritten != "" {
		t.Fatalf("Result = %+v, want the account and no file", res)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("a credentials file was written for a key from the environment: %v", err)
	}
	wantRootKey(t, e, "210987654321", id, secret)

	// Again: nothing changes.
	if _, err := e.run(t, cfg); err != nil {
		t.Fatalf("second Run: %v", err)
	}
	if keys := e.storedKeys(t); len(keys) != 1 {
		t.Fatalf("%d keys stored, want 1", len(keys))
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("the second Run wrote a credentials file: %v", err)
	}
}

func TestRunKeyFromEnvironmentAddedLater(t *testing.T) {
	// A store set up with a generated key takes a root key given later.
	e := newEnv(t)
	if _, err := e.run(t, Config{AccountID: "123456789012", CredentialsFile: filepath.Join(e.dir, "creds")}); err != nil {
		t.Fatal(err)
	}
	const id, secret = "AKIALATERLATERLATERL", "laterSecretlaterSecretlaterSecretlater12"
	if _, err := e.run(t, Config{RootAccessKeyID: id, RootSecretAccessKey: secret}); err != nil {
		t.Fatalf("Run with a key from the environment: %v", err)
	}
	wantRootKey(t, e, "123456789012", id, secret)
	if keys := e.storedKeys(t); len(keys) != 2 {
		t.Fatalf("%d keys stored, want 2", len(keys))
	}
}

func TestRunInvalidConfig(t *testing.T) {
	const id, secret = "AKIAENVENVENVENVENV2", "envSecretenvSecretenvSecretenvSecret1234"
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{name: "only the key id", cfg: Config{AccountID: "123456789012", RootAccessKeyID: id}, wantErr: "both"},
		{name: "only the secret", cfg: Config{AccountID: "123456789012", RootSecretAccessKey: secret}, wantErr: "both"},
		{name: "temporary key prefix", cfg: Config{AccountID: "123456789012", RootAccessKeyID: "ASIAENVENVENVENVENV2", RootSecretAccessKey: secret}, wantErr: "AKIA"},
		{name: "lower case key id", cfg: Config{AccountID: "123456789012", RootAccessKeyID: "AKIAenvenvenvenvenv2", RootSecretAccessKey: secret}, wantErr: "AKIA"},
		{name: "short key id", cfg: Config{AccountID: "123456789012", RootAccessKeyID: "AKIASHORT", RootSecretAccessKey: secret}, wantErr: "AKIA"},
		{name: "key id with 0 and 1", cfg: Config{AccountID: "123456789012", RootAccessKeyID: "AKIA0000000000000001", RootSecretAccessKey: secret}, wantErr: "AKIA"},
		{name: "key id with a newline", cfg: Config{AccountID: "123456789012", RootAccessKeyID: id + "\n", RootSecretAccessKey: secret}, wantErr: "AKIA"},
		{name: "account id too short", cfg: Config{AccountID: "12345"}, wantErr: "12 digits"},
		{name: "account id too long", cfg: Config{AccountID: "1234567890123"}, wantErr: "12 digits"},
		{name: "account id not digits", cfg: Config{AccountID: "12345678901a"}, wantErr: "12 digits"},
		{name: "account id with a newline", cfg: Config{AccountID: "123456789012\n"}, wantErr: "12 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tt.cfg.CredentialsFile = filepath.Join(e.dir, "creds")
			_, err := e.run(t, tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Run error = %v, want one containing %q", err, tt.wantErr)
			}
			if e.accounts.calls != 0 {
				t.Errorf("the management account was registered despite the bad configuration")
			}
			if keys := e.storedKeys(t); len(keys) != 0 {
				t.Errorf("%d keys stored despite the bad configuration", len(keys))
			}
			if _, err := os.Stat(tt.cfg.CredentialsFile); !os.IsNotExist(err) {
				t.Errorf("a credentials file was written despite the bad configuration")
			}
		})
	}
}

func TestRunNeverOverwritesCredentialsFile(t *testing.T) {
	e := newEnv(t)
	file := filepath.Join(e.dir, "creds")
	const old = "[default]\naws_access_key_id = AKIAOLDOLDOLDOLDOLDO\naws_secret_access_key = old\n"
	if err := os.WriteFile(file, []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := e.run(t, Config{AccountID: "123456789012", CredentialsFile: file})
	if err == nil {
		t.Fatal("Run overwrote (or ignored) an existing credentials file")
	}
	data, _ := os.ReadFile(file)
	if string(data) != old {
		t.Fatalf("the credentials file changed:\n%s", data)
	}
	if keys := e.storedKeys(t); len(keys) != 0 {
		t.Fatalf("%d keys stored although their secret could not be written down", len(keys))
	}
	// Once the file is moved away, the next start succeeds.
	if err := os.Remove(file); err != nil {
		t.Fatal(err)
	}
	res, err := e.run(t, Config{AccountID: "123456789012", CredentialsFile: file})
	if err != nil {
		t.Fatalf("Run after removing the file: %v", err)
	}
	id, secret := readCredentials(t, res.CredentialsWritten)
	wantRootKey(t, e, "123456789012", id, secret)
}

func TestRunAccountsError(t *testing.T) {
	e := newEnv(t)
	boom := errors.New("organizations unavailable")
	e.accounts.err = boom
	file := filepath.Join(e.dir, "creds")
	_, err := e.run(t, Config{AccountID: "123456789012", CredentialsFile: file})
	if !errors.Is(err, boom) {
		t.Fatalf("Run error = %v, want it to wrap %v", err, boom)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatal("a credentials file was written although setup failed")
	}
}

func TestRunUsesExistingManagementAccount(t *testing.T) {
	e := newEnv(t)
	e.accounts.management = "999988887777"
	res, err := e.run(t, Config{AccountID: "123456789012", CredentialsFile: filepath.Join(e.dir, "creds")})
	if err != nil {
		t.Fatal(err)
	}
	if res.ManagementAccount != "999988887777" {
		t.Fatalf("ManagementAccount = %s, want the existing 999988887777", res.ManagementAccount)
	}
	id, secret := readCredentials(t, res.CredentialsWritten)
	wantRootKey(t, e, "999988887777", id, secret)
}

// failingUpdates is a store whose write transactions fail.
type failingUpdates struct{ store.Store }

func (failingUpdates) Update(context.Context, func(store.Tx) error) error {
	return errors.New("disk full")
}

func TestRunStoreFailureLeavesNoCredentialsFile(t *testing.T) {
	// A credentials file naming a key that was never stored would block
	// every later start, since the file is never overwritten.
	e := newEnv(t)
	file := filepath.Join(e.dir, "creds")
	_, err := Run(t.Context(), failingUpdates{e.store}, e.keys, e.accounts, Config{AccountID: "123456789012", CredentialsFile: file})
	if err == nil {
		t.Fatal("Run succeeded although the key could not be stored")
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("a credentials file for an unstored key was left behind: %v", err)
	}
	res, err := e.run(t, Config{AccountID: "123456789012", CredentialsFile: file})
	if err != nil {
		t.Fatalf("Run once the store works: %v", err)
	}
	id, secret := readCredentials(t, res.CredentialsWritten)
	wantRootKey(t, e, "123456789012", id, secret)
}

func TestRunOtherPrincipalsKeysDoNotCount(t *testing.T) {
	// An access key of an IAM user in the management account is not a
	// root key: the root user still gets one.
	e := newEnv(t)
	e.accounts.management = "123456789012"
	user := principal.Caller{Type: principal.IAMUser, Account: "123456789012", ARN: "arn:aws:iam::123456789012:user/alice", Name: "alice"}
	err := e.store.Update(t.Context(), func(tx store.Tx) error {
		return e.keys.Put(t.Context(), tx, "AKIAUSERUSERUSERUSER", "user-secret", user)
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.run(t, Config{CredentialsFile: filepath.Join(e.dir, "creds")})
	if err != nil {
		t.Fatal(err)
	}
	if res.CredentialsWritten == "" {
		t.Fatal("no root key was generated because an IAM user has a key")
	}
	id, secret := readCredentials(t, res.CredentialsWritten)
	wantRootKey(t, e, "123456789012", id, secret)
}

func TestRunUnwritableCredentialsPath(t *testing.T) {
	e := newEnv(t)
	// A regular file where the directory should be.
	blocker := filepath.Join(e.dir, "blocker")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := e.run(t, Config{AccountID: "123456789012", CredentialsFile: filepath.Join(blocker, "creds")})
	if err == nil {
		t.Fatal("Run succeeded without writing the credentials file")
	}
	if keys := e.storedKeys(t); len(keys) != 0 {
		t.Fatalf("%d keys stored although their secret was written nowhere", len(keys))
	}
}
