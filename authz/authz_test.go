package authz

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gatehouse/policy"
	"gatehouse/principal"
	"gatehouse/store"
	"gatehouse/store/sqlite"
)

const (
	orgID      = "o-exampleorg1"
	management = "111111111111"
	member     = "222222222222" // in ou-ab12-11111111, which denies leaving
	allowList  = "333333333333" // in ou-ab12-22222222, which allows s3 only
	outsider   = "444444444444" // in no organization
	condAcct   = "555555555555" // SCPs with conditions on principal keys
)

var paths = map[string][]string{
	management: {orgID + "/r-ab12/"},
	member:     {orgID + "/r-ab12/ou-ab12-11111111/"},
	allowList:  {orgID + "/r-ab12/ou-ab12-22222222/"},
	condAcct:   {orgID + "/r-ab12/ou-ab12-33333333/"},
}

func doc(id, content string) Document { return Document{ID: id, Content: content} }

var (
	fullAccess = doc("p-FullAWSAccess", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	denyAll    = doc("p-denyall", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`)
	denyLeave  = doc("p-denyleave", `{"Version":"2012-10-17","Statement":[{"Sid":"NoLeaving","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}`)
	allowS3    = doc("p-allows3", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	rcpFull    = doc("p-RCPFullAWSAccess", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`)
	rcpDenyDel = doc("p-rcpnodelete", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:DeleteBucket","Resource":"*"}]}`)
)

// fakeOrgs is an Organizations source backed by maps. It counts its
// calls so tests can see when the Authorizer reads through its cache.
type fakeOrgs struct {
	mu       sync.Mutex
	accounts map[string]bool         // accounts in the organization
	policies map[string][][]Document // SERVICE_CONTROL_POLICY levels by account
	rcps     map[string][][]Document // RESOURCE_CONTROL_POLICY levels by account
	asked    map[string]int          // OrganizationPolicies calls by "account/type"
	calls    int                     // all calls
	err      error                   // returned by every call when set
	seenTx   func(tx store.Tx) error // optional check of the transaction
}

func newFakeOrgs() *fakeOrgs {
	return &fakeOrgs{
		accounts: map[string]bool{management: true, member: true, allowList: true, condAcct: true},
		policies: map[string][][]Document{
			// A deny-all SCP for the management account, which must never
			// be consulted.
			management: {{fullAccess, denyAll}},
			member:     {{fullAccess}, {fullAccess, denyLeave}, {fullAccess}},
			allowList:  {{fullAccess}, {allowS3}, {fullAccess}},
			// Policies for an account outside the organization, which
			// must not apply either.
			outsider: {{denyAll}},
		},
		rcps: map[string][][]Document{
			management: {{rcpFull, rcpDenyDel}},
			member:     {{rcpFull}, {rcpFull, rcpDenyDel}},
		},
		asked: map[string]int{},
	}
}

func (f *fakeOrgs) OrganizationPolicies(_ context.Context, tx store.Tx, account, typ string) ([][]Document, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.asked[account+"/"+typ]++
	if f.err != nil {
		return nil, f.err
	}
	if f.seenTx != nil {
		if err := f.seenTx(tx); err != nil {
			return nil, err
		}
	}
	switch typ {
	case SCPType:
		return f.policies[account], nil
	case RCPType:
		return f.rcps[account], nil
	}
	return nil, fmt.Errorf("unknown policy type %q", typ)
}

func (f *fakeOrgs) Organization(_ context.Context, _ store.Tx, account string) (string, []string, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.err != nil {
		return "", nil, "", f.err
	}
	if !f.accounts[account] {
		return "", nil, "", nil
	}
	return orgID, paths[account], management, nil
}

func (f *fakeOrgs) setSCP(account string, levels [][]Document) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.policies[account] = levels
}

func (f *fakeOrgs) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func (f *fakeOrgs) askedFor(account, typ string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked[account+"/"+typ]
}

// fakeIdentities returns the identity policies and boundary of IAM
// principals by ARN.
type fakeIdentities struct {
	mu         sync.Mutex
	identity   map[string][]Document
	boundaries map[string]*Document
	calls      int
}

func (f *fakeIdentities) IdentityPolicies(_ context.Context, _ store.Tx, caller *principal.Caller) ([]Document, *Document, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return f.identity[caller.ARN], f.boundaries[caller.ARN], nil
}

func (f *fakeIdentities) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

func openStore(t *testing.T) store.Store {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newAuthorizer(t *testing.T, s store.Store, ids Identities, orgs Organizations) *Authorizer {
	t.Helper()
	a := New(s, ids, orgs)
	t.Cleanup(a.Close)
	return a
}

func root(account string) *principal.Caller {
	arn := principal.RootARN(account)
	return &principal.Caller{Type: principal.Root, Account: account, ARN: arn, PrincipalARN: arn, UserID: account}
}

func iamUser(account, name string) *principal.Caller {
	arn := "arn:aws:iam::" + account + ":user/" + name
	return &principal.Caller{Type: principal.IAMUser, Account: account, ARN: arn, PrincipalARN: arn, UserID: "AIDA" + strings.ToUpper(name), Name: name}
}

func roleSession(account, role, session string) *principal.Caller {
	return &principal.Caller{
		Type: principal.AssumedRole, Account: account,
		ARN:          "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + session,
		PrincipalARN: "arn:aws:iam::" + account + ":role/" + role,
		UserID:       "AROA" + strings.ToUpper(role) + ":" + session,
	}
}

func authorize(t *testing.T, a *Authorizer, req Request) Result {
	t.Helper()
	if req.Resource == "" {
		req.Resource = "*"
	}
	res, err := a.Authorize(t.Context(), req)
	if err != nil {
		t.Fatalf("Authorize(%s, %s): %v", req.Caller.ARN, req.Action, err)
	}
	return res
}

func TestAuthorizeRootAndSCPs(t *testing.T) {
	s := openStore(t)
	orgs := newFakeOrgs()
	a := newAuthorizer(t, s, RootOnly{}, orgs)
	tests := []struct {
		name            string
		caller          *principal.Caller
		action          string
		resource        string
		resourceAccount string
		want            policy.Decision
		wantMessage     string
	}{
		{
			name:   "management root with a deny-all SCP configured",
			caller: root(management), action: "organizations:CreateAccount",
			want: policy.Allowed,
		},
		{
			name:   "management root leaving",
			caller: root(management), action: "organizations:LeaveOrganization",
			want: policy.Allowed,
		},
		{
			name:   "member root allowed by every level",
			caller: root(member), action: "organizations:DescribeOrganization",
			want: policy.Allowed,
		},
		{
			name:   "member root denied at the OU level",
			caller: root(member), action: "organizations:LeaveOrganization",
			want:        policy.ExplicitDeny,
			wantMessage: "User: arn:aws:iam::222222222222:root is not authorized to perform: organizations:LeaveOrganization on resource: * with an explicit deny in a service control policy",
		},
		{
			name:   "allow-list level without the action",
			caller: root(allowList), action: "organizations:ListAccounts",
			want:        policy.ImplicitDeny,
			wantMessage: "User: arn:aws:iam::333333333333:root is not authorized to perform: organizations:ListAccounts on resource: * because no service control policy allows the organizations:ListAccounts action",
		},
		{
			name:   "allow-list level with the action",
			caller: root(allowList), action: "s3:GetObject", resource: "arn:aws:s3:::bucket/key",
			want: policy.Allowed,
		},
		{
			name:   "account outside any organization",
			caller: root(outsider), action: "organizations:CreateOrganization",
			want: policy.Allowed,
		},
		{
			name:   "RCP denies in the member's own account",
			caller: root(member), action: "s3:DeleteBucket", resource: "arn:aws:s3:::b",
			want:        policy.ExplicitDeny,
			wantMessage: "User: arn:aws:iam::222222222222:root is not authorized to perform: s3:DeleteBucket on resource: arn:aws:s3:::b with an explicit deny in a resource control policy",
		},
		{
			name:   "RCPs never apply to the management account's resources",
			caller: root(management), action: "s3:DeleteBucket", resource: "arn:aws:s3:::b",
			want: policy.Allowed,
		},
		{
			name:   "RCP of the resource's account applies to another caller",
			caller: root(management), action: "s3:DeleteBucket", resource: "arn:aws:s3:::b", resourceAccount: member,
			// Cross-account without a resource policy is an implicit deny
			// anyway; the RCP's explicit deny comes first.
			want:        policy.ExplicitDeny,
			wantMessage: "User: arn:aws:iam::111111111111:root is not authorized to perform: s3:DeleteBucket on resource: arn:aws:s3:::b with an explicit deny in a resource control policy",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := authorize(t, a, Request{Caller: tt.caller, Action: tt.action, Resource: tt.resource, ResourceAccount: tt.resourceAccount})
			if res.Decision != tt.want {
				t.Fatalf("decision = %v (%s), want %v", res.Decision, res.Message, tt.want)
			}
			if res.Allowed() != (tt.want == policy.Allowed) {
				t.Fatalf("Allowed() = %v for %v", res.Allowed(), res.Decision)
			}
			if res.Message != tt.wantMessage {
				t.Fatalf("message =\n%q\nwant\n%q", res.Message, tt.wantMessage)
			}
		})
	}
	if n := orgs.askedFor(management, SCPType); n != 0 {
		t.Errorf("the SCPs of the management account were read %d times; they never apply", n)
	}
	if n := orgs.askedFor(outsider, SCPType); n != 0 {
		t.Errorf("SCPs were read for an account outside the organization")
	}
	if n := orgs.askedFor(management, RCPType); n != 0 {
		t.Errorf("the RCPs of the management account were read %d times; they never apply", n)
	}
}

func TestAuthorizePrincipalKeys(t *testing.T) {
	// An SCP level that allows only when a condition on a principal key
	// holds: allowed means the key has the value, denied that it is
	// absent or different.
	tests := []struct {
		name   string
		caller *principal.Caller
		cond   string
		want   policy.Decision
	}{
		{name: "PrincipalArn of root", caller: root(condAcct), cond: `"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::555555555555:root"}`, want: policy.Allowed},
		{name: "PrincipalArn mismatch", caller: root(condAcct), cond: `"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::555555555555:user/x"}`, want: policy.ImplicitDeny},
		{name: "PrincipalArn of a role session is the role", caller: roleSession(condAcct, "Deployer", "build-1"), cond: `"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::555555555555:role/Deployer"}`, want: policy.Allowed},
		{name: "PrincipalAccount", caller: root(condAcct), cond: `"StringEquals":{"aws:PrincipalAccount":"555555555555"}`, want: policy.Allowed},
		{name: "PrincipalAccount mismatch", caller: root(condAcct), cond: `"StringEquals":{"aws:PrincipalAccount":"222222222222"}`, want: policy.ImplicitDeny},
		{name: "PrincipalOrgID", caller: root(condAcct), cond: `"StringEquals":{"aws:PrincipalOrgID":"o-exampleorg1"}`, want: policy.Allowed},
		{name: "PrincipalOrgID mismatch", caller: root(condAcct), cond: `"StringEquals":{"aws:PrincipalOrgID":"o-otherorg123"}`, want: policy.ImplicitDeny},
		{name: "PrincipalOrgPaths", caller: root(condAcct), cond: `"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-exampleorg1/r-ab12/ou-ab12-33333333/*"}`, want: policy.Allowed},
		{name: "PrincipalOrgPaths mismatch", caller: root(condAcct), cond: `"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-exampleorg1/r-ab12/ou-ab12-11111111/*"}`, want: policy.ImplicitDeny},
		{name: "PrincipalType of root", caller: root(condAcct), cond: `"StringEquals":{"aws:PrincipalType":"Account"}`, want: policy.Allowed},
		{name: "PrincipalType of a user", caller: iamUser(condAcct, "alice"), cond: `"StringEquals":{"aws:PrincipalType":"User"}`, want: policy.Allowed},
		{name: "PrincipalType of a role session", caller: roleSession(condAcct, "Deployer", "build-1"), cond: `"StringEquals":{"aws:PrincipalType":"AssumedRole"}`, want: policy.Allowed},
		{name: "PrincipalType mismatch", caller: root(condAcct), cond: `"StringEquals":{"aws:PrincipalType":"User"}`, want: policy.ImplicitDeny},
		{name: "userid of root", caller: root(condAcct), cond: `"StringEquals":{"aws:userid":"555555555555"}`, want: policy.Allowed},
		{name: "username of a user", caller: iamUser(condAcct, "alice"), cond: `"StringEquals":{"aws:username":"alice"}`, want: policy.Allowed},
		{name: "no username for root", caller: root(condAcct), cond: `"Null":{"aws:username":"true"}`, want: policy.Allowed},
		{name: "PrincipalTag", caller: func() *principal.Caller {
			c := iamUser(condAcct, "bob")
			c.Tags = map[string]string{"team": "blue"}
			return c
		}(), cond: `"StringEquals":{"aws:PrincipalTag/team":"blue"}`, want: policy.Allowed},
		{name: "request key kept", caller: root(condAcct), cond: `"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}`, want: policy.Allowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			orgs := newFakeOrgs()
			scp := doc("p-cond", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{`+tt.cond+`}}]}`)
			orgs.setSCP(condAcct, [][]Document{{fullAccess}, {scp}})
			allowAll := []Document{doc("identity-all", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}
			ids := &fakeIdentities{identity: map[string][]Document{tt.caller.ARN: allowAll}}
			a := newAuthorizer(t, s, ids, orgs)
			pctx := policy.NewContext(map[string][]string{"aws:SourceIp": {"192.0.2.10"}})
			res := authorize(t, a, Request{Caller: tt.caller, Action: "organizations:DescribeOrganization", Context: pctx})
			if res.Decision != tt.want {
				t.Fatalf("decision = %v (%s), want %v", res.Decision, res.Message, tt.want)
			}
			if got, _ := pctx.Get("aws:PrincipalAccount"); len(got) != 1 || got[0] != condAcct {
				t.Errorf("aws:PrincipalAccount in the request context = %v", got)
			}
		})
	}
}

func TestAuthorizeIdentityAndBoundary(t *testing.T) {
	s := openStore(t)
	orgs := newFakeOrgs()
	alice := iamUser(member, "alice")
	bob := iamUser(member, "bob")
	boundary := doc("arn:aws:iam::222222222222:policy/S3Only", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`)
	ids := &fakeIdentities{
		identity: map[string][]Document{
			alice.ARN: {
				doc("arn:aws:iam::222222222222:policy/Orgs", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["organizations:Describe*","organizations:LeaveOrganization"],"Resource":"*"}]}`),
				doc("arn:aws:iam::222222222222:policy/S3", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},{"Effect":"Deny","Action":"s3:PutBucketPolicy","Resource":"*"}]}`),
			},
			bob.ARN: {
				doc("arn:aws:iam::222222222222:policy/Orgs", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:Describe*","Resource":"*"}]}`),
			},
		},
		boundaries: map[string]*Document{alice.ARN: &boundary},
	}
	a := newAuthorizer(t, s, ids, orgs)
	tests := []struct {
		name        string
		caller      *principal.Caller
		action      string
		want        policy.Decision
		wantMessage string
	}{
		{name: "identity and boundary allow", caller: alice, action: "s3:GetObject", want: policy.Allowed},
		{
			name: "identity allows, boundary does not", caller: alice, action: "organizations:DescribeOrganization", want: policy.ImplicitDeny,
			wantMessage: "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: organizations:DescribeOrganization on resource: * because no permissions boundary allows the organizations:DescribeOrganization action",
		},
		{
			name: "identity deny", caller: alice, action: "s3:PutBucketPolicy", want: policy.ExplicitDeny,
			wantMessage: "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: s3:PutBucketPolicy on resource: * with an explicit deny in an identity-based policy",
		},
		{
			name: "SCP deny beats identity allow", caller: alice, action: "organizations:LeaveOrganization", want: policy.ExplicitDeny,
			wantMessage: "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: organizations:LeaveOrganization on resource: * with an explicit deny in a service control policy",
		},
		{name: "user without a boundary", caller: bob, action: "organizations:DescribeOrganization", want: policy.Allowed},
		{
			name: "no identity policy allows", caller: bob, action: "iam:CreateUser", want: policy.ImplicitDeny,
			wantMessage: "User: arn:aws:iam::222222222222:user/bob is not authorized to perform: iam:CreateUser on resource: * because no identity-based policy allows the iam:CreateUser action",
		},
		{
			name: "user without policies", caller: iamUser(member, "carol"), action: "s3:GetObject", want: policy.ImplicitDeny,
			wantMessage: "User: arn:aws:iam::222222222222:user/carol is not authorized to perform: s3:GetObject on resource: * because no identity-based policy allows the s3:GetObject action",
		},
		{name: "root ignores identity policies", caller: root(member), action: "iam:CreateUser", want: policy.Allowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := authorize(t, a, Request{Caller: tt.caller, Action: tt.action})
			if res.Decision != tt.want {
				t.Fatalf("decision = %v (%s), want %v", res.Decision, res.Message, tt.want)
			}
			if res.Message != tt.wantMessage {
				t.Fatalf("message =\n%q\nwant\n%q", res.Message, tt.wantMessage)
			}
		})
	}
}

func bump(t *testing.T, s store.Store) {
	t.Helper()
	if err := s.Update(t.Context(), func(tx store.Tx) error { return tx.BumpGeneration(t.Context()) }); err != nil {
		t.Fatalf("bump generation: %v", err)
	}
}

func TestAuthorizeCache(t *testing.T) {
	s := openStore(t)
	orgs := newFakeOrgs()
	alice := iamUser(member, "alice")
	ids := &fakeIdentities{identity: map[string][]Document{alice.ARN: {fullAccess}}}
	a := newAuthorizer(t, s, ids, orgs)
	req := Request{Caller: alice, Action: "organizations:DescribeOrganization"}

	if res := authorize(t, a, req); !res.Allowed() {
		t.Fatalf("first decision: %v %s", res.Decision, res.Message)
	}
	orgCalls, idCalls := orgs.count(), ids.count()
	if idCalls != 1 || orgs.askedFor(member, SCPType) != 1 {
		t.Fatalf("first decision made %d identity and %d SCP reads, want 1 each", idCalls, orgs.askedFor(member, SCPType))
	}

	// Warm decisions, also for other actions and with a fresh but equal
	// caller value, read nothing.
	for i := range 10 {
		c := *alice
		req := Request{Caller: &c, Action: []string{"organizations:DescribeOrganization", "s3:GetObject"}[i%2]}
		if res := authorize(t, a, req); !res.Allowed() {
			t.Fatalf("warm decision %d: %v %s", i, res.Decision, res.Message)
		}
	}
	if orgs.count() != orgCalls || ids.count() != idCalls {
		t.Fatalf("warm decisions read the sources: organizations %d→%d, identities %d→%d", orgCalls, orgs.count(), idCalls, ids.count())
	}

	// A change the store was not told about (no generation bump) is not
	// seen: the decision comes from the cache.
	orgs.setSCP(member, [][]Document{{fullAccess}, {fullAccess, denyAll}})
	if err := s.Update(t.Context(), func(tx store.Tx) error {
		return tx.Put(t.Context(), store.Record{Kind: "unrelated", ID: "x", Body: []byte(`{}`)})
	}); err != nil {
		t.Fatal(err)
	}
	if res := authorize(t, a, req); !res.Allowed() {
		t.Fatalf("decision after a write without a generation bump was not cached: %v %s", res.Decision, res.Message)
	}

	// After an Update that bumps the generation, the next decision
	// reloads and the new SCP applies.
	bump(t, s)
	res := authorize(t, a, req)
	if res.Decision != policy.ExplicitDeny || !strings.HasSuffix(res.Message, "with an explicit deny in a service control policy") {
		t.Fatalf("decision after the bump = %v (%s), want the new SCP's explicit deny", res.Decision, res.Message)
	}
	if ids.count() != idCalls+1 || orgs.askedFor(member, SCPType) != 2 {
		t.Fatalf("after the bump: %d identity and %d SCP reads, want 2 each", ids.count(), orgs.askedFor(member, SCPType))
	}
	orgCalls = orgs.count()
	authorize(t, a, req)
	if orgs.count() != orgCalls {
		t.Fatal("the reloaded entry is not cached")
	}

	// Reset also bumps the generation.
	orgs.setSCP(member, [][]Document{{fullAccess}})
	if err := s.Reset(t.Context()); err != nil {
		t.Fatal(err)
	}
	if res := authorize(t, a, req); !res.Allowed() {
		t.Fatalf("decision after Reset: %v %s", res.Decision, res.Message)
	}
}

func TestAuthorizeCacheIsPerCaller(t *testing.T) {
	s := openStore(t)
	orgs := newFakeOrgs()
	alice, bob := iamUser(member, "alice"), iamUser(member, "bob")
	ids := &fakeIdentities{identity: map[string][]Document{alice.ARN: {fullAccess}}}
	a := newAuthorizer(t, s, ids, orgs)
	if res := authorize(t, a, Request{Caller: alice, Action: "s3:GetObject"}); !res.Allowed() {
		t.Fatalf("alice: %v", res.Decision)
	}
	if res := authorize(t, a, Request{Caller: bob, Action: "s3:GetObject"}); res.Allowed() {
		t.Fatal("bob was allowed with alice's policies")
	}
	if ids.count() != 2 {
		t.Fatalf("%d identity reads, want one per caller", ids.count())
	}
}

// policyRecord is how storeOrgs keeps an account's SCP in the store.
const policyKind = "test-scp"

// storeOrgs reads the SCP of member from the store, in the transaction
// the Authorizer gives it.
type storeOrgs struct{ *fakeOrgs }

func (o storeOrgs) OrganizationPolicies(ctx context.Context, tx store.Tx, account, typ string) ([][]Document, error) {
	if typ != SCPType || account != member {
		return o.fakeOrgs.OrganizationPolicies(ctx, tx, account, typ)
	}
	o.fakeOrgs.OrganizationPolicies(ctx, tx, account, typ) // count the call
	content, err := store.Get[string](ctx, tx, policyKind, account)
	if err != nil {
		return nil, err
	}
	return [][]Document{{fullAccess}, {doc("p-stored", content)}}, nil
}

func TestAuthorizeReloadsFromStoreAfterBump(t *testing.T) {
	s := openStore(t)
	setPolicy := func(content string) {
		t.Helper()
		err := s.Update(t.Context(), func(tx store.Tx) error {
			if err := store.Put(t.Context(), tx, store.Record{Kind: policyKind, ID: member}, content); err != nil {
				return err
			}
			return tx.BumpGeneration(t.Context())
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	setPolicy(fullAccess.Content)
	orgs := storeOrgs{newFakeOrgs()}
	a := newAuthorizer(t, s, RootOnly{}, orgs)
	req := Request{Caller: root(member), Action: "organizations:ListAccounts"}
	if res := authorize(t, a, req); !res.Allowed() {
		t.Fatalf("before the change: %v %s", res.Decision, res.Message)
	}
	setPolicy(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:List*","Resource":"*"}]}`)
	if res := authorize(t, a, req); res.Decision != policy.ExplicitDeny {
		t.Fatalf("after the change: %v %s, want an explicit deny", res.Decision, res.Message)
	}
	setPolicy(fullAccess.Content)
	if res := authorize(t, a, req); !res.Allowed() {
		t.Fatalf("after the change back: %v %s", res.Decision, res.Message)
	}
	if n := orgs.askedFor(member, SCPType); n != 3 {
		t.Fatalf("%d SCP reads for 3 generations, want 3", n)
	}
}

func TestAuthorizeGenerationBumpedBeforeFirstUse(t *testing.T) {
	// An Authorizer whose first decision comes after other writers bumped
	// the generation starts from the store's value.
	s := openStore(t)
	for range 3 {
		bump(t, s)
	}
	orgs := newFakeOrgs()
	a := newAuthorizer(t, s, RootOnly{}, orgs)
	req := Request{Caller: root(member), Action: "organizations:ListAccounts"}
	authorize(t, a, req)
	n := orgs.count()
	authorize(t, a, req)
	if orgs.count() != n {
		t.Fatal("second decision was not cached")
	}
	orgs.setSCP(member, [][]Document{{denyAll}})
	bump(t, s)
	if res := authorize(t, a, req); res.Decision != policy.ExplicitDeny {
		t.Fatalf("after the bump: %v", res.Decision)
	}
}

func TestAuthorizeClose(t *testing.T) {
	// After Close the Authorizer no longer follows the store; it must not
	// panic or block the store's writers.
	s := openStore(t)
	orgs := newFakeOrgs()
	a := New(s, RootOnly{}, orgs)
	authorize(t, a, Request{Caller: root(member), Action: "organizations:ListAccounts"})
	a.Close()
	bump(t, s)
}

func TestAuthorizeErrors(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name  string
		setup func(*fakeOrgs)
		want  error
	}{
		{name: "source error", setup: func(o *fakeOrgs) { o.err = boom }, want: boom},
		{name: "SCP that does not parse", setup: func(o *fakeOrgs) {
			o.policies[member] = [][]Document{{doc("p-broken", `{"Statement":`)}}
		}},
		{name: "SCP with a bad effect", setup: func(o *fakeOrgs) {
			o.policies[member] = [][]Document{{doc("p-bad", `{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}`)}}
		}},
		{name: "RCP that does not parse", setup: func(o *fakeOrgs) {
			o.rcps[member] = [][]Document{{doc("p-broken", `not json`)}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			orgs := newFakeOrgs()
			tt.setup(orgs)
			a := newAuthorizer(t, s, RootOnly{}, orgs)
			res, err := a.Authorize(t.Context(), Request{Caller: root(member), Action: "organizations:ListAccounts", Resource: "*"})
			if err == nil {
				t.Fatalf("Authorize succeeded with %v", res.Decision)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want it to wrap %v", err, tt.want)
			}
			if res.Allowed() {
				t.Fatal("an error came with an allow")
			}
			// A failed load is not cached: once fixed, the next decision works.
			orgs.mu.Lock()
			orgs.err = nil
			orgs.policies[member] = [][]Document{{fullAccess}}
			orgs.rcps[member] = nil
			orgs.mu.Unlock()
			if res := authorize(t, a, Request{Caller: root(member), Action: "organizations:ListAccounts"}); !res.Allowed() {
				t.Fatalf("after the fix: %v", res.Decision)
			}
		})
	}
}

func TestAuthorizeReadsInsideAReadTransaction(t *testing.T) {
	s := openStore(t)
	orgs := newFakeOrgs()
	orgs.seenTx = func(tx store.Tx) error {
		if tx == nil {
			return errors.New("no transaction")
		}
		if err := tx.Put(context.Background(), store.Record{Kind: "x", ID: "y", Body: []byte(`{}`)}); err == nil {
			return errors.New("the transaction is writable")
		}
		return nil
	}
	a := newAuthorizer(t, s, RootOnly{}, orgs)
	authorize(t, a, Request{Caller: root(member), Action: "organizations:ListAccounts"})
}

func TestAuthorizeConcurrentWithBumps(t *testing.T) {
	// Decisions race with generation bumps and policy changes; run with
	// -race. Every decision is one of the two policies' outcomes, and the
	// last one, after the last bump, is the final policy's.
	s := openStore(t)
	orgs := newFakeOrgs()
	a := newAuthorizer(t, s, RootOnly{}, orgs)
	req := func() Request {
		return Request{Caller: root(member), Action: "organizations:ListAccounts", Resource: "*"}
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 100)
	for range 8 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				res, err := a.Authorize(context.Background(), req())
				if err != nil {
					errs <- err
					return
				}
				if res.Decision != policy.Allowed && res.Decision != policy.ExplicitDeny {
					errs <- fmt.Errorf("unexpected decision %v: %s", res.Decision, res.Message)
					return
				}
			}
		})
	}
	for i := range 30 {
		if i%2 == 0 {
			orgs.setSCP(member, [][]Document{{fullAccess, denyAll}})
		} else {
			orgs.setSCP(member, [][]Document{{fullAccess}})
		}
		bump(t, s)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	// The last change (i = 29) allows.
	if res := authorize(t, a, req()); !res.Allowed() {
		t.Fatalf("after the last bump: %v %s", res.Decision, res.Message)
	}
}
