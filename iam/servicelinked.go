package iam

import (
	"context"
	"fmt"

	"gatehouse/principal"
	"gatehouse/store"
)

// serviceLinked is a service-linked role AWS services create: its name
// and the AWS managed policy it carries.
type serviceLinked struct {
	role, policy, description string
}

// serviceLinkedRoles are the service-linked roles Gatehouse can create,
// by service principal, as the services' documentation names them.
var serviceLinkedRoles = map[string]serviceLinked{
	"private-marketplace.marketplace.amazonaws.com": {
		role:        "AWSServiceRoleForPrivateMarketplaceAdmin",
		policy:      "arn:aws:iam::aws:policy/aws-service-role/AWSServiceRoleForPrivateMarketplaceAdminPolicy",
		description: "Allows AWS Marketplace to describe and update Private Marketplace resources and describe AWS Organizations",
	},
	"procurement-insights.marketplace.amazonaws.com": {
		role:        "AWSServiceRoleForProcurementInsights",
		policy:      "arn:aws:iam::aws:policy/aws-service-role/AWSServiceRoleForProcurementInsightsPolicy",
		description: "Allows AWS Marketplace to get the account details of the organization for Procurement Insights",
	},
}

// ServiceLinkedRoleARN returns the ARN of the role CreateServiceLinkedRole
// creates in account for the service (with the custom suffix), for
// authorizing the request: arn:aws:iam::ACCOUNT:role/aws-service-role/SERVICE/NAME.
// For a service Gatehouse does not know, the name is "*".
func ServiceLinkedRoleARN(account, service, suffix string) string {
	name := "*"
	if sl, ok := serviceLinkedRoles[service]; ok {
		name = sl.role
		if suffix != "" {
			name += "_" + suffix
		}
	}
	return roleARN(account, serviceRolePath+service+"/", name)
}

// CreateServiceLinkedRoleInput is the input of CreateServiceLinkedRole.
type CreateServiceLinkedRoleInput struct {
	AWSServiceName string `query:",required"`
	Description    string
	CustomSuffix   string
}

// CreateServiceLinkedRoleOutput is the output of CreateServiceLinkedRole.
type CreateServiceLinkedRoleOutput struct{ Role Role }

// CreateServiceLinkedRole creates the service-linked role of a service,
// under the path /aws-service-role/SERVICE/, trusting the service and
// carrying its managed policy. Only AWS may change the role afterwards.
func (s *Service) CreateServiceLinkedRole(ctx context.Context, caller *principal.Caller, in CreateServiceLinkedRoleInput) (CreateServiceLinkedRoleOutput, error) {
	if err := firstErr(cService.check("aWSServiceName", in.AWSServiceName), cRoleDesc.optional("description", in.Description)); err != nil {
		return CreateServiceLinkedRoleOutput{}, err
	}
	sl, ok := serviceLinkedRoles[in.AWSServiceName]
	if !ok {
		return CreateServiceLinkedRoleOutput{}, errInvalid("Service %s is not supported by Gatehouse for service-linked roles.", in.AWSServiceName)
	}
	name := sl.role
	if in.CustomSuffix != "" {
		name += "_" + in.CustomSuffix
	}
	if err := cRoleName.check("roleName", name); err != nil {
		return CreateServiceLinkedRoleOutput{}, err
	}
	desc := in.Description
	if desc == "" {
		desc = sl.description
	}
	trust := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":[%q]},"Action":["sts:AssumeRole"]}]}`, in.AWSServiceName)
	var out CreateServiceLinkedRoleOutput
	err := s.update(ctx, func(tx store.Tx) error {
		if _, ok, err := get[Role](ctx, tx, kindRole, nameKey(caller.Account, name)); err != nil || ok {
			return firstErr(err, errInvalid("Service role name %s has been taken in this account, please try a different suffix.", name))
		}
		path := serviceRolePath + in.AWSServiceName + "/"
		r, err := s.createRole(ctx, tx, caller.Account, CreateRoleInput{RoleName: name, AssumeRolePolicyDocument: trust, Description: desc}, path)
		if err != nil {
			return err
		}
		e := entity{typ: entityRole, name: r.RoleName, id: r.RoleId, arn: r.Arn, path: r.Path}
		if err := s.attachService(ctx, tx, caller.Account, e, sl.policy); err != nil {
			return err
		}
		r.Tags = nil
		out.Role = r
		return nil
	})
	return out, err
}

// attachService attaches a service-role policy to a service-linked role,
// which no one else may attach it to.
func (s *Service) attachService(ctx context.Context, tx store.Tx, account string, e entity, arn string) error {
	p := awsPolicies[arn]
	rec := attachRec{Account: account, EntityType: string(e.typ), EntityId: e.id, PolicyArn: arn, PolicyName: p.PolicyName}
	if err := store.Put(ctx, tx, store.Record{Kind: kindAttach, ID: e.id + "|" + arn, Parent: e.id, Name: arn}, &rec); err != nil {
		return err
	}
	return changed(ctx, tx)
}

// DeleteServiceLinkedRoleInput is the input of DeleteServiceLinkedRole.
type DeleteServiceLinkedRoleInput struct {
	RoleName string `query:",required"`
}

// DeleteServiceLinkedRoleOutput is the output of DeleteServiceLinkedRole.
type DeleteServiceLinkedRoleOutput struct{ DeletionTaskId string }

// DeleteServiceLinkedRole deletes a service-linked role with its policy.
// AWS deletes asynchronously; Gatehouse at once, and the deletion task it
// names has succeeded.
func (s *Service) DeleteServiceLinkedRole(ctx context.Context, caller *principal.Caller, in DeleteServiceLinkedRoleInput) (DeleteServiceLinkedRoleOutput, error) {
	if err := cRoleName.check("roleName", in.RoleName); err != nil {
		return DeleteServiceLinkedRoleOutput{}, err
	}
	var out DeleteServiceLinkedRoleOutput
	err := s.update(ctx, func(tx store.Tx) error {
		r, err := s.role(ctx, tx, caller.Account, in.RoleName)
		if err != nil {
			return err
		}
		if !isServiceRole(r) {
			return errInvalid("Role %s is not a service-linked role.", r.RoleName)
		}
		id, err := s.newID("")
		if err != nil {
			return err
		}
		out.DeletionTaskId = "task" + r.Path + r.RoleName + "/" + id
		return s.deleteRole(ctx, tx, caller.Account, r, false)
	})
	return out, err
}
