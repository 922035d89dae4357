package discovery

import "time"

// The shapes of the marketplace-discovery 2026-02-05 model. Member names
// are the model's with the first letter upper-cased; the server sends
// them in lower camel case.

// SellerInformation names a seller (a seller account, in Gatehouse).
type SellerInformation struct {
	SellerProfileId string
	DisplayName     string
}

// Category is a listing category.
type Category struct {
	CategoryId  string
	DisplayName string
}

// FulfillmentOptionSummary is a way a product is delivered.
type FulfillmentOptionSummary struct {
	FulfillmentOptionType string
	DisplayName           string
}

// ListingBadge is a badge of a listing.
type ListingBadge struct {
	DisplayName string
	BadgeType   string
}

// ReviewSummary summarizes reviews; Gatehouse keeps none.
type ReviewSummary struct {
	ReviewSourceSummaries []ReviewSourceSummary
}

// ReviewSourceSummary is the reviews of one source.
type ReviewSourceSummary struct {
	SourceName    string
	SourceId      string
	SourceUrl     string
	AverageRating string
	TotalReviews  int64
}

// PricingModel is a pricing model type with its display name.
type PricingModel struct {
	PricingModelType string
	DisplayName      string
}

// PricingUnit is a pricing unit type with its display name.
type PricingUnit struct {
	PricingUnitType string
	DisplayName     string
}

// ProductInformation names a product.
type ProductInformation struct {
	ProductId    string
	ProductName  string
	Manufacturer SellerInformation
}

// OfferInformation names an offer.
type OfferInformation struct {
	OfferId        string
	OfferName      string
	SellerOfRecord SellerInformation
}

// OfferSetInformation names an offer set.
type OfferSetInformation struct {
	OfferSetId     string
	SellerOfRecord SellerInformation
}

// ListingSummaryAssociatedEntity is a product of a listing summary.
type ListingSummaryAssociatedEntity struct {
	Product *ProductInformation
}

// ListingAssociatedEntity is a product or an offer of a listing.
type ListingAssociatedEntity struct {
	Product *ProductInformation
	Offer   *OfferInformation
}

// PromotionalMedia is an image or a video (a union).
type PromotionalMedia struct {
	EmbeddedImage *PromotionalEmbeddedImage
	EmbeddedVideo *PromotionalEmbeddedVideo
}

// PromotionalEmbeddedImage is an image of a listing.
type PromotionalEmbeddedImage struct {
	Title       string
	Url         string
	Description string
}

// PromotionalEmbeddedVideo is a video of a listing.
type PromotionalEmbeddedVideo struct {
	Title       string
	Url         string
	Preview     string
	Thumbnail   string
	Description string
}

// Resource is a support or instructions resource of a listing.
type Resource struct {
	ResourceType string
	ContentType  string
	Value        string
	DisplayName  string
}

// SellerEngagement is a way to contact the seller.
type SellerEngagement struct {
	EngagementType string
	ContentType    string
	Value          string
}

// UseCaseEntry is a use case of a listing.
type UseCaseEntry struct {
	UseCase UseCase
}

// UseCase describes a use case.
type UseCase struct {
	Description string
	DisplayName string
	Value       string
}

// SearchFilter narrows a search: any of FilterValues of FilterType.
type SearchFilter struct {
	FilterType   string
	FilterValues []string
}

// SearchListingsInput is the input of SearchListings.
type SearchListingsInput struct {
	SearchText string
	Filters    []SearchFilter
	MaxResults *int
	SortBy     string
	SortOrder  string
	NextToken  string
}

// ListingSummary is one result of SearchListings.
type ListingSummary struct {
	ListingId                  string
	ListingName                string
	Publisher                  SellerInformation
	Catalog                    string
	ShortDescription           string
	LogoThumbnailUrl           string
	Categories                 []Category
	FulfillmentOptionSummaries []FulfillmentOptionSummary
	Badges                     []ListingBadge
	ReviewSummary              ReviewSummary
	PricingModels              []PricingModel
	PricingUnits               []PricingUnit
	AssociatedEntities         []ListingSummaryAssociatedEntity
}

// SearchListingsOutput is the output of SearchListings.
type SearchListingsOutput struct {
	TotalResults     int64
	ListingSummaries []ListingSummary
	NextToken        string
}

// SearchFacetsInput is the input of SearchFacets.
type SearchFacetsInput struct {
	SearchText string
	Filters    []SearchFilter
	FacetTypes []string
	NextToken  string
}

// ListingFacet is one value of a facet with the number of listings that
// have it.
type ListingFacet struct {
	Value       string
	DisplayName string
	Parent      string
	Count       int64
}

// SearchFacetsOutput is the output of SearchFacets.
type SearchFacetsOutput struct {
	TotalResults  int64
	ListingFacets map[string][]ListingFacet
	NextToken     string
}

// GetListingInput is the input of GetListing.
type GetListingInput struct {
	ListingId string
}

