package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/marketplaceagreement"
	"github.com/aws/aws-sdk-go-v2/service/marketplaceagreement/schemas"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/traits"
	"github.com/fxamacker/cbor/v2"

	"gatehouse/agreement"
	"gatehouse/awsapi"
	"gatehouse/awserr"
)

// TestAgreementCBORMatchesModel checks the Agreement API's CBOR protocol
// against the service's Smithy model as aws-sdk-go-v2 carries it: the
// service name routed in the path, the namespace of __type, and the status
// of every error shape ("If the httpError trait is set on the error
// shape, its value is used").
func TestAgreementCBORMatchesModel(t *testing.T) {
	id := schemas.AWSMPCommerceService_v20200301.Schema.ID()
	if agreementCBOR.service != id.Name || agreementCBOR.wire.Namespace != id.Namespace {
		t.Errorf("protocol serves %s#%s, the model is %s", agreementCBOR.wire.Namespace, agreementCBOR.service, id)
	}
	modeled := map[string]int{}
	for name, e := range marketplaceagreement.TypeRegistry.Entries {
		ns, code, _ := strings.Cut(name, "#")
		if ns != id.Namespace {
			continue
		}
		status := 400
		if h, ok := smithy.SchemaTrait[*traits.HTTPError](e.Schema); ok {
			status = h.Code
		}
		modeled[code] = status
	}
	if !reflect.DeepEqual(agreementCBOR.wire.Errors, modeled) {
		t.Errorf("errors %v, the model's %v", agreementCBOR.wire.Errors, modeled)
	}
}

// TestCBOROperation checks how requests are claimed, after the protocol's
// "Identification for claiming" and "Requests" sections.
func TestCBOROperation(t *testing.T) {
	const path = "/service/AWSMPCommerceService_v20200301/operation/DescribeAgreement"
	tests := []struct {
		name, method, path string
		header             map[string]string
		body               string
		want, wantCode     string
	}{
		{name: "claimed", path: path, want: "DescribeAgreement"},
		{name: "empty body needs no Content-Type", path: path, body: "-", want: "DescribeAgreement"},
		{name: "a prefix before the last four segments", path: "/v1" + path, want: "DescribeAgreement"},
		{name: "absolute service shape ID", path: "/service/com.amazonaws.marketplaceagreement.AWSMPCommerceService_v20200301/operation/DescribeAgreement", want: "DescribeAgreement"},
		{name: "Content-Type parameters", path: path, header: map[string]string{"Content-Type": "application/cbor; charset=binary"}, want: "DescribeAgreement"},
		{name: "another service", path: "/service/Other/operation/DescribeAgreement", wantCode: "UnknownOperationException"},
		{name: "absolute operation shape ID", path: "/service/AWSMPCommerceService_v20200301/operation/com.amazonaws.marketplaceagreement#DescribeAgreement", wantCode: "UnknownOperationException"},
		{name: "not POST", method: "GET", path: path, wantCode: "UnknownOperationException"},
		{name: "no Smithy-Protocol", path: path, header: map[string]string{"Smithy-Protocol": ""}, wantCode: "UnknownOperationException"},
		{name: "another Smithy-Protocol", path: path, header: map[string]string{"Smithy-Protocol": "rpc-v2-json"}, wantCode: "UnknownOperationException"},
		{name: "X-Amz-Target", path: path, header: map[string]string{"X-Amz-Target": "AWSMPCommerceService_v20200301.CancelAgreement"}, wantCode: "SerializationException"},
		{name: "X-Amzn-Target", path: path, header: map[string]string{"X-Amzn-Target": "x"}, wantCode: "SerializationException"},
		{name: "JSON body", path: path, header: map[string]string{"Content-Type": "application/x-amz-json-1.0"}, wantCode: "SerializationException"},
		{name: "short path", path: "/operation/DescribeAgreement", wantCode: "UnknownOperationException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method := tt.method
			if method == "" {
				method = "POST"
			}
			body := []byte{0xa0}
			if tt.body == "-" {
				body = nil
			}
			r := httptest.NewRequest(method, tt.path, bytes.NewReader(body))
			r.Header.Set("Smithy-Protocol", "rpc-v2-cbor")
			if body != nil {
				r.Header.Set("Content-Type", "application/cbor")
			}
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			got, err := agreementCBOR.operation(r, body)
			if tt.wantCode != "" {
				if e := awserr.As(err); err == nil || e.Code != tt.wantCode {
					t.Fatalf("got %q, %v; want %s", got, err, tt.wantCode)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %s", got, err, tt.want)
			}
		})
	}
}

