package storetest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/store"
)

var eventTests = []test{
	{"EventsRoundTrip", testEventsRoundTrip},
	{"EventsCommitWithTransaction", testEventsWithTransaction},
	{"LookupEventsFilters", testLookupFilters},
	{"LookupEventsPaging", testLookupPaging},
	{"LookupEventsRejects", testLookupRejects},
}

const (
	acctA = "111111111111"
	acctB = "222222222222"
	orgs  = "organizations.amazonaws.com"
	iam   = "iam.amazonaws.com"
)

// eventBase is the time of the first fixture event.
var eventBase = time.Date(2025, 3, 4, 5, 6, 7, 123456789, time.UTC)

// eventFixture is a set of events to look up: two accounts, attributes
// shared in different combinations, times out of order, and ties in time
// broken by id.
func eventFixture() []store.Event {
	alice := "arn:aws:iam::111111111111:user/alice"
	mk := func(id string, minute int, account, name, source, user, key string, ro bool, res ...string) store.Event {
		tm := eventBase.Add(time.Duration(minute) * time.Minute)
		body := fmt.Sprintf(`{"eventID": %q, "eventName": %q}`, id, name)
		return store.Event{ID: id, Time: tm, Account: account, Name: name, Source: source, Username: user,
			AccessKeyID: key, ReadOnly: ro, Resources: res, Body: []byte(body)}
	}
	return []store.Event{
		mk("e-05", 5, acctA, "CreateUser", iam, "admin", "AKIA1", false, alice),
		mk("e-01", 1, acctA, "CreateAccount", orgs, "root", "AKIA0", false, "111111111111", "o-1"),
		mk("e-03", 3, acctA, "ListAccounts", orgs, "admin", "AKIA1", true),
		mk("e-02", 3, acctA, "ListAccounts", orgs, "admin", "AKIA1", true),
		mk("e-04", 4, acctB, "CreateUser", iam, "admin", "AKIA9", false, "arn:aws:iam::222222222222:user/x"),
		mk("e-07", 7, acctA, "AttachUserPolicy", iam, "alice", "AKIA2", false, alice, "arn:aws:iam::aws:policy/X", alice),
		mk("e-06", 6, acctB, "ListUsers", iam, "bob", "AKIA8", true),
		mk("e-00", -60, acctA, "DescribeOrganization", orgs, "root", "", true, "o-1"),
	}
}

// modelLookup is the reference semantics of LookupEvents.
func modelLookup(events []store.Event, q store.EventQuery) []store.Event {
	var out []store.Event
	for _, e := range events {
		if matchEvent(e, q) {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return newerThan(out[i], out[j]) })
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out
}

func newerThan(a, b store.Event) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.After(b.Time)
	}
	return a.ID > b.ID
}

func matchEvent(e store.Event, q store.EventQuery) bool {
	if q.Account != "" && e.Account != q.Account {
		return false
	}
	if !q.Start.IsZero() && e.Time.Before(q.Start) || !q.End.IsZero() && e.Time.After(q.End) {
		return false
	}
	return q.Attribute == "" || slices.Contains(attributeValues(e)[q.Attribute], q.Value)
}

func attributeValues(e store.Event) map[string][]string {
	return map[string][]string{
		"EventId":      {e.ID},
		"EventName":    {e.Name},
		"EventSource":  {e.Source},
		"Username":     {e.Username},
		"AccessKeyId":  {e.AccessKeyID},
		"ReadOnly":     {strconv.FormatBool(e.ReadOnly)},
		"ResourceName": e.Resources,
	}
}

func testEventsRoundTrip(t *testing.T, h *harness) {
	want := eventFixture()
	if err := h.s.AppendEvents(t.Context(), want...); err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	if err := h.s.AppendEvents(t.Context()); err != nil {
		t.Fatalf("AppendEvents of no events: %v", err)
	}
	for _, w := range want {
		got := lookup(t, h.s, store.EventQuery{Attribute: "EventId", Value: w.ID})
		if len(got) != 1 || !sameEvent(got[0], w) {
			t.Errorf("event %s read back as %+v, want %+v", w.ID, got, w)
		}
	}
}

func testEventsWithTransaction(t *testing.T, h *harness) {
	evs := eventFixture()
	err := h.s.Update(t.Context(), func(tx store.Tx) error {
		if err := tx.AppendEvents(t.Context(), evs[0], evs[1]); err != nil {
			t.Fatalf("AppendEvents: %v", err)
		}
		return errTest
	})
	if err == nil {
		t.Fatal("failing Update succeeded")
	}
	if got := lookup(t, h.s, store.EventQuery{}); len(got) != 0 {
		t.Fatalf("events of a rolled-back transaction: %v", eventIDs(got))
	}
	update(t, h.s, func(ctx context.Context, tx store.Tx) error {
		if err := tx.Put(ctx, seed); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, evs[0], evs[1])
	})
	if got := eventIDs(lookup(t, h.s, store.EventQuery{})); !slices.Equal(got, []string{evs[0].ID, evs[1].ID}) {
		t.Fatalf("events of a committed transaction = %v, want [%s %s]", got, evs[0].ID, evs[1].ID)
	}
	wantRecord(t, h.s, seed)
}

