package iam

import "time"

// The types below are the IAM API's shapes; field names are the model's
// member names. Optional members are pointers or empty strings; a nil
// list is left out of a response, an empty one is sent empty.

// Tag is a key and value attached to a user, role or policy.
type Tag struct {
	Key   string `query:",required"`
	Value string `query:",required"`
}

// AttachedPermissionsBoundary is the permissions boundary of a user or
// role.
type AttachedPermissionsBoundary struct {
	PermissionsBoundaryType string // always PermissionsBoundaryPolicy
	PermissionsBoundaryArn  string
}

// User is an IAM user.
type User struct {
	Path                string
	UserName            string
	UserId              string
	Arn                 string
	CreateDate          time.Time
	PasswordLastUsed    *time.Time
	PermissionsBoundary *AttachedPermissionsBoundary
	Tags                []Tag
}

// Group is an IAM group.
type Group struct {
	Path       string
	GroupName  string
	GroupId    string
	Arn        string
	CreateDate time.Time
}

// RoleLastUsed is when and where a role was last used.
type RoleLastUsed struct {
	LastUsedDate *time.Time
	Region       string
}

// Role is an IAM role. AssumeRolePolicyDocument is its trust policy.
type Role struct {
	Path                     string
	RoleName                 string
	RoleId                   string
	Arn                      string
	CreateDate               time.Time
	AssumeRolePolicyDocument string
	Description              string
	MaxSessionDuration       *int32
	PermissionsBoundary      *AttachedPermissionsBoundary
	Tags                     []Tag
	RoleLastUsed             *RoleLastUsed
}

// Policy is a managed policy: customer managed, or AWS managed.
type Policy struct {
	PolicyName                    string
	PolicyId                      string
	Arn                           string
	Path                          string
	DefaultVersionId              string
	AttachmentCount               *int32
	PermissionsBoundaryUsageCount *int32
	IsAttachable                  bool
	Description                   string
	CreateDate                    time.Time
	UpdateDate                    time.Time
	Tags                          []Tag
}

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	Document         string
	VersionId        string
	IsDefaultVersion bool
	CreateDate       time.Time
}

// AttachedPolicy names a managed policy attached to a user, group or role.
type AttachedPolicy struct {
	PolicyName string
	PolicyArn  string
}

// PolicyGroup, PolicyUser and PolicyRole name the entities a managed
// policy is attached to.
type (
	PolicyGroup struct{ GroupName, GroupId string }
	PolicyUser  struct{ UserName, UserId string }
	PolicyRole  struct{ RoleName, RoleId string }
)

// AccessKey is a new access key with its secret, returned only by
// CreateAccessKey.
type AccessKey struct {
	UserName        string
	AccessKeyId     string
	Status          string
	SecretAccessKey string `json:"-"`
	CreateDate      time.Time
}

// AccessKeyMetadata is an access key without its secret.
type AccessKeyMetadata struct {
	UserName    string
	AccessKeyId string
	Status      string
	CreateDate  time.Time
}

// AccessKeyLastUsed is when, where and with what an access key was last
// used.
type AccessKeyLastUsed struct {
	LastUsedDate *time.Time
	ServiceName  string
	Region       string
}

// LoginProfile is a user's console password, without the password.
type LoginProfile struct {
	UserName              string
	CreateDate            time.Time
	PasswordResetRequired bool
}

// PolicyDetail is an inline policy in GetAccountAuthorizationDetails.
type PolicyDetail struct {
	PolicyName     string
	PolicyDocument string
}

// UserDetail is a user in GetAccountAuthorizationDetails.
type UserDetail struct {
	Path                    string
	UserName                string
	UserId                  string
	Arn                     string
	CreateDate              time.Time
	UserPolicyList          []PolicyDetail
	GroupList               []string
	AttachedManagedPolicies []AttachedPolicy
	PermissionsBoundary     *AttachedPermissionsBoundary
	Tags                    []Tag
}

// GroupDetail is a group in GetAccountAuthorizationDetails.
type GroupDetail struct {
	Path                    string
	GroupName               string
	GroupId                 string
	Arn                     string
	CreateDate              time.Time
	GroupPolicyList         []PolicyDetail
	AttachedManagedPolicies []AttachedPolicy
}

// InstanceProfile is an instance profile (Gatehouse has none; the type
// keeps RoleDetail's shape).
type InstanceProfile struct {
	Path, InstanceProfileName, InstanceProfileId, Arn string
	CreateDate                                        time.Time
}

// RoleDetail is a role in GetAccountAuthorizationDetails.
type RoleDetail struct {
	Path                     string
	RoleName                 string
	RoleId                   string
	Arn                      string
	CreateDate               time.Time
	AssumeRolePolicyDocument string
	InstanceProfileList      []InstanceProfile
	RolePolicyList           []PolicyDetail
	AttachedManagedPolicies  []AttachedPolicy
	PermissionsBoundary      *AttachedPermissionsBoundary
	Tags                     []Tag
	RoleLastUsed             *RoleLastUsed
}

// ManagedPolicyDetail is a managed policy in
// GetAccountAuthorizationDetails.
type ManagedPolicyDetail struct {
	PolicyName                    string
	PolicyId                      string
	Arn                           string
	Path                          string
	DefaultVersionId              string
	AttachmentCount               *int32
	PermissionsBoundaryUsageCount *int32
	IsAttachable                  bool
	Description                   string
	CreateDate                    time.Time
	UpdateDate                    time.Time
	PolicyVersionList             []PolicyVersion
}

// Page is the paging input of List operations.
type Page struct {
	Marker   string
	MaxItems *int32
}

// PageOut is the paging output of List operations.
type PageOut struct {
	IsTruncated bool
	Marker      string
}

func int32p(n int) *int32 { v := int32(n); return &v }
