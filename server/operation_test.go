package server

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"

	"gatehouse/agreement"
	"gatehouse/approval"
	"gatehouse/catalog"
	"gatehouse/deployment"
	"gatehouse/discovery"
	"gatehouse/iam"
	"gatehouse/procurement"
	"gatehouse/simulator"
	"gatehouse/sts"
)

// modelOperations reads the operation names of a botocore service model
// as Debian's awscli installs it (.ci/deps installs the package).
func modelOperations(t *testing.T, service, version string) map[string]bool {
	t.Helper()
	path := "/usr/lib/python3/dist-packages/awscli/botocore/data/" + service + "/" + version + "/service-2.json"
	data, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the botocore model of %s is missing (install awscli): %v", service, err)
		}
		t.Skipf("the botocore model of %s is missing (install awscli with 'make test-deps'): %v", service, err)
	}
	var model struct {
		Operations map[string]json.RawMessage `json:"operations"`
	}
	if err := json.Unmarshal(data, &model); err != nil {
		t.Fatal(err)
	}
	ops := map[string]bool{}
	for name := range model.Operations {
		ops[name] = true
	}
	return ops
}

// botocoreOperations reads the operation names of a service from the
// installed botocore (1.43 has the newer models Debian's awscli lacks,
// such as the Catalog API's resource policies).
func botocoreOperations(t *testing.T, service string) map[string]bool {
	t.Helper()
	out, err := exec.Command("python3", "-c", "import json, sys, botocore.session as s; json.dump(s.get_session().get_service_model(sys.argv[1]).operation_names, sys.stdout)", service).Output()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("botocore is not available (python3 -c 'import botocore'): %v", err)
		}
		t.Skipf("botocore is not available (python3 -c 'import botocore'): %v", err)
	}
	var names []string
	if err := json.Unmarshal(out, &names); err != nil {
		t.Fatal(err)
	}
	ops := map[string]bool{}
	for _, n := range names {
		ops[n] = true
	}
	return ops
}

// The Organizations operations Gatehouse serves, as the server issue
// lists them.
var wantOrganizations = strings.Fields(`
	CreateOrganization DescribeOrganization DeleteOrganization ListRoots
	CreateOrganizationalUnit DescribeOrganizationalUnit UpdateOrganizationalUnit DeleteOrganizationalUnit
	ListOrganizationalUnitsForParent ListChildren ListParents
	CreateAccount DescribeCreateAccountStatus ListCreateAccountStatus DescribeAccount ListAccounts
	ListAccountsForParent MoveAccount RemoveAccountFromOrganization CloseAccount
	EnablePolicyType DisablePolicyType CreatePolicy UpdatePolicy DeletePolicy DescribePolicy ListPolicies
	AttachPolicy DetachPolicy ListPoliciesForTarget ListTargetsForPolicy
	EnableAWSServiceAccess DisableAWSServiceAccess ListAWSServiceAccessForOrganization
	RegisterDelegatedAdministrator DeregisterDelegatedAdministrator ListDelegatedAdministrators
	ListDelegatedServicesForAccount TagResource UntagResource ListTagsForResource`)

// The Marketplace Agreement operations Gatehouse serves, as issue 5 lists
// them: buying, not the seller's payment, cancellation-request and
// billing-adjustment workflows.
var wantAgreement = strings.Fields(`CreateAgreementRequest AcceptAgreementRequest SearchAgreements
	DescribeAgreement GetAgreementTerms GetAgreementEntitlements CancelAgreement`)

// The Invoicing operations Gatehouse serves, as issue 6 lists them: the
// procurement-portal preferences, not invoice units or summaries.
var wantInvoicing = strings.Fields(`CreateProcurementPortalPreference GetProcurementPortalPreference
	ListProcurementPortalPreferences PutProcurementPortalPreference
	UpdateProcurementPortalPreferenceStatus DeleteProcurementPortalPreference`)

// The operations of Gatehouse's own Deployment API.
var wantDeployment = strings.Fields(`CreateDeployment ListDeployments DeleteDeployment`)

// The operations of Gatehouse's own purchase approval API, with their
// IAM actions: declining needs the permission to approve (issue 6), and
// justifying is the requester's gatehouse:UpdatePurchaseRequest.
var wantApproval = map[string]string{
	"GetApprovalSettings": "gatehouse:GetApprovalSettings", "PutApprovalSettings": "gatehouse:PutApprovalSettings",
	"ListPurchaseRequests": "gatehouse:ListPurchaseRequests", "ApprovePurchaseRequest": "gatehouse:ApprovePurchaseRequest",
	"DeclinePurchaseRequest": "gatehouse:ApprovePurchaseRequest", "CancelPurchaseRequest": "gatehouse:CancelPurchaseRequest",
	"UpdatePurchaseRequestJustification": "gatehouse:UpdatePurchaseRequest",
}

