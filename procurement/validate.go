package procurement

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"gatehouse/awserr"
)

// Limits of the Invoicing model (botocore invoicing 2024-12-01).
const (
	maxString          = 1024 // BasicString, BasicStringWithoutSpace
	maxResults         = 100  // MaxResults
	maxInvoiceUnits    = 500  // InvoiceUnitArns
	maxSellerOfRecords = 100  // SellerOfRecords
	maxDocumentTypes   = 10   // EinvoiceDeliveryDocumentTypes
	maxTags            = 200  // ResourceTagList
	maxTagKey          = 128  // ResourceTagKey
	maxTagValue        = 256  // ResourceTagValue
	maxARN             = 256  // ProcurementPortalPreferenceArnString, InvoiceUnitArnString
)

var (
	reARN         = regexp.MustCompile(`^arn:aws:invoicing::[0-9]{12}:procurement-portal-preference/[-a-zA-Z0-9]+$`)
	reID          = regexp.MustCompile(`^[-a-zA-Z0-9]{1,128}$`)
	reInvoiceUnit = regexp.MustCompile(`^arn:aws[-a-z0-9]*:[a-z0-9]+:[-a-z0-9]*:[0-9]{12}:[-a-zA-Z0-9/:_]+$`)
	reEmail       = regexp.MustCompile(`^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}$`)
	reNoSpace     = regexp.MustCompile(`^\S+$`)
)

var (
	portals        = []string{PortalSAPBusinessNetwork, PortalCoupa}
	domains        = []string{DomainNetworkID}
	statuses       = []string{StatusPendingVerification, StatusTestInitialized, StatusTestInitializationFailed, StatusTestFailed, StatusActive, StatusSuspended}
	documentTypes  = []string{"AWS_CLOUD_INVOICE", "AWS_CLOUD_CREDIT_MEMO", "AWS_MARKETPLACE_INVOICE", "AWS_MARKETPLACE_CREDIT_MEMO", "AWS_REQUEST_FOR_PAYMENT"}
	attachments    = []string{"INVOICE_PDF", "RFP_PDF"}
	protocols      = []string{"CXML"}
	dataSources    = []string{"ASSOCIATED_PURCHASE_ORDER_REQUIRED", "PURCHASE_ORDER_NOT_REQUIRED"}
	testingMethods = []string{"PROD_ENV_DOLLAR_TEST", "TEST_ENV_REPLAY_TEST"}
)

// fieldError is ValidationException for one member, with the model's
// reason and field list.
func fieldError(name, message string) error {
	return awserr.ErrValidationException.New(message).With("reason", "fieldValidationFailed").
		With("fieldList", []map[string]string{{"name": name, "message": message}})
}

// checker collects the first validation failure.
type checker struct{ err error }

func (c *checker) fail(name, format string, args ...any) {
	if c.err == nil {
		c.err = fieldError(name, fmt.Sprintf(format, args...))
	}
}

func (c *checker) required(name, v string) {
	if v == "" {
		c.fail(name, "%s is required.", name)
	}
}

func (c *checker) enum(name, v string, allowed []string) {
	if v != "" && !slices.Contains(allowed, v) {
		c.fail(name, "%s must be one of %s.", name, strings.Join(allowed, ", "))
	}
}

// noSpace checks a BasicStringWithoutSpace: at most 1024 characters, no
// whitespace.
func (c *checker) noSpace(name, v string) {
	if v == "" {
		return
	}
	if utf8.RuneCountInString(v) > maxString || !reNoSpace.MatchString(v) {
		c.fail(name, "%s must be at most %d characters without whitespace.", name, maxString)
	}
}

func (c *checker) maxLen(name, v string, n int) {
	if utf8.RuneCountInString(v) > n {
		c.fail(name, "%s must be at most %d characters.", name, n)
	}
}

