package simulator

import (
	"strings"

	"gatehouse/principal"
)

// splitARN returns the parts of an ARN: partition, service, region,
// account and resource.
func splitARN(s string) ([5]string, bool) {
	var out [5]string
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return out, false
	}
	for i := 0; i < 4; i++ {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return out, false
		}
		out[i], rest = rest[:j], rest[j+1:]
	}
	out[4] = rest
	return out, out[0] != "" && out[1] != "" && rest != ""
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// arnAccount returns the account an ARN names, "" when it names none (as
// S3 bucket ARNs do).
func arnAccount(arn string) string {
	p, ok := splitARN(arn)
	if !ok || !isAccountID(p[3]) {
		return ""
	}
	return p[3]
}

// entityARN reports the kind (user, group or role) and account of an IAM
// entity ARN; kind is "" for any other IAM ARN.
func entityARN(arn string) (kind, account string, ok bool) {
	p, ok := splitARN(arn)
	if !ok || p[1] != "iam" || !isAccountID(p[3]) {
		return "", "", false
	}
	for _, k := range []string{"user", "group", "role"} {
		if strings.HasPrefix(p[4], k+"/") && len(p[4]) > len(k)+1 && !strings.HasSuffix(p[4], "/") {
			return k, p[3], true
		}
	}
	return "", p[3], true
}

// callerFromARN returns the principal a CallerArn names: an IAM user or
// role (acting as itself), or a group. No CallerArn is a principal with
// only an account: no principal context keys are set for it. "You cannot
// specify the ARN of an assumed role, federated user, or a service
// principal" (IAM API Reference, SimulateCustomPolicy).
func callerFromARN(arn, account string) (*principal.Caller, error) {
	if arn == "" {
		return &principal.Caller{Account: account}, nil
	}
	kind, acct, ok := entityARN(arn)
	if !ok || kind == "" {
		return nil, errInput("Invalid CallerArn: %s", arn)
	}
	c := &principal.Caller{Account: acct, ARN: arn, PrincipalARN: arn}
	switch kind {
	case "user":
		c.Type, c.Name = principal.IAMUser, arn[strings.LastIndexByte(arn, '/')+1:]
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
	p, ok := splitARN(owner)
	if !ok || p[1] != "iam" || p[2] != "" || !isAccountID(p[3]) || p[4] != "root" {
		return "", errResourceOwner(owner)
	}
	return p[3], nil
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
		if p, ok := splitARN(r); ok && p[1] == "ec2" {
			typ, _, _ := strings.Cut(p[4], "/")
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
