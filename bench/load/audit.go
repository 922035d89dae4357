package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

const cloudTrailTarget = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"

type lookupPage struct {
	Events []struct {
		EventId, EventName, EventSource, ReadOnly, AccessKeyId, Username, CloudTrailEvent string
	}
	NextToken string
}

// checkAudit proves the "audited" part: it pages through Gatehouse's
// CloudTrail LookupEvents for the EventName of the benchmarked operation
// (the data directory is new, so every such event is the benchmark's)
// and checks that there are as many as the successful calls (up to
// failed more: a failed call may or may not have reached the server, and
// a call the server refused is audited too), that each was made with the
// key the measured requests are signed with and is a read of the
// operation's service, and that no event id repeats. Reads are written
// in batches, so it counts again until the count is reached or timeout
// passes.
func checkAudit(ctx context.Context, gh *target, want, failed int, timeout time.Duration) error {
	op := gh.op
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	for attempt := 1; ; attempt++ {
		n, pages, err := countEvents(ctx, gh)
		if err != nil {
			return err
		}
		if n >= want && n <= want+failed {
			fmt.Printf("audit: LookupEvents EventName=%s found %d events in %d pages (%s, attempt %d) for %d successful and %d failed calls; all by the benchmark's key %s, read-only, %s, no id twice\n",
				op.event, n, pages, time.Since(start).Round(time.Millisecond), attempt, want, failed, gh.opCreds.AccessKeyID, op.source)
			return nil
		}
		if n > want+failed {
			return fmt.Errorf("LookupEvents found %d %s events, more than the %d calls", n, op.event, want+failed)
		}
		fmt.Printf("audit: %d of %d events so far (%d pages); counting again\n", n, want, pages)
		select {
		case <-ctx.Done():
			return fmt.Errorf("LookupEvents found %d %s events, want %d, within %s", n, op.event, want, timeout)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// countEvents pages through the events of the benchmarked operation,
// with the target's own key, and checks each one.
func countEvents(ctx context.Context, gh *target) (n, pages int, err error) {
	op, key := gh.op, gh.opCreds.AccessKeyID
	seen := make(map[string]bool)
	token := ""
	for {
		in := map[string]any{
			"LookupAttributes": []map[string]string{{"AttributeKey": "EventName", "AttributeValue": op.event}},
			"MaxResults":       50,
		}
		if token != "" {
			in["NextToken"] = token
		}
		body, _ := json.Marshal(in)
		code, b, err := gh.send(ctx, "cloudtrail", cloudTrailTarget, body)
		if err != nil {
			return n, pages, fmt.Errorf("LookupEvents: %w", err)
		}
		if code != http.StatusOK {
			return n, pages, fmt.Errorf("LookupEvents: HTTP %d: %.300s", code, b)
		}
		var page lookupPage
		if err := json.Unmarshal(b, &page); err != nil {
			return n, pages, fmt.Errorf("LookupEvents: %w", err)
		}
		pages++
		for _, e := range page.Events {
			switch {
			case e.EventName != op.event || e.EventSource != op.source || e.ReadOnly != "true":
				return n, pages, fmt.Errorf("unexpected event %s: %s %s read-only %s", e.EventId, e.EventSource, e.EventName, e.ReadOnly)
			case e.AccessKeyId != key:
				return n, pages, fmt.Errorf("event %s was made with key %q, not the benchmark's %s", e.EventId, e.AccessKeyId, key)
			case seen[e.EventId]:
				return n, pages, fmt.Errorf("event id %s listed twice", e.EventId)
			case !strings.Contains(e.CloudTrailEvent, `"eventName":"`+op.event+`"`) || !strings.Contains(e.CloudTrailEvent, `"accessKeyId":"`+key+`"`):
				// The CloudTrail record itself names the call and the key.
				return n, pages, fmt.Errorf("event %s: record does not name the call and the key: %.300s", e.EventId, e.CloudTrailEvent)
			}
			seen[e.EventId] = true
			n++
		}
		if page.NextToken == "" {
			return n, pages, nil
		}
		token = page.NextToken
	}
}
