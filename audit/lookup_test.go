package audit

import (
	"encoding/base64"
	"errors"
	"fmt"
	"testing"
	"time"

	"gatehouse/awserr"
	"gatehouse/store"
)

func TestLookupPaging(t *testing.T) {
	s := openStore(t)
	ctx := t.Context()
	now := baseTime.Add(time.Hour)
	var events []store.Event
	for i := range 7 {
		e := event(i)
		e.Time = baseTime.Add(time.Duration(i) * time.Second)
		events = append(events, e)
	}
	other := event(99)
	other.Account = "444455556666"
	events = append(events, other)
	if err := s.AppendEvents(ctx, events...); err != nil {
		t.Fatal(err)
	}

	var got []string
	token := ""
	pages := 0
	for {
		out, err := Lookup(ctx, s, now, LookupInput{Account: "111122223333", MaxResults: 3, NextToken: token})
		if err != nil {
			t.Fatalf("Lookup page %d: %v", pages, err)
		}
		pages++
		if len(out.Events) > 3 {
			t.Fatalf("page of %d events, want at most 3", len(out.Events))
		}
		for _, e := range out.Events {
			got = append(got, e.ID)
		}
		if out.NextToken == "" {
			break
		}
		token = out.NextToken
		if pages > 10 {
			t.Fatal("paging does not end")
		}
	}
	want := []string{"evt-00006", "evt-00005", "evt-00004", "evt-00003", "evt-00002", "evt-00001", "evt-00000"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("paged events = %v, want %v (newest first, the account's only)", got, want)
	}
	if pages != 3 {
		t.Fatalf("%d pages, want 3", pages)
	}

	// Exactly a full page has no NextToken.
	out, err := Lookup(ctx, s, now, LookupInput{Account: "111122223333", MaxResults: 7})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Events) != 7 || out.NextToken != "" {
		t.Fatalf("page of exactly all events: %d events, NextToken %q", len(out.Events), out.NextToken)
	}
}

func TestLookupFilters(t *testing.T) {
	s := openStore(t)
	ctx := t.Context()
	now := baseTime.Add(time.Hour)
	a := event(1)
	a.Name, a.ReadOnly, a.AccessKeyID = "CreateAccount", false, "AKIAAAAAAAAAAAAAAAAA"
	a.Resources = []string{"arn:aws:organizations::111122223333:account/o-x/444455556666"}
	b := event(2)
	old := event(3)
	old.Time = now.Add(-Retention - time.Hour)
	if err := s.AppendEvents(ctx, a, b, old); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   LookupInput
		want []string
	}{
		{name: "default window skips events older than 90 days", in: LookupInput{}, want: []string{b.ID, a.ID}},
		{name: "EventName", in: LookupInput{Attributes: []LookupAttribute{{"EventName", "CreateAccount"}}}, want: []string{a.ID}},
		{name: "EventId", in: LookupInput{Attributes: []LookupAttribute{{"EventId", b.ID}}}, want: []string{b.ID}},
		{name: "ReadOnly true", in: LookupInput{Attributes: []LookupAttribute{{"ReadOnly", "true"}}}, want: []string{b.ID}},
		{name: "ReadOnly false", in: LookupInput{Attributes: []LookupAttribute{{"ReadOnly", "false"}}}, want: []string{a.ID}},
		{name: "AccessKeyId", in: LookupInput{Attributes: []LookupAttribute{{"AccessKeyId", "AKIAAAAAAAAAAAAAAAAA"}}}, want: []string{a.ID}},
		{name: "ResourceName", in: LookupInput{Attributes: []LookupAttribute{{"ResourceName", a.Resources[0]}}}, want: []string{a.ID}},
		{name: "explicit old window", in: LookupInput{Start: old.Time.Add(-time.Second), End: old.Time.Add(time.Second)}, want: []string{old.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.Account = "111122223333"
			out, err := Lookup(ctx, s, now, tt.in)
			if err != nil {
				t.Fatalf("Lookup: %v", err)
			}
			var got []string
			for _, e := range out.Events {
				got = append(got, e.ID)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("events = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLookupErrors(t *testing.T) {
	s := openStore(t)
	now := baseTime
	tests := []struct {
		name string
		in   LookupInput
		want *awserr.Kind
	}{
		{name: "two attributes", in: LookupInput{Attributes: []LookupAttribute{{"EventName", "a"}, {"Username", "b"}}}, want: awserr.ErrInvalidLookupAttributesException},
		{name: "unknown attribute", in: LookupInput{Attributes: []LookupAttribute{{"Region", "us-east-1"}}}, want: awserr.ErrInvalidLookupAttributesException},
		{name: "attribute in another case", in: LookupInput{Attributes: []LookupAttribute{{"eventname", "a"}}}, want: awserr.ErrInvalidLookupAttributesException},
		{name: "ReadOnly not a boolean", in: LookupInput{Attributes: []LookupAttribute{{"ReadOnly", "yes"}}}, want: awserr.ErrInvalidLookupAttributesException},
		{name: "start after end", in: LookupInput{Start: now, End: now.Add(-time.Second)}, want: awserr.ErrInvalidTimeRangeException},
		{name: "MaxResults 51", in: LookupInput{MaxResults: 51}, want: awserr.ErrInvalidMaxResultsException},
		{name: "MaxResults negative", in: LookupInput{MaxResults: -1}, want: awserr.ErrInvalidMaxResultsException},
		{name: "NextToken not base64", in: LookupInput{NextToken: "!!!"}, want: awserr.ErrInvalidNextTokenException},
		{name: "NextToken not a cursor", in: LookupInput{NextToken: base64.RawURLEncoding.EncodeToString([]byte("garbage"))}, want: awserr.ErrInvalidNextTokenException},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Lookup(t.Context(), s, now, tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Lookup error = %v, want %s", err, tt.want.Code)
			}
		})
	}
}
