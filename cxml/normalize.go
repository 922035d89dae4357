package cxml

import (
	"fmt"
	"strings"
)

// Kind names the payload of a document: "PunchOutSetupRequest",
// "OrderRequest", "ProfileRequest", "InvoiceDetailRequest",
// "PunchOutSetupResponse",
// "ProfileResponse", "Response", "PunchOutOrderMessage" or "Message".
func (d *Document) Kind() string {
	switch {
	case d.Request != nil && d.Request.PunchOutSetupRequest != nil:
		return "PunchOutSetupRequest"
	case d.Request != nil && d.Request.OrderRequest != nil:
		return "OrderRequest"
	case d.Request != nil && d.Request.ProfileRequest != nil:
		return "ProfileRequest"
	case d.Request != nil && d.Request.InvoiceDetailRequest != nil:
		return "InvoiceDetailRequest"
	case d.Response != nil && d.Response.PunchOutSetupResponse != nil:
		return "PunchOutSetupResponse"
	case d.Response != nil && d.Response.ProfileResponse != nil:
		return "ProfileResponse"
	case d.Response != nil:
		return "Response"
	case d.Message != nil && d.Message.PunchOutOrderMessage != nil:
		return "PunchOutOrderMessage"
	case d.Message != nil:
		return "Message"
	}
	return ""
}

// normalize checks a parsed document against the rules the bridge relies on
// and puts lenient spellings in canonical form: trimmed identities, domains
// and URLs, lower-case operations and order types.
func (d *Document) normalize() error {
	d.Version = strings.TrimSpace(d.Version)
	if d.Version != "" && !versionPattern.MatchString(d.Version) {
		return fmt.Errorf("%w %q", ErrVersion, d.Version)
	}
	if strings.TrimSpace(d.PayloadID) == "" {
		return fmt.Errorf("%w: no payloadID", ErrInvalid)
	}
	bodies := 0
	for _, set := range []bool{d.Request != nil, d.Response != nil, d.Message != nil} {
		if set {
			bodies++
		}
	}
	if bodies != 1 {
		return fmt.Errorf("%w: want exactly one of Request, Response and Message, have %d", ErrInvalid, bodies)
	}
	if d.Header != nil {
		d.Header.normalize()
	}
	switch {
	case d.Request != nil:
		return d.Request.normalize(d.Header != nil)
	case d.Message != nil:
		return d.Message.normalize()
	}
	return nil
}

func (h *Header) normalize() {
	for _, creds := range [][]Credential{h.From.Credentials, h.To.Credentials, h.Sender.Credentials} {
		for i := range creds {
			creds[i].Domain = strings.TrimSpace(creds[i].Domain)
			creds[i].Identity = strings.TrimSpace(creds[i].Identity)
		}
	}
}

func (r *Request) normalize(hasHeader bool) error {
	if !hasHeader {
		return fmt.Errorf("%w: Request without Header", ErrInvalid)
	}
	r.DeploymentMode = strings.ToLower(strings.TrimSpace(r.DeploymentMode))
	switch {
	case r.PunchOutSetupRequest != nil:
		return r.PunchOutSetupRequest.normalize()
	case r.OrderRequest != nil:
		return r.OrderRequest.normalize()
	case r.ProfileRequest != nil:
		return nil
	case r.InvoiceDetailRequest != nil:
		return r.InvoiceDetailRequest.normalize()
	}
	return fmt.Errorf("%w: unsupported request", ErrInvalid)
}

func (p *PunchOutSetupRequest) normalize() error {
	op, err := operation(p.Operation, "operation")
	if err != nil {
		return err
	}
	p.Operation = op
	if p.BrowserFormPost != nil {
		p.BrowserFormPost.URL = strings.TrimSpace(p.BrowserFormPost.URL)
	}
	if p.SupplierSetup != nil {
		p.SupplierSetup.URL = strings.TrimSpace(p.SupplierSetup.URL)
	}
	return nil
}

func (o *OrderRequest) normalize() error {
	h := &o.Header
	h.OrderID = strings.TrimSpace(h.OrderID)
	if h.OrderID == "" {
		return fmt.Errorf("%w: OrderRequestHeader without orderID", ErrInvalid)
	}
	h.Type = strings.ToLower(strings.TrimSpace(h.Type))
	switch h.Type {
	case "":
		h.Type = OrderNew
	case OrderNew, OrderUpdate, OrderDelete:
	default:
		return fmt.Errorf("%w: order type %q", ErrInvalid, h.Type)
	}
	return nil
}

func (m *Message) normalize() error {
	if m.PunchOutOrderMessage == nil {
		return nil
	}
	h := &m.PunchOutOrderMessage.Header
	op, err := operation(h.OperationAllowed, "operationAllowed")
	if err != nil {
		return err
	}
	h.OperationAllowed = op
	return nil
}

// operation reads a PunchOut operation in any letter case.
func operation(s, attr string) (string, error) {
	op := strings.ToLower(strings.TrimSpace(s))
	switch op {
	case OperationCreate, OperationEdit, OperationInspect:
		return op, nil
	}
	return "", fmt.Errorf("%w: %s %q", ErrInvalid, attr, s)
}