// TestMarketplacePicksCBOR: requests shaped as rpcv2Cbor go to the
// Agreement API's CBOR protocol, JSON 1.0 requests (X-Amz-Target) to its
// JSON protocol, and the rest to the Catalog and Deployment APIs.
func TestMarketplacePicksCBOR(t *testing.T) {
	m := services["aws-marketplace"].proto.(marketplaceProtocol)
	tests := []struct {
		name, path string
		header     map[string]string
		want       protocol
	}{
		{name: "rpcv2Cbor", path: "/service/AWSMPCommerceService_v20200301/operation/CancelAgreement", header: map[string]string{"Smithy-Protocol": "rpc-v2-cbor"}, want: agreementCBOR},
		{name: "rpcv2Cbor path with a target is CBOR's to refuse", path: "/service/AWSMPCommerceService_v20200301/operation/CancelAgreement", header: map[string]string{"X-Amz-Target": "AWSMPCommerceService_v20200301.CancelAgreement"}, want: agreementCBOR},
		{name: "JSON 1.0", path: "/", header: map[string]string{"X-Amz-Target": "AWSMPCommerceService_v20200301.CancelAgreement"}, want: agreementProtocol},
		{name: "Catalog", path: "/StartChangeSet", want: catalogProtocol},
		{name: "Deployment", path: "/deployments", want: deploymentProtocol},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", tt.path, nil)
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			if got := m.pick(r); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("picked %T", got)
			}
		})
	}
}

// fromCBOR decodes a CBOR body into the tree encoding/json gives for the
// same value: timestamps as epoch seconds, numbers as float64.
func fromCBOR(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := cbor.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return jsonTree(t, v)
}

func jsonTree(t *testing.T, v any) any {
	switch x := v.(type) {
	case time.Time:
		return float64(x.Round(time.Millisecond).UnixMilli()) / 1000
	case uint64:
		return float64(x)
	case int64:
		return float64(x)
	case []any:
		for i := range x {
			x[i] = jsonTree(t, x[i])
		}
		return x
	case map[any]any:
		m := map[string]any{}
		for k, e := range x {
			m[k.(string)] = jsonTree(t, e)
		}
		return m
	}
	return v
}

// TestWireTreeMatchesWireJSON: the CBOR protocol sends the members the
// JSON protocols send, under the same names, for the Agreement API's
// outputs and for the shapes wireJSON's own test uses.
func TestWireTreeMatchesWireJSON(t *testing.T) {
	at := time.Date(2026, 11, 25, 12, 0, 0, 123_000_000, time.UTC)
	n := 3
	type inner struct {
		Id   string
		When time.Time
	}
	type value struct {
		Name     string
		Empty    string
		Count    int32
		Optional *string
		Joined   time.Time
		Zero     time.Time
		Items    []inner
		NoItems  []inner
		Tags     map[string]string
		Ratio    float64
		On       bool
		Raw      json.RawMessage
	}
	values := []any{
		value{Name: "seed", Count: 3, Joined: at, Items: []inner{{Id: "ou-ab12-cdefghij", When: time.Unix(1, 0)}}, Tags: map[string]string{"a": "b"},
			Ratio: 0.25, On: true, Raw: json.RawMessage(`{"k":[1,2.5,"x"]}`)},
		agreement.DescribeAgreementOutput{AgreementId: "agmt-1", Acceptor: &agreement.Party{AccountId: "111122223333"}, StartTime: at, EndTime: at.AddDate(1, 0, 0),
			AcceptanceTime: at, AgreementType: agreement.TypePurchaseAgreement, EstimatedCharges: &agreement.EstimatedCharges{CurrencyCode: "USD", AgreementValue: "325"},
			ProposalSummary: &agreement.ProposalSummary{OfferId: "offer-1", Resources: []agreement.Resource{{Id: "prod-1", Type: "SaaSProduct"}}}, Status: agreement.StatusActive},
		agreement.GetAgreementTermsOutput{AcceptedTerms: []agreement.AcceptedTerm{
			{LegalTerm: &agreement.LegalTerm{Type: "LegalTerm", Id: "term-1", Documents: []agreement.DocumentItem{{Type: "StandardEula", Version: "2022-07-14"}}}},
			{FreeTrialPricingTerm: &agreement.FreeTrialPricingTerm{Type: "FreeTrialPricingTerm", Grants: []agreement.GrantItem{{DimensionKey: "users", MaxQuantity: &n}}}},
		}, NextToken: "tok"},
		agreement.CreateAgreementRequestOutput{AgreementRequestId: "ar-1", ChargeSummary: &agreement.ChargeSummary{CurrencyCode: "USD", NewAgreementValue: "37.5",
			ExpectedCharges: []agreement.ExpectedCharge{{Id: "ch-1", Time: at, Amount: "37.5", Timing: "ON_ACCEPTANCE"}},
			ItemizedCharges: []agreement.ItemizedCharge{{DimensionKey: "users", NewQuantity: &n}}}},
		agreement.CancelAgreementOutput{},
	}
	for _, camel := range []bool{false, true} {
		for _, v := range values {
			t.Run(fmt.Sprintf("%T camel=%v", v, camel), func(t *testing.T) {
				js, err := encodeJSON(v, camel, false)
				if err != nil {
					t.Fatal(err)
				}
				var want any
				if err := json.Unmarshal(js, &want); err != nil {
					t.Fatal(err)
				}
				tree, err := wireTree(v, camel)
				if err != nil {
					t.Fatal(err)
				}
				b, err := awsapi.MarshalCBOR(tree)
				if err != nil {
					t.Fatal(err)
				}
				if got := fromCBOR(t, b); !reflect.DeepEqual(got, want) {
					t.Errorf("CBOR %v\nJSON %v", got, want)
				}
			})
		}
	}
}

