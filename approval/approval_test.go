package approval

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/agreement"
	"gatehouse/catalog"
	"gatehouse/credentials"
	"gatehouse/principal"
	"gatehouse/store"
	"gatehouse/store/sqlite"
	"gatehouse/webhook"
)

const (
	mgmt   = "111122223333"
	member = "444455556666"
)

// oneOrg is an organization of the management and member accounts.
type oneOrg struct{}

func (oneOrg) AccountContext(_ context.Context, _ store.Tx, account string) (string, []string, string, error) {
	return "o-aaaaaaaaaa", nil, mgmt, nil
}

// governedBy says every account is governed by one enabled experience.
type governedBy string

func (g governedBy) GoverningExperience(context.Context, store.Tx, string) (catalog.Governance, bool, error) {
	return catalog.Governance{ExperienceId: string(g), Enabled: true}, true, nil
}

func newService(t *testing.T) *Service {
	t.Helper()
	st, err := sqlite.Open(t.TempDir() + "/gatehouse.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cipher, err := credentials.NewCipher(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	return &Service{Store: st, Orgs: oneOrg{}, Governance: governedBy("exp-governing"), Cipher: cipher}
}

func caller(account, role string) *principal.Caller {
	return &principal.Caller{Account: account, ARN: "arn:aws:sts::" + account + ":assumed-role/" + role + "/s",
		PrincipalARN: "arn:aws:iam::" + account + ":role/" + role}
}

// TestHoldFollowsTheSettings checks when a purchase is held: free and
// BYOL purchases skip approval when configured ("Free and BYOL products
// can be set to skip approval"), and Experiences holds only purchases of
// accounts its experiences govern.
func TestHoldFollowsTheSettings(t *testing.T) {
	paid := []string{catalog.TermFixedUpfront, catalog.TermLegal}
	byol := []string{catalog.TermByol, catalog.TermLegal}
	free := []string{catalog.TermFreeTrial, catalog.TermLegal}
	tests := []struct {
		name     string
		settings Settings
		terms    []string
		want     bool
	}{
		{name: "no settings", terms: paid, want: false},
		{name: "required", settings: Settings{RequireApproval: true}, terms: paid, want: true},
		{name: "required byol", settings: Settings{RequireApproval: true}, terms: byol, want: true},
		{name: "byol skips", settings: Settings{RequireApproval: true, SkipByol: true}, terms: byol, want: false},
		{name: "byol skip leaves paid", settings: Settings{RequireApproval: true, SkipByol: true}, terms: paid, want: true},
		{name: "free skips", settings: Settings{RequireApproval: true, SkipFree: true}, terms: free, want: false},
		{name: "usage is not free", settings: Settings{RequireApproval: true, SkipFree: true}, terms: []string{catalog.TermFreeTrial, catalog.TermUsageBased}, want: true},
		{name: "governing experience", settings: Settings{Experiences: []string{"exp-governing"}}, terms: paid, want: true},
		{name: "other experience", settings: Settings{Experiences: []string{"exp-other"}}, terms: paid, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newService(t)
			ctx := context.Background()
			if _, err := s.PutApprovalSettings(ctx, caller(mgmt, "admin"), PutApprovalSettingsInput{Settings: tt.settings}); err != nil {
				t.Fatal(err)
			}
			var held bool
			err := s.Store.Update(ctx, func(tx store.Tx) error {
				var err error
				_, held, err = s.Hold(ctx, tx, caller(member, "developer"), agreement.Purchase{Account: member, TermTypes: tt.terms, AgreementRequestId: "ar-1"})
				return err
			})
			if err != nil || held != tt.want {
				t.Errorf("Hold = %v, %v; want %v", held, err, tt.want)
			}
		})
	}
}

