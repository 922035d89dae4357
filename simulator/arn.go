package simulator

import (
	"strings"

	"gatehouse/arn"
	"gatehouse/principal"
)

// entityARN reports the kind (user, group or role) and account of an IAM
// entity ARN; kind is "" for any other IAM ARN.
func entityARN(s string) (kind, account string, ok bool) {
	p, ok := arn.Parse(s)
	if !ok || p.Service != "iam" || !arn.IsAccountID(p.Account) {
		return "", "", false
	}
	for _, k := range []string{"user", "group", "role"} {
		if strings.HasPrefix(p.Resource, k+"/") && len(p.Resource) > len(k)+1 && !strings.HasSuffix(p.Resource, "/") {
			return k, p.Account, true
		}
	}
	return "", p.Account, true
}

// callerFromARN returns the principal a CallerArn names: an IAM user or
// role (acting as itself), or a group. No CallerArn is a principal with
// only an account: no principal context keys are set for it. "You cannot
// specify the ARN of an assumed role, federated user, or a service
// principal" (IAM API Reference, SimulateCustomPolicy).
func callerFromARN(callerARN, account string) (*principal.Caller, error) {
	if callerARN == "" {
		return &principal.Caller{Account: account}, nil
	}
	kind, acct, ok := entityARN(callerARN)
	if !ok || kind == "" {
		return nil, errInput("Invalid CallerArn: %s", callerARN)
	}
	c := &principal.Caller{Account: acct, ARN: callerARN, PrincipalARN: callerARN}
	switch kind {
	case "user":
		c.Type, c.Name = principal.IAMUser, callerARN[strings.LastIndexByte(callerARN, '/')+1:]
	case "role":
		c.Type = principal.AssumedRole
	}
	return c, nil
}

// ownerAccount reads ResourceOwner, an account root ARN such as
// arn:aws:iam::112233445566:root; def when it is absent.
func ownerAccount(owner, def string) (string, error) {
	if owner == "" {
		return def, nil
	}
	p, ok := arn.Parse(owner)
	if !ok || p.Service != "iam" || p.Region != "" || !arn.IsAccountID(p.Account) || p.Resource != "root" {
		return "", errResourceOwner(owner)
	}
	return p.Account, nil
}

// ec2Scenarios are the resource types each ResourceHandlingOption requires
// (IAM API Reference, SimulateCustomPolicy).
var ec2Scenarios = map[string][]string{
	"EC2-VPC-InstanceStore":        {"instance", "image", "security-group", "network-interface"},
	"EC2-VPC-InstanceStore-Subnet": {"instance", "image", "security-group", "network-interface", "subnet"},
	"EC2-VPC-EBS":                  {"instance", "image", "security-group", "network-interface", "volume"},
	"EC2-VPC-EBS-Subnet":           {"instance", "image", "security-group", "network-interface", "subnet", "volume"},
}

// checkScenario checks that the resources include every resource type the
// ResourceHandlingOption requires.
func checkScenario(option string, resources []string) error {
	if option == "" {
		return nil
	}
	need, ok := ec2Scenarios[option]
	if !ok {
		return errInput("Invalid ResourceHandlingOption %s: want EC2-VPC-InstanceStore, EC2-VPC-InstanceStore-Subnet, EC2-VPC-EBS or EC2-VPC-EBS-Subnet.", quote(option))
	}
	have := map[string]bool{}
	for _, r := range resources {
		if p, ok := arn.Parse(r); ok && p.Service == "ec2" {
			typ, _, _ := strings.Cut(p.Resource, "/")
			have[typ] = true
		}
	}
	for _, typ := range need {
		if !have[typ] {
			return errInput("ResourceHandlingOption %s requires an EC2 %s resource in ResourceArns.", option, typ)
		}
	}
	return nil
}
