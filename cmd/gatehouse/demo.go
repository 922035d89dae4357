package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"gatehouse/catalog"
	"gatehouse/iam"
	"gatehouse/org"
	"gatehouse/principal"
	"gatehouse/store"
)

// The demo's setup follows the seed, "a well-architected Private
// Marketplace": an organization with OUs for shared services, retail and
// technology holding an account each; in the shared services account the
// procurement-manager role, which alone administers the Private
// Marketplace, and an admin role; developer roles in the retail and
// technology accounts; the seed's SCP on every OU; and an enabled Private
// Marketplace experience, governing the whole organization, that approves
// part of the sample catalog.

// demoSCP is the seed's SCP as it reads on today's API: only
// procurement-manager may approve products or change the Private
// Marketplace.
//
//go:embed demo-scp.json
var demoSCP string

// demoOUs are the seed's OUs; each holds an account of the same name.
var demoOUs = []string{"shared-services", "retail", "technology"}

// demoUser is the IAM user of the management account that the CLI
// profiles start from; it may only assume the demo's roles.
const demoUser = "demo"

// demoExperienceName is the demo's Private Marketplace experience.
const demoExperienceName = "AnyCompany Private Marketplace"

// demoApproved are the sample products the procurement manager has
// approved: the rest wait to be requested.
var demoApproved = []string{
	"PostgreSQL 17 on Debian", "Redis", "Grafana", "Prometheus", "OpenTelemetry Collector",
	"HashiCorp Vault", "Keycloak", "Trivy", "GitLab", "Argo CD", "SonarQube",
	"Datadog", "Snowflake", "Confluent Cloud", "NGINX Plus",
}

// demoRole is one role of the demo and the profile that assumes it.
type demoRole struct {
	Profile string
	Name    string
	Account string
	// Policies are the AWS managed policies attached to the role.
	Policies []string
}

// ARN returns the role's ARN.
func (r demoRole) ARN() string { return "arn:aws:iam::" + r.Account + ":role/" + r.Name }

// demoState is what the setup made; it is stored, so that a second start
// reuses it.
type demoState struct {
	ManagementAccount string
	OrganizationId    string
	RootId            string
	// OUs and Accounts map the OU names to their ids and accounts.
	OUs          map[string]string
	Accounts     map[string]string
	SCPId        string
	Roles        []demoRole
	ExperienceId string
	Products     int
	Approved     int
}

// demoRecord is the store record of the demo's state.
var demoRecord = store.Record{Kind: "gatehouse.demo", ID: "setup"}

