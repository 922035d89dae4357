package sts

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/awserr"
	"gatehouse/credentials"
	"gatehouse/principal"
	"gatehouse/store"
	"gatehouse/store/sqlite"
)

// fakeRoles is a Roles of fixed roles, for tests before IAM exists.
type fakeRoles map[string]Role

func (f fakeRoles) Role(_ context.Context, _ store.Tx, arn string) (Role, error) {
	r, ok := f[arn]
	if !ok {
		return Role{}, ErrNoSuchRole
	}
	return r, nil
}

// fakePolicies is a ManagedPolicies of fixed documents.
type fakePolicies map[string]string

func (f fakePolicies) PolicyDocument(_ context.Context, _ store.Tx, arn string) (string, error) {
	d, ok := f[arn]
	if !ok {
		return "", ErrNoSuchPolicy
	}
	return d, nil
}

const (
	acct      = "111122223333"
	adminRole = "arn:aws:iam::111122223333:role/ops/admin"
	longRole  = "arn:aws:iam::111122223333:role/long"
	readOnly  = "arn:aws:iam::aws:policy/ReadOnlyAccess"
	allowAll  = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
)

var (
	user = &principal.Caller{Type: principal.IAMUser, Account: acct, ARN: "arn:aws:iam::111122223333:user/alice",
		PrincipalARN: "arn:aws:iam::111122223333:user/alice", UserID: "AIDAEXAMPLEEXAMPLE01", Name: "alice", AccessKeyID: "AKIAEXAMPLEEXAMPLE01"}
	root = &principal.Caller{Type: principal.Root, Account: acct, ARN: principal.RootARN(acct), PrincipalARN: principal.RootARN(acct), UserID: acct}
)

func newService(t *testing.T) *Service {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := New(st, newTokens(t), fakeRoles{
		adminRole: {ARN: adminRole, ID: "AROAEXAMPLEEXAMPLE01", Name: "admin", Account: acct, Trust: allowAll, MaxSessionDuration: 3600},
		longRole:  {ARN: longRole, ID: "AROAEXAMPLEEXAMPLE02", Name: "long", Account: acct, Trust: allowAll, MaxSessionDuration: 43200},
	}, fakePolicies{readOnly: allowAll})
	s.Now = func() time.Time { return t0 }
	return s
}

func ptr[T any](v T) *T { return &v }

// openCreds returns the caller the credentials authenticate.
func openCreds(t *testing.T, s *Service, c Credentials) principal.Caller {
	t.Helper()
	secret, caller, err := s.Authenticate(c.AccessKeyId, c.SessionToken, t0)
	if err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	if secret != c.SecretAccessKey {
		t.Fatal("the token carries another secret")
	}
	return caller
}

func wantCode(t *testing.T, err error, code, message string) {
	t.Helper()
	e := awserr.As(err)
	if err == nil || e.Code != code || !strings.Contains(e.Message, message) {
		t.Errorf("got %v, want %s containing %q", err, code, message)
	}
}

func TestGetCallerIdentity(t *testing.T) {
	s := newService(t)
	out, err := s.GetCallerIdentity(context.Background(), user, GetCallerIdentityInput{})
	if err != nil || out != (GetCallerIdentityOutput{UserId: user.UserID, Account: acct, Arn: user.ARN}) {
		t.Errorf("GetCallerIdentity = %+v, %v", out, err)
	}
}

func TestGetSessionToken(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	tests := []struct {
		name     string
		caller   *principal.Caller
		duration *int32
		want     time.Duration
	}{
		// "from 900 seconds (15 minutes) up to 129,600 seconds (36 hours),
		// with 43,200 seconds (12 hours) as the default" (GetSessionToken).
		{name: "user default", caller: user, want: 12 * time.Hour},
		{name: "user minimum", caller: user, duration: ptr(int32(900)), want: 15 * time.Minute},
		{name: "user maximum", caller: user, duration: ptr(int32(129600)), want: 36 * time.Hour},
		// "credentials obtained by using the root user credentials have a
		// maximum duration of 3,600 seconds (1 hour)".
		{name: "root default", caller: root, want: time.Hour},
		{name: "root capped", caller: root, duration: ptr(int32(7200)), want: time.Hour},
		{name: "root short", caller: root, duration: ptr(int32(1000)), want: 1000 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := s.GetSessionToken(ctx, tt.caller, GetSessionTokenInput{DurationSeconds: tt.duration})
			if err != nil {
				t.Fatal(err)
			}
			c := out.Credentials
			if got := c.Expiration.Sub(t0); got != tt.want {
				t.Errorf("expires after %v, want %v", got, tt.want)
			}
			if account, ok := temporaryKeyAccount(c.AccessKeyId); !ok || account != acct {
				t.Errorf("key id %s does not encode account %s", c.AccessKeyId, acct)
			}
			got := openCreds(t, s, c)
			if got.ARN != tt.caller.ARN || got.Type != tt.caller.Type || got.UserID != tt.caller.UserID ||
				got.Session == nil || got.Session.Issuer != "GetSessionToken" || got.AccessKeyID != c.AccessKeyId {
				t.Errorf("session caller = %+v", got)
			}
		})
	}
}

