package procurement

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/awserr"
	"gatehouse/credentials"
	"gatehouse/org"
	"gatehouse/principal"
	"gatehouse/store"
	"gatehouse/store/sqlite"
)

const mgmtID = "111111111111"

type world struct {
	s      *Service
	st     store.Store
	member string
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
	ctx := context.Background()
	orgs := org.New(st)
	if _, err := orgs.EnsureManagementAccount(ctx, mgmtID, "mgmt@example.com", "Management"); err != nil {
		t.Fatal(err)
	}
	mgmt := rootOf(mgmtID)
	must(orgs.CreateOrganization(ctx, mgmt, org.CreateOrganizationInput{FeatureSet: "ALL"}))(t)
	created := must(orgs.CreateAccount(ctx, mgmt, org.CreateAccountInput{Email: "dev@example.com", AccountName: "dev"}))(t)
	member := must(orgs.DescribeCreateAccountStatus(ctx, mgmt, org.DescribeCreateAccountStatusInput{CreateAccountRequestId: created.CreateAccountStatus.Id}))(t).CreateAccountStatus.AccountId
	cipher, err := credentials.NewCipher(bytes.Repeat([]byte{7}, credentials.MasterKeySize))
	if err != nil {
		t.Fatal(err)
	}
	return &world{s: New(st, cipher, orgs), st: st, member: member}
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
		t.Fatalf("error = %v, want %s", err, code)
	}
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func coupa(buyer string) CreateProcurementPortalPreferenceInput {
	return CreateProcurementPortalPreferenceInput{
		ProcurementPortalName: PortalCoupa, BuyerDomain: DomainNetworkID, BuyerIdentifier: buyer,
		SupplierDomain: DomainNetworkID, SupplierIdentifier: "gatehouse",
		ProcurementPortalSharedSecret: "s3cret-prod", ProcurementPortalInstanceEndpoint: "https://coupa.example.com/cxml",
		TestEnvPreference: &TestEnvPreferenceInput{BuyerDomain: DomainNetworkID, BuyerIdentifier: buyer + "-test",
			SupplierDomain: DomainNetworkID, SupplierIdentifier: "gatehouse-test", ProcurementPortalSharedSecret: "s3cret-test"},
		Selector:                &Selector{SellerOfRecords: []string{"AWS_INC"}},
		EinvoiceDeliveryEnabled: no(), PurchaseOrderRetrievalEnabled: yes(),
		Contacts: []Contact{{Name: "Procurement", Email: "procurement@example.com"}},
	}
}

