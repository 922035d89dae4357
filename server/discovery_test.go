package server

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"gatehouse/catalog"
	"gatehouse/discovery"
	"gatehouse/principal"
	"gatehouse/sigv4"
)

// countingReader makes the catalog's random ids deterministic and
// distinct for golden files.
type countingReader struct{ n byte }

func (c *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		c.n++
		p[i] = c.n
	}
	return len(p), nil
}

// newDiscoveryServer is a server with the Catalog and Discovery APIs and
// one Public SaaS product with a released offer, owned by the test
// account.
func newDiscoveryServer(t *testing.T) (*iamServer, string) {
	t.Helper()
	s := newIAMServer(t)
	c := catalog.New(s.deps.Store, s.deps.Org, "us-east-1")
	c.Rand, c.Now = &countingReader{}, func() time.Time { return s.now }
	s.deps.Catalog, s.deps.Discovery = c, discovery.New(s.deps.Store, c)
	s.Server = New(s.cfg, s.deps)
	ref := catalog.Entity{Type: "SaaSProduct@1.0", Identifier: "$P.Entity.Identifier"}
	offer := catalog.Entity{Type: "Offer@1.0", Identifier: "$O.Entity.Identifier"}
	details := func(v any) json.RawMessage { b, _ := json.Marshal(v); return b }
	root := &principal.Caller{Type: principal.Root, Account: testAccount, ARN: principal.RootARN(testAccount), PrincipalARN: principal.RootARN(testAccount), UserID: testAccount}
	out, err := c.StartChangeSet(context.Background(), root, catalog.StartChangeSetInput{Catalog: catalog.Catalog, ChangeSet: []catalog.Change{
		{ChangeType: "CreateProduct", ChangeName: "P", Entity: catalog.Entity{Type: "SaaSProduct@1.0"}, DetailsDocument: details(map[string]any{"ProductTitle": "Vault Secrets"})},
		{ChangeType: "UpdateInformation", Entity: ref, DetailsDocument: details(map[string]any{"ShortDescription": "Store and rotate credentials.",
			"LongDescription": "Encrypts secrets at rest.", "LogoUrl": "https://example.com/logo.png", "Categories": []string{"Security"}, "SearchKeywords": []string{"secrets"}})},
		{ChangeType: "AddDeliveryOptions", Entity: ref, DetailsDocument: details(map[string]any{"DeliveryOptions": []any{map[string]any{"Details": map[string]any{
			"SaaSUrlDeliveryOptionDetails": map[string]any{"FulfillmentUrl": "https://example.com/register"}}}}})},
		{ChangeType: "ReleaseProduct", Entity: ref, Details: "{}"},
		{ChangeType: "UpdateVisibility", Entity: ref, DetailsDocument: details(map[string]any{"TargetVisibility": "Public"})},
		{ChangeType: "CreateOffer", ChangeName: "O", Entity: catalog.Entity{Type: "Offer@1.0"}, DetailsDocument: details(map[string]any{"ProductId": "$P.Entity.Identifier", "Name": "Standard"})},
		{ChangeType: "UpdatePricingTerms", Entity: offer, DetailsDocument: details(map[string]any{"PricingModel": "Byol", "Terms": []any{map[string]any{"Type": "ByolPricingTerm"}}})},
		{ChangeType: "UpdateLegalTerms", Entity: offer, DetailsDocument: details(map[string]any{"Terms": []any{map[string]any{"Type": "LegalTerm",
			"Documents": []any{map[string]any{"Type": "StandardEula", "Version": "2022-07-14"}}}}})},
		{ChangeType: "ReleaseOffer", Entity: offer, Details: "{}"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeChangeSet(context.Background(), root, catalog.DescribeChangeSetInput{Catalog: catalog.Catalog, ChangeSetId: out.ChangeSetId})
	if err != nil || d.Status != catalog.StatusSucceeded {
		t.Fatalf("change set: %v %+v", err, d)
	}
	return s, d.ChangeSet[0].Entity.Identifier
}

// discover sends a signed Discovery request.
func (s *iamServer) discover(t *testing.T, creds sigv4.Credentials, op string, in any) *httptest.ResponseRecorder {
	t.Helper()
	body, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "https://discovery-marketplace.us-east-1.amazonaws.com/2026-02-05/"+op, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if err := sigv4.Sign(r, body, creds, "us-east-1", "aws-marketplace", s.now); err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

var jsonRequestIDs = regexp.MustCompile(`"(RequestId|requestId)":"[^"]*"`)

// TestDiscoveryWireShapes checks Discovery responses and errors on the
// wire against golden files: lower camel case members, epoch-second
// timestamps, the model's statuses (ValidationException 400 with its
// reason, ResourceNotFoundException 404) and x-amzn-ErrorType.
func TestDiscoveryWireShapes(t *testing.T) {
	s, productID := newDiscoveryServer(t)
	steps := []struct {
		name, op string
		in       any
		status   int
	}{
		{"discovery_search_listings", "searchListings", map[string]any{"searchText": "secret", "filters": []any{map[string]any{"filterType": "CATEGORY", "filterValues": []string{"Security"}}}}, 200},
		{"discovery_search_facets", "searchFacets", map[string]any{"facetTypes": []string{"CATEGORY", "PRICING_MODEL"}}, 200},
		{"discovery_get_product", "getProduct", map[string]any{"productId": productID}, 200},
		{"discovery_list_purchase_options", "listPurchaseOptions", map[string]any{"filters": []any{map[string]any{"filterType": "PRODUCT_ID", "filterValues": []string{productID}}}}, 200},
		{"discovery_bad_token", "searchListings", map[string]any{"nextToken": "AAAA"}, 400},
		{"discovery_missing_product", "getProduct", map[string]any{"productId": "prod-missing"}, 404},
	}
	for _, st := range steps {
		w := s.discover(t, s.root, st.op, st.in)
		if w.Code != st.status {
			t.Fatalf("%s: HTTP %d, want %d: %s", st.op, w.Code, st.status, w.Body)
		}
		if st.status != 200 && w.Header().Get("x-amzn-ErrorType") == "" {
			t.Errorf("%s: no x-amzn-ErrorType", st.op)
		}
		w.Body = bytes.NewBufferString(jsonRequestIDs.ReplaceAllString(w.Body.String(), `"$1":"REQUEST-ID"`))
		golden(t, st.name, w)
	}
}

// TestDiscoveryUnknownPath: a path under /2026-02-05/ that names no
// operation is refused, not routed to the Catalog API.
func TestDiscoveryUnknownPath(t *testing.T) {
	s, _ := newDiscoveryServer(t)
	w := s.discover(t, s.root, "deleteListing", map[string]any{})
	if w.Code == 200 || w.Header().Get("x-amzn-ErrorType") == "" {
		t.Fatalf("HTTP %d %s, want an error", w.Code, w.Body)
	}
}

// TestDiscoveryAuthorization: Discovery operations are authorized as
// aws-marketplace:NAME on Discovery's resource types, so that a policy
// scoped as the Discovery API's access control guide and AWS's buyer
// policy scope it (catalog/AWSMarketplace/product/*, listing/*, …, no
// "*") allows them; ListPurchaseOptions needs
// aws-marketplace:ListPrivateListings too (Service Authorization
// Reference, AWS Marketplace Discovery).
func TestDiscoveryAuthorization(t *testing.T) {
	var discoveryResources []string
	for _, typ := range []string{"product", "listing", "offer", "offerSet", "purchaseOption"} {
		discoveryResources = append(discoveryResources, "arn:aws:aws-marketplace:::catalog/AWSMarketplace*/"+typ+"/*")
	}
	s, productID := newDiscoveryServer(t)
	if w := s.call(t, s.root, "CreateUser", form("UserName", "dev")); w.Code != 200 {
		t.Fatal(w.Body)
	}
	w := s.call(t, s.root, "CreateAccessKey", form("UserName", "dev"))
	dev := sigv4.Credentials{
		AccessKeyID:     regexp.MustCompile(`<AccessKeyId>([^<]+)<`).FindStringSubmatch(w.Body.String())[1],
		SecretAccessKey: regexp.MustCompile(`<SecretAccessKey>([^<]+)<`).FindStringSubmatch(w.Body.String())[1],
	}
	allow := func(actions ...string) {
		t.Helper()
		b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": actions,
			"Resource": discoveryResources}}})
		if w := s.call(t, s.root, "PutUserPolicy", form("UserName", "dev", "PolicyName", "discovery", "PolicyDocument", string(b))); w.Code != 200 {
			t.Fatal(w.Body)
		}
	}
	purchase := map[string]any{"filters": []any{map[string]any{"filterType": "PRODUCT_ID", "filterValues": []string{productID}}}}
	for _, step := range []struct {
		name   string
		allow  []string
		op     string
		in     any
		status int
	}{
		{name: "no policy", op: "searchListings", in: map[string]any{}, status: 403},
		{name: "search allowed", allow: []string{"aws-marketplace:SearchListings"}, op: "searchListings", in: map[string]any{}, status: 200},
		{name: "another action", op: "getProduct", in: map[string]any{"productId": productID}, status: 403},
		{name: "product allowed", allow: []string{"aws-marketplace:GetProduct"}, op: "getProduct", in: map[string]any{"productId": productID}, status: 200},
		{name: "purchase options without ListPrivateListings", allow: []string{"aws-marketplace:ListPurchaseOptions"}, op: "listPurchaseOptions", in: purchase, status: 403},
		{name: "purchase options", allow: []string{"aws-marketplace:ListPurchaseOptions", "aws-marketplace:ListPrivateListings"}, op: "listPurchaseOptions", in: purchase, status: 200},
	} {
		if step.allow != nil {
			allow(step.allow...)
		}
		w := s.discover(t, dev, step.op, step.in)
		if w.Code != step.status {
			t.Errorf("%s: HTTP %d, want %d: %s", step.name, w.Code, step.status, w.Body)
		}
		if step.status == 403 && w.Header().Get("x-amzn-ErrorType") == "" {
			t.Errorf("%s: no x-amzn-ErrorType", step.name)
		}
	}
}
