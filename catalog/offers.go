package catalog

import (
	"fmt"
	"regexp"
	"slices"
)

// Offers: Offer@1.0 with the change types AWS documents for public offers
// (Marketplace Catalog API reference, Working with offers): CreateOffer
// makes a Draft offer of one of the seller's products; UpdateInformation
// sets its name and description; UpdatePricingTerms its pricing model and
// pricing terms (free trial, usage-based, configurable or fixed upfront,
// BYOL); UpdateLegalTerms its EULA; UpdateAvailability its end date; and
// ReleaseOffer publishes it once its product is released and it has
// pricing and legal terms.
//
// Where the documentation leaves the pairing of pricing models and terms
// open, Gatehouse requires: Usage — a UsageBasedPricingTerm; Contract — a
// ConfigurableUpfrontPricingTerm or FixedUpfrontPricingTerm; Byol — a
// ByolPricingTerm alone; Free — no priced term, or prices of zero. A
// FreeTrialPricingTerm may accompany Usage and Contract.

// Offer states.
const (
	OfferDraft    = "Draft"
	OfferReleased = "Released"
)

// Pricing models.
const (
	PricingUsage    = "Usage"
	PricingContract = "Contract"
	PricingByol     = "Byol"
	PricingFree     = "Free"
)

// Term types.
const (
	TermFreeTrial           = "FreeTrialPricingTerm"
	TermUsageBased          = "UsageBasedPricingTerm"
	TermConfigurableUpfront = "ConfigurableUpfrontPricingTerm"
	TermFixedUpfront        = "FixedUpfrontPricingTerm"
	TermByol                = "ByolPricingTerm"
	TermLegal               = "LegalTerm"
)

// OfferDetails is an Offer@1.0 entity's DetailsDocument.
type OfferDetails struct {
	ProductId           string
	Name                string `json:",omitempty"`
	Description         string `json:",omitempty"`
	State               string
	ReleaseDate         string `json:",omitempty"`
	AvailabilityEndDate string `json:",omitempty"`
	PricingModel        string `json:",omitempty"`
	// Terms are the pricing terms, then the legal term.
	Terms []Term
}

// Term is one term of an offer; which fields are set depends on Type.
type Term struct {
	Type         string
	CurrencyCode string         `json:",omitempty"`
	Duration     string         `json:",omitempty"`
	Price        string         `json:",omitempty"`
	RateCards    []RateCardItem `json:",omitempty"`
	Grants       []Grant        `json:",omitempty"`
	Documents    []Document     `json:",omitempty"`
}

// RateCardItem is one rate card of a usage-based or configurable upfront
// term.
type RateCardItem struct {
	Selector    *Selector    `json:",omitempty"`
	Constraints *Constraints `json:",omitempty"`
	RateCard    []Rate
}

// Selector picks a rate card, such as a contract duration (Type Duration,
// Value P12M).
type Selector struct {
	Type  string
	Value string
}

// Constraints say how buyers may combine dimensions.
type Constraints struct {
	MultipleDimensionSelection string
	QuantityConfiguration      string
}

// Rate is the price of one dimension.
type Rate struct {
	DimensionKey string
	Price        string
}

// Grant is what a free trial or fixed upfront term grants.
type Grant struct {
	DimensionKey string
	MaxQuantity  *int `json:",omitempty"`
}

// Document is a legal document of a LegalTerm.
type Document struct {
	Type    string
	Url     string `json:",omitempty"`
	Version string `json:",omitempty"`
}

// Change details of the offer change types.
type (
	createOfferDetails struct {
		ProductId *string
		Name      *string
	}
	offerInformationDetails struct {
		Name        *string
		Description *string
	}
	pricingTermsDetails struct {
		PricingModel *string
		Terms        []Term
	}
	legalTermsDetails struct {
		Terms []Term
	}
	availabilityDetails struct {
		AvailabilityEndDate *string
	}
)

var (
	rePrice     = regexp.MustCompile(`^(0|[1-9][0-9]{0,9})(\.[0-9]{1,3})?$`)
	reDays      = regexp.MustCompile(`^P[1-9][0-9]?D$`)
	reMonths    = regexp.MustCompile(`^P[1-9][0-9]?M$`)
	reDimension = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)
	reDate      = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

