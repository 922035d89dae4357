package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/store"
	"gatehouse/store/sqlite"
)

var discard = slog.New(slog.DiscardHandler)

func openStore(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var baseTime = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)

func event(i int) store.Event {
	return store.Event{
		ID:       fmt.Sprintf("evt-%05d", i),
		Time:     baseTime.Add(time.Duration(i) * time.Millisecond),
		Account:  "111122223333",
		Name:     "ListAccounts",
		Source:   "organizations.amazonaws.com",
		Username: "root",
		ReadOnly: true,
		Body:     []byte(fmt.Sprintf(`{"eventID":"evt-%05d"}`, i)),
	}
}

// storedIDs returns the ids of every stored event, sorted.
func storedIDs(t *testing.T, s store.Store) []string {
	t.Helper()
	events, err := s.LookupEvents(context.Background(), store.EventQuery{})
	if err != nil {
		t.Fatalf("LookupEvents: %v", err)
	}
	ids := make([]string, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	sort.Strings(ids)
	return ids
}

func wantStored(t *testing.T, s store.Store, n int) {
	t.Helper()
	ids := storedIDs(t, s)
	if len(ids) != n {
		t.Fatalf("%d events stored, want %d", len(ids), n)
	}
	for i, id := range ids {
		if want := event(i).ID; id != want {
			t.Fatalf("stored event %d is %s, want %s", i, id, want)
		}
	}
}

// within fails t when fn does not return in time, for calls that would
// otherwise hang the test.
func within(t *testing.T, d time.Duration, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s did not return within %v", what, d)
	}
}

// closeAtEnd closes r when the test ends, failing it rather than hanging
// when Close does not return.
func closeAtEnd(t *testing.T, r *Recorder) {
	t.Cleanup(func() {
		done := make(chan struct{})
		go func() { defer close(done); r.Close() }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("Close did not return")
		}
	})
}

// blockingStore holds every AppendEvents until release is closed, and
// reports on entered each time one starts.
type blockingStore struct {
	store.Store
	entered chan struct{}
	release chan struct{}
}

func newBlockingStore(s store.Store) *blockingStore {
	return &blockingStore{Store: s, entered: make(chan struct{}, 1000), release: make(chan struct{})}
}

func (b *blockingStore) AppendEvents(ctx context.Context, events ...store.Event) error {
	b.entered <- struct{}{}
	<-b.release
	return b.Store.AppendEvents(ctx, events...)
}

// flakyStore fails the first failures calls of AppendEvents.
type flakyStore struct {
	store.Store
	failures int
	calls    atomic.Int32
}

func (f *flakyStore) AppendEvents(ctx context.Context, events ...store.Event) error {
	if int(f.calls.Add(1)) <= f.failures {
		return errors.New("database is locked")
	}
	return f.Store.AppendEvents(ctx, events...)
}

// lostCommitStore stores the events of the first AppendEvents but reports
// a failure, like a commit whose acknowledgement was lost.
type lostCommitStore struct {
	store.Store
	calls atomic.Int32
}

func (l *lostCommitStore) AppendEvents(ctx context.Context, events ...store.Event) error {
	err := l.Store.AppendEvents(ctx, events...)
	if l.calls.Add(1) == 1 && err == nil {
		return errors.New("connection reset after commit")
	}
	return err
}

// slowStore takes a while for every AppendEvents.
type slowStore struct {
	store.Store
	delay time.Duration
}

func (s *slowStore) AppendEvents(ctx context.Context, events ...store.Event) error {
	time.Sleep(s.delay)
	return s.Store.AppendEvents(ctx, events...)
}

