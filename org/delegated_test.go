package org

import (
	"context"
	"reflect"
	"testing"
)

const (
	guardDuty = "guardduty.amazonaws.com"
	pmp       = "private-marketplace.marketplace.amazonaws.com"
)

func TestServiceAccess(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	member := newAccount(t, s, "member")
	for _, c := range []struct {
		name       string
		caller     string
		principal  string
		disable    bool
		want       []string
		wantCode   string
		wantReason string
	}{
		{name: "enable", caller: mgmtID, principal: pmp, want: []string{pmp}},
		{name: "enable again", caller: mgmtID, principal: pmp, want: []string{pmp}},
		{name: "enable another", caller: mgmtID, principal: guardDuty, want: []string{guardDuty, pmp}},
		{name: "disable", caller: mgmtID, principal: guardDuty, disable: true, want: []string{pmp}},
		{name: "disable again", caller: mgmtID, principal: guardDuty, disable: true, want: []string{pmp}},
		{name: "not a service principal", caller: mgmtID, principal: "example.com", wantCode: "InvalidInputException", wantReason: "UNRECOGNIZED_SERVICE_PRINCIPAL"},
		{name: "invalid characters", caller: mgmtID, principal: "a b", wantCode: "InvalidInputException", wantReason: "INVALID_PATTERN"},
		{name: "no principal", caller: mgmtID, wantCode: "InvalidInputException", wantReason: "INPUT_REQUIRED"},
		{name: "member account", caller: member, principal: guardDuty, wantCode: "AccessDeniedException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.disable {
				_, err = s.DisableAWSServiceAccess(ctx, rootOf(c.caller), DisableAWSServiceAccessInput{ServicePrincipal: c.principal})
			} else {
				_, err = s.EnableAWSServiceAccess(ctx, rootOf(c.caller), EnableAWSServiceAccessInput{ServicePrincipal: c.principal})
			}
			checkErr(t, err, c.wantCode, c.wantReason)
			if err != nil {
				return
			}
			got := []string{}
			for _, e := range must(s.ListAWSServiceAccessForOrganization(ctx, mgmt, ListAWSServiceAccessForOrganizationInput{}))(t).EnabledServicePrincipals {
				got = append(got, e.ServicePrincipal)
				if e.DateEnabled.IsZero() {
					t.Errorf("no DateEnabled: %+v", e)
				}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("enabled %v, want %v", got, c.want)
			}
		})
	}
	t.Run("consolidated billing", func(t *testing.T) {
		s := newService(t)
		must(s.CreateOrganization(ctx, mgmt, CreateOrganizationInput{FeatureSet: FeatureSetConsolidatedBilling}))(t)
		_, err := s.EnableAWSServiceAccess(ctx, mgmt, EnableAWSServiceAccessInput{ServicePrincipal: pmp})
		wantErr(t, err, "ConstraintViolationException", "ORGANIZATION_NOT_IN_ALL_FEATURES_MODE")
	})
}

