package agreement

import "time"

// The inputs and outputs of the Agreement API operations, with the
// model's members (marketplace-agreement 2020-03-01) under their Go names;
// the wire spells them in lower camel case.

// Agreement API constants.
const (
	// MarketplaceCatalog is the only catalog agreements are made in.
	MarketplaceCatalog = "AWSMarketplace"
	// TypePurchaseAgreement is the agreement type of purchases.
	TypePurchaseAgreement = "PurchaseAgreement"
	// IntentNew creates a new agreement.
	IntentNew = "NEW"
)

// Agreement statuses.
const (
	StatusActive    = "ACTIVE"
	StatusCancelled = "CANCELLED"
	StatusExpired   = "EXPIRED"
)

// CreateAgreementRequestInput is CreateAgreementRequest's input.
type CreateAgreementRequestInput struct {
	ClientToken                 string
	Intent                      string
	RequestedTerms              []RequestedTerm
	SourceAgreementIdentifier   string
	AgreementProposalIdentifier string
	TaxConfiguration            *TaxConfiguration
}

// RequestedTerm is a term of the offer the buyer accepts.
type RequestedTerm struct {
	Id            string
	Configuration *RequestedTermConfiguration
}

// RequestedTermConfiguration is the buyer's configuration of a term (a
// union: one member is set).
type RequestedTermConfiguration struct {
	ConfigurableUpfrontPricingTermConfiguration *ConfigurableUpfrontPricingTermConfiguration
	RenewalTermConfiguration                    *RenewalTermConfiguration
	VariablePaymentTermConfiguration            *VariablePaymentTermConfiguration
}

// ConfigurableUpfrontPricingTermConfiguration picks a rate card (by its
// selector value, such as the contract duration P12M) and the quantity of
// each dimension bought.
type ConfigurableUpfrontPricingTermConfiguration struct {
	SelectorValue string
	Dimensions    []Dimension
}

// Dimension is a quantity of one dimension.
type Dimension struct {
	DimensionKey   string
	DimensionValue int
}

// RenewalTermConfiguration says whether the agreement renews itself.
type RenewalTermConfiguration struct {
	EnableAutoRenew *bool
}

// VariablePaymentTermConfiguration says how payment requests are approved.
type VariablePaymentTermConfiguration struct {
	PaymentRequestApprovalStrategy string
	ExpirationDuration             string
}

// TaxConfiguration asks for a tax estimate.
type TaxConfiguration struct {
	TaxEstimation string
}

// CreateAgreementRequestOutput is CreateAgreementRequest's output.
type CreateAgreementRequestOutput struct {
	AgreementRequestId string
	ChargeSummary      *ChargeSummary
}

// ChargeSummary is the charges an agreement request would bring.
type ChargeSummary struct {
	CurrencyCode      string
	NewAgreementValue string
	ExpectedCharges   []ExpectedCharge
	ItemizedCharges   []ItemizedCharge
}

// ExpectedCharge is one charge of an agreement.
type ExpectedCharge struct {
	Id     string
	Time   time.Time
	Amount string
	Timing string
}

// ItemizedCharge is one dimension's share of a charge.
type ItemizedCharge struct {
	DimensionKey            string
	NewQuantity             *int
	OldQuantity             *int
	ChargeReference         string
	IncrementalChargeAmount string
}

// AcceptAgreementRequestInput is AcceptAgreementRequest's input.
type AcceptAgreementRequestInput struct {
	AgreementRequestId string
	PurchaseOrders     []PurchaseOrder
}

// PurchaseOrder ties a purchase order to a charge.
type PurchaseOrder struct {
	ChargeId               string
	ChargeRevision         *int64
	AgreementId            string
	PurchaseOrderReference string
}

// AcceptAgreementRequestOutput is AcceptAgreementRequest's output.
type AcceptAgreementRequestOutput struct {
	AgreementId string
}

// SearchAgreementsInput is SearchAgreements' input.
type SearchAgreementsInput struct {
	Catalog    string
	Filters    []Filter
	Sort       *Sort
	MaxResults *int32
	NextToken  string
}

// Filter is one search filter; Values holds exactly one value.
type Filter struct {
	Name   string
	Values []string
}

// Sort orders search results.
type Sort struct {
	SortBy    string
	SortOrder string
}

// SearchAgreementsOutput is SearchAgreements' output.
type SearchAgreementsOutput struct {
	AgreementViewSummaries []AgreementViewSummary
	NextToken              string
}

// AgreementViewSummary is an agreement in search results.
type AgreementViewSummary struct {
	AgreementId     string
	AcceptanceTime  time.Time
	StartTime       time.Time
	EndTime         time.Time
	AgreementType   string
	Acceptor        *Party
	Proposer        *Party
	ProposalSummary *ProposalSummary
	Status          string
}

// Party is the acceptor or proposer of an agreement.
type Party struct {
	AccountId string
}

