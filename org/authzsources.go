package org

import (
	"context"

	"gatehouse/authz"
	"gatehouse/store"
)

// The Service is the authz.Organizations of the policy pipeline.
var _ authz.Organizations = (*Service)(nil)

// OrganizationPolicies is PolicyLevels in authz's types, for
// authz.Organizations.
func (s *Service) OrganizationPolicies(ctx context.Context, tx store.Tx, account, typ string) ([][]authz.Document, error) {
	levels, err := s.PolicyLevels(ctx, tx, account, typ)
	if err != nil || levels == nil {
		return nil, err
	}
	out := make([][]authz.Document, len(levels))
	for i, l := range levels {
		out[i] = make([]authz.Document, len(l))
		for j, d := range l {
			out[i][j] = authz.Document{ID: d.Id, Content: d.Content}
		}
	}
	return out, nil
}

// Organization is AccountContext, for authz.Organizations.
func (s *Service) Organization(ctx context.Context, tx store.Tx, account string) (orgID string, paths []string, management string, err error) {
	return s.AccountContext(ctx, tx, account)
}
