package org

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gatehouse/principal"
	"gatehouse/store"
)

// CreateAccountInput is the input of CreateAccount.
type CreateAccountInput struct {
	Email       string
	AccountName string
	// RoleName is the name of the role that gives the management account
	// access to the new account (DefaultAccessRoleName when empty). The
	// Provisioner creates the role; only an AccountRoleProvisioner is told
	// its name.
	RoleName               string
	IamUserAccessToBilling IAMUserAccessToBilling
	Tags                   []Tag
}

// CreateAccountOutput is the output of CreateAccount.
type CreateAccountOutput struct {
	CreateAccountStatus CreateAccountStatus
}

// CreateAccount creates an account in the organization's root. As in
// AWS the answer is a request in state IN_PROGRESS; Gatehouse completes
// the request in the same transaction, so DescribeCreateAccountStatus
// then reports SUCCEEDED with the new account's id, or FAILED with
// EMAIL_ALREADY_EXISTS when an account of the registry has the email
// address. The new account gets the AWS managed policy of every enabled
// policy type, and the Provisioner runs for it. Management account only.
func (s *Service) CreateAccount(ctx context.Context, caller *principal.Caller, in CreateAccountInput) (CreateAccountOutput, error) {
	var out CreateAccountOutput
	if err := checkString(in.Email, 6, 64, reEmail); err != nil {
		return out, err
	}
	if err := checkString(in.AccountName, 1, 50, reAccountName); err != nil {
		return out, err
	}
	if in.RoleName != "" {
		if err := checkOptional(in.RoleName, 1, 64, reRoleName); err != nil {
			return out, err
		}
		if strings.HasPrefix(in.RoleName, "AWSServiceRoleFor") {
			return out, errInput(reasonRoleName)
		}
	}
	switch in.IamUserAccessToBilling {
	case "", IAMUserAccessToBillingAllow, IAMUserAccessToBillingDeny:
	default:
		return out, errInput(reasonEnum)
	}
	if err := checkTags(in.Tags); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		carID, err := s.newCreateAccountRequestID()
		if err != nil {
			return err
		}
		now := s.now()
		st := CreateAccountStatus{Id: carID, AccountName: in.AccountName, RequestedTimestamp: now, CompletedTimestamp: now}
		taken, err := emailTaken(ctx, tx, in.Email)
		if err != nil {
			return err
		}
		if taken {
			st.State, st.FailureReason = CreateAccountStateFailed, CreateAccountFailureReasonEmailAlreadyExists
		} else {
			id, err := s.createAccount(ctx, ss, in, now)
			if err != nil {
				return err
			}
			st.State, st.AccountId = CreateAccountStateSucceeded, id
		}
		rec := createStatusRec{OrgId: ss.org.Id, Status: st}
		if err := store.Put(ctx, tx, store.Record{Kind: kindCreateStatus, ID: carID, Parent: ss.org.Id}, &rec); err != nil {
			return err
		}
		out.CreateAccountStatus = CreateAccountStatus{Id: carID, AccountName: in.AccountName, State: CreateAccountStateInProgress, RequestedTimestamp: now}
		return nil
	})
	return out, err
}

// createAccount creates the account of a CreateAccount request and
// returns its id.
func (s *Service) createAccount(ctx context.Context, ss *session, in CreateAccountInput, now time.Time) (string, error) {
	tx := ss.tx
	var id string
	for {
		var err error
		if id, err = s.newAccountID(); err != nil {
			return "", err
		}
		_, exists, err := get[accountRec](ctx, tx, kindAccount, id)
		if err != nil {
			return "", err
		}
		if !exists {
			break
		}
	}
	a := accountRec{
		Id: id, Email: in.Email, Name: in.AccountName,
		Status: AccountStatusActive, State: AccountStateActive,
		OrgId: ss.org.Id, ParentId: ss.root.Id,
		JoinedMethod: AccountJoinedMethodCreated, JoinedTimestamp: now,
	}
	if err := putAccount(ctx, tx, &a); err != nil {
		return "", err
	}
	if err := attachDefaults(ctx, ss, id); err != nil {
		return "", err
	}
	if err := addTags(ctx, tx, ss.org.Id, id, in.Tags); err != nil {
		return "", err
	}
	if err := s.provision(ctx, tx, id, ss.org.MasterAccountId, in.RoleName); err != nil {
		return "", fmt.Errorf("org: provision account %s: %w", id, err)
	}
	return id, changed(ctx, tx)
}

