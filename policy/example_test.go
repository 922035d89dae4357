package policy_test

import (
	"fmt"

	"gatehouse/policy"
)

// The seed's SCP: only the procurement-manager role may approve products
// for the Private Marketplace, whatever its identity policies say.
func Example() {
	scp, err := policy.CompileText("pmp-admin", policy.SCP, []byte(`{
  "Version": "2012-10-17",
  "Statement": [{
    "Sid": "ProcurementPolicy",
    "Effect": "Deny",
    "Action": "aws-marketplace:AssociateProductsWithPrivateMarketplace",
    "Resource": "*",
    "Condition": {"StringNotLike": {"aws:PrincipalARN": "arn:aws:iam::*:role/procurement-manager"}}
  }]
}`))
	if err != nil {
		panic(err)
	}
	full, _ := policy.CompileText("FullAWSAccess", policy.SCP, []byte(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	admin, _ := policy.CompileText("AdministratorAccess", policy.Identity, []byte(
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	set := &policy.Set{
		Identity: []*policy.Policy{admin},
		SCP:      [][]*policy.Policy{{full}, {full, scp}},
	}
	for _, role := range []string{"Admin", "procurement-manager"} {
		ctx := &policy.Context{}
		ctx.Set("aws:PrincipalArn", "arn:aws:iam::111122223333:role/"+role)
		ex := policy.Explain(set, &policy.Request{
			Principal: "arn:aws:sts::111122223333:assumed-role/" + role + "/alice",
			Action:    "aws-marketplace:AssociateProductsWithPrivateMarketplace",
			Resource:  "*",
			Context:   ctx,
		})
		fmt.Println(role+":", ex.Decision)
	}
	// Output:
	// Admin: explicitDeny
	// procurement-manager: allowed
}

func ExampleExplain() {
	id, _ := policy.CompileText("dev", policy.Identity, []byte(`{
  "Version": "2012-10-17",
  "Statement": [{"Sid": "ReadOwnPrefix", "Effect": "Allow", "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::team-bucket/${aws:username}/*"}]
}`))
	ctx := &policy.Context{}
	ctx.Set("aws:username", "bob")
	ex := policy.Explain(&policy.Set{Identity: []*policy.Policy{id}}, &policy.Request{
		Principal: "arn:aws:iam::111122223333:user/bob",
		Action:    "s3:GetObject",
		Resource:  "arn:aws:s3:::team-bucket/alice/notes.txt",
		Context:   ctx,
	})
	fmt.Println(ex.Decision)
	fmt.Println(ex.Reason)
	// Output:
	// implicitDeny
	// User: arn:aws:iam::111122223333:user/bob is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::team-bucket/alice/notes.txt because no identity-based policy allows the s3:GetObject action
}

func ExampleDecide() {
	id, _ := policy.CompileText("ops", policy.Identity, []byte(`{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "organizations:Describe*", "Resource": "*",
                 "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}]
}`))
	set := &policy.Set{Identity: []*policy.Policy{id}}
	ctx := &policy.Context{}
	ctx.Set("aws:SourceIp", "203.0.113.9")
	req := &policy.Request{
		Principal: "arn:aws:iam::111122223333:user/ops",
		Action:    "organizations:DescribeOrganization",
		Resource:  "*",
		Context:   ctx,
	}
	fmt.Println(policy.Decide(set, req))
	ctx.Set("aws:SourceIp", "198.51.100.1")
	fmt.Println(policy.Decide(set, req))
	// Output:
	// allowed
	// implicitDeny
}
