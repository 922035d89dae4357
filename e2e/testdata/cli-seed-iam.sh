#!/usr/bin/env bash
# End-to-end test of Gatehouse with the AWS CLI v2 (Debian's awscli): the
# seed's setup. The management account builds the organization (three
# OUs, an account in each, the Private Marketplace admin SCP on every OU);
# its operator, an IAM user, goes through OrganizationAccountAccessRole
# into the shared services account and creates the procurement-manager
# role (AWSPrivateMarketplaceAdminFullAccess) and an admin role
# (AdministratorAccess) there. Then, as each role, the IAM policy
# simulator and real requests show the controls at work: only the
# procurement manager may administer the Private Marketplace, the admin
# still administers IAM, and the management account is not bound by SCPs.
#
# Environment: as cli-organizations.sh, and
#   AWS_CLI_V1          an AWS CLI v1 (botocore 1.43) for the role_arn profile check
set -euo pipefail

: "${GATEHOUSE_ENDPOINT:?set GATEHOUSE_ENDPOINT to the Gatehouse URL}"
: "${GATEHOUSE_ACCOUNT:?set GATEHOUSE_ACCOUNT to the management account id}"
AWS_CLI=${AWS_CLI:-/usr/bin/aws}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SEED_SCP=${SEED_SCP:-$HERE/pmp-admin-scp-2019.json}
OUS=(shared-services retail technology)
PMP_ADMIN=aws-marketplace:AssociateProductsWithPrivateMarketplace

# shellcheck source=cli-lib.sh
source "$HERE/cli-lib.sh"

# The shared services account's roles, made through
# OrganizationAccountAccessRole, which CreateAccount provisioned.
create_roles() {
	local shared=${ACCOUNT_ID[shared-services]} trust
	assume setup "arn:aws:iam::$shared:role/OrganizationAccountAccessRole"
	trust=$(printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}' "$GATEHOUSE_ACCOUNT")
	as setup iam create-role --role-name procurement-manager --assume-role-policy-document "$trust" \
		--description "Administers the Private Marketplace" >/dev/null
	as setup iam attach-role-policy --role-name procurement-manager \
		--policy-arn arn:aws:iam::aws:policy/AWSPrivateMarketplaceAdminFullAccess
	# The procurement manager may check its own permissions.
	as setup iam put-role-policy --role-name procurement-manager --policy-name self-check \
		--policy-document "$(printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:SimulatePrincipalPolicy","Resource":"arn:aws:iam::%s:role/procurement-manager"}]}' "$shared")"
	as setup iam create-role --role-name admin --assume-role-policy-document "$trust" >/dev/null
	as setup iam attach-role-policy --role-name admin --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
	expect_eq "roles of shared services" \
		"$(as setup iam list-roles --query 'sort(Roles[].RoleName)' --output text)" \
		"$(printf 'OrganizationAccountAccessRole\tadmin\tprocurement-manager')"
	expect_eq "policies of procurement-manager" \
		"$(as setup iam list-attached-role-policies --role-name procurement-manager --query 'AttachedPolicies[].PolicyName' --output text)" \
		AWSPrivateMarketplaceAdminFullAccess
	# The roles live in the shared services account, not the management one.
	expect_error NoSuchEntity iam get-role --role-name procurement-manager
}

# simulate SESSION SOURCE_ARN ACTION: the simulator's decision.
simulate() {
	as "$1" iam simulate-principal-policy --policy-source-arn "$2" --action-names "$3" \
		--query 'EvaluationResults[0].EvalDecision' --output text
}

check_controls() {
	local shared=${ACCOUNT_ID[shared-services]}
	local pm="arn:aws:iam::$shared:role/procurement-manager" admin="arn:aws:iam::$shared:role/admin"
	assume pm "$pm"
	assume admin "$admin"
	expect_eq "procurement-manager may administer the Private Marketplace" "$(simulate pm "$pm" "$PMP_ADMIN")" allowed
	expect_eq "admin may not: the SCP denies it" "$(simulate admin "$admin" "$PMP_ADMIN")" explicitDeny
	expect_eq "the denial comes from the organization" \
		"$(as admin iam simulate-principal-policy --policy-source-arn "$admin" --action-names "$PMP_ADMIN" \
			--query 'EvaluationResults[0].OrganizationsDecisionDetail.AllowedByOrganizations' --output text)" False
	expect_eq "admin may still list roles" "$(simulate admin "$admin" iam:ListRoles)" allowed
	expect_eq "admin lists roles" "$(as admin iam list-roles --query 'length(Roles)' --output text)" 3
	# Real enforcement agrees: procurement-manager has no IAM read access.
	expect_error AccessDenied as pm iam list-roles
	# SCPs bind no principal of the management account.
	expect_eq "the management account is not bound by the SCP" \
		"$(simulate_ops "arn:aws:iam::$GATEHOUSE_ACCOUNT:user/ops" "$PMP_ADMIN")" allowed
}

simulate_ops() {
	as_ops iam simulate-principal-policy --policy-source-arn "$1" --action-names "$2" \
		--query 'EvaluationResults[0].EvalDecision' --output text
}

# A profile with role_arn and source_profile, as people configure the
# CLI: the CLI assumes the role itself. Debian's CLI v2.9 cannot send
# that AssumeRole to another endpoint; the CLI v1 (botocore 1.43) can,
# through AWS_ENDPOINT_URL. Skipped when AWS_CLI_V1 is not set.
check_profile() {
	if [[ -z "${AWS_CLI_V1:-}" ]]; then
		echo "skip - role_arn profiles: AWS_CLI_V1 is not set"
		return
	fi
	local shared=${ACCOUNT_ID[shared-services]}
	mkdir -p "$HOME/.aws"
	printf '[ops]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$OPS_KEY" "$OPS_SECRET" >"$HOME/.aws/credentials"
	printf '[profile ops]\nregion = us-east-1\n[profile admin]\nrole_arn = arn:aws:iam::%s:role/admin\nsource_profile = ops\nregion = us-east-1\n' \
		"$shared" >"$HOME/.aws/config"
	expect_match "caller of the admin profile" \
		"$(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_ENDPOINT_URL="$GATEHOUSE_ENDPOINT" \
			"$AWS_CLI_V1" --profile admin sts get-caller-identity --query Arn --output text)" \
		"^arn:aws:sts::$shared:assumed-role/admin/"
	expect_eq "roles through the admin profile" \
		"$(env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_ENDPOINT_URL="$GATEHOUSE_ENDPOINT" \
			"$AWS_CLI_V1" --profile admin iam list-roles --query 'length(Roles)' --output text)" 3
}

audit_trail() {
	expect_eq "who created procurement-manager" \
		"$(as setup trail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=CreateRole \
			--query "Events[?contains(CloudTrailEvent, 'procurement-manager')].Username" --output text)" setup
}

create_organization
create_ous
create_accounts
attach_seed_scp
create_operator
create_roles
check_controls
check_profile
audit_trail
echo "PASS: the seed's IAM setup through the AWS CLI"