// ProposalSummary is the offer and products of an agreement.
type ProposalSummary struct {
	Resources  []Resource
	OfferId    string
	OfferSetId string
}

// Resource is a product of an agreement.
type Resource struct {
	Id   string
	Type string
}

// DescribeAgreementInput is DescribeAgreement's input.
type DescribeAgreementInput struct {
	AgreementId string
}

// DescribeAgreementOutput is DescribeAgreement's output.
type DescribeAgreementOutput struct {
	AgreementId      string
	Acceptor         *Party
	Proposer         *Party
	StartTime        time.Time
	EndTime          time.Time
	AcceptanceTime   time.Time
	AgreementType    string
	EstimatedCharges *EstimatedCharges
	ProposalSummary  *ProposalSummary
	Status           string
}

// EstimatedCharges is the known value of an agreement.
type EstimatedCharges struct {
	CurrencyCode   string
	AgreementValue string
}

// GetAgreementTermsInput is GetAgreementTerms' input.
type GetAgreementTermsInput struct {
	AgreementId string
	MaxResults  *int32
	NextToken   string
}

// GetAgreementTermsOutput is GetAgreementTerms' output.
type GetAgreementTermsOutput struct {
	AcceptedTerms []AcceptedTerm
	NextToken     string
}

// AcceptedTerm is one accepted term (a union: one member is set).
type AcceptedTerm struct {
	LegalTerm                      *LegalTerm
	UsageBasedPricingTerm          *UsageBasedPricingTerm
	ConfigurableUpfrontPricingTerm *ConfigurableUpfrontPricingTerm
	ByolPricingTerm                *ByolPricingTerm
	FreeTrialPricingTerm           *FreeTrialPricingTerm
	FixedUpfrontPricingTerm        *FixedUpfrontPricingTerm
}

// LegalTerm is the legal documents of an agreement, such as its EULA.
type LegalTerm struct {
	Type      string
	Id        string
	Documents []DocumentItem
}

// DocumentItem is one legal document.
type DocumentItem struct {
	Type    string
	Url     string
	Version string
}

// UsageBasedPricingTerm is pay-as-you-go pricing.
type UsageBasedPricingTerm struct {
	Type         string
	Id           string
	CurrencyCode string
	RateCards    []UsageBasedRateCardItem
}

// UsageBasedRateCardItem is one rate card of usage-based pricing.
type UsageBasedRateCardItem struct {
	RateCard []RateCardItem
}

// RateCardItem is the price of one dimension.
type RateCardItem struct {
	DimensionKey string
	Price        string
}

// ConfigurableUpfrontPricingTerm is prepaid pricing the buyer configures.
type ConfigurableUpfrontPricingTerm struct {
	Type          string
	Id            string
	CurrencyCode  string
	RateCards     []ConfigurableUpfrontRateCardItem
	Configuration *ConfigurableUpfrontPricingTermConfiguration
}

// ConfigurableUpfrontRateCardItem is one rate card of configurable
// upfront pricing.
type ConfigurableUpfrontRateCardItem struct {
	Selector    *Selector
	Constraints *Constraints
	RateCard    []RateCardItem
}

// Selector picks a rate card, such as a contract duration.
type Selector struct {
	Type  string
	Value string
}

// Constraints say how buyers may configure a term.
type Constraints struct {
	MultipleDimensionSelection string
	QuantityConfiguration      string
}

// ByolPricingTerm is bring-your-own-license pricing.
type ByolPricingTerm struct {
	Type string
	Id   string
}

// FreeTrialPricingTerm is a free trial.
type FreeTrialPricingTerm struct {
	Type     string
	Id       string
	Duration string
	Grants   []GrantItem
}

// GrantItem is what a term entitles the buyer to.
type GrantItem struct {
	DimensionKey string
	MaxQuantity  *int
}

// FixedUpfrontPricingTerm is a fixed price paid upfront.
type FixedUpfrontPricingTerm struct {
	Type         string
	Id           string
	CurrencyCode string
	Duration     string
	Price        string
	Grants       []GrantItem
}

// GetAgreementEntitlementsInput is GetAgreementEntitlements' input.
type GetAgreementEntitlementsInput struct {
	AgreementId string
	MaxResults  *int32
	NextToken   string
}

// GetAgreementEntitlementsOutput is GetAgreementEntitlements' output.
type GetAgreementEntitlementsOutput struct {
	AgreementEntitlements []AgreementEntitlement
	NextToken             string
}

// AgreementEntitlement is what an agreement entitles its acceptor to.
type AgreementEntitlement struct {
	Resource          *Resource
	Type              string
	RegistrationToken string
	Status            string
	StatusReasonCode  string
	LicenseArn        string
}

// CancelAgreementInput is CancelAgreement's input.
type CancelAgreementInput struct {
	AgreementId string
}

// CancelAgreementOutput is CancelAgreement's (empty) output.
type CancelAgreementOutput struct{}
