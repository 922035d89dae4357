package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"sync/atomic"
	"time"

	"gatehouse/sigv4"
)

// The baseline server is this program run again with -baseline-serve:
// a minimal Go HTTP server that reads the body, parses and verifies the
// SigV4 signature with gatehouse/sigv4 and answers a fixed
// DescribeOrganization body, with no store, no policy and no audit. Put
// under the same load, it shows what the machine, the kernel's loopback
// and this load generator allow, apart from Gatehouse's own work.

const (
	baselineOrg    = "o-baseline00"
	baselineKey    = "AKIABASELINE00000000"
	baselineSecret = "baseline-secret-access-key-0000000000000"
)

var baselineBody = []byte(`{"Organization":{"Id":"` + baselineOrg + `","Arn":"arn:aws:organizations::111111111111:organization/` + baselineOrg +
	`","FeatureSet":"ALL","MasterAccountArn":"arn:aws:organizations::111111111111:account/` + baselineOrg + `/111111111111","MasterAccountId":"111111111111","MasterAccountEmail":"management@111111111111.gatehouse.invalid","AvailablePolicyTypes":[]}}`)

// serveBaseline runs the baseline server on a free loopback port and
// prints its address.
func serveBaseline() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if r.URL.Path == "/healthz" {
			return
		}
		sig, err := sigv4.Parse(r)
		if err == nil && sig.AccessKeyID() != baselineKey {
			err = fmt.Errorf("unknown key %s", sig.AccessKeyID())
		}
		if err == nil {
			err = sig.Verify(r, body, baselineSecret, time.Now())
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("X-Amzn-Requestid", "baseline")
		w.Write(baselineBody)
	})
	fmt.Printf("baseline is serving addr=%s\n", ln.Addr())
	return http.Serve(ln, h)
}

var baselineRE = servingLine("baseline is serving")

// startBaseline starts this program as the baseline server.
func startBaseline(ctx context.Context, cfg config) (*target, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	t := &target{name: "baseline", log: &lockedBuffer{}, verbose: cfg.keepServerLog, exited: make(chan struct{}), dials: new(atomic.Int64)}
	t.creds = sigv4.Credentials{AccessKeyID: baselineKey, SecretAccessKey: baselineSecret}
	addr, err := t.startProcess(exec.Command(self, "-baseline-serve"), func(line string) string {
		if m := baselineRE.FindStringSubmatch(line); m != nil {
			return m[1]
		}
		return ""
	})
	if err != nil {
		return nil, err
	}
	t.url, t.orgID, t.client = "http://"+addr, baselineOrg, newClient(cfg.conc, t.dials)
	if err := t.waitHealthy(ctx, "/healthz"); err != nil {
		t.stop()
		return nil, err
	}
	return t, nil
}
