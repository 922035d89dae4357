package server

import (
	"encoding/xml"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"
)

var xmlMarshalerType = reflect.TypeFor[xml.Marshaler]()

// wireXML returns what a query protocol operation's output is written
// as: the output itself when it is made for encoding/xml (it has xml
// tags or marshals itself), else queryXML's reflection of the domain
// value. A nil result means an output without members, whose Result
// element IAM leaves out.
func wireXML(out any) any {
	v := reflect.ValueOf(out)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if !v.IsValid() || v.Kind() != reflect.Struct {
		return out
	}
	if v.NumField() == 0 {
		return nil
	}
	if reflect.PointerTo(v.Type()).Implements(xmlMarshalerType) || v.Type().Implements(xmlMarshalerType) || hasXMLTags(v.Type()) {
		return out
	}
	return queryXML{v}
}

func hasXMLTags(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		if _, ok := t.Field(i).Tag.Lookup("xml"); ok {
			return true
		}
	}
	return false
}

// urlEncoded are the members IAM sends URL-encoded (RFC 3986): policy
// documents.
var urlEncoded = []string{"AssumeRolePolicyDocument", "PolicyDocument", "Document"}

// queryXML writes a domain value in the query protocol's XML shape:
// struct fields as elements named like the fields (the model's member
// names), embedded structs' fields as the outer struct's own, lists as
// <member> elements, maps as <entry><key/><value/></entry> in key order,
// timestamps in ISO 8601, policy documents URL-encoded; absent members
// (empty strings, zero times, nil pointers, lists and maps) are left out.
type queryXML struct{ v reflect.Value }

// MarshalXML implements xml.Marshaler.
func (q queryXML) MarshalXML(enc *xml.Encoder, start xml.StartElement) error {
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	if err := encodeFields(enc, q.v); err != nil {
		return err
	}
	return enc.EncodeToken(start.End())
}

func encodeFields(enc *xml.Encoder, v reflect.Value) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			if err := encodeFields(enc, v.Field(i)); err != nil {
				return err
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if err := encodeXMLValue(enc, f.Name, v.Field(i)); err != nil {
			return err
		}
	}
	return nil
}

func encodeXMLValue(enc *xml.Encoder, name string, v reflect.Value) error {
	start := xml.StartElement{Name: xml.Name{Local: name}}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return encodeXMLValue(enc, name, v.Elem())
	case reflect.String:
		s := v.String()
		if s == "" {
			return nil
		}
		if slices.Contains(urlEncoded, name) {
			s = strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
		}
		return enc.EncodeElement(s, start)
	case reflect.Struct:
		if v.Type() == timeType {
			t := v.Interface().(time.Time)
			if t.IsZero() {
				return nil
			}
			return enc.EncodeElement(t.UTC().Format("2006-01-02T15:04:05Z"), start)
		}
		return queryXML{v}.MarshalXML(enc, start)
	case reflect.Slice:
		if v.IsNil() {
			return nil
		}
		if err := enc.EncodeToken(start); err != nil {
			return err
		}
		for i := 0; i < v.Len(); i++ {
			if err := encodeXMLValue(enc, "member", v.Index(i)); err != nil {
				return err
			}
		}
		return enc.EncodeToken(start.End())
	case reflect.Map:
		return encodeXMLMap(enc, start, v)
	}
	return enc.EncodeElement(v.Interface(), start)
}

func encodeXMLMap(enc *xml.Encoder, start xml.StartElement, v reflect.Value) error {
	if v.IsNil() {
		return nil
	}
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	entry := xml.StartElement{Name: xml.Name{Local: "entry"}}
	for _, k := range keys {
		if err := enc.EncodeToken(entry); err != nil {
			return err
		}
		if err := enc.EncodeElement(k.String(), xml.StartElement{Name: xml.Name{Local: "key"}}); err != nil {
			return err
		}
		if err := encodeXMLValue(enc, "value", v.MapIndex(k)); err != nil {
			return err
		}
		if err := enc.EncodeToken(entry.End()); err != nil {
			return err
		}
	}
	return enc.EncodeToken(start.End())
}
