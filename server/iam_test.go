package server

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gatehouse/audit"
	"gatehouse/authz"
	"gatehouse/credentials"
	"gatehouse/iam"
	"gatehouse/org"
	"gatehouse/principal"
	"gatehouse/sigv4"
	"gatehouse/store"
	"gatehouse/store/sqlite"
	"gatehouse/sts"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testAccount is the account of the server tests.
const testAccount = "111111111111"

// iamServer is a Server with IAM over a fresh SQLite store, and the
// management account's root key.
type iamServer struct {
	*Server
	root sigv4.Credentials
	now  time.Time
}

// zeroReader makes IAM's random ids deterministic for golden files.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func newIAMServer(t *testing.T) *iamServer {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cipher, err := credentials.NewCipher(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	keys := &credentials.Keys{Store: st, Cipher: cipher}
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	svc := iam.New(st, keys)
	svc.Now = func() time.Time { return now }
	orgs := org.New(st)
	az := authz.New(st, svc, orgs)
	t.Cleanup(az.Close)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	rec := audit.NewRecorder(st, log, audit.RecorderConfig{})
	t.Cleanup(rec.Close)
	root := sigv4.Credentials{AccessKeyID: "AKIAROOTROOTROOTROOT", SecretAccessKey: "root-secret"}
	ctx := context.Background()
	err = st.Update(ctx, func(tx store.Tx) error {
		c := principal.Caller{Type: principal.Root, Account: testAccount, ARN: principal.RootARN(testAccount), PrincipalARN: principal.RootARN(testAccount), UserID: testAccount}
		return keys.Put(ctx, tx, root.AccessKeyID, root.SecretAccessKey, c)
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := New(Config{Region: "us-east-1", Log: log, Now: func() time.Time { return now }},
		Deps{Store: st, Keys: keys, Authz: az, Org: orgs, Audit: rec, IAM: svc, STS: sts.New(st, sts.NewTokens(cipher), nil, nil),
			ManagementAccount: func() string { return testAccount }})
	return &iamServer{Server: srv, root: root, now: now}
}

// call sends a signed IAM query request.
func (s *iamServer) call(t *testing.T, creds sigv4.Credentials, action string, params url.Values) *httptest.ResponseRecorder {
	t.Helper()
	if params == nil {
		params = url.Values{}
	}
	params.Set("Action", action)
	params.Set("Version", "2010-05-08")
	body := []byte(params.Encode())
	r := httptest.NewRequest(http.MethodPost, "https://iam.amazonaws.com/", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if err := sigv4.Sign(r, body, creds, "us-east-1", "iam", s.now); err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

var requestIDs = regexp.MustCompile(`<RequestId>[^<]*</RequestId>`)

// golden compares a response with testdata/NAME.golden.
func golden(t *testing.T, name string, w *httptest.ResponseRecorder) {
	t.Helper()
	got := "HTTP " + http.StatusText(w.Code) + "\n\n" + requestIDs.ReplaceAllString(w.Body.String(), "<RequestId>REQUEST-ID</RequestId>") + "\n"
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s:\n%s", name, path, got)
	}
}

func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

const trustDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:root"},"Action":"sts:AssumeRole"}]}`

// TestIAMWireShapes checks IAM responses and errors on the wire against
// golden files: the query protocol's XML, <member> lists, and policy
// documents URL-encoded as IAM sends them.
func TestIAMWireShapes(t *testing.T) {
	s := newIAMServer(t)
	s.Server.deps.IAM.Rand = zeroReader{}
	steps := []struct {
		name, action string
		params       url.Values
		status       int
	}{
		{"iam_create_user", "CreateUser", form("UserName", "alice", "Path", "/dev/", "Tags.member.1.Key", "team", "Tags.member.1.Value", "blue"), 200},
		{"iam_list_users", "ListUsers", form("MaxItems", "10"), 200},
		{"iam_create_role", "CreateRole", form("RoleName", "ops", "AssumeRolePolicyDocument", trustDoc, "Description", "operators"), 200},
		{"iam_get_role", "GetRole", form("RoleName", "ops"), 200},
		{"iam_delete_user_missing", "DeleteUser", form("UserName", "nobody"), 404},
		{"iam_missing_member", "GetRole", nil, 400},
		{"iam_get_account_summary", "GetAccountSummary", nil, 200},
		{"iam_delete_role", "DeleteRole", form("RoleName", "ops"), 200},
	}
	for _, st := range steps {
		w := s.call(t, s.root, st.action, st.params)
		if w.Code != st.status {
			t.Fatalf("%s: HTTP %d, want %d: %s", st.action, w.Code, st.status, w.Body)
		}
		golden(t, st.name, w)
	}
}

// TestIAMAuthorization checks that IAM users are authorized by their own
// policies: a user with IAMReadOnlyAccess may list users but not create
// them, until AdministratorAccess is attached; a deleted key stops
// working.
func TestIAMAuthorization(t *testing.T) {
	s := newIAMServer(t)
	mustStatus := func(w *httptest.ResponseRecorder, status int) {
		t.Helper()
		if w.Code != status {
			t.Fatalf("HTTP %d, want %d: %s", w.Code, status, w.Body)
		}
	}
	mustStatus(s.call(t, s.root, "CreateUser", form("UserName", "dev")), 200)
	w := s.call(t, s.root, "CreateAccessKey", form("UserName", "dev"))
	mustStatus(w, 200)
	id := regexp.MustCompile(`<AccessKeyId>([^<]+)</AccessKeyId>`).FindStringSubmatch(w.Body.String())[1]
	secret := regexp.MustCompile(`<SecretAccessKey>([^<]+)</SecretAccessKey>`).FindStringSubmatch(w.Body.String())[1]
	dev := sigv4.Credentials{AccessKeyID: id, SecretAccessKey: secret}

	// No policy: everything is implicitly denied.
	w = s.call(t, dev, "ListUsers", nil)
	mustStatus(w, 403)
	if !strings.Contains(w.Body.String(), "<Code>AccessDenied</Code>") {
		t.Errorf("denied: %s", w.Body)
	}
	mustStatus(s.call(t, s.root, "AttachUserPolicy", form("UserName", "dev", "PolicyArn", "arn:aws:iam::aws:policy/IAMReadOnlyAccess")), 200)
	mustStatus(s.call(t, dev, "ListUsers", nil), 200)
	mustStatus(s.call(t, dev, "GetUser", nil), 200)
	mustStatus(s.call(t, dev, "CreateUser", form("UserName", "other")), 403)
	mustStatus(s.call(t, s.root, "AttachUserPolicy", form("UserName", "dev", "PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess")), 200)
	mustStatus(s.call(t, dev, "CreateUser", form("UserName", "other")), 200)
	// A boundary caps the user's permissions.
	mustStatus(s.call(t, s.root, "PutUserPermissionsBoundary", form("UserName", "dev", "PermissionsBoundary", "arn:aws:iam::aws:policy/IAMReadOnlyAccess")), 200)
	mustStatus(s.call(t, dev, "CreateUser", form("UserName", "third")), 403)
	mustStatus(s.call(t, dev, "ListUsers", nil), 200)
	// The secret is never returned again.
	w = s.call(t, s.root, "ListAccessKeys", form("UserName", "dev"))
	mustStatus(w, 200)
	if strings.Contains(w.Body.String(), secret) || strings.Contains(w.Body.String(), "SecretAccessKey") {
		t.Errorf("ListAccessKeys shows the secret: %s", w.Body)
	}
	mustStatus(s.call(t, s.root, "DeleteAccessKey", form("UserName", "dev", "AccessKeyId", id)), 200)
	w = s.call(t, dev, "ListUsers", nil)
	mustStatus(w, 403)
	if !strings.Contains(w.Body.String(), "<Code>InvalidClientTokenId</Code>") {
		t.Errorf("deleted key: %s", w.Body)
	}
}

// TestIAMServiceLinkedRoleAuthorization: AWSPrivateMarketplaceAdminFullAccess
// allows iam:CreateServiceLinkedRole on the role's own ARN with
// iam:AWSServiceName private-marketplace.marketplace.amazonaws.com, so a
// user with that policy may create the Private Marketplace's role.
func TestIAMServiceLinkedRoleAuthorization(t *testing.T) {
	s := newIAMServer(t)
	if w := s.call(t, s.root, "CreateUser", form("UserName", "pm")); w.Code != 200 {
		t.Fatal(w.Body)
	}
	if w := s.call(t, s.root, "AttachUserPolicy", form("UserName", "pm", "PolicyArn", "arn:aws:iam::aws:policy/AWSPrivateMarketplaceAdminFullAccess")); w.Code != 200 {
		t.Fatal(w.Body)
	}
	w := s.call(t, s.root, "CreateAccessKey", form("UserName", "pm"))
	pm := sigv4.Credentials{
		AccessKeyID:     regexp.MustCompile(`<AccessKeyId>([^<]+)<`).FindStringSubmatch(w.Body.String())[1],
		SecretAccessKey: regexp.MustCompile(`<SecretAccessKey>([^<]+)<`).FindStringSubmatch(w.Body.String())[1],
	}
	if w := s.call(t, pm, "CreateServiceLinkedRole", form("AWSServiceName", "procurement-insights.marketplace.amazonaws.com")); w.Code != 403 {
		t.Errorf("another service's role: HTTP %d %s", w.Code, w.Body)
	}
	if w := s.call(t, pm, "CreateServiceLinkedRole", form("AWSServiceName", "private-marketplace.marketplace.amazonaws.com")); w.Code != 200 {
		t.Errorf("CreateServiceLinkedRole: HTTP %d %s", w.Code, w.Body)
	}
	if w := s.call(t, pm, "GetRole", form("RoleName", "AWSServiceRoleForPrivateMarketplaceAdmin")); w.Code != 200 {
		t.Errorf("GetRole: HTTP %d %s", w.Code, w.Body)
	}
}

// TestIAMRefusesGetSessionTokenCredentials: credentials from
// GetSessionToken may not call IAM without MFA ("You cannot call any IAM
// API operations unless MFA authentication information is included in
// the request", STS API reference, GetSessionToken); those of a role
// session may.
func TestIAMRefusesGetSessionTokenCredentials(t *testing.T) {
	s := newIAMServer(t)
	if w := s.call(t, s.root, "CreateRole", form("RoleName", "admin", "AssumeRolePolicyDocument", trustDoc)); w.Code != 200 {
		t.Fatalf("CreateRole: %s", w.Body)
	}
	if w := s.call(t, s.root, "AttachRolePolicy", form("RoleName", "admin", "PolicyArn", "arn:aws:iam::aws:policy/AdministratorAccess")); w.Code != 200 {
		t.Fatalf("AttachRolePolicy: %s", w.Body)
	}
	roleARN := "arn:aws:iam::" + testAccount + ":role/admin"
	root := principal.Caller{Type: principal.Root, Account: testAccount, ARN: principal.RootARN(testAccount), PrincipalARN: principal.RootARN(testAccount), UserID: testAccount}
	role := principal.Caller{Type: principal.AssumedRole, Account: testAccount, ARN: "arn:aws:sts::" + testAccount + ":assumed-role/admin/s1",
		PrincipalARN: roleARN, UserID: "AROAADMIN:s1", Name: "s1"}
	tests := []struct {
		name   string
		caller principal.Caller
		issuer string
		status int
		code   string
	}{
		{name: "GetSessionToken of the root user", caller: root, issuer: "GetSessionToken", status: 403, code: "InvalidClientTokenId"},
		{name: "AssumeRole", caller: role, issuer: "AssumeRole", status: 200},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.caller
			c.AccessKeyID = "ASIATESTTESTTEST000" + string(rune('0'+i))
			c.Session = &principal.Session{Issuer: tt.issuer, Issued: s.now, Expiration: s.now.Add(time.Hour)}
			token, err := s.deps.STS.Tokens.Seal("session-secret", c)
			if err != nil {
				t.Fatal(err)
			}
			w := s.call(t, sigv4.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: "session-secret", SessionToken: token}, "ListUsers", nil)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.code) {
				t.Errorf("ListUsers: HTTP %d %s, want %d %s", w.Code, w.Body, tt.status, tt.code)
			}
		})
	}
}
