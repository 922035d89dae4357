package cxml

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"strconv"
	"time"
)

// Version is the cXML version of every emitted document. 1.2.063 is a
// released DTD that the major procurement networks accept, and every element
// emitted here has existed unchanged since early 1.2 releases, so buyers that
// validate against an older DTD read the documents too.
const Version = "1.2.063"

// DTD is the system identifier of the emitted DOCTYPE. It is never fetched.
const DTD = "http://xml.cxml.org/schemas/cXML/" + Version + "/cXML.dtd"

// prolog returns the XML declaration and the DOCTYPE line naming dtd.
func prolog(dtd string) string {
	return xml.Header + `<!DOCTYPE cXML SYSTEM "` + dtd + `">` + "\n"
}

// NewPayloadID returns a fresh payloadID of the form <time>.<random>@<host>:
// Unix time in milliseconds and 64 random bits, which are unique without
// coordination between processes.
func NewPayloadID(now time.Time, host string) string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return strconv.FormatInt(now.UnixMilli(), 10) + "." + hex.EncodeToString(b[:]) + "@" + host
}

// NewStatus returns the Status for code with the cXML text and an optional
// message.
func NewStatus(code int, message string) Status {
	return Status{Code: code, Text: StatusText(code), Lang: langFor(message), Message: message}
}

func langFor(message string) string {
	if message == "" {
		return ""
	}
	return "en-US"
}

// NewResponse returns a Response document with status st, stamped now with a
// fresh payloadID on host. Set its PunchOutSetupResponse or ProfileResponse
// for a successful answer.
func NewResponse(now time.Time, host string, st Status) *Document {
	return &Document{
		PayloadID: NewPayloadID(now, host),
		Timestamp: At(now),
		Response:  &Response{Status: st},
	}
}

// Marshal returns d as a strict cXML [Version] document: XML declaration,
// DOCTYPE line (naming [InvoiceDetailDTD] for an InvoiceDetailRequest,
// [DTD] otherwise) and the body. The body is not indented, because indentation
// would become part of mixed content such as a Description with a ShortName. It sets the version and refuses a
// document that lacks what the DTD requires of the parts the bridge emits.
func Marshal(d *Document) ([]byte, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	out := *d
	out.Version = Version
	body, err := xml.Marshal(&out)
	if err != nil {
		return nil, fmt.Errorf("cxml: marshal: %w", err)
	}
	head := prolog(DTD)
	if d.Request != nil && d.Request.InvoiceDetailRequest != nil {
		head = prolog(InvoiceDetailDTD)
	}
	var buf bytes.Buffer
	buf.Grow(len(head) + len(body) + 1)
	buf.WriteString(head)
	buf.Write(body)
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// check enforces the emitted documents' required parts.
func (d *Document) check() error {
	switch {
	case d.PayloadID == "":
		return fmt.Errorf("%w: no payloadID", ErrInvalid)
	case !d.Timestamp.Valid():
		return fmt.Errorf("%w: no timestamp", ErrInvalid)
	}
	switch {
	case d.Response != nil && d.Request == nil && d.Message == nil:
		return d.Response.check()
	case d.Message != nil && d.Request == nil && d.Response == nil:
		if d.Header == nil {
			return fmt.Errorf("%w: Message without Header", ErrInvalid)
		}
		return d.Message.check()
	case d.Request != nil && d.Response == nil && d.Message == nil:
		if d.Header == nil {
			return fmt.Errorf("%w: Request without Header", ErrInvalid)
		}
		return d.Request.check()
	}
	return fmt.Errorf("%w: want exactly one of Request, Response and Message", ErrInvalid)
}

func (r *Response) check() error {
	if r.Status.Code == 0 || r.Status.Text == "" {
		return fmt.Errorf("%w: Response without Status", ErrInvalid)
	}
	if r.PunchOutSetupResponse != nil && r.PunchOutSetupResponse.StartPage.URL == "" {
		return fmt.Errorf("%w: StartPage without URL", ErrInvalid)
	}
	if p := r.ProfileResponse; p != nil {
		return p.check()
	}
	return nil
}

// check enforces the DTD's ProfileResponse: an effectiveDate and at least
// one Transaction, each with a requestName and a URL.
func (p *ProfileResponse) check() error {
	if !p.EffectiveDate.Valid() {
		return fmt.Errorf("%w: ProfileResponse without effectiveDate", ErrInvalid)
	}
	if len(p.Transactions) == 0 {
		return fmt.Errorf("%w: ProfileResponse without Transaction", ErrInvalid)
	}
	for i, t := range p.Transactions {
		if t.RequestName == "" || t.URL == "" {
			return fmt.Errorf("%w: Transaction %d without requestName or URL", ErrInvalid, i+1)
		}
	}
	return nil
}

func (r *Request) check() error {
	if r.InvoiceDetailRequest != nil {
		return r.InvoiceDetailRequest.check()
	}
	return nil
}

func (m *Message) check() error {
	p := m.PunchOutOrderMessage
	if p == nil {
		return nil
	}
	if _, err := operation(p.Header.OperationAllowed, "operationAllowed"); err != nil {
		return err
	}
	if p.Header.Total.Money.Currency == "" || p.Header.Total.Money.Value == "" {
		return fmt.Errorf("%w: PunchOutOrderMessage without Total", ErrInvalid)
	}
	for i, item := range p.Items {
		switch {
		case item.Quantity == "":
			return fmt.Errorf("%w: ItemIn %d without quantity", ErrInvalid, i+1)
		case item.ItemID.SupplierPartID == "":
			return fmt.Errorf("%w: ItemIn %d without SupplierPartID", ErrInvalid, i+1)
		case item.ItemDetail.UnitPrice.Money.Currency == "":
			return fmt.Errorf("%w: ItemIn %d without UnitPrice", ErrInvalid, i+1)
		case item.ItemDetail.UnitOfMeasure == "":
			return fmt.Errorf("%w: ItemIn %d without UnitOfMeasure", ErrInvalid, i+1)
		case len(item.ItemDetail.Classifications) == 0:
			return fmt.Errorf("%w: ItemIn %d without Classification", ErrInvalid, i+1)
		}
	}
	return nil
}