// provision runs the Provisioner, if any, for a new account.
func (s *Service) provision(ctx context.Context, tx store.Tx, accountID, mgmt, roleName string) error {
	switch p := s.Provisioner.(type) {
	case nil:
		return nil
	case AccountRoleProvisioner:
		if roleName == "" {
			roleName = DefaultAccessRoleName
		}
		return p.ProvisionAccountRole(ctx, tx, accountID, mgmt, roleName)
	default:
		return p.ProvisionAccount(ctx, tx, accountID, mgmt)
	}
}

// DescribeCreateAccountStatusInput is the input of
// DescribeCreateAccountStatus.
type DescribeCreateAccountStatusInput struct {
	CreateAccountRequestId string
}

// DescribeCreateAccountStatusOutput is the output of
// DescribeCreateAccountStatus.
type DescribeCreateAccountStatusOutput struct {
	CreateAccountStatus CreateAccountStatus
}

// DescribeCreateAccountStatus describes a CreateAccount request of the
// organization. Management account or delegated administrator.
func (s *Service) DescribeCreateAccountStatus(ctx context.Context, caller *principal.Caller, in DescribeCreateAccountStatusInput) (DescribeCreateAccountStatusOutput, error) {
	var out DescribeCreateAccountStatusOutput
	if err := checkID(in.CreateAccountRequestId, reCARID); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		r, ok, err := get[createStatusRec](ctx, tx, kindCreateStatus, in.CreateAccountRequestId)
		if err != nil {
			return err
		}
		if !ok || r.OrgId != ss.org.Id {
			return errCreateAccountStatusNotFound()
		}
		out.CreateAccountStatus = r.Status
		return nil
	})
	return out, err
}

// ListCreateAccountStatusInput is the input of ListCreateAccountStatus.
type ListCreateAccountStatusInput struct {
	// States filters the requests by state; empty means all.
	States     []CreateAccountState
	NextToken  string
	MaxResults *int32
}

// ListCreateAccountStatusOutput is the output of ListCreateAccountStatus.
type ListCreateAccountStatusOutput struct {
	CreateAccountStatuses []CreateAccountStatus
	NextToken             string
}

// ListCreateAccountStatus lists the organization's CreateAccount
// requests, oldest first. Management account or delegated administrator.
func (s *Service) ListCreateAccountStatus(ctx context.Context, caller *principal.Caller, in ListCreateAccountStatusInput) (ListCreateAccountStatusOutput, error) {
	var out ListCreateAccountStatusOutput
	want := map[CreateAccountState]bool{}
	for _, st := range in.States {
		switch st {
		case CreateAccountStateInProgress, CreateAccountStateSucceeded, CreateAccountStateFailed:
			want[st] = true
		default:
			return out, errInput(reasonEnum)
		}
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		recs, err := store.List[createStatusRec](ctx, tx, store.Query{Kind: kindCreateStatus, Parent: ss.org.Id})
		if err != nil {
			return err
		}
		var sts []CreateAccountStatus
		filter := ""
		for _, r := range recs {
			if len(want) == 0 || want[r.Status.State] {
				sts = append(sts, r.Status)
			}
		}
		for _, st := range []CreateAccountState{CreateAccountStateInProgress, CreateAccountStateSucceeded, CreateAccountStateFailed} {
			if want[st] {
				filter += "\x00" + string(st)
			}
		}
		out.CreateAccountStatuses, out.NextToken, err = page(sts, func(c CreateAccountStatus) string { return timeKey(c.RequestedTimestamp, c.Id) }, "ListCreateAccountStatus"+filter, in.NextToken, in.MaxResults)
		return err
	})
	return out, err
}

// timeKey is a sort key ordering by time, then id.
func timeKey(t time.Time, id string) string {
	return fmt.Sprintf("%020d/%s", t.UnixNano(), id)
}

