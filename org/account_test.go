package org

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"gatehouse/store"
)

// recordingProvisioner records the accounts it provisions and can fail.
type recordingProvisioner struct {
	calls [][2]string
	fail  error
}

func (p *recordingProvisioner) ProvisionAccount(ctx context.Context, tx store.Tx, accountID, managementAccountID string) error {
	if p.fail != nil {
		return p.fail
	}
	// The provisioner runs in the transaction that creates the account.
	if _, err := tx.Get(ctx, kindAccount, accountID); err != nil {
		return err
	}
	p.calls = append(p.calls, [2]string{accountID, managementAccountID})
	return nil
}

// roleProvisioner records the role names it is asked to create.
type roleProvisioner struct {
	recordingProvisioner
	roles []string
}

func (p *roleProvisioner) ProvisionAccountRole(ctx context.Context, tx store.Tx, accountID, managementAccountID, roleName string) error {
	p.roles = append(p.roles, roleName)
	return p.ProvisionAccount(ctx, tx, accountID, managementAccountID)
}

func TestCreateAccountRoleName(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	prov := &roleProvisioner{}
	s.Provisioner = prov
	must(s.CreateAccount(ctx, mgmt, CreateAccountInput{Email: "a@example.com", AccountName: "a"}))(t)
	must(s.CreateAccount(ctx, mgmt, CreateAccountInput{Email: "b@example.com", AccountName: "b", RoleName: "OrgAdmin"}))(t)
	if want := []string{"OrganizationAccountAccessRole", "OrgAdmin"}; !reflect.DeepEqual(prov.roles, want) || len(prov.calls) != 2 {
		t.Errorf("roles %v (calls %v), want %v", prov.roles, prov.calls, want)
	}
}

