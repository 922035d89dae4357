package catalog

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"gatehouse/principal"
	"gatehouse/store"
)

// userOf is an IAM user of account.
func userOf(account, name string) *principal.Caller {
	arn := "arn:aws:iam::" + account + ":user/" + name
	return &principal.Caller{Type: principal.IAMUser, Account: account, ARN: arn, PrincipalARN: arn, UserID: "AIDA" + name, Name: name}
}

// startAs runs a change set as caller and returns its description.
func (w *world) startAs(t *testing.T, caller *principal.Caller, changes ...Change) DescribeChangeSetOutput {
	t.Helper()
	ctx := context.Background()
	out := must(w.s.StartChangeSet(ctx, caller, StartChangeSetInput{Catalog: Catalog, ChangeSet: changes}))(t)
	return must(w.s.DescribeChangeSet(ctx, caller, DescribeChangeSetInput{Catalog: Catalog, ChangeSetId: out.ChangeSetId}))(t)
}

// codesOf returns the error codes of the first change of a change set,
// nil when it succeeded.
func codesOf(t *testing.T, d DescribeChangeSetOutput) []string {
	t.Helper()
	if d.Status == StatusSucceeded {
		return nil
	}
	var codes []string
	for _, e := range d.ChangeSet[0].ErrorDetailList {
		codes = append(codes, e.ErrorCode)
	}
	return codes
}

func requestChange(changeType, id string, details any) Change {
	return Change{ChangeType: changeType, Entity: Entity{Type: "ProductProcurementRequest@1.0", Identifier: id}, DetailsDocument: doc(details)}
}

func newRequest(product, justification string) Change {
	return requestChange("CreateProductProcurementRequest", "", map[string]any{"ProductId": product, "Justification": justification})
}

