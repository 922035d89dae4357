package webhook

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	secret := []byte("0123456789abcdef")
	now := time.Unix(1767225600, 0)
	body := []byte(`{"Event":"PurchaseRequestCreated"}`)
	sig := Sign(secret, now.Unix(), body)
	tests := []struct {
		name      string
		secret    []byte
		timestamp string
		signature string
		body      []byte
		want      bool
	}{
		{name: "valid", secret: secret, timestamp: "1767225600", signature: sig, body: body, want: true},
		{name: "wrong secret", secret: []byte("fedcba9876543210"), timestamp: "1767225600", signature: sig, body: body},
		{name: "tampered body", secret: secret, timestamp: "1767225600", signature: sig, body: []byte(`{"Event":"PurchaseRequestApproved"}`)},
		{name: "other timestamp", secret: secret, timestamp: "1767225601", signature: sig, body: body},
		{name: "stale", secret: secret, timestamp: "1767225000", signature: Sign(secret, 1767225000, body), body: body},
		{name: "not a number", secret: secret, timestamp: "soon", signature: sig, body: body},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Verify(tt.secret, tt.timestamp, tt.signature, tt.body, now, 5*time.Minute); got != tt.want {
				t.Errorf("Verify = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPostSignsAndReportsFailures(t *testing.T) {
	secret := []byte("0123456789abcdef")
	status := http.StatusInternalServerError
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts, _ := strconv.ParseInt(r.Header.Get(HeaderTimestamp), 10, 64)
		if r.Header.Get(HeaderSignature) != Sign(secret, ts, []byte(`{}`)) || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("headers = %v", r.Header)
		}
		w.WriteHeader(status)
	}))
	defer hs.Close()
	c := &Client{}
	if err := c.Post(context.Background(), hs.URL, secret, []byte(`{}`)); err == nil {
		t.Error("a 500 is not reported")
	}
	status = http.StatusNoContent
	if err := c.Post(context.Background(), hs.URL, secret, []byte(`{}`)); err != nil {
		t.Errorf("Post: %v", err)
	}
}
