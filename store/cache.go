package store

import "sync"

// Cache holds values read from a Store, and forgets them all whenever the
// store's generation moves (Store.Subscribe), so that a value is only ever
// served while nothing it was read from can have changed. That holds for
// values read from records whose every write bumps the generation in the
// writing transaction.
//
// A value must be read outside any transaction that began before Get
// reported the miss: Add drops a value when the generation moved between
// that Get and the Add, so a read that raced a write is never cached.
//
// The zero Cache is not usable; make one with NewCache. A Cache is safe
// for concurrent use.
type Cache[K comparable, V any] struct {
	max    int
	cancel func()

	mu    sync.Mutex
	epoch uint64 // counts invalidations
	m     map[K]V
}

// Epoch identifies the generation a cache miss was seen in; pass it to Add.
type Epoch uint64

// NewCache returns a Cache of at most max values (past it, the cache
// starts over) that follows s's generation until Close.
func NewCache[K comparable, V any](s Store, max int) *Cache[K, V] {
	c := &Cache[K, V]{max: max, m: map[K]V{}}
	c.cancel = s.Subscribe(func(int64) { c.Clear() })
	return c
}

// Get returns the value cached for k. On a miss it also returns the epoch
// to hand to Add with the value read.
func (c *Cache[K, V]) Get(k K) (v V, ok bool, e Epoch) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok = c.m[k]
	return v, ok, Epoch(c.epoch)
}

// Add caches v for k unless the generation moved since the Get that
// returned e.
func (c *Cache[K, V]) Add(e Epoch, k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if Epoch(c.epoch) != e {
		return
	}
	if len(c.m) >= c.max {
		clear(c.m)
	}
	c.m[k] = v
}

// Clear forgets every value.
func (c *Cache[K, V]) Clear() {
	c.mu.Lock()
	c.epoch++
	clear(c.m)
	c.mu.Unlock()
}

// Close stops following the store.
func (c *Cache[K, V]) Close() { c.cancel() }
