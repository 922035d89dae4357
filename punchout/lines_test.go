package punchout

import (
	"testing"

	"gatehouse/agreement"
	"gatehouse/cxml"
)

func TestAuxIDRoundTrip(t *testing.T) {
	s := &Service{}
	id, err := s.newLineID()
	if err != nil {
		t.Fatal(err)
	}
	l := Line{Id: id, Line: agreement.Line{OfferId: "offer-abc123"}}
	offer, line, ok := ParseAuxID(l.AuxID())
	if !ok || offer != "offer-abc123" || line != id {
		t.Fatalf("ParseAuxID(%q) = %q, %q, %v", l.AuxID(), offer, line, ok)
	}
}

func TestParseAuxID(t *testing.T) {
	tests := []struct {
		name string
		aux  string
		ok   bool
	}{
		{name: "offer and line", aux: "offer-1/cl-0123456789abcdefghijklmnop", ok: true},
		{name: "surrounding space", aux: " offer-1/cl-0123456789abcdefghijklmnop\n", ok: true},
		{name: "no line", aux: "offer-1", ok: false},
		{name: "no offer", aux: "/cl-0123456789abcdefghijklmnop", ok: false},
		{name: "short line id", aux: "offer-1/cl-0123", ok: false},
		{name: "upper case line id", aux: "offer-1/cl-0123456789ABCDEFGHIJKLMNOP", ok: false},
		{name: "path beyond the line", aux: "offer-1/cl-0123456789abcdefghijklmnop/x", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, ok := ParseAuxID(tt.aux); ok != tt.ok {
				t.Errorf("ParseAuxID(%q) ok = %v, want %v", tt.aux, ok, tt.ok)
			}
		})
	}
}

func TestUNSPSC(t *testing.T) {
	tests := []struct{ productType, want string }{
		{"SaaSProduct", cxml.UNSPSCSoftwareAsAService},
		{"AmiProduct", cxml.UNSPSCApplicationServer},
		{"ContainerProduct", cxml.UNSPSCSoftware},
		{"DataProduct", cxml.UNSPSCSoftware},
	}
	for _, tt := range tests {
		if got := UNSPSC(tt.productType); got != tt.want {
			t.Errorf("UNSPSC(%s) = %s, want %s", tt.productType, got, tt.want)
		}
	}
}
