package approval

import (
	"time"

	"gatehouse/agreement"
)

// Statuses of a purchase request.
const (
	StatusPending   = "PENDING"
	StatusApproved  = "APPROVED"
	StatusDeclined  = "DECLINED"
	StatusCancelled = "CANCELLED"
)

// Settings are an organization's approval settings.
type Settings struct {
	// RequireApproval makes every purchase in the organization wait for
	// approval.
	RequireApproval bool
	// Experiences are Private Marketplace experience ids (exp-...) whose
	// governed accounts' purchases wait for approval even when
	// RequireApproval is false.
	Experiences []string
	// SkipFree lets purchases without upfront or usage charges through.
	SkipFree bool
	// SkipByol lets bring-your-own-license purchases through.
	SkipByol bool
	// WebhookUrl, when set, receives every transition (https, or http to
	// a loopback host).
	WebhookUrl string
	// HasWebhookSecret reports whether a webhook secret is set; the
	// secret itself is never returned.
	HasWebhookSecret bool
}

// PurchaseRequest is a purchase waiting for, or decided by, an approver.
type PurchaseRequest struct {
	PurchaseRequestId  string
	Status             string
	AccountId          string
	AgreementRequestId string
	// RequestedBy is the principal that bought.
	RequestedBy   string
	ProductId     string
	ProductType   string
	OfferId       string
	Seller        string
	TermTypes     []string
	EstimatedCost string
	CurrencyCode  string
	// Justification is the requester's reason for the purchase, set with
	// UpdatePurchaseRequestJustification while the request is PENDING;
	// empty until then.
	Justification string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	// DecidedBy is the principal that approved, declined or cancelled.
	DecidedBy           string `json:",omitempty"`
	Reason              string `json:",omitempty"`
	PurchaseOrderNumber string `json:",omitempty"`
	// AgreementId is the agreement an approval made.
	AgreementId string `json:",omitempty"`
}

// GetApprovalSettingsInput is GetApprovalSettings' (empty) input.
type GetApprovalSettingsInput struct{}

// GetApprovalSettingsOutput is GetApprovalSettings' output.
type GetApprovalSettingsOutput struct {
	Settings Settings
}

// PutApprovalSettingsInput is PutApprovalSettings' input: the settings
// replace the organization's. WebhookSecret, when non-empty, replaces the
// stored secret; empty keeps it (a new WebhookUrl of "" removes both).
type PutApprovalSettingsInput struct {
	Settings      Settings
	WebhookSecret string
}

// PutApprovalSettingsOutput is PutApprovalSettings' output.
type PutApprovalSettingsOutput struct {
	Settings Settings
}

// ListPurchaseRequestsInput is ListPurchaseRequests' input: the requests
// of one status and one account when set, newest ids first is not
// promised; pages follow the ids.
type ListPurchaseRequestsInput struct {
	Status     string
	AccountId  string
	MaxResults *int32
	NextToken  string
}

// ListPurchaseRequestsOutput is ListPurchaseRequests' output.
type ListPurchaseRequestsOutput struct {
	PurchaseRequests []PurchaseRequest
	NextToken        string `json:",omitempty"`
}

// ApprovePurchaseRequestInput is ApprovePurchaseRequest's input.
type ApprovePurchaseRequestInput struct {
	PurchaseRequestId string
	// PurchaseOrderNumber is tied to every charge of the agreement.
	PurchaseOrderNumber string
	Reason              string
}

// DeclinePurchaseRequestInput is DeclinePurchaseRequest's input; Reason
// is required.
type DeclinePurchaseRequestInput struct {
	PurchaseRequestId string
	Reason            string
}

// CancelPurchaseRequestInput is CancelPurchaseRequest's input.
type CancelPurchaseRequestInput struct {
	PurchaseRequestId string
	Reason            string
}

// UpdatePurchaseRequestJustificationInput is
// UpdatePurchaseRequestJustification's input: the requester's reason for
// the purchase, which replaces any earlier one.
type UpdatePurchaseRequestJustificationInput struct {
	PurchaseRequestId string
	Justification     string
}

// PurchaseRequestOutput is the output of the transitions: the request as
// it now is.
type PurchaseRequestOutput struct {
	PurchaseRequest PurchaseRequest
}

// record is a stored purchase request: the API view and what only the
// service needs.
type record struct {
	Request PurchaseRequest
	// Principal is the requester's principal (a role, not its session),
	// who may cancel.
	Principal string
	// PurchaseOrders are those given when the agreement request was
	// accepted.
	PurchaseOrders []agreement.PurchaseOrder
}

// settingsRecord is a stored Settings with the sealed webhook secret.
type settingsRecord struct {
	Settings Settings
	Secret   []byte `json:",omitempty"`
}