// TestSettingsRules: only the management account writes the settings; a
// webhook needs a secret and an https URL; the secret is never returned.
func TestSettingsRules(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	tests := []struct {
		name   string
		caller *principal.Caller
		in     PutApprovalSettingsInput
		code   string
	}{
		{name: "member", caller: caller(member, "admin"), in: PutApprovalSettingsInput{Settings: Settings{RequireApproval: true}}, code: "AccessDeniedException"},
		{name: "webhook without secret", caller: caller(mgmt, "admin"), in: PutApprovalSettingsInput{Settings: Settings{WebhookUrl: "https://hooks.example.com/x"}}, code: "ValidationException"},
		{name: "plain http", caller: caller(mgmt, "admin"), in: PutApprovalSettingsInput{Settings: Settings{WebhookUrl: "http://hooks.example.com/x"}, WebhookSecret: "0123456789abcdef"}, code: "ValidationException"},
		{name: "short secret", caller: caller(mgmt, "admin"), in: PutApprovalSettingsInput{Settings: Settings{WebhookUrl: "https://hooks.example.com/x"}, WebhookSecret: "short"}, code: "ValidationException"},
		{name: "bad experience", caller: caller(mgmt, "admin"), in: PutApprovalSettingsInput{Settings: Settings{Experiences: []string{"nope"}}}, code: "ValidationException"},
		{name: "ok", caller: caller(mgmt, "admin"), in: PutApprovalSettingsInput{Settings: Settings{WebhookUrl: "https://hooks.example.com/x"}, WebhookSecret: "0123456789abcdef"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := s.PutApprovalSettings(ctx, tt.caller, tt.in)
			if tt.code != "" {
				if ae, ok := err.(interface{ ErrorCode() string }); !ok || ae.ErrorCode() != tt.code {
					t.Fatalf("err = %v, want %s", err, tt.code)
				}
				return
			}
			if err != nil || !out.Settings.HasWebhookSecret {
				t.Fatalf("PutApprovalSettings = %+v, %v", out, err)
			}
			b, _ := json.Marshal(out)
			if strings.Contains(string(b), "0123456789abcdef") {
				t.Errorf("the secret is returned: %s", b)
			}
		})
	}
}

// TestNotifierRetriesWithBackOff: a transition's notification is posted
// signed (the receiver verifies it with webhook.Verify), retried after
// 500s once its back-off has passed, and leaves the outbox once
// delivered.
func TestNotifierRetriesWithBackOff(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	secret := "0123456789abcdef-webhook"
	var mu sync.Mutex
	var statuses []int
	var got Notification
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if !webhook.Verify([]byte(secret), r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), body, time.Now(), time.Minute) {
			t.Errorf("signature does not verify")
		}
		status := http.StatusOK
		if len(statuses) < 2 {
			status = http.StatusInternalServerError
		}
		statuses = append(statuses, status)
		json.Unmarshal(body, &got)
		w.WriteHeader(status)
	}))
	defer hs.Close()
	if _, err := s.PutApprovalSettings(ctx, caller(mgmt, "admin"), PutApprovalSettingsInput{Settings: Settings{RequireApproval: true, WebhookUrl: hs.URL}, WebhookSecret: secret}); err != nil {
		t.Fatal(err)
	}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		_, held, err := s.Hold(ctx, tx, caller(member, "developer"), agreement.Purchase{Account: member, AgreementRequestId: "ar-1", ProductId: "prod-a"})
		if !held && err == nil {
			t.Fatal("not held")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	n := &Notifier{Store: s.Store, Cipher: s.Cipher, Poster: &webhook.Client{}, Backoff: time.Minute, Now: func() time.Time { return now }}
	steps := []struct {
		advance time.Duration
		calls   int
	}{
		{advance: 0, calls: 1},                // first attempt: 500
		{advance: 30 * time.Second, calls: 1}, // before the 1-minute back-off: no attempt
		{advance: 31 * time.Second, calls: 2}, // retried: 500, back-off doubles to 2 minutes
		{advance: time.Minute, calls: 2},
		{advance: 61 * time.Second, calls: 3}, // delivered
		{advance: time.Hour, calls: 3},        // gone from the outbox
	}
	for i, step := range steps {
		now = now.Add(step.advance)
		if err := n.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		calls := len(statuses)
		mu.Unlock()
		if calls != step.calls {
			t.Fatalf("step %d: %d deliveries, want %d", i, calls, step.calls)
		}
	}
	if got.Event != "PurchaseRequestCreated" || got.PurchaseRequest.Status != StatusPending || got.PurchaseRequest.ProductId != "prod-a" {
		t.Errorf("notification = %+v", got)
	}
}

