// Package iam is the AWS Identity and Access Management service of
// Gatehouse: per account, users, groups and their memberships, roles with
// trust policies, customer managed policies with versions, the AWS
// managed policies, inline policies, permissions boundaries, access keys,
// login profiles and tags, with AWS's names, unique ids, ARNs, limits and
// error texts.
//
// Every policy document is validated by the policy package with IAM's
// MalformedPolicyDocument texts. Every change to what authorization sees
// (policies, attachments, memberships, boundaries, roles, keys) bumps the
// store generation in its transaction, so the caches of compiled policy
// sets drop.
//
// The Service also answers authorization's and STS's questions: it
// implements authz.Identities (IdentityPolicies), finds roles by ARN
// (RoleByARN) and managed policy documents by ARN (PolicyDocument), and
// creates the OrganizationAccountAccessRole of accounts that AWS
// Organizations creates (ProvisionAccountRole).
//
// Operations are methods (ctx, *principal.Caller, In) (Out, error); In
// and Out are named and shaped like the IAM API's members, and the
// caller's account is the namespace an operation works in. The package
// never sees HTTP or XML.
package iam
