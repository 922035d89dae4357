# Shared by the AWS CLI end-to-end scripts: helpers that check results,
# and the steps that build the seed's organization. Source it; it expects
# GATEHOUSE_ENDPOINT and AWS_CLI to be set and OUS to list the OUs.

# --- helpers -----------------------------------------------------------

# org runs an Organizations command against Gatehouse.
org() { "$AWS_CLI" --endpoint-url "$GATEHOUSE_ENDPOINT" organizations "$@"; }

# trail runs a CloudTrail command against Gatehouse.
trail() { "$AWS_CLI" --endpoint-url "$GATEHOUSE_ENDPOINT" cloudtrail "$@"; }

# iam and sts run IAM and STS commands against Gatehouse.
iam() { "$AWS_CLI" --endpoint-url "$GATEHOUSE_ENDPOINT" iam "$@"; }
sts() { "$AWS_CLI" --endpoint-url "$GATEHOUSE_ENDPOINT" sts "$@"; }

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[[ "$2" == "$3" ]] || fail "$1: got '$2', want '$3'"
	echo "ok - $1"
}

# expect_match WHAT GOT REGEX
expect_match() {
	[[ "$2" =~ $3 ]] || fail "$1: '$2' does not match $3"
	echo "ok - $1"
}

# expect_error CODE COMMAND...: the command fails with the CLI v2's exit
# code for service errors (254) and names the AWS error code on stderr.
expect_error() { expect_failure 254 "$@"; }

# expect_v1_error CODE COMMAND...: expect_error for the AWS CLI v1, which
# exits with 255 on service errors.
expect_v1_error() { expect_failure 255 "$@"; }

# expect_failure RC CODE COMMAND...: the command exits with RC and names
# the AWS error code CODE on stderr.
expect_failure() {
	local want=$1 code=$2 rc=0 err
	shift 2
	err=$("$@" 2>&1 >/dev/null) || rc=$?
	[[ $rc -eq $want ]] || fail "$*: exit code $rc, want $want ($code); stderr: $err"
	[[ "$err" == *"($code)"* ]] || fail "$*: stderr does not name $code: $err"
	echo "ok - $code"
}

# --- sessions ------------------------------------------------------------

# Sessions by name: their temporary credentials.
declare -A SESSION_KEY SESSION_SECRET SESSION_TOKEN

# as SESSION COMMAND...: runs COMMAND with the session's credentials.
as() {
	local name=$1
	shift
	AWS_ACCESS_KEY_ID=${SESSION_KEY[$name]} AWS_SECRET_ACCESS_KEY=${SESSION_SECRET[$name]} \
		AWS_SESSION_TOKEN=${SESSION_TOKEN[$name]} "$@"
}

# as_ops COMMAND...: runs COMMAND as the management account's operator.
as_ops() { AWS_ACCESS_KEY_ID=$OPS_KEY AWS_SECRET_ACCESS_KEY=$OPS_SECRET "$@"; }

