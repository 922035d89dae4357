package cxml

// Document is a cXML envelope. Exactly one of Request, Response and Message
// is set.
type Document struct {
	XMLName   struct{}  `xml:"cXML"`
	PayloadID string    `xml:"payloadID,attr"`
	Timestamp Timestamp `xml:"timestamp,attr"`
	Version   string    `xml:"version,attr,omitempty"`
	Lang      string    `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Header    *Header   `xml:"Header"`
	Request   *Request  `xml:"Request"`
	Response  *Response `xml:"Response"`
	Message   *Message  `xml:"Message"`
}

// Header carries the parties of a Request or Message and the sender's
// credentials.
type Header struct {
	From   Party  `xml:"From"`
	To     Party  `xml:"To"`
	Sender Sender `xml:"Sender"`
}

// Party is a From or To party: one or more credentials naming it.
type Party struct {
	Credentials []Credential `xml:"Credential"`
}

// Sender is the party that sends the document and authenticates it.
type Sender struct {
	Credentials []Credential `xml:"Credential"`
	UserAgent   string       `xml:"UserAgent"`
}

// Credential names a party within a domain (NetworkID, DUNS, ...). Domains
// compare case-insensitively (see [Credential.Matches]).
type Credential struct {
	Domain       string `xml:"domain,attr"`
	Type         string `xml:"type,attr,omitempty"`
	Identity     string `xml:"Identity"`
	SharedSecret Secret `xml:"SharedSecret,omitempty"`
}

// Request is a cXML request envelope body. DeploymentMode is
// DeploymentProduction (the default when absent) or DeploymentTest.
type Request struct {
	DeploymentMode       string                `xml:"deploymentMode,attr,omitempty"`
	PunchOutSetupRequest *PunchOutSetupRequest `xml:"PunchOutSetupRequest"`
	OrderRequest         *OrderRequest         `xml:"OrderRequest"`
	ProfileRequest       *ProfileRequest       `xml:"ProfileRequest"`
	InvoiceDetailRequest *InvoiceDetailRequest `xml:"InvoiceDetailRequest"`
}

// Response is a cXML response envelope body: a Status and, on success, the
// answer to the request.
type Response struct {
	Status                Status                 `xml:"Status"`
	PunchOutSetupResponse *PunchOutSetupResponse `xml:"PunchOutSetupResponse"`
	ProfileResponse       *ProfileResponse       `xml:"ProfileResponse"`
}

// Message is a one-way cXML message body.
type Message struct {
	DeploymentMode       string                `xml:"deploymentMode,attr,omitempty"`
	Status               *Status               `xml:"Status"`
	PunchOutOrderMessage *PunchOutOrderMessage `xml:"PunchOutOrderMessage"`
}

// Status is the outcome of a request: a code, its text and an optional
// human-readable message.
type Status struct {
	Code    int    `xml:"code,attr"`
	Text    string `xml:"text,attr"`
	Lang    string `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Message string `xml:",chardata"`
}

// PunchOutSetupRequest opens a PunchOut session. Operation is one of
// OperationCreate, OperationEdit and OperationInspect; for edit and inspect,
// Items holds the cart to restore.
type PunchOutSetupRequest struct {
	Operation       string      `xml:"operation,attr"`
	BuyerCookie     string      `xml:"BuyerCookie"`
	Extrinsics      []Extrinsic `xml:"Extrinsic"`
	BrowserFormPost *URLElement `xml:"BrowserFormPost"`
	Contacts        []Contact   `xml:"Contact"`
	SupplierSetup   *URLElement `xml:"SupplierSetup"`
	ShipTo          *ShipTo     `xml:"ShipTo"`
	Items           []ItemOut   `xml:"ItemOut"`
}

// Deployment modes (Request deploymentMode).
const (
	DeploymentProduction = "production"
	DeploymentTest       = "test"
)

// PunchOut operations (PunchOutSetupRequest operation and
// PunchOutOrderMessageHeader operationAllowed).
const (
	OperationCreate  = "create"
	OperationEdit    = "edit"
	OperationInspect = "inspect"
)

// Order request types (OrderRequestHeader type).
const (
	OrderNew    = "new"
	OrderUpdate = "update"
	OrderDelete = "delete"
)

// URLElement is an element whose only content is a URL child
// (BrowserFormPost, SupplierSetup, StartPage).
type URLElement struct {
	URL string `xml:"URL"`
}

// Extrinsic is a named free-form value (user e-mail, cost centre, ...).
type Extrinsic struct {
	Name  string `xml:"name,attr"`
	Value string `xml:",chardata"`
}

// Contact is a person at the buyer, typically the PunchOut user.
type Contact struct {
	Role  string `xml:"role,attr,omitempty"`
	Name  Name   `xml:"Name"`
	Email string `xml:"Email,omitempty"`
}

// Name is a localized name.
type Name struct {
	Lang  string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Value string `xml:",chardata"`
}

// PunchOutSetupResponse answers a PunchOutSetupRequest with the page the
// buyer's browser is sent to.
type PunchOutSetupResponse struct {
	StartPage URLElement `xml:"StartPage"`
}

// PunchOutOrderMessage carries the cart back to the procurement system
// through the user's browser.
type PunchOutOrderMessage struct {
	BuyerCookie string                     `xml:"BuyerCookie"`
	Header      PunchOutOrderMessageHeader `xml:"PunchOutOrderMessageHeader"`
	Items       []ItemIn                   `xml:"ItemIn"`
}

// PunchOutOrderMessageHeader says what the buyer may do with the cart later
// and what it costs.
type PunchOutOrderMessageHeader struct {
	OperationAllowed string `xml:"operationAllowed,attr"`
	Total            Total  `xml:"Total"`
}

