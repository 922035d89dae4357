package sts

import (
	"bytes"
	"compress/flate"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"gatehouse/credentials"
	"gatehouse/principal"
)

// A session token is self-contained: everything a request signed with
// temporary credentials needs (the secret access key, the caller and its
// session data) is sealed into the token with AES-GCM under the master
// key, bound to its ASIA access key id as additional data. Checking a
// token therefore never touches the database; a small cache keyed by the
// token's hash spares repeated decryption.
//
// Layout: base64(version byte || Cipher.Seal(deflate(JSON claims))).

// tokenVersion is the first byte of every token; a token of another
// version is invalid.
const tokenVersion byte = 1

// MaxTokenSize bounds the length of a session token accepted by Open, in
// bytes of its base64 text.
const MaxTokenSize = 64 << 10

// maxClaimsSize bounds the decompressed claims of a token.
const maxClaimsSize = 256 << 10

// maxCachedTokens bounds the cache of opened tokens; past it, the cache
// starts over.
const maxCachedTokens = 10000

// The errors of Open.
var (
	// ErrInvalidToken reports a token that is malformed, tampered with,
	// sealed under another key or presented with another access key id.
	ErrInvalidToken = errors.New("sts: the security token is invalid")
	// ErrExpiredToken reports a token whose credentials have expired.
	ErrExpiredToken = errors.New("sts: the security token is expired")
)

// claims is the sealed content of a session token.
type claims struct {
	Secret string           `json:"s"`
	Caller principal.Caller `json:"c"`
}

// Tokens seals and opens session tokens. It is safe for concurrent use.
type Tokens struct {
	cipher *credentials.Cipher

	mu    sync.Mutex
	cache map[[sha256.Size]byte]*opened
}

// opened is a token that Open has decrypted.
type opened struct {
	accessKeyID string
	secret      string
	caller      principal.Caller
}

// NewTokens returns Tokens sealing under c.
func NewTokens(c *credentials.Cipher) *Tokens {
	return &Tokens{cipher: c, cache: map[[sha256.Size]byte]*opened{}}
}

// tokenContext is the additional data that binds a token to its access
// key id, and keeps tokens apart from the access key secrets the same
// Cipher seals.
func tokenContext(accessKeyID string) []byte {
	return []byte("gatehouse/sts/session-token\x00" + accessKeyID)
}

// Seal returns the session token of temporary credentials: the access key
// caller.AccessKeyID with secret, for caller, whose Session must be set.
func (t *Tokens) Seal(secret string, caller principal.Caller) (string, error) {
	if caller.Session == nil || caller.AccessKeyID == "" {
		return "", errors.New("sts: seal: the caller has no session or access key id")
	}
	body, err := json.Marshal(claims{Secret: secret, Caller: caller})
	if err != nil {
		return "", fmt.Errorf("sts: seal: %w", err)
	}
	compressed, err := deflate(body)
	if err != nil {
		return "", fmt.Errorf("sts: seal: %w", err)
	}
	sealed := t.cipher.Seal(compressed, tokenContext(caller.AccessKeyID))
	return base64.StdEncoding.EncodeToString(append([]byte{tokenVersion}, sealed...)), nil
}

// deflaters are reused compressors: a flate.Writer allocates about a
// megabyte of state, which made sealing a token most of AssumeRole's cost.
var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestSpeed) // BestSpeed is a valid level
	return w
}}

// deflate compresses b.
func deflate(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := deflaters.Get().(*flate.Writer)
	defer deflaters.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Open checks a session token presented with accessKeyID at time now and
// returns the secret access key and the caller it authenticates, with
// Caller.AccessKeyID set. It fails closed: ErrInvalidToken for anything
// but a token Seal made for this access key id, ErrExpiredToken for one
// past its expiration (with the caller, for the audit trail, but no
// secret). The returned caller shares its Session and Tags
// with other requests of the same token: treat them as read-only.
func (t *Tokens) Open(accessKeyID, token string, now time.Time) (string, principal.Caller, error) {
	if len(token) > MaxTokenSize {
		return "", principal.Caller{}, ErrInvalidToken
	}
	sum := sha256.Sum256([]byte(token))
	t.mu.Lock()
	o, ok := t.cache[sum]
	t.mu.Unlock()
	if !ok {
		var err error
		if o, err = t.decode(accessKeyID, token); err != nil {
			return "", principal.Caller{}, err
		}
		t.mu.Lock()
		if len(t.cache) >= maxCachedTokens {
			clear(t.cache)
		}
		t.cache[sum] = o
		t.mu.Unlock()
	}
	if o.accessKeyID != accessKeyID {
		return "", principal.Caller{}, ErrInvalidToken
	}
	if !now.Before(o.caller.Session.Expiration) {
		return "", o.caller, ErrExpiredToken
	}
	return o.secret, o.caller, nil
}

// decode decrypts and parses a token.
func (t *Tokens) decode(accessKeyID, token string) (*opened, error) {
	raw, err := base64.StdEncoding.Strict().DecodeString(token) // one text per token: no malleable padding bits
	if err != nil || len(raw) < 2 || raw[0] != tokenVersion {
		return nil, ErrInvalidToken
	}
	plain, err := t.cipher.Open(raw[1:], tokenContext(accessKeyID))
	if err != nil {
		return nil, ErrInvalidToken
	}
	body, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(plain)), maxClaimsSize+1))
	if err != nil || len(body) > maxClaimsSize {
		return nil, ErrInvalidToken
	}
	var c claims
	if err := json.Unmarshal(body, &c); err != nil || c.Caller.Session == nil || c.Caller.AccessKeyID != accessKeyID {
		return nil, ErrInvalidToken
	}
	return &opened{accessKeyID: accessKeyID, secret: c.Secret, caller: c.Caller}, nil
}

// Temporary access key ids are ASIA followed by 16 base32 characters that
// encode 80 bits: the 40-bit account number, then 40 random bits. So
// GetAccessKeyInfo can name the account of any temporary key without a
// record of it, as AWS's key ids encode their account.

var keyEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newTemporaryKeyID returns a new ASIA access key id of account.
func newTemporaryKeyID(account string) (string, error) {
	n, err := strconv.ParseUint(account, 10, 64)
	if err != nil || len(account) != 12 {
		return "", fmt.Errorf("sts: account %q is not 12 digits", account)
	}
	var b [10]byte
	for i := 4; i >= 0; i-- {
		b[i] = byte(n)
		n >>= 8
	}
	if _, err := rand.Read(b[5:]); err != nil {
		return "", fmt.Errorf("sts: %w", err)
	}
	return "ASIA" + keyEncoding.EncodeToString(b[:]), nil
}

// temporaryKeyAccount returns the account a temporary access key id
// encodes.
func temporaryKeyAccount(id string) (string, bool) {
	if len(id) != 20 || id[:4] != "ASIA" {
		return "", false
	}
	b, err := keyEncoding.DecodeString(id[4:])
	if err != nil || len(b) != 10 {
		return "", false
	}
	var n uint64
	for _, c := range b[:5] {
		n = n<<8 | uint64(c)
	}
	if n > 999_999_999_999 {
		return "", false
	}
	return fmt.Sprintf("%012d", n), true
}