func TestDelegatedAdministrators(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	sd := newSeed(t, s)
	admin := sd.sharedAcct
	closed := newAccount(t, s, "closed")
	must(s.CloseAccount(ctx, mgmt, CloseAccountInput{AccountId: closed}))(t)
	must(s.EnableAWSServiceAccess(ctx, mgmt, EnableAWSServiceAccessInput{ServicePrincipal: pmp}))(t)
	must(s.EnableAWSServiceAccess(ctx, mgmt, EnableAWSServiceAccessInput{ServicePrincipal: guardDuty}))(t)

	// Before registration a member may not read the organization.
	_, err := s.ListAccounts(ctx, rootOf(admin), ListAccountsInput{})
	wantErr(t, err, "AccessDeniedException", "")

	for _, c := range []struct {
		name       string
		caller     string
		account    string
		principal  string
		deregister bool
		wantCode   string
		wantReason string
	}{
		{name: "register", caller: mgmtID, account: admin, principal: pmp},
		{name: "register for a second service", caller: mgmtID, account: admin, principal: guardDuty},
		{name: "register again", caller: mgmtID, account: admin, principal: pmp, wantCode: "AccountAlreadyRegisteredException"},
		{name: "management account", caller: mgmtID, account: mgmtID, principal: pmp, wantCode: "ConstraintViolationException", wantReason: "CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR"},
		{name: "service without access", caller: mgmtID, account: sd.retailAcct, principal: "sso.amazonaws.com", wantCode: "ConstraintViolationException", wantReason: "SERVICE_ACCESS_NOT_ENABLED"},
		{name: "suspended account", caller: mgmtID, account: closed, principal: pmp, wantCode: "ConstraintViolationException", wantReason: "CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR"},
		{name: "account not in the organization", caller: mgmtID, account: otherID, principal: pmp, wantCode: "AccountNotFoundException"},
		{name: "delegated administrator registering", caller: admin, account: sd.retailAcct, principal: pmp, wantCode: "AccessDeniedException"},
		{name: "deregister a service it does not have", caller: mgmtID, account: sd.retailAcct, principal: pmp, deregister: true, wantCode: "AccountNotRegisteredException"},
		{name: "deregister from an account not in the organization", caller: mgmtID, account: otherID, principal: pmp, deregister: true, wantCode: "AccountNotFoundException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var err error
			if c.deregister {
				_, err = s.DeregisterDelegatedAdministrator(ctx, rootOf(c.caller), DeregisterDelegatedAdministratorInput{AccountId: c.account, ServicePrincipal: c.principal})
			} else {
				_, err = s.RegisterDelegatedAdministrator(ctx, rootOf(c.caller), RegisterDelegatedAdministratorInput{AccountId: c.account, ServicePrincipal: c.principal})
			}
			checkErr(t, err, c.wantCode, c.wantReason)
		})
	}

	adminCaller := rootOf(admin)
	t.Run("delegated administrator reads", func(t *testing.T) {
		for name, call := range map[string]func() error{
			"ListAccounts": func() error { _, err := s.ListAccounts(ctx, adminCaller, ListAccountsInput{}); return err },
			"DescribeAccount": func() error {
				_, err := s.DescribeAccount(ctx, adminCaller, DescribeAccountInput{AccountId: sd.tech})
				return err
			},
			"ListRoots": func() error { _, err := s.ListRoots(ctx, adminCaller, ListRootsInput{}); return err },
			"ListChildren": func() error {
				_, err := s.ListChildren(ctx, adminCaller, ListChildrenInput{ParentId: sd.root, ChildType: ChildTypeAccount})
				return err
			},
			"ListParents": func() error {
				_, err := s.ListParents(ctx, adminCaller, ListParentsInput{ChildId: sd.tech})
				return err
			},
			"DescribeOU": func() error {
				_, err := s.DescribeOrganizationalUnit(ctx, adminCaller, DescribeOrganizationalUnitInput{OrganizationalUnitId: sd.retailOU})
				return err
			},
			"ListOUs": func() error {
				_, err := s.ListOrganizationalUnitsForParent(ctx, adminCaller, ListOrganizationalUnitsForParentInput{ParentId: sd.root})
				return err
			},
			"ListAccountsFor": func() error {
				_, err := s.ListAccountsForParent(ctx, adminCaller, ListAccountsForParentInput{ParentId: sd.root})
				return err
			},
			"ListPolicies": func() error {
				_, err := s.ListPolicies(ctx, adminCaller, ListPoliciesInput{Filter: PolicyTypeServiceControlPolicy})
				return err
			},
			"DescribePolicy": func() error {
				_, err := s.DescribePolicy(ctx, adminCaller, DescribePolicyInput{PolicyId: sd.scp})
				return err
			},
			"PoliciesFor": func() error {
				_, err := s.ListPoliciesForTarget(ctx, adminCaller, ListPoliciesForTargetInput{TargetId: sd.retailOU, Filter: PolicyTypeServiceControlPolicy})
				return err
			},
			"TargetsFor": func() error {
				_, err := s.ListTargetsForPolicy(ctx, adminCaller, ListTargetsForPolicyInput{PolicyId: sd.scp})
				return err
			},
			"ListTags": func() error {
				_, err := s.ListTagsForResource(ctx, adminCaller, ListTagsForResourceInput{ResourceId: sd.root})
				return err
			},
			"ServiceAccess": func() error {
				_, err := s.ListAWSServiceAccessForOrganization(ctx, adminCaller, ListAWSServiceAccessForOrganizationInput{})
				return err
			},
			"DelegatedAdmins": func() error {
				_, err := s.ListDelegatedAdministrators(ctx, adminCaller, ListDelegatedAdministratorsInput{})
				return err
			},
			"DelegatedFor": func() error {
				_, err := s.ListDelegatedServicesForAccount(ctx, adminCaller, ListDelegatedServicesForAccountInput{AccountId: admin})
				return err
			},
			"CreateStatuses": func() error {
				_, err := s.ListCreateAccountStatus(ctx, adminCaller, ListCreateAccountStatusInput{})
				return err
			},
			"DescribeOrganization": func() error {
				_, err := s.DescribeOrganization(ctx, adminCaller, DescribeOrganizationInput{})
				return err
			},
		} {
			if err := call(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
		for name, call := range map[string]func() error{
			"CreateOrganizationalUnit": func() error {
				_, err := s.CreateOrganizationalUnit(ctx, adminCaller, CreateOrganizationalUnitInput{ParentId: sd.root, Name: "x"})
				return err
			},
			"CreatePolicy": func() error {
				_, err := s.CreatePolicy(ctx, adminCaller, CreatePolicyInput{Name: "x", Type: PolicyTypeServiceControlPolicy, Content: denySCP("s3:*")})
				return err
			},
			"AttachPolicy": func() error {
				_, err := s.AttachPolicy(ctx, adminCaller, AttachPolicyInput{PolicyId: sd.scp, TargetId: sd.root})
				return err
			},
			"TagResource": func() error {
				_, err := s.TagResource(ctx, adminCaller, TagResourceInput{ResourceId: sd.root, Tags: []Tag{{Key: "k", Value: "v"}}})
				return err
			},
			"CreateAccount": func() error {
				_, err := s.CreateAccount(ctx, adminCaller, CreateAccountInput{Email: "x@example.com", AccountName: "x"})
				return err
			},
		} {
			wantErrNamed(t, name, call(), "AccessDeniedException")
		}
	})

	admins := must(s.ListDelegatedAdministrators(ctx, mgmt, ListDelegatedAdministratorsInput{}))(t).DelegatedAdministrators
	if len(admins) != 1 || admins[0].Id != admin || admins[0].Name != "shared-services" || admins[0].DelegationEnabledDate.IsZero() {
		t.Errorf("delegated administrators %+v", admins)
	}
	if got := must(s.ListDelegatedAdministrators(ctx, mgmt, ListDelegatedAdministratorsInput{ServicePrincipal: "sso.amazonaws.com"}))(t).DelegatedAdministrators; len(got) != 0 {
		t.Errorf("delegated administrators for sso: %+v", got)
	}
	services := must(s.ListDelegatedServicesForAccount(ctx, mgmt, ListDelegatedServicesForAccountInput{AccountId: admin}))(t).DelegatedServices
	if len(services) != 2 || services[0].ServicePrincipal != guardDuty || services[1].ServicePrincipal != pmp {
		t.Errorf("delegated services %+v", services)
	}
	_, err = s.ListDelegatedServicesForAccount(ctx, mgmt, ListDelegatedServicesForAccountInput{AccountId: sd.retailAcct})
	wantErr(t, err, "AccountNotRegisteredException", "")
	_, err = s.ListDelegatedServicesForAccount(ctx, mgmt, ListDelegatedServicesForAccountInput{AccountId: otherID})
	wantErr(t, err, "AccountNotFoundException", "")

	// Deregistering the last service ends the delegation.
	must(s.DeregisterDelegatedAdministrator(ctx, mgmt, DeregisterDelegatedAdministratorInput{AccountId: admin, ServicePrincipal: pmp}))(t)
	must(s.ListAccounts(ctx, adminCaller, ListAccountsInput{}))(t)
	must(s.DeregisterDelegatedAdministrator(ctx, mgmt, DeregisterDelegatedAdministratorInput{AccountId: admin, ServicePrincipal: guardDuty}))(t)
	_, err = s.ListAccounts(ctx, adminCaller, ListAccountsInput{})
	wantErr(t, err, "AccessDeniedException", "")
}

// wantErrNamed checks the error code of a named call.
func wantErrNamed(t *testing.T, name string, err error, code string) {
	t.Helper()
	t.Run(name, func(t *testing.T) { wantErr(t, err, code, "") })
}
