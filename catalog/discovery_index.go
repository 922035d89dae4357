package catalog

import (
	"context"
	"slices"
	"strings"

	"gatehouse/store"
)

// Search documents: products and offers are indexed for full-text search
// (store.Searcher) whenever putEntity writes them, in the same
// transaction, so discovery finds exactly what the catalog holds.
const (
	// SearchKindProduct is the search document kind of products of every
	// product type.
	SearchKindProduct = "catalog.product"
	// SearchKindOffer is the search document kind of offers.
	SearchKindOffer = "catalog.offer"
)

// Attributes of product search documents.
const (
	// AttrCategory holds the product's categories.
	AttrCategory = "category"
	// AttrPublisher holds the seller's account id.
	AttrPublisher = "publisher"
	// AttrFulfillment holds the Discovery API's fulfillment option type:
	// SAAS, CONTAINER or AMAZON_MACHINE_IMAGE.
	AttrFulfillment = "fulfillment"
	// AttrPricing holds the Discovery API's pricing model types (USAGE,
	// CONTRACT, BYOL, FREE) of the product's released offers.
	AttrPricing = "pricing"
	// AttrProduct holds an offer's product id.
	AttrProduct = "product"
)

// DeployedNotApplicable is the Discovery API's DeployedOnAwsStatus of
// every product: Gatehouse runs no product for its buyers.
const DeployedNotApplicable = "NOT_APPLICABLE"

// FulfillmentTypes maps product entity types to the Discovery API's
// fulfillment option types.
var FulfillmentTypes = map[string]string{
	TypeSaaSProduct:      "SAAS",
	TypeContainerProduct: "CONTAINER",
	TypeAmiProduct:       "AMAZON_MACHINE_IMAGE",
}

// indexEntity updates the search index for an entity just written: a
// product's document, or an offer's and its product's (whose pricing
// models the offer changes). Other entities are not searched.
func indexEntity(ctx context.Context, tx store.Tx, e *entityRec) error {
	t := e.typ()
	if t == nil || (!t.product && e.Type != TypeOffer) {
		return nil
	}
	sr, err := store.SearcherOf(tx)
	if err != nil {
		return err
	}
	if t.product {
		return indexProduct(ctx, tx, sr, e)
	}
	if err := sr.Index(ctx, offerDocument(e)); err != nil {
		return err
	}
	prod, ok, err := loadEntity(ctx, tx, e.Parent)
	if err != nil || !ok {
		return err
	}
	return indexProduct(ctx, tx, sr, prod)
}

func indexProduct(ctx context.Context, tx store.Tx, sr store.Searcher, e *entityRec) error {
	offers, err := store.List[entityRec](ctx, tx, store.Query{Kind: entityTypes[TypeOffer].kind(), Name: e.Id})
	if err != nil {
		return err
	}
	return sr.Index(ctx, productDocument(e, offers))
}

// productDocument is the search document of a product with its offers.
func productDocument(e *entityRec, offers []entityRec) store.Document {
	var pricing []string
	for _, o := range offers {
		var d OfferDetails
		if o.Visibility != OfferReleased || decodeStored(&o, &d) != nil || d.PricingModel == "" {
			continue
		}
		pricing = append(pricing, strings.ToUpper(d.PricingModel))
	}
	slices.Sort(pricing)
	// Every account finds a Public product; the owner alone finds its
	// product in the other visibilities.
	scope := e.Owner
	if e.Visibility == VisibilityPublic {
		scope = ""
	}
	return store.Document{
		Kind: SearchKindProduct, ID: e.Id, Scope: scope,
		Title: e.Title, ShortDescription: e.ShortDescription, LongDescription: e.LongDescription,
		Categories: e.Categories, Keywords: e.Keywords,
		Attributes: map[string][]string{
			AttrCategory:    e.Categories,
			AttrPublisher:   {e.Owner},
			AttrFulfillment: {FulfillmentTypes[e.Type]},
			AttrPricing:     slices.Compact(pricing),
		},
	}
}

func offerDocument(e *entityRec) store.Document {
	return store.Document{
		Kind: SearchKindOffer, ID: e.Id, Title: e.Title, ShortDescription: e.ShortDescription,
		Attributes: map[string][]string{AttrProduct: {e.Parent}, AttrPublisher: {e.Owner}},
	}
}
