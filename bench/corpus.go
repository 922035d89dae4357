// Package bench compares the decision speed of Gatehouse's policy engine
// with cedar-go on equivalent policy sets.
//
// One generator describes each statement once, as a [Rule], and renders it
// twice: as an IAM statement for Gatehouse and as a Cedar policy with the
// same meaning. Requests are likewise described once, as an [Access], and
// rendered for each engine. The tests in this package check that both
// engines decide every request the same way before the benchmarks time
// them.
package bench

import (
	"fmt"
	"strings"

	"gatehouse/policy"

	"github.com/cedar-policy/cedar-go"
	"github.com/cedar-policy/cedar-go/types"
)

// StatementsPerPolicy is how many IAM statements go into one Gatehouse
// policy document. A real principal's statements are spread over several
// attached policies, each under IAM's size quota, rather than held in one
// huge document; grouping them makes Gatehouse look up the action in every
// policy, as it would in production.
const StatementsPerPolicy = 10

// Account is the AWS account of the caller and of every resource.
const Account = "111122223333"

// Kind is the shape of a generated rule.
type Kind uint8

// The rule kinds. Rule k of a set has kind (k+2)%4, so that even the
// 2-rule set holds a condition and a deny.
const (
	// ThingAllow allows one action on one resource named exactly.
	ThingAllow Kind = iota
	// BucketAllow allows one action on the objects of one bucket, from
	// one source network.
	BucketAllow
	// TeamAllow allows one action on any resource to callers whose team
	// tag has one value.
	TeamAllow
	// InsecureDeny denies the action of the rule before it when the
	// request was not sent over TLS.
	InsecureDeny
)

// Rule is one generated statement, in terms both engines share.
type Rule struct {
	Index  int
	Kind   Kind
	Action string // such as "svc7:Action7"
	// Thing is the ARN of the resource a ThingAllow rule names.
	Thing string
	// Bucket is the bucket whose objects a BucketAllow rule allows.
	Bucket string
	// Network is the CIDR a BucketAllow request must come from.
	Network string
	// Team is the team tag value a TeamAllow rule requires.
	Team string
}

// action returns the action of rule k: svcK:ActionK.
func action(k int) string { return fmt.Sprintf("svc%d:Action%d", k, k) }

// Rules returns the n rules of the set of size n. The result depends only
// on n.
func Rules(n int) []Rule {
	rules := make([]Rule, n)
	for k := range rules {
		r := Rule{Index: k, Kind: Kind((k + 2) % 4), Action: action(k)}
		switch r.Kind {
		case ThingAllow:
			r.Thing = ThingARN(k)
		case BucketAllow:
			r.Bucket = fmt.Sprintf("bucket-%d", k)
			r.Network = fmt.Sprintf("10.%d.%d.0/24", k/256%256, k%256)
		case TeamAllow:
			r.Team = fmt.Sprintf("team-%d", k%7)
		case InsecureDeny:
			// k >= 1 here, and rule k-1 is a TeamAllow.
			r.Action = action(k - 1)
		}
		rules[k] = r
	}
	return rules
}

// ThingARN returns the ARN of the resource rule k names when it is a
// ThingAllow.
func ThingARN(k int) string {
	return fmt.Sprintf("arn:aws:svc%d:us-east-1:%s:thing/t-%d", k, Account, k)
}

// IAMStatement renders r as an IAM policy statement.
func (r Rule) IAMStatement() string {
	switch r.Kind {
	case ThingAllow:
		return fmt.Sprintf(`{"Sid":"R%d","Effect":"Allow","Action":%q,"Resource":%q}`,
			r.Index, r.Action, r.Thing)
	case BucketAllow:
		return fmt.Sprintf(`{"Sid":"R%d","Effect":"Allow","Action":%q,"Resource":%q,`+
			`"Condition":{"IpAddress":{"aws:SourceIp":%q}}}`,
			r.Index, r.Action, "arn:aws:s3:::"+r.Bucket+"/*", r.Network)
	case TeamAllow:
		return fmt.Sprintf(`{"Sid":"R%d","Effect":"Allow","Action":%q,"Resource":"*",`+
			`"Condition":{"StringEquals":{"aws:PrincipalTag/team":%q}}}`,
			r.Index, r.Action, r.Team)
	default:
		return fmt.Sprintf(`{"Sid":"R%d","Effect":"Deny","Action":%q,"Resource":"*",`+
			`"Condition":{"Bool":{"aws:SecureTransport":"false"}}}`,
			r.Index, r.Action)
	}
}

// CedarPolicy renders r as a Cedar policy with the same meaning as its IAM
// statement. IAM's principal tags are Cedar entity tags, and IAM's
// bucket/* wildcard is Cedar's resource hierarchy: an object is in its
// bucket. A context key IAM finds absent makes its condition false; the
// Cedar policies test with has first, so an absent key is false there too
// rather than an evaluation error.
func (r Rule) CedarPolicy() string {
	act := fmt.Sprintf("Action::%q", r.Action)
	switch r.Kind {
	case ThingAllow:
		return fmt.Sprintf("permit (principal, action == %s, resource == Thing::%q);", act, r.Thing)
	case BucketAllow:
		return fmt.Sprintf("permit (principal, action == %s, resource in Bucket::%q)\n"+
			"when { context has sourceIp && context.sourceIp.isInRange(ip(%q)) };",
			act, r.Bucket, r.Network)
	case TeamAllow:
		return fmt.Sprintf("permit (principal, action == %s, resource)\n"+
			"when { principal.hasTag(\"team\") && principal.getTag(\"team\") == %q };",
			act, r.Team)
	default:
		return fmt.Sprintf("forbid (principal, action == %s, resource)\n"+
			"when { context has secureTransport && context.secureTransport == false };", act)
	}
}

