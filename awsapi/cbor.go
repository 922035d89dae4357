package awsapi

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"

	"gatehouse/awserr"
)

// CBORProtocol writes the responses and errors of Smithy RPC v2 CBOR
// (smithy.protocols#rpcv2Cbor) for one service model.
type CBORProtocol struct {
	// Namespace is the model's namespace: an error the model declares is
	// sent with the absolute shape ID Namespace#Code in __type, as the
	// protocol requires.
	Namespace string
	// Errors are the model's error shapes with their HTTP statuses (the
	// httpError trait, else 400 for client and 500 for server errors).
	// Any other error is one of AWS's common errors, sent in
	// [CommonErrorNamespace] with the status of its kind.
	Errors map[string]int
}

// CBOR protocol constants.
const (
	// CBORContentType is the Content-Type of rpcv2Cbor bodies.
	CBORContentType = "application/cbor"
	// SmithyProtocolHeader names the Smithy protocol of a request and its
	// response.
	SmithyProtocolHeader = "Smithy-Protocol"
	// RPCv2CBOR is the Smithy-Protocol value of rpcv2Cbor.
	RPCv2CBOR = "rpc-v2-cbor"
	// CommonErrorNamespace is the namespace of AWS's errors common to all
	// services (UnrecognizedClientException, SerializationException ...),
	// which no service model declares.
	CommonErrorNamespace = "com.amazon.coral.service"
)

var (
	// cborEnc writes definite lengths, integers in their shortest form,
	// floats as doubles (the protocol advises against half precision) and
	// map keys in bytewise order, so that a response is deterministic.
	cborEnc = mustEncMode(cbor.EncOptions{
		Sort:          cbor.SortBytewiseLexical,
		ShortestFloat: cbor.ShortestFloatNone,
		Time:          cbor.TimeUnixDynamic,
		TimeTag:       cbor.EncTagRequired,
		IndefLength:   cbor.IndefLengthForbidden,
		NilContainers: cbor.NilContainerAsNull,
	})
	// cborDec accepts what the protocol lets clients send: indefinite
	// lengths, half-precision floats, undefined as null, timestamps as tag
	// 1. Member names match struct fields ignoring case when no field has
	// the exact name, so lower camel case wire names reach Go fields;
	// unknown members are ignored, duplicate members refused.
	cborDec = mustDecMode(cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		TimeTag:           cbor.DecTagRequired,
		IndefLength:       cbor.IndefLengthAllowed,
		TagsMd:            cbor.TagsAllowed,
		UTF8:              cbor.UTF8RejectInvalid,
		FieldNameMatching: cbor.FieldNameMatchingPreferCaseSensitive,
		MaxNestedLevels:   32,
	})
)

func mustEncMode(o cbor.EncOptions) cbor.EncMode {
	m, err := o.EncMode()
	if err != nil {
		panic(err)
	}
	return m
}

func mustDecMode(o cbor.DecOptions) cbor.DecMode {
	m, err := o.DecMode()
	if err != nil {
		panic(err)
	}
	return m
}

// MarshalCBOR encodes v with the protocol's encoding rules. v is a tree of
// maps with string keys, slices, strings, numbers, booleans, []byte
// (blobs, sent as byte strings) and [Time] or time.Time (timestamps).
func MarshalCBOR(v any) ([]byte, error) {
	b, err := cborEnc.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("awsapi: marshal CBOR: %w", err)
	}
	return b, nil
}

// Write sends v as a 200 response encoded with [MarshalCBOR]: with
// Smithy-Protocol, Content-Type application/cbor and x-amzn-RequestId. A
// nil v is an operation without output: no body and no Content-Type, as
// the protocol requires. If v cannot be encoded, Write sends
// InternalFailure instead and returns the cause.
func (p CBORProtocol) Write(w http.ResponseWriter, requestID string, v any) error {
	var body []byte
	if v != nil {
		b, err := MarshalCBOR(v)
		if err != nil {
			return errors.Join(err, p.WriteError(w, requestID, awserr.Internal(err)))
		}
		body = b
	}
	return p.send(w, requestID, http.StatusOK, body)
}

// WriteError sends err as rpcv2Cbor does: the status of the model's error
// (or of the common error's kind), and a CBOR map of __type (the error's
// absolute shape ID), message and the error's extra members. No
// X-Amzn-ErrorType header is sent: the protocol puts the type in the body
// only. err is converted with [awserr.As]; query-family codes are sent in
// their JSON spelling.
func (p CBORProtocol) WriteError(w http.ResponseWriter, requestID string, err error) error {
	e := awserr.As(err)
	if e == nil || e.Code == "" {
		e = awserr.Internal(err)
	}
	e = e.JSONSpelling()
	status, modeled := p.Errors[e.Code]
	namespace := p.Namespace
	if !modeled || namespace == "" {
		status, namespace = e.HTTPStatus(), CommonErrorNamespace
	}
	m := map[string]any{"__type": namespace + "#" + e.Code}
	if e.Message != "" {
		m["message"] = e.Message
	}
	var errs []error
	for _, f := range e.Fields {
		if f.Name == "__type" || strings.EqualFold(f.Name, "message") {
			errs = append(errs, fmt.Errorf("awsapi: error field %q shadows a protocol member", f.Name))
			continue
		}
		m[f.Name] = f.Value
	}
	body, merr := MarshalCBOR(m)
	if merr != nil {
		// A member that cannot be encoded is left out with the others.
		errs = append(errs, merr)
		m = map[string]any{"__type": m["__type"], "message": e.Message}
		body, merr = MarshalCBOR(m)
		errs = append(errs, merr)
	}
	return errors.Join(errors.Join(errs...), p.send(w, requestID, status, body))
}