// DescribeAccountInput is the input of DescribeAccount.
type DescribeAccountInput struct {
	AccountId string
}

// DescribeAccountOutput is the output of DescribeAccount.
type DescribeAccountOutput struct {
	Account Account
}

// DescribeAccount describes an account of the organization. Management
// account or delegated administrator.
func (s *Service) DescribeAccount(ctx context.Context, caller *principal.Caller, in DescribeAccountInput) (DescribeAccountOutput, error) {
	var out DescribeAccountOutput
	if err := checkID(in.AccountId, reAccountID); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		a, ok, err := ss.findAccount(ctx, in.AccountId)
		if err != nil {
			return err
		}
		if !ok {
			return errAccountNotFound()
		}
		out.Account, err = ss.accountView(ctx, a)
		return err
	})
	return out, err
}

// ListAccountsInput is the input of ListAccounts.
type ListAccountsInput struct {
	NextToken  string
	MaxResults *int32
}

// ListAccountsOutput is the output of ListAccounts.
type ListAccountsOutput struct {
	Accounts  []Account
	NextToken string
}

// ListAccounts lists the organization's accounts in the order they
// joined. Management account or delegated administrator.
func (s *Service) ListAccounts(ctx context.Context, caller *principal.Caller, in ListAccountsInput) (ListAccountsOutput, error) {
	var out ListAccountsOutput
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		accts, err := accountsOf(ctx, tx, ss.org.Id)
		if err != nil {
			return err
		}
		out.Accounts, out.NextToken, err = ss.accountPage(ctx, accts, "ListAccounts", in.NextToken, in.MaxResults)
		return err
	})
	return out, err
}

// accountPage returns a page of accounts in the order they joined.
func (ss *session) accountPage(ctx context.Context, accts []accountRec, query, token string, maxResults *int32) ([]Account, string, error) {
	accts, next, err := page(accts, func(a accountRec) string { return timeKey(a.JoinedTimestamp, a.Id) }, query, token, maxResults)
	if err != nil {
		return nil, "", err
	}
	out := make([]Account, 0, len(accts))
	for _, a := range accts {
		v, err := ss.accountView(ctx, a)
		if err != nil {
			return nil, "", err
		}
		out = append(out, v)
	}
	return out, next, nil
}

// ListAccountsForParentInput is the input of ListAccountsForParent.
type ListAccountsForParentInput struct {
	ParentId   string
	NextToken  string
	MaxResults *int32
}

// ListAccountsForParentOutput is the output of ListAccountsForParent.
type ListAccountsForParentOutput struct {
	Accounts  []Account
	NextToken string
}

// ListAccountsForParent lists the accounts directly in a root or OU, in
// the order they joined. Management account or delegated administrator.
func (s *Service) ListAccountsForParent(ctx context.Context, caller *principal.Caller, in ListAccountsForParentInput) (ListAccountsForParentOutput, error) {
	var out ListAccountsForParentOutput
	if err := checkParentID(in.ParentId); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		if _, found, err := ss.findParent(ctx, in.ParentId); err != nil || !found {
			return orNotFound(err, errParentNotFound)
		}
		accts, err := store.List[accountRec](ctx, tx, store.Query{Kind: kindAccount, Parent: in.ParentId})
		if err != nil {
			return err
		}
		out.Accounts, out.NextToken, err = ss.accountPage(ctx, accts, "ListAccountsForParent\x00"+in.ParentId, in.NextToken, in.MaxResults)
		return err
	})
	return out, err
}

// MoveAccountInput is the input of MoveAccount.
type MoveAccountInput struct {
	AccountId           string
	SourceParentId      string
	DestinationParentId string
}

// MoveAccountOutput is the output of MoveAccount.
type MoveAccountOutput struct{}