func TestGetSessionTokenErrors(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	out, err := s.GetSessionToken(ctx, user, GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	sessionUser := openCreds(t, s, out.Credentials)
	role := &principal.Caller{Type: principal.AssumedRole, Account: acct, ARN: "arn:aws:sts::111122223333:assumed-role/admin/x",
		Session: &principal.Session{Issuer: "AssumeRole"}}
	tests := []struct {
		name          string
		caller        *principal.Caller
		in            GetSessionTokenInput
		code, message string
	}{
		{name: "role session", caller: role, code: "AccessDenied", message: "Cannot call GetSessionToken with session credentials"},
		{name: "session of a user", caller: &sessionUser, code: "AccessDenied", message: "Cannot call GetSessionToken with session credentials"},
		{name: "too short", caller: user, in: GetSessionTokenInput{DurationSeconds: ptr(int32(899))}, code: "ValidationError",
			message: "Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{name: "too long", caller: user, in: GetSessionTokenInput{DurationSeconds: ptr(int32(129601))}, code: "ValidationError",
			message: "Member must have value less than or equal to 129600"},
		{name: "bad token code", caller: user, in: GetSessionTokenInput{TokenCode: ptr("12a456")}, code: "ValidationError",
			message: `Value '12a456' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\d]*`},
		{name: "short serial", caller: user, in: GetSessionTokenInput{SerialNumber: ptr("arn:x")}, code: "ValidationError",
			message: "at 'serialNumber' failed to satisfy constraint: Member must have length greater than or equal to 9"},
		{name: "MFA", caller: user, in: GetSessionTokenInput{SerialNumber: ptr("arn:aws:iam::111122223333:mfa/alice"), TokenCode: ptr("123456")},
			code: "AccessDenied", message: "MultiFactorAuthentication failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.GetSessionToken(ctx, tt.caller, tt.in)
			wantCode(t, err, tt.code, tt.message)
		})
	}
}