func (p CBORProtocol) send(w http.ResponseWriter, requestID string, status int, body []byte) error {
	h := w.Header()
	h.Set(SmithyProtocolHeader, RPCv2CBOR)
	if body != nil {
		h.Set("Content-Type", CBORContentType)
	}
	h.Set(headerRequestID, requestID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if _, err := w.Write(body); err != nil {
		return fmt.Errorf("awsapi: write response: %w", err)
	}
	return nil
}

// DecodeCBOR decodes an rpcv2Cbor request body into v, a pointer to the
// operation's input struct. An empty body is an empty input. Members are
// matched to fields by name, ignoring case when no field has the exact
// name (the Agreement API's agreementId reaches AgreementId); unknown
// members are ignored, null and undefined leave a member unset, and
// timestamps are tag 1 epoch seconds. Malformed CBOR, a value of the
// wrong type, a duplicate member or data after the item is
// SerializationException (400); a non-pointer v is InternalFailure.
func DecodeCBOR(body []byte, v any) error {
	if len(body) == 0 {
		return nil
	}
	err := cborDec.Unmarshal(body, v)
	if err == nil {
		return nil
	}
	var invalid *cbor.InvalidUnmarshalError
	if errors.As(err, &invalid) {
		return awserr.Internal(fmt.Errorf("awsapi: decode CBOR: %w", err))
	}
	var e *awserr.Error
	if errors.As(err, &e) {
		return e
	}
	return awserr.ErrSerializationException.Wrap(err, cborMessage(err))
}

// cborMessage describes a decoding failure for the client.
func cborMessage(err error) string {
	var (
		typ   *cbor.UnmarshalTypeError
		extra *cbor.ExtraneousDataError
		dup   *cbor.DupMapKeyError
	)
	switch {
	case errors.As(err, &typ):
		if typ.StructFieldName != "" {
			return fmt.Sprintf("Unexpected CBOR %s for member %s.", typ.CBORType, typ.StructFieldName)
		}
		return fmt.Sprintf("Unexpected CBOR %s for %s.", typ.CBORType, typ.GoType)
	case errors.As(err, &extra):
		return "Unexpected data after the CBOR data item."
	case errors.As(err, &dup):
		return fmt.Sprintf("Duplicate member %v.", dup.Key)
	}
	return "The request body is not well-formed CBOR: " + strings.TrimPrefix(err.Error(), "cbor: ") + "."
}

// MarshalCBOR writes t as a tag 1 timestamp: whole seconds as an integer,
// others as a double whose value read back, by truncating or by rounding
// to the millisecond, is t's millisecond. The zero Time is null.
func (t Time) MarshalCBOR() ([]byte, error) {
	if t.IsZero() {
		return []byte{0xf6}, nil
	}
	ms := t.UnixMilli()
	if ms%1000 == 0 {
		return cborEnc.Marshal(cbor.Tag{Number: 1, Content: ms / 1000})
	}
	return cborEnc.Marshal(cbor.Tag{Number: 1, Content: epochSeconds(ms)})
}

// epochSeconds returns the double nearest ms/1000 that gives ms back when
// multiplied by 1000 and truncated, as some clients read it (aws-sdk-go-v2
// does), while still rounding to ms.
func epochSeconds(ms int64) float64 {
	f := float64(ms) / 1000
	away := math.Inf(1)
	if ms < 0 {
		away = math.Inf(-1)
	}
	for i := 0; i < 4 && int64(f*1000) != ms; i++ {
		f = math.Nextafter(f, away)
	}
	return f
}

// UnmarshalCBOR reads a tag 1 timestamp (integer or float epoch seconds),
// rounding to the millisecond; null and undefined leave t unchanged.
func (t *Time) UnmarshalCBOR(b []byte) error {
	var v time.Time
	if err := cborDec.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.IsZero() {
		return nil
	}
	if s := v.Unix(); s >= maxEpochSeconds || s <= -maxEpochSeconds {
		return awserr.ErrSerializationException.Newf("Timestamp %d is out of range.", s)
	}
	t.Time = v.Round(time.Millisecond).UTC()
	return nil
}

// Time is a timestamp in the CBOR protocol too.
var (
	_ cbor.Marshaler   = Time{}
	_ cbor.Unmarshaler = (*Time)(nil)
)
