// Package setup prepares a Gatehouse store on first start: the
// management account and the access key of its root user.
package setup

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"gatehouse/credentials"
	"gatehouse/principal"
	"gatehouse/store"
)

// Accounts registers the management account; org.Service implements it.
type Accounts interface {
	// EnsureManagementAccount registers the account if no management
	// account exists yet, and returns the management account's id.
	EnsureManagementAccount(ctx context.Context, accountID, email, name string) (string, error)
}

// Config is what first start needs.
type Config struct {
	// AccountID is the management account to create on an empty store;
	// empty means a random one.
	AccountID string
	// RootAccessKeyID and RootSecretAccessKey, when both are set, are the
	// root user's access key; otherwise one is generated.
	RootAccessKeyID, RootSecretAccessKey string
	// CredentialsFile is where a generated key is written (mode 0600, in
	// the AWS shared credentials file format).
	CredentialsFile string
}

// Result reports what Run did.
type Result struct {
	// ManagementAccount is the management account's id.
	ManagementAccount string
	// CredentialsWritten is the file a generated key was written to, or "".
	CredentialsWritten string
}

var (
	accountIDPattern = regexp.MustCompile(`^\d{12}$`)
	accessKeyPattern = regexp.MustCompile(`^AKIA[A-Z2-7]{16}$`)
)

// Run makes sure the management account and its root access key exist.
// It is idempotent: on a store that has them it changes nothing, except
// that a root key given in cfg is added when it is not stored yet.
func Run(ctx context.Context, s store.Store, keys *credentials.Keys, accounts Accounts, cfg Config) (Result, error) {
	if cfg.AccountID == "" {
		cfg.AccountID = randomAccountID()
	}
	if !accountIDPattern.MatchString(cfg.AccountID) {
		return Result{}, fmt.Errorf("setup: account id %q is not 12 digits", cfg.AccountID)
	}
	if (cfg.RootAccessKeyID == "") != (cfg.RootSecretAccessKey == "") {
		return Result{}, errors.New("setup: set both the root access key id and its secret, or neither")
	}
	if cfg.RootAccessKeyID != "" && !accessKeyPattern.MatchString(cfg.RootAccessKeyID) {
		return Result{}, fmt.Errorf("setup: root access key id must be AKIA followed by 16 characters A-Z and 2-7")
	}
	mgmt, err := accounts.EnsureManagementAccount(ctx, cfg.AccountID, "management@"+cfg.AccountID+".gatehouse.invalid", "management")
	if err != nil {
		return Result{}, fmt.Errorf("setup: management account: %w", err)
	}
	res := Result{ManagementAccount: mgmt}
	caller := principal.Caller{Type: principal.Root, Account: mgmt, ARN: principal.RootARN(mgmt), PrincipalARN: principal.RootARN(mgmt), UserID: mgmt}
	if cfg.RootAccessKeyID != "" {
		return res, ensureKey(ctx, s, keys, cfg.RootAccessKeyID, cfg.RootSecretAccessKey, caller)
	}
	has, err := hasKeys(ctx, s, mgmt)
	if err != nil || has {
		return res, err
	}
	id, secret := credentials.NewAccessKeyID("AKIA"), credentials.NewSecret()
	if err := writeCredentialsFile(cfg.CredentialsFile, id, secret); err != nil {
		return res, err
	}
	if err := ensureKey(ctx, s, keys, id, secret, caller); err != nil {
		// The file would name a key that does not exist and, since it is
		// never overwritten, make every later start fail.
		os.Remove(cfg.CredentialsFile)
		return res, err
	}
	res.CredentialsWritten = cfg.CredentialsFile
	return res, nil
}

func ensureKey(ctx context.Context, s store.Store, keys *credentials.Keys, id, secret string, caller principal.Caller) error {
	return s.Update(ctx, func(tx store.Tx) error {
		_, err := tx.Get(ctx, credentials.Kind, id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		return keys.Put(ctx, tx, id, secret, caller)
	})
}

// hasKeys reports whether the account's root user has an access key
// (keys of the account's other principals do not count).
func hasKeys(ctx context.Context, s store.Store, account string) (bool, error) {
	var has bool
	err := s.View(ctx, func(tx store.Tx) error {
		keys, err := store.List[credentials.Key](ctx, tx, store.Query{Kind: credentials.Kind, Parent: account})
		for _, k := range keys {
			has = has || k.Caller.Type == principal.Root
		}
		return err
	})
	return has, err
}

// writeCredentialsFile writes the key in the AWS shared credentials file
// format, readable by its owner only. It refuses to overwrite a file.
func writeCredentialsFile(path, id, secret string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("setup: write root credentials: %w", err)
	}
	_, err = fmt.Fprintf(f, "[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", id, secret)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path) // a partial file would block every later start
		return fmt.Errorf("setup: write root credentials: %w", err)
	}
	return nil
}

// randomAccountID returns a random 12-digit account id.
func randomAccountID() string {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("setup: no randomness: " + err.Error())
	}
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	if b[0] == '0' {
		b[0] = '1'
	}
	return string(b[:])
}
