package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"unicode/utf8"
)

// maxDetails bounds a change's Details, as the API's Json shape does.
const maxDetails = 16384

// decodeDetails decodes a change's details into v, a pointer to the change
// type's details struct. Unknown fields, values of the wrong type and
// data after the object are INVALID_INPUT errors of the change, as AWS
// validates details against the change type's schema.
func decodeDetails(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return changeError(CodeInvalidInput, "The details do not match the change type's schema: %s.", detailsMessage(err))
	}
	if dec.More() {
		return changeError(CodeInvalidInput, "The details hold data after the JSON object.")
	}
	return nil
}

// detailsMessage says what is wrong with details JSON without repeating
// Go type names.
func detailsMessage(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		if typ.Field == "" {
			return "expected a JSON object"
		}
		return fmt.Sprintf("field %s has the wrong type (%s)", typ.Field, typ.Value)
	}
	return err.Error()
}

// text checks an optional string field: when v is set, its length in
// characters is within [min, max] (max 0: unbounded) and it matches every
// pattern.
func (p *problems) text(field string, v *string, min, max int, patterns ...*regexp.Regexp) {
	if v == nil {
		return
	}
	p.length(field, *v, min, max)
	for _, re := range patterns {
		if !re.MatchString(*v) {
			p.addf("%s must match the pattern %s.", field, re)
		}
	}
}

// requiredText checks a required string field.
func (p *problems) requiredText(field string, v *string, min, max int, patterns ...*regexp.Regexp) {
	if v == nil {
		p.addf("%s is required.", field)
		return
	}
	p.text(field, v, min, max, patterns...)
}

// length checks a string's length in characters.
func (p *problems) length(field, v string, min, max int) {
	n := utf8.RuneCountInString(v)
	switch {
	case n < min:
		p.addf("%s must be at least %d characters long.", field, min)
	case max > 0 && n > max:
		p.addf("%s must be at most %d characters long.", field, max)
	}
}

// count checks the number of items of a list field; a nil list counts as
// absent when the field is optional.
func (p *problems) count(field string, n int, present, required bool, min, max int) {
	switch {
	case !present && required:
		p.addf("%s is required.", field)
	case !present:
	case n < min:
		p.addf("%s must have at least %d items.", field, min)
	case max > 0 && n > max:
		p.addf("%s must have at most %d items.", field, max)
	}
}

// oneOf checks an optional enum field.
func (p *problems) oneOf(field string, v *string, values ...string) {
	if v == nil {
		return
	}
	for _, ok := range values {
		if *v == ok {
			return
		}
	}
	p.addf("%s must be one of %q.", field, values)
}

// Patterns shared by several change types.
var (
	// reName is the names of the Private Marketplace's entities.
	reName = regexp.MustCompile(`^[a-zA-Z0-9 _-]+$`)
	// reHTTPURL is a URL that a browser can load.
	reHTTPURL = regexp.MustCompile(`^https?:\/\/.*$`)
	// reHTTPSURL is an https URL, such as a SaaS fulfillment URL.
	reHTTPSURL = regexp.MustCompile(`^https://[^\s/$.?#][^\s]*$`)
	// reAccountID is a 12-digit account id.
	reAccountID = regexp.MustCompile(`^\d{12}$`)
)
