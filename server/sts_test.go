package server

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awscreds "github.com/aws/aws-sdk-go-v2/credentials"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"gatehouse/audit"
	"gatehouse/authz"
	"gatehouse/credentials"
	"gatehouse/org"
	"gatehouse/principal"
	"gatehouse/setup"
	"gatehouse/store"
	"gatehouse/store/sqlite"
	"gatehouse/sts"
)

const (
	rootKeyID   = "AKIAROOTROOTROOTROOT"
	rootSecret  = "root-secret-root-secret-root-secret-0001"
	aliceKeyID  = "AKIAALICEALICEALICE2"
	aliceSecret = "alice-secret-alice-secret-alice-secret-2"
	aliceARN    = "arn:aws:iam::111111111111:user/alice"
	adminRole   = "arn:aws:iam::111111111111:role/admin"
	bobRole     = "arn:aws:iam::111111111111:role/bobs"
)

// testRoles are the roles of the STS server tests, until IAM serves roles.
type testRoles map[string]sts.Role

func (r testRoles) Role(_ context.Context, _ store.Tx, arn string) (sts.Role, error) {
	role, ok := r[arn]
	if !ok {
		return sts.Role{}, sts.ErrNoSuchRole
	}
	return role, nil
}

// testIdentities gives IAM users and role sessions identity policies by
// principal ARN (the role ARN for a role session).
type testIdentities map[string][]authz.Document

func (t testIdentities) IdentityPolicies(_ context.Context, _ store.Tx, c *principal.Caller) ([]authz.Document, *authz.Document, error) {
	return t[c.PrincipalARN], nil, nil
}

func policyDoc(statements string) string {
	return `{"Version":"2012-10-17","Statement":[` + statements + `]}`
}

// stsServer is a Server over real SQLite with STS and test roles, behind
// httptest; now shifts the clock STS issues credentials with.
type stsServer struct {
	url   string
	svc   *sts.Service
	shift atomic.Int64 // nanoseconds added to STS's clock
}

func newSTSServer(t *testing.T) *stsServer {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key := make([]byte, credentials.MasterKeySize)
	rand.Read(key)
	cipher, err := credentials.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	keys := &credentials.Keys{Store: st, Cipher: cipher}
	orgs := org.New(st)
	if _, err := setup.Run(ctx, st, keys, orgs, setup.Config{AccountID: testAccount, RootAccessKeyID: rootKeyID, RootSecretAccessKey: rootSecret}); err != nil {
		t.Fatal(err)
	}
	alice := principal.Caller{Type: principal.IAMUser, Account: testAccount, ARN: aliceARN, PrincipalARN: aliceARN, UserID: "AIDAALICEALICEALICE1", Name: "alice"}
	if err := st.Update(ctx, func(tx store.Tx) error { return keys.Put(ctx, tx, aliceKeyID, aliceSecret, alice) }); err != nil {
		t.Fatal(err)
	}
	ids := testIdentities{
		aliceARN: {{ID: "alice", Content: policyDoc(`{"Effect":"Allow","Action":["sts:AssumeRole","sts:GetAccessKeyInfo"],"Resource":"*"},` +
			`{"Effect":"Deny","Action":"sts:GetCallerIdentity","Resource":"*"}`)}},
		adminRole: {{ID: "admin", Content: policyDoc(`{"Effect":"Allow","Action":"*","Resource":"*"}`)}},
	}
	az := authz.New(st, ids, orgs)
	t.Cleanup(az.Close)
	rec := audit.NewRecorder(st, slog.New(slog.NewTextHandler(io.Discard, nil)), audit.RecorderConfig{})
	t.Cleanup(rec.Close)
	trustAlice := policyDoc(`{"Effect":"Allow","Principal":{"AWS":"` + aliceARN + `"},"Action":["sts:AssumeRole","sts:TagSession"]}`)
	s := &stsServer{}
	s.svc = sts.New(st, sts.NewTokens(cipher), testRoles{
		adminRole: {ARN: adminRole, ID: "AROAADMINADMINADMIN1", Name: "admin", Account: testAccount, Trust: trustAlice, MaxSessionDuration: 3600},
		bobRole: {ARN: bobRole, ID: "AROABOBSBOBSBOBSBOB1", Name: "bobs", Account: testAccount, MaxSessionDuration: 3600,
			Trust: policyDoc(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/bob"},"Action":"sts:AssumeRole"}`)},
	}, nil)
	s.svc.Now = func() time.Time { return time.Now().Add(time.Duration(s.shift.Load())) }
	srv := New(Config{Region: "us-east-1", Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, Deps{
		Store: st, Keys: keys, Authz: az, Org: orgs, Audit: rec, STS: s.svc,
		ManagementAccount: func() string { return testAccount },
	})
	srv.SetReady(true)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	s.url = hs.URL
	return s
}

func (s *stsServer) client(id, secret, token string) *awssts.Client {
	return awssts.New(awssts.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(s.url),
		Credentials: awscreds.NewStaticCredentialsProvider(id, secret, token),
		Retryer:     aws.NopRetryer{},
		HTTPClient:  sdkHTTPClient{},
	})
}

func (s *stsServer) session(c *ststypes.Credentials) *awssts.Client {
	return s.client(*c.AccessKeyId, *c.SecretAccessKey, *c.SessionToken)
}

// wantAPIError fails unless err is the API error code whose message
// contains message.
func wantAPIError(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), message) {
		t.Errorf("got %v, want %s containing %q", err, code, message)
	}
}