// TestJustification: only the requester, in any session, justifies a
// pending request; the text is stored trimmed, notified as
// PurchaseRequestJustified and listed to the approvers; a decided request
// or an empty, too long or control-laden text is refused and changes
// nothing.
func TestJustification(t *testing.T) {
	otherSession := caller(member, "developer")
	otherSession.ARN = "arn:aws:sts::" + member + ":assumed-role/developer/other"
	tests := []struct {
		name          string
		caller        *principal.Caller
		justification string
		cancelled     bool
		code          string
		want          string
	}{
		{name: "requester", caller: caller(member, "developer"), justification: "  Needed for the audit.\n\tBudget line 42.\n ", want: "Needed for the audit.\n\tBudget line 42."},
		{name: "requester in another session", caller: otherSession, justification: "renewal", want: "renewal"},
		{name: "1000 characters", caller: caller(member, "developer"), justification: strings.Repeat("é", 1000), want: strings.Repeat("é", 1000)},
		{name: "other principal of the account", caller: caller(member, "procurement-manager"), justification: "mine", code: "AccessDeniedException"},
		{name: "management account", caller: caller(mgmt, "admin"), justification: "mine", code: "AccessDeniedException"},
		{name: "not pending", caller: caller(member, "developer"), justification: "too late", cancelled: true, code: "ConflictException"},
		{name: "empty", caller: caller(member, "developer"), justification: " \n\t ", code: "ValidationException"},
		{name: "too long", caller: caller(member, "developer"), justification: strings.Repeat("a", 1001), code: "ValidationException"},
		{name: "NUL", caller: caller(member, "developer"), justification: "ok\x00", code: "ValidationException"},
		{name: "CRLF line end made LF", caller: caller(member, "developer"), justification: "line\r\nline", want: "line\nline"},
		{name: "lone carriage return", caller: caller(member, "developer"), justification: "line\rline", code: "ValidationException"},
		{name: "C1 control", caller: caller(member, "developer"), justification: "a\u009bb", code: "ValidationException"},
		{name: "invalid UTF-8", caller: caller(member, "developer"), justification: "a\xffb", code: "ValidationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newService(t)
			// Every transition happens in the same millisecond.
			frozen := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
			s.Now = func() time.Time { return frozen }
			ctx := context.Background()
			if _, err := s.PutApprovalSettings(ctx, caller(mgmt, "admin"), PutApprovalSettingsInput{
				Settings: Settings{RequireApproval: true, WebhookUrl: "https://hooks.example.com/x"}, WebhookSecret: "0123456789abcdef"}); err != nil {
				t.Fatal(err)
			}
			id := holdPurchase(t, s, caller(member, "developer"))
			wantEvents := []string{"PurchaseRequestCreated"}
			if tt.cancelled {
				if _, err := s.CancelPurchaseRequest(ctx, caller(member, "developer"), CancelPurchaseRequestInput{PurchaseRequestId: id}); err != nil {
					t.Fatal(err)
				}
				wantEvents = append(wantEvents, "PurchaseRequestCancelled")
			}
			out, err := s.UpdatePurchaseRequestJustification(ctx, tt.caller, UpdatePurchaseRequestJustificationInput{PurchaseRequestId: id, Justification: tt.justification})
			if tt.code != "" {
				if ae, ok := err.(interface{ ErrorCode() string }); !ok || ae.ErrorCode() != tt.code {
					t.Fatalf("err = %v, want %s", err, tt.code)
				}
			} else {
				if err != nil || out.PurchaseRequest.Justification != tt.want || out.PurchaseRequest.Status != StatusPending {
					t.Fatalf("UpdatePurchaseRequestJustification = %+v, %v", out, err)
				}
				wantEvents = append(wantEvents, "PurchaseRequestJustified")
			}
			for _, approver := range []*principal.Caller{caller(member, "procurement-manager"), caller(mgmt, "admin")} {
				list, err := s.ListPurchaseRequests(ctx, approver, ListPurchaseRequestsInput{})
				if err != nil || len(list.PurchaseRequests) != 1 || list.PurchaseRequests[0].Justification != tt.want {
					t.Errorf("%s lists %+v, %v; want the justification %q", approver.ARN, list.PurchaseRequests, err, tt.want)
				}
			}
			// The outbox keeps the transitions' order, even within one
			// millisecond.
			got := outboxEvents(t, s, tt.want)
			if !slices.Equal(got, wantEvents) {
				t.Errorf("notifications = %q, want %q", got, wantEvents)
			}
		})
	}
}

// holdPurchase holds a purchase of the member account by the requester
// and returns its purchase request's id.
func holdPurchase(t *testing.T, s *Service, requester *principal.Caller) string {
	t.Helper()
	ctx := context.Background()
	var id string
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		var held bool
		var err error
		id, held, err = s.Hold(ctx, tx, requester, agreement.Purchase{Account: member, AgreementRequestId: "ar-1", ProductId: "prod-a", RequestedBy: requester.ARN})
		if err == nil && !held {
			t.Fatal("not held")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// outboxEvents returns the events of the notifications waiting in the
// outbox and checks that a PurchaseRequestJustified one
// carries the justification.
func outboxEvents(t *testing.T, s *Service, justification string) []string {
	t.Helper()
	var recs []store.Record
	err := s.Store.View(context.Background(), func(tx store.Tx) error {
		var err error
		recs, err = tx.List(context.Background(), store.Query{Kind: kindNotification})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	for _, rec := range recs {
		var e outboxEntry
		var n Notification
		if err := json.Unmarshal(rec.Body, &e); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(e.Body, &n); err != nil {
			t.Fatal(err)
		}
		if n.Event == "PurchaseRequestJustified" && n.PurchaseRequest.Justification != justification {
			t.Errorf("PurchaseRequestJustified carries %q, want %q", n.PurchaseRequest.Justification, justification)
		}
		events = append(events, n.Event)
	}
	return events
}
