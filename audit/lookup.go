package audit

import (
	"context"
	"encoding/base64"
	"time"

	"gatehouse/awserr"
	"gatehouse/store"
)

// LookupAttribute is one CloudTrail lookup attribute.
type LookupAttribute struct {
	Key, Value string
}

// LookupInput selects events as CloudTrail's LookupEvents does.
type LookupInput struct {
	// Account is the account whose events are read: the caller's.
	Account string
	// Attributes holds at most one lookup attribute.
	Attributes []LookupAttribute
	// Start and End bound the event time; zero means the last 90 days up
	// to now.
	Start, End time.Time
	// MaxResults is 1 to 50; 0 means 50.
	MaxResults int
	// NextToken continues an earlier lookup.
	NextToken string
}

// LookupOutput is a page of events, newest first.
type LookupOutput struct {
	Events    []store.Event
	NextToken string
}

// lookupKeys maps CloudTrail's attribute keys to the store's.
var lookupKeys = map[string]string{
	"EventId":      "EventId",
	"EventName":    "EventName",
	"EventSource":  "EventSource",
	"Username":     "Username",
	"AccessKeyId":  "AccessKeyId",
	"ReadOnly":     "ReadOnly",
	"ResourceName": "ResourceName",
}

// Retention is how far back LookupEvents looks by default.
const Retention = 90 * 24 * time.Hour

// Lookup returns a page of the account's events.
func Lookup(ctx context.Context, s store.Store, now time.Time, in LookupInput) (LookupOutput, error) {
	q, err := lookupQuery(now, in)
	if err != nil {
		return LookupOutput{}, err
	}
	events, err := s.LookupEvents(ctx, q)
	if err != nil {
		return LookupOutput{}, err
	}
	out := LookupOutput{Events: events}
	if len(events) > q.Limit-1 {
		out.Events = events[:q.Limit-1]
		out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(out.Events[len(out.Events)-1].Cursor()))
	}
	return out, nil
}

// lookupQuery validates in and builds the store query; its Limit is one
// more than the page size, to learn whether another page follows.
func lookupQuery(now time.Time, in LookupInput) (store.EventQuery, error) {
	q := store.EventQuery{Account: in.Account, Start: in.Start, End: in.End, Limit: 51}
	if len(in.Attributes) > 1 {
		return q, awserr.ErrInvalidLookupAttributesException.New("You can specify only one lookup attribute.")
	}
	for _, a := range in.Attributes {
		key, ok := lookupKeys[a.Key]
		if !ok {
			return q, awserr.ErrInvalidLookupAttributesException.Newf("The lookup attribute key %q is not valid.", a.Key)
		}
		if key == "ReadOnly" && a.Value != "true" && a.Value != "false" {
			return q, awserr.ErrInvalidLookupAttributesException.New("The value of the ReadOnly lookup attribute must be true or false.")
		}
		q.Attribute, q.Value = key, a.Value
	}
	if q.End.IsZero() {
		q.End = now
	}
	if q.Start.IsZero() {
		q.Start = q.End.Add(-Retention)
	}
	if q.Start.After(q.End) {
		return q, awserr.ErrInvalidTimeRangeException.New("Start time must be before end time.")
	}
	switch {
	case in.MaxResults < 0 || in.MaxResults > 50:
		return q, awserr.ErrInvalidMaxResultsException.New("MaxResults must be between 1 and 50.")
	case in.MaxResults > 0:
		q.Limit = in.MaxResults + 1
	}
	if in.NextToken != "" {
		cursor, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil {
			return q, awserr.ErrInvalidNextTokenException.New("The NextToken is not valid.")
		}
		if _, _, err := store.ParseCursor(string(cursor)); err != nil {
			return q, awserr.ErrInvalidNextTokenException.New("The NextToken is not valid.")
		}
		q.Before = string(cursor)
	}
	return q, nil
}
