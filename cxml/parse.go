package cxml

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"
)

// MaxDocumentSize is the largest document Parse reads: far above any real
// setup request or order, far below what could hurt the server.
const MaxDocumentSize = 1 << 20

// maxDepth bounds element nesting; cXML documents are about ten deep.
const maxDepth = 64

// versionPattern accepts any cXML 1.2 version ("1.2.014", "1.2.063", "1.2").
var versionPattern = regexp.MustCompile(`^1\.2(\.\d{1,4})?$`)

// Parse reads one cXML document from r, at most [MaxDocumentSize] bytes.
func Parse(r io.Reader) (*Document, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxDocumentSize+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading: %v", ErrMalformed, err)
	}
	return ParseBytes(b)
}

// ParseBytes reads one cXML document from b. See the package comment for
// what it accepts and refuses.
func ParseBytes(b []byte) (*Document, error) {
	if len(b) > MaxDocumentSize {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxDocumentSize)
	}
	raw := xml.NewDecoder(bytes.NewReader(b))
	raw.Strict = true
	raw.Entity = nil // only the five predefined entities and character references
	raw.CharsetReader = charsetReader
	g := &guard{d: raw}
	dec := xml.NewTokenDecoder(g)
	var doc Document
	if err := dec.Decode(&doc); err != nil {
		return nil, classify(err)
	}
	if err := g.trailer(); err != nil {
		return nil, err
	}
	if err := doc.normalize(); err != nil {
		return nil, err
	}
	return &doc, nil
}

// classify wraps a decoding error in the package's error kinds.
func classify(err error) error {
	for _, known := range []error{ErrForbiddenMarkup, ErrWrongRoot, ErrTooLarge} {
		if errors.Is(err, known) {
			return err
		}
	}
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: no root element", ErrMalformed)
	}
	return fmt.Errorf("%w: %v", ErrMalformed, err)
}

// guard sits between the tokenizer and the unmarshaller. It refuses markup
// declarations other than a plain external DOCTYPE, checks the root element,
// bounds nesting, and gives element and attribute names their canonical
// cXML letter case.
type guard struct {
	d        *xml.Decoder
	depth    int
	rootSeen bool
	rootDone bool
}

// Token returns the next checked token.
func (g *guard) Token() (xml.Token, error) {
	tok, err := g.d.RawToken()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case xml.Directive:
		if err := checkDirective(t, g.rootSeen); err != nil {
			return nil, err
		}
	case xml.StartElement:
		return g.start(t)
	case xml.EndElement:
		g.depth--
		t.Name.Local = canonical(elementNames, t.Name.Local)
		if g.depth == 0 {
			g.rootDone = true
		}
		return t, nil
	case xml.CharData:
		if !utf8.Valid(t) {
			return nil, fmt.Errorf("%w: text is not UTF-8", ErrMalformed)
		}
	}
	return tok, nil
}

func (g *guard) start(t xml.StartElement) (xml.Token, error) {
	if g.rootDone {
		return nil, fmt.Errorf("%w: content after the root element", ErrMalformed)
	}
	t.Name.Local = canonical(elementNames, t.Name.Local)
	if !g.rootSeen {
		g.rootSeen = true
		if t.Name.Local != "cXML" {
			return nil, fmt.Errorf("%w: <%s>", ErrWrongRoot, t.Name.Local)
		}
	}
	g.depth++
	if g.depth > maxDepth {
		return nil, fmt.Errorf("%w: nesting deeper than %d", ErrMalformed, maxDepth)
	}
	attrs := make([]xml.Attr, len(t.Attr))
	for i, a := range t.Attr {
		if a.Name.Space == "" {
			a.Name.Local = canonical(attributeNames, a.Name.Local)
		}
		attrs[i] = a
	}
	t.Attr = attrs
	return t, nil
}

