package simulator

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"gatehouse/authz"
	"gatehouse/org"
	"gatehouse/principal"
	"gatehouse/store"
	"gatehouse/store/sqlite"
)

const (
	mgmtAcct = "111111111111"
	adminDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	// seedSCP is the seed's control: only procurement-manager may
	// administer the Private Marketplace.
	seedSCP = `{"Version":"2012-10-17","Statement":[{"Sid":"ProcurementPolicy","Effect":"Deny",
  "Action":["aws-marketplace:AssociateProductsWithPrivateMarketplace","aws-marketplace:DisassociateProductsFromPrivateMarketplace"],
  "Resource":"*","Condition":{"StringNotLike":{"aws:PrincipalARN":"arn:aws:iam::*:role/procurement-manager"}}}]}`
)

// fakeEntities is the IAM side of the tests: users, groups and roles by
// ARN. It is both the simulator's Entities and enforcement's Identities,
// so that both see the same principals.
type fakeEntities map[string]Entity

func (f fakeEntities) Entity(_ context.Context, _ store.Tx, arn string) (Entity, error) {
	e, ok := f[arn]
	if !ok {
		return Entity{}, fmt.Errorf("%s: %w", arn, ErrNoSuchEntity)
	}
	return e, nil
}

func (f fakeEntities) IdentityPolicies(_ context.Context, _ store.Tx, c *principal.Caller) ([]authz.Document, *authz.Document, error) {
	e, ok := f[c.PrincipalARN]
	if !ok {
		return nil, nil, nil
	}
	var docs []authz.Document
	for _, d := range e.Policies {
		docs = append(docs, authz.Document{ID: d.ID, Content: d.Content})
	}
	if e.Boundary == nil {
		return docs, nil, nil
	}
	return docs, &authz.Document{ID: e.Boundary.ID, Content: e.Boundary.Content}, nil
}

