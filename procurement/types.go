package procurement

import "time"

// Portals a preference may name (the model's ProcurementPortalName).
const (
	PortalCoupa              = "COUPA"
	PortalSAPBusinessNetwork = "SAP_BUSINESS_NETWORK"
)

// DomainNetworkID is the only credential domain the model allows for
// buyers and suppliers (BuyerDomain, SupplierDomain).
const DomainNetworkID = "NetworkID"

// Statuses of e-invoice delivery and purchase order retrieval (the
// model's ProcurementPortalPreferenceStatus).
const (
	StatusPendingVerification      = "PENDING_VERIFICATION"
	StatusTestInitialized          = "TEST_INITIALIZED"
	StatusTestInitializationFailed = "TEST_INITIALIZATION_FAILED"
	StatusTestFailed               = "TEST_FAILED"
	StatusActive                   = "ACTIVE"
	StatusSuspended                = "SUSPENDED"
)

// MaskedSecret is what the API returns in place of a stored shared
// secret: the secret itself never leaves Gatehouse once it is set.
const MaskedSecret = "********"

// Selector says what a preference applies to: invoice units and sellers
// of record (ProcurementPortalPreferenceSelector).
type Selector struct {
	InvoiceUnitArns []string
	SellerOfRecords []string
}

// TestEnvPreferenceInput is the test environment's credentials and
// endpoints as a request gives them.
type TestEnvPreferenceInput struct {
	BuyerDomain                       string
	BuyerIdentifier                   string
	SupplierDomain                    string
	SupplierIdentifier                string
	ProcurementPortalSharedSecret     string
	ProcurementPortalInstanceEndpoint string
}

// TestEnvPreference is the test environment as the API returns it, with
// the shared secret masked.
type TestEnvPreference struct {
	BuyerDomain                       string
	BuyerIdentifier                   string
	SupplierDomain                    string
	SupplierIdentifier                string
	ProcurementPortalSharedSecret     string
	ProcurementPortalInstanceEndpoint string
	PurchaseOrderRetrievalEndpoint    string
}

// PurchaseOrderDataSource says whether a document type needs purchase
// order data.
type PurchaseOrderDataSource struct {
	EinvoiceDeliveryDocumentType string
	PurchaseOrderDataSourceType  string
}

// EinvoiceDeliveryPreference is how e-invoices are delivered.
type EinvoiceDeliveryPreference struct {
	EinvoiceDeliveryDocumentTypes   []string
	EinvoiceDeliveryAttachmentTypes []string
	Protocol                        string
	PurchaseOrderDataSources        []PurchaseOrderDataSource
	ConnectionTestingMethod         string
	EinvoiceDeliveryActivationDate  *time.Time
}

// Contact is a portal administrator or technical contact.
type Contact struct {
	Name  string
	Email string
}

// ResourceTag is a tag of a preference.
type ResourceTag struct {
	Key   string
	Value string
}

// ProcurementPortalPreference is a preference as the API returns it.
type ProcurementPortalPreference struct {
	AwsAccountId                                 string
	ProcurementPortalPreferenceArn               string
	ProcurementPortalName                        string
	BuyerDomain                                  string
	BuyerIdentifier                              string
	SupplierDomain                               string
	SupplierIdentifier                           string
	Selector                                     *Selector
	ProcurementPortalSharedSecret                string
	ProcurementPortalInstanceEndpoint            string
	PurchaseOrderRetrievalEndpoint               string
	TestEnvPreference                            *TestEnvPreference
	EinvoiceDeliveryEnabled                      bool
	EinvoiceDeliveryPreference                   *EinvoiceDeliveryPreference
	PurchaseOrderRetrievalEnabled                bool
	Contacts                                     []Contact
	EinvoiceDeliveryPreferenceStatus             string
	EinvoiceDeliveryPreferenceStatusReason       string
	PurchaseOrderRetrievalPreferenceStatus       string
	PurchaseOrderRetrievalPreferenceStatusReason string
	Version                                      int64
	CreateDate                                   time.Time
	LastUpdateDate                               time.Time
}