func TestSTSGetCallerIdentity(t *testing.T) {
	s := newSTSServer(t)
	ctx := context.Background()
	out, err := s.client(rootKeyID, rootSecret, "").GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if *out.Arn != "arn:aws:iam::111111111111:root" || *out.Account != testAccount || *out.UserId != testAccount {
		t.Errorf("root identity = %s %s %s", *out.Arn, *out.Account, *out.UserId)
	}
	// "If an administrator attaches a policy to your identity that
	// explicitly denies access to the sts:GetCallerIdentity action, you
	// can still perform this operation." alice's policy denies it.
	out, err = s.client(aliceKeyID, aliceSecret, "").GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if *out.Arn != aliceARN || *out.UserId != "AIDAALICEALICEALICE1" {
		t.Errorf("alice identity = %s %s", *out.Arn, *out.UserId)
	}
}

func TestSTSAssumeRole(t *testing.T) {
	s := newSTSServer(t)
	ctx := context.Background()
	alice := s.client(aliceKeyID, aliceSecret, "")
	out, err := alice.AssumeRole(ctx, &awssts.AssumeRoleInput{
		RoleArn: aws.String(adminRole), RoleSessionName: aws.String("alice-admin"),
		Policy: aws.String(policyDoc(`{"Effect":"Allow","Action":["sts:GetCallerIdentity","organizations:Describe*"],"Resource":"*"}`)),
		Tags:   []ststypes.Tag{{Key: aws.String("Project"), Value: aws.String("seed")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if *out.AssumedRoleUser.Arn != "arn:aws:sts::111111111111:assumed-role/admin/alice-admin" ||
		*out.AssumedRoleUser.AssumedRoleId != "AROAADMINADMINADMIN1:alice-admin" ||
		!strings.HasPrefix(*out.Credentials.AccessKeyId, "ASIA") || out.PackedPolicySize == nil || //lint:ignore SA1019 AWS still sends it
		out.SessionTokenUtilization == nil || *out.SessionTokenUtilization < 1 || *out.SessionTokenUtilization > 100 ||
		time.Until(*out.Credentials.Expiration) < 59*time.Minute {
		t.Errorf("AssumeRole = %+v %+v", out.AssumedRoleUser, out.Credentials)
	}
	session := s.session(out.Credentials)
	id, err := session.GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if *id.Arn != *out.AssumedRoleUser.Arn || *id.UserId != *out.AssumedRoleUser.AssumedRoleId {
		t.Errorf("session identity = %s %s", *id.Arn, *id.UserId)
	}
	// The role allows everything; the session policy does not allow
	// GetAccessKeyInfo.
	_, err = session.GetAccessKeyInfo(ctx, &awssts.GetAccessKeyInfoInput{AccessKeyId: out.Credentials.AccessKeyId})
	wantAPIError(t, err, "AccessDenied", "User: arn:aws:sts::111111111111:assumed-role/admin/alice-admin is not authorized to perform: sts:GetAccessKeyInfo on resource: * because no session policy allows the sts:GetAccessKeyInfo action")
	// alice's own key may ask, and the temporary key names its account.
	info, err := alice.GetAccessKeyInfo(ctx, &awssts.GetAccessKeyInfoInput{AccessKeyId: out.Credentials.AccessKeyId})
	if err != nil || *info.Account != testAccount {
		t.Errorf("GetAccessKeyInfo = %v, %v", info, err)
	}
	// "GetSessionToken must be called by using the long-term AWS security
	// credentials".
	_, err = session.GetSessionToken(ctx, &awssts.GetSessionTokenInput{})
	wantAPIError(t, err, "AccessDenied", "Cannot call GetSessionToken with session credentials")

	// A session without session policies has the role's permissions.
	out2, err := alice.AssumeRole(ctx, &awssts.AssumeRoleInput{RoleArn: aws.String(adminRole), RoleSessionName: aws.String("plain")})
	if err != nil {
		t.Fatal(err)
	}
	//lint:ignore SA1019 AWS still sends it
	if out2.PackedPolicySize != nil {
		t.Error("PackedPolicySize without session policies or tags")
	}
	if _, err := s.session(out2.Credentials).GetAccessKeyInfo(ctx, &awssts.GetAccessKeyInfoInput{AccessKeyId: aws.String(aliceKeyID)}); err != nil {
		t.Errorf("GetAccessKeyInfo as the role: %v", err)
	}
}

func TestSTSAssumeRoleDenied(t *testing.T) {
	s := newSTSServer(t)
	ctx := context.Background()
	alice := s.client(aliceKeyID, aliceSecret, "")
	tests := []struct {
		name          string
		in            awssts.AssumeRoleInput
		code, message string
	}{
		{name: "role does not exist", in: awssts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111111111111:role/nope"), RoleSessionName: aws.String("s1")},
			code: "AccessDenied", message: "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/nope"},
		{name: "trust names someone else", in: awssts.AssumeRoleInput{RoleArn: aws.String(bobRole), RoleSessionName: aws.String("s1")},
			code: "AccessDenied", message: "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/bobs"},
		// The trust policy allows sts:AssumeRole and sts:TagSession, not
		// sts:SetSourceIdentity.
		{name: "source identity not trusted", in: awssts.AssumeRoleInput{RoleArn: aws.String(adminRole), RoleSessionName: aws.String("s1"), SourceIdentity: aws.String("alice")},
			code: "AccessDenied", message: "is not authorized to perform: sts:SetSourceIdentity on resource: arn:aws:iam::111111111111:role/admin"},
		// Input is checked before authorization, as AWS does.
		{name: "short session name", in: awssts.AssumeRoleInput{RoleArn: aws.String(bobRole), RoleSessionName: aws.String("a")},
			code: "ValidationError", message: "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{name: "over the role's maximum", in: awssts.AssumeRoleInput{RoleArn: aws.String(adminRole), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(7200)},
			code: "ValidationError", message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{name: "malformed session policy", in: awssts.AssumeRoleInput{RoleArn: aws.String(adminRole), RoleSessionName: aws.String("s1"), Policy: aws.String(`{"Statement":`)},
			code: "MalformedPolicyDocument", message: "Syntax errors in policy."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := alice.AssumeRole(ctx, &tt.in)
			wantAPIError(t, err, tt.code, tt.message)
		})
	}
}

func TestSTSTemporaryCredentialsFailClosed(t *testing.T) {
	s := newSTSServer(t)
	ctx := context.Background()
	root := s.client(rootKeyID, rootSecret, "")
	out, err := root.GetSessionToken(ctx, &awssts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	if time.Until(*c.Expiration) > 15*time.Minute {
		t.Errorf("expiration %v", *c.Expiration)
	}
	id, err := s.session(c).GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
	if err != nil || *id.Arn != "arn:aws:iam::111111111111:root" {
		t.Fatalf("GetCallerIdentity with the session token = %v, %v", id, err)
	}
	raw, _ := base64.StdEncoding.DecodeString(*c.SessionToken)
	raw[len(raw)/2] ^= 1
	tampered := base64.StdEncoding.EncodeToString(raw)
	other, err := root.GetSessionToken(ctx, &awssts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	s.shift.Store(int64(-time.Hour))
	expired, err := root.GetSessionToken(ctx, &awssts.GetSessionTokenInput{DurationSeconds: aws.Int32(900)})
	s.shift.Store(0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, id, secret, token string
		code, message           string
	}{
		{name: "tampered token", id: *c.AccessKeyId, secret: *c.SecretAccessKey, token: tampered,
			code: "InvalidClientTokenId", message: "The security token included in the request is invalid."},
		{name: "token of another key", id: *c.AccessKeyId, secret: *c.SecretAccessKey, token: *other.Credentials.SessionToken,
			code: "InvalidClientTokenId", message: "The security token included in the request is invalid."},
		{name: "no token", id: *c.AccessKeyId, secret: *c.SecretAccessKey,
			code: "InvalidClientTokenId", message: "The security token included in the request is invalid."},
		{name: "wrong secret", id: *c.AccessKeyId, secret: *other.Credentials.SecretAccessKey, token: *c.SessionToken,
			code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match"},
		{name: "long-term key with a token", id: rootKeyID, secret: rootSecret, token: *c.SessionToken,
			code: "InvalidClientTokenId", message: "The security token included in the request is invalid."},
		{name: "expired", id: *expired.Credentials.AccessKeyId, secret: *expired.Credentials.SecretAccessKey, token: *expired.Credentials.SessionToken,
			code: "ExpiredToken", message: "The security token included in the request is expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.client(tt.id, tt.secret, tt.token).GetCallerIdentity(ctx, &awssts.GetCallerIdentityInput{})
			wantAPIError(t, err, tt.code, tt.message)
		})
	}
}
