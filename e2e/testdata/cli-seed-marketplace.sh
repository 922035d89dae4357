#!/usr/bin/env bash
# End-to-end test of Gatehouse with the AWS CLI: the seed, "a
# well-architected Private Marketplace", from the first account to the
# last deployment.
#
# The management account builds the organization (three OUs, an account
# in each, the Private Marketplace admin SCP on every OU) and makes the
# shared services account the Private Marketplace's delegated
# administrator. A seller, a standalone account, publishes three SaaS
# products. Roles are made through OrganizationAccountAccessRole:
# procurement-manager in the shared services account; admin, developer
# and a procurement-manager of its own in the retail account. Then:
#   - procurement-manager creates the experience, approves a product and
#     sets the branding; the retail admin is refused by the SCP;
#   - the developer finds only the approved product, requests another,
#     procurement-manager approves it, and the developer buys it and
#     deploys it;
#   - with the purchase-restricting SCP the developer's purchase is
#     refused; procurement-manager buys in the developer's account and
#     the developer deploys.
#
# Organizations, IAM and STS go through the AWS CLI v2 (AWS_CLI); the
# Marketplace Catalog, Discovery and Agreement APIs through the AWS CLI v1
# (AWS_CLI_V1, botocore 1.43), which has their models; Gatehouse's
# Deployment API, which no CLI knows, through curl's SigV4 signing.
#
# Environment: as cli-seed-iam.sh; AWS_CLI_V1 is required here.
set -euo pipefail

: "${GATEHOUSE_ENDPOINT:?set GATEHOUSE_ENDPOINT to the Gatehouse URL}"
: "${GATEHOUSE_ACCOUNT:?set GATEHOUSE_ACCOUNT to the management account id}"
: "${AWS_CLI_V1:?set AWS_CLI_V1 to an AWS CLI v1 with botocore 1.43 (the Marketplace APIs)}"
AWS_CLI=${AWS_CLI:-/usr/bin/aws}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Today's reading of the seed's SCP: it also covers the change types
# that create and change experiences.
SEED_SCP=$HERE/pmp-admin-scp-current.json
PURCHASE_SCP=$HERE/purchase-restrict-scp.json
OUS=(shared-services retail technology)
PMP=private-marketplace.marketplace.amazonaws.com
SCP_DENY='explicit deny in a service control policy'

# shellcheck source=cli-lib.sh
source "$HERE/cli-lib.sh"

# The Marketplace APIs, through the AWS CLI v1.
catalog() { "$AWS_CLI_V1" --endpoint-url "$GATEHOUSE_ENDPOINT" marketplace-catalog "$@"; }
discovery() { "$AWS_CLI_V1" --endpoint-url "$GATEHOUSE_ENDPOINT" marketplace-discovery "$@"; }
agreement() { "$AWS_CLI_V1" --endpoint-url "$GATEHOUSE_ENDPOINT" marketplace-agreement "$@"; }

