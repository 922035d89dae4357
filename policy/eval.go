package policy

import "strings"

// Request is what a caller asks to do.
type Request struct {
	// Principal is the ARN of the caller: an IAM user, an account root
	// user, an assumed-role session (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION),
	// a federated user, or a service principal name.
	Principal string
	// PrincipalAccount is the caller's account; empty means the account in
	// Principal.
	PrincipalAccount string
	// Action is the IAM action, such as "organizations:CreateAccount".
	Action string
	// Resource is the resource ARN, or "*" for actions without resources.
	Resource string
	// ResourceAccount is the account that owns the resource; empty means
	// the caller's account.
	ResourceAccount string
	// Context holds the request context keys, used exactly as given.
	Context *Context
}

// Set is every policy that applies to one request, grouped by type.
type Set struct {
	// Identity are the identity-based policies of the caller.
	Identity []*Policy
	// Boundary is the caller's permissions boundary, nil when it has none.
	Boundary *Policy
	// Session are the session policies of the caller's session; empty when
	// the session has none.
	Session []*Policy
	// Resource are the resource-based policies of the resource.
	Resource []*Policy
	// Trust is the trust policy of the role being assumed, for
	// sts:AssumeRole requests; it must allow the caller.
	Trust *Policy
	// SCP lists the service control policies of the caller's account, one
	// slice per level from the organization root through each OU to the
	// account. Nil means SCPs do not apply (no organization, or the
	// management account).
	SCP [][]*Policy
	// RCP lists the resource control policies of the resource's account by
	// level, like SCP. Nil means RCPs do not apply.
	RCP [][]*Policy
}

// Decision is the outcome of evaluating a request, in the IAM policy
// simulator's vocabulary.
type Decision uint8

// The decisions.
const (
	ImplicitDeny Decision = iota // nothing allowed the request
	Allowed                      // the request is allowed
	ExplicitDeny                 // a Deny statement matched the request
)

var decisionNames = [...]string{"implicitDeny", "allowed", "explicitDeny"}

// String returns "implicitDeny", "allowed" or "explicitDeny".
func (d Decision) String() string { return decisionNames[d] }

// layer names the kind of policy that decided a request.
type layer uint8

const (
	layerNone layer = iota
	layerSCP
	layerRCP
	layerResource
	layerIdentity
	layerBoundary
	layerSession
	layerTrust
)

// verdict is the outcome of evaluation with the layer that decided it.
type verdict struct {
	decision Decision
	layer    layer
	orgs     bool // allowed by SCPs and RCPs
	boundary bool // allowed by the permissions boundary
	// id and res are what the identity-based and the resource-based
	// policies say on their own.
	id, res result
}

// Decide evaluates req against set and returns the decision. It does not
// allocate.
func Decide(set *Set, req *Request) Decision {
	e := evaluator{req: req}
	e.prepare()
	return e.run(set).decision
}

// evaluator carries one evaluation.
type evaluator struct {
	req *Request
	// caller is parsed from req on first use; see who.
	caller       caller
	callerParsed bool
	// The request action in lower case is held in short, or in long when
	// it does not fit; svcLen is the length of its service prefix. Keeping
	// the bytes inside the evaluator (rather than a slice of a separate
	// buffer) keeps Decide free of heap allocation.
	short     [128]byte
	long      []byte
	actionLen int
	svcLen    int
	// hasBoundary reports that the caller has a permissions boundary.
	hasBoundary bool
	// ex collects matched statements when explaining; nil in Decide.
	ex *Explanation
}

// prepare lowers the request action into the evaluator.
func (e *evaluator) prepare() {
	a := e.req.Action
	e.actionLen, e.svcLen = len(a), len(a)
	if len(a) > len(e.short) {
		e.long = make([]byte, len(a))
	}
	buf := e.action()
	for i := 0; i < len(a); i++ {
		buf[i] = lowerASCII(a[i])
		if a[i] == ':' && e.svcLen == len(a) {
			e.svcLen = i
		}
	}
}

