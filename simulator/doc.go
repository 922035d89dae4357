// Package simulator is the IAM policy simulator: SimulateCustomPolicy,
// SimulatePrincipalPolicy, GetContextKeysForCustomPolicy and
// GetContextKeysForPrincipalPolicy with IAM's request and result shapes.
//
// The simulator and real enforcement share one code path: a simulation
// builds its policy set and request with authz.Prepare, exactly as
// authz.Authorize does, and asks policy.Explain, which is the evaluator of
// policy.Decide. The simulator adds only what enforcement does not know:
// policies given as text, context keys given with their types, and the
// shape of the answer.
//
// Documented divergences from AWS:
//   - EvalResourceName of an EvaluationResult is "*": AWS reports the ARN
//     format of the action's resource type there, "or * if no ARN format
//     is defined for the action", and Gatehouse defines none.
//   - ResourceHandlingOption checks only that the ARNs its EC2 scenario
//     requires are present; EC2 itself is not simulated.
//   - A ResourcePolicy is applied to every resource without checking that
//     it fits each one's service.
//   - SimulatePrincipalPolicy also applies the resource control policies of
//     the resource owner's account, as enforcement does, and reports them
//     in OrganizationsDecisionDetail.
//   - Context entries win over the principal keys the simulator derives
//     (aws:PrincipalArn, aws:username ...): they are the scenario asked for.
package simulator