func offerHandlers() map[string]handler {
	return map[string]handler{
		"CreateOffer":        {creates: true, apply: createOffer},
		"UpdateInformation":  {apply: updateOfferInformation},
		"UpdatePricingTerms": {apply: updatePricingTerms},
		"UpdateLegalTerms":   {apply: updateLegalTerms},
		"UpdateAvailability": {apply: updateAvailability},
		"ReleaseOffer":       {apply: releaseOffer},
	}
}

func createOffer(a *applier, c *change) error {
	var in createOfferDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.requiredText("ProductId", in.ProductId, 1, 255, reEntityID)
	p.text("Name", in.Name, 1, 150)
	if err := p.err(); err != nil {
		return err
	}
	prod, ok, err := a.entity(*in.ProductId)
	if err != nil {
		return err
	}
	if !ok || !prod.typ().product || prod.Owner != a.account {
		return changeError(CodeEntityNotFound, "The product %s was not found among the seller's products.", *in.ProductId)
	}
	e, err := a.create(c.typ)
	if err != nil {
		return err
	}
	c.entity = e
	e.Visibility, e.Parent, e.Title = OfferDraft, prod.Id, deref(in.Name)
	return storeOffer(e, &OfferDetails{ProductId: prod.Id, Name: deref(in.Name), State: OfferDraft, Terms: []Term{}})
}

func storeOffer(e *entityRec, d *OfferDetails) error {
	d.State = e.Visibility
	e.Title, e.ShortDescription = d.Name, d.Description
	return storeDetails(e, d)
}

func offer(c *change, draftOnly bool) (*OfferDetails, error) {
	var d OfferDetails
	if err := decodeStored(c.entity, &d); err != nil {
		return nil, err
	}
	if draftOnly && c.entity.Visibility != OfferDraft {
		return nil, changeError(CodeInvalidState, "The offer %s is %s; this change applies to Draft offers.", c.entity.Id, c.entity.Visibility)
	}
	return &d, nil
}

func updateOfferInformation(a *applier, c *change) error {
	var in offerInformationDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.text("Name", in.Name, 1, 150)
	p.text("Description", in.Description, 1, 255)
	if err := p.err(); err != nil {
		return err
	}
	d, err := offer(c, false)
	if err != nil {
		return err
	}
	setString(&d.Name, in.Name)
	setString(&d.Description, in.Description)
	return storeOffer(c.entity, d)
}

func updatePricingTerms(a *applier, c *change) error {
	var in pricingTermsDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	if in.PricingModel == nil {
		p.addf("PricingModel is required.")
	}
	p.oneOf("PricingModel", in.PricingModel, PricingUsage, PricingContract, PricingByol, PricingFree)
	p.count("Terms", len(in.Terms), in.Terms != nil, true, 1, 5)
	for i, t := range in.Terms {
		checkPricingTerm(&p, fmt.Sprintf("Terms[%d]", i), t)
	}
	if in.PricingModel != nil && len(p.list) == 0 {
		checkPricingModel(&p, *in.PricingModel, in.Terms)
	}
	if err := p.err(); err != nil {
		return err
	}
	d, err := offer(c, true)
	if err != nil {
		return err
	}
	d.PricingModel = *in.PricingModel
	legal := slices.DeleteFunc(slices.Clone(d.Terms), func(t Term) bool { return t.Type != TermLegal })
	d.Terms = append(slices.Clone(in.Terms), legal...)
	return storeOffer(c.entity, d)
}

// checkPricingTerm checks one pricing term's fields for its type.
func checkPricingTerm(p *problems, at string, t Term) {
	checkCurrency := func() {
		if t.CurrencyCode != "USD" {
			p.addf("%s.CurrencyCode must be USD.", at)
		}
	}
	switch t.Type {
	case TermFreeTrial:
		if !reDays.MatchString(t.Duration) {
			p.addf("%s.Duration must be a number of days such as P30D.", at)
		}
		checkGrants(p, at, t.Grants, false)
		noFields(p, at, t.CurrencyCode == "" && t.Price == "" && t.RateCards == nil && t.Documents == nil)
	case TermUsageBased:
		checkCurrency()
		checkRateCards(p, at, t.RateCards, false)
		noFields(p, at, t.Duration == "" && t.Price == "" && t.Grants == nil && t.Documents == nil)
	case TermConfigurableUpfront:
		checkCurrency()
		checkRateCards(p, at, t.RateCards, true)
		noFields(p, at, t.Duration == "" && t.Price == "" && t.Grants == nil && t.Documents == nil)
	case TermFixedUpfront:
		checkCurrency()
		if !reMonths.MatchString(t.Duration) {
			p.addf("%s.Duration must be a number of months such as P12M.", at)
		}
		if !rePrice.MatchString(t.Price) {
			p.addf("%s.Price must be a decimal amount such as 1200.00.", at)
		}
		checkGrants(p, at, t.Grants, true)
		noFields(p, at, t.RateCards == nil && t.Documents == nil)
	case TermByol:
		noFields(p, at, t.CurrencyCode == "" && t.Duration == "" && t.Price == "" && t.RateCards == nil && t.Grants == nil && t.Documents == nil)
	default:
		p.addf("%s.Type %q is not a pricing term type.", at, t.Type)
	}
}

