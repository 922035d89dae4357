package iam

import (
	"context"
	"fmt"

	"gatehouse/org"
	"gatehouse/store"
)

var _ org.AccountRoleProvisioner = (*Service)(nil)

// ProvisionAccount implements org.AccountProvisioner: it creates the
// OrganizationAccountAccessRole of a new member account.
func (s *Service) ProvisionAccount(ctx context.Context, tx store.Tx, accountID, managementAccountID string) error {
	return s.ProvisionAccountRole(ctx, tx, accountID, managementAccountID, org.DefaultAccessRoleName)
}

// ProvisionAccountRole implements org.AccountRoleProvisioner: as AWS
// Organizations does for an account it creates, it creates in the account
// the role roleName, which trusts the management account
// (arn:aws:iam::MANAGEMENT:root) and has AdministratorAccess attached.
func (s *Service) ProvisionAccountRole(ctx context.Context, tx store.Tx, accountID, managementAccountID, roleName string) error {
	trust := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}`, managementAccountID)
	r, err := s.createRole(ctx, tx, accountID, CreateRoleInput{RoleName: roleName, AssumeRolePolicyDocument: trust}, "/")
	if err != nil {
		return err
	}
	e := entity{typ: entityRole, name: r.RoleName, id: r.RoleId, arn: r.Arn, path: r.Path}
	return s.attachTo(ctx, tx, accountID, e, AdministratorAccessARN)
}
