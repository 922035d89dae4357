package sqlstore

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"gatehouse/store"
)

func TestNotifierDeliversEachGenerationOnceInOrder(t *testing.T) {
	var n Notifier
	n.Start(5)
	var got []int64
	cancel := n.Subscribe(func(g int64) { got = append(got, g) })
	for _, g := range []int64{3, 5, 6, 6, 8, 7, 9} {
		n.Publish(g)
	}
	if want := []int64{6, 8, 9}; !slices.Equal(got, want) {
		t.Fatalf("delivered %v, want %v", got, want)
	}
	cancel()
	cancel()
	n.Publish(10)
	if len(got) != 3 {
		t.Fatalf("canceled subscriber got %v", got)
	}
	if n.Last() != 10 {
		t.Fatalf("Last = %d, want 10", n.Last())
	}
}

func TestNotifierCancelFromCallback(t *testing.T) {
	var n Notifier
	calls := 0
	var cancel func()
	cancel = n.Subscribe(func(int64) { calls++; cancel() })
	n.Publish(1)
	n.Publish(2)
	if calls != 1 {
		t.Fatalf("self-canceling subscriber called %d times, want 1", calls)
	}
}

func TestNotifierConcurrentPublishIsMonotonic(t *testing.T) {
	var n Notifier
	var mu sync.Mutex
	var got []int64
	n.Subscribe(func(g int64) { mu.Lock(); got = append(got, g); mu.Unlock() })
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for g := range int64(100) {
				n.Publish(g*8 + int64(i))
			}
		})
	}
	wg.Wait()
	for i := 1; i < len(got); i++ {
		if got[i] <= got[i-1] {
			t.Fatalf("delivery %d after %d: not strictly increasing", got[i], got[i-1])
		}
	}
	if got[len(got)-1] != 799 {
		t.Fatalf("last delivery %d, want 799", got[len(got)-1])
	}
}

func TestLoadMigrations(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0002_more.sql": {Data: []byte("B")},
		"m/0001_init.sql": {Data: []byte("A")},
		"m/README":        {Data: []byte("not a migration")},
	}
	migs, err := LoadMigrations(fsys, "m")
	if err != nil {
		t.Fatal(err)
	}
	if len(migs) != 2 || migs[0].SQL != "A" || migs[1].Version != 2 || migs[1].Name != "0002_more.sql" {
		t.Fatalf("LoadMigrations = %+v", migs)
	}
	if p, err := Pending(migs, 1); err != nil || len(p) != 1 || p[0].Version != 2 {
		t.Fatalf("Pending(1) = %+v, %v", p, err)
	}
	if _, err := Pending(migs, 3); err == nil {
		t.Fatal("Pending of a newer database succeeded")
	}
	for name, bad := range map[string]fstest.MapFS{
		"gap":      {"m/0001_a.sql": {}, "m/0003_c.sql": {}},
		"repeat":   {"m/0001_a.sql": {}, "m/0001_b.sql": {}},
		"unnamed":  {"m/init.sql": {}},
		"zero":     {"m/0000_a.sql": {}},
		"no files": nil,
	} {
		if _, err := LoadMigrations(bad, "m"); err == nil {
			t.Errorf("LoadMigrations(%s) succeeded", name)
		}
	}
}

func TestLookupSQL(t *testing.T) {
	q, args, err := LookupSQL(store.EventQuery{Account: "1", Attribute: "ResourceName", Value: "arn", Limit: 5,
		Before: "00000000000000000042/ev"}, func(n int) string { return "$" + strconv.Itoa(n) })
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"e.account = $1", "r.name = $2", "(e.time_ns, e.id) < ($3, $4)", "LIMIT $5", "ORDER BY e.time_ns DESC, e.id DESC"} {
		if !strings.Contains(q, want) {
			t.Errorf("query %q lacks %q", q, want)
		}
	}
	if len(args) != 5 || args[2] != int64(42) || args[3] != "ev" {
		t.Errorf("args = %v", args)
	}
}

func TestListSQLNeedsKind(t *testing.T) {
	if _, _, err := ListSQL(store.Query{}, func(int) string { return "?" }); err == nil {
		t.Fatal("ListSQL without a kind succeeded")
	}
}

func TestCheck(t *testing.T) {
	if CheckRecord(store.Record{Kind: "k"}) == nil || CheckRecord(store.Record{ID: "i"}) == nil {
		t.Error("CheckRecord accepted a record without kind or id")
	}
	if CheckEvents([]store.Event{{ID: "e"}}) == nil || CheckEvents([]store.Event{{}}) == nil {
		t.Error("CheckEvents accepted an event without time or id")
	}
	if got := Resources(store.Event{Resources: []string{"b", "a", "b"}}); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("Resources = %v", got)
	}
}
