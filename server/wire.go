package server

import (
	"encoding/json"
	"reflect"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gatehouse/awsapi"
)

var (
	timeType      = reflect.TypeFor[time.Time]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
)

// wireJSON converts a domain value into the shape the JSON protocols
// send: struct fields under their Go names (which are the model's member
// names), timestamps as epoch seconds, and absent members — empty
// strings, zero times, nil pointers and maps — left out. Lists are always
// sent, an empty one as [].
func wireJSON(v any) any {
	return convert(reflect.ValueOf(v), false)
}

// auditJSON converts a domain value into CloudTrail's requestParameters
// and responseElements shape: like wireJSON, with member names in lower
// camel case as CloudTrail records them and timestamps in ISO 8601.
func auditJSON(v any) any {
	return convert(reflect.ValueOf(v), true)
}

func convert(v reflect.Value, camel bool) any {
	if !v.IsValid() {
		return nil
	}
	if v.Type() == timeType {
		if camel {
			return v.Interface() // CloudTrail records times in ISO 8601
		}
		return awsapi.Time{Time: v.Interface().(time.Time)}
	}
	if v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface && v.Type().Implements(marshalerType) {
		return v.Interface()
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return convert(v.Elem(), camel)
	case reflect.Struct:
		return convertStruct(v, camel)
	case reflect.Slice, reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			out[i] = convert(v.Index(i), camel)
		}
		return out
	case reflect.Map:
		if v.IsNil() {
			return nil
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			out[it.Key().String()] = convert(it.Value(), camel)
		}
		return out
	}
	return v.Interface()
}

func convertStruct(v reflect.Value, camel bool) map[string]any {
	out := map[string]any{}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("json") == "-" {
			continue
		}
		fv := v.Field(i)
		if absent(fv) {
			continue
		}
		name := f.Name
		if camel {
			name = lowerFirst(name)
		}
		out[name] = convert(fv, camel)
	}
	return out
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
