package simulator

import (
	"context"
	"testing"

	"gatehouse/authz"
	"gatehouse/policy"
	"gatehouse/principal"
)

// TestSimulatorAgreesWithEnforcement runs a corpus of requests through
// enforcement (authz.Authorize, as the server asks it) and through
// SimulatePrincipalPolicy, and requires the same decision from both: the
// simulator and real enforcement share one code path, so they can never
// disagree.
func TestSimulatorAgreesWithEnforcement(t *testing.T) {
	w := newWorld(t)
	ipRole := "arn:aws:iam::" + w.dev + ":role/ip-limited"
	w.entities[ipRole] = Entity{Account: w.dev,
		Caller: &principal.Caller{Type: principal.AssumedRole, Account: w.dev, ARN: ipRole, PrincipalARN: ipRole, UserID: "AROAEXAMPLEIP"},
		Policies: []Document{{ID: "office-only", Type: SourceRole, Content: `{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}},
  {"Effect":"Deny","Action":"s3:PutObject","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},
  {"Effect":"Allow","Action":"organizations:Describe*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgPaths":["nope"]}}}]}`}},
	}
	a := authz.New(w.store, w.entities, w.orgs)
	defer a.Close()

	session := func(account, role string) *principal.Caller {
		roleARN := "arn:aws:iam::" + account + ":role/" + role
		return &principal.Caller{Type: principal.AssumedRole, Account: account, ARN: "arn:aws:sts::" + account + ":assumed-role/" + role + "/s1",
			PrincipalARN: roleARN, UserID: "AROAEXAMPLE" + role + ":s1", Name: "s1"}
	}
	alice := w.entities["arn:aws:iam::"+w.dev+":user/alice"].Caller
	callers := []*principal.Caller{
		session(w.dev, "procurement-manager"), session(w.dev, "admin"), session(mgmtAcct, "admin"),
		session(w.dev, "ip-limited"), alice,
	}
	actions := []string{
		"aws-marketplace:AssociateProductsWithPrivateMarketplace", "aws-marketplace:DescribeEntity",
		"iam:ListRoles", "s3:GetObject", "s3:PutObject", "organizations:DescribeOrganization",
	}
	resources := []string{"*", "arn:aws:s3:::home/alice/notes", "arn:aws:s3:::home/bob/notes"}
	contexts := [][]ContextEntry{
		nil,
		{{ContextKeyName: "aws:SourceIp", ContextKeyValues: []string{"203.0.113.9"}, ContextKeyType: "ip"}},
		{{ContextKeyName: "aws:SourceIp", ContextKeyValues: []string{"203.0.113.9"}, ContextKeyType: "ip"},
			{ContextKeyName: "aws:SecureTransport", ContextKeyValues: []string{"false"}, ContextKeyType: "boolean"}},
	}
	seen := map[string]int{}
	for _, c := range callers {
		for _, action := range actions {
			for _, resource := range resources {
				for _, entries := range contexts {
					pctx, err := Context(entries)
					if err != nil {
						t.Fatal(err)
					}
					enforced, err := a.Authorize(context.Background(), authz.Request{Caller: c, Action: action, Resource: resource, Context: pctx})
					if err != nil {
						t.Fatal(err)
					}
					in := SimulatePrincipalPolicyInput{PolicySourceArn: c.PrincipalARN, ActionNames: []string{action}, ContextEntries: entries}
					if resource != "*" {
						in.ResourceArns = []string{resource}
					}
					simulated := w.simulate(t, rootUser(c.Account), in).EvaluationResults[0].EvalDecision
					if simulated != enforced.Decision.String() {
						t.Errorf("%s %s on %s with %v: enforcement %s, simulator %s", c.ARN, action, resource, entries, enforced.Decision, simulated)
					}
					seen[simulated]++
				}
			}
		}
	}
	for _, d := range []policy.Decision{policy.Allowed, policy.ExplicitDeny, policy.ImplicitDeny} {
		if seen[d.String()] == 0 {
			t.Errorf("the corpus never reaches %s", d)
		}
	}
	t.Logf("decisions: %v", seen)
}
