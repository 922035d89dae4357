package main

import "testing"

func TestCheckServeConfigPublicURL(t *testing.T) {
	tests := []struct {
		name, in, want string
		bad            bool
	}{
		{name: "https host", in: "https://gatehouse.example.com", want: "https://gatehouse.example.com"},
		{name: "trailing slash", in: "https://gatehouse.example.com/", want: "https://gatehouse.example.com"},
		{name: "http with port", in: "http://10.0.0.5:4590", want: "http://10.0.0.5:4590"},
		{name: "no scheme", in: "gatehouse.example.com", bad: true},
		{name: "path", in: "https://gatehouse.example.com/market", bad: true},
		{name: "user info", in: "https://a@gatehouse.example.com", bad: true},
		{name: "other scheme", in: "ftp://gatehouse.example.com", bad: true},
		{name: "query", in: "https://gatehouse.example.com?x=1", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := serveConfig{addr: "127.0.0.1:0", publicURL: tt.in}
			err := checkServeConfig(&cfg)
			if tt.bad {
				if err == nil {
					t.Fatalf("checkServeConfig accepted --public-url %q", tt.in)
				}
				return
			}
			if err != nil || cfg.publicURL != tt.want {
				t.Fatalf("checkServeConfig(%q) = %v, public URL %q; want %q", tt.in, err, cfg.publicURL, tt.want)
			}
		})
	}
}