// GetListingOutput is the output of GetListing.
type GetListingOutput struct {
	AssociatedEntities         []ListingAssociatedEntity
	Badges                     []ListingBadge
	Catalog                    string
	Categories                 []Category
	FulfillmentOptionSummaries []FulfillmentOptionSummary
	Highlights                 []string
	IntegrationGuide           string
	ListingId                  string
	ListingName                string
	LogoThumbnailUrl           string
	LongDescription            string
	PricingModels              []PricingModel
	PricingUnits               []PricingUnit
	PromotionalMedia           []PromotionalMedia
	Publisher                  SellerInformation
	Resources                  []Resource
	ReviewSummary              *ReviewSummary
	SellerEngagements          []SellerEngagement
	ShortDescription           string
	UseCases                   []UseCaseEntry
}

// GetProductInput is the input of GetProduct.
type GetProductInput struct {
	ProductId string
}

// GetProductOutput is the output of GetProduct.
type GetProductOutput struct {
	ProductId                  string
	Catalog                    string
	ProductName                string
	DeployedOnAws              string
	ShortDescription           string
	LongDescription            string
	Manufacturer               SellerInformation
	LogoThumbnailUrl           string
	FulfillmentOptionSummaries []FulfillmentOptionSummary
	Categories                 []Category
	Highlights                 []string
	PromotionalMedia           []PromotionalMedia
	Resources                  []Resource
	SellerEngagements          []SellerEngagement
}

// GetOfferInput is the input of GetOffer.
type GetOfferInput struct {
	OfferId string
}

// PurchaseOptionBadge is a badge of an offer.
type PurchaseOptionBadge struct {
	DisplayName string
	BadgeType   string
}

// OfferAssociatedEntity is the product of an offer.
type OfferAssociatedEntity struct {
	Product  ProductInformation
	OfferSet *OfferSetInformation
}

// GetOfferOutput is the output of GetOffer.
type GetOfferOutput struct {
	OfferId                string
	Catalog                string
	OfferName              string
	AgreementProposalId    string
	ExpirationTime         time.Time
	AvailableFromTime      time.Time
	SellerOfRecord         SellerInformation
	ReplacementAgreementId string
	PricingModel           PricingModel
	Badges                 []PurchaseOptionBadge
	AssociatedEntities     []OfferAssociatedEntity
}

// GetOfferSetInput is the input of GetOfferSet.
type GetOfferSetInput struct {
	OfferSetId string
}

// OfferSetAssociatedEntity is a product and offer of an offer set.
type OfferSetAssociatedEntity struct {
	Product ProductInformation
	Offer   OfferInformation
}

// GetOfferSetOutput is the output of GetOfferSet.
type GetOfferSetOutput struct {
	OfferSetId         string
	Catalog            string
	OfferSetName       string
	AvailableFromTime  time.Time
	ExpirationTime     time.Time
	BuyerNotes         string
	SellerOfRecord     SellerInformation
	Badges             []PurchaseOptionBadge
	AssociatedEntities []OfferSetAssociatedEntity
}

// GetOfferTermsInput is the input of GetOfferTerms.
type GetOfferTermsInput struct {
	OfferId    string
	MaxResults *int
	NextToken  string
}

// GetOfferTermsOutput is the output of GetOfferTerms.
type GetOfferTermsOutput struct {
	OfferTerms []OfferTerm
	NextToken  string
}

// OfferTerm is one term of an offer (a union: one member is set).
type OfferTerm struct {
	ByolPricingTerm                *ByolPricingTerm
	ConfigurableUpfrontPricingTerm *ConfigurableUpfrontPricingTerm
	FixedUpfrontPricingTerm        *FixedUpfrontPricingTerm
	FreeTrialPricingTerm           *FreeTrialPricingTerm
	LegalTerm                      *LegalTerm
	UsageBasedPricingTerm          *UsageBasedPricingTerm
	ValidityTerm                   *ValidityTerm
}

// ByolPricingTerm is a bring-your-own-license term.
type ByolPricingTerm struct {
	Id   string
	Type string
}

// ConfigurableUpfrontPricingTerm is an upfront price per dimension,
// chosen by the buyer.
type ConfigurableUpfrontPricingTerm struct {
	Id           string
	Type         string
	CurrencyCode string
	RateCards    []ConfigurableUpfrontRateCardItem
}

// ConfigurableUpfrontRateCardItem is one rate card of a configurable
// upfront term.
type ConfigurableUpfrontRateCardItem struct {
	Selector    Selector
	Constraints Constraints
	RateCard    []RateCardItem
}

// Selector picks a rate card, such as a contract duration.
type Selector struct {
	Type  string
	Value string
}

// Constraints say how a buyer may combine dimensions.
type Constraints struct {
	MultipleDimensionSelection string
	QuantityConfiguration      string
}

// RateCardItem is the price of one dimension.
type RateCardItem struct {
	DimensionKey string
	DisplayName  string
	Description  string
	Unit         string
	Price        string
}