# deployments METHOD PATH [BODY]: a request to Gatehouse's Deployment API
# signed with the credentials of the environment; prints the body and,
# on a line of its own, the HTTP status.
deployments() {
	local args=(--silent --show-error --request "$1" --write-out '\n%{http_code}'
		--aws-sigv4 "aws:amz:$AWS_DEFAULT_REGION:aws-marketplace"
		--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY")
	[[ -z "${AWS_SESSION_TOKEN:-}" ]] || args+=(-H "x-amz-security-token: $AWS_SESSION_TOKEN")
	[[ $# -lt 3 ]] || args+=(-H 'Content-Type: application/json' --data "$3")
	curl "${args[@]}" "$GATEHOUSE_ENDPOINT$2"
}

# deploy SESSION PRODUCT: the session deploys the product; prints the
# status, a tab and the fulfillment URL (or the error code).
deploy() {
	local out
	out=$(as "$1" deployments POST /deployments "{\"ProductId\":\"$2\"}")
	printf '%s\t%s\n' "${out##*$'\n'}" "$(jq -r '.Deployment.Delivery.FulfillmentUrl // .__type // .code // "?"' <<<"${out%$'\n'*}")"
}

# change_set SESSION CHANGES_JSON: starts a change set as the session and
# prints its status and its entity ids (without their @revision), tab
# separated. The catalog applies a change set at once.
change_set() {
	local id
	id=$(as "$1" catalog start-change-set --catalog AWSMarketplace --change-set "$2" --query ChangeSetId --output text)
	expect_match "change set id" "$id" '^[a-z0-9]+$' >&2
	as "$1" catalog describe-change-set --catalog AWSMarketplace --change-set-id "$id" --output json |
		jq -r '[.Status] + [.ChangeSet[].Entity.Identifier | sub("@.*"; "")] | @tsv'
}

# details ENTITY: the entity's DetailsDocument as the procurement manager
# reads it.
details() {
	as pm catalog describe-entity --catalog AWSMarketplace --entity-id "$1" --query DetailsDocument --output json
}

# --- the organization --------------------------------------------------

delegate_marketplace() {
	local shared=${ACCOUNT_ID[shared-services]}
	org enable-aws-service-access --service-principal "$PMP"
	org register-delegated-administrator --account-id "$shared" --service-principal "$PMP"
	expect_eq "Private Marketplace delegated administrator" \
		"$(org list-delegated-administrators --service-principal "$PMP" --query 'DelegatedAdministrators[].Id' --output text)" "$shared"
}

# --- the seller ----------------------------------------------------------

declare -A PRODUCT OFFER

# publish TITLE KEYWORD URL: the seller publishes a public SaaS product
# with a released BYOL offer.
publish() {
	local title=$1 keyword=$2 url=$3 result
	result=$(change_set seller "$(jq -nc --arg t "$title" --arg k "$keyword" --arg u "$url" '[
		{ChangeType:"CreateProduct", ChangeName:"P", Entity:{Type:"SaaSProduct@1.0"}, DetailsDocument:{ProductTitle:$t}},
		{ChangeType:"UpdateInformation", Entity:{Type:"SaaSProduct@1.0", Identifier:"$P.Entity.Identifier"},
			DetailsDocument:{ShortDescription:("About " + $t), LongDescription:("All about " + $t),
				LogoUrl:"https://example.com/logo.png", Categories:["Security"], SearchKeywords:[$k]}},
		{ChangeType:"AddDeliveryOptions", Entity:{Type:"SaaSProduct@1.0", Identifier:"$P.Entity.Identifier"},
			DetailsDocument:{DeliveryOptions:[{Details:{SaaSUrlDeliveryOptionDetails:{FulfillmentUrl:$u}}}]}},
		{ChangeType:"ReleaseProduct", Entity:{Type:"SaaSProduct@1.0", Identifier:"$P.Entity.Identifier"}, DetailsDocument:{}},
		{ChangeType:"UpdateVisibility", Entity:{Type:"SaaSProduct@1.0", Identifier:"$P.Entity.Identifier"}, DetailsDocument:{TargetVisibility:"Public"}},
		{ChangeType:"CreateOffer", ChangeName:"O", Entity:{Type:"Offer@1.0"}, DetailsDocument:{ProductId:"$P.Entity.Identifier", Name:"Standard"}},
		{ChangeType:"UpdatePricingTerms", Entity:{Type:"Offer@1.0", Identifier:"$O.Entity.Identifier"},
			DetailsDocument:{PricingModel:"Byol", Terms:[{Type:"ByolPricingTerm"}]}},
		{ChangeType:"UpdateLegalTerms", Entity:{Type:"Offer@1.0", Identifier:"$O.Entity.Identifier"},
			DetailsDocument:{Terms:[{Type:"LegalTerm", Documents:[{Type:"StandardEula", Version:"2022-07-14"}]}]}},
		{ChangeType:"ReleaseOffer", Entity:{Type:"Offer@1.0", Identifier:"$O.Entity.Identifier"}, DetailsDocument:{}}
	]')")
	local status product offer
	read -r status product _ _ _ _ offer _ <<<"$result"
	expect_eq "publish $title" "$status" SUCCEEDED
	expect_match "product $title" "$product" '^prod-[a-z0-9]+$'
	expect_match "offer of $title" "$offer" '^offer-[a-z0-9]+$'
	PRODUCT[$title]=$product OFFER[$title]=$offer
}

# The seller is an independent software vendor: an account created by
# the organization and then removed from it, reached through the
# OrganizationAccountAccessRole it keeps.
create_seller() {
	create_account seller
	local seller=${ACCOUNT_ID[seller]}
	org remove-account-from-organization --account-id "$seller"
	expect_error AccountNotFoundException org describe-account --account-id "$seller"
	assume seller "arn:aws:iam::$seller:role/OrganizationAccountAccessRole"
	publish "Harbor Scanner" scanning https://harbor.example.com/signup
	publish "Ledger Vault" secrets https://ledger.example.com/signup
	publish "Coin Miner" mining https://miner.example.com/signup
	expect_eq "the seller's products" \
		"$(as seller catalog list-entities --catalog AWSMarketplace --entity-type SaaSProduct --query 'length(EntitySummaryList)' --output text)" 3
}

# --- the roles -----------------------------------------------------------

# create_role SESSION NAME POLICY_ARN... : creates the role, trusting the
# management account, in the account of SESSION (an
# OrganizationAccountAccessRole session), with AWS managed policies.
create_role() {
	local session=$1 name=$2 trust arn
	shift 2
	trust=$(printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole"}]}' "$GATEHOUSE_ACCOUNT")
	as "$session" iam create-role --role-name "$name" --assume-role-policy-document "$trust" >/dev/null
	for arn in "$@"; do
		as "$session" iam attach-role-policy --role-name "$name" --policy-arn "$arn"
	done
}

# BUY_AND_DEPLOY completes AWSMarketplaceManageSubscriptions for a buyer:
# the Agreement API's own actions (Subscribe, its dependent action, is in
# the managed policy) and Gatehouse's deployments.
BUY_AND_DEPLOY='{"Version":"2012-10-17","Statement":[
	{"Effect":"Allow","Action":["aws-marketplace:CreateAgreementRequest","aws-marketplace:AcceptAgreementRequest",
		"aws-marketplace:DescribeAgreement","aws-marketplace:SearchAgreements"],"Resource":"*"},
	{"Effect":"Allow","Action":["gatehouse:CreateDeployment","gatehouse:ListDeployments"],"Resource":"*"}]}'

create_roles() {
	local shared=${ACCOUNT_ID[shared-services]} retail=${ACCOUNT_ID[retail]}
	local subscriptions=arn:aws:iam::aws:policy/AWSMarketplaceManageSubscriptions
	assume setup-shared "arn:aws:iam::$shared:role/OrganizationAccountAccessRole"
	create_role setup-shared procurement-manager arn:aws:iam::aws:policy/AWSPrivateMarketplaceAdminFullAccess
	assume setup-retail "arn:aws:iam::$retail:role/OrganizationAccountAccessRole"
	create_role setup-retail admin arn:aws:iam::aws:policy/AdministratorAccess
	create_role setup-retail developer "$subscriptions" arn:aws:iam::aws:policy/AWSPrivateMarketplaceRequests
	as setup-retail iam put-role-policy --role-name developer --policy-name buy-and-deploy --policy-document "$BUY_AND_DEPLOY"
	# The procurement manager buys in the developer's account with a role
	# of that account: the SCPs name procurement-manager in any account.
	create_role setup-retail procurement-manager "$subscriptions"
	as setup-retail iam put-role-policy --role-name procurement-manager --policy-name buy --policy-document "$BUY_AND_DEPLOY"
	expect_eq "roles of retail" \
		"$(as setup-retail iam list-roles --query 'sort(Roles[].RoleName)' --output text)" \
		"$(printf 'OrganizationAccountAccessRole\tadmin\tdeveloper\tprocurement-manager')"
	assume pm "arn:aws:iam::$shared:role/procurement-manager"
	assume admin "arn:aws:iam::$retail:role/admin"
	assume dev "arn:aws:iam::$retail:role/developer"
	assume pm-retail "arn:aws:iam::$retail:role/procurement-manager"
}

# --- the Private Marketplace ---------------------------------------------

# procurement-manager creates the organization's experience: a
# procurement policy that approves Harbor Scanner and accepts requests,
# the branding, the organization root as audience; enabled.
create_experience() {
	local result status
	result=$(change_set pm "$(jq -nc --arg p "${PRODUCT[Harbor Scanner]}" --arg root "$ROOT_ID" '[
		{ChangeType:"CreateExperience", ChangeName:"Exp", Entity:{Type:"Experience@1.0"},
			DetailsDocument:{Name:"AnyCompany Private Marketplace", Description:"Software approved for AnyCompany"}},
		{ChangeType:"CreateProcurementPolicy", Entity:{Type:"Experience@1.0", Identifier:"$Exp.Entity.Identifier"},
			DetailsDocument:{Name:"Approved software", Configuration:{PolicyResourceRequests:"Allow"}}},
		{ChangeType:"AllowProductProcurement", Entity:{Type:"Experience@1.0", Identifier:"$Exp.Entity.Identifier"},
			DetailsDocument:{Products:[{Ids:[$p], Notes:"Container scanning for every team"}]}},
		{ChangeType:"CreateBrandingSettings", Entity:{Type:"Experience@1.0", Identifier:"$Exp.Entity.Identifier"},
			DetailsDocument:{Name:"AnyCompany", Configuration:{Title:"AnyCompany software catalog", ThemeColor:"#232F3E",
				LogoUrl:"https://example.com/anycompany.png", Information:"Missing something? Request it."}}},
		{ChangeType:"AssociateAudience", Entity:{Type:"Experience@1.0", Identifier:"$Exp.Entity.Identifier"},
			DetailsDocument:{Name:"AnyCompany", Principals:[$root]}},
		{ChangeType:"UpdateExperience", Entity:{Type:"Experience@1.0", Identifier:"$Exp.Entity.Identifier"},
			DetailsDocument:{Status:"Enabled"}}
	]')")
	read -r status EXPERIENCE _ <<<"$result"
	expect_eq "procurement-manager creates the experience" "$status" SUCCEEDED
	expect_match "experience id" "$EXPERIENCE" '^exp-[a-z0-9]+$'
	local exp
	exp=$(details "$EXPERIENCE")
	expect_eq "the experience is enabled" "$(jq -r .Status <<<"$exp")" Enabled
	expect_eq "its branding" "$(details "$(jq -r '.BrandingSettings[0]' <<<"$exp")" | jq -r .Configuration.Title)" \
		"AnyCompany software catalog"
	expect_eq "its audience" "$(details "$(jq -r '.Audiences[0]' <<<"$exp")" | jq -c .Principals)" "[\"$ROOT_ID\"]"
	POLICY=$(jq -r '.ProcurementPolicies[0]' <<<"$exp")
	expect_eq "approved products" "$(details "$POLICY" | jq -c '[.Statements[] | select(.Effect == "Allow") | .Resources[].Ids[]]')" \
		"[\"${PRODUCT[Harbor Scanner]}\"]"
}

# The retail account's administrator has AdministratorAccess, yet the
# seed's SCP denies it every Private Marketplace administration.
admin_denied() {
	local changes out
	changes=$(jq -nc --arg e "$EXPERIENCE" --arg p "${PRODUCT[Coin Miner]}" \
		'[{ChangeType:"AllowProductProcurement", Entity:{Type:"Experience@1.0", Identifier:$e}, DetailsDocument:{Products:[{Ids:[$p]}]}}]')
	expect_v1_error AccessDeniedException as admin catalog start-change-set --catalog AWSMarketplace --change-set "$changes"
	out=$(as admin catalog start-change-set --catalog AWSMarketplace --change-set "$changes" 2>&1) || true
	expect_match "the admin's denial names the SCP" "$out" "$SCP_DENY"
	changes='[{"ChangeType":"CreateExperience","Entity":{"Type":"Experience@1.0"},"DetailsDocument":{"Name":"Shadow IT"}}]'
	out=$(as admin catalog start-change-set --catalog AWSMarketplace --change-set "$changes" 2>&1) || true
	expect_match "the admin may not create an experience" "$out" "AccessDeniedException.*$SCP_DENY"
	expect_eq "Coin Miner is still not approved" \
		"$(details "$POLICY" | jq -c '[.Statements[] | select(.Effect == "Allow") | .Resources[].Ids[]]')" "[\"${PRODUCT[Harbor Scanner]}\"]"
}

# search SESSION [TEXT]: the titles the session finds, sorted.
search() {
	local args=()
	[[ $# -lt 2 ]] || args=(--search-text "$2")
	as "$1" discovery search-listings "${args[@]}" --output json | jq -r '[.listingSummaries[].listingName] | sort | join(",")'
}

# buy SESSION TITLE [LOOKUP]: the session quotes and accepts the
# product's offer with the proposal and term ids that Discovery gives
# LOOKUP (default: the session itself); prints the agreement id. The
# seller, whom no experience governs, finds every public offer: its ids
# are what a buyer of an unapproved product would be handed.
buy() {
	local session=$1 offer=${OFFER[$2]} lookup=${3:-$1} proposal terms request
	proposal=$(as "$lookup" discovery get-offer --offer-id "$offer" --query agreementProposalId --output text) || return
	terms=$(as "$lookup" discovery get-offer-terms --offer-id "$offer" --output json |
		jq -c '[.offerTerms[] | to_entries[0].value | {id}]') || return
	request=$(as "$session" agreement create-agreement-request --intent NEW --agreement-proposal-identifier "$proposal" \
		--requested-terms "$terms" --query agreementRequestId --output text) || return
	as "$session" agreement accept-agreement-request --agreement-request-id "$request" --query agreementId --output text
}

developer_buys() {
	expect_eq "the developer sees only approved products" "$(search dev)" "Harbor Scanner"
	expect_eq "the developer does not find Ledger Vault" "$(search dev secrets)" ""
	# The developer asks for Ledger Vault.
	local result status request out
	result=$(change_set dev "$(jq -nc --arg p "${PRODUCT[Ledger Vault]}" \
		'[{ChangeType:"CreateProductProcurementRequest", Entity:{Type:"ProductProcurementRequest@1.0"},
			DetailsDocument:{ProductId:$p, Justification:"Our services need a secrets store"}}]')")
	read -r status request <<<"$result"
	expect_eq "the developer requests Ledger Vault" "$status" SUCCEEDED
	# Not approved yet: no purchase.
	expect_v1_error ResourceNotFoundException as dev discovery get-offer --offer-id "${OFFER[Ledger Vault]}"
	out=$(buy dev "Ledger Vault" seller 2>&1) && fail "the developer bought an unapproved product: $out"
	expect_match "an unapproved product is refused, naming the experience" "$out" "AccessDeniedException.*$EXPERIENCE"
	# procurement-manager finds the pending request among the
	# organization's (SHARED: made in other accounts) and approves it.
	expect_eq "pending requests" \
		"$(as pm catalog list-entities --catalog AWSMarketplace --entity-type ProductProcurementRequest --ownership-type SHARED \
			--filter-list Name=Status,ValueList=Pending --query 'EntitySummaryList[].[EntityId,Name]' --output text)" \
		"$(printf '%s\tLedger Vault' "$request")"
	expect_eq "the developer may not approve" \
		"$(as dev catalog start-change-set --catalog AWSMarketplace --change-set \
			"[{\"ChangeType\":\"ApproveProductProcurementRequest\",\"Entity\":{\"Type\":\"ProductProcurementRequest@1.0\",\"Identifier\":\"$request\"},\"DetailsDocument\":{}}]" \
			2>&1 >/dev/null | grep -o AccessDeniedException)" AccessDeniedException
	read -r status _ <<<"$(change_set pm "[{\"ChangeType\":\"ApproveProductProcurementRequest\",\"Entity\":{\"Type\":\"ProductProcurementRequest@1.0\",\"Identifier\":\"$request\"},\"DetailsDocument\":{\"Notes\":\"Security review passed\"}}]")"
	expect_eq "procurement-manager approves the request" "$status" SUCCEEDED
	expect_eq "the request is approved" "$(details "$request" | jq -r .Status)" Approved
	# The seed's SCP keeps DescribePrivateMarketplaceRequests, which
	# reading a request needs, to procurement-manager: the developer
	# learns the answer from the catalog.
	out=$(as dev catalog describe-entity --catalog AWSMarketplace --entity-id "$request" 2>&1) && fail "the developer read the request: $out"
	expect_match "the developer may not read requests" "$out" "DescribePrivateMarketplaceRequests.*$SCP_DENY"
	expect_eq "the developer now finds Ledger Vault" "$(search dev secrets)" "Ledger Vault"
	expect_eq "and sees both approved products" "$(search dev)" "Harbor Scanner,Ledger Vault"
	# The developer buys it and deploys it.
	local agreement
	agreement=$(buy dev "Ledger Vault")
	expect_match "the developer's agreement" "$agreement" '^agmt-[a-zA-Z0-9]+$'
	expect_eq "the agreement is active" "$(as dev agreement describe-agreement --agreement-id "$agreement" --query status --output text)" ACTIVE
	expect_eq "the developer deploys Ledger Vault" "$(deploy dev "${PRODUCT[Ledger Vault]}")" \
		"$(printf '200\thttps://ledger.example.com/signup')"
	# Approved is not bought: no agreement, no deployment.
	expect_eq "no deployment without an agreement" "$(deploy dev "${PRODUCT[Harbor Scanner]}")" "$(printf '403\tAccessDeniedException')"
	expect_eq "the developer's deployments" \
		"$(as dev deployments GET /deployments | sed '$d' | jq -r '[.Deployments[].ProductId] | join(",")')" "${PRODUCT[Ledger Vault]}"
}

# The seed's optional control: only procurement-manager buys.
restrict_purchases() {
	local id name
	id=$(org create-policy --name purchase-restrict-scp --type SERVICE_CONTROL_POLICY \
		--description "Only the procurement manager buys software" \
		--content "file://$PURCHASE_SCP" --query Policy.PolicySummary.Id --output text)
	for name in "${OUS[@]}"; do
		org attach-policy --policy-id "$id" --target-id "${OU_ID[$name]}"
	done
	local out
	out=$(buy dev "Harbor Scanner" 2>&1) && fail "the developer bought under the purchase-restricting SCP: $out"
	expect_match "the developer's purchase is denied by the SCP" "$out" "AccessDeniedException.*$SCP_DENY"
	expect_eq "the developer has one agreement" \
		"$(as dev agreement search-agreements --query 'length(agreementViewSummaries)' --output text)" 1
	# procurement-manager buys in the developer's account.
	local agreement
	agreement=$(buy pm-retail "Harbor Scanner")
	expect_match "procurement-manager's agreement" "$agreement" '^agmt-[a-zA-Z0-9]+$'
	expect_eq "the agreement is the developer's account's" \
		"$(as dev agreement describe-agreement --agreement-id "$agreement" --query 'acceptor.accountId' --output text)" "${ACCOUNT_ID[retail]}"
	expect_eq "the developer deploys Harbor Scanner" "$(deploy dev "${PRODUCT[Harbor Scanner]}")" \
		"$(printf '200\thttps://harbor.example.com/signup')"
	# Coin Miner stays out of reach: not approved, whoever buys.
	out=$(buy pm-retail "Coin Miner" seller 2>&1) && fail "Coin Miner was bought: $out"
	expect_match "an unapproved product names the experience" "$out" "AccessDeniedException.*$EXPERIENCE"
}

create_organization
create_ous
create_accounts
attach_seed_scp
delegate_marketplace
create_operator
create_seller
create_roles
create_experience
admin_denied
developer_buys
restrict_purchases
echo "PASS: the seed end to end through the AWS CLI"