// The STS operations Gatehouse serves, as issue 4 lists them.
var wantSTS = strings.Fields(`GetCallerIdentity AssumeRole GetSessionToken GetAccessKeyInfo`)

// skipsAuthorization lists the only operations that may skip
// authorization, with AWS's word for it (STS API reference):
// GetCallerIdentity "No permissions are required to perform this
// operation"; GetSessionToken "No permissions are required for users to
// perform this operation".
var skipsAuthorization = map[string]bool{"sts:GetCallerIdentity": true, "sts:GetSessionToken": true}

// TestOperationTable enumerates the operation table: every operation is
// one the service's model defines, is declared with an IAM action of its
// service, is read-only exactly when it only reads, and every operation
// the server must serve is declared.
func TestOperationTable(t *testing.T) {
	s := fullServer()
	table := s.operations()
	models := map[string]map[string]bool{
		"organizations":   modelOperations(t, "organizations", "2016-11-28"),
		"cloudtrail":      modelOperations(t, "cloudtrail", "2013-11-01"),
		"sts":             modelOperations(t, "sts", "2011-06-15"),
		"iam":             modelOperations(t, "iam", "2010-05-08"),
		"aws-marketplace": botocoreOperations(t, "marketplace-catalog"),
		"invoicing":       botocoreOperations(t, "invoicing"),
	}
	catalogOps := len(models["aws-marketplace"])
	agreementModel := botocoreOperations(t, "marketplace-agreement")
	for _, name := range wantAgreement {
		if !agreementModel[name] {
			t.Errorf("%s is not an operation of the marketplace-agreement model", name)
		}
		models["aws-marketplace"][name] = true
	}
	for _, name := range wantDeployment {
		models["aws-marketplace"][name] = true
	}
	for name := range wantApproval {
		models["aws-marketplace"][name] = true
	}
	discoveryOps := botocoreOperations(t, "marketplace-discovery")
	maps.Copy(models["aws-marketplace"], discoveryOps)
	var names []string
	for key, op := range table {
		names = append(names, key.service+":"+key.name)
		if _, ok := services[op.Service]; !ok {
			t.Errorf("%s: service %q is not routed", op.Name, op.Service)
		}
		if !models[op.Service][op.Name] {
			t.Errorf("%s:%s is not an operation of the service model", op.Service, op.Name)
		}
		if action, ok := wantApproval[op.Name]; ok {
			if op.Action != action {
				t.Errorf("%s: action %q, want %s", op.Name, op.Action, action)
			}
		} else if slices.Contains(wantDeployment, op.Name) {
			// Gatehouse's own API: its actions have Gatehouse's prefix.
			if op.Action != "gatehouse:"+op.Name {
				t.Errorf("%s: action %q, want gatehouse:%s", op.Name, op.Action, op.Name)
			}
		} else if op.Action != op.Service+":"+op.Name {
			t.Errorf("%s: action %q, want %s:%s", op.Name, op.Action, op.Service, op.Name)
		}
		reads := op.Service == "sts" || // STS issues self-contained credentials: it writes nothing
			strings.HasPrefix(op.Name, "Simulate")
		for _, prefix := range []string{"Describe", "List", "Lookup", "Get", "BatchDescribe", "Search"} {
			reads = reads || strings.HasPrefix(op.Name, prefix)
		}
		if op.ReadOnly != reads {
			t.Errorf("%s: ReadOnly = %v, want %v", op.Name, op.ReadOnly, reads)
		}
		if op.newInput == nil || op.call == nil {
			t.Errorf("%s: no input or handler", op.Name)
		}
	}
	sort.Strings(names)
	for _, name := range wantInvoicing {
		o, ok := table[opKey{"invoicing", name}]
		if !ok {
			t.Errorf("invoicing:%s is not declared", name)
			continue
		}
		want := actionDescribeProcurementSystem
		if !o.ReadOnly {
			want = actionPutProcurementSystem
		}
		if !slices.Equal(o.Dependent, []string{want}) {
			t.Errorf("invoicing:%s: dependent actions %v, want [%s]", name, o.Dependent, want)
		}
	}
	for _, name := range wantOrganizations {
		if _, ok := table[opKey{"organizations", name}]; !ok {
			t.Errorf("organizations:%s is not declared", name)
		}
	}
	if !slices.Contains(names, "cloudtrail:LookupEvents") {
		t.Error("cloudtrail:LookupEvents is not declared")
	}
	for service, want := range map[string][]string{"sts": wantSTS, "iam": append(wantIAM, wantSimulator...)} {
		for _, name := range want {
			if _, ok := table[opKey{service, name}]; !ok {
				t.Errorf("%s:%s is not declared", service, name)
			}
		}
	}
	for name := range models["aws-marketplace"] {
		if _, ok := table[opKey{"aws-marketplace", name}]; !ok {
			t.Errorf("aws-marketplace:%s is not declared", name)
		}
		if _, ok := wantApproval[name]; ok || slices.Contains(wantAgreement, name) || slices.Contains(wantDeployment, name) {
			continue
		}
		routes := catalogProtocol
		if discoveryOps[name] {
			routes = discoveryAPI.restJSONProtocol
		}
		if _, ok := routes.routeOf(name); !ok {
			t.Errorf("aws-marketplace:%s has no route", name)
		}
	}
	if want := len(wantOrganizations) + 1 + len(wantSTS) + len(wantIAM) + len(wantSimulator) + catalogOps + len(wantAgreement) + len(wantDeployment) + len(discoveryOps) + len(wantInvoicing) + len(wantApproval); len(names) != want {
		t.Errorf("%d operations declared, want %d: %v", len(names), want, names)
	}
	if n := len((&Server{}).iamOperations()); n != 0 {
		t.Errorf("a server without an IAM service declares %d IAM operations", n)
	}
}

