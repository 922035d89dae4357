package cxml

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// addSamples seeds f with every sample document in testdata; more seeds,
// including fuzzer finds, live in testdata/fuzz/<target>.
func addSamples(f *testing.F) {
	for _, pattern := range []string{"testdata/*.xml", "testdata/bad/*.xml", "testdata/golden/*.xml"} {
		paths, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
}

// FuzzParse checks that no input panics the parser, that every failure maps
// to a 400 or 406 status, and that whatever parses and can be emitted is
// emitted stably: parse(marshal(d)) marshals to the same bytes.
func FuzzParse(f *testing.F) {
	addSamples(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := ParseBytes(in)
		if err != nil {
			if s := StatusFor(err); s != StatusBadRequest && s != StatusNotAcceptable {
				t.Fatalf("error %v maps to status %d", err, s)
			}
			return
		}
		if d.Kind() == "" {
			t.Fatalf("parsed document has no kind: %+v", d)
		}
		out, err := Marshal(d)
		if err != nil {
			return // parsed leniently but incomplete for the strict emitter
		}
		back, err := ParseBytes(out)
		if err != nil {
			t.Fatalf("emitted document does not parse: %v\n%s", err, out)
		}
		again, err := Marshal(back)
		if err != nil {
			t.Fatalf("re-parsed document does not marshal: %v", err)
		}
		if !bytes.Equal(out, again) {
			t.Fatalf("emission is not stable:\n%s\n%s", out, again)
		}
	})
}

// FuzzParseForm checks that no posted form panics the form reader and that
// every failure maps to a 400 or 406 status.
func FuzzParseForm(f *testing.F) {
	f.Add("cxml-urlencoded=%3CcXML%2F%3E")
	f.Add("cxml-base64=PGNYTUwvPg%3D%3D")
	f.Add("cXML-Base64=%21%21&cxml-urlencoded=x")
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		if _, err := ParseForm(form); err != nil {
			if s := StatusFor(err); s != StatusBadRequest && s != StatusNotAcceptable {
				t.Fatalf("error %v maps to status %d", err, s)
			}
		}
	})
}
