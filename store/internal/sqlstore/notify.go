package sqlstore

import "sync"

// Notifier delivers generation numbers to subscribers, in increasing
// order and at most once each: Publish of a generation no greater than
// one already delivered does nothing. That lets a store publish both its
// own commits and notifications from other instances without calling a
// subscriber twice for the same generation.
//
// The zero Notifier is ready to use and has delivered generation 0.
type Notifier struct {
	deliver sync.Mutex // held while subscribers run, so deliveries are ordered
	last    int64      // highest generation delivered; guarded by deliver

	subsMu sync.Mutex
	nextID int
	subs   map[int]func(int64)
}

// Start records gen as already delivered, so only later generations reach
// subscribers. A store calls it once at open with its current generation.
func (n *Notifier) Start(gen int64) {
	n.deliver.Lock()
	defer n.deliver.Unlock()
	n.last = gen
}

// Last returns the highest generation delivered or started with.
func (n *Notifier) Last() int64 {
	n.deliver.Lock()
	defer n.deliver.Unlock()
	return n.last
}

// Subscribe adds fn to the subscribers and returns a function that
// removes it. fn runs on the goroutine that publishes, while other
// deliveries wait, so it must not block and must not call back into the
// store's write path. Cancel may be called more than once, also from fn;
// a delivery already under way on another goroutine may still call fn
// once after cancel returns.
func (n *Notifier) Subscribe(fn func(generation int64)) (cancel func()) {
	n.subsMu.Lock()
	defer n.subsMu.Unlock()
	if n.subs == nil {
		n.subs = make(map[int]func(int64))
	}
	id := n.nextID
	n.nextID++
	n.subs[id] = fn
	return func() {
		n.subsMu.Lock()
		defer n.subsMu.Unlock()
		delete(n.subs, id)
	}
}

// Publish calls every subscriber with gen unless a generation at least as
// high was already delivered. When Publish returns, every subscriber has
// seen gen or a higher generation.
func (n *Notifier) Publish(gen int64) {
	n.deliver.Lock()
	defer n.deliver.Unlock()
	if gen <= n.last {
		return
	}
	n.last = gen
	for _, fn := range n.snapshot() {
		fn(gen)
	}
}

func (n *Notifier) snapshot() []func(int64) {
	n.subsMu.Lock()
	defer n.subsMu.Unlock()
	fns := make([]func(int64), 0, len(n.subs))
	for _, fn := range n.subs {
		fns = append(fns, fn)
	}
	return fns
}
