package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"gatehouse/awsapi"
)

var (
	timeType      = reflect.TypeFor[time.Time]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
)

// wireJSON encodes a domain value in the shape the JSON protocols send:
// struct fields under their Go names (which are the model's member
// names), timestamps as epoch seconds, and absent members — empty
// strings, zero times, nil pointers and maps — left out. Lists are always
// sent, an empty one as []. Members are written in name order. A nil v
// gives a nil message (an empty body).
func wireJSON(v any) (json.RawMessage, error) {
	return encodeJSON(v, false)
}

// auditJSON encodes a domain value in CloudTrail's requestParameters and
// responseElements shape: like wireJSON, with member names in lower camel
// case as CloudTrail records them and timestamps in ISO 8601.
func auditJSON(v any) (json.RawMessage, error) {
	return encodeJSON(v, true)
}

// camelJSON encodes a domain value like wireJSON, with member names in
// lower camel case, for the REST-JSON APIs whose models name them so
// (Marketplace Discovery).
func camelJSON(v any) (json.RawMessage, error) {
	return encode(v, encoder{camel: true, epoch: true})
}

func encodeJSON(v any, camel bool) (json.RawMessage, error) {
	return encode(v, encoder{camel: camel})
}

func encode(v any, e encoder) (json.RawMessage, error) {
	if v == nil {
		return nil, nil
	}
	e.value(reflect.ValueOf(v))
	if e.err != nil {
		return nil, e.err
	}
	return e.buf.Bytes(), nil
}

// encoder writes one value as JSON, walking it by reflection with the
// fields of each struct type worked out once.
type encoder struct {
	buf   bytes.Buffer
	camel bool
	// epoch keeps timestamps in epoch seconds in camel case too.
	epoch bool
	err   error
}

func (e *encoder) value(v reflect.Value) {
	if !v.IsValid() {
		e.buf.WriteString("null")
		return
	}
	t := v.Type()
	if t == timeType {
		e.time(v.Interface().(time.Time))
		return
	}
	if v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface && t.Implements(marshalerType) {
		e.marshaler(v.Interface().(json.Marshaler))
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			e.buf.WriteString("null")
			return
		}
		e.value(v.Elem())
	case reflect.Struct:
		e.structValue(v)
	case reflect.Slice, reflect.Array:
		e.list(v)
	case reflect.Map:
		e.mapValue(v)
	case reflect.String:
		writeString(&e.buf, v.String())
	case reflect.Bool:
		e.buf.WriteString(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.buf.Write(strconv.AppendInt(e.buf.AvailableBuffer(), v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		e.buf.Write(strconv.AppendUint(e.buf.AvailableBuffer(), v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		e.marshaler(floatValue(v.Float()))
	default:
		e.fail(fmt.Errorf("server: cannot encode %s as JSON", t))
	}
}

// time writes a timestamp: epoch seconds on the wire, ISO 8601 in audit
// records.
func (e *encoder) time(t time.Time) {
	if e.camel && !e.epoch {
		e.buf.Write(t.AppendFormat(append(e.buf.AvailableBuffer(), '"'), time.RFC3339Nano))
		e.buf.WriteByte('"')
		return
	}
	e.marshaler(awsapi.Time{Time: t})
}

func (e *encoder) marshaler(m json.Marshaler) {
	b, err := m.MarshalJSON()
	if err != nil {
		e.fail(err)
		return
	}
	e.buf.Write(b)
}

func (e *encoder) fail(err error) {
	if e.err == nil {
		e.err = err
	}
	e.buf.WriteString("null")
}

func (e *encoder) structValue(v reflect.Value) {
	e.buf.WriteByte('{')
	first := true
	for _, f := range fieldsOf(v.Type()) {
		fv := v.Field(f.index)
		if absent(fv) {
			continue
		}
		if !first {
			e.buf.WriteByte(',')
		}
		first = false
		name := f.name
		if e.camel {
			name = f.camel
		}
		writeString(&e.buf, name)
		e.buf.WriteByte(':')
		e.value(fv)
	}
	e.buf.WriteByte('}')
}

func (e *encoder) list(v reflect.Value) {
	e.buf.WriteByte('[')
	for i := range v.Len() {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		e.value(v.Index(i))
	}
	e.buf.WriteByte(']')
}

func (e *encoder) mapValue(v reflect.Value) {
	if v.IsNil() {
		e.buf.WriteString("null")
		return
	}
	if v.Type().Key().Kind() != reflect.String {
		e.fail(fmt.Errorf("server: cannot encode map key %s as JSON", v.Type().Key()))
		return
	}
	keys := make([]string, 0, v.Len())
	for it := v.MapRange(); it.Next(); {
		keys = append(keys, it.Key().String())
	}
	slices.Sort(keys)
	e.buf.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			e.buf.WriteByte(',')
		}
		writeString(&e.buf, k)
		e.buf.WriteByte(':')
		e.value(v.MapIndex(reflect.ValueOf(k).Convert(v.Type().Key())))
	}
	e.buf.WriteByte('}')
}

// field is an exported struct field as the encoder writes it.
type field struct {
	index       int
	name, camel string
}

var fieldCache sync.Map // reflect.Type → []field

// fieldsOf returns the encoded fields of struct type t, sorted by name
// (the camel-case names sort the same way for member names, which start
// with a letter).
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("json") == "-" {
			continue
		}
		fs = append(fs, field{index: i, name: f.Name, camel: lowerFirst(f.Name)})
	}
	slices.SortFunc(fs, func(a, b field) int { return strings.Compare(a.name, b.name) })
	fieldCache.Store(t, fs)
	return fs
}

// absent reports whether a member is left out of the wire form.
func absent(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return v.Len() == 0
	case reflect.Pointer, reflect.Interface, reflect.Map:
		return v.IsNil()
	case reflect.Struct:
		return v.Type() == timeType && v.Interface().(time.Time).IsZero()
	}
	return false
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || strings.ToUpper(s) == s {
		return strings.ToLower(s)
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// floatValue marshals a float as encoding/json does.
type floatValue float64

func (f floatValue) MarshalJSON() ([]byte, error) { return json.Marshal(float64(f)) }

const hexDigits = "0123456789abcdef"

// writeString writes s as a JSON string the way encoding/json does
// without HTML escaping: quotes, backslashes and control characters
// escaped (\b \f \n \r \t in short), U+2028 and U+2029 escaped, invalid UTF-8 replaced by U+FFFD.
func writeString(buf *bytes.Buffer, s string) {
	buf.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf.WriteString(s[start:i])
			switch c {
			case '"', '\\':
				buf.WriteByte('\\')
				buf.WriteByte(c)
			case '\n':
				buf.WriteString(`\n`)
			case '\r':
				buf.WriteString(`\r`)
			case '\t':
				buf.WriteString(`\t`)
			case '\b':
				buf.WriteString(`\b`)
			case '\f':
				buf.WriteString(`\f`)
			default:
				buf.WriteString(`\u00`)
				buf.WriteByte(hexDigits[c>>4])
				buf.WriteByte(hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf.WriteString(s[start:i])
			buf.WriteString(`\ufffd`)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			buf.WriteString(s[start:i])
			buf.WriteString(`\u202`)
			buf.WriteByte(hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf.WriteString(s[start:])
	buf.WriteByte('"')
}