// MoveAccount moves an account from the root or OU that contains it to
// another. An account that is not in SourceParentId is
// AccountNotFoundException; moving it to where it is,
// DuplicateAccountException. Management account only.
func (s *Service) MoveAccount(ctx context.Context, caller *principal.Caller, in MoveAccountInput) (MoveAccountOutput, error) {
	var out MoveAccountOutput
	if err := checkID(in.AccountId, reAccountID); err != nil {
		return out, err
	}
	if err := checkParentID(in.SourceParentId); err != nil {
		return out, err
	}
	if err := checkParentID(in.DestinationParentId); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		a, err := ss.account(ctx, in.AccountId)
		if err != nil {
			return err
		}
		if _, found, err := ss.findParent(ctx, in.SourceParentId); err != nil || !found {
			return orNotFound(err, errSourceParentNotFound)
		}
		if _, found, err := ss.findParent(ctx, in.DestinationParentId); err != nil || !found {
			return orNotFound(err, errDestinationParentNotFound)
		}
		if a.ParentId != in.SourceParentId {
			return errAccountNotFound()
		}
		if in.DestinationParentId == a.ParentId {
			return errDuplicateAccount()
		}
		a.ParentId = in.DestinationParentId
		if err := putAccount(ctx, tx, &a); err != nil {
			return err
		}
		return changed(ctx, tx)
	})
	return out, err
}

// RemoveAccountFromOrganizationInput is the input of
// RemoveAccountFromOrganization.
type RemoveAccountFromOrganizationInput struct {
	AccountId string
}

// RemoveAccountFromOrganizationOutput is the output of
// RemoveAccountFromOrganization.
type RemoveAccountFromOrganizationOutput struct{}

// RemoveAccountFromOrganization makes a member account a standalone
// account: its policy attachments and tags go, and it stays in the
// account registry. The management account cannot be removed
// (MasterCannotLeaveOrganizationException), nor a delegated
// administrator (ConstraintViolationException
// CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG). Management account
// only.
func (s *Service) RemoveAccountFromOrganization(ctx context.Context, caller *principal.Caller, in RemoveAccountFromOrganizationInput) (RemoveAccountFromOrganizationOutput, error) {
	var out RemoveAccountFromOrganizationOutput
	if err := checkID(in.AccountId, reAccountID); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		a, err := ss.account(ctx, in.AccountId)
		if err != nil {
			return err
		}
		if a.Id == ss.org.MasterAccountId {
			return errMasterCannotLeave()
		}
		recs, err := tx.List(ctx, store.Query{Kind: kindDelegated, Parent: ss.org.Id, Name: a.Id, Limit: 1})
		if err != nil {
			return err
		}
		if len(recs) > 0 {
			return errConstraint(reasonRemoveDelegatedAdmin)
		}
		if err := detachAll(ctx, tx, a.Id); err != nil {
			return err
		}
		if err := del(ctx, tx, kindTags, a.Id); err != nil {
			return err
		}
		a.OrgId, a.ParentId, a.JoinedMethod, a.JoinedTimestamp = "", "", "", time.Time{}
		if err := putAccount(ctx, tx, &a); err != nil {
			return err
		}
		return changed(ctx, tx)
	})
	return out, err
}

// CloseAccountInput is the input of CloseAccount.
type CloseAccountInput struct {
	AccountId string
}

// CloseAccountOutput is the output of CloseAccount.
type CloseAccountOutput struct{}

// CloseAccount closes a member account. AWS reports PENDING_CLOSURE
// until the account is closed and SUSPENDED for the 90 days after;
// Gatehouse closes at once, so the account's Status and State become
// SUSPENDED. The account stays in the organization. Closing the
// management account is ConstraintViolationException
// CANNOT_CLOSE_MANAGEMENT_ACCOUNT; closing a closed account,
// AccountAlreadyClosedException. Management account only.
func (s *Service) CloseAccount(ctx context.Context, caller *principal.Caller, in CloseAccountInput) (CloseAccountOutput, error) {
	var out CloseAccountOutput
	if err := checkID(in.AccountId, reAccountID); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		a, err := ss.account(ctx, in.AccountId)
		if err != nil {
			return err
		}
		if a.Id == ss.org.MasterAccountId {
			return errConstraint(reasonCloseManagement)
		}
		if a.Status != AccountStatusActive {
			return errAccountAlreadyClosed()
		}
		a.Status, a.State = AccountStatusSuspended, AccountStateSuspended
		if err := putAccount(ctx, tx, &a); err != nil {
			return err
		}
		return changed(ctx, tx)
	})
	return out, err
}