// GatehouseSet compiles rules into identity-based policies of at most
// StatementsPerPolicy statements each.
func GatehouseSet(rules []Rule) (*policy.Set, error) {
	set := &policy.Set{}
	for start := 0; start < len(rules); start += StatementsPerPolicy {
		end := min(start+StatementsPerPolicy, len(rules))
		stmts := make([]string, 0, end-start)
		for _, r := range rules[start:end] {
			stmts = append(stmts, r.IAMStatement())
		}
		text := `{"Version":"2012-10-17","Statement":[` + strings.Join(stmts, ",") + `]}`
		p, err := policy.CompileText(fmt.Sprintf("policy-%d", start/StatementsPerPolicy), policy.Identity, []byte(text))
		if err != nil {
			return nil, err
		}
		set.Identity = append(set.Identity, p)
	}
	return set, nil
}

// CedarSet parses rules into a Cedar policy set; rule k is policy "policyk".
func CedarSet(rules []Rule) (*cedar.PolicySet, error) {
	var b strings.Builder
	for _, r := range rules {
		b.WriteString(r.CedarPolicy())
		b.WriteString("\n\n")
	}
	return cedar.NewPolicySetFromBytes("rules.cedar", []byte(b.String()))
}

// Access is one request, in terms both engines share.
type Access struct {
	Action string
	// Resource is the resource ARN. Bucket, when set, is the bucket the
	// resource is an object of; otherwise the resource is a Thing.
	Resource string
	Bucket   string
	// Team is the caller's team tag, "" for none.
	Team string
	// SourceIP is the caller's address, "" for none.
	SourceIP string
	// Secure is "true" or "false" for a request sent with or without
	// TLS, "" when the request does not say.
	Secure string
}

// Caller is the user making every request.
const Caller = "alice"

// GatehouseRequest renders a as a Gatehouse request.
func (a Access) GatehouseRequest() *policy.Request {
	ctx := &policy.Context{}
	ctx.Set("aws:PrincipalArn", "arn:aws:iam::"+Account+":user/"+Caller)
	if a.Team != "" {
		ctx.Set("aws:PrincipalTag/team", a.Team)
	}
	if a.SourceIP != "" {
		ctx.Set("aws:SourceIp", a.SourceIP)
	}
	if a.Secure != "" {
		ctx.Set("aws:SecureTransport", a.Secure)
	}
	return &policy.Request{
		Principal: "arn:aws:iam::" + Account + ":user/" + Caller,
		Action:    a.Action,
		Resource:  a.Resource,
		Context:   ctx,
	}
}

// CedarRequest renders a as a Cedar request with the entities it refers
// to: the caller, carrying its tags, and the resource, inside its bucket
// when it is an object.
func (a Access) CedarRequest() (cedar.Request, cedar.EntityMap, error) {
	user := cedar.NewEntityUID("User", Caller)
	caller := cedar.Entity{UID: user}
	if a.Team != "" {
		caller.Tags = cedar.NewRecord(cedar.RecordMap{"team": cedar.String(a.Team)})
	}
	entities := cedar.EntityMap{user: caller}
	resource := cedar.NewEntityUID("Thing", cedar.String(a.Resource))
	if a.Bucket != "" {
		resource = cedar.NewEntityUID("Object", cedar.String(a.Resource))
		entities[resource] = cedar.Entity{
			UID:     resource,
			Parents: cedar.NewEntityUIDSet(cedar.NewEntityUID("Bucket", cedar.String(a.Bucket))),
		}
	}
	ctx := cedar.RecordMap{}
	if a.SourceIP != "" {
		ip, err := types.ParseIPAddr(a.SourceIP)
		if err != nil {
			return cedar.Request{}, nil, err
		}
		ctx["sourceIp"] = ip
	}
	if a.Secure != "" {
		ctx["secureTransport"] = cedar.Boolean(a.Secure == "true")
	}
	req := cedar.Request{
		Principal: user,
		Action:    cedar.NewEntityUID("Action", cedar.String(a.Action)),
		Resource:  resource,
		Context:   cedar.NewRecord(ctx),
	}
	return req, entities, nil
}

// CedarDecision maps a Cedar decision to Gatehouse's vocabulary: a deny
// that some forbid policy decided is explicit, any other deny implicit.
func CedarDecision(d cedar.Decision, diag cedar.Diagnostic) policy.Decision {
	switch {
	case d == cedar.Allow:
		return policy.Allowed
	case len(diag.Reasons) > 0:
		return policy.ExplicitDeny
	default:
		return policy.ImplicitDeny
	}
}

// BenchAccess is the request the benchmarks time for a set of n rules: the
// last TeamAllow rule allows it, and the InsecureDeny rule after it must
// be checked and does not apply. It lies near the end of the set, so an
// engine that scans the rules in order reads nearly all of them.
func BenchAccess(n int) Access {
	k := lastOfKind(n, TeamAllow)
	return Access{
		Action:   action(k),
		Resource: "arn:aws:s3:::reports/2026/q3.csv",
		Bucket:   "reports",
		Team:     fmt.Sprintf("team-%d", k%7),
		SourceIP: "192.0.2.10",
		Secure:   "true",
	}
}

// lastOfKind returns the index of the last rule of kind among n rules, or
// -1 when there is none.
func lastOfKind(n int, kind Kind) int {
	for k := n - 1; k >= 0; k-- {
		if Kind((k+2)%4) == kind {
			return k
		}
	}
	return -1
}
