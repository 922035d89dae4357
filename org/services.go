package org

import (
	"context"

	"gatehouse/principal"
	"gatehouse/store"
)

// EnableAWSServiceAccessInput is the input of EnableAWSServiceAccess.
type EnableAWSServiceAccessInput struct {
	// ServicePrincipal names the service, such as
	// private-marketplace.marketplace.amazonaws.com.
	ServicePrincipal string
}

// EnableAWSServiceAccessOutput is the output of EnableAWSServiceAccess.
type EnableAWSServiceAccessOutput struct{}

// EnableAWSServiceAccess gives a service trusted access to the
// organization; enabling it again changes nothing. The organization must
// have all features (ConstraintViolationException
// ORGANIZATION_NOT_IN_ALL_FEATURES_MODE). Management account only.
func (s *Service) EnableAWSServiceAccess(ctx context.Context, caller *principal.Caller, in EnableAWSServiceAccessInput) (EnableAWSServiceAccessOutput, error) {
	var out EnableAWSServiceAccessOutput
	if err := checkServicePrincipal(in.ServicePrincipal); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		if ss.org.FeatureSet != FeatureSetAll {
			return errConstraint(reasonNotAllFeatures)
		}
		id := serviceID(ss.org.Id, in.ServicePrincipal)
		if _, ok, err := get[serviceRec](ctx, tx, kindService, id); err != nil || ok {
			return err
		}
		r := serviceRec{OrgId: ss.org.Id, ServicePrincipal: in.ServicePrincipal, DateEnabled: s.now()}
		return store.Put(ctx, tx, store.Record{Kind: kindService, ID: id, Parent: ss.org.Id, Name: in.ServicePrincipal}, &r)
	})
	return out, err
}

// DisableAWSServiceAccessInput is the input of DisableAWSServiceAccess.
type DisableAWSServiceAccessInput struct {
	ServicePrincipal string
}

// DisableAWSServiceAccessOutput is the output of DisableAWSServiceAccess.
type DisableAWSServiceAccessOutput struct{}

// DisableAWSServiceAccess withdraws a service's trusted access; a service
// without access is no error. Delegated administrators registered for the
// service stay registered. Management account only.
func (s *Service) DisableAWSServiceAccess(ctx context.Context, caller *principal.Caller, in DisableAWSServiceAccessInput) (DisableAWSServiceAccessOutput, error) {
	var out DisableAWSServiceAccessOutput
	if err := checkServicePrincipal(in.ServicePrincipal); err != nil {
		return out, err
	}
	err := s.update(ctx, func(tx store.Tx) error {
		ss, err := s.management(ctx, tx, caller)
		if err != nil {
			return err
		}
		return del(ctx, tx, kindService, serviceID(ss.org.Id, in.ServicePrincipal))
	})
	return out, err
}

// ListAWSServiceAccessForOrganizationInput is the input of
// ListAWSServiceAccessForOrganization.
type ListAWSServiceAccessForOrganizationInput struct {
	NextToken  string
	MaxResults *int32
}

// ListAWSServiceAccessForOrganizationOutput is the output of
// ListAWSServiceAccessForOrganization.
type ListAWSServiceAccessForOrganizationOutput struct {
	EnabledServicePrincipals []EnabledServicePrincipal
	NextToken                string
}

// ListAWSServiceAccessForOrganization lists the services with trusted
// access, by service principal. Management account or delegated
// administrator.
func (s *Service) ListAWSServiceAccessForOrganization(ctx context.Context, caller *principal.Caller, in ListAWSServiceAccessForOrganizationInput) (ListAWSServiceAccessForOrganizationOutput, error) {
	var out ListAWSServiceAccessForOrganizationOutput
	err := s.view(ctx, func(tx store.Tx) error {
		ss, err := s.reader(ctx, tx, caller)
		if err != nil {
			return err
		}
		recs, err := store.List[serviceRec](ctx, tx, store.Query{Kind: kindService, Parent: ss.org.Id})
		if err != nil {
			return err
		}
		list := make([]EnabledServicePrincipal, 0, len(recs))
		for _, r := range recs {
			list = append(list, EnabledServicePrincipal{ServicePrincipal: r.ServicePrincipal, DateEnabled: r.DateEnabled})
		}
		out.EnabledServicePrincipals, out.NextToken, err = page(list, func(e EnabledServicePrincipal) string { return e.ServicePrincipal }, "ListAWSServiceAccessForOrganization", in.NextToken, in.MaxResults)
		return err
	})
	return out, err
}
