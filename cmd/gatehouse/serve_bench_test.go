package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"gatehouse/store/sqlite"
)

// BenchmarkDescribeOrganization measures one authenticated, authorized
// and audited DescribeOrganization through the wired server, in process:
// the server's share of the load benchmark in bench/load, without the
// network. The request is signed once and replayed.
func BenchmarkDescribeOrganization(b *testing.B) {
	dir := b.TempDir()
	b.Setenv("GATEHOUSE_MASTER_KEY", "")
	b.Setenv("GATEHOUSE_ROOT_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
	b.Setenv("GATEHOUSE_ROOT_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
	st, err := sqlite.Open(dir + "/gatehouse.db")
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := wire(context.Background(), serveConfig{data: dir, region: "us-east-1", accountID: "111122223333"}, st, log)
	if err != nil {
		b.Fatal(err)
	}
	defer a.close()
	creds := aws.Credentials{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
	call := func(target string) *http.Request {
		body := []byte("{}")
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:4590/", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/x-amz-json-1.1")
		r.Header.Set("X-Amz-Target", "AWSOrganizationsV20161128."+target)
		sum := sha256.Sum256(body)
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "organizations", "us-east-1", time.Now()); err != nil {
			b.Fatal(err)
		}
		return r
	}
	serve := func(r *http.Request, body []byte) int {
		r.Body = io.NopCloser(bytes.NewReader(body))
		w := httptest.NewRecorder()
		a.server.ServeHTTP(w, r)
		return w.Code
	}
	if code := serve(call("CreateOrganization"), []byte("{}")); code != http.StatusOK {
		b.Fatalf("CreateOrganization: status %d", code)
	}
	r := call("DescribeOrganization")
	b.ReportAllocs()
	for b.Loop() {
		if code := serve(r, []byte("{}")); code != http.StatusOK {
			b.Fatalf("DescribeOrganization: status %d", code)
		}
	}
}
