package sigv4

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"sync"
)

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// deriveKey computes the SigV4 signing key for secret and scope.
func deriveKey(secret string, sc Scope) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), sc.Date)
	k = hmacSHA256(k, sc.Region)
	k = hmacSHA256(k, sc.Service)
	return hmacSHA256(k, terminator)
}

// keyCache memoizes derived signing keys. It is bounded with two
// generations: when the current map fills up it becomes the old one and the
// previous old map is dropped; hits in the old map are promoted. Entries are
// keyed by a keyed hash of (secret, scope), so secrets are never stored.
type keyCache struct {
	mu       sync.Mutex
	max      int
	salt     [32]byte
	cur, old map[[32]byte][]byte
}

func newKeyCache(max int) *keyCache {
	c := &keyCache{max: max, cur: map[[32]byte][]byte{}}
	rand.Read(c.salt[:]) // never fails (crypto/rand panics on failure)
	return c
}

var signingKeys = newKeyCache(512)

// signingKey returns the (cached) signing key for secret and scope.
func signingKey(secret string, sc Scope) []byte {
	return signingKeys.get(secret, sc)
}

func (c *keyCache) get(secret string, sc Scope) []byte {
	id := c.id(secret, sc)
	if k := c.lookup(id); k != nil {
		return k
	}
	k := deriveKey(secret, sc)
	c.store(id, k)
	return k
}

// id is HMAC(salt, length-prefixed fields): injective in its inputs and
// useless for recovering the secret.
func (c *keyCache) id(secret string, sc Scope) [32]byte {
	m := hmac.New(sha256.New, c.salt[:])
	for _, f := range []string{secret, sc.Date, sc.Region, sc.Service} {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(f)))
		m.Write(n[:])
		m.Write([]byte(f))
	}
	var id [32]byte
	m.Sum(id[:0])
	return id
}

func (c *keyCache) lookup(id [32]byte) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k, ok := c.cur[id]; ok {
		return k
	}
	k, ok := c.old[id]
	if ok {
		c.insert(id, k)
	}
	return k
}

func (c *keyCache) store(id [32]byte, k []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.insert(id, k)
}

// insert adds to the current generation, rotating when it is full. The
// caller holds c.mu.
func (c *keyCache) insert(id [32]byte, k []byte) {
	if len(c.cur) >= c.max {
		c.old, c.cur = c.cur, make(map[[32]byte][]byte, c.max)
	}
	c.cur[id] = k
}

// len returns the number of cached keys, for tests.
func (c *keyCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cur) + len(c.old)
}