func TestCreateAccount(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	o := newOrg(t, s)
	root := rootID(t, s)
	prov := &recordingProvisioner{}
	s.Provisioner = prov
	member := newAccount(t, s, "member")
	for _, c := range []struct {
		name       string
		caller     string
		in         CreateAccountInput
		wantState  CreateAccountState
		wantReason CreateAccountFailureReason
		wantCode   string
		wantInput  string
	}{
		{name: "created", caller: mgmtID, in: CreateAccountInput{Email: "dev@example.com", AccountName: "dev", Tags: []Tag{{Key: "team", Value: "dev"}}}, wantState: CreateAccountStateSucceeded},
		{name: "with role name and billing access", caller: mgmtID, in: CreateAccountInput{Email: "ops@example.com", AccountName: "ops", RoleName: "Admin", IamUserAccessToBilling: IAMUserAccessToBillingAllow}, wantState: CreateAccountStateSucceeded},
		{name: "email in use", caller: mgmtID, in: CreateAccountInput{Email: "DEV@example.com", AccountName: "dev again"}, wantState: CreateAccountStateFailed, wantReason: CreateAccountFailureReasonEmailAlreadyExists},
		{name: "email of an account in no organization", caller: mgmtID, in: CreateAccountInput{Email: "other@example.com", AccountName: "x"}, wantState: CreateAccountStateFailed, wantReason: CreateAccountFailureReasonEmailAlreadyExists},
		{name: "invalid email", caller: mgmtID, in: CreateAccountInput{Email: "not-an-email", AccountName: "x"}, wantCode: "InvalidInputException", wantInput: "INVALID_PATTERN"},
		{name: "no email", caller: mgmtID, in: CreateAccountInput{AccountName: "x"}, wantCode: "InvalidInputException", wantInput: "INPUT_REQUIRED"},
		{name: "name too long", caller: mgmtID, in: CreateAccountInput{Email: "x@example.com", AccountName: strings.Repeat("x", 51)}, wantCode: "InvalidInputException", wantInput: "MAX_LENGTH_EXCEEDED"},
		{name: "reserved role name", caller: mgmtID, in: CreateAccountInput{Email: "x@example.com", AccountName: "x", RoleName: "AWSServiceRoleForX"}, wantCode: "InvalidInputException", wantInput: "INVALID_ROLE_NAME"},
		{name: "invalid billing access", caller: mgmtID, in: CreateAccountInput{Email: "x@example.com", AccountName: "x", IamUserAccessToBilling: "MAYBE"}, wantCode: "InvalidInputException", wantInput: "INVALID_ENUM"},
		{name: "system tag", caller: mgmtID, in: CreateAccountInput{Email: "x@example.com", AccountName: "x", Tags: []Tag{{Key: "aws:x", Value: "y"}}}, wantCode: "InvalidInputException", wantInput: "INVALID_SYSTEM_TAGS_PARAMETER"},
		{name: "member account", caller: member, in: CreateAccountInput{Email: "x@example.com", AccountName: "x"}, wantCode: "AccessDeniedException"},
		{name: "account in no organization", caller: otherID, in: CreateAccountInput{Email: "x@example.com", AccountName: "x"}, wantCode: "AWSOrganizationsNotInUseException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			prov.calls = nil
			out, err := s.CreateAccount(ctx, rootOf(c.caller), c.in)
			checkErr(t, err, c.wantCode, c.wantInput)
			if err != nil {
				return
			}
			st := out.CreateAccountStatus
			if !regexp.MustCompile(`^car-[0-9a-z]{32}$`).MatchString(st.Id) || st.State != CreateAccountStateInProgress ||
				st.AccountName != c.in.AccountName || st.RequestedTimestamp.IsZero() || st.AccountId != "" || !st.CompletedTimestamp.IsZero() {
				t.Errorf("CreateAccount status %+v", st)
			}
			done := must(s.DescribeCreateAccountStatus(ctx, mgmt, DescribeCreateAccountStatusInput{CreateAccountRequestId: st.Id}))(t).CreateAccountStatus
			if done.State != c.wantState || done.FailureReason != c.wantReason || done.CompletedTimestamp.IsZero() || !done.RequestedTimestamp.Equal(st.RequestedTimestamp) {
				t.Errorf("completed status %+v", done)
			}
			if c.wantState == CreateAccountStateFailed {
				if done.AccountId != "" || len(prov.calls) != 0 {
					t.Errorf("failed request created %q, provisioned %v", done.AccountId, prov.calls)
				}
				return
			}
			if !regexp.MustCompile(`^\d{12}$`).MatchString(done.AccountId) {
				t.Errorf("account id %q", done.AccountId)
			}
			if want := [][2]string{{done.AccountId, mgmtID}}; !reflect.DeepEqual(prov.calls, want) {
				t.Errorf("provisioned %v, want %v", prov.calls, want)
			}
			acct := must(s.DescribeAccount(ctx, mgmt, DescribeAccountInput{AccountId: done.AccountId}))(t).Account
			want := Account{
				Id: done.AccountId, Arn: "arn:aws:organizations::" + mgmtID + ":account/" + o.Id + "/" + done.AccountId,
				Email: c.in.Email, Name: c.in.AccountName, Status: AccountStatusActive, State: AccountStateActive,
				Paths:        []string{o.Id + "/" + root + "/" + done.AccountId + "/"},
				JoinedMethod: AccountJoinedMethodCreated, JoinedTimestamp: st.RequestedTimestamp,
			}
			if !reflect.DeepEqual(acct, want) {
				t.Errorf("account %+v, want %+v", acct, want)
			}
			pols := must(s.ListPoliciesForTarget(ctx, mgmt, ListPoliciesForTargetInput{TargetId: done.AccountId, Filter: PolicyTypeServiceControlPolicy}))(t).Policies
			if len(pols) != 1 || pols[0].Id != FullAWSAccessPolicyID {
				t.Errorf("SCPs of a new account: %+v", pols)
			}
			tags := must(s.ListTagsForResource(ctx, mgmt, ListTagsForResourceInput{ResourceId: done.AccountId}))(t).Tags
			if !reflect.DeepEqual(tags, append([]Tag{}, c.in.Tags...)) {
				t.Errorf("tags %v, want %v", tags, c.in.Tags)
			}
		})
	}

	t.Run("provisioner failure aborts the creation", func(t *testing.T) {
		prov.fail = errors.New("iam down")
		defer func() { prov.fail = nil }()
		before := must(s.ListAccounts(ctx, mgmt, ListAccountsInput{}))(t).Accounts
		_, err := s.CreateAccount(ctx, mgmt, CreateAccountInput{Email: "new@example.com", AccountName: "new"})
		if err == nil || !errors.Is(err, prov.fail) {
			t.Fatalf("CreateAccount with a failing provisioner: %v", err)
		}
		if after := must(s.ListAccounts(ctx, mgmt, ListAccountsInput{}))(t).Accounts; len(after) != len(before) {
			t.Errorf("accounts %d, want %d", len(after), len(before))
		}
		if sts := must(s.ListCreateAccountStatus(ctx, mgmt, ListCreateAccountStatusInput{}))(t).CreateAccountStatuses; len(sts) != 5 {
			t.Errorf("requests %d, want 5", len(sts))
		}
	})
}

