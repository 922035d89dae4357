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
// CloudTrail LookupEvents for EventName DescribeOrganization (the data
// directory is new, so every such event is the benchmark's) and checks
// that there are as many as the successful calls (up to failed more:
// a failed call may or may not have reached the server, and a call
// the server refused is audited too), that each was made
// with the benchmark's key and is a read of organizations.amazonaws.com,
// and that no event id repeats. Reads are written in batches, so it
// counts again until the count is reached or timeout passes.
func checkAudit(ctx context.Context, gh *target, want, failed int, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	for attempt := 1; ; attempt++ {
		n, pages, err := countEvents(ctx, gh)
		if err != nil {
			return err
		}
		if n >= want && n <= want+failed {
			fmt.Printf("audit: LookupEvents EventName=DescribeOrganization found %d events in %d pages (%s, attempt %d) for %d successful and %d failed calls; all by the benchmark's key, read-only, organizations.amazonaws.com, no id twice\n",
				n, pages, time.Since(start).Round(time.Millisecond), attempt, want, failed)
			return nil
		}
		if n > want+failed {
			return fmt.Errorf("LookupEvents found %d DescribeOrganization events, more than the %d calls", n, want+failed)
		}
		fmt.Printf("audit: %d of %d events so far (%d pages); counting again\n", n, want, pages)
		select {
		case <-ctx.Done():
			return fmt.Errorf("LookupEvents found %d DescribeOrganization events, want %d, within %s", n, want, timeout)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// countEvents pages through the DescribeOrganization events and checks
// each one.
func countEvents(ctx context.Context, gh *target) (n, pages int, err error) {
	seen := make(map[string]bool)
	token := ""
	for {
		in := map[string]any{
			"LookupAttributes": []map[string]string{{"AttributeKey": "EventName", "AttributeValue": "DescribeOrganization"}},
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
			case e.EventName != "DescribeOrganization" || e.EventSource != "organizations.amazonaws.com" || e.ReadOnly != "true":
				return n, pages, fmt.Errorf("unexpected event %s: %s %s read-only %s", e.EventId, e.EventSource, e.EventName, e.ReadOnly)
			case e.AccessKeyId != gh.creds.AccessKeyID:
				return n, pages, fmt.Errorf("event %s was made with key %q, not the benchmark's", e.EventId, e.AccessKeyId)
			case seen[e.EventId]:
				return n, pages, fmt.Errorf("event id %s listed twice", e.EventId)
			case !strings.Contains(e.CloudTrailEvent, `"eventName":"DescribeOrganization"`) || !strings.Contains(e.CloudTrailEvent, `"accessKeyId":"`+gh.creds.AccessKeyID+`"`):
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
