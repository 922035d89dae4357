package policy

import (
	"slices"
	"testing"
)

// TestContextKeys checks the keys GetContextKeysForCustomPolicy reports:
// "Gets a list of all of the context keys referenced in the input
// policies" (IAM API Reference, GetContextKeysForCustomPolicy), as written.
func TestContextKeys(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		want   []string
	}{
		{
			name:   "no conditions",
			policy: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
			want:   nil,
		},
		{
			name: "condition keys as written, once each, in order of use",
			policy: `{"Version":"2012-10-17","Statement":[
				{"Effect":"Allow","Action":"ec2:*","Resource":"*","Condition":{"StringEquals":{"ec2:InstanceType":"t3.micro"},"Bool":{"aws:MultiFactorAuthPresent":"true"}}},
				{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"AWS:MultiFactorAuthPresent":"false"},"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}`,
			want: []string{"ec2:InstanceType", "aws:MultiFactorAuthPresent", "aws:SourceIp"},
		},
		{
			name: "policy variables in resources and string condition values",
			policy: `{"Version":"2012-10-17","Statement":[
				{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::b/${aws:username}/*","arn:aws:s3:::b/${aws:PrincipalTag/team, 'none'}/${*}"]},
				{"Effect":"Allow","Action":"iam:*","Resource":"*","Condition":{"StringLike":{"iam:ResourceTag/owner":"${aws:userid}"},"NumericLessThan":{"aws:MultiFactorAuthAge":"${aws:EpochTime}"}}}]}`,
			want: []string{"aws:username", "aws:PrincipalTag/team", "iam:ResourceTag/owner", "aws:userid", "aws:MultiFactorAuthAge"},
		},
		{
			name:   "version 2008-10-17 has no policy variables",
			policy: `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}}`,
			want:   nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse([]byte(tt.policy))
			if err != nil {
				t.Fatal(err)
			}
			if got := doc.ContextKeys(); !slices.Equal(got, tt.want) {
				t.Errorf("ContextKeys = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestExplainLayerDecisions checks the per-layer details the simulator's
// EvalDecisionDetails reports for cross-account requests, where "the
// request is allowed only if both evaluations return true" (IAM API
// Reference, EvaluationResult).
func TestExplainLayerDecisions(t *testing.T) {
	const user = "arn:aws:iam::111122223333:user/alice"
	resAllow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:GetObject","Resource":"*"}]}`
	tests := []struct {
		name                  string
		identity, res         string
		want, wantID, wantRes Decision
	}{
		{name: "both allow", identity: allow("s3:GetObject", "*"), res: resAllow, want: Allowed, wantID: Allowed, wantRes: Allowed},
		{name: "resource side silent", identity: allow("s3:GetObject", "*"), want: ImplicitDeny, wantID: Allowed, wantRes: ImplicitDeny},
		{name: "identity side denies", identity: deny("s3:*", "*"), res: resAllow, want: ExplicitDeny, wantID: ExplicitDeny, wantRes: Allowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set := &Set{Identity: []*Policy{mustCompile(t, "i", Identity, tt.identity)}}
			if tt.res != "" {
				set.Resource = []*Policy{mustCompile(t, "r", Resource, tt.res)}
			}
			ex := Explain(set, &Request{Principal: user, Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k", ResourceAccount: "444455556666"})
			if ex.Decision != tt.want || ex.IdentityDecision != tt.wantID || ex.ResourceDecision != tt.wantRes {
				t.Errorf("decision, identity, resource = %v, %v, %v; want %v, %v, %v",
					ex.Decision, ex.IdentityDecision, ex.ResourceDecision, tt.want, tt.wantID, tt.wantRes)
			}
		})
	}
}