// trailer reads what follows the root element: only white space, comments
// and processing instructions may.
func (g *guard) trailer() error {
	for {
		tok, err := g.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return classify(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return fmt.Errorf("%w: text after the root element", ErrMalformed)
			}
		case xml.Comment, xml.ProcInst:
		default:
			return fmt.Errorf("%w: markup after the root element", ErrMalformed)
		}
	}
}

// checkDirective allows only `<!DOCTYPE cXML SYSTEM "...">` before the root:
// no internal subset, so no entity, element or attribute declaration can
// reach the parser, and the DTD it names is never fetched.
func checkDirective(d xml.Directive, rootSeen bool) error {
	s := string(d)
	upper := strings.ToUpper(s)
	switch {
	case rootSeen:
		return fmt.Errorf("%w: declaration inside the document", ErrForbiddenMarkup)
	case !strings.HasPrefix(upper, "DOCTYPE"):
		return fmt.Errorf("%w: <!%.20s", ErrForbiddenMarkup, s)
	case strings.ContainsAny(s, "[]<"), strings.Contains(upper, "ENTITY"):
		return fmt.Errorf("%w: DOCTYPE with an internal subset", ErrForbiddenMarkup)
	}
	return nil
}

// charsetReader accepts the single-byte encodings some older systems declare
// besides UTF-8; anything else is refused.
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "latin1", "latin-1", "iso8859-1":
		b, err := io.ReadAll(in)
		if err != nil {
			return nil, err
		}
		out := make([]rune, len(b))
		for i, c := range b {
			out[i] = rune(c)
		}
		return strings.NewReader(string(out)), nil
	}
	return nil, fmt.Errorf("unsupported encoding %q", label)
}

// canonical returns the cXML spelling of name if it is known in any letter
// case, else name unchanged.
func canonical(names map[string]string, name string) string {
	if c, ok := names[strings.ToLower(name)]; ok {
		return c
	}
	return name
}

func nameMap(names ...string) map[string]string {
	m := make(map[string]string, len(names))
	for _, n := range names {
		m[strings.ToLower(n)] = n
	}
	return m
}

var elementNames = nameMap(
	"cXML", "Header", "From", "To", "Sender", "Credential", "Identity", "SharedSecret",
	"UserAgent", "Request", "Response", "Message", "Status",
	"PunchOutSetupRequest", "PunchOutSetupResponse", "StartPage", "BuyerCookie",
	"Extrinsic", "BrowserFormPost", "SupplierSetup", "URL", "Contact", "Name", "Email",
	"PunchOutOrderMessage", "PunchOutOrderMessageHeader", "Total", "Money",
	"ItemIn", "ItemOut", "ItemID", "SupplierPartID", "SupplierPartAuxiliaryID",
	"ItemDetail", "UnitPrice", "Description", "ShortName", "UnitOfMeasure",
	"Classification", "ManufacturerPartID", "ManufacturerName",
	"OrderRequest", "OrderRequestHeader", "ShipTo", "BillTo", "Address",
	"PostalAddress", "DeliverTo", "Street", "City", "State", "PostalCode", "Country",
	"Comments", "ProfileRequest", "ProfileResponse", "Option", "Transaction",
	"InvoiceDetailRequest", "InvoiceDetailRequestHeader", "InvoiceDetailHeaderIndicator",
	"InvoiceDetailLineIndicator", "InvoicePartner", "InvoiceDetailOrder",
	"InvoiceDetailOrderInfo", "OrderReference", "DocumentReference", "InvoiceDetailItem",
	"InvoiceDetailItemReference", "SubtotalAmount", "InvoiceDetailSummary", "Tax",
	"GrossAmount", "NetAmount", "DueAmount",
)

var attributeNames = nameMap(
	"payloadID", "timestamp", "version", "domain", "type", "deploymentMode", "code",
	"text", "operation", "operationAllowed", "name", "role", "currency", "quantity",
	"lineNumber", "requestedDeliveryDate", "orderID", "orderDate", "addressID",
	"isoCountryCode", "effectiveDate", "requestName",
	"invoiceID", "purpose", "invoiceDate", "invoiceLineNumber",
)
