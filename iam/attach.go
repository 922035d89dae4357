package iam

import (
	"context"
	"strings"

	"gatehouse/awserr"
	"gatehouse/principal"
	"gatehouse/store"
)

// maxAttachedPolicies is IAM's default quota on the managed policies
// attached to one user, group or role.
const maxAttachedPolicies = 10

// AttachPolicyInput is the input of AttachUserPolicy, AttachGroupPolicy
// and AttachRolePolicy (one of the names set).
type AttachPolicyInput struct {
	UserName  string
	GroupName string
	RoleName  string
	PolicyArn string `query:",required"`
}

// AttachPolicyOutput is the output of the Attach*Policy operations.
type AttachPolicyOutput struct{}

// AttachUserPolicy attaches a managed policy to a user.
func (s *Service) AttachUserPolicy(ctx context.Context, caller *principal.Caller, in AttachPolicyInput) (AttachPolicyOutput, error) {
	return AttachPolicyOutput{}, s.attach(ctx, caller, entityUser, in.UserName, in.PolicyArn)
}

// AttachGroupPolicy attaches a managed policy to a group.
func (s *Service) AttachGroupPolicy(ctx context.Context, caller *principal.Caller, in AttachPolicyInput) (AttachPolicyOutput, error) {
	return AttachPolicyOutput{}, s.attach(ctx, caller, entityGroup, in.GroupName, in.PolicyArn)
}

// AttachRolePolicy attaches a managed policy to a role.
func (s *Service) AttachRolePolicy(ctx context.Context, caller *principal.Caller, in AttachPolicyInput) (AttachPolicyOutput, error) {
	return AttachPolicyOutput{}, s.attach(ctx, caller, entityRole, in.RoleName, in.PolicyArn)
}

// attach attaches a managed policy to an entity; attaching it again
// changes nothing.
func (s *Service) attach(ctx context.Context, caller *principal.Caller, t entityType, name, arn string) error {
	if err := cArn.check("policyArn", arn); err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		e, err := s.entity(ctx, tx, caller.Account, t, name)
		if err != nil {
			return err
		}
		if e.protected {
			return errProtectedRole(e.name)
		}
		return s.attachTo(ctx, tx, caller.Account, e, arn)
	})
}

// attachTo attaches the managed policy arn to e, inside tx.
func (s *Service) attachTo(ctx context.Context, tx store.Tx, account string, e entity, arn string) error {
	mp, err := s.managedPolicy(ctx, tx, account, arn, errNotAttachable)
	if err != nil {
		return err
	}
	if !mp.IsAttachable {
		return awserr.ErrPolicyNotAttachable.New("Cannot attach a Service Role Policy to a Customer Role.")
	}
	id := e.id + "|" + arn
	if _, err := tx.Get(ctx, kindAttach, id); err == nil {
		return nil
	}
	recs, err := tx.List(ctx, store.Query{Kind: kindAttach, Parent: e.id})
	if err != nil {
		return err
	}
	if len(recs) >= maxAttachedPolicies {
		return errQuota("PoliciesPer"+string(e.typ), maxAttachedPolicies)
	}
	rec := attachRec{Account: account, EntityType: string(e.typ), EntityId: e.id, PolicyArn: arn, PolicyName: mp.PolicyName}
	if err := store.Put(ctx, tx, store.Record{Kind: kindAttach, ID: id, Parent: e.id, Name: arn}, &rec); err != nil {
		return err
	}
	return changed(ctx, tx)
}

// DetachPolicyInput is the input of the Detach*Policy operations.
type DetachPolicyInput = AttachPolicyInput

// DetachPolicyOutput is the output of the Detach*Policy operations.
type DetachPolicyOutput struct{}

// DetachUserPolicy detaches a managed policy from a user.
func (s *Service) DetachUserPolicy(ctx context.Context, caller *principal.Caller, in DetachPolicyInput) (DetachPolicyOutput, error) {
	return DetachPolicyOutput{}, s.detach(ctx, caller, entityUser, in.UserName, in.PolicyArn)
}

