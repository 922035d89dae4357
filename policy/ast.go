package policy

// Position is a place in a policy's source text. Line and Column count
// from 1; Column counts bytes.
type Position struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Span is the source range of an element, from the first byte of its
// opening token to the last byte of its closing token.
type Span struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// Document is a parsed policy, faithful to its source: values are kept as
// written, and elements that are absent are nil.
type Document struct {
	// Version is the Version element, "" when absent.
	Version string
	// HasVersion reports whether the Version element was present.
	HasVersion bool
	// ID is the Id element.
	ID string
	// Statements are the statements in source order.
	Statements []*Statement
	// StatementIsArray reports whether Statement was written as an array.
	StatementIsArray bool
	// Unknown lists top-level element names that IAM does not define.
	Unknown []string
	// Size is the number of characters of the source, white space included.
	Size int
	// SizeNoSpace is the number of characters of the source that are not
	// white space, the measure IAM applies to managed policies.
	SizeNoSpace int
}

// Statement is one statement of a policy.
type Statement struct {
	Sid    string
	HasSid bool
	// Effect is the Effect element as written ("" when absent).
	Effect string
	// Action, NotAction, Resource and NotResource are nil when absent.
	Action, NotAction     []string
	Resource, NotResource []string
	// Principal and NotPrincipal are nil when absent.
	Principal, NotPrincipal *Principal
	// Conditions are the condition entries in source order, one for each
	// operator and key pair.
	Conditions []Condition
	// HasCondition reports whether the Condition element was present.
	HasCondition bool
	// Unknown lists element names that IAM does not define.
	Unknown []string
	// Span is the statement's place in the source.
	Span Span
}

// Principal is a Principal or NotPrincipal element.
type Principal struct {
	// Wildcard is set for the bare string "*".
	Wildcard bool
	// AWS, Service, Federated and CanonicalUser hold the values listed
	// under those keys.
	AWS, Service, Federated, CanonicalUser []string
	// Unknown lists principal types IAM does not define.
	Unknown []string
}

// Condition is one operator and key pair of a Condition block, such as
// "StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}.
type Condition struct {
	// Operator is the operator as written, with any ForAllValues: or
	// ForAnyValue: prefix and IfExists suffix.
	Operator string
	// Key is the condition key as written.
	Key string
	// Values are the values as strings; JSON numbers and booleans are kept
	// as their source text.
	Values []string
	// NonString reports whether a value was written as a JSON number or
	// boolean rather than a string.
	NonString bool
}
