package org

import "time"

// OrganizationFeatureSet is the feature set of an organization.
type OrganizationFeatureSet string

// The feature sets.
const (
	FeatureSetAll                 OrganizationFeatureSet = "ALL"
	FeatureSetConsolidatedBilling OrganizationFeatureSet = "CONSOLIDATED_BILLING"
)

// PolicyType is the type of an organization policy.
type PolicyType string

// The policy types of the AWS Organizations API.
const (
	PolicyTypeServiceControlPolicy          PolicyType = "SERVICE_CONTROL_POLICY"
	PolicyTypeResourceControlPolicy         PolicyType = "RESOURCE_CONTROL_POLICY"
	PolicyTypeTagPolicy                     PolicyType = "TAG_POLICY"
	PolicyTypeBackupPolicy                  PolicyType = "BACKUP_POLICY"
	PolicyTypeAiservicesOptOutPolicy        PolicyType = "AISERVICES_OPT_OUT_POLICY"
	PolicyTypeChatbotPolicy                 PolicyType = "CHATBOT_POLICY"
	PolicyTypeDeclarativePolicyEc2          PolicyType = "DECLARATIVE_POLICY_EC2"
	PolicyTypeSecurityhubPolicy             PolicyType = "SECURITYHUB_POLICY"
	PolicyTypeInspectorPolicy               PolicyType = "INSPECTOR_POLICY"
	PolicyTypeUpgradeRolloutPolicy          PolicyType = "UPGRADE_ROLLOUT_POLICY"
	PolicyTypeBedrockPolicy                 PolicyType = "BEDROCK_POLICY"
	PolicyTypeS3Policy                      PolicyType = "S3_POLICY"
	PolicyTypeNetworkSecurityDirectorPolicy PolicyType = "NETWORK_SECURITY_DIRECTOR_POLICY"
)

// PolicyTypeStatus is the status of a policy type in a root.
type PolicyTypeStatus string

// The policy type statuses. Gatehouse enables and disables policy types
// at once, so it reports only ENABLED.
const (
	PolicyTypeStatusEnabled        PolicyTypeStatus = "ENABLED"
	PolicyTypeStatusPendingEnable  PolicyTypeStatus = "PENDING_ENABLE"
	PolicyTypeStatusPendingDisable PolicyTypeStatus = "PENDING_DISABLE"
)

// AccountStatus is the status of an account in the organization
// (deprecated by AWS in favour of AccountState, still returned).
type AccountStatus string

// The account statuses.
const (
	AccountStatusActive         AccountStatus = "ACTIVE"
	AccountStatusSuspended      AccountStatus = "SUSPENDED"
	AccountStatusPendingClosure AccountStatus = "PENDING_CLOSURE"
)

// AccountState is the state of an account.
type AccountState string

// The account states.
const (
	AccountStatePendingActivation AccountState = "PENDING_ACTIVATION"
	AccountStateActive            AccountState = "ACTIVE"
	AccountStateSuspended         AccountState = "SUSPENDED"
	AccountStatePendingClosure    AccountState = "PENDING_CLOSURE"
	AccountStateClosed            AccountState = "CLOSED"
)

// AccountJoinedMethod says how an account joined its organization.
type AccountJoinedMethod string

// The ways an account joins an organization. The management account
// reports INVITED, as in AWS.
const (
	AccountJoinedMethodInvited AccountJoinedMethod = "INVITED"
	AccountJoinedMethodCreated AccountJoinedMethod = "CREATED"
)

// CreateAccountState is the state of a CreateAccount request.
type CreateAccountState string

// The CreateAccount request states.
const (
	CreateAccountStateInProgress CreateAccountState = "IN_PROGRESS"
	CreateAccountStateSucceeded  CreateAccountState = "SUCCEEDED"
	CreateAccountStateFailed     CreateAccountState = "FAILED"
)

// CreateAccountFailureReason says why a CreateAccount request failed.
type CreateAccountFailureReason string

// The failure reasons Gatehouse reports.
const (
	CreateAccountFailureReasonEmailAlreadyExists CreateAccountFailureReason = "EMAIL_ALREADY_EXISTS"
)

// IAMUserAccessToBilling says whether IAM users of a new account may see
// its billing information.
type IAMUserAccessToBilling string

// The IAMUserAccessToBilling values.
const (
	IAMUserAccessToBillingAllow IAMUserAccessToBilling = "ALLOW"
	IAMUserAccessToBillingDeny  IAMUserAccessToBilling = "DENY"
)

