package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"gatehouse/store"
)

// Read accessors for the buying (Marketplace Agreement API) and deploying
// services. They run in the caller's transaction and check no permission.

// AgreementOffer is what buying needs of an offer: its seller, state and
// terms, and the product it sells.
type AgreementOffer struct {
	OfferId string
	// Seller is the account that owns the offer and its product: the
	// proposer of the agreements made from it.
	Seller       string
	Name         string
	State        string // OfferDraft or OfferReleased
	PricingModel string
	// Terms are the offer's terms, each with its term id.
	Terms        []OfferTerm
	ProductId    string
	ProductType  string // SaaSProduct, ContainerProduct or AmiProduct
	ProductTitle string
	// ProductVisibility is the product's Draft, Limited, Public or
	// Restricted.
	ProductVisibility string
}

// OfferTerm is one term of an offer with its id, which agreement requests
// name in RequestedTerms.
type OfferTerm struct {
	Id string
	Term
}

// AgreementProposalID returns the agreement proposal id of an offer: what
// a buyer passes as CreateAgreementRequest's agreementProposalIdentifier
// (and Discovery's GetOffer returns as agreementProposalId). It is the
// offer id with "ap-" for "offer-", so that it matches the Agreement API's
// pattern (at-|ap-)[A-Za-z0-9]+.
func AgreementProposalID(offerID string) string {
	return "ap-" + strings.TrimPrefix(offerID, "offer-")
}

// OfferOfProposal returns the offer id an agreement proposal id names; ok
// is false for a string AgreementProposalID cannot have made.
func OfferOfProposal(proposalID string) (offerID string, ok bool) {
	rest, found := strings.CutPrefix(proposalID, "ap-")
	if !found || rest == "" || strings.ContainsFunc(rest, func(r rune) bool {
		return !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z')
	}) {
		return "", false
	}
	return "offer-" + rest, true
}

// TermID returns the id of the index-th term of an offer: stable while the
// offer's terms keep their order and types, as AWS's term ids are.
func TermID(offerID string, index int, termType string) string {
	sum := sha256.Sum256([]byte(offerID + "/" + strconv.Itoa(index) + "/" + termType))
	return "term-" + hex.EncodeToString(sum[:16])
}

// OfferForAgreement returns an offer and its product; ok is false when no
// offer has the id.
func (s *Service) OfferForAgreement(ctx context.Context, tx store.Tx, offerID string) (o AgreementOffer, ok bool, err error) {
	e, found, err := loadEntity(ctx, tx, offerID)
	if err != nil || !found || e.Type != TypeOffer {
		return o, false, err
	}
	var d OfferDetails
	if err := decodeStored(e, &d); err != nil {
		return o, false, err
	}
	o = AgreementOffer{OfferId: e.Id, Seller: e.Owner, Name: d.Name, State: e.Visibility, PricingModel: d.PricingModel, ProductId: d.ProductId}
	for i, t := range d.Terms {
		o.Terms = append(o.Terms, OfferTerm{Id: TermID(e.Id, i, t.Type), Term: t})
	}
	p, found, err := loadEntity(ctx, tx, d.ProductId)
	if err != nil {
		return o, false, err
	}
	if found {
		o.ProductType, o.ProductTitle, o.ProductVisibility = p.Type, p.Title, p.Visibility
	}
	return o, true, nil
}

// DeployableProduct is what deploying needs of a product: its versions and
// their delivery options.
type DeployableProduct struct {
	ProductId  string
	Type       string
	Title      string
	Visibility string
	Versions   []ProductVersion
}

// ProductForDeployment returns a product with its versions; ok is false
// when no product has the id.
func (s *Service) ProductForDeployment(ctx context.Context, tx store.Tx, productID string) (p DeployableProduct, ok bool, err error) {
	e, found, err := loadEntity(ctx, tx, productID)
	if err != nil || !found || !e.typ().product {
		return p, false, err
	}
	var d ProductDetails
	if err := decodeStored(e, &d); err != nil {
		return p, false, err
	}
	return DeployableProduct{ProductId: e.Id, Type: e.Type, Title: e.Title, Visibility: e.Visibility, Versions: d.Versions}, true, nil
}
