// Package storetest is the conformance suite every store.Store
// implementation must pass. A store's own test calls Run with a function
// that opens an empty store on a fresh database:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) (store.Store, func(*testing.T) store.Store) {
//			path := filepath.Join(t.TempDir(), "gatehouse.db")
//			open := func(t *testing.T) store.Store { ... Open(path) ... }
//			return open(t), open
//		})
//	}
package storetest

import (
	"sync"
	"testing"

	"gatehouse/store"
)

// Opener opens a new, empty store for one test, on a database no other
// test uses. It returns the store and a reopen function that opens the
// same database again as a separate store.Store, the way a restarted
// process or a second instance would.
//
// Run closes every store it is given, at the latest in t's cleanup, and
// may close one early to test durability. Whatever the opener must undo
// after the stores are closed (dropping a schema, say) it registers with
// t.Cleanup before returning; cleanups run last-in first-out, so the
// stores are closed by then. Opener calls t.Fatal or t.Skip when the
// database cannot be had.
type Opener func(t *testing.T) (s store.Store, reopen func(t *testing.T) store.Store)

// test is one conformance test.
type test struct {
	name string
	fn   func(t *testing.T, h *harness)
}

// Run runs the conformance suite, one parallel subtest per behaviour,
// each on a store of its own from open.
func Run(t *testing.T, open Opener) {
	t.Helper()
	var tests []test
	tests = append(tests, recordTests...)
	tests = append(tests, txTests...)
	tests = append(tests, generationTests...)
	tests = append(tests, eventTests...)
	tests = append(tests, concurrencyTests...)
	tests = append(tests, searchTests...)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newHarness(t, open))
		})
	}
}

// harness gives a test its store and closes the stores it opened.
type harness struct {
	s      store.Store
	reopen func(t *testing.T) store.Store
	once   map[store.Store]*sync.Once
	mu     sync.Mutex
}

func newHarness(t *testing.T, open Opener) *harness {
	s, reopen := open(t)
	h := &harness{reopen: reopen, once: map[store.Store]*sync.Once{}}
	h.s = h.track(t, s)
	return h
}

// track makes sure s is closed when the test ends.
func (h *harness) track(t *testing.T, s store.Store) store.Store {
	h.mu.Lock()
	h.once[s] = new(sync.Once)
	h.mu.Unlock()
	t.Cleanup(func() { h.close(t, s) })
	return s
}

// open opens a second store on the test's database.
func (h *harness) open(t *testing.T) store.Store {
	t.Helper()
	return h.track(t, h.reopen(t))
}

// close closes s once, failing the test when Close fails.
func (h *harness) close(t *testing.T, s store.Store) {
	h.mu.Lock()
	once := h.once[s]
	h.mu.Unlock()
	once.Do(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
}