# assume SESSION ROLE_ARN: the operator assumes the role; the session's
# credentials are kept under SESSION.
assume() {
	local name=$1 role=$2 key secret token account
	account=${role#arn:aws:iam::}
	account=${account%%:*}
	read -r key secret token < <(as_ops sts assume-role --role-arn "$role" --role-session-name "$name" \
		--query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
	expect_match "temporary key of $name" "$key" '^ASIA[A-Z2-7]{16}$'
	SESSION_KEY[$name]=$key SESSION_SECRET[$name]=$secret SESSION_TOKEN[$name]=$token
	expect_eq "caller of $name" "$(as "$name" sts get-caller-identity --query Arn --output text)" \
		"arn:aws:sts::$account:assumed-role/${role##*/}/$name"
}

# The operator: an IAM user of the management account with
# AdministratorAccess. Root users may not assume roles.
create_operator() {
	iam create-user --user-name ops >/dev/null
	iam attach-user-policy --user-name ops --policy-arn arn:aws:iam::aws:policy/AdministratorAccess
	read -r OPS_KEY OPS_SECRET < <(iam create-access-key --user-name ops \
		--query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
	expect_match "operator key" "$OPS_KEY" '^AKIA[A-Z2-7]{16}$'
	expect_eq "operator" "$(as_ops sts get-caller-identity --query Arn --output text)" \
		"arn:aws:iam::$GATEHOUSE_ACCOUNT:user/ops"
	expect_error AccessDenied sts assume-role --role-session-name root \
		--role-arn "arn:aws:iam::${ACCOUNT_ID[shared-services]}:role/OrganizationAccountAccessRole"
}

# --- the organization --------------------------------------------------

create_organization() {
	expect_error AWSOrganizationsNotInUseException org describe-organization
	ORG_ID=$(org create-organization --feature-set ALL --query Organization.Id --output text)
	expect_match "organization id" "$ORG_ID" '^o-[a-z0-9]{10}$'
	expect_error AlreadyInOrganizationException org create-organization
	ROOT_ID=$(org list-roots --query 'Roots[0].Id' --output text)
	expect_match "root id" "$ROOT_ID" '^r-[a-z0-9]{4}$'
}

declare -A OU_ID ACCOUNT_ID

create_ous() {
	local name
	for name in "${OUS[@]}"; do
		OU_ID[$name]=$(org create-organizational-unit --parent-id "$ROOT_ID" --name "$name" \
			--query OrganizationalUnit.Id --output text)
		expect_match "OU $name" "${OU_ID[$name]}" "^ou-${ROOT_ID#r-}-[a-z0-9]{8}$"
	done
	expect_error DuplicateOrganizationalUnitException \
		org create-organizational-unit --parent-id "$ROOT_ID" --name retail
	expect_eq "OUs under the root" \
		"$(org list-children --parent-id "$ROOT_ID" --child-type ORGANIZATIONAL_UNIT --query 'length(Children)' --output text)" 3
}

# create_account NAME: creates an account in the OU NAME (under the root
# when there is no such OU) and waits until its request has succeeded.
create_account() {
	local name=$1 request state="" tries=0
	request=$(org create-account --email "$name@cli.example.com" --account-name "$name-cli" \
		--query CreateAccountStatus.Id --output text)
	while [[ "$state" != SUCCEEDED ]]; do
		((tries++ < 20)) || fail "create-account $name: still $state"
		read -r state account < <(org describe-create-account-status --create-account-request-id "$request" \
			--query 'CreateAccountStatus.[State,AccountId]' --output text)
		[[ "$state" != FAILED ]] || fail "create-account $name failed"
	done
	expect_match "account $name" "$account" '^[0-9]{12}$'
	if [[ -n "${OU_ID[$name]:-}" ]]; then
		org move-account --account-id "$account" --source-parent-id "$ROOT_ID" --destination-parent-id "${OU_ID[$name]}"
	fi
	ACCOUNT_ID[$name]=$account
}

create_accounts() {
	local name
	for name in "${OUS[@]}"; do
		create_account "$name"
	done
	expect_eq "accounts in retail" \
		"$(org list-children --parent-id "${OU_ID[retail]}" --child-type ACCOUNT --query 'Children[].Id' --output text)" \
		"${ACCOUNT_ID[retail]}"
	# One account a page: the CLI follows NextToken and merges the pages
	# (JSON output: text output would apply the query to each page).
	expect_eq "accounts, paged" "$(org list-accounts --page-size 1 --query 'length(Accounts)' --output json)" 4
}

attach_seed_scp() {
	local name
	POLICY_ID=$(org create-policy --name pmp-admin-scp --type SERVICE_CONTROL_POLICY \
		--description "Only the procurement manager administers the Private Marketplace" \
		--content "file://$SEED_SCP" --query Policy.PolicySummary.Id --output text)
	expect_match "policy id" "$POLICY_ID" '^p-[a-z0-9]{8}$'
	for name in "${OUS[@]}"; do
		org attach-policy --policy-id "$POLICY_ID" --target-id "${OU_ID[$name]}"
	done
	expect_eq "SCPs of retail" \
		"$(org list-policies-for-target --target-id "${OU_ID[retail]}" --filter SERVICE_CONTROL_POLICY \
			--query 'sort(Policies[].Name)' --output text)" \
		"$(printf 'FullAWSAccess\tpmp-admin-scp')"
	expect_eq "targets of the seed SCP" \
		"$(org list-targets-for-policy --policy-id "$POLICY_ID" --query 'sort(Targets[].Name)' --output text)" \
		"$(printf 'retail\tshared-services\ttechnology')"
}

