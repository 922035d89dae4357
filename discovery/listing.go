package discovery

import (
	"context"
	"slices"
	"strings"

	"gatehouse/catalog"
	"gatehouse/principal"
	"gatehouse/store"
)

// Display names of the model's enumerations.
var (
	fulfillmentNames = map[string]string{
		"SAAS":                 "SaaS",
		"CONTAINER":            "Container",
		"AMAZON_MACHINE_IMAGE": "Amazon Machine Image",
	}
	pricingNames = map[string]string{
		"USAGE":    "Usage-based",
		"CONTRACT": "Contract",
		"BYOL":     "Bring Your Own License",
		"FREE":     "Free",
	}
)

// listing is a product with its released offers, as the listing
// operations show it.
type listing struct {
	product catalog.ProductView
	offers  []catalog.OfferView
}

// loadListing reads a product's released offers.
func (s *Service) loadListing(ctx context.Context, tx store.Tx, p catalog.ProductView) (*listing, error) {
	offers, err := s.Catalog.Offers(ctx, tx, p.Id)
	if err != nil {
		return nil, err
	}
	offers = slices.DeleteFunc(offers, func(o catalog.OfferView) bool { return o.Details.State != catalog.OfferReleased })
	return &listing{product: p, offers: offers}, nil
}

func seller(account string) SellerInformation {
	return SellerInformation{SellerProfileId: account, DisplayName: account}
}

func (l *listing) productInfo() ProductInformation {
	return ProductInformation{ProductId: l.product.Id, ProductName: l.product.Details.Description.ProductTitle, Manufacturer: seller(l.product.Owner)}
}

func (l *listing) categories() []Category {
	out := []Category{}
	for _, c := range l.product.Details.Description.Categories {
		out = append(out, Category{CategoryId: c, DisplayName: c})
	}
	return out
}

func (l *listing) fulfillment() []FulfillmentOptionSummary {
	t := catalog.FulfillmentTypes[l.product.Type]
	return []FulfillmentOptionSummary{{FulfillmentOptionType: t, DisplayName: fulfillmentNames[t]}}
}

func (l *listing) pricingModels() []PricingModel {
	var types []string
	for _, o := range l.offers {
		if o.Details.PricingModel != "" {
			types = append(types, strings.ToUpper(o.Details.PricingModel))
		}
	}
	slices.Sort(types)
	out := []PricingModel{}
	for _, t := range slices.Compact(types) {
		out = append(out, PricingModel{PricingModelType: t, DisplayName: pricingNames[t]})
	}
	return out
}

func (l *listing) badges() []ListingBadge {
	for _, o := range l.offers {
		for _, t := range o.Details.Terms {
			if t.Type == catalog.TermFreeTrial {
				return []ListingBadge{{DisplayName: "Free Trial", BadgeType: "FREE_TRIAL"}}
			}
		}
	}
	return []ListingBadge{}
}

func (l *listing) summary() ListingSummary {
	d := l.product.Details
	info := l.productInfo()
	return ListingSummary{
		ListingId: ListingID(l.product.Id), ListingName: d.Description.ProductTitle, Publisher: seller(l.product.Owner),
		Catalog: catalog.Catalog, ShortDescription: d.Description.ShortDescription, LogoThumbnailUrl: d.PromotionalResources.LogoUrl,
		Categories: l.categories(), FulfillmentOptionSummaries: l.fulfillment(), Badges: l.badges(),
		ReviewSummary: ReviewSummary{ReviewSourceSummaries: []ReviewSourceSummary{}}, PricingModels: l.pricingModels(),
		PricingUnits: []PricingUnit{}, AssociatedEntities: []ListingSummaryAssociatedEntity{{Product: &info}},
	}
}

