package simulator

// The input and output types use the member names of IAM's API model.

// ContextEntry is a context key with its values and type, as a simulation
// supplies it.
type ContextEntry struct {
	ContextKeyName   string
	ContextKeyValues []string
	// ContextKeyType is string, stringList, numeric, numericList, boolean,
	// booleanList, ip, ipList, binary, binaryList, date or dateList.
	ContextKeyType string
}

// SimulateCustomPolicyInput is SimulateCustomPolicy's request.
type SimulateCustomPolicyInput struct {
	PolicyInputList                    []string
	PermissionsBoundaryPolicyInputList []string
	// OrderedOrganizationPolicyInputList holds the SCPs of each level of
	// the organization, from the root to the account.
	OrderedOrganizationPolicyInputList [][]string
	ActionNames                        []string
	ResourceArns                       []string
	ResourcePolicy                     string
	ResourceOwner                      string
	CallerArn                          string
	ContextEntries                     []ContextEntry
	ResourceHandlingOption             string
	MaxItems                           *int32
	Marker                             string
}

// SimulatePrincipalPolicyInput is SimulatePrincipalPolicy's request.
type SimulatePrincipalPolicyInput struct {
	PolicySourceArn                    string
	PolicyInputList                    []string
	PermissionsBoundaryPolicyInputList []string
	ActionNames                        []string
	ResourceArns                       []string
	ResourcePolicy                     string
	ResourceOwner                      string
	CallerArn                          string
	ContextEntries                     []ContextEntry
	ResourceHandlingOption             string
	MaxItems                           *int32
	Marker                             string
}

// SimulatePolicyOutput is the response of both simulations.
type SimulatePolicyOutput struct {
	EvaluationResults []EvaluationResult
	IsTruncated       bool
	// Marker is set when IsTruncated is.
	Marker string
}

// EvaluationResult is the simulation of one action, aggregated over its
// resources: the most restrictive decision of any resource.
type EvaluationResult struct {
	EvalActionName string
	// EvalResourceName is "*" (see the package documentation).
	EvalResourceName string
	// EvalDecision is allowed, explicitDeny or implicitDeny.
	EvalDecision string
	// MatchedStatements are the statements of identity-based, boundary and
	// resource-based policies that decided an allowed or explicitDeny
	// result (none for implicitDeny); never SCPs.
	MatchedStatements []Statement
	// MissingContextValues are the context keys the policies (not the SCPs)
	// reference for this action that the simulation did not supply.
	MissingContextValues []string
	// OrganizationsDecisionDetail is set when SCPs (or RCPs) take part.
	OrganizationsDecisionDetail *OrganizationsDecisionDetail
	// PermissionsBoundaryDecisionDetail is set when a permissions boundary
	// takes part.
	PermissionsBoundaryDecisionDetail *PermissionsBoundaryDecisionDetail
	// EvalDecisionDetails says what each side decided, by policy kind, for
	// a cross-account simulation; it is empty (but present) for a
	// same-account simulation of named resources and nil for "*".
	EvalDecisionDetails map[string]string
	// ResourceSpecificResults has one result per named resource; nil when
	// the simulation names none.
	ResourceSpecificResults []ResourceSpecificResult
}

// ResourceSpecificResult is the simulation of one action on one resource.
type ResourceSpecificResult struct {
	EvalResourceName                  string
	EvalResourceDecision              string
	MatchedStatements                 []Statement
	MissingContextValues              []string
	EvalDecisionDetails               map[string]string
	PermissionsBoundaryDecisionDetail *PermissionsBoundaryDecisionDetail
}

// Statement names a policy statement that decided a result.
type Statement struct {
	SourcePolicyId   string
	SourcePolicyType SourceType
	StartPosition    Position
	EndPosition      Position
}

// Position is a place in a policy document, as IAM reports it: the line,
// and the column just after the statement's opening or closing brace.
type Position struct {
	Line   int
	Column int
}

// OrganizationsDecisionDetail says whether the organization's policies
// allow the request.
type OrganizationsDecisionDetail struct {
	AllowedByOrganizations bool
}

// PermissionsBoundaryDecisionDetail says whether the permissions boundary
// allows the request.
type PermissionsBoundaryDecisionDetail struct {
	AllowedByPermissionsBoundary bool
}

// GetContextKeysForCustomPolicyInput is GetContextKeysForCustomPolicy's
// request.
type GetContextKeysForCustomPolicyInput struct {
	PolicyInputList []string
}

// GetContextKeysForPrincipalPolicyInput is
// GetContextKeysForPrincipalPolicy's request.
type GetContextKeysForPrincipalPolicyInput struct {
	PolicySourceArn string
	PolicyInputList []string
}

// GetContextKeysForPolicyOutput is the response of both context key
// operations.
type GetContextKeysForPolicyOutput struct {
	ContextKeyNames []string
}

// SourceType is the kind of policy a matched statement comes from.
type SourceType string

// The source types (PolicySourceType).
const (
	SourceUser        SourceType = "user"         // an inline policy of a user
	SourceGroup       SourceType = "group"        // an inline policy of a group
	SourceRole        SourceType = "role"         // an inline policy of a role
	SourceAWSManaged  SourceType = "aws-managed"  // an AWS managed policy
	SourceUserManaged SourceType = "user-managed" // a customer managed policy
	SourceResource    SourceType = "resource"     // the ResourcePolicy
	// Policies given in PolicyInputList and PermissionsBoundaryPolicyInputList
	// have no source type: IAM leaves SourcePolicyType out for them.
)
