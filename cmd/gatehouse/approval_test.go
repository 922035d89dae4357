package main

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

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/marketplaceagreement"
	matypes "github.com/aws/aws-sdk-go-v2/service/marketplaceagreement/types"
	"github.com/aws/aws-sdk-go-v2/service/marketplacecatalog"
	mctypes "github.com/aws/aws-sdk-go-v2/service/marketplacecatalog/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"gatehouse/agreement"
	"gatehouse/approval"
	"gatehouse/catalog"
	"gatehouse/store"
	"gatehouse/webhook"
)

// approverSCP replaces the seed's purchase SCP in the approval tests:
// everyone may buy, and only the procurement-manager role may approve.
const approverSCP = `{"Version":"2012-10-17","Statement":[{"Sid":"OnlyProcurementApproves","Effect":"Deny","Action":"gatehouse:ApprovePurchaseRequest","Resource":"*",
 "Condition":{"StringNotLike":{"aws:PrincipalARN":"arn:aws:iam::*:role/procurement-manager"}}}]}`

// hooks is a webhook receiver that answers 500 to its first delivery and
// keeps the events whose signature verifies.
type hooks struct {
	mu       sync.Mutex
	secret   []byte
	calls    int
	bad      int
	received []approval.Notification
}

func (h *hooks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.calls++
	if !webhook.Verify(h.secret, r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), body, time.Now(), 5*time.Minute) {
		h.bad++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if h.calls == 1 {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	var n approval.Notification
	json.Unmarshal(body, &n)
	h.received = append(h.received, n)
}

// events returns the events received, waiting until want arrived or 15 s
// passed.
func (h *hooks) events(want int) []string {
	deadline := time.Now().Add(15 * time.Second)
	for {
		h.mu.Lock()
		var names []string
		for _, n := range h.received {
			names = append(names, n.Event+" "+n.PurchaseRequest.Status)
		}
		h.mu.Unlock()
		if len(names) >= want || time.Now().After(deadline) {
			return names
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// approvalMarket is the buying market with the purchase SCP swapped for
// approverSCP and a second approved product.
func approvalMarket(t *testing.T) (m *market, secondOffer string) {
	m = newMarket(t)
	ctx := context.Background()
	root := aws.Credentials{AccessKeyID: buyRootKey, SecretAccessKey: buyRootSecret}
	orgs := organizations.NewFromConfig(m.cfg(root))
	roots, err := orgs.ListRoots(ctx, &organizations.ListRootsInput{})
	if err != nil {
		t.Fatal(err)
	}
	rootID := roots.Roots[0].Id
	pols, err := orgs.ListPolicies(ctx, &organizations.ListPoliciesInput{Filter: orgtypes.PolicyTypeServiceControlPolicy})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pols.Policies {
		if aws.ToString(p.Name) == "procurement-only" {
			if _, err := orgs.DetachPolicy(ctx, &organizations.DetachPolicyInput{PolicyId: p.Id, TargetId: rootID}); err != nil {
				t.Fatal(err)
			}
		}
	}
	p, err := orgs.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String("procurement-approves"), Description: aws.String("only procurement approves"),
		Type: orgtypes.PolicyTypeServiceControlPolicy, Content: aws.String(approverSCP)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := orgs.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: p.Policy.PolicySummary.Id, TargetId: rootID}); err != nil {
		t.Fatal(err)
	}
	cat := marketplacecatalog.NewFromConfig(m.cfg(root))
	second, secondOffer := m.sell(t, cat, "Second Tool", `{"PricingModel":"Contract","Terms":[{"Type":"FixedUpfrontPricingTerm","CurrencyCode":"USD","Price":"500","Duration":"P12M","Grants":[{"DimensionKey":"seats","MaxQuantity":10}]}]}`)
	m.change(t, cat, mctypes.Change{ChangeType: aws.String("AllowProductProcurement"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0"), Identifier: aws.String(m.exp)},
		Details: aws.String(`{"Products":[{"Ids":["` + second + `"]}]}`)})
	return m, secondOffer
}

// held buys an offer as the developer and requires the answer that the
// purchase awaits approval and can be justified; it returns the purchase
// request's id.
func held(t *testing.T, client *marketplaceagreement.Client, create *marketplaceagreement.CreateAgreementRequestInput) string {
	t.Helper()
	ctx := context.Background()
	q, err := client.CreateAgreementRequest(ctx, create)
	if err != nil {
		t.Fatalf("CreateAgreementRequest: %v", err)
	}
	_, err = client.AcceptAgreementRequest(ctx, &marketplaceagreement.AcceptAgreementRequestInput{AgreementRequestId: q.AgreementRequestId})
	ce := wantError[*matypes.ConflictException](t, err)
	id := aws.ToString(ce.ResourceId)
	if string(ce.ResourceType) != "PurchaseRequest" || len(id) != 27 ||
		!strings.Contains(ce.ErrorMessage(), "The purchase awaits approval: purchase request "+id) ||
		!strings.Contains(ce.ErrorMessage(), "POST /purchase-requests/"+id+"/justify") {
		t.Fatalf("held purchase: %v", ce)
	}
	return id
}

// TestPurchaseApprovalWorkflow: under RequireApproval a developer's
// purchase becomes a pending purchase request; the developer justifies it
// (nobody else may), the approvers list it with its justification, the
// procurement manager approves it and the agreement exists with the purchase-order number;
// another is declined with a reason, another cancelled by its requester;
// the developer cannot approve; a BYOL purchase skips approval; the
// webhook receives signed transitions and is retried after a 500.
func TestPurchaseApprovalWorkflow(t *testing.T) {
	m, secondOffer := approvalMarket(t)
	ctx := context.Background()
	root := aws.Credentials{AccessKeyID: buyRootKey, SecretAccessKey: buyRootSecret}
	hook := &hooks{secret: []byte("0123456789abcdef-secret")}
	hs := httptest.NewServer(hook)
	t.Cleanup(hs.Close)

	settings := `{"Settings":{"RequireApproval":true,"SkipByol":true,"WebhookUrl":"` + hs.URL + `/hook"},"WebhookSecret":"` + string(hook.secret) + `"}`
	if code, body := m.deploy(t, m.dev, "PUT", "/purchase-approvals/settings", settings); code != 403 {
		t.Fatalf("member account PutApprovalSettings: %d %v, want 403", code, body)
	}
	code, body := m.deploy(t, root, "PUT", "/purchase-approvals/settings", settings)
	if s, _ := body["Settings"].(map[string]any); code != 200 || s["RequireApproval"] != true || s["HasWebhookSecret"] != true || body["WebhookSecret"] != nil {
		t.Fatalf("PutApprovalSettings: %d %v", code, body)
	}
	if code, body := m.deploy(t, m.dev, "GET", "/purchase-approvals/settings", ""); code != 200 || body["Settings"].(map[string]any)["SkipByol"] != true {
		t.Fatalf("GetApprovalSettings: %d %v", code, body)
	}

	dev := m.agreements(m.dev)
	upfront := termIDs(m.offer, catalog.TermConfigurableUpfront, catalog.TermLegal)
	upfront[0].Configuration = &matypes.RequestedTermConfigurationMemberConfigurableUpfrontPricingTermConfiguration{
		Value: matypes.ConfigurableUpfrontPricingTermConfiguration{SelectorValue: aws.String("P12M"),
			Dimensions: []matypes.Dimension{{DimensionKey: aws.String("users"), DimensionValue: 4}}}}
	pr := held(t, dev, &marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew,
		AgreementProposalIdentifier: aws.String(catalog.AgreementProposalID(m.offer)), RequestedTerms: upfront})

	code, body = m.deploy(t, m.dev, "GET", "/purchase-requests?status=PENDING", "")
	list, _ := body["PurchaseRequests"].([]any)
	if code != 200 || len(list) != 1 {
		t.Fatalf("ListPurchaseRequests: %d %v", code, body)
	}
	if r := list[0].(map[string]any); r["PurchaseRequestId"] != pr || r["AccountId"] != m.developer || r["ProductId"] != m.approved ||
		r["OfferId"] != m.offer || r["EstimatedCost"] != "50" || r["RequestedBy"] != "arn:aws:sts::"+m.developer+":assumed-role/developer/session" {
		t.Errorf("pending request = %v", r)
	}

	justifyPurchase(t, m, pr)

	// The developer holds gatehouse:* but the SCP denies approving.
	if code, body := m.deploy(t, m.dev, "POST", "/purchase-requests/"+pr+"/approve", `{"PurchaseOrderNumber":"PO-1"}`); code != 403 {
		t.Fatalf("developer approves: %d %v, want 403", code, body)
	}
	code, body = m.deploy(t, m.pm, "POST", "/purchase-requests/"+pr+"/approve", `{"PurchaseOrderNumber":"PO-2026-0077","Reason":"budgeted"}`)
	approved, _ := body["PurchaseRequest"].(map[string]any)
	if code != 200 || approved["Status"] != "APPROVED" || approved["AgreementId"] == "" ||
		approved["DecidedBy"] != "arn:aws:sts::"+m.developer+":assumed-role/procurement-manager/session" {
		t.Fatalf("ApprovePurchaseRequest: %d %v", code, body)
	}
	var agmt agreement.Agreement
	err := m.app.store.View(ctx, func(tx store.Tx) error {
		a, ok, err := agreement.New(m.app.store, m.app.catalog).ActiveAgreement(ctx, tx, m.developer, m.approved)
		if !ok && err == nil {
			t.Fatal("no active agreement after approval")
		}
		agmt = a
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if agmt.AgreementId != approved["AgreementId"] || len(agmt.PurchaseOrders) != 1 || agmt.PurchaseOrders[0].PurchaseOrderReference != "PO-2026-0077" ||
		agmt.RequestedBy != "arn:aws:sts::"+m.developer+":assumed-role/developer/session" {
		t.Errorf("agreement = %+v", agmt)
	}
	if code, _ := m.deploy(t, m.pm, "POST", "/purchase-requests/"+pr+"/approve", `{}`); code != 409 {
		t.Errorf("approve twice: %d, want 409", code)
	}
	if code, _ := m.deploy(t, m.dev, "POST", "/purchase-requests/"+pr+"/justify", `{"Justification":"too late"}`); code != 409 {
		t.Errorf("justify an approved request: %d, want 409", code)
	}
	if code, _ := m.deploy(t, m.dev, "POST", "/deployments", `{"ProductId":"`+m.approved+`"}`); code != 200 {
		t.Errorf("deploy the approved purchase: %d", code)
	}

	// Decline with a reason; a reason is required.
	fixed := &marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew,
		AgreementProposalIdentifier: aws.String(catalog.AgreementProposalID(secondOffer)), RequestedTerms: termIDs(secondOffer, catalog.TermFixedUpfront, catalog.TermLegal)}
	declined := held(t, dev, fixed)
	if code, _ := m.deploy(t, m.pm, "POST", "/purchase-requests/"+declined+"/decline", `{}`); code != 400 {
		t.Errorf("decline without reason: %d, want 400", code)
	}
	code, body = m.deploy(t, m.pm, "POST", "/purchase-requests/"+declined+"/decline", `{"Reason":"use the approved scanner"}`)
	if r, _ := body["PurchaseRequest"].(map[string]any); code != 200 || r["Status"] != "DECLINED" || r["Reason"] != "use the approved scanner" {
		t.Fatalf("DeclinePurchaseRequest: %d %v", code, body)
	}

	// Only the requester cancels.
	cancelled := held(t, dev, fixed)
	if code, _ := m.deploy(t, m.pm, "POST", "/purchase-requests/"+cancelled+"/cancel", `{}`); code != 403 {
		t.Errorf("procurement manager cancels the developer's request: %d, want 403", code)
	}
	if code, body := m.deploy(t, m.dev, "POST", "/purchase-requests/"+cancelled+"/cancel", `{"Reason":"not needed"}`); code != 200 || body["PurchaseRequest"].(map[string]any)["Status"] != "CANCELLED" {
		t.Fatalf("CancelPurchaseRequest: %d %v", code, body)
	}
	if code, _ := m.deploy(t, m.pm, "POST", "/purchase-requests/"+cancelled+"/approve", `{}`); code != 409 {
		t.Errorf("approve a cancelled request: %d, want 409", code)
	}
	code, body = m.deploy(t, root, "GET", "/purchase-requests?accountId="+m.developer, "")
	if list, _ := body["PurchaseRequests"].([]any); code != 200 || len(list) != 3 {
		t.Errorf("management lists the developer's requests: %d %v", code, body)
	}
	code, body = m.deploy(t, m.dev, "GET", "/purchase-requests?status=DECLINED", "")
	if list, _ := body["PurchaseRequests"].([]any); code != 200 || len(list) != 1 {
		t.Errorf("ListPurchaseRequests DECLINED: %d %v", code, body)
	}

	// BYOL skips approval (SkipByol).
	cat := marketplacecatalog.NewFromConfig(m.cfg(root))
	byol, byolOffer := m.sell(t, cat, "Own License", `{"PricingModel":"Byol","Terms":[{"Type":"ByolPricingTerm"}]}`)
	m.change(t, cat, mctypes.Change{ChangeType: aws.String("AllowProductProcurement"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0"), Identifier: aws.String(m.exp)},
		Details: aws.String(`{"Products":[{"Ids":["` + byol + `"]}]}`)})
	q, err := dev.CreateAgreementRequest(ctx, &marketplaceagreement.CreateAgreementRequestInput{Intent: matypes.IntentNew,
		AgreementProposalIdentifier: aws.String(catalog.AgreementProposalID(byolOffer)), RequestedTerms: termIDs(byolOffer, catalog.TermByol, catalog.TermLegal)})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := dev.AcceptAgreementRequest(ctx, &marketplaceagreement.AcceptAgreementRequestInput{AgreementRequestId: q.AgreementRequestId})
	if err != nil || aws.ToString(acc.AgreementId) == "" {
		t.Fatalf("BYOL purchase: %v", err)
	}

	want := []string{"PurchaseRequestCreated PENDING", "PurchaseRequestJustified PENDING", "PurchaseRequestApproved APPROVED", "PurchaseRequestCreated PENDING",
		"PurchaseRequestDeclined DECLINED", "PurchaseRequestCreated PENDING", "PurchaseRequestCancelled CANCELLED"}
	got := hook.events(len(want))
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("webhook events = %q, want %q", got, want)
	}
	hook.mu.Lock()
	defer hook.mu.Unlock()
	if hook.bad != 0 || hook.calls < len(want)+1 {
		t.Errorf("webhook: %d calls, %d with a bad signature; want a retry after the first 500 and none bad", hook.calls, hook.bad)
	}
}

// justifyPurchase has the developer justify the pending purchase request
// pr over SigV4 and checks the rules the API keeps: only the requester
// justifies, with a valid text; the approvers (the procurement manager in
// the account, the management account's root) list the request with the
// justification; the justification is audited.
func justifyPurchase(t *testing.T, m *market, pr string) {
	t.Helper()
	const why = "Needed for the Q3 security review.\nBudget line 42."
	root := aws.Credentials{AccessKeyID: buyRootKey, SecretAccessKey: buyRootSecret}
	path := "/purchase-requests/" + pr + "/justify"
	refusals := []struct {
		name   string
		caller aws.Credentials
		body   string
		code   int
	}{
		{name: "procurement manager", caller: m.pm, body: `{"Justification":"mine"}`, code: 403},
		{name: "management account", caller: root, body: `{"Justification":"mine"}`, code: 403},
		{name: "empty", caller: m.dev, body: `{"Justification":"   "}`, code: 400},
		{name: "control character", caller: m.dev, body: `{"Justification":"bell\u0007"}`, code: 400},
		{name: "too long", caller: m.dev, body: `{"Justification":"` + strings.Repeat("x", 1001) + `"}`, code: 400},
	}
	for _, r := range refusals {
		if code, body := m.deploy(t, r.caller, "POST", path, r.body); code != r.code {
			t.Errorf("%s justifies: %d %v, want %d", r.name, code, body, r.code)
		}
	}
	code, body := m.deploy(t, m.dev, "POST", path, `{"Justification":"  Needed for the Q3 security review.\nBudget line 42.\n"}`)
	if r, _ := body["PurchaseRequest"].(map[string]any); code != 200 || r["Justification"] != why || r["Status"] != "PENDING" {
		t.Fatalf("UpdatePurchaseRequestJustification: %d %v", code, body)
	}
	for _, approver := range []struct {
		name   string
		caller aws.Credentials
	}{{name: "procurement manager", caller: m.pm}, {name: "management account", caller: root}} {
		code, body := m.deploy(t, approver.caller, "GET", "/purchase-requests?status=PENDING&accountId="+m.developer, "")
		list, _ := body["PurchaseRequests"].([]any)
		if code != 200 || len(list) != 1 || list[0].(map[string]any)["Justification"] != why {
			t.Errorf("%s lists: %d %v, want the justification", approver.name, code, body)
		}
	}
	events, err := m.app.store.LookupEvents(context.Background(), store.EventQuery{Account: m.developer, Attribute: "EventName", Value: "UpdatePurchaseRequestJustification"})
	if err != nil {
		t.Fatal(err)
	}
	audited := false
	for _, e := range events {
		var rec struct {
			UserIdentity     struct{ Arn string }
			ResponseElements struct {
				PurchaseRequest struct{ PurchaseRequestId, Justification string }
			}
		}
		if err := json.Unmarshal(e.Body, &rec); err != nil {
			t.Fatal(err)
		}
		got := rec.ResponseElements.PurchaseRequest
		audited = audited || (rec.UserIdentity.Arn == "arn:aws:sts::"+m.developer+":assumed-role/developer/session" &&
			got.PurchaseRequestId == pr && got.Justification == why)
	}
	if !audited {
		t.Errorf("no audit event of the developer's justification among %d UpdatePurchaseRequestJustification events", len(events))
	}
}
