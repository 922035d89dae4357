package audit

import (
	"context"
	"errors"
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
	queue chan store.Event
	done  chan struct{}
	// sending is held for reading while Record sends and for writing by
	// Close, so that the queue is never closed under a sender.
	sending sync.RWMutex
	closed  bool
	// pending counts events queued but not yet stored, for Flush.
	mu      sync.Mutex
	pending int
	cond    *sync.Cond
}

// RecorderConfig sets a Recorder's queue and batch sizes.
type RecorderConfig struct {
	// Queue is how many events may wait; 0 means 4096.
	Queue int
	// Batch is the most events written at once; 0 means 256.
	Batch int
}

// NewRecorder starts a Recorder writing to s. Close stops it.
func NewRecorder(s store.Store, log *slog.Logger, cfg RecorderConfig) *Recorder {
	if cfg.Queue <= 0 {
		cfg.Queue = 4096
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 256
	}
	r := &Recorder{store: s, log: log, queue: make(chan store.Event, cfg.Queue), done: make(chan struct{})}
	r.cond = sync.NewCond(&r.mu)
	go r.run(cfg.Batch)
	return r
}

// Record queues an event, blocking while the queue is full. It fails only
// when ctx ends first or the Recorder is closed.
func (r *Recorder) Record(ctx context.Context, e store.Event) error {
	r.sending.RLock()
	defer r.sending.RUnlock()
	if r.closed {
		return errors.New("audit: recorder is closed")
	}
	r.mu.Lock()
	r.pending++
	r.mu.Unlock()
	select {
	case r.queue <- e:
		return nil
	case <-ctx.Done():
		r.settle(1)
		return ctx.Err()
	}
}

func (r *Recorder) settle(n int) {
	r.mu.Lock()
	r.pending -= n
	r.mu.Unlock()
	r.cond.Broadcast()
}

// Flush waits until every event queued before the call is stored.
func (r *Recorder) Flush() {
	r.mu.Lock()
	for r.pending > 0 {
		r.cond.Wait()
	}
	r.mu.Unlock()
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

func (r *Recorder) run(batchSize int) {
	defer close(r.done)
	batch := make([]store.Event, 0, batchSize)
	for e := range r.queue {
		batch = append(batch[:0], e)
	fill:
		for len(batch) < batchSize {
			select {
			case e, ok := <-r.queue:
				if !ok {
					break fill
				}
				batch = append(batch, e)
			default:
				break fill
			}
		}
		r.write(batch)
		r.settle(len(batch))
	}
}

// write stores a batch, retrying until it succeeds: an audit event is
// never dropped silently.
func (r *Recorder) write(batch []store.Event) {
	for attempt := 0; ; attempt++ {
		err := r.store.AppendEvents(context.Background(), batch...)
		if err == nil {
			return
		}
		r.log.Error("audit: storing events failed; retrying", "events", len(batch), "attempt", attempt+1, "err", err)
		time.Sleep(min(time.Duration(attempt+1)*100*time.Millisecond, 5*time.Second))
	}
}