// world is an organization with the seed's SCP on the Retail OU, which
// holds the dev account, and IAM principals in dev and in the management
// account.
type world struct {
	store    store.Store
	orgs     *org.Service
	entities fakeEntities
	dev      string
	sim      *Simulator
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	o := org.New(st)
	if _, err := o.EnsureManagementAccount(ctx, mgmtAcct, "mgmt@example.com", "Management"); err != nil {
		t.Fatal(err)
	}
	mgmt := &principal.Caller{Type: principal.Root, Account: mgmtAcct, ARN: principal.RootARN(mgmtAcct), PrincipalARN: principal.RootARN(mgmtAcct), UserID: mgmtAcct}
	step := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = o.CreateOrganization(ctx, mgmt, org.CreateOrganizationInput{})
	step(err)
	roots, err := o.ListRoots(ctx, mgmt, org.ListRootsInput{})
	step(err)
	rootID := roots.Roots[0].Id
	// SCPs are enabled with the organization (all features).
	ou, err := o.CreateOrganizationalUnit(ctx, mgmt, org.CreateOrganizationalUnitInput{ParentId: rootID, Name: "Retail"})
	step(err)
	car, err := o.CreateAccount(ctx, mgmt, org.CreateAccountInput{Email: "dev@example.com", AccountName: "dev"})
	step(err)
	status, err := o.DescribeCreateAccountStatus(ctx, mgmt, org.DescribeCreateAccountStatusInput{CreateAccountRequestId: car.CreateAccountStatus.Id})
	step(err)
	dev := status.CreateAccountStatus.AccountId
	_, err = o.MoveAccount(ctx, mgmt, org.MoveAccountInput{AccountId: dev, SourceParentId: rootID, DestinationParentId: ou.OrganizationalUnit.Id})
	step(err)
	pol, err := o.CreatePolicy(ctx, mgmt, org.CreatePolicyInput{Name: "pmp", Description: "pmp", Type: org.PolicyTypeServiceControlPolicy, Content: seedSCP})
	step(err)
	_, err = o.AttachPolicy(ctx, mgmt, org.AttachPolicyInput{PolicyId: pol.Policy.PolicySummary.Id, TargetId: ou.OrganizationalUnit.Id})
	step(err)

	admin := Document{ID: "AdministratorAccess", Type: SourceAWSManaged, Content: adminDoc}
	role := func(account, name string) Entity {
		arn := "arn:aws:iam::" + account + ":role/" + name
		return Entity{Account: account, Policies: []Document{admin},
			Caller: &principal.Caller{Type: principal.AssumedRole, Account: account, ARN: arn, PrincipalARN: arn, UserID: "AROAEXAMPLE" + name}}
	}
	aliceARN := "arn:aws:iam::" + dev + ":user/alice"
	groupPolicy := Document{ID: "s3-all", Type: SourceGroup, Content: `{"Version":"2012-10-17","Statement":[{"Sid":"S3","Effect":"Allow","Action":"s3:*","Resource":"*"}]}`}
	ents := fakeEntities{
		"arn:aws:iam::" + dev + ":role/procurement-manager": role(dev, "procurement-manager"),
		"arn:aws:iam::" + dev + ":role/admin":               role(dev, "admin"),
		"arn:aws:iam::" + mgmtAcct + ":role/admin":          role(mgmtAcct, "admin"),
		aliceARN: {Account: dev,
			Caller: &principal.Caller{Type: principal.IAMUser, Account: dev, ARN: aliceARN, PrincipalARN: aliceARN, UserID: "AIDAEXAMPLEALICE", Name: "alice"},
			Policies: []Document{
				{ID: "own-bucket", Type: SourceUser, Content: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::home/${aws:username}/*"}]}`},
				groupPolicy,
			},
			Boundary: &Document{ID: "read-only-boundary", Type: SourceUserManaged, Content: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}`},
		},
		"arn:aws:iam::" + dev + ":group/devs": {Account: dev, Policies: []Document{groupPolicy}},
	}
	return &world{store: st, orgs: o, entities: ents, dev: dev, sim: New(st, ents, o)}
}

func (w *world) simulate(t *testing.T, caller *principal.Caller, in SimulatePrincipalPolicyInput) SimulatePolicyOutput {
	t.Helper()
	out, err := w.sim.SimulatePrincipalPolicy(context.Background(), caller, in)
	if err != nil {
		t.Fatalf("SimulatePrincipalPolicy(%s): %v", in.PolicySourceArn, err)
	}
	return out
}

func rootUser(account string) *principal.Caller {
	return &principal.Caller{Type: principal.Root, Account: account, ARN: principal.RootARN(account), PrincipalARN: principal.RootARN(account), UserID: account}
}

// TestSimulatePrincipalPolicySeed is the acceptance scenario:
// simulate-principal-policy says allowed for procurement-manager and
// explicitDeny for admin; admin is still allowed iam:ListRoles; a
// management-account principal is not bound by the SCP ("SCPs don't
// affect users or roles in the management account", AWS Organizations
// User Guide).
func TestSimulatePrincipalPolicySeed(t *testing.T) {
	w := newWorld(t)
	const approve = "aws-marketplace:AssociateProductsWithPrivateMarketplace"
	tests := []struct {
		name, source, action, want string
		allowedByOrgs              *bool
	}{
		{"procurement-manager approves", "arn:aws:iam::" + w.dev + ":role/procurement-manager", approve, "allowed", new(true)},
		{"admin may not approve", "arn:aws:iam::" + w.dev + ":role/admin", approve, "explicitDeny", new(false)},
		{"admin still lists roles", "arn:aws:iam::" + w.dev + ":role/admin", "iam:ListRoles", "allowed", new(true)},
		{"management admin is not bound", "arn:aws:iam::" + mgmtAcct + ":role/admin", approve, "allowed", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			account, _ := arnAccountOf(tt.source)
			out := w.simulate(t, rootUser(account), SimulatePrincipalPolicyInput{PolicySourceArn: tt.source, ActionNames: []string{tt.action}})
			r := out.EvaluationResults[0]
			if r.EvalDecision != tt.want {
				t.Errorf("decision %s, want %s", r.EvalDecision, tt.want)
			}
			switch {
			case tt.allowedByOrgs == nil && r.OrganizationsDecisionDetail != nil:
				t.Errorf("OrganizationsDecisionDetail %+v, want none", r.OrganizationsDecisionDetail)
			case tt.allowedByOrgs != nil && (r.OrganizationsDecisionDetail == nil || r.OrganizationsDecisionDetail.AllowedByOrganizations != *tt.allowedByOrgs):
				t.Errorf("OrganizationsDecisionDetail %+v, want allowed=%v", r.OrganizationsDecisionDetail, *tt.allowedByOrgs)
			}
			for _, m := range r.MatchedStatements {
				if m.SourcePolicyId != "AdministratorAccess" || m.SourcePolicyType != SourceAWSManaged {
					t.Errorf("matched %+v: SCP statements are not reported", m)
				}
			}
		})
	}
}

func arnAccountOf(arn string) (string, bool) {
	_, account, ok := entityARN(arn)
	return account, ok
}

// TestSimulateUserWithGroupsAndBoundary: "If you specify a user, the
// simulation also includes all policies that are attached to any groups
// the user belongs to" and "you can include a permissions boundary" (IAM
// API Reference, SimulatePrincipalPolicy).
func TestSimulateUserWithGroupsAndBoundary(t *testing.T) {
	w := newWorld(t)
	alice := "arn:aws:iam::" + w.dev + ":user/alice"
	out := w.simulate(t, rootUser(w.dev), SimulatePrincipalPolicyInput{
		PolicySourceArn: alice,
		ActionNames:     []string{"s3:GetObject", "s3:PutObject"},
		ResourceArns:    []string{"arn:aws:s3:::home/alice/notes"},
	})
	get, put := out.EvaluationResults[0], out.EvaluationResults[1]
	if get.EvalDecision != "allowed" || put.EvalDecision != "implicitDeny" {
		t.Fatalf("GetObject %s, PutObject %s; want allowed, implicitDeny", get.EvalDecision, put.EvalDecision)
	}
	if b := put.PermissionsBoundaryDecisionDetail; b == nil || b.AllowedByPermissionsBoundary {
		t.Errorf("PutObject boundary detail %+v, want not allowed", b)
	}
	var sources []string
	for _, m := range get.MatchedStatements {
		sources = append(sources, m.SourcePolicyId+"/"+string(m.SourcePolicyType))
	}
	// The user's policy matches through its ${aws:username} variable.
	want := []string{"own-bucket/user", "s3-all/group", "read-only-boundary/user-managed"}
	if !reflect.DeepEqual(sources, want) {
		t.Errorf("matched %v, want %v", sources, want)
	}
	// A boundary in the request replaces the user's.
	out = w.simulate(t, rootUser(w.dev), SimulatePrincipalPolicyInput{
		PolicySourceArn:                    alice,
		ActionNames:                        []string{"s3:PutObject"},
		PermissionsBoundaryPolicyInputList: []string{adminDoc},
	})
	if d := out.EvaluationResults[0].EvalDecision; d != "allowed" {
		t.Errorf("PutObject with a full boundary: %s, want allowed", d)
	}
	// A group acts as no one: its policies still apply.
	out = w.simulate(t, rootUser(w.dev), SimulatePrincipalPolicyInput{PolicySourceArn: "arn:aws:iam::" + w.dev + ":group/devs", ActionNames: []string{"s3:PutObject"}})
	if d := out.EvaluationResults[0].EvalDecision; d != "allowed" {
		t.Errorf("group devs PutObject: %s, want allowed", d)
	}
}

// TestPrincipalErrors checks PolicySourceArn: NoSuchEntity for an entity
// that does not exist, and InvalidInput for an ARN that is no user, group
// or role (observed: "Invalid Entity Arn: arn:aws:sts::...").
func TestPrincipalErrors(t *testing.T) {
	w := newWorld(t)
	tests := []struct {
		name, arn, code string
	}{
		{"unknown user", "arn:aws:iam::" + w.dev + ":user/nobody", "NoSuchEntity"},
		{"another account's role", "arn:aws:iam::" + mgmtAcct + ":role/admin", "NoSuchEntity"},
		{"assumed-role session", "arn:aws:sts::" + w.dev + ":assumed-role/admin/s", "InvalidInput"},
		{"policy ARN", "arn:aws:iam::aws:policy/AdministratorAccess", "InvalidInput"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.sim.SimulatePrincipalPolicy(context.Background(), rootUser(w.dev), SimulatePrincipalPolicyInput{PolicySourceArn: tt.arn, ActionNames: []string{"s3:GetObject"}})
			wantCode(t, err, tt.code)
			_, err = w.sim.GetContextKeysForPrincipalPolicy(context.Background(), rootUser(w.dev), GetContextKeysForPrincipalPolicyInput{PolicySourceArn: tt.arn})
			wantCode(t, err, tt.code)
		})
	}
	_, err := w.sim.SimulatePrincipalPolicy(context.Background(), rootUser(w.dev), SimulatePrincipalPolicyInput{
		PolicySourceArn: "arn:aws:iam::" + w.dev + ":role/admin", ActionNames: []string{"s3:GetObject"},
		ResourcePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`,
	})
	// "CallerArn is required if you include a ResourcePolicy and the
	// PolicySourceArn is not the ARN for an IAM user."
	wantCode(t, err, "InvalidInput")
}

// TestGetContextKeysForPrincipalPolicy: "Gets a list of all of the context
// keys referenced in all the IAM policies that are attached to the
// specified IAM entity." (IAM API Reference)
func TestGetContextKeysForPrincipalPolicy(t *testing.T) {
	w := newWorld(t)
	out, err := w.sim.GetContextKeysForPrincipalPolicy(context.Background(), rootUser(w.dev), GetContextKeysForPrincipalPolicyInput{
		PolicySourceArn: "arn:aws:iam::" + w.dev + ":user/alice",
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}`},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"aws:username", "aws:SourceIp"}; !reflect.DeepEqual(out.ContextKeyNames, want) {
		t.Errorf("ContextKeyNames = %q, want %q", out.ContextKeyNames, want)
	}
}