func TestCreateAccountStatus(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	ok1 := must(s.CreateAccount(ctx, mgmt, CreateAccountInput{Email: "a@example.com", AccountName: "a"}))(t).CreateAccountStatus.Id
	failed := must(s.CreateAccount(ctx, mgmt, CreateAccountInput{Email: "a@example.com", AccountName: "a2"}))(t).CreateAccountStatus.Id
	ok2 := must(s.CreateAccount(ctx, mgmt, CreateAccountInput{Email: "b@example.com", AccountName: "b"}))(t).CreateAccountStatus.Id

	for _, c := range []struct {
		name       string
		states     []CreateAccountState
		want       []string
		wantCode   string
		wantReason string
	}{
		{name: "all, oldest first", want: []string{ok1, failed, ok2}},
		{name: "succeeded", states: []CreateAccountState{CreateAccountStateSucceeded}, want: []string{ok1, ok2}},
		{name: "failed", states: []CreateAccountState{CreateAccountStateFailed}, want: []string{failed}},
		{name: "in progress", states: []CreateAccountState{CreateAccountStateInProgress}, want: []string{}},
		{name: "invalid state", states: []CreateAccountState{"DONE"}, wantCode: "InvalidInputException", wantReason: "INVALID_ENUM"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := s.ListCreateAccountStatus(ctx, mgmt, ListCreateAccountStatusInput{States: c.states})
			checkErr(t, err, c.wantCode, c.wantReason)
			if err != nil {
				return
			}
			got := []string{}
			for _, st := range out.CreateAccountStatuses {
				got = append(got, st.Id)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("requests %v, want %v", got, c.want)
			}
		})
	}

	for _, c := range []struct {
		name       string
		id         string
		wantCode   string
		wantReason string
	}{
		{name: "found", id: ok1},
		{name: "not found", id: "car-" + strings.Repeat("0", 32), wantCode: "CreateAccountStatusNotFoundException"},
		{name: "not a request id", id: "request-1", wantCode: "InvalidInputException", wantReason: "INVALID_PATTERN"},
	} {
		t.Run("describe "+c.name, func(t *testing.T) {
			_, err := s.DescribeCreateAccountStatus(ctx, mgmt, DescribeCreateAccountStatusInput{CreateAccountRequestId: c.id})
			checkErr(t, err, c.wantCode, c.wantReason)
		})
	}
}

func TestDescribeAndListAccounts(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	root := rootID(t, s)
	ou := newOU(t, s, root, "retail")
	a := newAccount(t, s, "a")
	b := newAccount(t, s, "b")
	must(s.MoveAccount(ctx, mgmt, MoveAccountInput{AccountId: b, SourceParentId: root, DestinationParentId: ou}))(t)

	for _, c := range []struct {
		name       string
		id         string
		wantCode   string
		wantReason string
	}{
		{name: "member", id: a},
		{name: "management account", id: mgmtID},
		{name: "account in no organization", id: otherID, wantCode: "AccountNotFoundException"},
		{name: "unknown account", id: "123412341234", wantCode: "AccountNotFoundException"},
		{name: "not an account id", id: "12345", wantCode: "InvalidInputException", wantReason: "INVALID_PATTERN"},
	} {
		t.Run("describe "+c.name, func(t *testing.T) {
			out, err := s.DescribeAccount(ctx, mgmt, DescribeAccountInput{AccountId: c.id})
			checkErr(t, err, c.wantCode, c.wantReason)
			if err == nil && out.Account.Id != c.id {
				t.Errorf("account %+v", out.Account)
			}
		})
	}

	ids := func(accts []Account) []string {
		out := []string{}
		for _, a := range accts {
			out = append(out, a.Id)
		}
		return out
	}
	if got, want := ids(must(s.ListAccounts(ctx, mgmt, ListAccountsInput{}))(t).Accounts), []string{mgmtID, a, b}; !reflect.DeepEqual(got, want) {
		t.Errorf("ListAccounts = %v, want %v (in the order they joined)", got, want)
	}
	for _, c := range []struct {
		name     string
		parent   string
		want     []string
		wantCode string
	}{
		{name: "root", parent: root, want: []string{mgmtID, a}},
		{name: "OU", parent: ou, want: []string{b}},
		{name: "parent not found", parent: "r-zzzz", wantCode: "ParentNotFoundException"},
	} {
		t.Run("for parent "+c.name, func(t *testing.T) {
			out, err := s.ListAccountsForParent(ctx, mgmt, ListAccountsForParentInput{ParentId: c.parent})
			checkErr(t, err, c.wantCode, "")
			if err == nil && !reflect.DeepEqual(ids(out.Accounts), c.want) {
				t.Errorf("accounts %v, want %v", ids(out.Accounts), c.want)
			}
		})
	}
}

