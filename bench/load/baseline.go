package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"time"

	"gatehouse/sigv4"
)

// The baseline server is this program run again with -baseline-serve:
// a minimal Go HTTP server that reads the body, parses and verifies the
// SigV4 signature with gatehouse/sigv4 and answers a fixed
// DescribeOrganization body, with no store, no policy and no audit; for
// the STS operations it knows one set of temporary credentials (their
// session token compared as a string) and answers GetCallerIdentity and
// AssumeRole with fixed XML bodies. Put
// under the same load, it shows what the machine, the kernel's loopback
// and this load generator allow, apart from Gatehouse's own work.

const (
	baselineOrg    = "o-baseline00"
	baselineKey    = "AKIABASELINE00000000"
	baselineSecret = "baseline-secret-access-key-0000000000000"
)

// The baseline's one set of temporary credentials, its role and the
// session's answers. The token is about as long as Gatehouse's.
var (
	baselineAccount = "111111111111"
	baselineRoleARN = "arn:aws:iam::" + baselineAccount + ":role/" + loadRole
	baselineSession = sigv4.Credentials{
		AccessKeyID:     "ASIABASELINE00000000",
		SecretAccessKey: "baseline-session-secret-access-key-00000",
		SessionToken:    strings.Repeat("BaselineSessionToken", 32),
	}
	baselineCallerBody = []byte(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>` +
		stsSetup{account: baselineAccount}.assumedRoleARN() + `</Arn><UserId>AROABASELINE00000000:` + loadSession + `</UserId><Account>` + baselineAccount +
		`</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>baseline</RequestId></ResponseMetadata></GetCallerIdentityResponse>`)
	baselineAssumeBody = []byte(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>` +
		baselineSession.AccessKeyID + `</AccessKeyId><SecretAccessKey>` + baselineSession.SecretAccessKey + `</SecretAccessKey><SessionToken>` +
		baselineSession.SessionToken + `</SessionToken><Expiration>2026-11-25T12:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROABASELINE00000000:` +
		loadSession + `</AssumedRoleId><Arn>` + stsSetup{account: baselineAccount}.assumedRoleARN() +
		`</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>baseline</RequestId></ResponseMetadata></AssumeRoleResponse>`)
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
	fmt.Printf("baseline is serving addr=%s\n", ln.Addr())
	return http.Serve(ln, baselineHandler())
}

// baselineHandler is the baseline server's handler.
func baselineHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if r.URL.Path == "/healthz" {
			return
		}
		sig, err := sigv4.Parse(r)
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		answer, ctype, secret := baselineBody, contentType, baselineSecret
		switch sig.AccessKeyID() {
		case baselineKey:
		case baselineSession.AccessKeyID:
			secret = baselineSession.SecretAccessKey
			if sig.SecurityToken() != baselineSession.SessionToken {
				err = errors.New("invalid session token")
			}
			ctype = "text/xml"
			q, qerr := url.ParseQuery(string(body))
			switch {
			case qerr != nil:
				err = qerr
			case q.Get("Action") == "GetCallerIdentity":
				answer = baselineCallerBody
			case q.Get("Action") == "AssumeRole":
				answer = baselineAssumeBody
			default:
				err = fmt.Errorf("unknown action %q", q.Get("Action"))
			}
		default:
			err = fmt.Errorf("unknown key %s", sig.AccessKeyID())
		}
		if err == nil {
			err = sig.Verify(r, body, secret, time.Now())
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("X-Amzn-Requestid", "baseline")
		w.Write(answer)
	})
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
