package policy

import (
	"fmt"
	"testing"
)

func mustCompile(t testing.TB, id string, typ Type, text string) *Policy {
	t.Helper()
	p, err := CompileText(id, typ, []byte(text))
	if err != nil {
		t.Fatalf("compile %s: %v", id, err)
	}
	return p
}

func allow(action, resource string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":%q,"Resource":%q}]}`, action, resource)
}

func deny(action, resource string) string {
	return fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":%q,"Resource":%q}]}`, action, resource)
}

// TestDecideLayers checks the order of evaluation. Each case cites the
// rule from "Policy evaluation logic" in the IAM User Guide
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html).
func TestDecideLayers(t *testing.T) {
	const user = "arn:aws:iam::111122223333:user/alice"
	fullAccess := allow("*", "*")
	tests := []struct {
		name   string
		rule   string
		caller string
		set    func(t *testing.T) *Set
		want   Decision
	}{
		{
			name: "no policy", rule: "By default, all requests are implicitly denied",
			caller: user, set: func(t *testing.T) *Set { return &Set{} }, want: ImplicitDeny,
		},
		{
			name: "root user", rule: "with the exception of the AWS account root user, which has full access",
			caller: "arn:aws:iam::111122223333:root", set: func(t *testing.T) *Set { return &Set{} }, want: Allowed,
		},
		{
			name: "identity allow", rule: "Requests must be explicitly allowed",
			caller: user, set: func(t *testing.T) *Set {
				return &Set{Identity: []*Policy{mustCompile(t, "i", Identity, allow("s3:GetObject", "*"))}}
			}, want: Allowed,
		},
		{
			name: "deny wins", rule: "An explicit deny overrides an explicit allow",
			caller: user, set: func(t *testing.T) *Set {
				return &Set{Identity: []*Policy{
					mustCompile(t, "a", Identity, fullAccess),
					mustCompile(t, "d", Identity, deny("s3:Get*", "*")),
				}}
			}, want: ExplicitDeny,
		},
		{
			name: "scp level without allow", rule: "If the enforcement code does not find any applicable Allow statements in the SCPs, then the enforcement code returns a final decision of Deny",
			caller: user, set: func(t *testing.T) *Set {
				return &Set{
					Identity: []*Policy{mustCompile(t, "a", Identity, fullAccess)},
					SCP: [][]*Policy{
						{mustCompile(t, "root", SCP, fullAccess)},
						{mustCompile(t, "ou", SCP, allow("ec2:*", "*"))},
					},
				}
			}, want: ImplicitDeny,
		},
		{
			name: "scp root deny binds root user", rule: "SCPs affect all users and roles in attached accounts, including the root user",
			caller: "arn:aws:iam::111122223333:root", set: func(t *testing.T) *Set {
				return &Set{SCP: [][]*Policy{{mustCompile(t, "root", SCP, deny("s3:*", "*")), mustCompile(t, "full", SCP, fullAccess)}}}
			}, want: ExplicitDeny,
		},
		{
			name: "boundary limits identity", rule: "If the enforcement code does not find any applicable Allow statements in the permissions boundary, then the enforcement code returns a final decision of Deny",
			caller: user, set: func(t *testing.T) *Set {
				return &Set{
					Identity: []*Policy{mustCompile(t, "a", Identity, fullAccess)},
					Boundary: mustCompile(t, "b", Boundary, allow("ec2:*", "*")),
				}
			}, want: ImplicitDeny,
		},
		{
			name: "session policy limits identity", rule: "If there is a session policy and it does not allow the requested action, then the enforcement code returns a final decision of Deny",
			caller: "arn:aws:sts::111122223333:assumed-role/R/s", set: func(t *testing.T) *Set {
				return &Set{
					Identity: []*Policy{mustCompile(t, "a", Identity, fullAccess)},
					Session:  []*Policy{mustCompile(t, "s", Session, allow("ec2:*", "*"))},
				}
			}, want: ImplicitDeny,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := &Request{Principal: tt.caller, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"}
			if got := Decide(tt.set(t), req); got != tt.want {
				t.Errorf("Decide = %v, want %v\nrule: %s", got, tt.want, tt.rule)
			}
		})
	}
}

// TestDecideDoesNotAllocate holds Decide to its contract on the hot path:
// a warm decision allocates nothing.
func TestDecideDoesNotAllocate(t *testing.T) {
	set := &Set{
		Identity: []*Policy{mustCompile(t, "i", Identity, `{"Version":"2012-10-17","Statement":[
			{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"arn:aws:s3:::b/${aws:username}/*"},
			{"Effect":"Allow","Action":"aws-marketplace:AssociateProductsWithPrivateMarketplace","Resource":"*",
			 "Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/procurement-manager"},
			              "IpAddress":{"aws:SourceIp":"203.0.113.0/24"},"Bool":{"aws:SecureTransport":"true"}}}]}`)},
		SCP: [][]*Policy{{mustCompile(t, "full", SCP, allow("*", "*"))}, {mustCompile(t, "ou", SCP, `{"Version":"2012-10-17","Statement":[
			{"Effect":"Deny","Action":"aws-marketplace:AssociateProductsWithPrivateMarketplace","Resource":"*",
			 "Condition":{"StringNotLike":{"aws:PrincipalARN":"arn:aws:iam::*:role/procurement-manager"}}}]}`), mustCompile(t, "full2", SCP, allow("*", "*"))}},
	}
	ctx := NewContext(map[string][]string{
		"aws:PrincipalArn":     {"arn:aws:iam::111122223333:role/procurement-manager"},
		"aws:SourceIp":         {"203.0.113.7"},
		"aws:SecureTransport":  {"true"},
		"aws:username":         {"alice"},
		"aws:PrincipalAccount": {"111122223333"},
	})
	reqs := []*Request{
		{Principal: "arn:aws:sts::111122223333:assumed-role/procurement-manager/alice", Action: "aws-marketplace:AssociateProductsWithPrivateMarketplace", Resource: "*", Context: ctx},
		{Principal: "arn:aws:iam::111122223333:user/alice", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/alice/k", Context: ctx},
	}
	for _, req := range reqs {
		if d := Decide(set, req); d != Allowed {
			t.Fatalf("Decide(%s) = %v, want allowed", req.Action, d)
		}
		if n := testing.AllocsPerRun(100, func() { Decide(set, req) }); n != 0 {
			t.Errorf("Decide(%s) allocates %v times per run, want 0", req.Action, n)
		}
	}
}
