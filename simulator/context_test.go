package simulator

import (
	"reflect"
	"testing"
)

// TestContext checks the typing of context entries: "ContextKeyType: The
// data type of the value (or values) specified in the ContextKeyValues
// parameter." (IAM API Reference, ContextEntry)
func TestContext(t *testing.T) {
	tests := []struct {
		name    string
		entry   ContextEntry
		want    []string
		wantErr bool
	}{
		{name: "string", entry: ContextEntry{"aws:username", []string{"alice"}, "string"}, want: []string{"alice"}},
		{name: "stringList", entry: ContextEntry{"aws:TagKeys", []string{"a", "b"}, "stringList"}, want: []string{"a", "b"}},
		{name: "empty stringList", entry: ContextEntry{"aws:TagKeys", nil, "stringList"}, want: []string{}},
		{name: "numeric", entry: ContextEntry{"aws:MultiFactorAuthAge", []string{"3600"}, "numeric"}, want: []string{"3600"}},
		{name: "numeric not a number", entry: ContextEntry{"aws:MultiFactorAuthAge", []string{"soon"}, "numeric"}, wantErr: true},
		{name: "numericList", entry: ContextEntry{"s3:max-keys", []string{"1", "2.5"}, "numericList"}, want: []string{"1", "2.5"}},
		{name: "boolean lower-cased", entry: ContextEntry{"aws:SecureTransport", []string{"TRUE"}, "boolean"}, want: []string{"true"}},
		{name: "boolean not true or false", entry: ContextEntry{"aws:SecureTransport", []string{"1"}, "boolean"}, wantErr: true},
		{name: "ip", entry: ContextEntry{"aws:SourceIp", []string{"2001:db8::1"}, "ip"}, want: []string{"2001:db8::1"}},
		{name: "ip not an address", entry: ContextEntry{"aws:SourceIp", []string{"203.0.113.0/24"}, "ip"}, wantErr: true},
		{name: "binary", entry: ContextEntry{"test:Blob", []string{"aGVsbG8="}, "binary"}, want: []string{"aGVsbG8="}},
		{name: "binary not base64", entry: ContextEntry{"test:Blob", []string{"%%%"}, "binary"}, wantErr: true},
		{name: "date", entry: ContextEntry{"aws:CurrentTime", []string{"2019-04-25T11:00:00Z"}, "date"}, want: []string{"2019-04-25T11:00:00Z"}},
		{name: "date as epoch seconds", entry: ContextEntry{"aws:CurrentTime", []string{"1556190000"}, "date"}, want: []string{"1556190000"}},
		{name: "date not a date", entry: ContextEntry{"aws:CurrentTime", []string{"yesterday"}, "date"}, wantErr: true},
		{name: "dateList", entry: ContextEntry{"test:Dates", []string{"2019-04-25", "2020-01-01T00:00:00Z"}, "dateList"}, want: []string{"2019-04-25", "2020-01-01T00:00:00Z"}},
		{name: "single type with two values", entry: ContextEntry{"aws:username", []string{"a", "b"}, "string"}, wantErr: true},
		{name: "single type without value", entry: ContextEntry{"aws:username", nil, "string"}, wantErr: true},
		{name: "unknown type", entry: ContextEntry{"aws:username", []string{"a"}, "text"}, wantErr: true},
		{name: "no type", entry: ContextEntry{"aws:username", []string{"a"}, ""}, wantErr: true},
		// ContextKeyNameType: "Length Constraints: Minimum length of 5. Maximum length of 256."
		{name: "key name too short", entry: ContextEntry{"a:b", []string{"a"}, "string"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, err := Context([]ContextEntry{tt.entry})
			if tt.wantErr {
				if err == nil {
					t.Fatalf("no error, want InvalidInput")
				}
				wantCode(t, err, "InvalidInput")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, ok := ctx.Get(tt.entry.ContextKeyName)
			if !ok || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("values %q (present %v), want %q", got, ok, tt.want)
			}
		})
	}
	_, err := Context([]ContextEntry{{"aws:username", []string{"a"}, "string"}, {"AWS:UserName", []string{"b"}, "string"}})
	wantCode(t, err, "InvalidInput") // keys are case-insensitive: given twice
}
