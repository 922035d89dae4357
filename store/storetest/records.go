package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"testing"

	"gatehouse/store"
)

var recordTests = []test{
	{"GetPutDelete", testGetPutDelete},
	{"PutReplaces", testPutReplaces},
	{"BodyKeptByteForByte", testBodyKept},
	{"KindsAreSeparate", testKindsAreSeparate},
	{"ListFilters", testListFilters},
	{"ListPaging", testListPaging},
	{"ListByteOrder", testListByteOrder},
	{"TypedHelpers", testTypedHelpers},
}

func testGetPutDelete(t *testing.T, h *harness) {
	wantNoRecord(t, h.s, "account", "111111111111")
	r := store.Record{Kind: "account", ID: "111111111111", Parent: "r-root", Name: "dev", Body: []byte(`{"n":1}`)}
	put(t, h.s, r)
	wantRecord(t, h.s, r)
	update(t, h.s, func(ctx context.Context, tx store.Tx) error { return tx.Delete(ctx, r.Kind, r.ID) })
	wantNoRecord(t, h.s, r.Kind, r.ID)
	err := h.s.Update(t.Context(), func(tx store.Tx) error { return tx.Delete(t.Context(), r.Kind, r.ID) })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Delete of a missing record: error = %v, want ErrNotFound", err)
	}
}

func testPutReplaces(t *testing.T, h *harness) {
	put(t, h.s, store.Record{Kind: "ou", ID: "ou-1", Parent: "r-1", Name: "Eng", Body: []byte(`{"v":1}`)})
	r := store.Record{Kind: "ou", ID: "ou-1", Parent: "r-2", Body: []byte(`{"v":2}`)}
	put(t, h.s, r)
	wantRecord(t, h.s, r)
	if got := list(t, h.s, store.Query{Kind: "ou", Name: "Eng"}); len(got) != 0 {
		t.Fatalf("List by the replaced name = %v, want nothing", recordIDs(got))
	}
	if got := list(t, h.s, store.Query{Kind: "ou", Parent: "r-1"}); len(got) != 0 {
		t.Fatalf("List by the replaced parent = %v, want nothing", recordIDs(got))
	}
	if got := list(t, h.s, store.Query{Kind: "ou", Parent: "r-2"}); len(got) != 1 {
		t.Fatalf("List by the new parent = %v, want [ou-1]", recordIDs(got))
	}
}

func testBodyKept(t *testing.T, h *harness) {
	recs := []store.Record{
		// Whitespace, key order and duplicate keys must survive: the store
		// is no JSON normalizer.
		{Kind: "k", ID: "spaces", Body: []byte("{\"b\": 1,\n  \"a\" : [ 2 ], \"a\": 3}")},
		{Kind: "k", ID: "unicode", Body: []byte(`{"name":"Zoë \u00e9 ✓"}`)},
		{Kind: "k", ID: "empty"},
	}
	put(t, h.s, recs...)
	for _, r := range recs {
		wantRecord(t, h.s, r)
	}
}

func testKindsAreSeparate(t *testing.T, h *harness) {
	a := store.Record{Kind: "user", ID: "same", Name: "n", Body: []byte(`"user"`)}
	b := store.Record{Kind: "group", ID: "same", Name: "n", Body: []byte(`"group"`)}
	put(t, h.s, a, b)
	wantRecord(t, h.s, a)
	wantRecord(t, h.s, b)
	update(t, h.s, func(ctx context.Context, tx store.Tx) error { return tx.Delete(ctx, "user", "same") })
	wantRecord(t, h.s, b)
	if got := list(t, h.s, store.Query{Kind: "user", Name: "n"}); len(got) != 0 {
		t.Fatalf("List user = %v, want nothing", recordIDs(got))
	}
}

// listFixture is a set of records to query: three kinds, shared parents
// and names, ids out of order.
func listFixture() []store.Record {
	var recs []store.Record
	for i := range 12 {
		recs = append(recs, store.Record{
			Kind:   "policy",
			ID:     fmt.Sprintf("p-%02d", (i*7)%12),
			Parent: []string{"", "acct-a", "acct-b"}[i%3],
			Name:   []string{"read", "write", "admin", ""}[i%4],
			Body:   []byte(fmt.Sprintf(`{"i":%d}`, i)),
		})
	}
	recs = append(recs,
		store.Record{Kind: "attachment", ID: "p-03", Parent: "acct-a", Name: "read", Body: []byte(`{}`)},
		store.Record{Kind: "policyx", ID: "p-00", Parent: "acct-a", Body: []byte(`{}`)},
	)
	return recs
}