// ProcurementPortalPreferenceSummary is a preference as
// ListProcurementPortalPreferences returns it.
type ProcurementPortalPreferenceSummary struct {
	AwsAccountId                                 string
	ProcurementPortalPreferenceArn               string
	ProcurementPortalName                        string
	BuyerDomain                                  string
	BuyerIdentifier                              string
	SupplierDomain                               string
	SupplierIdentifier                           string
	Selector                                     *Selector
	EinvoiceDeliveryEnabled                      bool
	PurchaseOrderRetrievalEnabled                bool
	EinvoiceDeliveryPreferenceStatus             string
	EinvoiceDeliveryPreferenceStatusReason       string
	PurchaseOrderRetrievalPreferenceStatus       string
	PurchaseOrderRetrievalPreferenceStatusReason string
	Version                                      int64
	CreateDate                                   time.Time
	LastUpdateDate                               time.Time
}

// CreateProcurementPortalPreferenceInput is
// CreateProcurementPortalPreference's input.
type CreateProcurementPortalPreferenceInput struct {
	ProcurementPortalName             string
	BuyerDomain                       string
	BuyerIdentifier                   string
	SupplierDomain                    string
	SupplierIdentifier                string
	Selector                          *Selector
	ProcurementPortalSharedSecret     string
	ProcurementPortalInstanceEndpoint string
	TestEnvPreference                 *TestEnvPreferenceInput
	EinvoiceDeliveryEnabled           *bool
	EinvoiceDeliveryPreference        *EinvoiceDeliveryPreference
	PurchaseOrderRetrievalEnabled     *bool
	Contacts                          []Contact
	ResourceTags                      []ResourceTag
	ClientToken                       string
}

// CreateProcurementPortalPreferenceOutput is
// CreateProcurementPortalPreference's output.
type CreateProcurementPortalPreferenceOutput struct {
	ProcurementPortalPreferenceArn string
}

// GetProcurementPortalPreferenceInput is GetProcurementPortalPreference's
// input.
type GetProcurementPortalPreferenceInput struct {
	ProcurementPortalPreferenceArn string
}

// GetProcurementPortalPreferenceOutput is
// GetProcurementPortalPreference's output.
type GetProcurementPortalPreferenceOutput struct {
	ProcurementPortalPreference ProcurementPortalPreference
}

// ListProcurementPortalPreferencesInput is
// ListProcurementPortalPreferences' input.
type ListProcurementPortalPreferencesInput struct {
	NextToken  string
	MaxResults *int32
}

// ListProcurementPortalPreferencesOutput is
// ListProcurementPortalPreferences' output.
type ListProcurementPortalPreferencesOutput struct {
	ProcurementPortalPreferences []ProcurementPortalPreferenceSummary
	NextToken                    string
}

// PutProcurementPortalPreferenceInput is PutProcurementPortalPreference's
// input: it replaces the preference's settings. An empty
// ProcurementPortalSharedSecret keeps the stored one.
type PutProcurementPortalPreferenceInput struct {
	ProcurementPortalPreferenceArn    string
	Selector                          *Selector
	ProcurementPortalSharedSecret     string
	ProcurementPortalInstanceEndpoint string
	TestEnvPreference                 *TestEnvPreferenceInput
	EinvoiceDeliveryEnabled           *bool
	EinvoiceDeliveryPreference        *EinvoiceDeliveryPreference
	PurchaseOrderRetrievalEnabled     *bool
	Contacts                          []Contact
	ClientToken                       string
}

// PutProcurementPortalPreferenceOutput is
// PutProcurementPortalPreference's output.
type PutProcurementPortalPreferenceOutput struct {
	ProcurementPortalPreferenceArn string
}

// UpdateProcurementPortalPreferenceStatusInput is
// UpdateProcurementPortalPreferenceStatus' input.
type UpdateProcurementPortalPreferenceStatusInput struct {
	ProcurementPortalPreferenceArn               string
	EinvoiceDeliveryPreferenceStatus             string
	EinvoiceDeliveryPreferenceStatusReason       string
	PurchaseOrderRetrievalPreferenceStatus       string
	PurchaseOrderRetrievalPreferenceStatusReason string
}

// UpdateProcurementPortalPreferenceStatusOutput is
// UpdateProcurementPortalPreferenceStatus' output.
type UpdateProcurementPortalPreferenceStatusOutput struct {
	ProcurementPortalPreferenceArn string
}

// DeleteProcurementPortalPreferenceInput is
// DeleteProcurementPortalPreference's input.
type DeleteProcurementPortalPreferenceInput struct {
	ProcurementPortalPreferenceArn string
}

// DeleteProcurementPortalPreferenceOutput is
// DeleteProcurementPortalPreference's output.
type DeleteProcurementPortalPreferenceOutput struct {
	ProcurementPortalPreferenceArn string
}
