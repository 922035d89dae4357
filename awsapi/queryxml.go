package awsapi

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"gatehouse/awserr"
	"net/http"
	"slices"
	"strconv"
)

// QueryProtocol writes the XML responses and errors of an AWS query
// protocol service.
type QueryProtocol struct {
	// Namespace is the service's XML namespace, sent as xmlns on the root.
	Namespace string
}

// The query services Gatehouse serves.
var (
	// IAM is the AWS Identity and Access Management API, 2010-05-08.
	IAM = QueryProtocol{Namespace: "https://iam.amazonaws.com/doc/2010-05-08/"}
	// STS is the AWS Security Token Service API, 2011-06-15.
	STS = QueryProtocol{Namespace: "https://sts.amazonaws.com/doc/2011-06-15/"}
)

const queryContentType = "text/xml"

// Write sends a 200 response for action:
//
//	<{Action}Response xmlns="{Namespace}">
//	  <{Action}Result>result</{Action}Result>
//	  <ResponseMetadata><RequestId>id</RequestId></ResponseMetadata>
//	</{Action}Response>
//
// A nil result leaves out the Result element, as for operations without
// output (DeleteUser). result is marshalled with encoding/xml; its element
// name is always {Action}Result. Tag conventions for result types:
//
//   - Name each field after the model member: `xml:"UserName"`.
//   - Optional members: `xml:"PermissionsBoundary,omitempty"`, with
//     pointers for optional structures and timestamps.
//   - Lists: [Members][T], which writes <Users><member>...</member></Users>
//     and keeps an empty list as <Users></Users> as AWS does; or the tag
//     `xml:"Users>member"`, which writes nothing for an empty list.
//   - Maps (GetAccountSummary's SummaryMap): [Entries][V].
//   - Timestamps: time.Time in UTC, which writes ISO 8601
//     (2026-01-02T15:04:05Z).
//   - Booleans write true/false; numbers are decimal.
//
// If result cannot be marshalled, Write sends InternalFailure instead and
// returns the wrapped cause.
func (p QueryProtocol) Write(w http.ResponseWriter, requestID, action string, result any) error {
	body, err := p.response(requestID, action, result)
	if err != nil {
		err = fmt.Errorf("awsapi: marshal %s result: %w", action, err)
		return errors.Join(err, p.WriteError(w, requestID, awserr.Internal(err)))
	}
	return sendXML(w, requestID, http.StatusOK, body)
}

func (p QueryProtocol) response(requestID, action string, result any) ([]byte, error) {
	if !isIdent(action, false) {
		return nil, fmt.Errorf("invalid action name %q", action)
	}
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	root := xml.StartElement{Name: xml.Name{Space: p.Namespace, Local: action + "Response"}}
	if err := enc.EncodeToken(root); err != nil {
		return nil, err
	}
	if result != nil {
		if err := enc.EncodeElement(result, elem(action+"Result")); err != nil {
			return nil, err
		}
	}
	if err := encodeMetadata(enc, requestID); err != nil {
		return nil, err
	}
	if err := enc.EncodeToken(root.End()); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func encodeMetadata(enc *xml.Encoder, requestID string) error {
	meta := elem("ResponseMetadata")
	if err := enc.EncodeToken(meta); err != nil {
		return err
	}
	if err := enc.EncodeElement(requestID, elem("RequestId")); err != nil {
		return err
	}
	return enc.EncodeToken(meta.End())
}

// WriteError sends err as the query protocol does:
//
//	<ErrorResponse xmlns="{Namespace}">
//	  <Error><Type>awserr.Sender</Type><Code>NoSuchEntity</Code><Message>...</Message></Error>
//	  <RequestId>id</RequestId>
//	</ErrorResponse>
//
// with the error's status (NoSuchEntity 404, AccessDenied 403,
// ValidationError 400) and extra members after Message. err is converted
// with [As], and a JSON-family common code is sent in its query spelling
// (AccessDeniedException → AccessDenied).
func (p QueryProtocol) WriteError(w http.ResponseWriter, requestID string, err error) error {
	e := awserr.As(err)
	if e == nil || e.Code == "" {
		e = awserr.Internal(err)
	}
	e = e.QuerySpelling()
	body, ferr := p.errorBody(requestID, e)
	return errors.Join(ferr, sendXML(w, requestID, e.HTTPStatus(), body))
}

// errorBody renders the ErrorResponse document. A field that cannot be
// written is left out and reported; a nil body means the document failed.
func (p QueryProtocol) errorBody(requestID string, e *awserr.Error) ([]byte, error) {
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	root := xml.StartElement{Name: xml.Name{Space: p.Namespace, Local: "ErrorResponse"}}
	errElem := elem("Error")
	var errs []error
	err := errors.Join(
		enc.EncodeToken(root),
		enc.EncodeToken(errElem),
		enc.EncodeElement(e.Fault.String(), elem("Type")),
		enc.EncodeElement(e.Code, elem("Code")),
		enc.EncodeElement(e.Message, elem("Message")),
	)
	for _, f := range e.Fields {
		if ferr := encodeField(enc, f); ferr != nil {
			errs = append(errs, ferr)
		}
	}
	err = errors.Join(err,
		enc.EncodeToken(errElem.End()),
		enc.EncodeElement(requestID, elem("RequestId")),
		enc.EncodeToken(root.End()),
		enc.Close(),
	)
	if err != nil {
		return nil, fmt.Errorf("awsapi: encode query error: %w", err)
	}
	return buf.Bytes(), errors.Join(errs...)
}

// reserved are the element names of the <Error> envelope.
var reserved = []string{"Type", "Code", "Message"}

// encodeField writes one extra error member, checking it first so that a
// bad field never leaves a half-written element behind.
func encodeField(enc *xml.Encoder, f awserr.Field) error {
	if !isIdent(f.Name, false) || slices.Contains(reserved, f.Name) {
		return fmt.Errorf("awsapi: invalid error field name %q", f.Name)
	}
	if _, err := xml.Marshal(f.Value); err != nil {
		return fmt.Errorf("awsapi: marshal error field %q: %w", f.Name, err)
	}
	return enc.EncodeElement(f.Value, elem(f.Name))
}

func sendXML(w http.ResponseWriter, requestID string, status int, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", queryContentType)
	h.Set(headerRequestID, requestID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("awsapi: write response: %w", err)
	}
	return nil
}

func elem(name string) xml.StartElement {
	return xml.StartElement{Name: xml.Name{Local: name}}
}

// Members is a list in the query protocol's XML shape: every element is
// written as <member>, inside the field's own element, which is written
// even when the list is empty.
type Members[T any] []T

// MarshalXML writes start, one <member> per element, and the end tag.
func (m Members[T]) MarshalXML(enc *xml.Encoder, start xml.StartElement) error {
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	for _, v := range m {
		if err := enc.EncodeElement(v, elem("member")); err != nil {
			return err
		}
	}
	return enc.EncodeToken(start.End())
}

// Entries is a map in the query protocol's XML shape:
// <entry><key>k</key><value>v</value></entry> per pair, in key order.
type Entries[V any] map[string]V

// MarshalXML writes start, one <entry> per pair in key order, and the end
// tag.
func (m Entries[V]) MarshalXML(enc *xml.Encoder, start xml.StartElement) error {
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		entry := struct {
			Key   string `xml:"key"`
			Value V      `xml:"value"`
		}{k, m[k]}
		if err := enc.EncodeElement(entry, elem("entry")); err != nil {
			return err
		}
	}
	return enc.EncodeToken(start.End())
}