func TestMoveAccount(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	root := rootID(t, s)
	retail := newOU(t, s, root, "retail")
	tech := newOU(t, s, root, "technology")
	a := newAccount(t, s, "a")
	missing := "ou-" + strings.TrimPrefix(root, "r-") + "-zzzzzzzz"
	for _, c := range []struct {
		name       string
		caller     string
		account    string
		src, dst   string
		wantParent string
		wantCode   string
		wantReason string
	}{
		{name: "root to OU", caller: mgmtID, account: a, src: root, dst: retail, wantParent: retail},
		{name: "OU to OU", caller: mgmtID, account: a, src: retail, dst: tech, wantParent: tech},
		{name: "not in the source", caller: mgmtID, account: a, src: retail, dst: root, wantCode: "AccountNotFoundException"},
		{name: "already in the destination", caller: mgmtID, account: a, src: tech, dst: tech, wantCode: "DuplicateAccountException"},
		{name: "source not found", caller: mgmtID, account: a, src: missing, dst: root, wantCode: "SourceParentNotFoundException"},
		{name: "destination not found", caller: mgmtID, account: a, src: tech, dst: missing, wantCode: "DestinationParentNotFoundException"},
		{name: "account not in the organization", caller: mgmtID, account: otherID, src: root, dst: tech, wantCode: "AccountNotFoundException"},
		{name: "bad destination id", caller: mgmtID, account: a, src: tech, dst: "retail", wantCode: "InvalidInputException", wantReason: "INVALID_PATTERN"},
		{name: "member account", caller: a, account: a, src: tech, dst: root, wantCode: "AccessDeniedException"},
		{name: "OU to root", caller: mgmtID, account: a, src: tech, dst: root, wantParent: root},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.MoveAccount(ctx, rootOf(c.caller), MoveAccountInput{AccountId: c.account, SourceParentId: c.src, DestinationParentId: c.dst})
			checkErr(t, err, c.wantCode, c.wantReason)
			if err != nil {
				return
			}
			parents := must(s.ListParents(ctx, mgmt, ListParentsInput{ChildId: c.account}))(t).Parents
			if parents[0].Id != c.wantParent {
				t.Errorf("parent %s, want %s", parents[0].Id, c.wantParent)
			}
		})
	}
}

