package iam

import (
	"crypto/sha256"
	"embed"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"
)

// The AWS managed policies Gatehouse knows, one file per policy in
// managed/: {"arn", "version", "createdate", "document"}, as AWS's
// managed policy reference publishes them. The marketplace policies are
// AWS's documents verbatim. AdministratorAccess, PowerUserAccess,
// IAMFullAccess, IAMReadOnlyAccess and the two AWSOrganizations policies
// are written from their pages in the AWS Managed Policy Reference.
//
// ReadOnlyAccess is an honest reduction: AWS's document grants the read
// actions of every AWS service (thousands of them); Gatehouse's grants
// Get*/List*/Describe* (and the few other read actions) of the services
// Gatehouse serves only: IAM, STS, Organizations, CloudTrail, Account,
// Marketplace and Invoicing.
//
//go:embed managed/*.json
var managedFS embed.FS

// awsPolicy is an AWS managed policy.
type awsPolicy struct {
	Policy
	Document string
}

// awsPolicies are the AWS managed policies by ARN, and their ARNs sorted.
var awsPolicies, awsPolicyARNs = loadManaged()

// managedFile is the format of a file in managed/.
type managedFile struct {
	ARN        string          `json:"arn"`
	Version    string          `json:"version"`
	CreateDate time.Time       `json:"createdate"`
	Document   json.RawMessage `json:"document"`
}

func loadManaged() (map[string]*awsPolicy, []string) {
	entries, err := managedFS.ReadDir("managed")
	if err != nil {
		panic(err)
	}
	byARN := map[string]*awsPolicy{}
	var arns []string
	for _, e := range entries {
		p, err := loadManagedFile("managed/" + e.Name())
		if err != nil {
			panic(err)
		}
		byARN[p.Arn] = p
		arns = append(arns, p.Arn)
	}
	sort.Strings(arns)
	return byARN, arns
}

func loadManagedFile(name string) (*awsPolicy, error) {
	data, err := managedFS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var f managedFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("iam: %s: %w", name, err)
	}
	_, typ, p, n, ok := parseARN(f.ARN)
	if !ok || typ != "policy" || !strings.HasPrefix(f.ARN, "arn:aws:iam::aws:policy/") || n+".json" != path.Base(name) {
		return nil, fmt.Errorf("iam: %s: bad arn %q", name, f.ARN)
	}
	sum := sha256.Sum256([]byte(f.ARN))
	id := []byte(prefixPolicy)
	for _, b := range sum[:17] {
		id = append(id, idAlphabet[int(b)%len(idAlphabet)])
	}
	date := f.CreateDate.UTC()
	return &awsPolicy{
		Policy: Policy{PolicyName: n, PolicyId: string(id), Arn: f.ARN, Path: p, DefaultVersionId: f.Version,
			IsAttachable: !strings.HasPrefix(p, serviceRolePath), CreateDate: date, UpdateDate: date},
		Document: string(f.Document),
	}, nil
}

// isAWSPolicy reports whether arn names an AWS managed policy (known or
// not).
func isAWSPolicy(arn string) bool { return strings.HasPrefix(arn, "arn:aws:iam::aws:policy/") }

// AdministratorAccessARN is the ARN of the AWS managed policy that allows
// everything.
const AdministratorAccessARN = "arn:aws:iam::aws:policy/AdministratorAccess"