// DetachGroupPolicy detaches a managed policy from a group.
func (s *Service) DetachGroupPolicy(ctx context.Context, caller *principal.Caller, in DetachPolicyInput) (DetachPolicyOutput, error) {
	return DetachPolicyOutput{}, s.detach(ctx, caller, entityGroup, in.GroupName, in.PolicyArn)
}

// DetachRolePolicy detaches a managed policy from a role.
func (s *Service) DetachRolePolicy(ctx context.Context, caller *principal.Caller, in DetachPolicyInput) (DetachPolicyOutput, error) {
	return DetachPolicyOutput{}, s.detach(ctx, caller, entityRole, in.RoleName, in.PolicyArn)
}

func (s *Service) detach(ctx context.Context, caller *principal.Caller, t entityType, name, arn string) error {
	if err := cArn.check("policyArn", arn); err != nil {
		return err
	}
	return s.update(ctx, func(tx store.Tx) error {
		e, err := s.entity(ctx, tx, caller.Account, t, name)
		if err != nil {
			return err
		}
		if e.protected {
			return errProtectedRole(e.name)
		}
		if err := tx.Delete(ctx, kindAttach, e.id+"|"+arn); err != nil {
			if isNotFound(err) {
				return errNoSuchPolicy(arn)
			}
			return err
		}
		return changed(ctx, tx)
	})
}

// ListAttachedPoliciesInput is the input of the ListAttached*Policies
// operations.
type ListAttachedPoliciesInput struct {
	UserName   string
	GroupName  string
	RoleName   string
	PathPrefix string
	Page
}

// ListAttachedPoliciesOutput is the output of the ListAttached*Policies
// operations.
type ListAttachedPoliciesOutput struct {
	AttachedPolicies []AttachedPolicy
	PageOut
}

// ListAttachedUserPolicies lists the managed policies attached to a user.
func (s *Service) ListAttachedUserPolicies(ctx context.Context, caller *principal.Caller, in ListAttachedPoliciesInput) (ListAttachedPoliciesOutput, error) {
	return s.listAttached(ctx, caller, entityUser, in.UserName, in)
}

// ListAttachedGroupPolicies lists the managed policies attached to a
// group.
func (s *Service) ListAttachedGroupPolicies(ctx context.Context, caller *principal.Caller, in ListAttachedPoliciesInput) (ListAttachedPoliciesOutput, error) {
	return s.listAttached(ctx, caller, entityGroup, in.GroupName, in)
}

// ListAttachedRolePolicies lists the managed policies attached to a role.
func (s *Service) ListAttachedRolePolicies(ctx context.Context, caller *principal.Caller, in ListAttachedPoliciesInput) (ListAttachedPoliciesOutput, error) {
	return s.listAttached(ctx, caller, entityRole, in.RoleName, in)
}

func (s *Service) listAttached(ctx context.Context, caller *principal.Caller, t entityType, name string, in ListAttachedPoliciesInput) (ListAttachedPoliciesOutput, error) {
	if err := cPathPrefix.optional("pathPrefix", in.PathPrefix); err != nil {
		return ListAttachedPoliciesOutput{}, err
	}
	var out ListAttachedPoliciesOutput
	err := s.view(ctx, func(tx store.Tx) error {
		e, err := s.entity(ctx, tx, caller.Account, t, name)
		if err != nil {
			return err
		}
		attached, err := attachedTo(ctx, tx, e.id)
		if err != nil {
			return err
		}
		attached = filterPath(attached, in.PathPrefix, func(a AttachedPolicy) string {
			_, _, p, _, _ := parseARN(a.PolicyArn)
			return p
		})
		out.AttachedPolicies, out.PageOut, err = page(attached, func(a AttachedPolicy) string { return strings.ToLower(a.PolicyName) + "|" + a.PolicyArn }, in.Page)
		return err
	})
	return out, err
}