func validateCreate(in CreateProcurementPortalPreferenceInput) error {
	var c checker
	c.required("ProcurementPortalName", in.ProcurementPortalName)
	c.enum("ProcurementPortalName", in.ProcurementPortalName, portals)
	c.credential("", in.BuyerDomain, in.BuyerIdentifier, in.SupplierDomain, in.SupplierIdentifier)
	if in.EinvoiceDeliveryEnabled == nil {
		c.fail("EinvoiceDeliveryEnabled", "EinvoiceDeliveryEnabled is required.")
	}
	if in.PurchaseOrderRetrievalEnabled == nil {
		c.fail("PurchaseOrderRetrievalEnabled", "PurchaseOrderRetrievalEnabled is required.")
	}
	c.settings(in.Selector, in.ProcurementPortalSharedSecret, in.ProcurementPortalInstanceEndpoint, in.TestEnvPreference, in.EinvoiceDeliveryPreference, in.Contacts)
	if len(in.ResourceTags) > maxTags {
		c.fail("ResourceTags", "ResourceTags must have at most %d tags.", maxTags)
	}
	for _, t := range in.ResourceTags {
		if t.Key == "" || utf8.RuneCountInString(t.Key) > maxTagKey {
			c.fail("ResourceTags.Key", "A tag key must be 1 to %d characters.", maxTagKey)
		}
		c.maxLen("ResourceTags.Value", t.Value, maxTagValue)
	}
	c.noSpace("ClientToken", in.ClientToken)
	return c.err
}

func validatePut(in PutProcurementPortalPreferenceInput) error {
	if err := validateARN(in.ProcurementPortalPreferenceArn); err != nil {
		return err
	}
	var c checker
	if in.EinvoiceDeliveryEnabled == nil {
		c.fail("EinvoiceDeliveryEnabled", "EinvoiceDeliveryEnabled is required.")
	}
	if in.PurchaseOrderRetrievalEnabled == nil {
		c.fail("PurchaseOrderRetrievalEnabled", "PurchaseOrderRetrievalEnabled is required.")
	}
	c.settings(in.Selector, in.ProcurementPortalSharedSecret, in.ProcurementPortalInstanceEndpoint, in.TestEnvPreference, in.EinvoiceDeliveryPreference, in.Contacts)
	c.noSpace("ClientToken", in.ClientToken)
	return c.err
}

func validateStatus(in UpdateProcurementPortalPreferenceStatusInput) error {
	if err := validateARN(in.ProcurementPortalPreferenceArn); err != nil {
		return err
	}
	var c checker
	c.enum("EinvoiceDeliveryPreferenceStatus", in.EinvoiceDeliveryPreferenceStatus, statuses)
	c.enum("PurchaseOrderRetrievalPreferenceStatus", in.PurchaseOrderRetrievalPreferenceStatus, statuses)
	c.maxLen("EinvoiceDeliveryPreferenceStatusReason", in.EinvoiceDeliveryPreferenceStatusReason, maxString)
	c.maxLen("PurchaseOrderRetrievalPreferenceStatusReason", in.PurchaseOrderRetrievalPreferenceStatusReason, maxString)
	if in.EinvoiceDeliveryPreferenceStatus == "" && in.PurchaseOrderRetrievalPreferenceStatus == "" {
		c.fail("EinvoiceDeliveryPreferenceStatus", "Give EinvoiceDeliveryPreferenceStatus, PurchaseOrderRetrievalPreferenceStatus or both.")
	}
	return c.err
}

// validateARN checks a ProcurementPortalPreferenceArnString.
func validateARN(arn string) error {
	if arn == "" {
		return fieldError("ProcurementPortalPreferenceArn", "ProcurementPortalPreferenceArn is required.")
	}
	if len(arn) > maxARN || !reARN.MatchString(arn) {
		return fieldError("ProcurementPortalPreferenceArn", "ProcurementPortalPreferenceArn must be an ARN such as arn:aws:invoicing::111111111111:procurement-portal-preference/a34fd666-7810-4414-9360-aaa4bcab0abd.")
	}
	return nil
}

// credential checks a buyer and supplier credential; prefix names the
// structure holding it.
func (c *checker) credential(prefix, buyerDomain, buyerID, supplierDomain, supplierID string) {
	for _, f := range []struct{ name, value string }{{"BuyerDomain", buyerDomain}, {"BuyerIdentifier", buyerID}, {"SupplierDomain", supplierDomain}, {"SupplierIdentifier", supplierID}} {
		c.required(prefix+f.name, f.value)
	}
	c.enum(prefix+"BuyerDomain", buyerDomain, domains)
	c.enum(prefix+"SupplierDomain", supplierDomain, domains)
	c.noSpace(prefix+"BuyerIdentifier", buyerID)
	c.noSpace(prefix+"SupplierIdentifier", supplierID)
}