// FixedUpfrontPricingTerm is a fixed price for a duration.
type FixedUpfrontPricingTerm struct {
	Id           string
	Type         string
	CurrencyCode string
	Duration     string
	Price        string
	Grants       []GrantItem
}

// GrantItem is what a term grants.
type GrantItem struct {
	DimensionKey string
	DisplayName  string
	Description  string
	Unit         string
	MaxQuantity  *int
}

// FreeTrialPricingTerm is a free trial.
type FreeTrialPricingTerm struct {
	Id       string
	Type     string
	Duration string
	Grants   []GrantItem
}

// LegalTerm is the offer's legal documents.
type LegalTerm struct {
	Id        string
	Type      string
	Documents []DocumentItem
}

// DocumentItem is one legal document.
type DocumentItem struct {
	Type    string
	Url     string
	Version string
}

// UsageBasedPricingTerm is a price per unit of usage.
type UsageBasedPricingTerm struct {
	Id           string
	Type         string
	CurrencyCode string
	RateCards    []UsageBasedRateCardItem
}

// UsageBasedRateCardItem is one rate card of a usage-based term.
type UsageBasedRateCardItem struct {
	RateCard []RateCardItem
}

// ValidityTerm says until when an agreement runs.
type ValidityTerm struct {
	Id                string
	Type              string
	AgreementDuration string
	AgreementEndDate  time.Time
}

// PurchaseOptionFilter narrows ListPurchaseOptions.
type PurchaseOptionFilter struct {
	FilterType   string
	FilterValues []string
}

// ListPurchaseOptionsInput is the input of ListPurchaseOptions.
type ListPurchaseOptionsInput struct {
	Filters    []PurchaseOptionFilter
	MaxResults *int
	NextToken  string
}

// PurchaseOptionAssociatedEntity is the product and offer of a purchase
// option.
type PurchaseOptionAssociatedEntity struct {
	Product  ProductInformation
	Offer    OfferInformation
	OfferSet *OfferSetInformation
}

// PurchaseOptionSummary is an offer a buyer may accept.
type PurchaseOptionSummary struct {
	PurchaseOptionId   string
	Catalog            string
	PurchaseOptionType string
	PurchaseOptionName string
	AvailableFromTime  time.Time
	ExpirationTime     time.Time
	SellerOfRecord     SellerInformation
	Badges             []PurchaseOptionBadge
	AssociatedEntities []PurchaseOptionAssociatedEntity
}

// ListPurchaseOptionsOutput is the output of ListPurchaseOptions.
type ListPurchaseOptionsOutput struct {
	PurchaseOptions []PurchaseOptionSummary
	NextToken       string
}

// ListFulfillmentOptionsInput is the input of ListFulfillmentOptions.
type ListFulfillmentOptionsInput struct {
	ProductId  string
	MaxResults *int
	NextToken  string
}

// ListFulfillmentOptionsOutput is the output of ListFulfillmentOptions.
type ListFulfillmentOptionsOutput struct {
	FulfillmentOptions []FulfillmentOption
	NextToken          string
}

// FulfillmentOption is one way to deploy a product (a union).
type FulfillmentOption struct {
	AmazonMachineImageFulfillmentOption *AmazonMachineImageFulfillmentOption
	ContainerFulfillmentOption          *ContainerFulfillmentOption
	SaasFulfillmentOption               *SaasFulfillmentOption
}

// AmazonMachineImageFulfillmentOption is an AMI.
type AmazonMachineImageFulfillmentOption struct {
	FulfillmentOptionId          string
	FulfillmentOptionName        string
	FulfillmentOptionVersion     string
	FulfillmentOptionType        string
	FulfillmentOptionDisplayName string
	OperatingSystems             []OperatingSystem
	Recommendation               *AmazonMachineImageRecommendation
	ReleaseNotes                 string
	UsageInstructions            string
}

// OperatingSystem is an operating system of a fulfillment option.
type OperatingSystem struct {
	OperatingSystemFamilyName string
	OperatingSystemName       string
	OperatingSystemVersion    string
}

// AmazonMachineImageRecommendation recommends an instance type.
type AmazonMachineImageRecommendation struct {
	InstanceType string
}

// ContainerFulfillmentOption is a set of container images.
type ContainerFulfillmentOption struct {
	FulfillmentOptionId          string
	FulfillmentOptionName        string
	FulfillmentOptionType        string
	FulfillmentOptionDisplayName string
	FulfillmentOptionVersion     string
	OperatingSystems             []OperatingSystem
	AwsSupportedServices         []AwsSupportedService
	ReleaseNotes                 string
	UsageInstructions            string
}

// AwsSupportedService is a service a container option runs on.
type AwsSupportedService struct {
	SupportedServiceType string
	DisplayName          string
	Description          string
}

// SaasFulfillmentOption is a SaaS product's registration page.
type SaasFulfillmentOption struct {
	FulfillmentOptionId          string
	FulfillmentOptionType        string
	FulfillmentOptionDisplayName string
	FulfillmentUrl               string
	UsageInstructions            string
}
