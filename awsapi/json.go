package awsapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"gatehouse/awserr"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// JSONProtocol writes the responses and errors of one JSON-based AWS
// protocol. Use the presets; copy one and change MessageMember for a
// service whose model spells its message member differently.
type JSONProtocol struct {
	// ContentType is the protocol's Content-Type, sent on every response.
	ContentType string
	// MessageMember is the error body's message key: the member name in the
	// service model ("Message" for Organizations, CloudTrail and the
	// Marketplace Catalog; "message" for Invoicing). SDKs accept either.
	MessageMember string
}

// The JSON protocols Gatehouse serves.
var (
	// JSON11 is awsJson1_1: Organizations, CloudTrail.
	JSON11 = JSONProtocol{ContentType: "application/x-amz-json-1.1", MessageMember: "Message"}
	// JSON10 is awsJson1_0: Invoicing, Marketplace Agreement.
	JSON10 = JSONProtocol{ContentType: "application/x-amz-json-1.0", MessageMember: "message"}
	// RESTJSON is restJson1 (Marketplace Catalog, Discovery, Deployment);
	// only its error encoding and plain 200 responses are provided.
	RESTJSON = JSONProtocol{ContentType: "application/json", MessageMember: "Message"}
)

// Response headers AWS sends.
const (
	headerRequestID = "X-Amzn-Requestid"
	headerErrorType = "X-Amzn-Errortype"
)

// Write sends v as a 200 response: v marshalled with encoding/json (a nil v
// sends an empty body, as for operations without output), the protocol's
// Content-Type and x-amzn-RequestId. Use field tags with the model's
// member names, `omitempty` for optional members and [Time] with
// `omitzero` for timestamps. A [json.RawMessage] is sent as it is, and
// must be valid JSON. If v cannot be marshalled, Write sends
// InternalFailure instead and returns the wrapped cause.
func (p JSONProtocol) Write(w http.ResponseWriter, requestID string, v any) error {
	var body []byte
	if raw, ok := v.(json.RawMessage); ok {
		body = raw // already encoded: sent as is
	} else if v != nil {
		b, err := marshalJSON(v)
		if err != nil {
			err = fmt.Errorf("awsapi: marshal %T: %w", v, err)
			return errors.Join(err, p.WriteError(w, requestID, awserr.Internal(err)))
		}
		body = b
	}
	return p.send(w, requestID, http.StatusOK, body)
}

// WriteError sends err as AWS does: status per error, header
// x-amzn-ErrorType: <Code>, body {"__type":"<Code>","Message":"...",
// extra members...}. err is converted with [As], and a query-family common
// code is sent in its JSON spelling (AccessDenied → AccessDeniedException).
func (p JSONProtocol) WriteError(w http.ResponseWriter, requestID string, err error) error {
	e := awserr.As(err)
	if e == nil || e.Code == "" {
		e = awserr.Internal(err)
	}
	e = e.JSONSpelling()
	body, ferr := p.errorBody(e)
	w.Header().Set(headerErrorType, e.Code)
	return errors.Join(ferr, p.send(w, requestID, e.HTTPStatus(), body))
}

func (p JSONProtocol) send(w http.ResponseWriter, requestID string, status int, body []byte) error {
	h := w.Header()
	h.Set("Content-Type", p.ContentType)
	h.Set(headerRequestID, requestID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("awsapi: write response: %w", err)
	}
	return nil
}

// errorBody renders {"__type":..., message, fields...} in that order. A
// field that cannot be marshalled, or that would shadow __type or the
// message, is left out and reported.
func (p JSONProtocol) errorBody(e *awserr.Error) ([]byte, error) {
	var buf bytes.Buffer
	var errs []error
	buf.WriteString(`{"__type":`)
	writeJSONString(&buf, e.Code)
	if e.Message != "" {
		buf.WriteByte(',')
		writeJSONString(&buf, p.MessageMember)
		buf.WriteByte(':')
		writeJSONString(&buf, e.Message)
	}
	for _, f := range e.Fields {
		if f.Name == "__type" || strings.EqualFold(f.Name, p.MessageMember) {
			errs = append(errs, fmt.Errorf("awsapi: error field %q shadows a protocol member", f.Name))
			continue
		}
		v, err := marshalJSON(f.Value)
		if err != nil {
			errs = append(errs, fmt.Errorf("awsapi: marshal error field %q: %w", f.Name, err))
			continue
		}
		buf.WriteByte(',')
		writeJSONString(&buf, f.Name)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), errors.Join(errs...)
}

