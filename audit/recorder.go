package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"gatehouse/store"
)

// Recorder writes events that are not part of a write transaction (reads,
// denials, failed authentications) in batches. It never drops an event:
// when its queue is full, Record blocks until there is room, which slows
// callers down rather than losing their trail.
type Recorder struct {
	store store.Store
	log   *slog.Logger
	queue chan queued
	done  chan struct{}
	// sending is held for reading while Record sends and for writing by
	// Close, so that the queue is never closed under a sender.
	sending sync.RWMutex
	closed  bool
	// pending holds the sequence numbers of the events taken by Record
	// but not yet stored (or given up by a cancelled Record), and next
	// the number of the next one, for Flush.
	mu      sync.Mutex
	next    uint64
	pending map[uint64]struct{}
	cond    *sync.Cond
}

// queued is an event in the queue with its sequence number.
type queued struct {
	seq   uint64
	event store.Event
}

// RecorderConfig sets a Recorder's queue and batch sizes.
type RecorderConfig struct {
	// Queue is how many events may wait; 0 means 4096.
	Queue int
	// Batch is the most events written at once; 0 means 256.
	Batch int
	// Linger is how long a batch waits for more events before it is
	// written, unless it fills first: a group commit, so that under load
	// one commit (and its fsync) stores many events. 0 means 5ms; a
	// negative value writes at once whatever is queued.
	Linger time.Duration
}

// NewRecorder starts a Recorder writing to s. Close stops it.
func NewRecorder(s store.Store, log *slog.Logger, cfg RecorderConfig) *Recorder {
	if cfg.Queue <= 0 {
		cfg.Queue = 4096
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 256
	}
	if cfg.Linger == 0 {
		cfg.Linger = 5 * time.Millisecond
	}
	if log == nil {
		log = slog.Default()
	}
	r := &Recorder{store: s, log: log, queue: make(chan queued, cfg.Queue), done: make(chan struct{}), pending: map[uint64]struct{}{}}
	r.cond = sync.NewCond(&r.mu)
	go r.run(cfg.Batch, cfg.Linger)
	return r
}

// Record queues an event, blocking while the queue is full. It fails
// when ctx ends first, when the Recorder is closed, or at once for an
// event the store cannot take (no ID or no Time), which would otherwise
// be retried forever and stop every later event.
func (r *Recorder) Record(ctx context.Context, e store.Event) error {
	if e.ID == "" || e.Time.IsZero() {
		return fmt.Errorf("audit: event %q needs an id and a time", e.ID)
	}
	r.sending.RLock()
	defer r.sending.RUnlock()
	if r.closed {
		return errors.New("audit: recorder is closed")
	}
	r.mu.Lock()
	seq := r.next
	r.next++
	r.pending[seq] = struct{}{}
	r.mu.Unlock()
	select {
	case r.queue <- queued{seq: seq, event: e}:
		return nil
	case <-ctx.Done():
		r.settle(seq)
		return ctx.Err()
	}
}

func (r *Recorder) settle(seqs ...uint64) {
	r.mu.Lock()
	for _, seq := range seqs {
		delete(r.pending, seq)
	}
	r.mu.Unlock()
	r.cond.Broadcast()
}

// Flush waits until every event queued before the call is stored. Events
// queued during the call do not hold it up, so Flush returns under a
// steady stream of events too.
func (r *Recorder) Flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	target := r.next
	for r.pendingBefore(target) {
		r.cond.Wait()
	}
}

// pendingBefore reports whether an event numbered below target is
// pending; r.mu must be held.
func (r *Recorder) pendingBefore(target uint64) bool {
	for seq := range r.pending {
		if seq < target {
			return true
		}
	}
	return false
}

// Close stores the queued events and stops the Recorder.
func (r *Recorder) Close() {
	r.sending.Lock()
	if !r.closed {
		r.closed = true
		close(r.queue)
	}
	r.sending.Unlock()
	<-r.done
}

func (r *Recorder) run(batchSize int, linger time.Duration) {
	defer close(r.done)
	batch := make([]store.Event, 0, batchSize)
	seqs := make([]uint64, 0, batchSize)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for q := range r.queue {
		batch, seqs = append(batch[:0], q.event), append(seqs[:0], q.seq)
		timer.Reset(max(linger, 0))
		for len(batch) < batchSize {
			q, ok := r.take(timer.C, linger > 0)
			if !ok {
				break
			}
			batch, seqs = append(batch, q.event), append(seqs, q.seq)
		}
		timer.Stop()
		r.write(batch)
		r.settle(seqs...)
	}
}

// take returns the next queued event: one already waiting, or, when wait
// is set, one that arrives before the linger timer fires. ok is false when
// there is none or the queue is closed.
func (r *Recorder) take(timer <-chan time.Time, wait bool) (q queued, ok bool) {
	select {
	case q, ok = <-r.queue:
		return q, ok
	default:
	}
	if !wait {
		return q, false
	}
	select {
	case q, ok = <-r.queue:
		return q, ok
	case <-timer:
		return q, false
	}
}

func (r *Recorder) write(batch []store.Event) {
	for attempt := 0; ; attempt++ {
		err := r.store.AppendEvents(context.Background(), batch...)
		if err == nil {
			return
		}
		r.log.Error("audit: storing events failed; retrying", "events", len(batch), "attempt", attempt+1, "err", err)
		time.Sleep(min(time.Duration(attempt+1)*100*time.Millisecond, 5*time.Second))
		// A failed call may have stored the events after all (a commit
		// whose outcome was lost), and a store fails a whole batch over
		// one id it already holds: retrying those would fail forever.
		if batch = r.unstored(batch); len(batch) == 0 {
			return
		}
	}
}

// unstored returns the events of batch whose ids the store does not hold
// yet and that no earlier event of the batch has; all of batch when the
// store cannot tell.
func (r *Recorder) unstored(batch []store.Event) []store.Event {
	out := make([]store.Event, 0, len(batch))
	seen := make(map[string]bool, len(batch))
	for _, e := range batch {
		if seen[e.ID] {
			r.log.Error("audit: two events with one id; storing the first only", "event_id", e.ID)
			continue
		}
		seen[e.ID] = true
		found, err := r.store.LookupEvents(context.Background(), store.EventQuery{Attribute: "EventId", Value: e.ID, Limit: 1})
		if err != nil {
			return batch
		}
		if len(found) > 0 {
			r.log.Warn("audit: event already stored; not storing it again", "event_id", e.ID)
			continue
		}
		out = append(out, e)
	}
	return out
}
