package cxml

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
)

// Hidden form fields that carry a PunchOutOrderMessage through the browser
// to the BrowserFormPost URL.
const (
	// FieldURLEncoded holds the document itself; the browser URL-encodes it
	// when it posts the form (the HTML page must escape it as an attribute).
	FieldURLEncoded = "cxml-urlencoded"
	// FieldBase64 holds the document in standard base64, which survives
	// characters the URL-encoded field mangles in some receivers.
	FieldBase64 = "cxml-base64"
)

// FormValues marshals a PunchOutOrderMessage document and returns the form
// fields that carry it: always cxml-urlencoded, and cxml-base64 too when
// withBase64 is set.
func FormValues(d *Document, withBase64 bool) (url.Values, error) {
	if d.Message == nil || d.Message.PunchOutOrderMessage == nil {
		return nil, fmt.Errorf("%w: not a PunchOutOrderMessage", ErrInvalid)
	}
	b, err := Marshal(d)
	if err != nil {
		return nil, err
	}
	v := url.Values{FieldURLEncoded: {string(b)}}
	if withBase64 {
		v.Set(FieldBase64, base64.StdEncoding.EncodeToString(b))
	}
	return v, nil
}

// ParseForm reads the PunchOutOrderMessage a browser posted: the cxml-base64
// field if present, else cxml-urlencoded. Field names match in any letter
// case ("cXML-urlencoded" is common).
func ParseForm(form url.Values) (*Document, error) {
	var enc, b64 string
	for name, vals := range form {
		if len(vals) == 0 {
			continue
		}
		switch strings.ToLower(name) {
		case FieldURLEncoded:
			enc = vals[0]
		case FieldBase64:
			b64 = vals[0]
		}
	}
	var doc *Document
	var err error
	switch {
	case b64 != "":
		if base64.StdEncoding.DecodedLen(len(b64)) > MaxDocumentSize {
			return nil, fmt.Errorf("%w: %s field", ErrTooLarge, FieldBase64)
		}
		raw, derr := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if derr != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrMalformed, FieldBase64, derr)
		}
		doc, err = ParseBytes(raw)
	case enc != "":
		doc, err = ParseBytes([]byte(enc))
	default:
		return nil, fmt.Errorf("%w: no %s or %s field", ErrMalformed, FieldURLEncoded, FieldBase64)
	}
	if err != nil {
		return nil, err
	}
	if doc.Kind() != "PunchOutOrderMessage" {
		return nil, fmt.Errorf("%w: form carries %s, not a PunchOutOrderMessage", ErrInvalid, doc.Kind())
	}
	return doc, nil
}