// lookupQueries are the queries testLookupFilters compares with the
// model: every attribute, the account, the time range, and mixes.
func lookupQueries() []store.EventQuery {
	at := func(minute int) time.Time { return eventBase.Add(time.Duration(minute) * time.Minute) }
	qs := []store.EventQuery{
		{},
		{Account: acctA},
		{Account: acctB},
		{Account: "333333333333"},
		{Start: at(3)},
		{End: at(3)},
		{Start: at(3), End: at(5)},
		{Start: at(3).Add(time.Nanosecond), End: at(5).Add(-time.Nanosecond)},
		{Account: acctA, Start: at(0), End: at(6), Attribute: "EventSource", Value: orgs},
		{Limit: 3},
		{Account: acctA, Attribute: "ReadOnly", Value: "true", Limit: 2},
	}
	for _, e := range eventFixture() {
		for attr, vals := range attributeValues(e) {
			for _, v := range vals {
				qs = append(qs, store.EventQuery{Attribute: attr, Value: v}, store.EventQuery{Account: acctA, Attribute: attr, Value: v})
			}
		}
	}
	return append(qs, store.EventQuery{Attribute: "Username", Value: "nobody"},
		store.EventQuery{Attribute: "ResourceName", Value: "arn:nothing"},
		store.EventQuery{Attribute: "ReadOnly", Value: "false"})
}

func testLookupFilters(t *testing.T, h *harness) {
	evs := eventFixture()
	// Append in two calls, one inside a transaction, one outside.
	update(t, h.s, func(ctx context.Context, tx store.Tx) error { return tx.AppendEvents(ctx, evs[:3]...) })
	if err := h.s.AppendEvents(t.Context(), evs[3:]...); err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	for _, q := range lookupQueries() {
		got := lookup(t, h.s, q)
		want := modelLookup(evs, q)
		if !slices.Equal(eventIDs(got), eventIDs(want)) {
			t.Errorf("LookupEvents(%s) = %v, want %v", fmtQuery(q), eventIDs(got), eventIDs(want))
			continue
		}
		for i := range got {
			if !sameEvent(got[i], want[i]) {
				t.Errorf("LookupEvents(%s)[%d] = %+v, want %+v", fmtQuery(q), i, got[i], want[i])
			}
		}
	}
}

func fmtQuery(q store.EventQuery) string {
	var parts []string
	if q.Account != "" {
		parts = append(parts, "account="+q.Account)
	}
	if q.Attribute != "" {
		parts = append(parts, q.Attribute+"="+q.Value)
	}
	if !q.Start.IsZero() {
		parts = append(parts, "start="+q.Start.Format(time.RFC3339Nano))
	}
	if !q.End.IsZero() {
		parts = append(parts, "end="+q.End.Format(time.RFC3339Nano))
	}
	if q.Before != "" {
		parts = append(parts, "before="+q.Before)
	}
	if q.Limit != 0 {
		parts = append(parts, "limit="+strconv.Itoa(q.Limit))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func testLookupPaging(t *testing.T, h *harness) {
	evs := eventFixture()
	if err := h.s.AppendEvents(t.Context(), evs...); err != nil {
		t.Fatalf("AppendEvents: %v", err)
	}
	for _, base := range []store.EventQuery{{}, {Account: acctA}, {Attribute: "EventSource", Value: iam}} {
		want := eventIDs(modelLookup(evs, base))
		for _, size := range []int{1, 2, 3, 50} {
			if got := pageEvents(t, h.s, base, size); !slices.Equal(got, want) {
				t.Errorf("paging %s by %d = %v, want %v", fmtQuery(base), size, got, want)
			}
		}
	}
}

// pageEvents reads every event matching base, size at a time.
func pageEvents(t *testing.T, s store.Store, base store.EventQuery, size int) []string {
	t.Helper()
	var ids []string
	q := base
	q.Limit = size
	for {
		page := lookup(t, s, q)
		if len(page) > size {
			t.Fatalf("LookupEvents(%s) returned %d events", fmtQuery(q), len(page))
		}
		ids = append(ids, eventIDs(page)...)
		if len(page) < size || len(ids) > 100 {
			return ids
		}
		q.Before = page[len(page)-1].Cursor()
	}
}

func testLookupRejects(t *testing.T, h *harness) {
	for _, q := range []store.EventQuery{
		{Attribute: "Colour", Value: "red"},
		{Attribute: "ReadOnly", Value: "maybe"},
		{Before: "not a cursor"},
		{Limit: -1},
	} {
		if evs, err := h.s.LookupEvents(t.Context(), q); err == nil {
			t.Errorf("LookupEvents(%s) = %v, want an error", fmtQuery(q), eventIDs(evs))
		}
	}
}
