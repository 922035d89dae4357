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
	raw, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("null"), fmt.Errorf("audit: encode parameters: %w", err)
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
