// Package arn reads Amazon Resource Names:
// arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE. It depends on the
// standard library only.
package arn

import "strings"

// ARN is an Amazon Resource Name split into its fields.
type ARN struct {
	Partition string // "aws"
	Service   string // "iam", "sts", "aws-marketplace" ...
	Region    string // "" for global services
	Account   string // "" for resources of no account (S3 buckets)
	Resource  string // everything after the fifth colon, colons included
}

// Parse splits s into its fields. It reports false unless s starts with
// "arn:" and has a partition, a service and a resource.
func Parse(s string) (ARN, bool) {
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return ARN{}, false
	}
	var f [4]string
	for i := range f {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return ARN{}, false
		}
		f[i], rest = rest[:j], rest[j+1:]
	}
	a := ARN{Partition: f[0], Service: f[1], Region: f[2], Account: f[3], Resource: rest}
	return a, a.Partition != "" && a.Service != "" && a.Resource != ""
}

// String returns the ARN in its text form.
func (a ARN) String() string {
	return "arn:" + a.Partition + ":" + a.Service + ":" + a.Region + ":" + a.Account + ":" + a.Resource
}

// AccountOf returns the account an ARN names, "" when s is no ARN or names
// no 12-digit account.
func AccountOf(s string) string {
	a, ok := Parse(s)
	if !ok || !IsAccountID(a.Account) {
		return ""
	}
	return a.Account
}

// IsAccountID reports whether s is an AWS account id: 12 decimal digits.
func IsAccountID(s string) bool {
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