func noFields(p *problems, at string, ok bool) {
	if !ok {
		p.addf("%s has fields its Type does not take.", at)
	}
}

func checkGrants(p *problems, at string, grants []Grant, needQuantity bool) {
	p.count(at+".Grants", len(grants), grants != nil, true, 1, 24)
	for i, g := range grants {
		if !reDimension.MatchString(g.DimensionKey) {
			p.addf("%s.Grants[%d].DimensionKey %q is not valid.", at, i, g.DimensionKey)
		}
		if needQuantity && (g.MaxQuantity == nil || *g.MaxQuantity < 1) {
			p.addf("%s.Grants[%d].MaxQuantity must be at least 1.", at, i)
		}
	}
}

func checkRateCards(p *problems, at string, cards []RateCardItem, upfront bool) {
	p.count(at+".RateCards", len(cards), cards != nil, true, 1, 10)
	for i, rc := range cards {
		rat := fmt.Sprintf("%s.RateCards[%d]", at, i)
		if upfront {
			if rc.Selector == nil || rc.Selector.Type != "Duration" || !reMonths.MatchString(rc.Selector.Value) {
				p.addf("%s.Selector must be {\"Type\":\"Duration\",\"Value\":\"P12M\"} or another number of months.", rat)
			}
			if rc.Constraints == nil || !allowedOrNot(rc.Constraints.MultipleDimensionSelection) || !allowedOrNot(rc.Constraints.QuantityConfiguration) {
				p.addf("%s.Constraints must set MultipleDimensionSelection and QuantityConfiguration to Allowed or Disallowed.", rat)
			}
		} else if rc.Selector != nil || rc.Constraints != nil {
			p.addf("%s: usage-based rate cards take no Selector or Constraints.", rat)
		}
		p.count(rat+".RateCard", len(rc.RateCard), rc.RateCard != nil, true, 1, 24)
		for j, r := range rc.RateCard {
			if !reDimension.MatchString(r.DimensionKey) {
				p.addf("%s.RateCard[%d].DimensionKey %q is not valid.", rat, j, r.DimensionKey)
			}
			if !rePrice.MatchString(r.Price) {
				p.addf("%s.RateCard[%d].Price %q is not a decimal amount.", rat, j, r.Price)
			}
		}
	}
}

func allowedOrNot(s string) bool { return s == "Allowed" || s == "Disallowed" }

// checkPricingModel checks the terms a pricing model needs.
func checkPricingModel(p *problems, model string, terms []Term) {
	has := func(types ...string) bool {
		return slices.ContainsFunc(terms, func(t Term) bool { return slices.Contains(types, t.Type) })
	}
	switch model {
	case PricingUsage:
		if !has(TermUsageBased) || has(TermByol, TermFixedUpfront, TermConfigurableUpfront) {
			p.addf("PricingModel Usage takes a UsageBasedPricingTerm and optionally a FreeTrialPricingTerm.")
		}
	case PricingContract:
		if !has(TermConfigurableUpfront, TermFixedUpfront) || has(TermByol, TermUsageBased) {
			p.addf("PricingModel Contract takes a ConfigurableUpfrontPricingTerm or FixedUpfrontPricingTerm and optionally a FreeTrialPricingTerm.")
		}
	case PricingByol:
		if len(terms) != 1 || terms[0].Type != TermByol {
			p.addf("PricingModel Byol takes a ByolPricingTerm alone.")
		}
	case PricingFree:
		if has(TermByol, TermFreeTrial) || !freeOfCharge(terms) {
			p.addf("PricingModel Free takes terms whose prices are all zero.")
		}
	}
}

