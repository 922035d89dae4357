// Package policy implements the AWS IAM policy language: it parses policy
// JSON (keeping the line and column of every statement), validates it per
// policy type with IAM's error texts, compiles it once and evaluates
// requests against sets of compiled policies in the order AWS documents:
// explicit deny, resource control policies, service control policies,
// resource-based policies, identity-based policies, permissions boundaries
// and session policies.
//
// The package uses the standard library only. Compiled policies are
// immutable and safe for concurrent use; [Decide] does not allocate.
package policy
