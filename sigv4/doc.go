// Package sigv4 verifies HTTP requests signed with AWS Signature Version 4
// (algorithm AWS4-HMAC-SHA256), the way an AWS service front end does.
//
// Both forms of SigV4 are supported: the Authorization header and
// query-string authentication (presigned URLs, X-Amz-* parameters).
//
// Verification is split in two steps so that a server can route and look up
// keys before doing any cryptography:
//
//	sig, err := sigv4.Parse(r) // syntax only; exposes the credential scope
//	if err != nil { ... }
//	if err := sig.CheckScope("us-east-1", "organizations"); err != nil { ... }
//	secret, ok := lookup(sig.AccessKeyID())
//	if !ok { return sigv4.InvalidClientTokenID() }
//	err = sig.Verify(r, body, secret, time.Now())
//
// [Verifier] bundles those steps. Every failure is an [*Error] carrying the
// AWS error code, the HTTP status AWS answers with, and an AWS-style message.
//
// [Sign] and [Presign] produce signatures with the same canonicalization; they
// exist for tests and tools. The package's own tests check compatibility
// against the AWS SDK for Go v2 signer.
//
// The package depends on the standard library only.
package sigv4
