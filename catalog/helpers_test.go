package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gatehouse/awserr"
	"gatehouse/org"
	"gatehouse/principal"
	"gatehouse/store"
	"gatehouse/store/sqlite"
)

const mgmtID = "111111111111"

// world is a catalog over real SQLite with an organization: root, an OU
// "retail" holding OU "stores", and accounts seller (in the root),
// shop (in stores) and admin (in retail, a delegated administrator for
// the Private Marketplace).
type world struct {
	s                  *Service
	orgs               *org.Service
	st                 store.Store
	rootID, retail     string
	stores             string
	seller, shop, admn string
	clock              *clock
}

// clock advances one second on every reading.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func rootOf(account string) *principal.Caller {
	return &principal.Caller{Type: principal.Root, Account: account, ARN: principal.RootARN(account), PrincipalARN: principal.RootARN(account), UserID: account}
}

func newWorld(t *testing.T) *world {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	now := c.now
	ctx := context.Background()
	orgs := org.New(st)
	orgs.Now = now
	if _, err := orgs.EnsureManagementAccount(ctx, mgmtID, "mgmt@example.com", "Management"); err != nil {
		t.Fatal(err)
	}
	mgmt := rootOf(mgmtID)
	must(orgs.CreateOrganization(ctx, mgmt, org.CreateOrganizationInput{FeatureSet: "ALL"}))(t)
	roots := must(orgs.ListRoots(ctx, mgmt, org.ListRootsInput{}))(t)
	w := &world{orgs: orgs, st: st, rootID: roots.Roots[0].Id, clock: c}
	w.retail = must(orgs.CreateOrganizationalUnit(ctx, mgmt, org.CreateOrganizationalUnitInput{ParentId: w.rootID, Name: "retail"}))(t).OrganizationalUnit.Id
	w.stores = must(orgs.CreateOrganizationalUnit(ctx, mgmt, org.CreateOrganizationalUnitInput{ParentId: w.retail, Name: "stores"}))(t).OrganizationalUnit.Id
	w.seller = w.account(t, "seller", "")
	w.shop = w.account(t, "shop", w.stores)
	w.admn = w.account(t, "admin", w.retail)
	must(orgs.EnableAWSServiceAccess(ctx, mgmt, org.EnableAWSServiceAccessInput{ServicePrincipal: PrivateMarketplaceServicePrincipal}))(t)
	must(orgs.RegisterDelegatedAdministrator(ctx, mgmt, org.RegisterDelegatedAdministratorInput{AccountId: w.admn, ServicePrincipal: PrivateMarketplaceServicePrincipal}))(t)
	w.s = &Service{Store: st, Orgs: orgs, Region: "us-east-1", Now: now}
	return w
}

// account creates an account and moves it to parent ("" for the root).
func (w *world) account(t *testing.T, name, parent string) string {
	t.Helper()
	ctx := context.Background()
	mgmt := rootOf(mgmtID)
	st := must(w.orgs.CreateAccount(ctx, mgmt, org.CreateAccountInput{Email: name + "@example.com", AccountName: name}))(t)
	id := must(w.orgs.DescribeCreateAccountStatus(ctx, mgmt, org.DescribeCreateAccountStatusInput{CreateAccountRequestId: st.CreateAccountStatus.Id}))(t).CreateAccountStatus.AccountId
	if parent != "" {
		must(w.orgs.MoveAccount(ctx, mgmt, org.MoveAccountInput{AccountId: id, SourceParentId: w.rootID, DestinationParentId: parent}))(t)
	}
	return id
}

func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("got error %v, want %s", err, code)
	}
}

