package policy

import (
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Validation reports what the AWS service that receives a policy would
// answer: IAM for identity, trust, boundary and session policies (and, for
// want of one service, resource-based policies), AWS Organizations for
// SCPs and RCPs. The error texts are the services' own wherever they are
// known; validate_test.go and testdata/validate cite where each comes from.
//
// A service stops at the first error it finds; Validate reports every
// error, so that one pass shows everything to fix. The first error
// Validate reports is not always the one the service would report first.

// The codes a Finding carries.
const (
	// CodeMalformedPolicyDocument is IAM's (and STS's) code for a policy
	// that breaks the grammar; the HTTP status is 400.
	CodeMalformedPolicyDocument = "MalformedPolicyDocument"
	// CodeMalformedPolicyDocumentException is AWS Organizations' code for an
	// SCP or RCP that breaks the grammar of its type; the status is 400.
	CodeMalformedPolicyDocumentException = "MalformedPolicyDocumentException"
	// CodeLimitExceeded is IAM's code for a policy over its size quota; the
	// status is 409.
	CodeLimitExceeded = "LimitExceeded"
	// CodeConstraintViolation is AWS Organizations' code for a policy over
	// its size quota (reason POLICY_CONTENT_LIMIT_EXCEEDED); the status is
	// 400.
	CodeConstraintViolation = "ConstraintViolationException"
	// CodeValidationError is the code of a request parameter that breaks its
	// length or pattern constraint; the status is 400.
	CodeValidationError = "ValidationError"
	// CodeWarning marks a Finding of Severity Warning: the service accepts
	// the policy, but part of it probably does not do what it says.
	CodeWarning = "Warning"
)

// The services' error texts.
const (
	msgSyntax          = "Syntax errors in policy."
	msgLegacy          = "The policy failed legacy parsing"
	msgVersion         = "Policy document must be version 2012-10-17 or greater."
	msgNoPrincipal     = "Policy document should not specify a principal."
	msgNeedPrincipal   = "Missing required field Principal"
	msgNeedActions     = "Policy statement must contain actions."
	msgNeedResources   = "Policy statement must contain resources."
	msgVendor          = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	msgOneColon        = "Actions/Condition can contain only one colon."
	msgSidAlnum        = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*"
	msgSidUnique       = "Statement IDs (SID) in a single policy must be unique."
	msgTrustActions    = "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity"
	msgNotPrincipalAll = `NotPrincipal must be used with "Effect":"Deny". Using it with "Effect":"Allow" is not supported.`
	msgResourceVendor  = "Resource vendor must be fully qualified and cannot contain regexes."
	msgIAMPath         = `IAM resource path must either be "*", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.`
	msgOrgsMalformed   = "The provided policy document does not meet the requirements of the specified policy type."
	msgCharset         = `1 validation error detected: Value at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+`
)

// Quota is a limit on the size of a policy and the error the service
// answers when a policy is over it.
type Quota struct {
	// Max is the largest size allowed, in characters. Zero asks for the
	// policy type's default quota (DefaultQuota); a negative Max turns the
	// size check off.
	Max int
	// CountSpace reports whether white space counts toward the size. IAM
	// does not count it; Organizations and STS count every character.
	CountSpace bool
	// Code and Message are the error the service answers.
	Code, Message string
}

// ManagedQuota is IAM's quota on a managed policy (and so on a permissions
// boundary): 6,144 characters, white space not counted. max replaces 6,144
// when it is positive.
func ManagedQuota(max int) Quota {
	if max <= 0 {
		max = 6144
	}
	return Quota{Max: max, Code: CodeLimitExceeded, Message: fmt.Sprintf("Cannot exceed quota for PolicySize: %d", max)}
}

// TrustQuota is IAM's quota on a role trust policy: 2,048 characters by
// default, which an account can raise to 4,096; white space is not
// counted. max replaces 2,048 when it is positive.
func TrustQuota(max int) Quota {
	if max <= 0 {
		max = 2048
	}
	return Quota{Max: max, Code: CodeLimitExceeded, Message: fmt.Sprintf("Cannot exceed quota for ACLSizePerRole: %d", max)}
}

// InlineQuota is IAM's quota on the inline policies of one user, group or
// role: entity is "user" (2,048 characters), "group" (5,120) or "role"
// (10,240), and name is the entity's name, which the error names. The quota
// is on the sum of the entity's inline policies: pass the size of its other
// inline policies as Options.Used. It returns a quota with Max -1 for an
// unknown entity.
func InlineQuota(entity, name string) Quota {
	var max int
	switch entity {
	case "user":
		max = 2048
	case "group":
		max = 5120
	case "role":
		max = 10240
	default:
		return Quota{Max: -1}
	}
	return Quota{Max: max, Code: CodeLimitExceeded,
		Message: fmt.Sprintf("Maximum policy size of %d bytes exceeded for %s %s", max, entity, name)}
}

// SessionQuota is STS's limit on the plain text of a session policy: 2,048
// characters, white space included. (STS also limits the packed, compressed
// form of the session policies and tags together; Validate does not
// compute it.)
func SessionQuota() Quota {
	return Quota{Max: 2048, CountSpace: true, Code: CodeValidationError,
		Message: "1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 2048"}
}

// OrganizationsQuota is AWS Organizations' quota on an SCP or RCP: 5,120
// characters, white space included.
func OrganizationsQuota() Quota {
	return Quota{Max: 5120, CountSpace: true, Code: CodeConstraintViolation, Message: "You have exceeded the maximum policy size."}
}

// DefaultQuota returns the size quota Validate applies to a policy of type
// t: ManagedQuota for identity policies and permissions boundaries,
// TrustQuota for trust policies, SessionQuota for session policies and
// OrganizationsQuota for SCPs and RCPs. Resource-based policies have
// per-service limits; DefaultQuota returns no limit (Max -1) for them.
func DefaultQuota(t Type) Quota {
	switch t {
	case Identity, Boundary:
		return ManagedQuota(0)
	case Trust:
		return TrustQuota(0)
	case Session:
		return SessionQuota()
	case SCP, RCP:
		return OrganizationsQuota()
	}
	return Quota{Max: -1}
}

// Size returns the size of doc as q counts it.
func (q Quota) Size(doc *Document) int {
	if q.CountSpace {
		return doc.Size
	}
	return doc.SizeNoSpace
}

// Check returns the quota's finding when size is over q.Max, and false
// when it is within the quota or q has no limit.
func (q Quota) Check(size int) (Finding, bool) {
	if q.Max <= 0 || size <= q.Max {
		return Finding{}, false
	}
	return Finding{Severity: Error, Code: q.Code, Message: q.Message}, true
}

// Options says how to validate a policy beyond its type. The zero Options
// (but for Type) is what Validate and ValidateText use.
type Options struct {
	// Type is the policy's type.
	Type Type
	// Inline says an identity policy is an inline policy of a user, group
	// or role (PutUserPolicy and the like) rather than a managed policy.
	// IAM requires "Version": "2012-10-17" in managed policies only; an
	// inline policy may leave Version out or use "2008-10-17". Inline does
	// not change the quota: set Quota to InlineQuota.
	Inline bool
	// Quota is the size quota to apply; the zero Quota means
	// DefaultQuota(Type), and a Quota with a negative Max turns the size
	// check off.
	Quota Quota
	// Used is added to the policy's own size before it is compared with
	// the quota: for an aggregate quota such as InlineQuota, the size
	// (Quota.Size) of the entity's other inline policies.
	Used int
}

// Validate checks doc as a policy of type t and returns what is wrong with
// it, in document order: findings about the whole document first (size,
// Version, top-level elements, a missing or empty Statement; their Span is
// zero), then each statement's findings, whose Span is the statement's, in
// statement order. Within a statement, findings follow the element order
// Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource,
// NotResource, Condition, then unknown elements. The same finding is not
// repeated for one statement.
//
// An empty or nil result means the service accepts the policy; findings of
// Severity Warning do not make it invalid. Validate never modifies doc.
func Validate(doc *Document, t Type) []Finding {
	return Options{Type: t}.Validate(doc)
}

// ValidateText parses text and validates it as a policy of type t, like
// Validate. Text that does not parse is reported by one finding, the
// service's answer to a syntax error: MalformedPolicyDocument "Syntax
// errors in policy." from IAM, MalformedPolicyDocumentException from
// Organizations for an SCP or RCP; its Span is the place of the error.
func ValidateText(text []byte, t Type) []Finding {
	return Options{Type: t}.ValidateText(text)
}

// Validate checks doc as Validate does, with the options o.
func (o Options) Validate(doc *Document) []Finding {
	v := newPolicyValidator(o)
	v.document(doc)
	return v.out
}

// ValidateText parses and checks text as ValidateText does, with the
// options o. For IAM and STS policies (identity, trust, boundary and
// session) it also checks the characters of the text, which come first in
// the findings: IAM accepts tab, line feed, carriage return and U+0020 to
// U+00FF only. Text longer than MaxDocumentSize is reported by the quota's
// finding when it has a quota, as a syntax error when not.
func (o Options) ValidateText(text []byte) []Finding {
	v := newPolicyValidator(o)
	if len(text) > MaxDocumentSize {
		if f, over := v.quota.Check(o.Used + utf8.RuneCount(text)); over {
			return []Finding{f}
		}
	}
	doc, err := Parse(text)
	if err != nil {
		var span Span
		var se *SyntaxError
		if errors.As(err, &se) {
			span = Span{Start: se.Pos, End: se.Pos}
		}
		v.errAt(span, msgSyntax)
		return v.out
	}
	if o.Type != Resource && !v.orgs && !vdCharsetOK(text) {
		param := "policyDocument"
		if o.Type == Session {
			param = "policy"
		}
		v.out = append(v.out, Finding{Severity: Error, Code: CodeValidationError, Message: fmt.Sprintf(msgCharset, param)})
	}
	v.document(doc)
	return v.out
}

// vdCharsetOK reports whether text has only the characters IAM accepts in
// a policy document: tab, line feed, carriage return and U+0020 to U+00FF.
func vdCharsetOK(text []byte) bool {
	for _, r := range string(text) {
		if r != '\t' && r != '\n' && r != '\r' && (r < 0x20 || r > 0xFF) {
			return false
		}
	}
	return true
}

// policyValidator collects the findings of one validation.
type policyValidator struct {
	opt   Options
	quota Quota
	orgs  bool // the policy goes to AWS Organizations (SCP or RCP)
	vars  bool // the policy expands policy variables (Version 2012-10-17)
	sids  map[string]bool
	out   []Finding
	first int // index in out of the current statement's first finding
}

func newPolicyValidator(o Options) *policyValidator {
	q := o.Quota
	if q.Max == 0 {
		q = DefaultQuota(o.Type)
	}
	return &policyValidator{opt: o, quota: q, orgs: o.Type == SCP || o.Type == RCP, sids: map[string]bool{}}
}

// errAt records an error of the grammar. For Organizations every such
// error has the same text.
func (v *policyValidator) errAt(span Span, msg string) {
	f := Finding{Severity: Error, Code: CodeMalformedPolicyDocument, Message: msg, Span: span}
	if v.orgs {
		f.Code, f.Message = CodeMalformedPolicyDocumentException, msgOrgsMalformed
	}
	v.add(f)
}

func (v *policyValidator) warnAt(span Span, msg string) {
	v.add(Finding{Severity: Warning, Code: CodeWarning, Message: msg, Span: span})
}

// add appends f unless the current statement already has it.
func (v *policyValidator) add(f Finding) {
	for _, g := range v.out[v.first:] {
		if g == f {
			return
		}
	}
	v.out = append(v.out, f)
}

func (v *policyValidator) document(doc *Document) {
	if doc == nil {
		v.errAt(Span{}, msgSyntax)
		return
	}
	t := v.opt.Type
	if f, over := v.quota.Check(v.opt.Used + v.quota.Size(doc)); over {
		v.out = append(v.out, f)
	}

	// Version.
	v.vars = doc.Version == "2012-10-17"
	switch {
	case v.orgs:
		// "Every SCP must include a Version element with the value
		// "2012-10-17"" (and likewise every RCP).
		if !v.vars {
			v.errAt(Span{}, msgOrgsMalformed)
		}
	case doc.HasVersion && doc.Version != "2012-10-17" && doc.Version != "2008-10-17":
		v.errAt(Span{}, msgSyntax)
	case !v.vars && (t == Boundary || t == Identity && !v.opt.Inline):
		v.errAt(Span{}, msgVersion)
	}

	if len(doc.Unknown) > 0 {
		v.errAt(Span{}, msgSyntax)
	}
	if len(doc.Statements) == 0 {
		v.errAt(Span{}, msgSyntax)
	}
	for _, st := range doc.Statements {
		v.first = len(v.out)
		v.statement(st)
	}
	v.first = 0
}

func (v *policyValidator) statement(st *Statement) {
	t := v.opt.Type
	sp := st.Span

	// Sid. IAM allows only [0-9A-Za-z] and unique Sids; Organizations is
	// as strict. Resource-based policies follow their service's rules,
	// which differ (S3 allows spaces), so they are not checked.
	if st.HasSid && st.Sid != "" && t != Resource {
		if !vdAlnum(st.Sid) {
			v.errAt(sp, msgSidAlnum)
		}
		if v.sids[st.Sid] {
			v.errAt(sp, msgSidUnique)
		}
		v.sids[st.Sid] = true
	}

	// Effect: required; case-sensitive. A value that differs from Allow or
	// Deny only in case passes IAM's first parser and fails the legacy one.
	switch st.Effect {
	case "Allow", "Deny":
	case "":
		v.errAt(sp, msgSyntax)
	default:
		if strings.EqualFold(st.Effect, "Allow") || strings.EqualFold(st.Effect, "Deny") {
			v.errAt(sp, msgLegacy)
		} else {
			v.errAt(sp, msgSyntax)
		}
	}

	v.principals(st)
	v.actions(st)
	v.resources(st)
	v.conditions(st)

	if len(st.Unknown) > 0 {
		v.errAt(sp, msgSyntax)
	}
	if !v.vars && vdStatementHasVariable(st) {
		v.warnAt(sp, "Policy variables such as ${aws:username} need \"Version\": \"2012-10-17\"; in this policy they are literal text.")
	}
}

func (v *policyValidator) principals(st *Statement) {
	sp := st.Span
	p, np := st.Principal, st.NotPrincipal
	switch v.opt.Type {
	case Identity, Boundary, Session:
		if p != nil || np != nil {
			v.errAt(sp, msgNoPrincipal)
		}
	case SCP:
		if p != nil || np != nil {
			v.errAt(sp, msgOrgsMalformed)
		}
	case RCP:
		// An RCP names every principal ("*") and narrows with conditions.
		if p == nil || np != nil || !vdWildcardPrincipal(p) {
			v.errAt(sp, msgOrgsMalformed)
		}
	case Trust:
		switch {
		case np != nil:
			v.errAt(sp, "Has prohibited field NotPrincipal")
		case p == nil:
			v.errAt(sp, msgNeedPrincipal)
		}
		v.principalValues(sp, p)
	case Resource:
		switch {
		case p != nil && np != nil:
			v.errAt(sp, msgSyntax)
		case p == nil && np == nil:
			v.errAt(sp, msgNeedPrincipal)
		case np != nil && st.Effect == "Allow":
			v.errAt(sp, msgNotPrincipalAll)
		}
		v.principalValues(sp, p)
		v.principalValues(sp, np)
	}
}

// vdWildcardPrincipal reports whether p is "*" or {"AWS": "*"}.
func vdWildcardPrincipal(p *Principal) bool {
	if p.Wildcard {
		return true
	}
	return len(p.AWS) == 1 && p.AWS[0] == "*" && len(p.Service)+len(p.Federated)+len(p.CanonicalUser)+len(p.Unknown) == 0
}

var (
	vdPartitions = map[string]bool{"aws": true, "aws-cn": true, "aws-us-gov": true, "aws-iso": true,
		"aws-iso-b": true, "aws-iso-e": true, "aws-iso-f": true, "aws-eusc": true}

	vdPartitionRE  = `(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc)`
	vdNameRE       = `[\w+=,.@-]+`
	vdAWSPrincipal = regexp.MustCompile(`^(\d{12}|arn:` + vdPartitionRE + `:(iam::\d{12}:(root|(user|role)/(` + vdNameRE + `/)*` + vdNameRE +
		`)|sts::\d{12}:(assumed-role/` + vdNameRE + `/` + vdNameRE + `|federated-user/` + vdNameRE + `))|arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity [A-Z0-9]+)$`)
	vdServicePrincipal   = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.(amazonaws\.com|amazonaws\.com\.cn|amazon\.com)$`)
	vdFederatedPrincipal = regexp.MustCompile(`^(cognito-identity\.amazonaws\.com|www\.amazon\.com|graph\.facebook\.com|accounts\.google\.com|appleid\.apple\.com|arn:` +
		vdPartitionRE + `:iam::\d{12}:(saml-provider/` + vdNameRE + `|oidc-provider/[^\s*?]+))$`)
	vdCanonicalUser = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// principalValues checks the values of a Principal or NotPrincipal
// element. IAM's text is Invalid principal in policy: "AWS":"value", with
// the principal type in capitals ("SERVICE"); a principal that is well
// formed but does not exist is also invalid to IAM, which Validate cannot
// know.
func (v *policyValidator) principalValues(sp Span, p *Principal) {
	if p == nil {
		return
	}
	if len(p.Unknown) > 0 {
		v.errAt(sp, msgSyntax)
	}
	if !p.Wildcard && len(p.AWS)+len(p.Service)+len(p.Federated)+len(p.CanonicalUser)+len(p.Unknown) == 0 {
		v.errAt(sp, msgSyntax)
	}
	bad := func(kind, val string) {
		v.errAt(sp, fmt.Sprintf("Invalid principal in policy: %q:%q", kind, val))
	}
	for _, a := range p.AWS {
		if a != "*" && !vdAWSPrincipal.MatchString(a) {
			bad("AWS", a)
		}
	}
	for _, s := range p.Service {
		if !vdServicePrincipal.MatchString(s) {
			bad("SERVICE", s)
		}
	}
	for _, f := range p.Federated {
		if !vdFederatedPrincipal.MatchString(f) {
			bad("FEDERATED", f)
		}
	}
	for _, c := range p.CanonicalUser {
		if !vdCanonicalUser.MatchString(c) {
			bad("CANONICAL_USER", c)
		}
	}
}

// vdRCPServices are the service prefixes whose actions an RCP may name:
// Amazon S3, AWS STS, AWS KMS, Amazon SQS and AWS Secrets Manager since
// RCPs launched (November 2024), Amazon ECR and Amazon OpenSearch
// Serverless (June 2025), Amazon Cognito and Amazon CloudWatch Logs
// (January 2026) and Amazon DynamoDB (February 2026).
var vdRCPServices = map[string]bool{
	"s3": true, "sts": true, "kms": true, "sqs": true, "secretsmanager": true,
	"ecr": true, "aoss": true, "cognito-identity": true, "logs": true, "dynamodb": true,
}

func (v *policyValidator) actions(st *Statement) {
	sp := st.Span
	t := v.opt.Type
	list := st.Action
	switch {
	case st.Action != nil && st.NotAction != nil:
		v.errAt(sp, msgSyntax)
	case st.Action == nil:
		list = st.NotAction
	}
	if len(list) == 0 {
		v.errAt(sp, msgNeedActions)
	}
	switch {
	case t == Trust && st.NotAction != nil:
		v.errAt(sp, msgTrustActions)
	case t == RCP && st.NotAction != nil:
		// The RCP syntax lists Action but not NotAction.
		v.errAt(sp, msgOrgsMalformed)
	}
	for _, vals := range [][]string{st.Action, st.NotAction} {
		for _, a := range vals {
			v.action(sp, a)
		}
	}
	if t == RCP && st.Effect == "Allow" && !vdRCPFullAccess(st) {
		// "The effect of Allow is only supported for the RCPFullAWSAccess
		// policy."
		v.errAt(sp, msgOrgsMalformed)
	}
}

// action checks one Action or NotAction value: "*" or vendor:action, with
// one colon and a vendor of letters, digits, hyphens and dots.
func (v *policyValidator) action(sp Span, a string) {
	if a == "*" {
		return
	}
	vendor, name, ok := strings.Cut(a, ":")
	switch {
	case !ok:
		v.errAt(sp, msgVendor)
		return
	case strings.Contains(name, ":"):
		v.errAt(sp, msgOneColon)
		return
	case vendor != "*" && !vdVendorOK(vendor):
		v.errAt(sp, "Vendor "+vendor+" is not valid")
		return
	}
	switch v.opt.Type {
	case Trust:
		if !strings.EqualFold(vendor, "sts") {
			v.errAt(sp, msgTrustActions)
		}
	case RCP:
		if !vdRCPServices[strings.ToLower(vendor)] {
			v.errAt(sp, msgOrgsMalformed)
		}
	}
	if v.vars && strings.Contains(a, "${") {
		v.warnAt(sp, "Policy variables are not expanded in Action or NotAction: "+a+" is matched as written.")
	}
}

func vdVendorOK(vendor string) bool {
	if vendor == "" {
		return false
	}
	for i := 0; i < len(vendor); i++ {
		c := vendor[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// vdRCPFullAccess reports whether st is the statement of the AWS managed
// RCPFullAWSAccess policy: Allow "*" to Principal "*" on Resource "*".
func vdRCPFullAccess(st *Statement) bool {
	return st.Principal != nil && vdWildcardPrincipal(st.Principal) &&
		len(st.Action) == 1 && st.Action[0] == "*" &&
		len(st.Resource) == 1 && st.Resource[0] == "*" &&
		st.NotAction == nil && st.NotResource == nil && !st.HasCondition
}

func (v *policyValidator) resources(st *Statement) {
	sp := st.Span
	t := v.opt.Type
	if st.Resource != nil && st.NotResource != nil {
		v.errAt(sp, msgSyntax)
	}
	switch t {
	case Trust:
		// A trust policy's resource is the role itself.
		if st.Resource != nil {
			v.errAt(sp, "Has prohibited field Resource")
		}
		if st.NotResource != nil {
			v.errAt(sp, "Has prohibited field NotResource")
		}
		return
	case SCP, RCP:
		// Resource is optional in SCPs and RCPs; an empty list is not.
		if st.Resource != nil && len(st.Resource) == 0 || st.NotResource != nil && len(st.NotResource) == 0 {
			v.errAt(sp, msgOrgsMalformed)
		}
	default:
		if len(st.Resource) == 0 && len(st.NotResource) == 0 {
			v.errAt(sp, msgNeedResources)
		}
	}
	for _, vals := range [][]string{st.Resource, st.NotResource} {
		for _, r := range vals {
			if msg := vdResourceError(r); msg != "" {
				v.errAt(sp, msg)
			} else if vdResourceFailsLegacy(r) {
				v.errAt(sp, msgLegacy)
			}
			if v.vars && vdVariableBeforeResourcePart(r) {
				v.warnAt(sp, "Policy variables are expanded only in the resource part of an ARN, after the fifth colon: "+r+" keeps its ${...} as written.")
			}
		}
	}
}

// vdResourceError returns IAM's error for a Resource or NotResource value
// that is not "*" and not an ARN, or "" for a well-formed one.
func vdResourceError(r string) string {
	if r == "*" {
		return ""
	}
	_, rest, ok := strings.Cut(r, ":") // IAM does not look at the "arn" itself
	if !ok {
		return fmt.Sprintf(`Resource %s must be in ARN format or "*".`, r)
	}
	partition, rest, ok := strings.Cut(rest, ":")
	if partition != "*" && !vdPartitions[partition] {
		// IAM shows the resource with its missing parts as "*".
		parts := strings.Split(rest, ":")
		field := func(i int) string {
			if i < len(parts) {
				return parts[i]
			}
			return "*"
		}
		first := field(0)
		if first == "" && len(parts) == 1 {
			first = "*"
		}
		last := "*"
		if len(parts) > 3 {
			last = strings.Join(parts[3:], ":")
		}
		return fmt.Sprintf(`Partition "%s" is not valid for resource "arn:%s:%s:%s:%s:%s".`, partition, partition, first, field(1), field(2), last)
	}
	if !ok {
		return msgResourceVendor
	}
	service, rest, _ := strings.Cut(rest, ":")
	region, rest, _ := strings.Cut(rest, ":")
	_, resource, _ := strings.Cut(rest, ":")
	switch service {
	case "iam":
		if region != "" {
			return "IAM resource " + r + " cannot contain region information."
		}
		if resource != "*" && resource != "root" && !vdHasPrefix(resource, vdIAMPaths) {
			return msgIAMPath
		}
	case "s3":
		if region != "" && !vdHasPrefix(resource, vdS3RegionalTypes) {
			return "Resource " + r + " can not contain region information."
		}
	}
	return ""
}

// vdS3RegionalTypes are the S3 resource types whose ARNs have a Region.
var vdS3RegionalTypes = []string{"accesspoint/", "job/", "storage-lens/", "storage-lens-group/", "access-grants/", "async-request/"}

func vdHasPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

var vdIAMPaths = []string{"user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/",
	"server-certificate/", "policy/", "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/"}

// vdResourceFailsLegacy reports whether IAM's legacy parser rejects an ARN
// that has "::" but fewer than five colons, or an empty service.
func vdResourceFailsLegacy(r string) bool {
	if r == "*" {
		return false
	}
	if strings.Count(r, ":") < 5 && strings.Contains(r, "::") {
		return true
	}
	parts := strings.SplitN(r, ":", 4)
	return len(parts) < 3 || parts[2] == ""
}

// vdVariableBeforeResourcePart reports whether an ARN has a policy
// variable before its fifth colon, counting only colons outside ${...}.
func vdVariableBeforeResourcePart(r string) bool {
	colons := 0
	for i := 0; i < len(r) && colons < 5; i++ {
		switch {
		case strings.HasPrefix(r[i:], "${"):
			return true
		case r[i] == ':':
			colons++
		}
	}
	return false
}

// vdOperators are IAM's condition operators without ForAllValues: or
// ForAnyValue: and IfExists, each with whether its values may hold policy
// variables (the String and Arn operators).
var vdOperators = map[string]bool{
	"StringEquals": true, "StringNotEquals": true, "StringEqualsIgnoreCase": true,
	"StringNotEqualsIgnoreCase": true, "StringLike": true, "StringNotLike": true,
	"NumericEquals": false, "NumericNotEquals": false, "NumericLessThan": false,
	"NumericLessThanEquals": false, "NumericGreaterThan": false, "NumericGreaterThanEquals": false,
	"DateEquals": false, "DateNotEquals": false, "DateLessThan": false,
	"DateLessThanEquals": false, "DateGreaterThan": false, "DateGreaterThanEquals": false,
	"Bool": false, "BinaryEquals": false, "IpAddress": false, "NotIpAddress": false,
	"ArnEquals": true, "ArnLike": true, "ArnNotEquals": true, "ArnNotLike": true,
	"Null": false,
}

// vdOperatorBase strips the set qualifier and IfExists from op and reports
// whether the result is an operator IAM defines. IfExists does not apply to
// Null.
func vdOperatorBase(op string) (base string, ok bool) {
	base = op
	if b, cut := strings.CutPrefix(base, "ForAllValues:"); cut {
		base = b
	} else if b, cut := strings.CutPrefix(base, "ForAnyValue:"); cut {
		base = b
	}
	if b, cut := strings.CutSuffix(base, "IfExists"); cut {
		if b == "Null" {
			return b, false
		}
		base = b
	}
	_, ok = vdOperators[base]
	return base, ok
}

func (v *policyValidator) conditions(st *Statement) {
	sp := st.Span
	for _, c := range st.Conditions {
		base, ok := vdOperatorBase(c.Operator)
		if !ok {
			v.errAt(sp, msgSyntax)
			continue
		}
		if !strings.Contains(c.Key, ":") {
			v.warnAt(sp, "Condition key "+c.Key+" has no vendor prefix such as aws: or s3:; no request has it.")
		}
		for _, val := range c.Values {
			if strings.HasPrefix(base, "Date") {
				if !vdLegacyDate(val) {
					v.errAt(sp, msgLegacy)
				}
				continue
			}
			if v.vars && !vdOperators[base] && strings.Contains(val, "${") {
				v.warnAt(sp, "Policy variables are expanded only with String and Arn operators: "+c.Operator+" compares "+val+" as written.")
				continue
			}
			if msg := vdValueWarning(base, val); msg != "" {
				v.warnAt(sp, c.Operator+" value "+strconv.Quote(val)+" for "+c.Key+" "+msg)
			}
		}
	}
}

// vdValueWarning returns why a value can never match its operator, or "".
func vdValueWarning(base, val string) string {
	switch {
	case strings.HasPrefix(base, "Numeric"):
		if _, err := strconv.ParseFloat(val, 64); err != nil {
			return "is not a number."
		}
	case base == "Bool" || base == "Null":
		if !strings.EqualFold(val, "true") && !strings.EqualFold(val, "false") {
			return "is neither true nor false."
		}
	case base == "IpAddress" || base == "NotIpAddress":
		if _, err := netip.ParsePrefix(val); err != nil {
			if _, err := netip.ParseAddr(val); err != nil {
				return "is not an IP address or CIDR block."
			}
		}
	}
	return ""
}

// vdLegacyDate reports whether IAM's legacy parser accepts a Date
// condition value: an ISO 8601 date and time (when the value has a "t" or
// "-") or a count of seconds from 0 to 2^63-1.
func vdLegacyDate(val string) bool {
	low := strings.ToLower(val)
	if !strings.Contains(low, "t") && !strings.Contains(low, "-") {
		n, err := strconv.ParseInt(val, 10, 64)
		return err == nil && n >= 0
	}
	date, clock, _ := strings.Cut(low, "t")
	negative := strings.HasPrefix(date, "-")
	if negative {
		date = date[1:]
	}
	fields := strings.Split(date, "-")
	if len(fields) > 3 {
		return false
	}
	year, ok := vdInt(fields[0])
	if negative {
		year = -year
	}
	if !ok || year < -292275054 || year > 292278993 {
		return false
	}
	if len(fields) > 1 && !vdIntIn(fields[1], 1, 12) || len(fields) > 2 && !vdIntIn(fields[2], 1, 31) {
		return false
	}
	parts := strings.Split(clock, ":")
	if parts[0] != "" && !vdIntIn(parts[0], 0, 23) {
		return false
	}
	if len(parts) > 1 && !vdIntIn(parts[1], 0, 59) {
		return false
	}
	if len(parts) < 3 {
		return true
	}
	// Seconds, with a fraction and a zone: ss[.fff][z|+hh[:mm]]; the zone
	// may itself hold a colon, so take the rest of the clock.
	sec := strings.Join(parts[2:], ":")
	if s, zone, ok := strings.Cut(sec, "z"); ok {
		if zone != "" {
			return false
		}
		sec = s
	} else if s, zone, ok := vdCutZone(sec); ok {
		hh, mm, hasMM := strings.Cut(zone, ":")
		if len(hh) != 2 || !vdIntIn(hh, 0, 23) || hasMM && (len(mm) != 2 || !vdIntIn(mm, 0, 59)) {
			return false
		}
		sec = s
	} else if len(parts) > 3 {
		return false
	}
	whole, frac, hasFrac := strings.Cut(sec, ".")
	if !vdIntIn(whole, 0, 59) {
		return false
	}
	return !hasFrac || vdIntIn(frac, 0, 999999999)
}

// vdCutZone splits seconds from a +hh[:mm] or -hh[:mm] zone.
func vdCutZone(sec string) (before, zone string, found bool) {
	if i := strings.IndexAny(sec, "+-"); i >= 0 {
		return sec[:i], sec[i+1:], true
	}
	return sec, "", false
}

// vdInt parses a run of ASCII digits, as Python's int() would take it.
func vdInt(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

func vdIntIn(s string, lo, hi int64) bool {
	n, ok := vdInt(s)
	return ok && n >= lo && n <= hi
}

func vdAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// vdStatementHasVariable reports whether a statement has "${" in a value
// that Version 2012-10-17 would expand.
func vdStatementHasVariable(st *Statement) bool {
	for _, list := range [][]string{st.Resource, st.NotResource} {
		for _, s := range list {
			if strings.Contains(s, "${") {
				return true
			}
		}
	}
	for _, c := range st.Conditions {
		for _, s := range c.Values {
			if strings.Contains(s, "${") {
				return true
			}
		}
	}
	return false
}
