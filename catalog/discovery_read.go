package catalog

import (
	"context"
	"time"

	"gatehouse/store"
)

// Read accessors for the Marketplace Discovery service. They run in the
// caller's transaction and check no permission: discovery decides what a
// buyer may see.

// ProductView is a product as discovery reads it.
type ProductView struct {
	Id string
	// Type is the entity type without version, such as SaaSProduct.
	Type       string
	Owner      string
	Visibility string
	Modified   time.Time
	Details    ProductDetails
}

// OfferView is an offer as discovery reads it.
type OfferView struct {
	Id       string
	Owner    string
	Modified time.Time
	Details  OfferDetails
}

// Product returns a product by id; ok is false when there is none (or
// the id names another type of entity).
func (s *Service) Product(ctx context.Context, tx store.Tx, id string) (p ProductView, ok bool, err error) {
	e, found, err := loadEntity(ctx, tx, id)
	if err != nil || !found || !e.typ().product {
		return p, false, err
	}
	p = ProductView{Id: e.Id, Type: e.Type, Owner: e.Owner, Visibility: e.Visibility, Modified: e.Modified}
	if err := decodeStored(e, &p.Details); err != nil {
		return p, false, err
	}
	return p, true, nil
}

// Offer returns an offer by id; ok is false when there is none.
func (s *Service) Offer(ctx context.Context, tx store.Tx, id string) (o OfferView, ok bool, err error) {
	e, found, err := loadEntity(ctx, tx, id)
	if err != nil || !found || e.Type != TypeOffer {
		return o, false, err
	}
	return offerView(e)
}

func offerView(e *entityRec) (OfferView, bool, error) {
	o := OfferView{Id: e.Id, Owner: e.Owner, Modified: e.Modified}
	if err := decodeStored(e, &o.Details); err != nil {
		return o, false, err
	}
	return o, true, nil
}

// Offers returns the offers of a product, or of every product when
// productID is "", ordered by id.
func (s *Service) Offers(ctx context.Context, tx store.Tx, productID string) ([]OfferView, error) {
	recs, err := store.List[entityRec](ctx, tx, store.Query{Kind: entityTypes[TypeOffer].kind(), Name: productID})
	if err != nil {
		return nil, err
	}
	out := make([]OfferView, 0, len(recs))
	for i := range recs {
		o, _, err := offerView(&recs[i])
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// AllowedProducts returns the products an account may see and buy when
// an enabled Private Marketplace experience governs it: governed is
// true, experience names the experience and ids are the products its
// procurement policies allow. governed is false when no enabled
// experience governs the account, which may then see every product.
func (s *Service) AllowedProducts(ctx context.Context, tx store.Tx, account string) (ids []string, governed bool, experience string, err error) {
	g, ok, err := s.GoverningExperience(ctx, tx, account)
	if err != nil || !ok || !g.Enabled {
		return nil, false, "", err
	}
	e, found, err := loadEntity(ctx, tx, g.ExperienceId)
	if err != nil {
		return nil, true, g.ExperienceId, err
	}
	if !found {
		return []string{}, true, g.ExperienceId, nil
	}
	ids, err = s.allowedProducts(ctx, tx, e)
	if ids == nil {
		ids = []string{}
	}
	return ids, true, g.ExperienceId, err
}
