package org

import (
	"context"

	"gatehouse/principal"
	"gatehouse/store"
)

// RegisterDelegatedAdministratorInput is the input of
// RegisterDelegatedAdministrator.
type RegisterDelegatedAdministratorInput struct {
	AccountId        string
	ServicePrincipal string
}

// RegisterDelegatedAdministratorOutput is the output of
// RegisterDelegatedAdministrator.
type RegisterDelegatedAdministratorOutput struct{}

// RegisterDelegatedAdministrator makes a member account a delegated
// administrator for a service, which lets it call the organization's
// read-only operations. The service must have trusted access
// (ConstraintViolationException SERVICE_ACCESS_NOT_ENABLED); the account
// may not be the management account
// (CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR) or suspended, nor
// registered for the service already (AccountAlreadyRegisteredException).
// Management account only.
func (s *Service) RegisterDelegatedAdministrator(ctx context.Context, caller *principal.Caller, in RegisterDelegatedAdministratorInput) (RegisterDelegatedAdministratorOutput, error) {
	var out RegisterDelegatedAdministratorOutput
	if err := checkID(in.AccountId, reAccountID); err != nil {
		return out, err
	}
	if err := checkServicePrincipal(in.ServicePrincipal); err != nil {
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
			return errConstraint(reasonRegisterMaster)
		}
		if _, ok, err := get[serviceRec](ctx, tx, kindService, serviceID(ss.org.Id, in.ServicePrincipal)); err != nil || !ok {
			return orNotFound(err, func() error { return errConstraint(reasonServiceAccess) })
		}
		if a.Status != AccountStatusActive {
			return errConstraint(reasonRegisterSuspended)
		}
		id := delegatedID(ss.org.Id, a.Id, in.ServicePrincipal)
		if _, ok, err := get[delegatedRec](ctx, tx, kindDelegated, id); err != nil || ok {
			return orNotFound(err, errAccountAlreadyRegistered)
		}
		r := delegatedRec{OrgId: ss.org.Id, AccountId: a.Id, ServicePrincipal: in.ServicePrincipal, DelegationEnabledDate: s.now()}
		return store.Put(ctx, tx, store.Record{Kind: kindDelegated, ID: id, Parent: ss.org.Id, Name: a.Id}, &r)
	})
	return out, err
}

// DeregisterDelegatedAdministratorInput is the input of
// DeregisterDelegatedAdministrator.
type DeregisterDelegatedAdministratorInput struct {
	AccountId        string
	ServicePrincipal string
}

// DeregisterDelegatedAdministratorOutput is the output of
// DeregisterDelegatedAdministrator.
type DeregisterDelegatedAdministratorOutput struct{}

// DeregisterDelegatedAdministrator ends an account's delegation for a
// service (AccountNotRegisteredException when it has none). Management
// account only.
func (s *Service) DeregisterDelegatedAdministrator(ctx context.Context, caller *principal.Caller, in DeregisterDelegatedAdministratorInput) (DeregisterDelegatedAdministratorOutput, error) {
	var out DeregisterDelegatedAdministratorOutput
	if err := checkID(in.AccountId, reAccountID); err != nil {
		return out, err
	}
	if err := checkServicePrincipal(in.ServicePrincipal); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		if _, err := ss.account(ctx, in.AccountId); err != nil {
			return err
		}
		id := delegatedID(ss.org.Id, in.AccountId, in.ServicePrincipal)
		if _, ok, err := get[delegatedRec](ctx, tx, kindDelegated, id); err != nil || !ok {
			return orNotFound(err, errAccountNotRegistered)
		}
		return del(ctx, tx, kindDelegated, id)
	})
	return out, err
}

// ListDelegatedAdministratorsInput is the input of
// ListDelegatedAdministrators.
type ListDelegatedAdministratorsInput struct {
	// ServicePrincipal, when set, lists only the service's delegated
	// administrators.
	ServicePrincipal string
	NextToken        string
	MaxResults       *int32
}

// ListDelegatedAdministratorsOutput is the output of
// ListDelegatedAdministrators.
type ListDelegatedAdministratorsOutput struct {
	DelegatedAdministrators []DelegatedAdministrator
	NextToken               string
}