func TestLifecycle(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mgmt := rootOf(mgmtID)
	arn := must(w.s.CreateProcurementPortalPreference(ctx, mgmt, coupa("acme")))(t).ProcurementPortalPreferenceArn
	if !reARN.MatchString(arn) || !strings.HasPrefix(arn, "arn:aws:invoicing::"+mgmtID+":") {
		t.Fatalf("ARN %q does not match the model's pattern", arn)
	}
	got := must(w.s.GetProcurementPortalPreference(ctx, mgmt, GetProcurementPortalPreferenceInput{arn}))(t).ProcurementPortalPreference
	if got.ProcurementPortalSharedSecret != MaskedSecret || got.TestEnvPreference.ProcurementPortalSharedSecret != MaskedSecret {
		t.Errorf("secrets returned as %q and %q, want them masked", got.ProcurementPortalSharedSecret, got.TestEnvPreference.ProcurementPortalSharedSecret)
	}
	if got.Version != 1 || got.EinvoiceDeliveryPreferenceStatus != StatusPendingVerification || !got.PurchaseOrderRetrievalEnabled || got.AwsAccountId != mgmtID {
		t.Errorf("new preference = %+v", got)
	}

	// The secret is sealed at rest: the stored record holds no clear text.
	err := store.View(ctx, w.st, func(tx store.Tx) error {
		r, err := store.Get[record](ctx, tx, kindPreference, idOf(arn))
		if err != nil {
			return err
		}
		if bytes.Contains(r.Secret, []byte("s3cret")) || r.Secret == nil {
			t.Errorf("stored secret is not sealed: %q", r.Secret)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Put without a secret keeps the stored one.
	put := PutProcurementPortalPreferenceInput{ProcurementPortalPreferenceArn: arn, EinvoiceDeliveryEnabled: yes(), PurchaseOrderRetrievalEnabled: yes(),
		Contacts: []Contact{{Email: "ap@example.com"}}, ProcurementPortalInstanceEndpoint: "https://coupa.example.com/v2"}
	must(w.s.PutProcurementPortalPreference(ctx, mgmt, put))(t)
	must(w.s.UpdateProcurementPortalPreferenceStatus(ctx, mgmt, UpdateProcurementPortalPreferenceStatusInput{ProcurementPortalPreferenceArn: arn,
		PurchaseOrderRetrievalPreferenceStatus: StatusActive, PurchaseOrderRetrievalPreferenceStatusReason: "verified"}))(t)
	got = must(w.s.GetProcurementPortalPreference(ctx, mgmt, GetProcurementPortalPreferenceInput{arn}))(t).ProcurementPortalPreference
	if got.Version != 3 || got.PurchaseOrderRetrievalPreferenceStatus != StatusActive || got.EinvoiceDeliveryPreferenceStatus != StatusPendingVerification ||
		got.ProcurementPortalSharedSecret != MaskedSecret || got.TestEnvPreference != nil || got.ProcurementPortalInstanceEndpoint != "https://coupa.example.com/v2" {
		t.Errorf("after put and status update: %+v", got)
	}

	err = store.View(ctx, w.st, func(tx store.Tx) error {
		p, ok, err := w.s.PortalByCredential(ctx, tx, "networkid", "acme")
		if err != nil || !ok || p.SharedSecret != "s3cret-prod" || p.Test {
			t.Errorf("PortalByCredential(acme) = %+v, %v, %v", p, ok, err)
		}
		if _, ok, _ := w.s.PortalByCredential(ctx, tx, "NetworkID", "acme-test"); ok {
			t.Error("the test credential still matches after Put removed the test environment")
		}
		if _, ok, _ := w.s.PortalByCredential(ctx, tx, "NetworkID", "ACME"); ok {
			t.Error("identities must compare exactly")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	must(w.s.DeleteProcurementPortalPreference(ctx, mgmt, DeleteProcurementPortalPreferenceInput{arn}))(t)
	_, err = w.s.GetProcurementPortalPreference(ctx, mgmt, GetProcurementPortalPreferenceInput{arn})
	wantCode(t, err, "ResourceNotFoundException")
	_, err = w.s.DeleteProcurementPortalPreference(ctx, mgmt, DeleteProcurementPortalPreferenceInput{arn})
	wantCode(t, err, "ResourceNotFoundException")
}

func TestTestCredential(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	must(w.s.CreateProcurementPortalPreference(ctx, rootOf(mgmtID), coupa("acme")))(t)
	err := store.View(ctx, w.st, func(tx store.Tx) error {
		p, ok, err := w.s.PortalByCredential(ctx, tx, "NETWORKID", "acme-test")
		if err != nil || !ok || !p.Test || p.SharedSecret != "s3cret-test" {
			t.Errorf("PortalByCredential(acme-test) = %+v, %v, %v", p, ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestManagementAccountOnly(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	_, err := w.s.CreateProcurementPortalPreference(ctx, rootOf(w.member), coupa("acme"))
	wantCode(t, err, "AccessDeniedException")
	_, err = w.s.ListProcurementPortalPreferences(ctx, rootOf(w.member), ListProcurementPortalPreferencesInput{})
	wantCode(t, err, "AccessDeniedException")
	_, err = w.s.ListProcurementPortalPreferences(ctx, rootOf("999999999999"), ListProcurementPortalPreferencesInput{})
	wantCode(t, err, "AccessDeniedException")
}

func TestIdempotencyAndConflicts(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mgmt := rootOf(mgmtID)
	in := coupa("acme")
	in.ClientToken = "token-1"
	first := must(w.s.CreateProcurementPortalPreference(ctx, mgmt, in))(t)
	again := must(w.s.CreateProcurementPortalPreference(ctx, mgmt, in))(t)
	if first != again {
		t.Errorf("a repeated ClientToken created %s besides %s", again.ProcurementPortalPreferenceArn, first.ProcurementPortalPreferenceArn)
	}
	// A buyer credential names one portal: the cXML bridge must find
	// exactly one preference for it.
	_, err := w.s.CreateProcurementPortalPreference(ctx, mgmt, coupa("acme"))
	wantCode(t, err, "ConflictException")
}

func TestListPages(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mgmt := rootOf(mgmtID)
	for _, b := range []string{"a", "b", "c"} {
		must(w.s.CreateProcurementPortalPreference(ctx, mgmt, coupa(b)))(t)
	}
	two := int32(2)
	var seen []string
	in := ListProcurementPortalPreferencesInput{MaxResults: &two}
	for {
		out := must(w.s.ListProcurementPortalPreferences(ctx, mgmt, in))(t)
		for _, p := range out.ProcurementPortalPreferences {
			seen = append(seen, p.BuyerIdentifier)
		}
		if out.NextToken == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	if len(seen) != 3 {
		t.Errorf("listed %v, want 3 preferences", seen)
	}
}

// TestValidation checks the model's constraints (invoicing 2024-12-01):
// enums ProcurementPortalName, BuyerDomain and
// ProcurementPortalPreferenceStatus, Contacts min 1 max 1, EmailString's
// pattern, MaxResults 1 to 100 and the preference ARN's pattern.
func TestValidation(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mgmt := rootOf(mgmtID)
	date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		change func(*CreateProcurementPortalPreferenceInput)
	}{
		{"unknown portal", func(in *CreateProcurementPortalPreferenceInput) { in.ProcurementPortalName = "ARIBA" }},
		{"unknown domain", func(in *CreateProcurementPortalPreferenceInput) { in.BuyerDomain = "DUNS" }},
		{"missing identity", func(in *CreateProcurementPortalPreferenceInput) { in.SupplierIdentifier = "" }},
		{"identity with a space", func(in *CreateProcurementPortalPreferenceInput) { in.BuyerIdentifier = "a b" }},
		{"two contacts", func(in *CreateProcurementPortalPreferenceInput) { in.Contacts = append(in.Contacts, in.Contacts[0]) }},
		{"no contact", func(in *CreateProcurementPortalPreferenceInput) { in.Contacts = nil }},
		{"bad email", func(in *CreateProcurementPortalPreferenceInput) { in.Contacts[0].Email = "nobody" }},
		{"missing flag", func(in *CreateProcurementPortalPreferenceInput) { in.EinvoiceDeliveryEnabled = nil }},
		{"bad invoice unit", func(in *CreateProcurementPortalPreferenceInput) { in.Selector.InvoiceUnitArns = []string{"unit-1"} }},
		{"bad test domain", func(in *CreateProcurementPortalPreferenceInput) { in.TestEnvPreference.SupplierDomain = "x" }},
		{"bad protocol", func(in *CreateProcurementPortalPreferenceInput) {
			in.EinvoiceDeliveryPreference = &EinvoiceDeliveryPreference{EinvoiceDeliveryDocumentTypes: []string{"AWS_CLOUD_INVOICE"}, Protocol: "EDI",
				PurchaseOrderDataSources: []PurchaseOrderDataSource{}, ConnectionTestingMethod: "PROD_ENV_DOLLAR_TEST", EinvoiceDeliveryActivationDate: &date}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := coupa("acme")
			tt.change(&in)
			_, err := w.s.CreateProcurementPortalPreference(ctx, mgmt, in)
			wantCode(t, err, "ValidationException")
		})
	}
	zero := int32(0)
	_, err := w.s.ListProcurementPortalPreferences(ctx, mgmt, ListProcurementPortalPreferencesInput{MaxResults: &zero})
	wantCode(t, err, "ValidationException")
	_, err = w.s.GetProcurementPortalPreference(ctx, mgmt, GetProcurementPortalPreferenceInput{"arn:aws:invoicing::1:x"})
	wantCode(t, err, "ValidationException")
	_, err = w.s.UpdateProcurementPortalPreferenceStatus(ctx, mgmt, UpdateProcurementPortalPreferenceStatusInput{ProcurementPortalPreferenceArn: ARN(mgmtID, "abc"), EinvoiceDeliveryPreferenceStatus: "ON"})
	wantCode(t, err, "ValidationException")
}

// TestPortalByARN: the invoice deliverer finds a preference by ARN, with
// the shared secret, credentials and endpoint of the environment the
// order came through; an unknown ARN, a malformed one, or the test
// environment of a preference without one is not found.
func TestPortalByARN(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	mgmt := rootOf(mgmtID)
	in := coupa("acme")
	in.TestEnvPreference.ProcurementPortalInstanceEndpoint = "https://coupa-test.example.com/cxml"
	arn := must(w.s.CreateProcurementPortalPreference(ctx, mgmt, in))(t).ProcurementPortalPreferenceArn
	prodOnly := coupa("globex")
	prodOnly.TestEnvPreference = nil
	prodARN := must(w.s.CreateProcurementPortalPreference(ctx, mgmt, prodOnly))(t).ProcurementPortalPreferenceArn
	tests := []struct {
		name       string
		arn        string
		test       bool
		wantOK     bool
		wantSecret string
		wantEnv    Environment
	}{
		{name: "production", arn: arn, wantOK: true, wantSecret: "s3cret-prod", wantEnv: Environment{
			BuyerDomain: DomainNetworkID, BuyerIdentifier: "acme", SupplierDomain: DomainNetworkID, SupplierIdentifier: "gatehouse",
			Endpoint: "https://coupa.example.com/cxml"}},
		{name: "test environment", arn: arn, test: true, wantOK: true, wantSecret: "s3cret-test", wantEnv: Environment{
			BuyerDomain: DomainNetworkID, BuyerIdentifier: "acme-test", SupplierDomain: DomainNetworkID, SupplierIdentifier: "gatehouse-test",
			Endpoint: "https://coupa-test.example.com/cxml"}},
		{name: "no test environment", arn: prodARN, test: true},
		{name: "unknown preference", arn: ARN(mgmtID, "00000000-0000-4000-8000-000000000000")},
		{name: "other account's ARN for the same id", arn: ARN("999999999999", idOf(arn))},
		{name: "malformed ARN", arn: "arn:aws:invoicing::1:x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := store.View(ctx, w.st, func(tx store.Tx) error {
				p, ok, err := w.s.PortalByARN(ctx, tx, tt.arn, tt.test)
				if err != nil {
					return err
				}
				if ok != tt.wantOK || p.SharedSecret != tt.wantSecret || p.Test != (tt.test && tt.wantOK) {
					t.Errorf("PortalByARN = test %v, ok %v, secret matches %v; want ok %v", p.Test, ok, p.SharedSecret == tt.wantSecret, tt.wantOK)
				}
				if ok && p.Environment() != tt.wantEnv {
					t.Errorf("Environment() = %+v, want %+v", p.Environment(), tt.wantEnv)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