// fullServer is a server with every optional service, for tests of the
// operation table.
func fullServer() *Server {
	return &Server{deps: Deps{STS: &sts.Service{}, IAM: &iam.Service{}, Simulator: &simulator.Simulator{}, Catalog: &catalog.Service{},
		Agreements: &agreement.Service{}, Deployments: &deployment.Service{}, Discovery: &discovery.Service{}, Procurement: &procurement.Service{}, Approvals: &approval.Service{}}}
}

// The IAM policy simulator's operations, as the IAM issue lists them.
var wantSimulator = strings.Fields(`SimulateCustomPolicy SimulatePrincipalPolicy GetContextKeysForCustomPolicy GetContextKeysForPrincipalPolicy`)

// TestOnlyDeclaredOperationsSkipAuthorization: an operation runs without
// authorization only when the table says so explicitly, and only the
// operations AWS documents as needing no permission do.
func TestOnlyDeclaredOperationsSkipAuthorization(t *testing.T) {
	s := fullServer()
	for key, op := range s.operations() {
		name := key.service + ":" + key.name
		if op.SkipAuthorization != skipsAuthorization[name] {
			t.Errorf("%s: SkipAuthorization = %v, want %v", name, op.SkipAuthorization, skipsAuthorization[name])
		}
	}
	if o := op("sts", "X", "sts:X", func(context.Context, *Call, *struct{}) (*struct{}, error) { return nil, nil }); o.SkipAuthorization {
		t.Error("a new operation skips authorization by default")
	}
}

// The IAM operations Gatehouse serves, as the IAM issue lists them.
var wantIAM = strings.Fields(`
	CreateUser GetUser UpdateUser DeleteUser ListUsers TagUser UntagUser ListUserTags
	CreateGroup GetGroup UpdateGroup DeleteGroup ListGroups AddUserToGroup RemoveUserFromGroup ListGroupsForUser
	CreateRole GetRole UpdateRole UpdateRoleDescription UpdateAssumeRolePolicy DeleteRole ListRoles
	TagRole UntagRole ListRoleTags CreateServiceLinkedRole DeleteServiceLinkedRole
	CreatePolicy GetPolicy DeletePolicy ListPolicies CreatePolicyVersion GetPolicyVersion ListPolicyVersions
	DeletePolicyVersion SetDefaultPolicyVersion TagPolicy UntagPolicy ListPolicyTags ListEntitiesForPolicy
	AttachUserPolicy AttachGroupPolicy AttachRolePolicy DetachUserPolicy DetachGroupPolicy DetachRolePolicy
	ListAttachedUserPolicies ListAttachedGroupPolicies ListAttachedRolePolicies
	PutUserPolicy PutGroupPolicy PutRolePolicy GetUserPolicy GetGroupPolicy GetRolePolicy
	DeleteUserPolicy DeleteGroupPolicy DeleteRolePolicy ListUserPolicies ListGroupPolicies ListRolePolicies
	PutUserPermissionsBoundary PutRolePermissionsBoundary DeleteUserPermissionsBoundary DeleteRolePermissionsBoundary
	CreateAccessKey UpdateAccessKey DeleteAccessKey ListAccessKeys GetAccessKeyLastUsed
	CreateLoginProfile GetLoginProfile UpdateLoginProfile DeleteLoginProfile
	GetAccountAuthorizationDetails GetAccountSummary`)
