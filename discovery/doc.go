// Package discovery is the AWS Marketplace Discovery API (2026-02-05):
// how buyers find products and what they may buy. SearchListings and
// SearchFacets search the catalog's products in full text through the
// store's search index; GetListing, GetProduct and ListFulfillmentOptions
// describe one product; GetOffer, GetOfferTerms, GetOfferSet and
// ListPurchaseOptions its offers.
//
// Every product is one listing: the listing id is the product id with
// "prodview-" in place of "prod-", as AWS Marketplace's listing pages
// are named. An account sees the Public products, and its own products
// whatever their visibility; an account governed by an enabled Private
// Marketplace experience sees only the products the experience allows
// (catalog.Service.AllowedProducts), everywhere in this API. A product or
// offer the caller may not see does not exist for it
// (ResourceNotFoundException). Offers are visible once released.
//
// Gatehouse keeps no reviews, badges other than FREE_TRIAL, pricing
// units, use cases or offer sets: the members the model requires are
// sent empty, rating filters compare against no rating, and GetOfferSet
// finds nothing. An offer's agreementProposalId is its offer id, which
// the Agreement API takes back.
//
// The package knows nothing of HTTP or wire formats.
package discovery