func writeJSONString(buf *bytes.Buffer, s string) {
	b, _ := marshalJSON(s) // a string always marshals
	buf.Write(b)
}

// marshalJSON is json.Marshal without HTML escaping, as AWS sends JSON.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// ParseTarget splits an X-Amz-Target header value at its last dot:
// "AWSOrganizationsV20161128.CreateOrganization" gives prefix
// "AWSOrganizationsV20161128" and operation "CreateOrganization"; CloudTrail's
// prefix "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101" keeps its
// dots. A missing or malformed target is UnknownOperationException.
func ParseTarget(target string) (prefix, operation string, err error) {
	i := strings.LastIndexByte(target, '.')
	if i <= 0 || i == len(target)-1 {
		return "", "", awserr.ErrUnknownOperationException.Newf("Invalid X-Amz-Target %q: want <service prefix>.<operation>.", target)
	}
	prefix, operation = target[:i], target[i+1:]
	if !isIdent(operation, false) || !isIdent(prefix, true) {
		return "", "", awserr.ErrUnknownOperationException.Newf("Invalid X-Amz-Target %q: want <service prefix>.<operation>.", target)
	}
	return prefix, operation, nil
}

// isIdent reports whether s is made of ASCII letters, digits and
// underscores (and dots, if dots is set).
func isIdent(s string, dots bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || dots && c == '.'
		if !ok {
			return false
		}
	}
	return s != ""
}

// DecodeJSON decodes a JSON request body into v, a pointer to the
// operation's input struct. An empty body is an empty input, as the JSON
// protocols require. Unknown members are ignored, as AWS does for newer
// clients' members. Malformed JSON, a value of the wrong type, or data
// after the document is SerializationException (400); a non-pointer v is a
// programming error, returned as InternalFailure.
func DecodeJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if rest := body[dec.InputOffset():]; len(bytes.TrimSpace(rest)) != 0 {
		return awserr.ErrSerializationException.Newf("Unexpected data after the JSON document at byte %d.", dec.InputOffset())
	}
	return nil
}

// decodeError turns an encoding/json error into the AWS error to send.
func decodeError(err error) *awserr.Error {
	var (
		syntax  *json.SyntaxError
		typ     *json.UnmarshalTypeError
		invalid *json.InvalidUnmarshalError
		e       *awserr.Error
	)
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &syntax):
		return awserr.ErrSerializationException.Wrap(err, fmt.Sprintf("Malformed JSON at byte %d: %v.", syntax.Offset, err))
	case errors.As(err, &typ):
		return awserr.ErrSerializationException.Wrap(err, typeMessage(typ))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return awserr.ErrSerializationException.Wrap(err, "The request body ends inside the JSON document.")
	case errors.As(err, &invalid):
		return awserr.Internal(fmt.Errorf("awsapi: decode JSON: %w", err))
	}
	return awserr.ErrSerializationException.Wrap(err, "The request body cannot be read as the operation's input.")
}

func typeMessage(e *json.UnmarshalTypeError) string {
	if e.Field == "" {
		return fmt.Sprintf("Unexpected JSON %s at the top level; expected an object.", e.Value)
	}
	return fmt.Sprintf("Unexpected JSON %s for member %s.", e.Value, e.Field)
}

// Time is a timestamp in the JSON protocols' default format: epoch seconds
// as a JSON number with a fractional part, at millisecond precision
// (1481830215.123). The zero Time marshals as null; tag optional members
// `json:",omitzero"`. Unmarshalling accepts any JSON number (null leaves
// the value unchanged); anything else is SerializationException.
type Time struct {
	time.Time
}

// maxEpochSeconds bounds accepted timestamps to before the year 10000 (and
// as far before 1970).
const maxEpochSeconds = 253402300800

// MarshalJSON writes t as epoch seconds with up to three fractional
// digits and at least one.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	ms := t.UnixMilli()
	var b []byte
	if ms < 0 {
		b = append(b, '-')
		ms = -ms
	}
	b = strconv.AppendInt(b, ms/1000, 10)
	frac := fmt.Sprintf("%03d", ms%1000)
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		frac = "0"
	}
	return append(append(b, '.'), frac...), nil
}

// UnmarshalJSON reads epoch seconds, rounding to the millisecond.
func (t *Time) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.Abs(f) >= maxEpochSeconds {
		return awserr.ErrSerializationException.Wrap(err, fmt.Sprintf("Timestamp %.40s is not a number of epoch seconds.", s))
	}
	t.Time = time.UnixMilli(int64(math.Round(f * 1000))).UTC()
	return nil
}
