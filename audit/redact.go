package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// secretKeys are the parameter names whose values never enter a record,
// compared case-insensitively.
var secretKeys = map[string]bool{
	"secretaccesskey": true,
	"password":        true,
	"oldpassword":     true,
	"newpassword":     true,
	"sessiontoken":    true,
	"sharedsecret":    true,
	"privatekey":      true,
	"secret":          true,
	"clientsecret":    true,
	"secretstring":    true,
	// the Invoicing API's procurement-portal shared secrets
	"procurementportalsharedsecret": true,
}

// Redacted is the value recorded in place of a secret.
const Redacted = "HIDDEN_DUE_TO_SECURITY_REASONS"

// IsSecret reports whether a parameter with this name holds a secret.
func IsSecret(name string) bool { return secretKeys[strings.ToLower(name)] }

// redactedJSON marshals v and replaces the values of secret members, at
// any depth, with Redacted.
func redactedJSON(v any) (json.RawMessage, error) {
	if v == nil {
		return json.RawMessage("null"), nil
	}
	raw, ok := v.(json.RawMessage)
	if !ok {
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return json.RawMessage("null"), fmt.Errorf("audit: encode parameters: %w", err)
		}
	}
	if !mayHoldSecret(raw) {
		if !json.Valid(raw) {
			return json.RawMessage("null"), fmt.Errorf("audit: parameters are not valid JSON")
		}
		return raw, nil
	}
	// UseNumber keeps numbers as written: decoding them as float64 would
	// change integers beyond 2^53.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return json.RawMessage("null"), fmt.Errorf("audit: decode parameters: %w", err)
	}
	out, err := json.Marshal(redact(tree))
	if err != nil {
		return json.RawMessage("null"), fmt.Errorf("audit: encode parameters: %w", err)
	}
	return out, nil
}

// secretStems are substrings of every name in secretKeys: a document in
// which none occurs, in any case, has no member to redact.
var secretStems = []string{"secret", "password", "token", "privatekey"}

// mayHoldSecret reports whether raw might have a member named by
// secretKeys. JSON encoders escape no letters, so a member name that is a
// secret key appears in raw as written.
func mayHoldSecret(raw []byte) bool {
	for _, stem := range secretStems {
		if containsFold(raw, stem) {
			return true
		}
	}
	return false
}

// containsFold reports whether b contains the lower-case ASCII string s,
// ignoring ASCII case.
func containsFold(b []byte, s string) bool {
	for i := 0; i+len(s) <= len(b); i++ {
		j := 0
		for j < len(s) && b[i+j]|0x20 == s[j] {
			j++
		}
		if j == len(s) {
			return true
		}
	}
	return false
}

func redact(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if IsSecret(k) {
				t[k] = Redacted
				continue
			}
			t[k] = redact(e)
		}
	case []any:
		for i, e := range t {
			t[i] = redact(e)
		}
	}
	return v
}
