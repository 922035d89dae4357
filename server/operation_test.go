package server

import (
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"testing"
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

// TestOperationTable enumerates the operation table: every operation is
// one the service's model defines, is declared with an IAM action of its
// service, is read-only exactly when it only reads, and every operation
// the server must serve is declared.
func TestOperationTable(t *testing.T) {
	s := &Server{}
	table := s.operations()
	models := map[string]map[string]bool{
		"organizations": modelOperations(t, "organizations", "2016-11-28"),
		"cloudtrail":    modelOperations(t, "cloudtrail", "2013-11-01"),
		// The Catalog API is the only aws-marketplace API served yet.
		"aws-marketplace": botocoreOperations(t, "marketplace-catalog"),
	}
	var names []string
	for key, op := range table {
		names = append(names, key.service+":"+key.name)
		if _, ok := services[op.Service]; !ok {
			t.Errorf("%s: service %q is not routed", op.Name, op.Service)
		}
		if !models[op.Service][op.Name] {
			t.Errorf("%s:%s is not an operation of the service model", op.Service, op.Name)
		}
		if op.Action != op.Service+":"+op.Name {
			t.Errorf("%s: action %q, want %s:%s", op.Name, op.Action, op.Service, op.Name)
		}
		reads := false
		for _, prefix := range []string{"Describe", "List", "Lookup", "Get", "BatchDescribe"} {
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
	for _, name := range wantOrganizations {
		if _, ok := table[opKey{"organizations", name}]; !ok {
			t.Errorf("organizations:%s is not declared", name)
		}
	}
	if !slices.Contains(names, "cloudtrail:LookupEvents") {
		t.Error("cloudtrail:LookupEvents is not declared")
	}
	for name := range models["aws-marketplace"] {
		if _, ok := table[opKey{"aws-marketplace", name}]; !ok {
			t.Errorf("aws-marketplace:%s of the Catalog model is not declared", name)
		}
		if _, ok := catalogProtocol.routeOf(name); !ok {
			t.Errorf("aws-marketplace:%s has no route", name)
		}
	}
	if want := len(wantOrganizations) + 1 + len(models["aws-marketplace"]); len(names) != want {
		t.Errorf("%d operations declared, want %d: %v", len(names), want, names)
	}
}