func TestWireTree(t *testing.T) {
	if v, err := wireTree(nil, true); v != nil || err != nil {
		t.Errorf("nil = %v, %v", v, err)
	}
	if _, err := wireTree(struct{ F func() }{func() {}}, true); err == nil {
		t.Error("a func member encoded")
	}
	if _, err := wireTree(map[int]string{1: "a"}, true); err == nil {
		t.Error("an int-keyed map encoded")
	}
	v, err := wireTree(struct{ Blob []byte }{[]byte("hi")}, true)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := awsapi.MarshalCBOR(v)
	if want := "a164626c6f62426869"; fmt.Sprintf("%x", b) != want {
		t.Errorf("blob = %x, want byte string %s", b, want)
	}
}

// FuzzAgreementCBORInput decodes request bodies into every Agreement
// operation's input: no body panics, every failure is
// SerializationException, and what decodes encodes again for the audit
// record and the wire.
func FuzzAgreementCBORInput(f *testing.F) {
	ops := (&Server{deps: Deps{Agreements: &agreement.Service{}}}).agreementOperations()
	seeds := []any{
		map[string]any{"clientToken": "buy-1", "intent": "NEW", "agreementProposalIdentifier": "ap-1", "requestedTerms": []any{
			map[string]any{"id": "term-1", "configuration": map[string]any{"configurableUpfrontPricingTermConfiguration": map[string]any{
				"selectorValue": "P12M", "dimensions": []any{map[string]any{"dimensionKey": "users", "dimensionValue": 3}}}}},
			map[string]any{"id": "term-2", "configuration": map[string]any{"renewalTermConfiguration": map[string]any{"enableAutoRenew": true}}}}},
		map[string]any{"agreementRequestId": "ar-1", "purchaseOrders": []any{map[string]any{"chargeId": "ch-1", "chargeRevision": 2, "purchaseOrderReference": "PO-1"}}},
		map[string]any{"catalog": "AWSMarketplace", "filters": []any{map[string]any{"name": "PartyType", "values": []string{"Acceptor"}}},
			"sort": map[string]any{"sortBy": "EndTime", "sortOrder": "DESCENDING"}, "maxResults": 10, "nextToken": "t"},
		map[string]any{"agreementId": "agmt-1", "maxResults": -1},
		map[string]any{"maxResults": uint64(1) << 63},
		map[string]any{"requestedTerms": []any{map[string]any{"configuration": map[string]any{"variablePaymentTermConfiguration": nil}}}},
	}
	for i, s := range seeds {
		b, err := cbor.Marshal(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), b)
	}
	f.Add(uint8(0), []byte{0xbf, 0x66, 'i', 'n', 't', 'e', 'n', 't', 0x7f, 0x61, 'N', 0x62, 'E', 'W', 0xff, 0xff})
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		op := ops[int(which)%len(ops)]
		in := op.newInput()
		if err := awsapi.DecodeCBOR(body, in); err != nil {
			if e := awserr.As(err); e.Code != awserr.ErrSerializationException.Code {
				t.Fatalf("%s: %v is not SerializationException", op.Name, err)
			}
			return
		}
		if _, err := auditJSON(in); err != nil {
			t.Fatalf("%s: audit: %v", op.Name, err)
		}
		tree, err := wireTree(in, true)
		if err != nil {
			t.Fatalf("%s: tree: %v", op.Name, err)
		}
		if _, err := awsapi.MarshalCBOR(tree); err != nil {
			t.Fatalf("%s: encode: %v", op.Name, err)
		}
	})
}
