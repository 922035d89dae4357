package policy

import "strings"

// grant is how directly a resource-based policy statement names the
// caller, which decides what else must allow a same-account request.
type grant uint8

const (
	grantNone    grant = iota
	grantAccount       // the caller's account: its identity-based policies must allow
	grantRole          // the caller's role: still limited by boundary and session policies
	grantDirect        // the caller itself (user, role session, federated user, service, or "*")
)

// principalSet is a compiled Principal or NotPrincipal element.
type principalSet struct {
	any      bool
	accounts []string // account IDs
	arns     []string // user, role, role-session and federated-user ARNs
	services []string
	others   []string // Federated and CanonicalUser values
}

func compilePrincipal(p *Principal) *principalSet {
	ps := &principalSet{any: p.Wildcard}
	for _, v := range p.AWS {
		switch {
		case v == "*":
			ps.any = true
		case isAccountID(v):
			ps.accounts = append(ps.accounts, v)
		default:
			if acct, ok := rootAccount(v); ok {
				ps.accounts = append(ps.accounts, acct)
			} else {
				ps.arns = append(ps.arns, v)
			}
		}
	}
	ps.services = append(ps.services, p.Service...)
	ps.others = append(append(ps.others, p.Federated...), p.CanonicalUser...)
	for _, v := range ps.services {
		if v == "*" {
			ps.any = true
		}
	}
	return ps
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// rootAccount returns the account of an account root ARN such as
// arn:aws:iam::111122223333:root.
func rootAccount(arn string) (string, bool) {
	a, ok := splitARN(arn)
	if !ok || a.service != "iam" || a.resource != "root" || !isAccountID(a.account) {
		return "", false
	}
	return a.account, true
}

// arnParts are the colon-separated parts of an ARN; resource is everything
// after the fifth colon.
type arnParts struct {
	partition, service, region, account, resource string
}

func splitARN(s string) (arnParts, bool) {
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return arnParts{}, false
	}
	var f [4]string
	for i := range f {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return arnParts{}, false
		}
		f[i], rest = rest[:j], rest[j+1:]
	}
	return arnParts{f[0], f[1], f[2], f[3], rest}, true
}

// callerKind is the kind of principal that makes a request.
type callerKind uint8

const (
	callerOther     callerKind = iota
	callerRoot                 // an account root user
	callerUser                 // an IAM user
	callerRole                 // an IAM role, named by its role ARN
	callerSession              // an assumed-role session
	callerFederated            // a federated user session (GetFederationToken)
	callerService              // a service principal such as ec2.amazonaws.com
)

// caller is what evaluation knows of the principal that makes a request.
type caller struct {
	kind    callerKind
	arn     string
	account string
	roleARN string // aws:PrincipalArn for a role session, when the context has it
	// roleName and rolePartition describe the session's role when the
	// context lacks aws:PrincipalArn.
	roleName, rolePartition string
}

func newCaller(r *Request) caller {
	c := caller{arn: r.Principal, account: r.PrincipalAccount}
	a, ok := splitARN(r.Principal)
	if !ok {
		if strings.HasSuffix(r.Principal, ".amazonaws.com") || strings.HasSuffix(r.Principal, ".amazonaws.com.cn") {
			c.kind = callerService
		}
		return c
	}
	if c.account == "" {
		c.account = a.account
	}
	switch {
	case a.service == "iam" && a.resource == "root":
		c.kind = callerRoot
	case a.service == "iam" && strings.HasPrefix(a.resource, "user/"):
		c.kind = callerUser
	case a.service == "iam" && strings.HasPrefix(a.resource, "role/"):
		c.kind = callerRole
	case a.service == "sts" && strings.HasPrefix(a.resource, "assumed-role/"):
		c.kind = callerSession
		role, _, _ := strings.Cut(strings.TrimPrefix(a.resource, "assumed-role/"), "/")
		c.roleName, c.rolePartition = role, a.partition
	case a.service == "sts" && strings.HasPrefix(a.resource, "federated-user/"):
		c.kind = callerFederated
	}
	if c.kind == callerSession {
		if v, ok := r.Context.single("aws:principalarn"); ok {
			c.roleARN = v
		}
	}
	return c
}

// match reports how directly the principal set names the caller.
func (ps *principalSet) match(c *caller) grant {
	if ps.any {
		return grantDirect
	}
	best := grantNone
	for _, arn := range ps.arns {
		if g := c.matchARN(arn); g > best {
			best = g
		}
	}
	if best == grantDirect {
		return best
	}
	if c.kind == callerService || c.kind == callerOther {
		for _, v := range ps.services {
			if v == c.arn {
				return grantDirect
			}
		}
		for _, v := range ps.others {
			if v == c.arn {
				return grantDirect
			}
		}
	}
	if best == grantNone && c.account != "" {
		for _, a := range ps.accounts {
			if a == c.account {
				return grantAccount
			}
		}
	}
	return best
}

// matchARN reports how an AWS principal ARN from a policy names the caller.
func (c *caller) matchARN(arn string) grant {
	if arn == c.arn {
		if c.kind == callerRole {
			return grantRole
		}
		return grantDirect
	}
	if c.kind != callerSession {
		return grantNone
	}
	if c.roleARN != "" {
		if arn == c.roleARN {
			return grantRole
		}
		return grantNone
	}
	// Without aws:PrincipalArn, the role ARN is known up to its path.
	a, ok := splitARN(arn)
	if ok && a.service == "iam" && a.account == c.account && a.partition == c.rolePartition &&
		strings.HasPrefix(a.resource, "role/") && a.resource[strings.LastIndexByte(a.resource, '/')+1:] == c.roleName {
		return grantRole
	}
	return grantNone
}
