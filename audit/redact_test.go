package audit

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestIsSecret(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{name: "SecretAccessKey", want: true},
		{name: "secretAccessKey", want: true},
		{name: "SECRETACCESSKEY", want: true},
		{name: "Password", want: true},
		{name: "password", want: true},
		{name: "OldPassword", want: true},
		{name: "NewPassword", want: true},
		{name: "SessionToken", want: true},
		{name: "SharedSecret", want: true},
		{name: "sharedsecret", want: true},
		{name: "PrivateKey", want: true},
		{name: "ClientSecret", want: true},
		{name: "SecretString", want: true},
		{name: "AccessKeyId", want: false},
		{name: "UserName", want: false},
		{name: "PasswordLastUsed", want: false},
		{name: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsSecret(tt.name); got != tt.want {
				t.Fatalf("IsSecret(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

type credentialsOut struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string
	Expiration      string
}

type punchoutSetup struct {
	Identity     string
	SharedSecret string
	Nested       struct {
		Password string `json:"password"`
	}
}

func TestRedaction(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string // JSON
	}{
		{name: "nil", in: nil, want: `null`},
		{name: "typed nil pointer", in: (*credentialsOut)(nil), want: `null`},
		{name: "no secrets", in: map[string]any{"UserName": "alice", "MaxItems": 10}, want: `{"UserName":"alice","MaxItems":10}`},
		{name: "encoded, no secrets", in: json.RawMessage(`{"userName":"alice","tags":{"team":"x"}}`), want: `{"userName":"alice","tags":{"team":"x"}}`},
		{name: "encoded, secret in a nested map", in: json.RawMessage(`{"userName":"alice","tags":{"PassWord":"x"}}`), want: `{"userName":"alice","tags":{"PassWord":"HIDDEN_DUE_TO_SECURITY_REASONS"}}`},
		{name: "encoded, stem only in a value", in: json.RawMessage(`{"description":"no secret here"}`), want: `{"description":"no secret here"}`},
		{
			name: "top level",
			in:   map[string]any{"UserName": "alice", "Password": "hunter2"},
			want: `{"UserName":"alice","Password":"HIDDEN_DUE_TO_SECURITY_REASONS"}`,
		},
		{
			name: "case-insensitive",
			in:   map[string]any{"password": "a", "PASSWORD": "b", "secretaccesskey": "c", "sharedSECRET": "d"},
			want: `{"password":"HIDDEN_DUE_TO_SECURITY_REASONS","PASSWORD":"HIDDEN_DUE_TO_SECURITY_REASONS","secretaccesskey":"HIDDEN_DUE_TO_SECURITY_REASONS","sharedSECRET":"HIDDEN_DUE_TO_SECURITY_REASONS"}`,
		},
		{
			name: "nested struct in a map",
			in: map[string]any{"Credentials": credentialsOut{
				AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG", SessionToken: "FwoGZXIvYXdzE", Expiration: "2026-01-01T00:00:00Z",
			}},
			want: `{"Credentials":{"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"HIDDEN_DUE_TO_SECURITY_REASONS","SessionToken":"HIDDEN_DUE_TO_SECURITY_REASONS","Expiration":"2026-01-01T00:00:00Z"}}`,
		},
		{
			name: "struct with a nested struct",
			in: punchoutSetup{Identity: "buyer", SharedSecret: "s3cr3t", Nested: struct {
				Password string `json:"password"`
			}{Password: "pw"}},
			want: `{"Identity":"buyer","SharedSecret":"HIDDEN_DUE_TO_SECURITY_REASONS","Nested":{"password":"HIDDEN_DUE_TO_SECURITY_REASONS"}}`,
		},
		{
			name: "inside lists",
			in: map[string]any{"Keys": []any{
				map[string]any{"AccessKeyId": "AKIA1", "SecretAccessKey": "s1"},
				map[string]any{"AccessKeyId": "AKIA2", "SecretAccessKey": "s2"},
				"plain",
				[]any{map[string]any{"Deeper": map[string]any{"Password": "p"}}},
			}},
			want: `{"Keys":[{"AccessKeyId":"AKIA1","SecretAccessKey":"HIDDEN_DUE_TO_SECURITY_REASONS"},{"AccessKeyId":"AKIA2","SecretAccessKey":"HIDDEN_DUE_TO_SECURITY_REASONS"},"plain",[{"Deeper":{"Password":"HIDDEN_DUE_TO_SECURITY_REASONS"}}]]}`,
		},
		{
			name: "top-level list",
			in:   []map[string]string{{"Password": "p"}, {"Name": "n"}},
			want: `[{"Password":"HIDDEN_DUE_TO_SECURITY_REASONS"},{"Name":"n"}]`,
		},
		{
			name: "secret holding an object or a list is hidden whole",
			in:   map[string]any{"Secret": map[string]any{"Value": "v"}, "PrivateKey": []string{"a", "b"}},
			want: `{"Secret":"HIDDEN_DUE_TO_SECURITY_REASONS","PrivateKey":"HIDDEN_DUE_TO_SECURITY_REASONS"}`,
		},
		{
			name: "secret that is null or empty is still hidden",
			in:   map[string]any{"Password": nil, "SecretAccessKey": ""},
			want: `{"Password":"HIDDEN_DUE_TO_SECURITY_REASONS","SecretAccessKey":"HIDDEN_DUE_TO_SECURITY_REASONS"}`,
		},
		{
			name: "raw JSON",
			in:   json.RawMessage(`{"User":{"Password":"p","Tags":[{"Key":"k","Value":"v"}]}}`),
			want: `{"User":{"Password":"HIDDEN_DUE_TO_SECURITY_REASONS","Tags":[{"Key":"k","Value":"v"}]}}`,
		},
		{
			name: "a secret's name as a value is kept",
			in:   map[string]any{"Name": "Password"},
			want: `{"Name":"Password"}`,
		},
		{
			name: "large integers keep their digits",
			in:   map[string]any{"Id": int64(9007199254740993), "Big": uint64(18446744073709551615), "Frac": 0.1},
			want: `{"Id":9007199254740993,"Big":18446744073709551615,"Frac":0.1}`,
		},
	}
	for _, tt := range tests {
		for _, set := range []struct {
			name string
			set  func(*Record, any) error
			get  func(*Record) json.RawMessage
		}{
			{name: "request", set: (*Record).SetRequestParameters, get: func(r *Record) json.RawMessage { return r.RequestParameters }},
			{name: "response", set: (*Record).SetResponseElements, get: func(r *Record) json.RawMessage { return r.ResponseElements }},
		} {
			t.Run(tt.name+"/"+set.name, func(t *testing.T) {
				r := NewRecord("evt", eventTime)
				if err := set.set(r, tt.in); err != nil {
					t.Fatalf("set: %v", err)
				}
				got := set.get(r)
				if !jsonEqual(t, got, []byte(tt.want)) {
					t.Fatalf("recorded\n%s\nwant\n%s", got, tt.want)
				}
				// The secret never reaches the record's JSON.
				body, err := json.Marshal(r)
				if err != nil {
					t.Fatal(err)
				}
				for _, secret := range []string{"hunter2", "wJalrXUtnFEMI", "FwoGZXIvYXdzE", "s3cr3t"} {
					if strings.Contains(string(body), secret) {
						t.Fatalf("record JSON contains the secret %q: %s", secret, body)
					}
				}
			})
		}
	}
}

func TestRedactionDoesNotChangeTheInput(t *testing.T) {
	in := map[string]any{"Password": "p", "Inner": map[string]any{"SecretAccessKey": "s"}}
	r := NewRecord("evt", eventTime)
	if err := r.SetRequestParameters(in); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Password": "p", "Inner": map[string]any{"SecretAccessKey": "s"}}
	if !reflect.DeepEqual(in, want) {
		t.Fatalf("SetRequestParameters changed its argument: %v", in)
	}
}

func TestRedactionUnencodable(t *testing.T) {
	r := NewRecord("evt", eventTime)
	err := r.SetRequestParameters(map[string]any{"C": make(chan int)})
	if err == nil {
		t.Fatal("SetRequestParameters of a channel succeeded")
	}
	if string(r.RequestParameters) != "null" {
		t.Fatalf("after an error requestParameters = %s, want null", r.RequestParameters)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatalf("the record no longer encodes: %v", err)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	dec := func(data []byte, v *any) {
		d := json.NewDecoder(strings.NewReader(string(data)))
		d.UseNumber()
		if err := d.Decode(v); err != nil {
			t.Fatalf("bad JSON %s: %v", data, err)
		}
	}
	dec(a, &x)
	dec(b, &y)
	return reflect.DeepEqual(x, y)
}
