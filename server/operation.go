package server

import (
	"context"
	"net/http"
	"time"

	"gatehouse/authz"
	"gatehouse/principal"
)

// opKey names an operation by its SigV4 signing name and API name.
type opKey struct{ service, name string }

// Operation declares one API operation: the IAM action it is authorized
// as, how to find the resource and condition keys of a request, any
// dependent actions, and the function that runs it. Every operation the
// server answers is declared in the table built by operations; a request
// for anything else is refused.
type Operation struct {
	// Service is the SigV4 signing name, such as "organizations".
	Service string
	// Name is the API operation name, such as "CreateAccount".
	Name string
	// Action is the IAM action, such as "organizations:CreateAccount".
	Action string
	// ReadOnly marks operations that change nothing; they run in a read
	// transaction and their audit events are written in batches.
	ReadOnly bool
	// Dependent lists further actions the caller must be allowed, on the
	// same resource.
	Dependent []string
	// SkipAuthorization marks the rare operation that needs no permission
	// at all (sts:GetCallerIdentity): it is not authorized, so even an
	// explicit deny does not stop it. Only withoutAuthorization sets it,
	// and the table test lists the operations allowed to.
	SkipAuthorization bool

	newInput func() any
	// target returns what the action is authorized on; nil means "*"
	// with no service condition keys.
	target func(ctx context.Context, c *Call, in any) (target, error)
	// call runs the operation.
	call func(ctx context.Context, c *Call, in any) (any, error)
	// audit returns the request parameters recorded for the event; nil
	// means the input itself (with secrets removed).
	audit func(in any) any
}

// Call is what an operation knows of its request.
type Call struct {
	Caller    *principal.Caller
	RequestID string
	Region    string
	Time      time.Time
	SourceIP  string
	UserAgent string
	Secure    bool
	HTTP      *http.Request
}

// op declares an operation whose input and output are In and Out.
func op[In, Out any](service, name, action string, call func(context.Context, *Call, *In) (*Out, error)) *Operation {
	return &Operation{
		Service:  service,
		Name:     name,
		Action:   action,
		newInput: func() any { return new(In) },
		call: func(ctx context.Context, c *Call, in any) (any, error) {
			return call(ctx, c, in.(*In))
		},
	}
}

// readOnly marks the operation read-only.
func (o *Operation) readOnly() *Operation { o.ReadOnly = true; return o }

// withoutAuthorization marks an operation that AWS documents as needing
// no permission; see Operation.SkipAuthorization.
func (o *Operation) withoutAuthorization() *Operation { o.SkipAuthorization = true; return o }

// target is what one request is authorized on.
type target struct {
	// ARNs are the resources; the action must be allowed on each. None
	// means "*".
	ARNs []string
	// Account owns the resources; "" means the caller's account.
	Account string
	// Keys are the operation's service condition keys, such as
	// organizations:PolicyType.
	Keys map[string][]string
	// Also lists further actions this request needs besides the
	// operation's own (sts:TagSession for an AssumeRole with tags).
	Also []string
	// Trust is the trust policy of the role an sts:AssumeRole request
	// assumes; nil otherwise.
	Trust *authz.Document
	// Checks, when set, replace the fields above: each is authorized on
	// its own, with its own resources, keys and further actions (such as
	// one check per change of a Marketplace Catalog change set).
	Checks []check
}

// check is one authorization of a request: the operation's action, its
// Dependent actions and Actions, each on every resource of ARNs.
type check struct {
	ARNs    []string
	Account string
	Keys    map[string][]string
	Actions []string
	// Trust is the trust policy of the role an sts:AssumeRole request
	// assumes; nil otherwise.
	Trust *authz.Document
}

// checks returns the target's authorizations.
func (t target) checks() []check {
	if len(t.Checks) > 0 {
		return t.Checks
	}
	return []check{{ARNs: t.ARNs, Account: t.Account, Keys: t.Keys, Actions: t.Also, Trust: t.Trust}}
}

// on sets how the target of a request is found; In must be the
// operation's input type.
func on[In any](o *Operation, find func(ctx context.Context, c *Call, in *In) (target, error)) *Operation {
	o.target = func(ctx context.Context, c *Call, in any) (target, error) {
		return find(ctx, c, in.(*In))
	}
	return o
}

// operations builds the operation table.
func (s *Server) operations() map[opKey]*Operation {
	table := map[opKey]*Operation{}
	for _, group := range [][]*Operation{s.organizationsOperations(), s.cloudTrailOperations(), s.iamOperations(), s.stsOperations(), s.simulatorOperations(), s.catalogOperations(), s.agreementOperations(), s.deploymentOperations(), s.discoveryOperations(), s.invoicingOperations(), s.approvalOperations()} {
		for _, o := range group {
			table[opKey{o.Service, o.Name}] = o
		}
	}
	return table
}