// modelList is the reference semantics of Tx.List.
func modelList(recs []store.Record, q store.Query) []store.Record {
	var out []store.Record
	for _, r := range recs {
		if r.Kind == q.Kind && (q.Parent == "" || r.Parent == q.Parent) &&
			(q.Name == "" || r.Name == q.Name) && (q.After == "" || r.ID > q.After) {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out
}

func testListFilters(t *testing.T, h *harness) {
	recs := listFixture()
	put(t, h.s, recs...)
	for _, q := range []store.Query{
		{Kind: "policy"},
		{Kind: "policy", Parent: "acct-a"},
		{Kind: "policy", Parent: "acct-b", Name: "write"},
		{Kind: "policy", Name: "admin"},
		{Kind: "policy", Parent: "acct-a", After: "p-04"},
		{Kind: "policy", Name: "read", Limit: 2},
		{Kind: "policy", After: "p-05", Limit: 3},
		{Kind: "policy", After: "p-99"},
		{Kind: "policy", Parent: "nobody"},
		{Kind: "attachment", Parent: "acct-a"},
		{Kind: "nothing"},
	} {
		got := list(t, h.s, q)
		want := modelList(recs, q)
		if len(got) != len(want) {
			t.Errorf("List(%+v) = %v, want %v", q, recordIDs(got), recordIDs(want))
			continue
		}
		for i := range got {
			if !sameRecord(got[i], want[i]) {
				t.Errorf("List(%+v)[%d] = %s, want %s", q, i, fmtRecord(got[i]), fmtRecord(want[i]))
			}
		}
	}
}

func testListPaging(t *testing.T, h *harness) {
	recs := listFixture()
	put(t, h.s, recs...)
	for _, base := range []store.Query{{Kind: "policy"}, {Kind: "policy", Parent: "acct-b"}} {
		want := recordIDs(modelList(recs, base))
		for _, size := range []int{1, 2, 5, 100} {
			var got []string
			q := base
			q.Limit = size
			for {
				page := list(t, h.s, q)
				if len(page) > size {
					t.Fatalf("List(%+v) returned %d records", q, len(page))
				}
				got = append(got, recordIDs(page)...)
				if len(page) < size {
					break
				}
				q.After = page[len(page)-1].ID
			}
			if !slices.Equal(got, want) {
				t.Errorf("paging %+v by %d = %v, want %v", base, size, got, want)
			}
		}
	}
}

// testListByteOrder checks that ids sort by their bytes, whatever the
// database's collation: a case-insensitive or locale order would break
// paging with After.
func testListByteOrder(t *testing.T, h *harness) {
	ids := []string{"b", "a-b", "aB", "ab", "Ab", "a", "a b", "é", "z", "Z", "10", "9", "a_b", "A-b"}
	for _, id := range ids {
		put(t, h.s, store.Record{Kind: "order", ID: id, Body: []byte(`{}`)})
	}
	want := slices.Clone(ids)
	slices.Sort(want)
	if got := recordIDs(list(t, h.s, store.Query{Kind: "order"})); !slices.Equal(got, want) {
		t.Fatalf("List order = %q, want byte order %q", got, want)
	}
	after := "aB"
	i := slices.Index(want, after)
	if got := recordIDs(list(t, h.s, store.Query{Kind: "order", After: after})); !slices.Equal(got, want[i+1:]) {
		t.Fatalf("List after %q = %q, want %q", after, got, want[i+1:])
	}
}

func testTypedHelpers(t *testing.T, h *harness) {
	type account struct {
		Name  string
		Email string
	}
	want := account{Name: "dev", Email: "dev@example.com"}
	update(t, h.s, func(ctx context.Context, tx store.Tx) error {
		return store.Put(ctx, tx, store.Record{Kind: "account", ID: "1"}, want)
	})
	view(t, h.s, func(ctx context.Context, tx store.Tx) error {
		got, err := store.Get[account](ctx, tx, "account", "1")
		if err != nil || got != want {
			t.Errorf("store.Get = %+v, %v; want %+v", got, err, want)
		}
		all, err := store.List[account](ctx, tx, store.Query{Kind: "account"})
		if err != nil || len(all) != 1 || all[0] != want {
			t.Errorf("store.List = %+v, %v; want [%+v]", all, err, want)
		}
		if _, err := store.Get[account](ctx, tx, "account", "2"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("store.Get of a missing record: error = %v, want ErrNotFound", err)
		}
		return nil
	})
}