// ListDelegatedAdministrators lists the delegated administrators, by
// account id. DelegationEnabledDate is the account's earliest delegation
// among those listed. Management account or delegated administrator.
func (s *Service) ListDelegatedAdministrators(ctx context.Context, caller *principal.Caller, in ListDelegatedAdministratorsInput) (ListDelegatedAdministratorsOutput, error) {
	var out ListDelegatedAdministratorsOutput
	if in.ServicePrincipal != "" {
		if err := checkServicePrincipal(in.ServicePrincipal); err != nil {
			return out, err
		}
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		recs, err := store.List[delegatedRec](ctx, tx, store.Query{Kind: kindDelegated, Parent: ss.org.Id})
		if err != nil {
			return err
		}
		byAccount := map[string]*DelegatedAdministrator{}
		var admins []*DelegatedAdministrator
		for _, r := range recs {
			if in.ServicePrincipal != "" && r.ServicePrincipal != in.ServicePrincipal {
				continue
			}
			if d := byAccount[r.AccountId]; d != nil {
				if r.DelegationEnabledDate.Before(d.DelegationEnabledDate) {
					d.DelegationEnabledDate = r.DelegationEnabledDate
				}
				continue
			}
			a, ok, err := ss.findAccount(ctx, r.AccountId)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			d := &DelegatedAdministrator{
				Id: a.Id, Arn: accountARN(ss.org.MasterAccountId, ss.org.Id, a.Id), Email: a.Email, Name: a.Name,
				Status: a.Status, State: a.State, JoinedMethod: a.JoinedMethod, JoinedTimestamp: a.JoinedTimestamp,
				DelegationEnabledDate: r.DelegationEnabledDate,
			}
			byAccount[a.Id] = d
			admins = append(admins, d)
		}
		list := make([]DelegatedAdministrator, 0, len(admins))
		for _, d := range admins {
			list = append(list, *d)
		}
		out.DelegatedAdministrators, out.NextToken, err = page(list, func(d DelegatedAdministrator) string { return d.Id }, "ListDelegatedAdministrators\x00"+in.ServicePrincipal, in.NextToken, in.MaxResults)
		return err
	})
	return out, err
}

// ListDelegatedServicesForAccountInput is the input of
// ListDelegatedServicesForAccount.
type ListDelegatedServicesForAccountInput struct {
	AccountId  string
	NextToken  string
	MaxResults *int32
}

// ListDelegatedServicesForAccountOutput is the output of
// ListDelegatedServicesForAccount.
type ListDelegatedServicesForAccountOutput struct {
	DelegatedServices []DelegatedService
	NextToken         string
}

// ListDelegatedServicesForAccount lists the services an account is a
// delegated administrator for, by service principal
// (AccountNotRegisteredException when there are none). Management
// account or delegated administrator.
func (s *Service) ListDelegatedServicesForAccount(ctx context.Context, caller *principal.Caller, in ListDelegatedServicesForAccountInput) (ListDelegatedServicesForAccountOutput, error) {
	var out ListDelegatedServicesForAccountOutput
	if err := checkID(in.AccountId, reAccountID); err != nil {
		return out, err
	}
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		if _, err := ss.account(ctx, in.AccountId); err != nil {
			return err
		}
		recs, err := store.List[delegatedRec](ctx, tx, store.Query{Kind: kindDelegated, Parent: ss.org.Id, Name: in.AccountId})
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return errAccountNotRegistered()
		}
		list := make([]DelegatedService, 0, len(recs))
		for _, r := range recs {
			list = append(list, DelegatedService{ServicePrincipal: r.ServicePrincipal, DelegationEnabledDate: r.DelegationEnabledDate})
		}
		out.DelegatedServices, out.NextToken, err = page(list, func(d DelegatedService) string { return d.ServicePrincipal }, "ListDelegatedServicesForAccount\x00"+in.AccountId, in.NextToken, in.MaxResults)
		return err
	})
	return out, err
}

// IsDelegatedAdministrator reports whether an account is a delegated
// administrator of its organization for a service principal. It runs in
// the caller's transaction and checks no permission: it is for the
// services that let delegated administrators act, such as the Private
// Marketplace.
func (s *Service) IsDelegatedAdministrator(ctx context.Context, tx store.Tx, account, servicePrincipal string) (bool, error) {
	a, ok, err := get[accountRec](ctx, tx, kindAccount, account)
	if err != nil || !ok || a.OrgId == "" {
		return false, err
	}
	_, ok, err = get[delegatedRec](ctx, tx, kindDelegated, delegatedID(a.OrgId, account, servicePrincipal))
	return ok, err
}