// ChildType is the type of a child of a root or OU.
type ChildType string

// The child types.
const (
	ChildTypeAccount            ChildType = "ACCOUNT"
	ChildTypeOrganizationalUnit ChildType = "ORGANIZATIONAL_UNIT"
)

// ParentType is the type of a parent of an OU or account.
type ParentType string

// The parent types.
const (
	ParentTypeRoot               ParentType = "ROOT"
	ParentTypeOrganizationalUnit ParentType = "ORGANIZATIONAL_UNIT"
)

// TargetType is the type of a policy target.
type TargetType string

// The target types.
const (
	TargetTypeAccount            TargetType = "ACCOUNT"
	TargetTypeOrganizationalUnit TargetType = "ORGANIZATIONAL_UNIT"
	TargetTypeRoot               TargetType = "ROOT"
)

// Organization describes an organization.
type Organization struct {
	Id                 string
	Arn                string
	FeatureSet         OrganizationFeatureSet
	MasterAccountArn   string
	MasterAccountId    string
	MasterAccountEmail string
	// AvailablePolicyTypes is deprecated by AWS; Gatehouse reports the
	// policy types enabled in the root.
	AvailablePolicyTypes []PolicyTypeSummary
}

// PolicyTypeSummary is a policy type and its status in a root.
type PolicyTypeSummary struct {
	Type   PolicyType
	Status PolicyTypeStatus
}

// Root describes the root of an organization.
type Root struct {
	Id          string
	Arn         string
	Name        string
	PolicyTypes []PolicyTypeSummary
}

// OrganizationalUnit describes an OU.
type OrganizationalUnit struct {
	Id   string
	Arn  string
	Name string
	// Path is the OU's path: o-ORG/r-ROOT/ou-.../ou-ID/.
	Path string
}

// Account describes an account in an organization.
type Account struct {
	Id     string
	Arn    string
	Email  string
	Name   string
	Status AccountStatus
	State  AccountState
	// Paths holds the account's path: o-ORG/r-ROOT/ou-.../ACCOUNT/.
	Paths           []string
	JoinedMethod    AccountJoinedMethod
	JoinedTimestamp time.Time
}

// CreateAccountStatus is the status of a CreateAccount request. Zero
// values are absent fields.
type CreateAccountStatus struct {
	Id                 string
	AccountName        string
	State              CreateAccountState
	RequestedTimestamp time.Time
	CompletedTimestamp time.Time
	AccountId          string
	FailureReason      CreateAccountFailureReason
}

// Child is a child of a root or OU.
type Child struct {
	Id   string
	Type ChildType
}

// Parent is the parent of an OU or account.
type Parent struct {
	Id   string
	Type ParentType
}

// PolicySummary describes a policy without its content.
type PolicySummary struct {
	Id          string
	Arn         string
	Name        string
	Description string
	Type        PolicyType
	AwsManaged  bool
}

// Policy is a policy with its content.
type Policy struct {
	PolicySummary PolicySummary
	Content       string
}

// PolicyTargetSummary describes a root, OU or account a policy is
// attached to.
type PolicyTargetSummary struct {
	TargetId string
	Arn      string
	Name     string
	Type     TargetType
}

// EnabledServicePrincipal is a service with trusted access to the
// organization.
type EnabledServicePrincipal struct {
	ServicePrincipal string
	DateEnabled      time.Time
}

// DelegatedAdministrator is an account registered as a delegated
// administrator for at least one service.
type DelegatedAdministrator struct {
	Id                    string
	Arn                   string
	Email                 string
	Name                  string
	Status                AccountStatus
	State                 AccountState
	JoinedMethod          AccountJoinedMethod
	JoinedTimestamp       time.Time
	DelegationEnabledDate time.Time
}

// DelegatedService is a service an account is a delegated administrator
// for.
type DelegatedService struct {
	ServicePrincipal      string
	DelegationEnabledDate time.Time
}

// Tag is a key-value pair attached to a root, OU, account or policy.
type Tag struct {
	Key   string
	Value string
}

// PolicyDocument is the content of a policy attached at one level of an
// account's path, for policy evaluation.
type PolicyDocument struct {
	// Id is the policy's id, such as p-FullAWSAccess.
	Id string
	// Content is the policy's JSON text.
	Content string
}