func TestAssumeRole(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	out, err := s.AssumeRole(ctx, user, AssumeRoleInput{
		RoleArn: ptr(adminRole), RoleSessionName: ptr("alice-session"),
		Policy:     ptr(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`),
		PolicyArns: []string{readOnly},
		Tags:       []Tag{{"Project", "seed"}, {"CostCenter", "42"}}, TransitiveTagKeys: []string{"project"},
		ExternalId: ptr("ext-123"), SourceIdentity: ptr("alice@example.com"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.AssumedRoleUser != (AssumedRoleUser{AssumedRoleId: "AROAEXAMPLEEXAMPLE01:alice-session", Arn: "arn:aws:sts::111122223333:assumed-role/admin/alice-session"}) {
		t.Errorf("AssumedRoleUser = %+v", out.AssumedRoleUser)
	}
	if out.SourceIdentity != "alice@example.com" || out.PackedPolicySize == nil || *out.PackedPolicySize <= 0 || *out.PackedPolicySize > 100 {
		t.Errorf("SourceIdentity %q, PackedPolicySize %v", out.SourceIdentity, out.PackedPolicySize)
	}
	if got := out.Credentials.Expiration.Sub(t0); got != time.Hour {
		t.Errorf("expires after %v, want the default hour", got)
	}
	c := openCreds(t, s, out.Credentials)
	want := principal.Caller{Type: principal.AssumedRole, Account: acct, ARN: out.AssumedRoleUser.Arn, PrincipalARN: adminRole,
		UserID: out.AssumedRoleUser.AssumedRoleId, Name: "alice-session", AccessKeyID: out.Credentials.AccessKeyId}
	if c.Type != want.Type || c.Account != want.Account || c.ARN != want.ARN || c.PrincipalARN != want.PrincipalARN ||
		c.UserID != want.UserID || c.Name != want.Name || c.AccessKeyID != want.AccessKeyID {
		t.Errorf("session caller = %+v, want %+v", c, want)
	}
	if len(c.Session.Policies) != 2 || c.Session.Policies[1] != allowAll || c.Session.SourceIdentity != "alice@example.com" ||
		fmt.Sprint(c.Session.TransitiveTagKeys) != "[Project]" || c.Tags["Project"] != "seed" || c.Tags["CostCenter"] != "42" {
		t.Errorf("session data = %+v, tags %v", c.Session, c.Tags)
	}

	// Role chaining: the transitive tag and the source identity pass on;
	// the non-transitive tag does not.
	chained, err := s.AssumeRole(ctx, &c, AssumeRoleInput{RoleArn: ptr(longRole), RoleSessionName: ptr("next"), Tags: []Tag{{"Stage", "2"}}})
	if err != nil {
		t.Fatal(err)
	}
	c2 := openCreds(t, s, chained.Credentials)
	if fmt.Sprint(c2.Tags) != "map[Project:seed Stage:2]" || fmt.Sprint(c2.Session.TransitiveTagKeys) != "[Project]" ||
		c2.Session.SourceIdentity != "alice@example.com" || chained.SourceIdentity != "alice@example.com" || len(c2.Session.Policies) != 0 {
		t.Errorf("chained session: tags %v, session %+v", c2.Tags, c2.Session)
	}
}

func TestAssumeRoleDuration(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	session := &principal.Caller{Type: principal.AssumedRole, Account: acct, ARN: "arn:aws:sts::111122223333:assumed-role/admin/x",
		Session: &principal.Session{Issuer: "AssumeRole"}}
	tests := []struct {
		name          string
		caller        *principal.Caller
		role          string
		duration      *int32
		want          time.Duration
		code, message string
	}{
		{name: "default", caller: user, role: longRole, want: time.Hour},
		{name: "minimum", caller: user, role: longRole, duration: ptr(int32(900)), want: 15 * time.Minute},
		{name: "role maximum", caller: user, role: longRole, duration: ptr(int32(43200)), want: 12 * time.Hour},
		{name: "over role maximum", caller: user, role: adminRole, duration: ptr(int32(3601)),
			code: "ValidationError", message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{name: "below minimum", caller: user, role: longRole, duration: ptr(int32(899)),
			code: "ValidationError", message: "Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{name: "over 12 hours", caller: user, role: longRole, duration: ptr(int32(43201)),
			code: "ValidationError", message: "Member must have value less than or equal to 43200"},
		// "if you assume a role using role chaining and provide a
		// DurationSeconds parameter value greater than one hour, the
		// operation fails" (AssumeRole, DurationSeconds).
		{name: "chained hour", caller: session, role: longRole, duration: ptr(int32(3600)), want: time.Hour},
		{name: "chained default", caller: session, role: longRole, want: time.Hour},
		{name: "chained over an hour", caller: session, role: longRole, duration: ptr(int32(3601)),
			code: "ValidationError", message: "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := s.AssumeRole(ctx, tt.caller, AssumeRoleInput{RoleArn: ptr(tt.role), RoleSessionName: ptr("s1"), DurationSeconds: tt.duration})
			if tt.code != "" {
				wantCode(t, err, tt.code, tt.message)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := out.Credentials.Expiration.Sub(t0); got != tt.want {
				t.Errorf("expires after %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAssumeRoleErrors(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	base := func(f func(*AssumeRoleInput)) AssumeRoleInput {
		in := AssumeRoleInput{RoleArn: ptr(adminRole), RoleSessionName: ptr("s1")}
		f(&in)
		return in
	}
	manyTags := make([]Tag, 51)
	for i := range manyTags {
		manyTags[i] = Tag{Key: fmt.Sprintf("k%d", i), Value: "v"}
	}
	bigTags := make([]Tag, 50)
	for i := range bigTags {
		// Random-looking values do not compress: 50 tags at their
		// maximum lengths exceed the packed limit.
		var value string
		for j := range 4 {
			value += fmt.Sprintf("%x", sha256.Sum256([]byte{byte(i), byte(j)}))
		}
		bigTags[i] = Tag{Key: fmt.Sprintf("%03d%s", i, strings.Repeat("k", 125)), Value: value}
	}
	chained := &principal.Caller{Type: principal.AssumedRole, Account: acct, ARN: "arn:aws:sts::111122223333:assumed-role/admin/x",
		Tags:    map[string]string{"Project": "seed"},
		Session: &principal.Session{Issuer: "AssumeRole", TransitiveTagKeys: []string{"Project"}, SourceIdentity: "alice"}}
	tests := []struct {
		name          string
		caller        *principal.Caller
		in            AssumeRoleInput
		code, message string
	}{
		{name: "no role arn", in: AssumeRoleInput{RoleSessionName: ptr("s1")}, code: "ValidationError",
			message: "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null"},
		{name: "two errors", in: AssumeRoleInput{}, code: "ValidationError",
			message: "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; Value null at 'roleSessionName'"},
		{name: "short role arn", in: base(func(in *AssumeRoleInput) { in.RoleArn = ptr("arn:aws:iam::1:r") }), code: "ValidationError",
			message: "at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"},
		{name: "not a role arn", in: base(func(in *AssumeRoleInput) { in.RoleArn = ptr("arn:aws:iam::111122223333:user/alice") }),
			code: "ValidationError", message: "Request ARN is invalid"},
		// AWS refuses role assumption by a root user whatever the trust
		// policy says: "Roles may not be assumed by root accounts."
		{name: "root user", caller: root, in: base(func(*AssumeRoleInput) {}), code: "AccessDenied", message: "Roles may not be assumed by root accounts."},
		{name: "missing role", in: base(func(in *AssumeRoleInput) { in.RoleArn = ptr("arn:aws:iam::111122223333:role/nope") }),
			code: "AccessDenied", message: "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/nope"},
		// RoleSessionName: 2 to 64 characters of [\w+=,.@-]* (the model).
		{name: "short session name", in: base(func(in *AssumeRoleInput) { in.RoleSessionName = ptr("a") }), code: "ValidationError",
			message: "Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{name: "long session name", in: base(func(in *AssumeRoleInput) { in.RoleSessionName = ptr(strings.Repeat("a", 65)) }), code: "ValidationError",
			message: "at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{name: "session name pattern", in: base(func(in *AssumeRoleInput) { in.RoleSessionName = ptr("has space") }), code: "ValidationError",
			message: `Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{name: "external id pattern", in: base(func(in *AssumeRoleInput) { in.ExternalId = ptr("a b") }), code: "ValidationError",
			message: `at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@:\/-]*`},
		{name: "short external id", in: base(func(in *AssumeRoleInput) { in.ExternalId = ptr("a") }), code: "ValidationError",
			message: "at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		// Session policies: validated as IAM validates them.
		{name: "malformed policy", in: base(func(in *AssumeRoleInput) {
			in.Policy = ptr(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}`)
		}),
			code: "MalformedPolicyDocument", message: "Policy statement must contain resources."},
		{name: "policy syntax", in: base(func(in *AssumeRoleInput) { in.Policy = ptr(`{"Version":`) }),
			code: "MalformedPolicyDocument", message: "Syntax errors in policy."},
		{name: "policy with principal", in: base(func(in *AssumeRoleInput) {
			in.Policy = ptr(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}`)
		}), code: "MalformedPolicyDocument", message: "Policy document should not specify a principal."},
		// "The plaintext that you use for both inline and managed session
		// policies can't exceed 2,048 characters."
		{name: "policy too long", in: base(func(in *AssumeRoleInput) {
			in.Policy = ptr(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Sid":"` + strings.Repeat("a", 2000) + `"}]}`)
		}), code: "ValidationError", message: "Member must have length less than or equal to 2048"},
		{name: "empty policy", in: base(func(in *AssumeRoleInput) { in.Policy = ptr("") }), code: "ValidationError",
			message: "at 'policy' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{name: "eleven policy arns", in: base(func(in *AssumeRoleInput) {
			for range 11 {
				in.PolicyArns = append(in.PolicyArns, readOnly)
			}
		}), code: "ValidationError", message: "at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10"},
		{name: "unknown policy arn", in: base(func(in *AssumeRoleInput) { in.PolicyArns = []string{"arn:aws:iam::aws:policy/Nope"} }),
			code: "ValidationError", message: "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable."},
		// "You can pass up to 50 session tags. The plain text session tag
		// keys can't exceed 128 characters, and the values can't exceed
		// 256 characters." (AssumeRole, Tags)
		{name: "51 tags", in: base(func(in *AssumeRoleInput) { in.Tags = manyTags }), code: "ValidationError",
			message: "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"},
		{name: "long tag key", in: base(func(in *AssumeRoleInput) { in.Tags = []Tag{{strings.Repeat("k", 129), "v"}} }), code: "ValidationError",
			message: "at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{name: "long tag value", in: base(func(in *AssumeRoleInput) { in.Tags = []Tag{{"k", strings.Repeat("v", 257)}} }), code: "ValidationError",
			message: "at 'tags.1.member.value' failed to satisfy constraint: Member must have length less than or equal to 256"},
		{name: "tag key pattern", in: base(func(in *AssumeRoleInput) { in.Tags = []Tag{{"a*b", "v"}} }), code: "ValidationError",
			message: "Value 'a*b' at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{name: "duplicate tag keys", in: base(func(in *AssumeRoleInput) { in.Tags = []Tag{{"Team", "a"}, {"team", "b"}} }), code: "ValidationError",
			message: "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
		{name: "transitive key without tag", in: base(func(in *AssumeRoleInput) { in.Tags = []Tag{{"a", "b"}}; in.TransitiveTagKeys = []string{"c"} }),
			code: "ValidationError", message: "The transitive tag key 'c' is not one of the session tags"},
		{name: "packed too large", in: base(func(in *AssumeRoleInput) { in.Tags = bigTags }), code: "PackedPolicyTooLarge",
			message: "Packed policy consumes"},
		{name: "override transitive tag", caller: chained, in: base(func(in *AssumeRoleInput) { in.Tags = []Tag{{"project", "other"}} }),
			code: "ValidationError", message: "the incoming session passes a transitive tag with that key"},
		// "You cannot use a value that begins with the text aws:": the
		// model's pattern, which has no colon, already refuses it.
		{name: "source identity prefix", in: base(func(in *AssumeRoleInput) { in.SourceIdentity = ptr("aws:me") }), code: "ValidationError",
			message: `Value 'aws:me' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{name: "source identity pattern", in: base(func(in *AssumeRoleInput) { in.SourceIdentity = ptr("a b") }), code: "ValidationError",
			message: "at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern"},
		{name: "source identity changed", caller: chained, in: base(func(in *AssumeRoleInput) { in.SourceIdentity = ptr("mallory") }),
			code: "ValidationError", message: "The source identity of this session is 'alice'; it cannot be changed."},
		{name: "MFA", in: base(func(in *AssumeRoleInput) {
			in.SerialNumber = ptr("arn:aws:iam::111122223333:mfa/alice")
			in.TokenCode = ptr("123456")
		}),
			code: "AccessDenied", message: "MultiFactorAuthentication failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			caller := tt.caller
			if caller == nil {
				caller = user
			}
			_, err := s.AssumeRole(ctx, caller, tt.in)
			wantCode(t, err, tt.code, tt.message)
		})
	}
}

func TestTrust(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	tests := []struct {
		arn, trust, account string
		found               bool
	}{
		{arn: adminRole, trust: allowAll, account: acct, found: true},
		{arn: "arn:aws:iam::111122223333:role/nope", account: acct},
		{arn: "arn:aws:iam::444455556666:user/alice", account: "444455556666"},
		{arn: "not an arn"},
	}
	for _, tt := range tests {
		trust, account, found, err := s.Trust(ctx, tt.arn)
		if err != nil || trust != tt.trust || account != tt.account || found != tt.found {
			t.Errorf("Trust(%s) = %q, %q, %v, %v", tt.arn, trust, account, found, err)
		}
	}
}

func TestConditionKeysAndExtraActions(t *testing.T) {
	in := AssumeRoleInput{RoleArn: ptr(adminRole), RoleSessionName: ptr("s1"), ExternalId: ptr("x1"), SourceIdentity: ptr("alice"),
		Tags: []Tag{{"Project", "seed"}}, TransitiveTagKeys: []string{"Project"}}
	got := fmt.Sprint(ConditionKeys(in))
	want := "map[aws:RequestTag/Project:[seed] aws:TagKeys:[Project] sts:ExternalId:[x1] sts:RoleSessionName:[s1] sts:SourceIdentity:[alice] sts:TransitiveTagKeys:[Project]]"
	if got != want {
		t.Errorf("ConditionKeys = %s\nwant %s", got, want)
	}
	if got := fmt.Sprint(ExtraActions(in)); got != "[sts:TagSession sts:SetSourceIdentity]" {
		t.Errorf("ExtraActions = %s", got)
	}
	if got := ExtraActions(AssumeRoleInput{}); got != nil {
		t.Errorf("ExtraActions of a plain request = %v", got)
	}
}

func TestGetAccessKeyInfo(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	keys := &credentials.Keys{Store: s.Store, Cipher: s.Tokens.cipher}
	err := s.Store.Update(ctx, func(tx store.Tx) error {
		if err := keys.Put(ctx, tx, "AKIAEXAMPLEEXAMPLE02", "secret", principal.Caller{Type: principal.Root, Account: "444455556666"}); err != nil {
			return err
		}
		return keys.SetStatus(ctx, tx, "AKIAEXAMPLEEXAMPLE02", "Inactive")
	})
	if err != nil {
		t.Fatal(err)
	}
	temp, err := s.GetSessionToken(ctx, user, GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id, account, code string
	}{
		{id: "AKIAEXAMPLEEXAMPLE02", account: "444455556666"}, // an inactive key still has its account
		{id: temp.Credentials.AccessKeyId, account: acct},
		{id: "AKIAEXAMPLEEXAMPLE99", code: "ValidationError"},
		{id: "ASIA1111111111111111", code: "ValidationError"},
		{id: "AKIA", code: "ValidationError"},
		{id: "AKIA-EXAMPLE-EXAMPLE", code: "ValidationError"},
	}
	for _, tt := range tests {
		out, err := s.GetAccessKeyInfo(ctx, user, GetAccessKeyInfoInput{AccessKeyId: ptr(tt.id)})
		if tt.code != "" {
			if e := awserr.As(err); err == nil || e.Code != tt.code {
				t.Errorf("GetAccessKeyInfo(%s) = %+v, %v; want %s", tt.id, out, err, tt.code)
			}
			continue
		}
		if err != nil || out.Account != tt.account {
			t.Errorf("GetAccessKeyInfo(%s) = %+v, %v; want %s", tt.id, out, err, tt.account)
		}
	}
	if _, err := s.GetAccessKeyInfo(ctx, user, GetAccessKeyInfoInput{}); !errors.Is(err, awserr.ErrValidationError) {
		t.Errorf("GetAccessKeyInfo without a key id = %v", err)
	}
}

// countingRoles counts the reads of its roles.
type countingRoles struct {
	fakeRoles
	reads int
}

func (c *countingRoles) Role(ctx context.Context, tx store.Tx, arn string) (Role, error) {
	c.reads++
	return c.fakeRoles.Role(ctx, tx, arn)
}

// TestRoleCache: a warm AssumeRole reads its role from memory, in its
// authorization (Trust) and its run alike, and reads it again once the
// store's generation moves, as every change to a role moves it.
func TestRoleCache(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	roles := &countingRoles{fakeRoles: s.Roles.(fakeRoles)}
	s.Roles = roles
	assume := func() {
		t.Helper()
		if _, _, found, err := s.Trust(ctx, adminRole); err != nil || !found {
			t.Fatalf("Trust = %v, %v", found, err)
		}
		if _, err := s.AssumeRole(ctx, user, AssumeRoleInput{RoleArn: ptr(adminRole), RoleSessionName: ptr("s1")}); err != nil {
			t.Fatal(err)
		}
	}
	assume()
	assume()
	if roles.reads != 1 {
		t.Errorf("two AssumeRoles read the role %d times, want 1", roles.reads)
	}
	r := roles.fakeRoles[adminRole]
	r.MaxSessionDuration = 7200
	roles.fakeRoles[adminRole] = r
	if err := s.Store.Update(ctx, func(tx store.Tx) error { return tx.BumpGeneration(ctx) }); err != nil {
		t.Fatal(err)
	}
	out, err := s.AssumeRole(ctx, user, AssumeRoleInput{RoleArn: ptr(adminRole), RoleSessionName: ptr("s2"), DurationSeconds: ptr(int32(7200))})
	if err != nil {
		t.Fatalf("AssumeRole after the role changed: %v", err)
	}
	if got := out.Credentials.Expiration.Sub(t0); got != 2*time.Hour {
		t.Errorf("session of %v, want 2h", got)
	}
	if roles.reads != 2 {
		t.Errorf("role read %d times after the bump, want 2", roles.reads)
	}
}