// request reads a request's details as caller.
func (w *world) request(t *testing.T, caller *principal.Caller, id string) ProductProcurementRequestDetails {
	t.Helper()
	out := must(w.s.DescribeEntity(context.Background(), caller, DescribeEntityInput{Catalog: Catalog, EntityId: id}))(t)
	if out.EntityType != "ProductProcurementRequest@1.0" {
		t.Fatalf("EntityType = %s", out.EntityType)
	}
	var d ProductProcurementRequestDetails
	if err := json.Unmarshal(out.DetailsDocument, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func (w *world) allowed(t *testing.T, account, product string) bool {
	t.Helper()
	ctx := context.Background()
	var ok bool
	err := w.st.View(ctx, func(tx store.Tx) error {
		var err error
		ok, _, err = w.s.IsProductAllowed(ctx, tx, account, product)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// requestWorld is the seed's Private Marketplace: an enabled experience of
// the management account that governs the retail OU (and so the shop
// account) and accepts requests.
func requestWorld(t *testing.T) (w *world, exp string) {
	w = newWorld(t)
	exp = w.experience(t, mgmtID, "Retail marketplace")
	w.succeed(t, mgmtID,
		expChange("AssociateAudience", exp, map[string]any{"Principals": []string{w.retail}}),
		expChange("UpdateExperience", exp, map[string]any{"Status": "Enabled"}),
	)
	return w, exp
}

// TestProcurementRequestApproved: a governed user asks for a product with
// a justification; the request records who asked; the management account
// approves it and the product becomes allowed in the experience that
// governs the requester's account.
func TestProcurementRequestApproved(t *testing.T) {
	w, exp := requestWorld(t)
	ctx := context.Background()
	product := w.saasProduct(t, "Scanner")
	dev := userOf(w.shop, "dev")
	d := w.startAs(t, dev, newRequest(product, "We need to scan our images."))
	if d.Status != StatusSucceeded {
		t.Fatalf("CreateProductProcurementRequest: %s %+v", d.Status, d.ChangeSet)
	}
	id := d.ChangeSet[0].Entity.Identifier
	got := w.request(t, dev, id)
	created, _ := time.Parse(timeFormat, got.CreatedDate)
	expires, _ := time.Parse(timeFormat, got.ExpirationDate)
	if got.Status != RequestPending || got.ProductId != product || got.ProductTitle != "Scanner" || got.ExperienceId != exp ||
		got.RequesterAccountId != w.shop || got.RequesterArn != dev.ARN || got.Justification != "We need to scan our images." ||
		expires.Sub(created) != 30*24*time.Hour {
		t.Errorf("request = %+v", got)
	}
	if w.allowed(t, w.shop, product) {
		t.Fatal("a pending request allows its product")
	}

	// The requester's account lists its requests; the administrators list
	// every account's as shared entities, filtered by status.
	mine := must(w.s.ListEntities(ctx, dev, ListEntitiesInput{Catalog: Catalog, EntityType: TypeProductProcurementRequest}))(t)
	if len(mine.EntitySummaryList) != 1 || mine.EntitySummaryList[0].Name != "Scanner" || mine.EntitySummaryList[0].Visibility != RequestPending {
		t.Errorf("requester's list = %+v", mine.EntitySummaryList)
	}
	pending := ListEntitiesInput{Catalog: Catalog, EntityType: TypeProductProcurementRequest, OwnershipType: "SHARED",
		FilterList: []Filter{{Name: "Status", ValueList: []string{RequestPending}}}}
	for _, admin := range []string{mgmtID, w.admn} {
		list := must(w.s.ListEntities(ctx, rootOf(admin), pending))(t)
		if len(list.EntitySummaryList) != 1 || list.EntitySummaryList[0].EntityId != id {
			t.Errorf("%s's pending requests = %+v", admin, list.EntitySummaryList)
		}
	}
	other := must(w.s.ListEntities(ctx, rootOf(w.seller), ListEntitiesInput{Catalog: Catalog, EntityType: TypeProductProcurementRequest, OwnershipType: "SHARED"}))(t)
	if len(other.EntitySummaryList) != 0 {
		t.Errorf("a member account that administers nothing sees %+v", other.EntitySummaryList)
	}
	_, err := w.s.DescribeEntity(ctx, rootOf(w.seller), DescribeEntityInput{Catalog: Catalog, EntityId: id})
	wantCode(t, err, "ResourceNotFoundException")

	// Only administrators answer: the requester's own account cannot
	// approve, another account cannot even name the request.
	if codes := codesOf(t, w.startAs(t, dev, requestChange("ApproveProductProcurementRequest", id, map[string]any{}))); !slices.Equal(codes, []string{"ACCESS_DENIED"}) {
		t.Errorf("requester approving: %v", codes)
	}
	_, err = w.s.StartChangeSet(ctx, rootOf(w.seller), StartChangeSetInput{Catalog: Catalog, ChangeSet: []Change{requestChange("ApproveProductProcurementRequest", id, map[string]any{})}})
	wantCode(t, err, "ResourceNotFoundException")

	w.succeed(t, mgmtID, requestChange("ApproveProductProcurementRequest", id, map[string]any{"Notes": "security team agrees"}))
	if !w.allowed(t, w.shop, product) {
		t.Error("the approved product is not allowed")
	}
	got = w.request(t, rootOf(mgmtID), id)
	if got.Status != RequestApproved || got.ResolvedBy != principal.RootARN(mgmtID) || got.ResolutionDate == "" || got.Notes != "security team agrees" {
		t.Errorf("approved request = %+v", got)
	}
	// Answered once; the product is allowed now, so it cannot be requested.
	if codes := codesOf(t, w.start(t, mgmtID, requestChange("DeclineProductProcurementRequest", id, map[string]any{"Reason": "changed my mind"}))); !slices.Equal(codes, []string{CodeInvalidState}) {
		t.Errorf("declining an approved request: %v", codes)
	}
	if codes := codesOf(t, w.startAs(t, dev, newRequest(product, "again"))); !slices.Equal(codes, []string{CodeConflict}) {
		t.Errorf("requesting an allowed product: %v", codes)
	}
}

// TestProcurementRequestDeclined: the delegated administrator declines a
// request with a reason and blocks the product, which then cannot be
// requested again; a plain decline leaves the product requestable.
func TestProcurementRequestDeclined(t *testing.T) {
	w, exp := requestWorld(t)
	blocked, plain := w.saasProduct(t, "Miner"), w.saasProduct(t, "Notes")
	dev := userOf(w.shop, "dev")
	id := w.startAs(t, dev, newRequest(blocked, "mining is fun")).ChangeSet[0].Entity.Identifier
	w.succeed(t, w.admn, requestChange("DeclineProductProcurementRequest", id, map[string]any{"Reason": "Not allowed by policy.", "Block": true}))
	got := w.request(t, dev, id)
	if got.Status != RequestDeclined || got.DeclineReason != "Not allowed by policy." || !got.Blocked || got.ResolvedBy != principal.RootARN(w.admn) || got.ExperienceId != exp {
		t.Errorf("declined request = %+v", got)
	}
	if w.allowed(t, w.shop, blocked) {
		t.Error("a blocked product is allowed")
	}
	if codes := codesOf(t, w.startAs(t, dev, newRequest(blocked, "please"))); !slices.Equal(codes, []string{CodeInvalidState}) {
		t.Errorf("requesting a blocked product: %v", codes)
	}

	id = w.startAs(t, dev, newRequest(plain, "note taking")).ChangeSet[0].Entity.Identifier
	if codes := codesOf(t, w.start(t, mgmtID, requestChange("DeclineProductProcurementRequest", id, map[string]any{}))); !slices.Equal(codes, []string{CodeInvalidInput}) {
		t.Errorf("declining without a reason: %v", codes)
	}
	w.succeed(t, mgmtID, requestChange("DeclineProductProcurementRequest", id, map[string]any{"Reason": "Use the wiki."}))
	if got := w.request(t, dev, id); got.Status != RequestDeclined || got.Blocked {
		t.Errorf("plain decline = %+v", got)
	}
	if d := w.startAs(t, dev, newRequest(plain, "the wiki is down")); d.Status != StatusSucceeded {
		t.Errorf("requesting a declined, unblocked product again: %+v", d.ChangeSet)
	}
}

// TestProcurementRequestRules: the requests refused, cancelling, and the
// 30-day limit (AWS Marketplace Buyer Guide: "the system auto-declines
// after 30 days").
func TestProcurementRequestRules(t *testing.T) {
	w, exp := requestWorld(t)
	ctx := context.Background()
	product := w.saasProduct(t, "Linter")
	dev := userOf(w.shop, "dev")
	cases := []struct {
		name   string
		caller *principal.Caller
		change Change
		want   string
	}{
		{name: "no justification", caller: dev, change: requestChange("CreateProductProcurementRequest", "", map[string]any{"ProductId": product}), want: CodeInvalidInput},
		{name: "unknown field", caller: dev, change: requestChange("CreateProductProcurementRequest", "", map[string]any{"ProductId": product, "Justification": "x", "Price": 1}), want: CodeInvalidInput},
		{name: "unknown product", caller: dev, change: newRequest("prod-nothinghere1", "x"), want: CodeEntityNotFound},
		{name: "not a product", caller: dev, change: newRequest(exp, "x"), want: CodeEntityNotFound},
		{name: "ungoverned account", caller: userOf(w.seller, "sam"), change: newRequest(product, "x"), want: CodeInvalidState},
	}
	for _, c := range cases {
		if codes := codesOf(t, w.startAs(t, c.caller, c.change)); !slices.Equal(codes, []string{c.want}) {
			t.Errorf("%s: codes %v, want %s", c.name, codes, c.want)
		}
	}

	// One pending request per account and product; cancelling ends it.
	id := w.startAs(t, dev, newRequest(product, "lint")).ChangeSet[0].Entity.Identifier
	if codes := codesOf(t, w.startAs(t, userOf(w.shop, "other"), newRequest(product, "me too"))); !slices.Equal(codes, []string{CodeDuplicateValue}) {
		t.Errorf("second pending request: %v", codes)
	}
	if codes := codesOf(t, w.start(t, mgmtID, requestChange("CancelProductProcurementRequest", id, map[string]any{}))); !slices.Equal(codes, []string{"ACCESS_DENIED"}) {
		t.Errorf("administrator cancelling: %v", codes)
	}
	w.succeed(t, w.shop, requestChange("CancelProductProcurementRequest", id, map[string]any{}))
	if got := w.request(t, dev, id); got.Status != RequestCancelled || got.ResolvedBy != principal.RootARN(w.shop) {
		t.Errorf("cancelled request = %+v", got)
	}

	// Unanswered for 30 days: declined when next read, and no longer
	// answerable; the user may ask again.
	id = w.startAs(t, dev, newRequest(product, "lint, please")).ChangeSet[0].Entity.Identifier
	w.clock.advance(RequestLifetime - time.Minute)
	if got := w.request(t, dev, id); got.Status != RequestPending {
		t.Fatalf("request expired early: %+v", got)
	}
	w.clock.advance(time.Minute)
	got := w.request(t, rootOf(mgmtID), id)
	if got.Status != RequestDeclined || got.DeclineReason != ExpiredReason || got.ResolvedBy != "" || got.ResolutionDate != got.ExpirationDate {
		t.Errorf("expired request = %+v", got)
	}
	list := must(w.s.ListEntities(ctx, rootOf(mgmtID), ListEntitiesInput{Catalog: Catalog, EntityType: TypeProductProcurementRequest, OwnershipType: "SHARED",
		FilterList: []Filter{{Name: "Status", ValueList: []string{RequestPending}}}}))(t)
	if len(list.EntitySummaryList) != 0 {
		t.Errorf("pending after expiry: %+v", list.EntitySummaryList)
	}
	if codes := codesOf(t, w.start(t, mgmtID, requestChange("ApproveProductProcurementRequest", id, map[string]any{}))); !slices.Equal(codes, []string{CodeInvalidState}) {
		t.Errorf("approving an expired request: %v", codes)
	}
	if w.allowed(t, w.shop, product) {
		t.Error("an expired request allowed its product")
	}
	if d := w.startAs(t, dev, newRequest(product, "lint, pretty please")); d.Status != StatusSucceeded {
		t.Errorf("asking again after expiry: %+v", d.ChangeSet)
	}

	// An experience that does not accept requests refuses them.
	w.succeed(t, mgmtID, expChange("UpdateProcurementPolicy", exp, map[string]any{"Configuration": map[string]any{"PolicyResourceRequests": "Deny"}}))
	other := w.saasProduct(t, "Formatter")
	if codes := codesOf(t, w.startAs(t, dev, newRequest(other, "format"))); !slices.Equal(codes, []string{CodeInvalidState}) {
		t.Errorf("requests disabled: %v", codes)
	}
}

// TestProcurementRequestAuthorization: the dependent actions of the
// request change types and reads are the legacy permission names.
func TestProcurementRequestAuthorization(t *testing.T) {
	cases := []struct {
		changeType string
		want       []string
	}{
		{"CreateProductProcurementRequest", []string{"aws-marketplace:CreatePrivateMarketplaceRequests"}},
		{"CancelProductProcurementRequest", []string{"aws-marketplace:CreatePrivateMarketplaceRequests"}},
		{"ApproveProductProcurementRequest", []string{"aws-marketplace:AssociateProductsWithPrivateMarketplace"}},
		{"DeclineProductProcurementRequest", []string{"aws-marketplace:DisassociateProductsFromPrivateMarketplace"}},
	}
	for _, c := range cases {
		info, ok := LookupChangeType("ProductProcurementRequest@1.0", c.changeType)
		if !ok || !slices.Equal(info.Actions, c.want) || info.Creates != (c.changeType == "CreateProductProcurementRequest") {
			t.Errorf("%s: %+v %v", c.changeType, info, ok)
		}
	}
	if got := ListActions("ProductProcurementRequest"); !slices.Equal(got, []string{"aws-marketplace:ListPrivateMarketplaceRequests"}) {
		t.Errorf("ListActions = %v", got)
	}
	if got := ListActions("SaaSProduct"); got != nil {
		t.Errorf("ListActions(SaaSProduct) = %v", got)
	}
	arn := "arn:aws:aws-marketplace:us-east-1:222222222222:AWSMarketplace/ProductProcurementRequest/procreq-abc"
	if got := DescribeActions(arn); !slices.Equal(got, []string{"aws-marketplace:DescribePrivateMarketplaceRequests"}) {
		t.Errorf("DescribeActions = %v", got)
	}
}

// TestProcurementRequestsAnsweredByPolicy: allowing a product with
// AllowProductProcurement, or approving one account's request for it,
// approves every pending request for it under the experience; denying it
// declines and blocks them.
func TestProcurementRequestsAnsweredByPolicy(t *testing.T) {
	w, exp := requestWorld(t)
	allowedP, deniedP, approvedP := w.saasProduct(t, "Allowed"), w.saasProduct(t, "Denied"), w.saasProduct(t, "Approved")
	shop, admn := userOf(w.shop, "dev"), userOf(w.admn, "ana")
	ask := func(caller *principal.Caller, product string) string {
		t.Helper()
		d := w.startAs(t, caller, newRequest(product, "needed"))
		if d.Status != StatusSucceeded {
			t.Fatalf("request: %+v", d.ChangeSet)
		}
		return d.ChangeSet[0].Entity.Identifier
	}
	a1, a2, d1, p1, p2 := ask(shop, allowedP), ask(admn, allowedP), ask(shop, deniedP), ask(shop, approvedP), ask(admn, approvedP)
	w.succeed(t, mgmtID,
		expChange("AllowProductProcurement", exp, map[string]any{"Products": []any{map[string]any{"Ids": []string{allowedP}}}}),
		expChange("DenyProductProcurement", exp, map[string]any{"Products": []any{map[string]any{"Ids": []string{deniedP}}}}),
	)
	w.succeed(t, mgmtID, requestChange("ApproveProductProcurementRequest", p1, map[string]any{}))
	for _, c := range []struct {
		id, status string
		blocked    bool
	}{{a1, RequestApproved, false}, {a2, RequestApproved, false}, {d1, RequestDeclined, true}, {p1, RequestApproved, false}, {p2, RequestApproved, false}} {
		got := w.request(t, rootOf(mgmtID), c.id)
		if got.Status != c.status || got.Blocked != c.blocked || got.ResolvedBy != principal.RootARN(mgmtID) {
			t.Errorf("request %s for %s = %+v", c.id, got.ProductTitle, got)
		}
	}
}

// TestProcurementRequestDeferred: a change set applied after an
// ApplyDelay still records the principal that asked, not just its
// account; a VALIDATE change set creates no request.
func TestProcurementRequestDeferred(t *testing.T) {
	w, _ := requestWorld(t)
	ctx := context.Background()
	product := w.saasProduct(t, "Tracer")
	dev := userOf(w.shop, "dev")
	validate := must(w.s.StartChangeSet(ctx, dev, StartChangeSetInput{Catalog: Catalog, Intent: IntentValidate, ChangeSet: []Change{newRequest(product, "trace")}}))(t)
	if d := must(w.s.DescribeChangeSet(ctx, dev, DescribeChangeSetInput{Catalog: Catalog, ChangeSetId: validate.ChangeSetId}))(t); d.Status != StatusSucceeded {
		t.Fatalf("VALIDATE: %s %+v", d.Status, d.ChangeSet)
	}
	list := must(w.s.ListEntities(ctx, dev, ListEntitiesInput{Catalog: Catalog, EntityType: TypeProductProcurementRequest}))(t)
	if len(list.EntitySummaryList) != 0 {
		t.Fatalf("VALIDATE created %+v", list.EntitySummaryList)
	}

	w.s.ApplyDelay = time.Minute
	out := must(w.s.StartChangeSet(ctx, dev, StartChangeSetInput{Catalog: Catalog, ChangeSet: []Change{newRequest(product, "trace")}}))(t)
	w.clock.advance(2 * time.Minute)
	d := must(w.s.DescribeChangeSet(ctx, dev, DescribeChangeSetInput{Catalog: Catalog, ChangeSetId: out.ChangeSetId}))(t)
	if d.Status != StatusSucceeded {
		t.Fatalf("deferred request: %s %+v", d.Status, d.ChangeSet)
	}
	if got := w.request(t, dev, d.ChangeSet[0].Entity.Identifier); got.RequesterArn != dev.ARN {
		t.Errorf("deferred request = %+v", got)
	}
}
