package catalog

import (
	"context"
	"fmt"
	"slices"

	"gatehouse/store"
)

// SeedProduct is a released product written by Seed.
type SeedProduct struct {
	// Type is TypeSaaSProduct, TypeContainerProduct or TypeAmiProduct.
	Type  string
	Owner string
	// Visibility is VisibilityPublic when empty.
	Visibility       string
	Title            string
	ShortDescription string
	LongDescription  string
	Categories       []string
	Keywords         []string
	LogoUrl          string
	// FulfillmentUrl is a SaaS product's registration page.
	FulfillmentUrl string
}

// Seed writes released products straight into the catalog in tx,
// indexed for search as change sets would leave them, and returns their
// ids. It skips the change sets' validation and history, so it is meant
// for generated catalogs (tests and benchmarks at scale), not for
// sellers' data; it checks no permission.
func (s *Service) Seed(ctx context.Context, tx store.Tx, products []SeedProduct) ([]string, error) {
	sr, err := store.SearcherOf(tx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	ids := make([]string, 0, len(products))
	for _, p := range products {
		t, ok := entityTypes[p.Type]
		if !ok || !t.product {
			return nil, fmt.Errorf("catalog: seed: %q is not a product type", p.Type)
		}
		id, err := newID(s.rand(), t.prefix, 13)
		if err != nil {
			return nil, err
		}
		code, err := newID(s.rand(), "", 25)
		if err != nil {
			return nil, err
		}
		e := &entityRec{Id: id, Type: t.name, Owner: p.Owner, Created: now, Modified: now, Revision: 1, Visibility: p.Visibility}
		if e.Visibility == "" {
			e.Visibility = VisibilityPublic
		}
		d := ProductDetails{
			Description: ProductDescription{ProductTitle: p.Title, ProductCode: code, ShortDescription: p.ShortDescription,
				LongDescription: p.LongDescription, Highlights: []string{}, SearchKeywords: slices.Clone(p.Keywords), Categories: slices.Clone(p.Categories)},
			PromotionalResources: PromotionalResources{LogoUrl: p.LogoUrl, Videos: []Video{}, AdditionalResources: []AdditionalResource{}},
			Versions:             []ProductVersion{},
		}
		if p.FulfillmentUrl != "" {
			d.Versions = []ProductVersion{{Id: "version-saas", CreationDate: isoTime(now), DeliveryOptions: []DeliveryOption{
				{Id: "do-" + id[len(t.prefix):], Type: "SaaSUrl", Visibility: VisibilityLimited, FulfillmentUrl: p.FulfillmentUrl}}}}
		}
		if err := storeProduct(e, &d); err != nil {
			return nil, err
		}
		// putEntity without the search for offers a new product lacks.
		if err := store.Put(ctx, tx, e.record(), e); err != nil {
			return nil, err
		}
		if err := store.Put(ctx, tx, store.Record{Kind: kindIndex, ID: e.Id}, &indexRec{Type: e.Type}); err != nil {
			return nil, err
		}
		if err := sr.Index(ctx, productDocument(e, nil)); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}