// doc is a DetailsDocument.
func doc(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// start runs a change set and returns its description.
func (w *world) start(t *testing.T, account string, changes ...Change) DescribeChangeSetOutput {
	t.Helper()
	ctx := context.Background()
	out := must(w.s.StartChangeSet(ctx, rootOf(account), StartChangeSetInput{Catalog: Catalog, ChangeSet: changes}))(t)
	return must(w.s.DescribeChangeSet(ctx, rootOf(account), DescribeChangeSetInput{Catalog: Catalog, ChangeSetId: out.ChangeSetId}))(t)
}

// succeed runs a change set that must succeed and returns the ids of its
// changes' entities.
func (w *world) succeed(t *testing.T, account string, changes ...Change) []string {
	t.Helper()
	d := w.start(t, account, changes...)
	if d.Status != StatusSucceeded {
		t.Fatalf("change set %s: %s %s %+v", d.ChangeSetId, d.Status, d.FailureCode, d.ChangeSet)
	}
	ids := make([]string, len(d.ChangeSet))
	for i, c := range d.ChangeSet {
		ids[i] = c.Entity.Identifier
	}
	return ids
}

// fail runs a change set that must fail with CLIENT_ERROR and returns the
// error codes of change i.
func (w *world) fail(t *testing.T, account string, i int, changes ...Change) []string {
	t.Helper()
	d := w.start(t, account, changes...)
	if d.Status != StatusFailed || d.FailureCode != FailureClientError {
		t.Fatalf("change set: %s %s, want FAILED CLIENT_ERROR", d.Status, d.FailureCode)
	}
	var codes []string
	for _, e := range d.ChangeSet[i].ErrorDetailList {
		codes = append(codes, e.ErrorCode)
	}
	if len(codes) == 0 {
		t.Fatalf("change %d has no errors: %+v", i, d.ChangeSet)
	}
	return codes
}

// saasProduct creates a released SaaS product of the seller.
func (w *world) saasProduct(t *testing.T, title string) string {
	t.Helper()
	ids := w.succeed(t, w.seller,
		Change{ChangeType: "CreateProduct", ChangeName: "Create", Entity: Entity{Type: "SaaSProduct@1.0"}, DetailsDocument: doc(map[string]any{"ProductTitle": title})},
		Change{ChangeType: "UpdateInformation", Entity: Entity{Type: "SaaSProduct@1.0", Identifier: "$Create.Entity.Identifier"}, DetailsDocument: doc(map[string]any{
			"ShortDescription": "Short " + title, "LongDescription": "Long " + title, "LogoUrl": "https://example.com/logo.png",
			"Categories": []string{"Security"}, "Highlights": []string{"Fast"}, "SearchKeywords": []string{"scan"},
		})},
		Change{ChangeType: "AddDeliveryOptions", Entity: Entity{Type: "SaaSProduct@1.0", Identifier: "$Create.Entity.Identifier"}, DetailsDocument: doc(map[string]any{
			"DeliveryOptions": []any{map[string]any{"Details": map[string]any{"SaaSUrlDeliveryOptionDetails": map[string]any{"FulfillmentUrl": "https://example.com/register"}}}},
		})},
		Change{ChangeType: "ReleaseProduct", Entity: Entity{Type: "SaaSProduct@1.0", Identifier: "$Create.Entity.Identifier"}, Details: "{}"},
	)
	return ids[0]
}

// experience creates an experience with a procurement policy as account.
func (w *world) experience(t *testing.T, account, name string) string {
	t.Helper()
	ids := w.succeed(t, account,
		Change{ChangeType: "CreateExperience", ChangeName: "Exp", Entity: Entity{Type: "Experience@1.0"}, DetailsDocument: doc(map[string]any{"Name": name})},
		Change{ChangeType: "CreateProcurementPolicy", Entity: Entity{Type: "Experience@1.0", Identifier: "$Exp.Entity.Identifier"},
			DetailsDocument: doc(map[string]any{"Configuration": map[string]any{"PolicyResourceRequests": "Allow"}})},
	)
	return ids[0]
}

func expChange(changeType, exp string, details any) Change {
	return Change{ChangeType: changeType, Entity: Entity{Type: "Experience@1.0", Identifier: exp}, DetailsDocument: doc(details)}
}