// Total wraps the total amount of a cart or order.
type Total struct {
	Money Money `xml:"Money"`
}

// Money is an amount in a currency. Value is the decimal text as written
// (no floating point).
type Money struct {
	Currency string `xml:"currency,attr"`
	Value    string `xml:",chardata"`
}

// ItemIn is one cart line of a PunchOutOrderMessage.
type ItemIn struct {
	Quantity   string     `xml:"quantity,attr"`
	LineNumber string     `xml:"lineNumber,attr,omitempty"`
	ItemID     ItemID     `xml:"ItemID"`
	ItemDetail ItemDetail `xml:"ItemDetail"`
}

// ItemOut is one line of an OrderRequest, or of the cart restored by an edit
// or inspect PunchOutSetupRequest.
type ItemOut struct {
	Quantity              string      `xml:"quantity,attr"`
	LineNumber            string      `xml:"lineNumber,attr,omitempty"`
	RequestedDeliveryDate string      `xml:"requestedDeliveryDate,attr,omitempty"`
	ItemID                ItemID      `xml:"ItemID"`
	ItemDetail            *ItemDetail `xml:"ItemDetail"`
}

// ItemID identifies a supplier's item: for Gatehouse the product
// (SupplierPartID) and the offer and terms (SupplierPartAuxiliaryID).
type ItemID struct {
	SupplierPartID          string `xml:"SupplierPartID"`
	SupplierPartAuxiliaryID string `xml:"SupplierPartAuxiliaryID,omitempty"`
}

// ItemDetail describes an item: price, description, unit and classification.
type ItemDetail struct {
	UnitPrice          UnitPrice        `xml:"UnitPrice"`
	Description        Description      `xml:"Description"`
	UnitOfMeasure      string           `xml:"UnitOfMeasure"`
	Classifications    []Classification `xml:"Classification"`
	ManufacturerPartID string           `xml:"ManufacturerPartID,omitempty"`
	ManufacturerName   string           `xml:"ManufacturerName,omitempty"`
	Extrinsics         []Extrinsic      `xml:"Extrinsic"`
}

// UnitPrice wraps the price of one unit.
type UnitPrice struct {
	Money Money `xml:"Money"`
}

// Description is a localized item description with an optional short name.
type Description struct {
	Lang      string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	Text      string `xml:",chardata"`
	ShortName string `xml:"ShortName,omitempty"`
}

// Classification is a commodity code in a domain, usually UNSPSC.
type Classification struct {
	Domain string `xml:"domain,attr"`
	Code   string `xml:",chardata"`
}

// DomainUNSPSC is the Classification domain of UNSPSC codes.
const DomainUNSPSC = "UNSPSC"

// UNSPSC codes of the software Gatehouse sells.
const (
	UNSPSCSoftwareAsAService = "81162000"
	UNSPSCApplicationServer  = "43232701"
	UNSPSCSoftware           = "43230000"
)

// OrderRequest is a purchase order: its header and lines.
type OrderRequest struct {
	Header OrderRequestHeader `xml:"OrderRequestHeader"`
	Items  []ItemOut          `xml:"ItemOut"`
}

// OrderRequestHeader identifies the order (orderID, orderDate, type) and
// carries its total and addresses.
type OrderRequestHeader struct {
	OrderID    string      `xml:"orderID,attr"`
	OrderDate  Timestamp   `xml:"orderDate,attr"`
	Type       string      `xml:"type,attr,omitempty"`
	Total      Total       `xml:"Total"`
	ShipTo     *ShipTo     `xml:"ShipTo"`
	BillTo     *BillTo     `xml:"BillTo"`
	Contacts   []Contact   `xml:"Contact"`
	Comments   string      `xml:"Comments,omitempty"`
	Extrinsics []Extrinsic `xml:"Extrinsic"`
}

// ShipTo is the delivery address.
type ShipTo struct {
	Address Address `xml:"Address"`
}

// BillTo is the invoicing address.
type BillTo struct {
	Address Address `xml:"Address"`
}

// Address is a named postal address.
type Address struct {
	AddressID     string         `xml:"addressID,attr,omitempty"`
	Name          Name           `xml:"Name"`
	PostalAddress *PostalAddress `xml:"PostalAddress"`
	Email         string         `xml:"Email,omitempty"`
}

// PostalAddress is a street address.
type PostalAddress struct {
	Name       string   `xml:"name,attr,omitempty"`
	DeliverTo  []string `xml:"DeliverTo"`
	Street     []string `xml:"Street"`
	City       string   `xml:"City"`
	State      string   `xml:"State,omitempty"`
	PostalCode string   `xml:"PostalCode,omitempty"`
	Country    Country  `xml:"Country"`
}

// Country is a country by ISO 3166 code, with its name as content.
type Country struct {
	ISOCountryCode string `xml:"isoCountryCode,attr"`
	Name           string `xml:",chardata"`
}

// ProfileRequest asks which transactions a server supports.
type ProfileRequest struct{}

// ProfileResponse lists the supported transactions and their URLs.
type ProfileResponse struct {
	EffectiveDate Timestamp     `xml:"effectiveDate,attr"`
	Options       []Option      `xml:"Option"`
	Transactions  []Transaction `xml:"Transaction"`
}

// Option is a named profile option.
type Option struct {
	Name  string `xml:"name,attr"`
	Value string `xml:",chardata"`
}

// Transaction is one supported request type and the URL that accepts it.
type Transaction struct {
	RequestName string   `xml:"requestName,attr"`
	URL         string   `xml:"URL"`
	Options     []Option `xml:"Option"`
}
