package credentials

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"
	"time"

	"gatehouse/principal"
	"gatehouse/store"
)

// Kind is the store record kind of access keys.
const Kind = "access-key"

// ErrUnknownKey is returned by Lookup for an access key that does not
// exist or is not active.
var ErrUnknownKey = errors.New("credentials: unknown or inactive access key")

// Key is a stored access key. The secret is kept only encrypted.
type Key struct {
	AccessKeyID string            `json:"accessKeyId"`
	Secret      []byte            `json:"secret"` // sealed by the Cipher
	Status      string            `json:"status"` // Active or Inactive
	Created     time.Time         `json:"created"`
	Caller      principal.Caller  `json:"caller"`
	Meta        map[string]string `json:"meta,omitempty"`
}

// Keys stores and looks up access keys. Lookup caches what it finds in
// memory, so that a warm request does not touch the database; every
// change of the store's generation (which Put and SetStatus bump) empties
// the cache. A Keys must not be copied after first use.
type Keys struct {
	Store  store.Store
	Cipher *Cipher

	once  sync.Once
	cache *store.Cache[string, cachedKey]
}

// cachedKey is a looked-up key: its secret and caller.
type cachedKey struct {
	secret string
	caller principal.Caller
}

// maxCachedKeys bounds the cache; past it, the cache starts over.
const maxCachedKeys = 10000

func (k *Keys) keyCache() *store.Cache[string, cachedKey] {
	k.once.Do(func() { k.cache = store.NewCache[string, cachedKey](k.Store, maxCachedKeys) })
	return k.cache
}

// Put stores an access key with its secret, for the caller it
// authenticates, inside tx.
func (k *Keys) Put(ctx context.Context, tx store.Tx, accessKeyID, secret string, caller principal.Caller) error {
	caller.AccessKeyID = ""
	key := Key{
		AccessKeyID: accessKeyID,
		Secret:      k.Cipher.Seal([]byte(secret), []byte(accessKeyID)),
		Status:      "Active",
		Created:     time.Now().UTC(),
		Caller:      caller,
	}
	if err := store.Put(ctx, tx, keyRecord(accessKeyID, caller), key); err != nil {
		return err
	}
	return tx.BumpGeneration(ctx)
}

// keyRecord is the record of a key: under its account, indexed by the
// unique id of the principal it authenticates (Caller.UserID).
func keyRecord(accessKeyID string, caller principal.Caller) store.Record {
	return store.Record{Kind: Kind, ID: accessKeyID, Parent: caller.Account, Name: caller.UserID}
}

// Get returns a stored key, active or not, or store.ErrNotFound.
func (k *Keys) Get(ctx context.Context, tx store.Tx, accessKeyID string) (Key, error) {
	return store.Get[Key](ctx, tx, Kind, accessKeyID)
}

// List returns the keys of the principal whose unique id
// (Caller.UserID) is userID, active or not, ordered by access key id.
func (k *Keys) List(ctx context.Context, tx store.Tx, userID string) ([]Key, error) {
	if userID == "" {
		return nil, nil
	}
	return store.List[Key](ctx, tx, store.Query{Kind: Kind, Name: userID})
}

// Delete removes a key, inside tx, and bumps the store generation, which
// empties Lookup's cache. It returns store.ErrNotFound for a key that
// does not exist.
func (k *Keys) Delete(ctx context.Context, tx store.Tx, accessKeyID string) error {
	if err := tx.Delete(ctx, Kind, accessKeyID); err != nil {
		return err
	}
	return tx.BumpGeneration(ctx)
}

// SetCaller replaces the caller a key authenticates (after its user was
// renamed or retagged), inside tx, and bumps the store generation.
func (k *Keys) SetCaller(ctx context.Context, tx store.Tx, accessKeyID string, caller principal.Caller) error {
	key, err := store.Get[Key](ctx, tx, Kind, accessKeyID)
	if err != nil {
		return err
	}
	caller.AccessKeyID = ""
	key.Caller = caller
	if err := store.Put(ctx, tx, keyRecord(accessKeyID, caller), key); err != nil {
		return err
	}
	return tx.BumpGeneration(ctx)
}

// SetStatus makes a key Active or Inactive, inside tx. Like every change
// to keys it bumps the store generation, which empties Lookup's cache.
func (k *Keys) SetStatus(ctx context.Context, tx store.Tx, accessKeyID, status string) error {
	if status != "Active" && status != "Inactive" {
		return fmt.Errorf("credentials: status %q is neither Active nor Inactive", status)
	}
	rec, err := tx.Get(ctx, Kind, accessKeyID)
	if err != nil {
		return err
	}
	key, err := store.Get[Key](ctx, tx, Kind, accessKeyID)
	if err != nil {
		return err
	}
	key.Status = status
	if err := store.Put(ctx, tx, rec, key); err != nil {
		return err
	}
	return tx.BumpGeneration(ctx)
}

// Lookup returns the secret of an active access key and the caller it
// authenticates, with Caller.AccessKeyID set.
func (k *Keys) Lookup(ctx context.Context, accessKeyID string) (string, principal.Caller, error) {
	cache := k.keyCache()
	hit, ok, epoch := cache.Get(accessKeyID)
	if ok {
		return hit.secret, hit.caller, nil
	}
	secret, caller, err := k.load(ctx, accessKeyID)
	if err != nil {
		return "", principal.Caller{}, err
	}
	cache.Add(epoch, accessKeyID, cachedKey{secret, caller})
	return secret, caller, nil
}

// load reads and decrypts an active key from the store.
func (k *Keys) load(ctx context.Context, accessKeyID string) (string, principal.Caller, error) {
	var key Key
	err := k.Store.View(ctx, func(tx store.Tx) error {
		var err error
		key, err = store.Get[Key](ctx, tx, Kind, accessKeyID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return "", principal.Caller{}, ErrUnknownKey
	}
	if err != nil {
		return "", principal.Caller{}, fmt.Errorf("credentials: look up key: %w", err)
	}
	if key.Status != "Active" {
		return "", principal.Caller{}, ErrUnknownKey
	}
	secret, err := k.Cipher.Open(key.Secret, []byte(accessKeyID))
	if err != nil {
		return "", principal.Caller{}, err
	}
	c := key.Caller
	c.AccessKeyID = accessKeyID
	return string(secret), c, nil
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// NewAccessKeyID returns a new access key id with the prefix (AKIA for
// long-term keys, ASIA for temporary ones) and 16 random characters.
func NewAccessKeyID(prefix string) string {
	return prefix + randomString(idAlphabet, 16)
}

// NewSecret returns a new 40-character secret access key.
func NewSecret() string {
	return randomString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40)
}

// randomString draws n characters uniformly from alphabet, whose length
// must divide 256.
func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("credentials: no randomness: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