func (l *listing) promotionalMedia() []PromotionalMedia {
	out := []PromotionalMedia{}
	for _, v := range l.product.Details.PromotionalResources.Videos {
		title := v.Title
		if title == "" {
			title = l.product.Details.Description.ProductTitle
		}
		logo := l.product.Details.PromotionalResources.LogoUrl
		out = append(out, PromotionalMedia{EmbeddedVideo: &PromotionalEmbeddedVideo{Title: title, Url: v.Url, Preview: logo, Thumbnail: logo}})
	}
	return out
}

func (l *listing) resources() []Resource {
	out := []Resource{}
	for _, r := range l.product.Details.PromotionalResources.AdditionalResources {
		out = append(out, Resource{ResourceType: "MANUFACTURER_INSTRUCTIONS", ContentType: "LINK", Value: r.Url, DisplayName: r.Text})
	}
	if s := l.product.Details.SupportInformation.Description; s != "" {
		out = append(out, Resource{ResourceType: "MANUFACTURER_SUPPORT", ContentType: "OTHER", Value: s})
	}
	return out
}

func highlights(d catalog.ProductDetails) []string {
	if d.Description.Highlights == nil {
		return []string{}
	}
	return d.Description.Highlights
}

// GetListing describes a listing the caller may see.
func (s *Service) GetListing(ctx context.Context, caller *principal.Caller, in GetListingInput) (GetListingOutput, error) {
	var out GetListingOutput
	if err := checkID("listingId", in.ListingId); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		v, err := s.viewerOf(ctx, tx, caller)
		if err != nil {
			return err
		}
		p, err := s.product(ctx, tx, v, ProductID(in.ListingId))
		if err != nil {
			return errNotFound("The listing %s was not found.", in.ListingId)
		}
		l, err := s.loadListing(ctx, tx, p)
		if err != nil {
			return err
		}
		d := p.Details
		info := l.productInfo()
		entities := []ListingAssociatedEntity{{Product: &info}}
		for _, o := range l.offers {
			entities = append(entities, ListingAssociatedEntity{Offer: &OfferInformation{OfferId: o.Id, OfferName: o.Details.Name, SellerOfRecord: seller(o.Owner)}})
		}
		out = GetListingOutput{
			AssociatedEntities: entities, Badges: l.badges(), Catalog: catalog.Catalog, Categories: l.categories(),
			FulfillmentOptionSummaries: l.fulfillment(), Highlights: highlights(d), ListingId: ListingID(p.Id),
			ListingName: d.Description.ProductTitle, LogoThumbnailUrl: d.PromotionalResources.LogoUrl,
			LongDescription: d.Description.LongDescription, PricingModels: l.pricingModels(), PricingUnits: []PricingUnit{},
			PromotionalMedia: l.promotionalMedia(), Publisher: seller(p.Owner), Resources: l.resources(),
			SellerEngagements: []SellerEngagement{}, ShortDescription: d.Description.ShortDescription, UseCases: []UseCaseEntry{},
		}
		return nil
	})
	return out, err
}

// GetProduct describes a product the caller may see.
func (s *Service) GetProduct(ctx context.Context, caller *principal.Caller, in GetProductInput) (GetProductOutput, error) {
	var out GetProductOutput
	if err := checkID("productId", in.ProductId); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		v, err := s.viewerOf(ctx, tx, caller)
		if err != nil {
			return err
		}
		p, err := s.product(ctx, tx, v, in.ProductId)
		if err != nil {
			return err
		}
		l := &listing{product: p}
		d := p.Details
		out = GetProductOutput{
			ProductId: p.Id, Catalog: catalog.Catalog, ProductName: d.Description.ProductTitle, DeployedOnAws: catalog.DeployedNotApplicable,
			ShortDescription: d.Description.ShortDescription, LongDescription: d.Description.LongDescription, Manufacturer: seller(p.Owner),
			LogoThumbnailUrl: d.PromotionalResources.LogoUrl, FulfillmentOptionSummaries: l.fulfillment(), Categories: l.categories(),
			Highlights: highlights(d), PromotionalMedia: l.promotionalMedia(), Resources: l.resources(), SellerEngagements: []SellerEngagement{},
		}
		return nil
	})
	return out, err
}
