package server

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

func TestWireJSON(t *testing.T) {
	type inner struct {
		Id   string
		When time.Time
	}
	type value struct {
		Name     string
		Empty    string
		Count    int32
		Optional *string
		Joined   time.Time
		Zero     time.Time
		Items    []inner
		NoItems  []inner
		Tags     map[string]string
	}
	v := value{
		Name:   "seed",
		Count:  3,
		Joined: time.Date(2026, 11, 25, 12, 0, 0, 500_000_000, time.UTC),
		Items:  []inner{{Id: "ou-ab12-cdefghij", When: time.Unix(1, 0)}},
	}
	tests := []struct {
		name string
		conv func(any) (json.RawMessage, error)
		want string
	}{
		{"wire", wireJSON, `{"Count":3,"Items":[{"Id":"ou-ab12-cdefghij","When":1.0}],"Joined":1795608000.5,"Name":"seed","NoItems":[]}`},
		{"audit", auditJSON, `{"count":3,"items":[{"id":"ou-ab12-cdefghij","when":"1970-01-01T00:00:01Z"}],"joined":"2026-11-25T12:00:00.5Z","name":"seed","noItems":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.conv(v)
			if err != nil {
				t.Fatal(err)
			}
			if !json.Valid(got) {
				t.Fatalf("invalid JSON: %s", got)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestWireJSONMatchesEncodingJSON checks the encoder's strings, maps and
// numbers against encoding/json without HTML escaping.
func TestWireJSONMatchesEncodingJSON(t *testing.T) {
	type value struct {
		S   string
		M   map[string]string
		F   float64
		B   bool
		U   uint16
		Raw json.RawMessage
	}
	tests := []struct {
		name string
		v    value
	}{
		{name: "plain", v: value{S: "seed", F: 1.5, B: true, U: 7}},
		{name: "escapes", v: value{S: "a\"b\\c\nd\re\tf\x00g\x1fh<&>"}},
		{name: "line separators", v: value{S: "x\u2028y\u2029z"}},
		{name: "non-ASCII", v: value{S: "Zürich – 東京 🚀"}},
		{name: "map in key order", v: value{M: map[string]string{"b": "2", "a": "1", "é": "3"}}},
		{name: "raw message", v: value{Raw: json.RawMessage(`{"x":1}`)}},
		{name: "large float", v: value{F: 1e21}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := wireJSON(tt.v)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(wireReference(tt.v)); err != nil {
				t.Fatal(err)
			}
			if want := bytes.TrimSpace(buf.Bytes()); !bytes.Equal(got, want) {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

// wireReference is v as encoding/json should write it: a map, so its
// members come in name order, without the members the wire leaves out
// (empty strings, nil maps; a nil RawMessage is a list and is sent).
func wireReference(v any) map[string]any {
	b, _ := json.Marshal(v)
	var m map[string]any
	json.Unmarshal(b, &m)
	for k, x := range m {
		if x == "" || (x == nil && k == "M") {
			delete(m, k)
		}
	}
	return m
}

func FuzzWireString(f *testing.F) {
	for _, s := range []string{"", "plain", "a\"b\\c", "\x00\x1f\x7f", "\u2028\u2029", "\xff\xfe", "é東🚀", "<script>&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got bytes.Buffer
		writeString(&got, s)
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), bytes.TrimSpace(want.Bytes())) {
			t.Errorf("writeString(%q) = %s, encoding/json %s", s, got.Bytes(), want.Bytes())
		}
	})
}
