package authz

import (
	"strings"
	"testing"
	"time"

	"gatehouse/policy"
	"gatehouse/principal"
)

const (
	roleARN      = "arn:aws:iam::" + member + ":role/ops"
	userARN      = "arn:aws:iam::" + member + ":user/alice"
	trustUser    = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + userARN + `"},"Action":"sts:AssumeRole"}]}`
	trustAccount = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + member + `:root"},"Action":"sts:AssumeRole"}]}`
	trustOther   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + member + `:user/bob"},"Action":"sts:AssumeRole"}]}`
	trustExtID   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + userARN + `"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x-123"}}}]}`
)

var allowAssume = doc("allow-assume", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}`)

// withSession returns a role session of member's role ops with the given
// access key and session policies.
func withSession(keyID string, policies ...string) *principal.Caller {
	c := roleSession(member, "ops", "s1")
	c.AccessKeyID = keyID
	c.Session = &principal.Session{Issuer: "AssumeRole", Issued: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC), Expiration: time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC), Policies: policies}
	return c
}

func TestSessionPolicies(t *testing.T) {
	s := openStore(t)
	ids := &fakeIdentities{identity: map[string][]Document{
		roleSession(member, "ops", "s1").ARN: {fullAccess},
	}, boundaries: map[string]*Document{}}
	a := newAuthorizer(t, s, ids, newFakeOrgs())
	tests := []struct {
		name        string
		caller      *principal.Caller
		action      string
		want        policy.Decision
		wantMessage string
	}{
		{name: "no session policies: the role's policies alone", caller: withSession("ASIAONE"), action: "iam:ListRoles", want: policy.Allowed},
		{name: "session policy allows", caller: withSession("ASIATWO", allowS3.Content), action: "s3:GetObject", want: policy.Allowed},
		// "The resulting session's permissions are the intersection of
		// the role's identity-based policies and the session policies."
		{name: "session policy limits", caller: withSession("ASIATWO", allowS3.Content), action: "iam:ListRoles", want: policy.ImplicitDeny,
			wantMessage: "User: arn:aws:sts::222222222222:assumed-role/ops/s1 is not authorized to perform: iam:ListRoles on resource: * because no session policy allows the iam:ListRoles action"},
		// The same session ARN with other policies is another cache entry.
		{name: "same session name, other policies", caller: withSession("ASIATHREE", fullAccess.Content), action: "iam:ListRoles", want: policy.Allowed},
		{name: "same key id, other policies", caller: withSession("ASIATWO", denyAll.Content, fullAccess.Content), action: "s3:GetObject", want: policy.ExplicitDeny},
		{name: "one of several allows", caller: withSession("ASIAFOUR", allowS3.Content, allowAssume.Content), action: "sts:AssumeRole", want: policy.Allowed},
		{name: "session policy cannot grant", caller: func() *principal.Caller {
			c := withSession("ASIAFIVE", fullAccess.Content)
			c.ARN, c.PrincipalARN = "arn:aws:sts::222222222222:assumed-role/empty/s1", "arn:aws:iam::222222222222:role/empty"
			return c
		}(), action: "s3:GetObject", want: policy.ImplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := authorize(t, a, Request{Caller: tt.caller, Action: tt.action})
			if res.Decision != tt.want {
				t.Errorf("decision %v, want %v (%s)", res.Decision, tt.want, res.Message)
			}
			if tt.wantMessage != "" && res.Message != tt.wantMessage {
				t.Errorf("message %q\nwant     %q", res.Message, tt.wantMessage)
			}
		})
	}
}

func TestTrustPolicy(t *testing.T) {
	s := openStore(t)
	orgs := newFakeOrgs()
	alice := iamUser(member, "alice")
	carol := iamUser(outsider, "carol")
	ids := &fakeIdentities{identity: map[string][]Document{
		carol.ARN: {allowAssume},
	}, boundaries: map[string]*Document{}}
	a := newAuthorizer(t, s, ids, orgs)
	trust := func(content string) *Document { d := doc("trust", content); return &d }
	tests := []struct {
		name        string
		caller      *principal.Caller
		trust       *Document
		resource    string
		account     string
		context     map[string][]string
		want        policy.Decision
		wantMessage string
	}{
		// Same account: a trust policy that names the user grants it
		// without an identity-based policy.
		{name: "trust names the user", caller: alice, trust: trust(trustUser), want: policy.Allowed},
		// Naming the account delegates to the account's identity-based
		// policies, and alice has none.
		{name: "trust names the account", caller: alice, trust: trust(trustAccount), want: policy.ImplicitDeny},
		{name: "trust names someone else", caller: alice, trust: trust(trustOther), want: policy.ImplicitDeny,
			wantMessage: "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/ops because no role trust policy allows the sts:AssumeRole action"},
		{name: "role does not exist", caller: alice, trust: &NoTrust, want: policy.ImplicitDeny,
			wantMessage: "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/ops because no role trust policy allows the sts:AssumeRole action"},
		{name: "external id matches", caller: alice, trust: trust(trustExtID), context: map[string][]string{"sts:ExternalId": {"x-123"}}, want: policy.Allowed},
		{name: "external id differs", caller: alice, trust: trust(trustExtID), context: map[string][]string{"sts:ExternalId": {"x-999"}}, want: policy.ImplicitDeny},
		{name: "external id missing", caller: alice, trust: trust(trustExtID), want: policy.ImplicitDeny},
		// Cross account: both sides must allow. carol's identity policy
		// allows sts:AssumeRole and the trust names her account.
		{name: "cross-account, both allow", caller: carol, trust: trust(trustAccount), account: member, want: policy.ImplicitDeny},
		{name: "cross-account trust of carol's account", caller: carol, account: member, want: policy.Allowed,
			trust: trust(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + outsider + `"},"Action":"sts:AssumeRole"}]}`)},
		{name: "cross-account, identity silent", caller: iamUser(outsider, "dave"), account: member, want: policy.ImplicitDeny,
			trust: trust(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + outsider + `"},"Action":"sts:AssumeRole"}]}`)},
		{name: "trust denies", caller: alice, want: policy.ExplicitDeny,
			trust:       trust(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + userARN + `"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}]}`),
			wantMessage: "with an explicit deny in a role trust policy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource := tt.resource
			if resource == "" {
				resource = roleARN
			}
			res := authorize(t, a, Request{Caller: tt.caller, Action: "sts:AssumeRole", Resource: resource, ResourceAccount: tt.account,
				Trust: tt.trust, Context: policy.NewContext(tt.context)})
			if res.Decision != tt.want {
				t.Errorf("decision %v, want %v (%s)", res.Decision, tt.want, res.Message)
			}
			if tt.wantMessage != "" && !strings.Contains(res.Message, tt.wantMessage) {
				t.Errorf("message %q\nwant     %q", res.Message, tt.wantMessage)
			}
		})
	}

	// carol's account is in an OU whose SCPs allow s3 only.
	carol.Account, carol.ARN, carol.PrincipalARN = allowList, "arn:aws:iam::"+allowList+":user/carol", "arn:aws:iam::"+allowList+":user/carol"
	ids.identity[carol.ARN] = []Document{allowAssume}
	res := authorize(t, a, Request{Caller: carol, Action: "sts:AssumeRole", Resource: roleARN, ResourceAccount: member,
		Trust: trust(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + allowList + `"},"Action":"sts:AssumeRole"}]}`)})
	if res.Decision != policy.ImplicitDeny || !strings.Contains(res.Message, "because no service control policy allows") {
		t.Errorf("SCP of the caller's account: %v %s", res.Decision, res.Message)
	}

	// An SCP of the caller's account that denies sts:AssumeRole wins over
	// a trust policy that allows.
	orgs.setSCP(member, [][]Document{{fullAccess, doc("p-noassume", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"sts:AssumeRole","Resource":"*"}]}`)}})
	a2 := newAuthorizer(t, s, ids, orgs)
	res = authorize(t, a2, Request{Caller: alice, Action: "sts:AssumeRole", Resource: roleARN, Trust: trust(trustUser)})
	if res.Decision != policy.ExplicitDeny || !strings.Contains(res.Message, "with an explicit deny in a service control policy") {
		t.Errorf("SCP deny: %v %s", res.Decision, res.Message)
	}
}

func TestSessionContextKeys(t *testing.T) {
	s := openStore(t)
	cond := func(key, value string) Document {
		return doc("cond", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"`+key+`":"`+value+`"}}}]}`)
	}
	session := withSession("ASIASIX")
	session.Tags = map[string]string{"Project": "seed"}
	session.Session.SourceIdentity = "alice@example.com"
	ids := &fakeIdentities{identity: map[string][]Document{}, boundaries: map[string]*Document{}}
	a := newAuthorizer(t, s, ids, newFakeOrgs())
	tests := []struct {
		name string
		doc  Document
		want policy.Decision
	}{
		{name: "session tag", doc: cond("aws:PrincipalTag/Project", "seed"), want: policy.Allowed},
		{name: "source identity", doc: cond("aws:SourceIdentity", "alice@example.com"), want: policy.Allowed},
		{name: "token issue time", doc: cond("aws:TokenIssueTime", "2026-11-25T12:00:00Z"), want: policy.Allowed},
		{name: "principal arn is the role", doc: cond("aws:PrincipalArn", "arn:aws:iam::222222222222:role/ops"), want: policy.Allowed},
		{name: "principal type", doc: cond("aws:PrincipalType", "AssumedRole"), want: policy.Allowed},
		// aws:username is "not available" for assumed-role principals.
		{name: "no username for a role session", doc: cond("aws:username", "s1"), want: policy.ImplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids.mu.Lock()
			ids.identity[session.ARN] = []Document{tt.doc}
			ids.mu.Unlock()
			a.invalidate(a.generation.Load() + 1)
			res := authorize(t, a, Request{Caller: session, Action: "s3:GetObject"})
			if res.Decision != tt.want {
				t.Errorf("decision %v, want %v (%s)", res.Decision, tt.want, res.Message)
			}
		})
	}
}