// freeOfCharge reports whether every price of the terms is zero.
func freeOfCharge(terms []Term) bool {
	zero := regexp.MustCompile(`^0(\.0{1,3})?$`)
	for _, t := range terms {
		if t.Price != "" && !zero.MatchString(t.Price) {
			return false
		}
		for _, rc := range t.RateCards {
			for _, r := range rc.RateCard {
				if !zero.MatchString(r.Price) {
					return false
				}
			}
		}
	}
	return true
}

// updateLegalTerms sets the offer's LegalTerm: standard documents by
// version, custom ones by URL.
func updateLegalTerms(a *applier, c *change) error {
	var in legalTermsDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.count("Terms", len(in.Terms), in.Terms != nil, true, 1, 1)
	for i, t := range in.Terms {
		at := fmt.Sprintf("Terms[%d]", i)
		if t.Type != TermLegal {
			p.addf("%s.Type must be LegalTerm.", at)
			continue
		}
		noFields(&p, at, t.CurrencyCode == "" && t.Duration == "" && t.Price == "" && t.RateCards == nil && t.Grants == nil)
		p.count(at+".Documents", len(t.Documents), t.Documents != nil, true, 1, 5)
		for j, doc := range t.Documents {
			checkDocument(&p, fmt.Sprintf("%s.Documents[%d]", at, j), doc)
		}
	}
	if err := p.err(); err != nil {
		return err
	}
	d, err := offer(c, true)
	if err != nil {
		return err
	}
	d.Terms = append(slices.DeleteFunc(d.Terms, func(t Term) bool { return t.Type == TermLegal }), in.Terms...)
	return storeOffer(c.entity, d)
}

func checkDocument(p *problems, at string, doc Document) {
	switch doc.Type {
	case "StandardEula", "StandardDsa":
		if doc.Version == "" || doc.Url != "" {
			p.addf("%s: a %s names its Version and no Url.", at, doc.Type)
		}
	case "CustomEula", "CustomDsa", "EnterpriseEula":
		if doc.Url == "" || !reHTTPSURL.MatchString(doc.Url) {
			p.addf("%s: a %s needs the https Url of the document.", at, doc.Type)
		}
	default:
		p.addf("%s.Type %q is not StandardEula, CustomEula, StandardDsa, CustomDsa or EnterpriseEula.", at, doc.Type)
	}
}

func updateAvailability(a *applier, c *change) error {
	var in availabilityDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	var p problems
	p.requiredText("AvailabilityEndDate", in.AvailabilityEndDate, 10, 10, reDate)
	if err := p.err(); err != nil {
		return err
	}
	if *in.AvailabilityEndDate < a.now.Format("2006-01-02") {
		return changeError(CodeInvalidInput, "AvailabilityEndDate %s is in the past.", *in.AvailabilityEndDate)
	}
	d, err := offer(c, false)
	if err != nil {
		return err
	}
	d.AvailabilityEndDate = *in.AvailabilityEndDate
	return storeOffer(c.entity, d)
}

// releaseOffer publishes a Draft offer whose product is released and
// which has pricing and legal terms.
func releaseOffer(a *applier, c *change) error {
	var in emptyDetails
	if err := decodeDetails(c.details, &in); err != nil {
		return err
	}
	d, err := offer(c, true)
	if err != nil {
		return err
	}
	prod, ok, err := a.entity(d.ProductId)
	if err != nil {
		return err
	}
	if !ok || prod.Visibility == VisibilityDraft {
		return changeError(CodeInvalidState, "The offer's product %s is not released; release it with ReleaseProduct first.", d.ProductId)
	}
	if d.PricingModel == "" {
		return changeError(CodeInvalidState, "The offer has no pricing terms; add them with UpdatePricingTerms first.")
	}
	if !slices.ContainsFunc(d.Terms, func(t Term) bool { return t.Type == TermLegal }) {
		return changeError(CodeInvalidState, "The offer has no legal terms; add them with UpdateLegalTerms first.")
	}
	c.entity.Visibility = OfferReleased
	d.ReleaseDate = isoTime(a.now)
	return storeOffer(c.entity, d)
}