// attachedTo returns the managed policies attached to an entity.
func attachedTo(ctx context.Context, tx store.Tx, entityID string) ([]AttachedPolicy, error) {
	recs, err := store.List[attachRec](ctx, tx, store.Query{Kind: kindAttach, Parent: entityID})
	if err != nil {
		return nil, err
	}
	out := []AttachedPolicy{}
	for _, r := range recs {
		out = append(out, AttachedPolicy{PolicyName: r.PolicyName, PolicyArn: r.PolicyArn})
	}
	return out, nil
}

// ListEntitiesForPolicyInput is the input of ListEntitiesForPolicy.
type ListEntitiesForPolicyInput struct {
	PolicyArn         string `query:",required"`
	EntityFilter      string // User, Role, Group, LocalManagedPolicy, AWSManagedPolicy
	PathPrefix        string
	PolicyUsageFilter string
	Page
}

// ListEntitiesForPolicyOutput is the output of ListEntitiesForPolicy.
type ListEntitiesForPolicyOutput struct {
	PolicyGroups []PolicyGroup
	PolicyUsers  []PolicyUser
	PolicyRoles  []PolicyRole
	PageOut
}

// ListEntitiesForPolicy lists the users, groups and roles of the account
// a managed policy is attached to.
func (s *Service) ListEntitiesForPolicy(ctx context.Context, caller *principal.Caller, in ListEntitiesForPolicyInput) (ListEntitiesForPolicyOutput, error) {
	if err := cArn.check("policyArn", in.PolicyArn); err != nil {
		return ListEntitiesForPolicyOutput{}, err
	}
	out := ListEntitiesForPolicyOutput{PolicyGroups: []PolicyGroup{}, PolicyUsers: []PolicyUser{}, PolicyRoles: []PolicyRole{}}
	err := s.view(ctx, func(tx store.Tx) error {
		if _, err := s.managedPolicy(ctx, tx, caller.Account, in.PolicyArn, errNoSuchPolicy); err != nil {
			return err
		}
		att, err := attachments(ctx, tx, caller.Account, in.PolicyArn)
		if err != nil {
			return err
		}
		type hit struct {
			typ       entityType
			name, id  string
			path, key string
		}
		var hits []hit
		for _, a := range att {
			if in.EntityFilter != "" && in.EntityFilter != a.EntityType {
				continue
			}
			h, ok, err := s.entityByID(ctx, tx, entityType(a.EntityType), a.EntityId)
			if err != nil {
				return err
			}
			if ok {
				hits = append(hits, hit{h.typ, h.name, h.id, h.path, string(h.typ) + "|" + strings.ToLower(h.name)})
			}
		}
		hits = filterPath(hits, in.PathPrefix, func(h hit) string { return h.path })
		pg, po, err := page(hits, func(h hit) string { return h.key }, in.Page)
		if err != nil {
			return err
		}
		out.PageOut = po
		for _, h := range pg {
			switch h.typ {
			case entityUser:
				out.PolicyUsers = append(out.PolicyUsers, PolicyUser{h.name, h.id})
			case entityGroup:
				out.PolicyGroups = append(out.PolicyGroups, PolicyGroup{h.name, h.id})
			default:
				out.PolicyRoles = append(out.PolicyRoles, PolicyRole{h.name, h.id})
			}
		}
		return nil
	})
	return out, err
}

// entityByID finds a user, group or role by its unique id.
func (s *Service) entityByID(ctx context.Context, tx store.Tx, t entityType, id string) (entity, bool, error) {
	switch t {
	case entityUser:
		u, ok, err := byID[User](ctx, tx, kindUser, id)
		return entity{typ: t, name: u.UserName, id: u.UserId, arn: u.Arn, path: u.Path}, ok, err
	case entityGroup:
		g, ok, err := byID[Group](ctx, tx, kindGroup, id)
		return entity{typ: t, name: g.GroupName, id: g.GroupId, arn: g.Arn, path: g.Path}, ok, err
	}
	r, ok, err := byID[Role](ctx, tx, kindRole, id)
	return entity{typ: t, name: r.RoleName, id: r.RoleId, arn: r.Arn, path: r.Path}, ok, err
}
