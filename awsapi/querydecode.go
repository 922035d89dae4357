package awsapi

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// DecodeQuery reads the query parameters p into *v, a struct whose
// exported fields are named like the members of the operation's input
// shape in the service model:
//
//   - string, bool, integer fields and pointers to them read the parameter
//     of the field's name (a pointer stays nil when the parameter is
//     absent);
//   - []string reads Name.member.1, Name.member.2 ...;
//   - a slice of structures reads Name.member.N.Field, each element with
//     DecodeQuery's rules (IAM's and STS's Tags.member.N.Key);
//   - map[string]string reads Name.entry.N.key / Name.entry.N.value;
//   - a nested struct reads Name.Field; an embedded struct's fields are
//     read as the outer struct's own.
//
// The tag `query:"Name,required"` renames a member and marks it
// required; `query:"-"` skips the field. A missing required member, or a
// value that is not of the member's type, is the ValidationError AWS's
// query services send: "1 validation error detected: Value null at
// 'userName' failed to satisfy constraint: Member must not be null".
// Unknown parameters are ignored, as AWS ignores them.
func DecodeQuery(p Params, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("awsapi: DecodeQuery needs a pointer to a struct, not %T", v)
	}
	return decodeStruct(p, "", rv.Elem())
}

// queryField is how one struct field is read.
type queryField struct {
	name     string
	required bool
}

func fieldOf(f reflect.StructField) (queryField, bool) {
	if !f.IsExported() {
		return queryField{}, false
	}
	tag := f.Tag.Get("query")
	if tag == "-" {
		return queryField{}, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return queryField{name: name, required: opts == "required"}, true
}

func decodeStruct(p Params, prefix string, v reflect.Value) error {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("query") == "" {
			if err := decodeStruct(p, prefix, v.Field(i)); err != nil {
				return err
			}
			continue
		}
		qf, ok := fieldOf(f)
		if !ok {
			continue
		}
		if err := decodeField(p, prefix+qf.name, qf, v.Field(i)); err != nil {
			return err
		}
	}
	return nil
}

func decodeField(p Params, name string, qf queryField, fv reflect.Value) error {
	switch {
	case fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.String:
		return decodeStrings(p, name, qf, fv)
	case fv.Kind() == reflect.Slice:
		return decodeStructs(p, name, qf, fv)
	case fv.Kind() == reflect.Map:
		return decodeMap(p, name, qf, fv)
	case fv.Kind() == reflect.Struct:
		return decodeStruct(p, name+".", fv)
	}
	raw, ok := p.Lookup(name)
	if !ok {
		if qf.required {
			return validation("null", name, "Member must not be null")
		}
		return nil
	}
	if fv.Kind() == reflect.Pointer {
		fv.Set(reflect.New(fv.Type().Elem()))
		fv = fv.Elem()
	}
	return setScalar(name, raw, fv)
}

// setScalar stores the text of a scalar parameter in fv.
func setScalar(name, raw string, fv reflect.Value) error {
	switch fv.Kind() {
	case reflect.String:
		fv.SetString(raw)
	case reflect.Bool:
		switch {
		case strings.EqualFold(raw, "true"):
			fv.SetBool(true)
		case strings.EqualFold(raw, "false"):
			fv.SetBool(false)
		default:
			return validation(quote(raw), name, "Member must be a boolean (true or false)")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(raw, 10, fv.Type().Bits())
		if err != nil {
			return validation(quote(raw), name, fmt.Sprintf("Member must be a %d-bit integer", fv.Type().Bits()))
		}
		fv.SetInt(n)
	default:
		return fmt.Errorf("awsapi: DecodeQuery cannot read member %s into a %s", name, fv.Type())
	}
	return nil
}

func decodeStrings(p Params, name string, qf queryField, fv reflect.Value) error {
	items, err := p.List(name)
	if err != nil {
		return err
	}
	if items == nil {
		if qf.required {
			return validation("null", name, "Member must not be null")
		}
		return nil
	}
	out := reflect.MakeSlice(fv.Type(), len(items), len(items))
	for i, s := range items {
		out.Index(i).SetString(s)
	}
	fv.Set(out)
	return nil
}

func decodeStructs(p Params, name string, qf queryField, fv reflect.Value) error {
	elem := fv.Type().Elem()
	ptr := elem.Kind() == reflect.Pointer
	if ptr {
		elem = elem.Elem()
	}
	if elem.Kind() != reflect.Struct {
		return fmt.Errorf("awsapi: DecodeQuery cannot read list %s of %s", name, elem)
	}
	members, err := p.Members(name)
	if err != nil {
		return err
	}
	if members == nil {
		if qf.required {
			return validation("null", name, "Member must not be null")
		}
		return nil
	}
	out := reflect.MakeSlice(fv.Type(), len(members), len(members))
	for i, m := range members {
		ev := reflect.New(elem)
		if err := decodeStruct(m, "", ev.Elem()); err != nil {
			return err
		}
		if ptr {
			out.Index(i).Set(ev)
		} else {
			out.Index(i).Set(ev.Elem())
		}
	}
	fv.Set(out)
	return nil
}

func decodeMap(p Params, name string, qf queryField, fv reflect.Value) error {
	if fv.Type().Key().Kind() != reflect.String || fv.Type().Elem().Kind() != reflect.String {
		return fmt.Errorf("awsapi: DecodeQuery cannot read map %s of %s", name, fv.Type())
	}
	m, err := p.Map(name)
	if err != nil {
		return err
	}
	if m == nil {
		if qf.required {
			return validation("null", name, "Member must not be null")
		}
		return nil
	}
	out := reflect.MakeMapWithSize(fv.Type(), len(m))
	for k, v := range m {
		out.SetMapIndex(reflect.ValueOf(k).Convert(fv.Type().Key()), reflect.ValueOf(v).Convert(fv.Type().Elem()))
	}
	fv.Set(out)
	return nil
}
