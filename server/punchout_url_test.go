package server

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

// TestPunchOutBaseURL: with PublicURL configured, the URLs handed to
// buyers do not depend on the Host header a client sent.
func TestPunchOutBaseURL(t *testing.T) {
	tests := []struct {
		name, public, host string
		tls                bool
		want               string
	}{
		{name: "configured", public: "https://gatehouse.example.com", host: "evil.example", want: "https://gatehouse.example.com"},
		{name: "from the request", host: "127.0.0.1:4590", want: "http://127.0.0.1:4590"},
		{name: "from a TLS request", host: "gh.internal", tls: true, want: "https://gh.internal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{cfg: Config{PublicURL: tt.public}}
			r := httptest.NewRequest("POST", "/cxml/punchout", nil)
			r.Host = tt.host
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if got := s.baseURL(r); got != tt.want {
				t.Errorf("baseURL = %q, want %q", got, tt.want)
			}
		})
	}
}