func TestRecorderRecordFlush(t *testing.T) {
	tests := []struct {
		name  string
		cfg   RecorderConfig
		count int
	}{
		{name: "defaults", cfg: RecorderConfig{}, count: 500},
		{name: "batches of 7", cfg: RecorderConfig{Queue: 16, Batch: 7}, count: 100},
		{name: "one at a time", cfg: RecorderConfig{Queue: 1, Batch: 1}, count: 50},
		{name: "none", cfg: RecorderConfig{}, count: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			r := NewRecorder(s, discard, tt.cfg)
			closeAtEnd(t, r)
			ctx := t.Context()
			for i := range tt.count {
				if err := r.Record(ctx, event(i)); err != nil {
					t.Fatalf("Record %d: %v", i, err)
				}
			}
			within(t, 10*time.Second, "Flush", r.Flush)
			wantStored(t, s, tt.count)
			// The stored event is the one recorded.
			if tt.count > 0 {
				got, err := s.LookupEvents(ctx, store.EventQuery{Attribute: "EventId", Value: event(0).ID})
				if err != nil || len(got) != 1 {
					t.Fatalf("LookupEvents by id = %v, %v", got, err)
				}
				want := event(0)
				if g := got[0]; g.Name != want.Name || g.Source != want.Source || g.Account != want.Account || !g.Time.Equal(want.Time) || string(g.Body) != string(want.Body) {
					t.Fatalf("stored %+v, want %+v", g, want)
				}
			}
		})
	}
}

func TestRecorderConcurrentTinyQueue(t *testing.T) {
	s := openStore(t)
	r := NewRecorder(s, discard, RecorderConfig{Queue: 1, Batch: 1})
	closeAtEnd(t, r)
	const writers, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				if err := r.Record(context.Background(), event(w*each+i)); err != nil {
					errs <- err
				}
			}
		})
	}
	within(t, 30*time.Second, "concurrent Record calls", wg.Wait)
	close(errs)
	for err := range errs {
		t.Fatalf("Record: %v", err)
	}
	within(t, 10*time.Second, "Flush", r.Flush)
	wantStored(t, s, writers*each)
}

func TestRecorderRecordAfterClose(t *testing.T) {
	s := openStore(t)
	r := NewRecorder(s, discard, RecorderConfig{})
	if err := r.Record(t.Context(), event(0)); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if err := r.Record(t.Context(), event(1)); err == nil {
		t.Fatal("Record after Close succeeded")
	}
	within(t, time.Second, "second Close", r.Close)
	within(t, time.Second, "Flush after Close", r.Flush)
	wantStored(t, s, 1)
}

func TestRecorderCloseFlushes(t *testing.T) {
	s := openStore(t)
	bs := newBlockingStore(s)
	r := NewRecorder(bs, discard, RecorderConfig{Queue: 64, Batch: 4})
	for i := range 20 {
		if err := r.Record(t.Context(), event(i)); err != nil {
			t.Fatal(err)
		}
	}
	closed := make(chan struct{})
	go func() { r.Close(); close(closed) }()
	<-bs.entered
	select {
	case <-closed:
		t.Fatal("Close returned while events were still being stored")
	case <-time.After(50 * time.Millisecond):
	}
	close(bs.release)
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
	wantStored(t, s, 20)
}

