#!/usr/bin/env bash
# End-to-end test of Gatehouse with the AWS CLI v2 (Debian's awscli):
# builds the seed's organization — three OUs, an account in each, the
# Private Marketplace admin SCP on every OU — checks it, provokes a few
# AWS errors and reads the audit trail back with CloudTrail.
#
# Environment:
#   GATEHOUSE_ENDPOINT  the server's URL, such as http://127.0.0.1:4590
#   GATEHOUSE_ACCOUNT   the management account id the server was started with
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION
#                       the management account's root key
#   AWS_CLI             the CLI to run (default /usr/bin/aws)
#   SEED_SCP            the SCP to attach (default: the seed's, next to this script)
#
# The organization's management account must not be in an organization yet.
set -euo pipefail

: "${GATEHOUSE_ENDPOINT:?set GATEHOUSE_ENDPOINT to the Gatehouse URL}"
: "${GATEHOUSE_ACCOUNT:?set GATEHOUSE_ACCOUNT to the management account id}"
AWS_CLI=${AWS_CLI:-/usr/bin/aws}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SEED_SCP=${SEED_SCP:-$HERE/pmp-admin-scp-2019.json}
OUS=(shared-services retail technology)

# shellcheck source=cli-lib.sh
source "$HERE/cli-lib.sh"

check_errors() {
	expect_error DuplicatePolicyAttachmentException \
		org attach-policy --policy-id "$POLICY_ID" --target-id "${OU_ID[retail]}"
	expect_error MalformedPolicyDocumentException \
		org create-policy --name broken --type SERVICE_CONTROL_POLICY --description broken \
		--content '{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}'
	# The root's only SCP cannot go.
	expect_error ConstraintViolationException \
		org detach-policy --policy-id p-FullAWSAccess --target-id "$ROOT_ID"
	expect_error OrganizationalUnitNotEmptyException \
		org delete-organizational-unit --organizational-unit-id "${OU_ID[retail]}"
}

describe_organization() {
	read -r id master < <(org describe-organization \
		--query 'Organization.[Id,MasterAccountId]' --output text)
	expect_eq "describe-organization id" "$id" "$ORG_ID"
	expect_eq "describe-organization management account" "$master" "$GATEHOUSE_ACCOUNT"
}

audit_trail() {
	expect_eq "CreateOrganizationalUnit events" \
		"$(trail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=CreateOrganizationalUnit \
			--query "length(Events[?!contains(CloudTrailEvent, 'errorCode')])" --output text)" 3
	expect_eq "who created the policy" \
		"$(trail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=CreatePolicy \
			--query "Events[?!contains(CloudTrailEvent, 'errorCode')].[Username,EventSource]" --output text)" \
		"$(printf 'root\torganizations.amazonaws.com')"
}

create_organization
create_ous
create_accounts
attach_seed_scp
check_errors
describe_organization
audit_trail
echo "PASS: the seed's organization through the AWS CLI"
