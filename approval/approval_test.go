package approval

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
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