func TestRecorderCloseWithBlockedRecord(t *testing.T) {
	// A Record waiting for room in the queue when Close starts still
	// lands, and neither call hangs or panics.
	s := openStore(t)
	bs := newBlockingStore(s)
	r := NewRecorder(bs, discard, RecorderConfig{Queue: 1, Batch: 1})
	if err := r.Record(t.Context(), event(0)); err != nil {
		t.Fatal(err)
	}
	<-bs.entered // event 0 is being stored
	if err := r.Record(t.Context(), event(1)); err != nil {
		t.Fatal(err) // fills the queue
	}
	recorded := make(chan error, 1)
	go func() { recorded <- r.Record(context.Background(), event(2)) }()
	closed := make(chan struct{})
	time.Sleep(20 * time.Millisecond) // let event 2 block
	go func() { r.Close(); close(closed) }()
	time.Sleep(20 * time.Millisecond)
	close(bs.release)
	select {
	case err := <-recorded:
		if err != nil {
			t.Fatalf("blocked Record: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("blocked Record did not return")
	}
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
	wantStored(t, s, 3)
}

func TestRecorderRecordCancelledWhileQueueFull(t *testing.T) {
	s := openStore(t)
	bs := newBlockingStore(s)
	r := NewRecorder(bs, discard, RecorderConfig{Queue: 1, Batch: 1})
	closeAtEnd(t, r)
	if err := r.Record(t.Context(), event(0)); err != nil {
		t.Fatal(err)
	}
	<-bs.entered // the writer holds event 0
	if err := r.Record(t.Context(), event(1)); err != nil {
		t.Fatal(err) // the queue is now full
	}

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	deadline, cancel2 := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel2()
	tests := []struct {
		name string
		ctx  context.Context
		ev   store.Event
		want error
	}{
		{name: "cancelled", ctx: cancelled, ev: event(100), want: context.Canceled},
		{name: "deadline passes while waiting", ctx: deadline, ev: event(101), want: context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			within(t, 5*time.Second, "Record", func() { err = r.Record(tt.ctx, tt.ev) })
			if !errors.Is(err, tt.want) {
				t.Fatalf("Record error = %v, want %v", err, tt.want)
			}
		})
	}

	close(bs.release)
	// Flush does not wait for the events whose Record gave up.
	within(t, 10*time.Second, "Flush", r.Flush)
	wantStored(t, s, 2)
}

func TestRecorderRetriesFailedWrites(t *testing.T) {
	tests := []struct {
		name     string
		failures int
	}{
		{name: "no failure", failures: 0},
		{name: "one failure", failures: 1},
		{name: "three failures", failures: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			fs := &flakyStore{Store: s, failures: tt.failures}
			r := NewRecorder(fs, discard, RecorderConfig{})
			closeAtEnd(t, r)
			for i := range 10 {
				if err := r.Record(t.Context(), event(i)); err != nil {
					t.Fatal(err)
				}
			}
			within(t, 10*time.Second, "Flush", r.Flush)
			wantStored(t, s, 10)
			if got := int(fs.calls.Load()); got <= tt.failures {
				t.Fatalf("%d AppendEvents calls, want more than the %d failures", got, tt.failures)
			}
		})
	}
}

func TestRecorderLostCommitIsNotRetriedForever(t *testing.T) {
	// The first write is stored but reported failed. Retrying the same
	// batch would fail forever on the ids it already stored and stop
	// every later event.
	s := openStore(t)
	ls := &lostCommitStore{Store: s}
	r := NewRecorder(ls, discard, RecorderConfig{Queue: 16, Batch: 16})
	closeAtEnd(t, r)
	for i := range 5 {
		if err := r.Record(t.Context(), event(i)); err != nil {
			t.Fatal(err)
		}
	}
	within(t, 10*time.Second, "Flush after a lost commit", r.Flush)
	for i := 5; i < 10; i++ {
		if err := r.Record(t.Context(), event(i)); err != nil {
			t.Fatal(err)
		}
	}
	within(t, 10*time.Second, "Flush of later events", r.Flush)
	wantStored(t, s, 10)
}

func TestRecorderDuplicateIDInBatch(t *testing.T) {
	// Two events with one id in a batch make the store refuse the whole
	// batch; the other events must still land.
	s := openStore(t)
	bs := newBlockingStore(s)
	r := NewRecorder(bs, discard, RecorderConfig{Queue: 16, Batch: 16})
	closeAtEnd(t, r)
	if err := r.Record(t.Context(), event(0)); err != nil {
		t.Fatal(err)
	}
	<-bs.entered
	for _, e := range []store.Event{event(1), event(2), event(1), event(3)} {
		if err := r.Record(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	close(bs.release)
	within(t, 10*time.Second, "Flush", r.Flush)
	wantStored(t, s, 4)
}

func TestRecorderRejectsUnstorableEvents(t *testing.T) {
	tests := []struct {
		name string
		ev   store.Event
	}{
		{name: "no id", ev: store.Event{Time: baseTime}},
		{name: "no time", ev: store.Event{ID: "evt-no-time"}},
	}
	s := openStore(t)
	r := NewRecorder(s, discard, RecorderConfig{Queue: 1, Batch: 1})
	closeAtEnd(t, r)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := r.Record(t.Context(), tt.ev); err == nil {
				t.Fatal("Record accepted an event the store cannot take")
			}
		})
	}
	// The recorder still works.
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	if err := r.Record(ctx, event(0)); err != nil {
		t.Fatal(err)
	}
	within(t, 5*time.Second, "Flush", r.Flush)
	wantStored(t, s, 1)
}