// loadDemo returns the stored setup, if any.
func loadDemo(ctx context.Context, st store.Store) (*demoState, bool, error) {
	var s demoState
	err := st.View(ctx, func(tx store.Tx) error {
		var err error
		s, err = store.Get[demoState](ctx, tx, demoRecord.Kind, demoRecord.ID)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("demo: %w", err)
	}
	return &s, true, nil
}

// buildDemo makes the demo's setup through the services, in one
// transaction: a setup that fails leaves nothing behind, and one that
// succeeded is recorded with it.
func buildDemo(ctx context.Context, st store.Store, a *app) (*demoState, error) {
	var s *demoState
	err := st.Update(ctx, func(tx store.Tx) error {
		b := &demoBuilder{app: a, ctx: store.WithTx(ctx, tx, false), state: &demoState{ManagementAccount: a.management,
			OUs: map[string]string{}, Accounts: map[string]string{}}}
		if err := b.build(); err != nil {
			return err
		}
		s = b.state
		return store.Put(ctx, tx, demoRecord, s)
	})
	if err != nil {
		return nil, fmt.Errorf("demo setup (the demo sets up a data directory of its own; give it a new --data): %w", err)
	}
	return s, nil
}

// demoBuilder builds the setup inside the transaction its ctx carries.
type demoBuilder struct {
	app   *app
	ctx   context.Context
	state *demoState
}

func rootCaller(account string) *principal.Caller {
	return &principal.Caller{Type: principal.Root, Account: account, ARN: principal.RootARN(account), PrincipalARN: principal.RootARN(account), UserID: account}
}

func (b *demoBuilder) build() error {
	for _, step := range []struct {
		what string
		run  func() error
	}{
		{"organization", b.organization},
		{"accounts", b.accounts},
		{"service control policy", b.scp},
		{"roles", b.roles},
		{"sample catalog", b.catalog},
		{"Private Marketplace", b.marketplace},
	} {
		if err := step.run(); err != nil {
			return fmt.Errorf("%s: %w", step.what, err)
		}
	}
	return nil
}

// organization creates the organization with all features (which
// enables SCPs) and trusted access for the Private Marketplace.
func (b *demoBuilder) organization() error {
	orgs, mgmt := b.app.orgs, rootCaller(b.state.ManagementAccount)
	o, err := orgs.CreateOrganization(b.ctx, mgmt, org.CreateOrganizationInput{FeatureSet: "ALL"})
	if err != nil {
		return err
	}
	b.state.OrganizationId = o.Organization.Id
	roots, err := orgs.ListRoots(b.ctx, mgmt, org.ListRootsInput{})
	if err != nil {
		return err
	}
	b.state.RootId = roots.Roots[0].Id
	_, err = orgs.EnableAWSServiceAccess(b.ctx, mgmt, org.EnableAWSServiceAccessInput{ServicePrincipal: catalog.PrivateMarketplaceServicePrincipal})
	return err
}

// accounts creates the OUs, an account in each, and makes the shared
// services account the Private Marketplace's delegated administrator, so
// that its procurement manager administers the marketplace ("Do not add
// roles such as Private Marketplace administrator in the master account
// unless necessary").
func (b *demoBuilder) accounts() error {
	orgs, mgmt := b.app.orgs, rootCaller(b.state.ManagementAccount)
	for _, name := range demoOUs {
		ou, err := orgs.CreateOrganizationalUnit(b.ctx, mgmt, org.CreateOrganizationalUnitInput{ParentId: b.state.RootId, Name: name})
		if err != nil {
			return err
		}
		b.state.OUs[name] = ou.OrganizationalUnit.Id
		created, err := orgs.CreateAccount(b.ctx, mgmt, org.CreateAccountInput{Email: name + "@anycompany.example", AccountName: name})
		if err != nil {
			return err
		}
		status, err := orgs.DescribeCreateAccountStatus(b.ctx, mgmt, org.DescribeCreateAccountStatusInput{CreateAccountRequestId: created.CreateAccountStatus.Id})
		if err != nil {
			return err
		}
		id := status.CreateAccountStatus.AccountId
		if id == "" {
			return fmt.Errorf("account %s: %s %s", name, status.CreateAccountStatus.State, status.CreateAccountStatus.FailureReason)
		}
		b.state.Accounts[name] = id
		if _, err := orgs.MoveAccount(b.ctx, mgmt, org.MoveAccountInput{AccountId: id, SourceParentId: b.state.RootId, DestinationParentId: ou.OrganizationalUnit.Id}); err != nil {
			return err
		}
	}
	_, err := orgs.RegisterDelegatedAdministrator(b.ctx, mgmt, org.RegisterDelegatedAdministratorInput{
		AccountId: b.state.Accounts["shared-services"], ServicePrincipal: catalog.PrivateMarketplaceServicePrincipal})
	return err
}

// scp creates the seed's SCP and attaches it to every OU, as the seed
// does: "I applied an SCP to all the organizational units".
func (b *demoBuilder) scp() error {
	orgs, mgmt := b.app.orgs, rootCaller(b.state.ManagementAccount)
	p, err := orgs.CreatePolicy(b.ctx, mgmt, org.CreatePolicyInput{Name: "private-marketplace-admin", Type: org.PolicyTypeServiceControlPolicy,
		Description: "Only procurement-manager may administer the Private Marketplace", Content: demoSCP})
	if err != nil {
		return err
	}
	b.state.SCPId = p.Policy.PolicySummary.Id
	for _, name := range demoOUs {
		if _, err := orgs.AttachPolicy(b.ctx, mgmt, org.AttachPolicyInput{PolicyId: b.state.SCPId, TargetId: b.state.OUs[name]}); err != nil {
			return err
		}
	}
	return nil
}

// demoRoles are the seed's roles in the accounts of an organization.
func demoRoles(accounts map[string]string) []demoRole {
	const (
		pmpAdmin   = "arn:aws:iam::aws:policy/AWSPrivateMarketplaceAdminFullAccess"
		admin      = "arn:aws:iam::aws:policy/AdministratorAccess"
		subscriber = "arn:aws:iam::aws:policy/AWSMarketplaceManageSubscriptions"
	)
	return []demoRole{
		{Profile: "procurement-manager", Name: "procurement-manager", Account: accounts["shared-services"], Policies: []string{pmpAdmin}},
		{Profile: "admin", Name: "admin", Account: accounts["shared-services"], Policies: []string{admin}},
		{Profile: "developer-retail", Name: "developer", Account: accounts["retail"], Policies: []string{subscriber}},
		{Profile: "developer-technology", Name: "developer", Account: accounts["technology"], Policies: []string{subscriber}},
	}
}

// roles creates the demo user in the management account and the roles it
// may assume, each trusting that user alone.
func (b *demoBuilder) roles() error {
	identities, mgmt := b.app.iam, rootCaller(b.state.ManagementAccount)
	user, err := identities.CreateUser(b.ctx, mgmt, iam.CreateUserInput{UserName: demoUser})
	if err != nil {
		return err
	}
	b.state.Roles = demoRoles(b.state.Accounts)
	var arns []string
	for _, r := range b.state.Roles {
		arns = append(arns, `"`+r.ARN()+`"`)
	}
	assume := `{"Version":"2012-10-17","Statement":[{"Sid":"AssumeDemoRoles","Effect":"Allow","Action":"sts:AssumeRole","Resource":[` + strings.Join(arns, ",") + `]}]}`
	if _, err := identities.PutUserPolicy(b.ctx, mgmt, iam.PutInlinePolicyInput{UserName: demoUser, PolicyName: "assume-demo-roles", PolicyDocument: assume}); err != nil {
		return err
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + user.User.Arn + `"},"Action":"sts:AssumeRole"}]}`
	for _, r := range b.state.Roles {
		if err := createDemoRole(b.ctx, b.app, r, trust); err != nil {
			return fmt.Errorf("%s: %w", r.ARN(), err)
		}
	}
	return nil
}

// catalog imports the sample catalog as the management account, the
// demo's seller.
func (b *demoBuilder) catalog() error {
	file, err := parseCatalogFile(sampleCatalogName, sampleCatalog)
	if err != nil {
		return err
	}
	var failures []string
	sum, err := importCatalog(b.ctx, b.app.catalog, b.state.ManagementAccount, file, &progressLines{out: io.Discard, errOut: failureList{&failures}})
	if err != nil {
		return err
	}
	if sum.failed > 0 {
		return fmt.Errorf("%d products failed:\n%s", sum.failed, strings.Join(failures, ""))
	}
	b.state.Products = sum.created
	return nil
}

// failureList collects the failure lines of an import.
type failureList struct{ lines *[]string }

func (f failureList) Write(p []byte) (int, error) {
	*f.lines = append(*f.lines, string(p))
	return len(p), nil
}

// marketplace has the shared services account, the delegated
// administrator, create the organization's experience: a procurement
// policy approving demoApproved, AnyCompany's branding, the organization
// root as its audience, enabled.
func (b *demoBuilder) marketplace() error {
	im, err := newCatalogImporter(b.ctx, b.app.catalog, b.state.ManagementAccount)
	if err != nil {
		return err
	}
	var approved []string
	for key, id := range im.products {
		if slices.Contains(demoApproved, key[strings.Index(key, "/")+1:]) {
			approved = append(approved, id)
		}
	}
	slices.Sort(approved)
	b.state.Approved = len(approved)
	exp := "$Experience.Entity.Identifier"
	change := func(changeType string, d map[string]any) catalog.Change {
		return catalog.Change{ChangeType: changeType, Entity: catalog.Entity{Type: "Experience@1.0", Identifier: exp}, DetailsDocument: details(d)}
	}
	changes := []catalog.Change{
		{ChangeType: "CreateExperience", ChangeName: "Experience", Entity: catalog.Entity{Type: "Experience@1.0"},
			DetailsDocument: details(map[string]any{"Name": demoExperienceName, "Description": "Software approved for AnyCompany's accounts"})},
		change("CreateProcurementPolicy", map[string]any{"Name": "AnyCompany approved software", "Configuration": map[string]any{"PolicyResourceRequests": "Allow"}}),
		change("AllowProductProcurement", map[string]any{"Products": []any{map[string]any{"Ids": approved, "Notes": "Approved for the demo"}}}),
		change("CreateBrandingSettings", map[string]any{"Name": "AnyCompany", "Configuration": map[string]any{
			"Title": "AnyCompany software catalog", "ThemeColor": "#232F3E", "LogoUrl": "https://assets.gatehouse.invalid/logos/anycompany.png",
			"Information": "Software approved by AnyCompany's procurement team. Missing something? Request it and procurement will review it.",
		}}),
		change("AssociateAudience", map[string]any{"Name": "AnyCompany", "Principals": []string{b.state.RootId}}),
		change("UpdateExperience", map[string]any{"Status": catalog.ExperienceEnabled}),
	}
	ids, err := runChangeSet(b.ctx, b.app.catalog, rootCaller(b.state.Accounts["shared-services"]), "demo Private Marketplace", changes)
	if err != nil {
		return err
	}
	b.state.ExperienceId = ids[0]
	return nil
}

// createDemoRole creates a role in its account with its managed policies.
func createDemoRole(ctx context.Context, a *app, r demoRole, trust string) error {
	caller := rootCaller(r.Account)
	if _, err := a.iam.CreateRole(ctx, caller, iam.CreateRoleInput{RoleName: r.Name, AssumeRolePolicyDocument: trust, Description: "Gatehouse demo: " + r.Profile}); err != nil {
		return err
	}
	for _, arn := range r.Policies {
		if _, err := a.iam.AttachRolePolicy(ctx, caller, iam.AttachPolicyInput{RoleName: r.Name, PolicyArn: arn}); err != nil {
			return err
		}
	}
	return nil
}
