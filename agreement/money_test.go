package agreement

import (
	"testing"
	"time"

	"gatehouse/awserr"
	"gatehouse/catalog"
)

func TestPrices(t *testing.T) {
	for _, c := range []struct {
		in   string
		ok   bool
		back string
	}{
		{in: "0", ok: true, back: "0"},
		{in: "12.5", ok: true, back: "12.5"},
		{in: "0.001", ok: true, back: "0.001"},
		{in: "100.250", ok: true, back: "100.25"},
		{in: "1.0001", ok: false},
		{in: "-1", ok: false},
		{in: ".5", ok: false},
		{in: "1e3", ok: false},
	} {
		m, ok := parsePrice(c.in)
		if ok != c.ok || (ok && formatPrice(m) != c.back) {
			t.Errorf("parsePrice(%q) = %d, %v; formatted %q", c.in, m, ok, formatPrice(m))
		}
	}
}

func TestAddDuration(t *testing.T) {
	start := time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{in: "P30D", want: start.AddDate(0, 0, 30), ok: true},
		{in: "P12M", want: start.AddDate(0, 12, 0), ok: true},
		{in: "P1Y", want: start.AddDate(1, 0, 0), ok: true},
		{in: "P0M"},
		{in: "PT1H"},
		{in: "12M"},
	} {
		got, ok := addDuration(start, c.in)
		if ok != c.ok || (ok && !got.Equal(c.want)) {
			t.Errorf("addDuration(%q) = %v, %v", c.in, got, ok)
		}
	}
}

// TestProposalIDs: an agreement proposal id matches the model's pattern
// (at-|ap-)[A-Za-z0-9]+ and names its offer again.
func TestProposalIDs(t *testing.T) {
	p := catalog.AgreementProposalID("offer-abc123def456g")
	if p != "ap-abc123def456g" {
		t.Fatalf("proposal = %q", p)
	}
	if o, ok := catalog.OfferOfProposal(p); !ok || o != "offer-abc123def456g" {
		t.Errorf("offer = %q, %v", o, ok)
	}
	for _, bad := range []string{"at-abc", "ap-", "ap-ABC", "offer-abc", "ap-a/b"} {
		if _, ok := catalog.OfferOfProposal(bad); ok {
			t.Errorf("OfferOfProposal(%q) accepted", bad)
		}
	}
}

// TestSearchValidation: SearchAgreements' filters, sort and catalog are
// checked with the model's validation reasons.
func TestSearchValidation(t *testing.T) {
	f := func(name string, values ...string) []Filter { return []Filter{{Name: name, Values: values}} }
	for _, c := range []struct {
		name   string
		in     SearchAgreementsInput
		reason string
	}{
		{name: "catalog", in: SearchAgreementsInput{Catalog: "Other"}, reason: ReasonInvalidCatalog},
		{name: "sort by", in: SearchAgreementsInput{Sort: &Sort{SortBy: "StartTime"}}, reason: ReasonInvalidSortBy},
		{name: "sort order", in: SearchAgreementsInput{Sort: &Sort{SortOrder: "UP"}}, reason: ReasonInvalidSortOrder},
		{name: "filter name", in: SearchAgreementsInput{Filters: f("Colour", "red")}, reason: ReasonInvalidFilterName},
		{name: "two values", in: SearchAgreementsInput{Filters: f("Status", "ACTIVE", "CANCELLED")}, reason: ReasonMissingFilterValues},
		{name: "party", in: SearchAgreementsInput{Filters: f("PartyType", "Buyer")}, reason: ReasonInvalidPartyType},
		{name: "agreement type", in: SearchAgreementsInput{Filters: f("AgreementType", "VendorInsightsAgreement")}, reason: ReasonInvalidAgreementType},
		{name: "end time", in: SearchAgreementsInput{Filters: f("BeforeEndTime", "tomorrow")}, reason: ReasonInvalidFilterValues},
		{name: "value pattern", in: SearchAgreementsInput{Filters: f("OfferId", "offer 1")}, reason: ReasonInvalidFilterValues},
	} {
		_, err := parseSearch(&c.in)
		e := awserr.As(err)
		if reason, _ := e.Field("reason"); e.Code != "ValidationException" || reason != c.reason {
			t.Errorf("%s: %v (reason %v), want %s", c.name, err, reason, c.reason)
		}
	}
	q, err := parseSearch(&SearchAgreementsInput{Filters: append(f("PartyType", "Proposer"), Filter{Name: "AfterEndTime", Values: []string{"2026-01-01T00:00:00Z"}})})
	if err != nil || q.party != PartyProposer || len(q.match) != 1 || !q.desc {
		t.Errorf("query = %+v, %v", q, err)
	}
}