func TestRecorderFlushUnderSteadyLoad(t *testing.T) {
	// Flush waits for the events recorded before it, not for a moment
	// when nothing at all is queued, which a steady stream never gives.
	s := openStore(t)
	r := NewRecorder(&slowStore{Store: s, delay: time.Millisecond}, discard, RecorderConfig{Queue: 8, Batch: 1})
	closeAtEnd(t, r)
	var recorded atomic.Int64
	stop := make(chan struct{})
	producerDone := make(chan struct{})
	go func() {
		defer close(producerDone)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := r.Record(context.Background(), event(i)); err != nil {
				t.Errorf("Record: %v", err)
				return
			}
			recorded.Store(int64(i + 1))
		}
	}()
	defer func() { close(stop); <-producerDone }()
	for recorded.Load() < 20 {
		time.Sleep(time.Millisecond)
	}
	before := int(recorded.Load())
	within(t, 10*time.Second, "Flush under load", r.Flush)
	stored := map[string]bool{}
	for _, id := range storedIDs(t, s) {
		stored[id] = true
	}
	for i := range before {
		if !stored[event(i).ID] {
			t.Fatalf("event %d, recorded before Flush, is not stored after it", i)
		}
	}
}

func TestRecorderNilLogger(t *testing.T) {
	s := openStore(t)
	r := NewRecorder(&flakyStore{Store: s, failures: 1}, nil, RecorderConfig{})
	closeAtEnd(t, r)
	if err := r.Record(t.Context(), event(0)); err != nil {
		t.Fatal(err)
	}
	within(t, 5*time.Second, "Flush", r.Flush)
	wantStored(t, s, 1)
}

// countingStore counts the calls of AppendEvents and the events of each.
type countingStore struct {
	store.Store
	mu      sync.Mutex
	batches []int
}

func (c *countingStore) AppendEvents(ctx context.Context, events ...store.Event) error {
	c.mu.Lock()
	c.batches = append(c.batches, len(events))
	c.mu.Unlock()
	return c.Store.AppendEvents(ctx, events...)
}

// TestRecorderGroupCommit checks that events arriving within the linger
// of the first are written in one batch, and that a full batch does not
// wait for the linger to pass.
func TestRecorderGroupCommit(t *testing.T) {
	tests := []struct {
		name        string
		cfg         RecorderConfig
		events      int
		gap         time.Duration
		wantBatches []int
	}{
		{name: "trickle within the linger", cfg: RecorderConfig{Linger: time.Minute, Batch: 4}, events: 4, gap: 5 * time.Millisecond, wantBatches: []int{4}},
		{name: "full batches go at once", cfg: RecorderConfig{Linger: time.Minute, Batch: 2}, events: 6, wantBatches: []int{2, 2, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &countingStore{Store: openStore(t)}
			r := NewRecorder(s, discard, tt.cfg)
			closeAtEnd(t, r)
			for i := range tt.events {
				if err := r.Record(t.Context(), event(i)); err != nil {
					t.Fatal(err)
				}
				time.Sleep(tt.gap)
			}
			within(t, 10*time.Second, "Flush", r.Flush)
			s.mu.Lock()
			defer s.mu.Unlock()
			if !slices.Equal(s.batches, tt.wantBatches) {
				t.Errorf("batches %v, want %v", s.batches, tt.wantBatches)
			}
		})
	}
}
