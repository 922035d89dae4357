// Package org is Gatehouse's AWS Organizations service: the organization,
// its root and organizational units, the accounts in it, organization
// policies (SCPs, RCPs and the other policy types) and where they are
// attached, trusted service access, delegated administrators and tags.
//
// The package holds business rules only. Its operations take the
// authenticated caller and an input struct and return an output struct
// or an *awserr.Error carrying the code, message, HTTP status and Reason
// AWS Organizations answers with; the types use the field names of the
// AWS SDK for Go v2 (service/organizations/types), so an adapter maps
// them to the wire one to one. Records are stored as JSON through package
// store, each operation in one transaction.
//
// Whether a caller's IAM policies or SCPs allow an operation is decided
// before the operation runs (package authz). This package decides only
// what AWS Organizations itself enforces: who may call an operation at
// all (the management account; delegated administrators for the
// read-only operations; any member for DescribeOrganization), and the
// rules and limits of the organization.
//
// Beyond the API, the Service answers the policy pipeline's questions
// (PolicyLevels, AccountContext) and keeps the account registry
// (EnsureManagementAccount, LookupAccount, AccountProvisioner).
package org