// who returns what evaluation knows of the caller, parsing the request's
// principal the first time.
func (e *evaluator) who() *caller {
	if !e.callerParsed {
		e.caller, e.callerParsed = newCaller(e.req), true
	}
	return &e.caller
}

// is reports whether the caller is of kind k, parsing the principal only
// when a cheap look at it cannot rule the kind out.
func (e *evaluator) is(k callerKind) bool {
	if !e.callerParsed {
		p := e.req.Principal
		switch k {
		case callerRoot:
			if !strings.HasSuffix(p, ":root") {
				return false
			}
		case callerService:
			if strings.HasPrefix(p, "arn:") {
				return false
			}
		}
	}
	return e.who().kind == k
}

// account returns the caller's account.
func (e *evaluator) account() string {
	if e.req.PrincipalAccount != "" {
		return e.req.PrincipalAccount
	}
	return e.who().account
}

// action returns the request action in lower case.
func (e *evaluator) action() []byte {
	if e.long != nil {
		return e.long
	}
	return e.short[:e.actionLen]
}

// result summarises the statements of one or more policies that matched.
type result struct {
	allow, deny bool
	grant       grant
}

func (r *result) merge(o result) {
	r.allow = r.allow || o.allow
	r.deny = r.deny || o.deny
	if o.grant > r.grant {
		r.grant = o.grant
	}
}

func (e *evaluator) policies(ps []*Policy) result {
	var r result
	for _, p := range ps {
		r.merge(e.policy(p))
	}
	return r
}

// levels evaluates SCP or RCP levels: deny if any level denies, allow only
// if every level allows.
func (e *evaluator) levels(levels [][]*Policy) result {
	r := result{allow: true}
	for _, level := range levels {
		lr := e.policies(level)
		r.deny = r.deny || lr.deny
		r.allow = r.allow && lr.allow
	}
	return r
}

func (e *evaluator) run(set *Set) verdict {
	e.hasBoundary = set.Boundary != nil
	scp, rcp := result{allow: true}, result{allow: true}
	if set.SCP != nil {
		scp = e.levels(set.SCP)
	}
	if set.RCP != nil {
		rcp = e.levels(set.RCP)
	}
	res := e.policies(set.Resource)
	var trust result
	if set.Trust != nil {
		trust = e.policy(set.Trust)
	}
	root := e.is(callerRoot)
	var id, sess result
	bound := result{allow: true}
	if !root {
		id = e.policies(set.Identity)
		if set.Boundary != nil {
			bound = e.policy(set.Boundary)
		}
		if len(set.Session) > 0 {
			sess = e.policies(set.Session)
		} else {
			sess.allow = true
		}
	} else {
		id.allow, sess.allow = true, true
	}
	v := verdict{orgs: !scp.deny && !rcp.deny && scp.allow && rcp.allow, boundary: bound.allow && !bound.deny, id: id, res: res}
	switch {
	case scp.deny:
		return v.with(ExplicitDeny, layerSCP)
	case rcp.deny:
		return v.with(ExplicitDeny, layerRCP)
	case res.deny:
		return v.with(ExplicitDeny, layerResource)
	case trust.deny:
		return v.with(ExplicitDeny, layerTrust)
	case id.deny:
		return v.with(ExplicitDeny, layerIdentity)
	case bound.deny:
		return v.with(ExplicitDeny, layerBoundary)
	case sess.deny:
		return v.with(ExplicitDeny, layerSession)
	case !rcp.allow:
		return v.with(ImplicitDeny, layerRCP)
	case !scp.allow:
		return v.with(ImplicitDeny, layerSCP)
	}
	return e.grants(v, set, res, trust, id, bound, sess)
}