func TestRemoveAccountFromOrganization(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	a := newAccount(t, s, "a")
	admin := newAccount(t, s, "admin")
	must(s.EnableAWSServiceAccess(ctx, mgmt, EnableAWSServiceAccessInput{ServicePrincipal: "guardduty.amazonaws.com"}))(t)
	must(s.RegisterDelegatedAdministrator(ctx, mgmt, RegisterDelegatedAdministratorInput{AccountId: admin, ServicePrincipal: "guardduty.amazonaws.com"}))(t)
	must(s.TagResource(ctx, mgmt, TagResourceInput{ResourceId: a, Tags: []Tag{{Key: "k", Value: "v"}}}))(t)
	for _, c := range []struct {
		name       string
		caller     string
		account    string
		wantCode   string
		wantReason string
	}{
		{name: "member account calling", caller: a, account: a, wantCode: "AccessDeniedException"},
		{name: "management account", caller: mgmtID, account: mgmtID, wantCode: "MasterCannotLeaveOrganizationException"},
		{name: "delegated administrator", caller: mgmtID, account: admin, wantCode: "ConstraintViolationException", wantReason: "CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG"},
		{name: "account in no organization", caller: mgmtID, account: otherID, wantCode: "AccountNotFoundException"},
		{name: "member", caller: mgmtID, account: a},
		{name: "removed already", caller: mgmtID, account: a, wantCode: "AccountNotFoundException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.RemoveAccountFromOrganization(ctx, rootOf(c.caller), RemoveAccountFromOrganizationInput{AccountId: c.account})
			checkErr(t, err, c.wantCode, c.wantReason)
		})
	}
	_, err := s.DescribeOrganization(ctx, rootOf(a), DescribeOrganizationInput{})
	wantErr(t, err, "AWSOrganizationsNotInUseException", "")
	if got := levelIDs(t, s, a, PolicyTypeServiceControlPolicy); got != nil {
		t.Errorf("SCP levels of a removed account: %v", got)
	}
	err = s.Store.View(ctx, func(tx store.Tx) error {
		acct, ok, err := s.LookupAccount(ctx, tx, a)
		if err != nil || !ok || acct.Arn != "" || acct.Email != "a@example.com" || acct.JoinedMethod != "" {
			t.Errorf("LookupAccount of a removed account = %+v %v %v", acct, ok, err)
		}
		if _, ok, _ := get[tagsRec](ctx, tx, kindTags, a); ok {
			t.Errorf("a removed account keeps its tags")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCloseAccount(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	newOrg(t, s)
	a := newAccount(t, s, "a")
	for _, c := range []struct {
		name       string
		caller     string
		account    string
		wantCode   string
		wantReason string
	}{
		{name: "member account calling", caller: a, account: a, wantCode: "AccessDeniedException"},
		{name: "management account", caller: mgmtID, account: mgmtID, wantCode: "ConstraintViolationException", wantReason: "CANNOT_CLOSE_MANAGEMENT_ACCOUNT"},
		{name: "account in no organization", caller: mgmtID, account: otherID, wantCode: "AccountNotFoundException"},
		{name: "member", caller: mgmtID, account: a},
		{name: "closed already", caller: mgmtID, account: a, wantCode: "AccountAlreadyClosedException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.CloseAccount(ctx, rootOf(c.caller), CloseAccountInput{AccountId: c.account})
			checkErr(t, err, c.wantCode, c.wantReason)
		})
	}
	acct := must(s.DescribeAccount(ctx, mgmt, DescribeAccountInput{AccountId: a}))(t).Account
	if acct.Status != AccountStatusSuspended || acct.State != AccountStateSuspended {
		t.Errorf("closed account %+v", acct)
	}
}

func TestEnsureManagementAccount(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name      string
		id        string
		email     string
		acName    string
		wantErr   bool
		wantFirst bool // an account was registered before: its id comes back
	}{
		{name: "first start", id: "222222222222", email: "management@222222222222.gatehouse.invalid", acName: "management"},
		{name: "later start with another id", id: "333333333333", email: "x@example.com", acName: "x", wantFirst: true},
		{name: "bad id", id: "1", email: "x@example.com", acName: "X", wantErr: true},
		{name: "bad email", id: "444444444444", email: "x", acName: "X", wantErr: true},
		{name: "no name", id: "444444444444", email: "x@example.com", wantErr: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := newService(t) // registers mgmtID
			if !c.wantFirst {
				// A store without a management account.
				err := s.Store.Update(ctx, func(tx store.Tx) error { return tx.Delete(ctx, kindMeta, metaManagement) })
				if err != nil {
					t.Fatal(err)
				}
			}
			id, err := s.EnsureManagementAccount(ctx, c.id, c.email, c.acName)
			if (err != nil) != c.wantErr {
				t.Fatalf("EnsureManagementAccount: %v", err)
			}
			if err != nil {
				return
			}
			want := c.id
			if c.wantFirst {
				want = mgmtID
			}
			if id != want {
				t.Errorf("EnsureManagementAccount = %q, want %q", id, want)
			}
			err = s.Store.View(ctx, func(tx store.Tx) error {
				a, ok, err := s.LookupAccount(ctx, tx, want)
				if err != nil || !ok || a.Status != AccountStatusActive || a.Arn != "" {
					t.Errorf("LookupAccount(%s) = %+v %v %v", want, a, ok, err)
				}
				if _, ok, _ := s.LookupAccount(ctx, tx, "333333333333"); ok {
					t.Errorf("a second management account was registered")
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// The registered account can create an organization.
			must(s.CreateOrganization(ctx, rootOf(want), CreateOrganizationInput{}))(t)
		})
	}
}
