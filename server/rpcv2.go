package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gatehouse/awsapi"
	"gatehouse/awserr"
)

// cborProtocol is Smithy RPC v2 CBOR (smithy.protocols#rpcv2Cbor): every
// request is POST {prefix}/service/{service}/operation/{operation} with
// the header Smithy-Protocol: rpc-v2-cbor and the input as a CBOR map;
// outputs and errors come back in CBOR, an error's type in the body's
// __type. The members are the domain types' fields, as in the JSON
// protocols.
type cborProtocol struct {
	wire awsapi.CBORProtocol
	// service is the service shape's name in the path
	// (AWSMPCommerceService_v20200301); the absolute form
	// {namespace}.{service} is accepted too, as the protocol advises.
	service string
	// camel writes member names in lower camel case, for models that
	// spell them so.
	camel bool
}

// isRPCv2 reports whether a request is shaped as rpcv2Cbor: it names the
// protocol, or its path has the protocol's form.
func isRPCv2(r *http.Request) bool {
	if r.Header.Get(awsapi.SmithyProtocolHeader) != "" {
		return true
	}
	_, _, ok := rpcv2Path(r.URL.Path)
	return ok
}

// rpcv2Path returns the service and operation of a path whose last four
// segments are service/{service}/operation/{operation}; what comes
// before them is a prefix the protocol lets deployments add.
func rpcv2Path(path string) (service, op string, ok bool) {
	segs := strings.Split(path, "/")
	if len(segs) < 5 {
		return "", "", false
	}
	segs = segs[len(segs)-4:]
	if segs[0] != "service" || segs[2] != "operation" || segs[1] == "" || segs[3] == "" {
		return "", "", false
	}
	return segs[1], segs[3], true
}

// operation claims the request as the protocol's "Identification for
// claiming" says: Smithy-Protocol rpc-v2-cbor, POST, the service's name in
// the path. A request carrying X-Amz-Target or X-Amzn-Target is refused,
// as the protocol requires for security, and a body must be
// application/cbor.
func (p cborProtocol) operation(r *http.Request, body []byte) (string, error) {
	if got := r.Header.Get(awsapi.SmithyProtocolHeader); got != awsapi.RPCv2CBOR {
		return "", awserr.ErrUnknownOperationException.Newf("Smithy-Protocol %q is not served; this endpoint speaks %s.", got, awsapi.RPCv2CBOR)
	}
	if r.Header.Get("X-Amz-Target") != "" || r.Header.Get("X-Amzn-Target") != "" {
		return "", awserr.ErrSerializationException.New("An rpc-v2-cbor request must not carry X-Amz-Target or X-Amzn-Target.")
	}
	service, op, ok := rpcv2Path(r.URL.Path)
	if r.Method != http.MethodPost || !ok || (service != p.service && service != p.wire.Namespace+"."+p.service) {
		return "", awserr.ErrUnknownOperationException.Newf("No operation answers %s %s.", r.Method, r.URL.Path)
	}
	if !isOperationName(op) {
		return "", awserr.ErrUnknownOperationException.Newf("Invalid operation name %q.", op)
	}
	if len(body) > 0 {
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != awsapi.CBORContentType {
			return "", awserr.ErrSerializationException.Newf("The request body must be %s.", awsapi.CBORContentType)
		}
	}
	return op, nil
}

// isOperationName reports whether s is a shape name: letters, digits and
// underscores (never an absolute shape ID, which the protocol refuses).
func isOperationName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '_' && (c < '0' || c > '9') && (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

func (p cborProtocol) decode(_ *http.Request, body []byte, in any) error {
	return awsapi.DecodeCBOR(body, in)
}

func (p cborProtocol) writeResult(w http.ResponseWriter, _, requestID string, out any) {
	v, err := wireTree(out, p.camel)
	if err != nil {
		p.wire.WriteError(w, requestID, awserr.Internal(err))
		return
	}
	p.wire.Write(w, requestID, v)
}

func (p cborProtocol) writeError(w http.ResponseWriter, requestID string, err *awserr.Error) {
	p.wire.WriteError(w, requestID, err)
}

func (p cborProtocol) unknownOperation(op string) error {
	return awserr.ErrUnknownOperationException.Newf("The operation %s is not supported.", op)
}

func (p cborProtocol) accessDenied(message string) error {
	return awserr.ErrAccessDeniedException.New(message)
}

var bytesType = reflect.TypeFor[[]byte]()

// wireTree returns a domain value as the tree of maps, lists and scalars
// the CBOR protocol encodes, with the members wireJSON sends: struct
// fields under their Go names (lower camel case if camel is set), absent
// members — empty strings, zero times, nil pointers and maps — left out,
// lists always sent. Timestamps become awsapi.Time (tag 1 epoch seconds),
// []byte a blob, and a value with its own JSON form that JSON decoded. A
// nil v gives nil (no body).
func wireTree(v any, camel bool) (any, error) {
	if v == nil {
		return nil, nil
	}
	return treeOf(reflect.ValueOf(v), camel)
}

func treeOf(v reflect.Value, camel bool) (any, error) {
	if !v.IsValid() {
		return nil, nil
	}
	t := v.Type()
	switch {
	case t == timeType:
		return awsapi.Time{Time: v.Interface().(time.Time)}, nil
	case t == bytesType:
		return v.Bytes(), nil
	case v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface && t.Implements(marshalerType):
		return treeOfJSON(v.Interface().(json.Marshaler))
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, nil
		}
		return treeOf(v.Elem(), camel)
	case reflect.Struct:
		return structTree(v, camel)
	case reflect.Slice, reflect.Array:
		list := make([]any, v.Len())
		for i := range list {
			e, err := treeOf(v.Index(i), camel)
			if err != nil {
				return nil, err
			}
			list[i] = e
		}
		return list, nil
	case reflect.Map:
		return mapTree(v, camel)
	case reflect.String:
		return v.String(), nil
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint(), nil
	case reflect.Float32, reflect.Float64:
		return v.Float(), nil
	}
	return nil, fmt.Errorf("server: cannot encode %s as CBOR", t)
}

func structTree(v reflect.Value, camel bool) (any, error) {
	fs := fieldsOf(v.Type())
	m := make(map[string]any, len(fs))
	for _, f := range fs {
		fv := v.Field(f.index)
		if absent(fv) {
			continue
		}
		e, err := treeOf(fv, camel)
		if err != nil {
			return nil, err
		}
		name := f.name
		if camel {
			name = f.camel
		}
		m[name] = e
	}
	return m, nil
}

func mapTree(v reflect.Value, camel bool) (any, error) {
	if v.IsNil() {
		return nil, nil
	}
	if v.Type().Key().Kind() != reflect.String {
		return nil, fmt.Errorf("server: cannot encode map key %s as CBOR", v.Type().Key())
	}
	m := make(map[string]any, v.Len())
	for it := v.MapRange(); it.Next(); {
		e, err := treeOf(it.Value(), camel)
		if err != nil {
			return nil, err
		}
		m[it.Key().String()] = e
	}
	return m, nil
}

// treeOfJSON returns the tree of a value that writes its own JSON (a
// json.RawMessage document, say): its JSON decoded, numbers as integers
// when they are whole.
func treeOfJSON(m json.Marshaler) (any, error) {
	b, err := m.MarshalJSON()
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("server: decode %T's JSON: %w", m, err)
	}
	return numbers(v), nil
}

// numbers replaces the json.Numbers of a decoded JSON value by int64 or
// float64.
func numbers(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(string(x), 64)
		return f
	case []any:
		for i := range x {
			x[i] = numbers(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = numbers(x[k])
		}
	}
	return v
}
