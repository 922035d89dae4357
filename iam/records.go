package iam

import (
	"context"
	"errors"
	"strings"
	"time"

	"gatehouse/store"
)

// The record kinds the service stores. Users, groups, roles and customer
// managed policies are keyed by account and lower-case name (IAM names
// are unique in an account whatever their case); what hangs off them is
// keyed by their unique id, which a rename keeps.
const (
	kindUser   = "iam.user"   // id ACCOUNT/lower(name); Parent account; Name UserId
	kindGroup  = "iam.group"  // id ACCOUNT/lower(name); Parent account; Name GroupId
	kindRole   = "iam.role"   // id ACCOUNT/lower(name); Parent account; Name RoleId
	kindPolicy = "iam.policy" // id ACCOUNT/lower(name); Parent account; Name ARN
	kindMember = "iam.member" // id GroupId/UserId; Parent UserId; Name GroupId
	kindAttach = "iam.attach" // id EntityId|ARN; Parent EntityId; Name policy ARN
	kindInline = "iam.inline" // id EntityId|name; Parent EntityId
	kindLogin  = "iam.login"  // id UserId
)

func nameKey(account, name string) string { return account + "/" + strings.ToLower(name) }

// policyRec is a customer managed policy with its versions.
type policyRec struct {
	Policy
	Account     string
	Versions    []PolicyVersion
	NextVersion int
}

// attachRec is a managed policy attached to a user, group or role.
type attachRec struct {
	Account    string
	EntityType string // User, Group or Role
	EntityId   string
	PolicyArn  string
	PolicyName string
}

// inlineRec is an inline policy of a user, group or role.
type inlineRec struct {
	PolicyName     string
	PolicyDocument string
}

// loginRec is a user's login profile; the password is kept only as a
// bcrypt hash.
type loginRec struct {
	UserName              string
	UserId                string
	CreateDate            time.Time
	PasswordHash          []byte
	PasswordResetRequired bool
}

// get reads a record into T; ok is false when there is none.
func get[T any](ctx context.Context, tx store.Tx, kind, id string) (T, bool, error) {
	v, err := store.Get[T](ctx, tx, kind, id)
	if errors.Is(err, store.ErrNotFound) {
		return v, false, nil
	}
	return v, err == nil, err
}

func (s *Service) user(ctx context.Context, tx store.Tx, account, name string) (User, error) {
	u, ok, err := get[User](ctx, tx, kindUser, nameKey(account, name))
	if err == nil && !ok {
		err = errNoSuchUser(name)
	}
	return u, err
}

func (s *Service) group(ctx context.Context, tx store.Tx, account, name string) (Group, error) {
	g, ok, err := get[Group](ctx, tx, kindGroup, nameKey(account, name))
	if err == nil && !ok {
		err = errNoSuchGroup(name)
	}
	return g, err
}

func (s *Service) role(ctx context.Context, tx store.Tx, account, name string) (Role, error) {
	r, ok, err := get[Role](ctx, tx, kindRole, nameKey(account, name))
	if err == nil && !ok {
		err = errNoSuchRole(name)
	}
	return r, err
}

func putUser(ctx context.Context, tx store.Tx, account string, u *User) error {
	return store.Put(ctx, tx, store.Record{Kind: kindUser, ID: nameKey(account, u.UserName), Parent: account, Name: u.UserId}, u)
}

func putGroup(ctx context.Context, tx store.Tx, account string, g *Group) error {
	return store.Put(ctx, tx, store.Record{Kind: kindGroup, ID: nameKey(account, g.GroupName), Parent: account, Name: g.GroupId}, g)
}

// putRole stores a role and bumps the generation: STS caches roles (trust
// policy, maximum session, tags) until the generation moves.
func putRole(ctx context.Context, tx store.Tx, account string, r *Role) error {
	if err := store.Put(ctx, tx, store.Record{Kind: kindRole, ID: nameKey(account, r.RoleName), Parent: account, Name: r.RoleId}, r); err != nil {
		return err
	}
	return changed(ctx, tx)
}

func putPolicy(ctx context.Context, tx store.Tx, p *policyRec) error {
	return store.Put(ctx, tx, store.Record{Kind: kindPolicy, ID: nameKey(p.Account, p.PolicyName), Parent: p.Account, Name: p.Arn}, p)
}

// byID finds the record of kind whose unique id is id.
func byID[T any](ctx context.Context, tx store.Tx, kind, id string) (T, bool, error) {
	var zero T
	vs, err := store.List[T](ctx, tx, store.Query{Kind: kind, Name: id, Limit: 1})
	if err != nil || len(vs) == 0 {
		return zero, false, err
	}
	return vs[0], true, nil
}

// The ARNs of IAM entities.
func userARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":user" + path + name
}
func groupARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":group" + path + name
}
func roleARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":role" + path + name
}
func policyARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":policy" + path + name
}

// UserARN returns the ARN of the user name in account, with its path
// when the user exists ("/" otherwise), for authorizing requests about it.
func (s *Service) UserARN(ctx context.Context, tx store.Tx, account, name string) string {
	if u, ok, err := get[User](ctx, tx, kindUser, nameKey(account, name)); err == nil && ok {
		return u.Arn
	}
	return userARN(account, "/", name)
}

// GroupARN is UserARN for groups.
func (s *Service) GroupARN(ctx context.Context, tx store.Tx, account, name string) string {
	if g, ok, err := get[Group](ctx, tx, kindGroup, nameKey(account, name)); err == nil && ok {
		return g.Arn
	}
	return groupARN(account, "/", name)
}

// RoleARN is UserARN for roles.
func (s *Service) RoleARN(ctx context.Context, tx store.Tx, account, name string) string {
	if r, ok, err := get[Role](ctx, tx, kindRole, nameKey(account, name)); err == nil && ok {
		return r.Arn
	}
	return roleARN(account, "/", name)
}

// parseARN splits an IAM ARN arn:aws:iam::ACCOUNT:TYPE/PATH/NAME into its
// account, resource type, path and name.
func parseARN(arn string) (account, typ, path, name string, ok bool) {
	rest, ok := strings.CutPrefix(arn, "arn:aws:iam::")
	if !ok {
		return "", "", "", "", false
	}
	account, res, ok := strings.Cut(rest, ":")
	if !ok {
		return "", "", "", "", false
	}
	typ, pathName, ok := strings.Cut(res, "/")
	if !ok || pathName == "" {
		return "", "", "", "", false
	}
	i := strings.LastIndex(pathName, "/")
	path, name = "/"+pathName[:i+1], pathName[i+1:]
	if i < 0 {
		path = "/"
	}
	if name == "" {
		return "", "", "", "", false
	}
	return account, typ, path, name, true
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