// grants decides a request no policy denied, from the allows of the
// resource side and the principal side.
func (e *evaluator) grants(v verdict, set *Set, res, trust, id, bound, sess result) verdict {
	if set.Trust != nil {
		res.merge(trust)
		if !trust.allow {
			return v.with(ImplicitDeny, layerTrust)
		}
	}
	if e.is(callerService) {
		// A service principal has no identity-based policies: the
		// resource-based policy alone grants it access.
		if res.allow {
			return v.with(Allowed, layerResource)
		}
		return v.with(ImplicitDeny, layerResource)
	}
	crossAccount := e.req.ResourceAccount != "" && e.req.ResourceAccount != e.account()
	if crossAccount && !res.allow {
		return v.with(ImplicitDeny, layerResource)
	}
	if !crossAccount && res.allow {
		switch res.grant {
		case grantDirect:
			return v.with(Allowed, layerResource)
		case grantRole:
			if l := limit(bound, sess); l != layerNone {
				return v.with(ImplicitDeny, l)
			}
			return v.with(Allowed, layerResource)
		}
	}
	if e.is(callerRoot) {
		return v.with(Allowed, layerIdentity)
	}
	if !id.allow {
		return v.with(ImplicitDeny, layerIdentity)
	}
	if l := limit(bound, sess); l != layerNone {
		return v.with(ImplicitDeny, l)
	}
	return v.with(Allowed, layerIdentity)
}

// limit returns the layer that limits an allow, or layerNone.
func limit(bound, sess result) layer {
	if !bound.allow {
		return layerBoundary
	}
	if !sess.allow {
		return layerSession
	}
	return layerNone
}

func (v verdict) with(d Decision, l layer) verdict {
	v.decision, v.layer = d, l
	return v
}

// policy evaluates the statements of one policy that can match the action.
func (e *evaluator) policy(p *Policy) result {
	var r result
	action := e.action()
	if list, ok := p.exact[string(action)]; ok {
		e.statements(p, list, true, &r)
	}
	if list, ok := p.byService[string(action[:e.svcLen])]; ok {
		e.statements(p, list, false, &r)
	}
	e.statements(p, p.always, false, &r)
	return r
}

func (e *evaluator) statements(p *Policy, list []int32, actionMatched bool, r *result) {
	for _, i := range list {
		st := &p.stmts[i]
		if st.deny && r.deny && e.ex == nil {
			continue
		}
		if e.ex != nil {
			e.noteMissing(p, st, actionMatched)
		}
		g, ok := e.statement(st, actionMatched)
		if !ok {
			continue
		}
		if st.deny {
			r.deny = true
		} else {
			r.allow = true
			if g > r.grant {
				r.grant = g
			}
		}
		if e.ex != nil {
			e.ex.record(p, st)
		}
	}
}

// statement reports whether st applies to the request and, for a statement
// with a Principal, how directly it names the caller.
func (e *evaluator) statement(st *statement, actionMatched bool) (grant, bool) {
	if !actionMatched && !e.matchAction(st) {
		return grantNone, false
	}
	if !e.matchResource(st) {
		return grantNone, false
	}
	g := grantDirect
	if st.principal != nil {
		g = st.principal.match(e.who())
		if st.notPrincipal {
			// "A Deny with NotPrincipal will always deny any IAM principal
			// that has a permissions boundary policy attached, regardless
			// of the values specified in the NotPrincipal element."
			if g != grantNone && !e.hasBoundary {
				return grantNone, false
			}
			g = grantDirect
		} else if g == grantNone {
			return grantNone, false
		}
	}
	for i := range st.conds {
		if !st.conds[i].eval(e.req.Context) {
			return grantNone, false
		}
	}
	return g, true
}

func (e *evaluator) matchAction(st *statement) bool {
	action := e.action()
	for _, a := range st.actions {
		if globMatch(a, nil, action, true, false) {
			return !st.notAction
		}
	}
	return st.notAction
}

func (e *evaluator) matchResource(st *statement) bool {
	if st.anyResource {
		return true
	}
	for i := range st.resources {
		if st.resources[i].match(e.req.Context, e.req.Resource, true, false) {
			return !st.notResource
		}
	}
	return st.notResource
}