// settings checks the members Create and Put share.
func (c *checker) settings(sel *Selector, secret, endpoint string, test *TestEnvPreferenceInput, delivery *EinvoiceDeliveryPreference, contacts []Contact) {
	if sel != nil {
		if len(sel.InvoiceUnitArns) > maxInvoiceUnits {
			c.fail("Selector.InvoiceUnitArns", "Selector.InvoiceUnitArns must have at most %d ARNs.", maxInvoiceUnits)
		}
		for _, a := range sel.InvoiceUnitArns {
			if len(a) > maxARN || !reInvoiceUnit.MatchString(a) {
				c.fail("Selector.InvoiceUnitArns", "%q is not an invoice unit ARN.", a)
			}
		}
		if len(sel.SellerOfRecords) > maxSellerOfRecords {
			c.fail("Selector.SellerOfRecords", "Selector.SellerOfRecords must have at most %d entries.", maxSellerOfRecords)
		}
		for _, s := range sel.SellerOfRecords {
			c.required("Selector.SellerOfRecords", s)
			c.noSpace("Selector.SellerOfRecords", s)
		}
	}
	c.noSpace("ProcurementPortalSharedSecret", secret)
	c.noSpace("ProcurementPortalInstanceEndpoint", endpoint)
	if test != nil {
		c.credential("TestEnvPreference.", test.BuyerDomain, test.BuyerIdentifier, test.SupplierDomain, test.SupplierIdentifier)
		c.noSpace("TestEnvPreference.ProcurementPortalSharedSecret", test.ProcurementPortalSharedSecret)
		c.noSpace("TestEnvPreference.ProcurementPortalInstanceEndpoint", test.ProcurementPortalInstanceEndpoint)
	}
	if delivery != nil {
		c.delivery(delivery)
	}
	if len(contacts) != 1 {
		c.fail("Contacts", "Contacts must hold exactly one contact.")
	}
	for _, ct := range contacts {
		c.maxLen("Contacts.Name", ct.Name, maxString)
		if len(ct.Email) > maxString || !reEmail.MatchString(ct.Email) {
			c.fail("Contacts.Email", "Contacts.Email must be an email address.")
		}
	}
}

func (c *checker) delivery(d *EinvoiceDeliveryPreference) {
	const p = "EinvoiceDeliveryPreference."
	if d.EinvoiceDeliveryDocumentTypes == nil {
		c.fail(p+"EinvoiceDeliveryDocumentTypes", "%sEinvoiceDeliveryDocumentTypes is required.", p)
	}
	if len(d.EinvoiceDeliveryDocumentTypes) > maxDocumentTypes {
		c.fail(p+"EinvoiceDeliveryDocumentTypes", "%sEinvoiceDeliveryDocumentTypes must have at most %d types.", p, maxDocumentTypes)
	}
	for _, t := range d.EinvoiceDeliveryDocumentTypes {
		c.enum(p+"EinvoiceDeliveryDocumentTypes", t, documentTypes)
	}
	for _, t := range d.EinvoiceDeliveryAttachmentTypes {
		c.enum(p+"EinvoiceDeliveryAttachmentTypes", t, attachments)
	}
	c.required(p+"Protocol", d.Protocol)
	c.enum(p+"Protocol", d.Protocol, protocols)
	if d.PurchaseOrderDataSources == nil {
		c.fail(p+"PurchaseOrderDataSources", "%sPurchaseOrderDataSources is required.", p)
	}
	for _, s := range d.PurchaseOrderDataSources {
		c.enum(p+"PurchaseOrderDataSources.EinvoiceDeliveryDocumentType", s.EinvoiceDeliveryDocumentType, documentTypes)
		c.enum(p+"PurchaseOrderDataSources.PurchaseOrderDataSourceType", s.PurchaseOrderDataSourceType, dataSources)
	}
	c.required(p+"ConnectionTestingMethod", d.ConnectionTestingMethod)
	c.enum(p+"ConnectionTestingMethod", d.ConnectionTestingMethod, testingMethods)
	if d.EinvoiceDeliveryActivationDate == nil || d.EinvoiceDeliveryActivationDate.IsZero() {
		c.fail(p+"EinvoiceDeliveryActivationDate", "%sEinvoiceDeliveryActivationDate is required.", p)
	}
}
