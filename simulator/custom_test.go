package simulator

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"gatehouse/awserr"
	"gatehouse/principal"
)

const acct = "111122223333"

var root = &principal.Caller{Type: principal.Root, Account: acct, ARN: principal.RootARN(acct), PrincipalARN: principal.RootARN(acct), UserID: acct}

// The policy of the AWS CLI's simulate-custom-policy example.
const cliExample = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}`

func simulate(t *testing.T, in SimulateCustomPolicyInput) SimulatePolicyOutput {
	t.Helper()
	out, err := New(nil, nil, nil).SimulateCustomPolicy(context.Background(), root, in)
	if err != nil {
		t.Fatalf("SimulateCustomPolicy: %v", err)
	}
	return out
}

// TestCLIExample reproduces the AWS CLI's simulate-custom-policy example
// (https://docs.aws.amazon.com/cli/latest/reference/iam/simulate-custom-policy.html):
// "EvalResourceName": "*", "EvalDecision": "allowed", one matched
// statement "SourcePolicyId": "PolicyInputList.1" from line 1 column 38 to
// line 1 column 167, and "MissingContextValues": [].
func TestCLIExample(t *testing.T) {
	out := simulate(t, SimulateCustomPolicyInput{
		PolicyInputList: []string{cliExample},
		ActionNames:     []string{"dynamodb:CreateBackup"},
		ContextEntries:  []ContextEntry{{ContextKeyName: "aws:CurrentTime", ContextKeyValues: []string{"2019-04-25T11:00:00Z"}, ContextKeyType: "date"}},
	})
	want := SimulatePolicyOutput{EvaluationResults: []EvaluationResult{{
		EvalActionName: "dynamodb:CreateBackup", EvalResourceName: "*", EvalDecision: "allowed",
		MatchedStatements:    []Statement{{SourcePolicyId: "PolicyInputList.1", StartPosition: Position{1, 38}, EndPosition: Position{1, 167}}},
		MissingContextValues: []string{},
	}}}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("got  %+v\nwant %+v", out, want)
	}
	// "the provided date is before that required by the policy's
	// condition": implicitDeny, no matched statements.
	out = simulate(t, SimulateCustomPolicyInput{
		PolicyInputList: []string{cliExample},
		ActionNames:     []string{"dynamodb:CreateBackup"},
		ContextEntries:  []ContextEntry{{ContextKeyName: "aws:CurrentTime", ContextKeyValues: []string{"2014-04-25T11:00:00Z"}, ContextKeyType: "date"}},
	})
	if r := out.EvaluationResults[0]; r.EvalDecision != "implicitDeny" || len(r.MatchedStatements) != 0 {
		t.Errorf("earlier date: %+v, want implicitDeny without matched statements", r)
	}
}

// TestMissingContextValues: "A list of context keys that are required by
// the included input policies but that were not provided by one of the
// input parameters ... This field doesn't include context keys referenced
// by service control policies (SCPs)." (IAM API Reference, EvaluationResult)
func TestMissingContextValues(t *testing.T) {
	out := simulate(t, SimulateCustomPolicyInput{
		PolicyInputList: []string{cliExample},
		ActionNames:     []string{"dynamodb:CreateBackup"},
		OrderedOrganizationPolicyInputList: [][]string{{
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}`,
		}},
	})
	r := out.EvaluationResults[0]
	if !reflect.DeepEqual(r.MissingContextValues, []string{"aws:CurrentTime"}) || r.EvalDecision != "implicitDeny" {
		t.Errorf("got %s missing %q, want implicitDeny missing [aws:CurrentTime]", r.EvalDecision, r.MissingContextValues)
	}
	if r.OrganizationsDecisionDetail == nil || r.OrganizationsDecisionDetail.AllowedByOrganizations {
		t.Errorf("OrganizationsDecisionDetail = %+v, want not allowed (the SCP's condition fails)", r.OrganizationsDecisionDetail)
	}
}

// TestResourceSpecificResults: "The simulator now returns a single
// EvaluationResult per action ... The top-level EvalDecision reflects the
// most restrictive decision across all resources ... To see the decision
// for each individual resource, use ResourceSpecificResults." (IAM API
// Reference, EvaluationResult)
func TestResourceSpecificResults(t *testing.T) {
	out := simulate(t, SimulateCustomPolicyInput{
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[
  {"Sid":"All","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
  {"Sid":"NotSecret","Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/secret/*"}]}`},
		ActionNames:  []string{"s3:GetObject", "s3:PutObject"},
		ResourceArns: []string{"arn:aws:s3:::b/public/k", "arn:aws:s3:::b/secret/k"},
	})
	if len(out.EvaluationResults) != 2 {
		t.Fatalf("%d results, want one per action", len(out.EvaluationResults))
	}
	get := out.EvaluationResults[0]
	if get.EvalDecision != "explicitDeny" || get.EvalResourceName != "*" {
		t.Errorf("GetObject: %s on %s, want explicitDeny on *", get.EvalDecision, get.EvalResourceName)
	}
	if len(get.MatchedStatements) != 1 || get.MatchedStatements[0].StartPosition.Line != 3 {
		t.Errorf("GetObject matched %+v, want the deny statement of line 3", get.MatchedStatements)
	}
	var decisions []string
	for _, r := range get.ResourceSpecificResults {
		decisions = append(decisions, r.EvalResourceName+"="+r.EvalResourceDecision)
	}
	want := []string{"arn:aws:s3:::b/public/k=allowed", "arn:aws:s3:::b/secret/k=explicitDeny"}
	if !reflect.DeepEqual(decisions, want) {
		t.Errorf("per resource %v, want %v", decisions, want)
	}
	// "If the simulation evaluates policies within the same account and
	// includes a resource ARN, then the parameter is present but the
	// response is empty."
	if get.EvalDecisionDetails == nil || len(get.EvalDecisionDetails) != 0 {
		t.Errorf("EvalDecisionDetails = %v, want present and empty", get.EvalDecisionDetails)
	}
	if put := out.EvaluationResults[1]; put.EvalDecision != "implicitDeny" {
		t.Errorf("PutObject: %s, want implicitDeny", put.EvalDecision)
	}
}

// TestCrossAccount: "When you make a cross-account request, AWS evaluates
// the request in the trusting account and the trusted account. The
// request is allowed only if both evaluations return true." (IAM API
// Reference, EvaluationResult, EvalDecisionDetails)
func TestCrossAccount(t *testing.T) {
	const caller = "arn:aws:iam::111122223333:user/alice"
	identity := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	bucket := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]}`
	tests := []struct {
		name, resourcePolicy string
		want                 string
		details              map[string]string
	}{
		{name: "both sides allow", resourcePolicy: bucket, want: "allowed", details: map[string]string{"IAM Policy": "allowed", "Resource Policy": "allowed"}},
		{name: "bucket policy names someone else", resourcePolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/bob"},"Action":"s3:GetObject","Resource":"*"}]}`,
			want: "implicitDeny", details: map[string]string{"IAM Policy": "allowed", "Resource Policy": "implicitDeny"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := simulate(t, SimulateCustomPolicyInput{
				PolicyInputList: []string{identity}, ActionNames: []string{"s3:GetObject"},
				ResourceArns: []string{"arn:aws:s3:::shared/k"}, ResourcePolicy: tt.resourcePolicy,
				ResourceOwner: "arn:aws:iam::444455556666:root", CallerArn: caller,
			})
			r := out.EvaluationResults[0]
			if r.EvalDecision != tt.want || !reflect.DeepEqual(r.EvalDecisionDetails, tt.details) {
				t.Errorf("got %s %v, want %s %v", r.EvalDecision, r.EvalDecisionDetails, tt.want, tt.details)
			}
		})
	}
}

// TestBoundaryDetail: "Contains information about the effect that a
// permissions boundary has on a policy simulation when the boundary is
// applied to an IAM entity." (IAM API Reference, EvaluationResult)
func TestBoundaryDetail(t *testing.T) {
	out := simulate(t, SimulateCustomPolicyInput{
		PolicyInputList:                    []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
		PermissionsBoundaryPolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`},
		ActionNames:                        []string{"s3:ListBucket", "iam:CreateUser"},
	})
	for i, want := range []bool{true, false} {
		r := out.EvaluationResults[i]
		if r.PermissionsBoundaryDecisionDetail == nil || r.PermissionsBoundaryDecisionDetail.AllowedByPermissionsBoundary != want {
			t.Errorf("%s: boundary detail %+v, want allowed=%v", r.EvalActionName, r.PermissionsBoundaryDecisionDetail, want)
		}
		if r.OrganizationsDecisionDetail != nil {
			t.Errorf("%s: OrganizationsDecisionDetail set without SCPs", r.EvalActionName)
		}
	}
}

// TestPaging: "If additional items exist beyond the maximum you specify,
// the IsTruncated response element is true ... Marker contains a value to
// include in the subsequent call that tells the service where to continue
// from." (IAM API Reference, SimulateCustomPolicy, MaxItems)
func TestPaging(t *testing.T) {
	in := SimulateCustomPolicyInput{
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`},
		ActionNames:     []string{"s3:GetObject", "s3:PutObject", "iam:CreateUser"},
		MaxItems:        new(int32(2)),
	}
	var names []string
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		out := simulate(t, in)
		for _, r := range out.EvaluationResults {
			names = append(names, r.EvalActionName)
		}
		if !out.IsTruncated {
			if out.Marker != "" {
				t.Error("marker on the last page")
			}
			break
		}
		in.Marker = out.Marker
	}
	if !reflect.DeepEqual(names, in.ActionNames) {
		t.Errorf("paged through %v, want %v", names, in.ActionNames)
	}
	in.Marker = encodeMarker([]string{"other:Action", "x:y"}, 1)
	_, err := New(nil, nil, nil).SimulateCustomPolicy(context.Background(), root, in)
	wantCode(t, err, "InvalidInput")
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("got error %v, want %s", err, code)
	}
}

// TestCustomErrors checks the validation of SimulateCustomPolicy's input.
func TestCustomErrors(t *testing.T) {
	allowAll := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	base := func() SimulateCustomPolicyInput {
		return SimulateCustomPolicyInput{PolicyInputList: []string{allowAll}, ActionNames: []string{"s3:GetObject"}}
	}
	tests := []struct {
		name   string
		modify func(in *SimulateCustomPolicyInput)
		code   string
	}{
		{"no actions", func(in *SimulateCustomPolicyInput) { in.ActionNames = nil }, "InvalidInput"},
		{"no policies", func(in *SimulateCustomPolicyInput) { in.PolicyInputList = nil }, "InvalidInput"},
		// "This operation does not support using wildcards (*) in an action name."
		{"wildcard action", func(in *SimulateCustomPolicyInput) { in.ActionNames = []string{"s3:Get*"} }, "InvalidInput"},
		{"action without service", func(in *SimulateCustomPolicyInput) { in.ActionNames = []string{"GetObject"} }, "InvalidInput"},
		// Observed: "ResourceNames are not in a valid ARN format: 14a050d4-...".
		{"resource not an ARN", func(in *SimulateCustomPolicyInput) { in.ResourceArns = []string{"14a050d4-021e"} }, "InvalidInput"},
		// Observed: "'123456789012' is not a valid as a Resource Owner."
		{"resource owner not an account ARN", func(in *SimulateCustomPolicyInput) { in.ResourceOwner = "123456789012" }, "InvalidInput"},
		{"malformed policy", func(in *SimulateCustomPolicyInput) { in.PolicyInputList = []string{`{"Statement":`} }, "MalformedPolicyDocument"},
		{"identity policy with a principal", func(in *SimulateCustomPolicyInput) {
			in.PolicyInputList = []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`}
		}, "MalformedPolicyDocument"},
		{"resource policy without principal", func(in *SimulateCustomPolicyInput) {
			in.CallerArn, in.ResourcePolicy = "arn:aws:iam::111122223333:user/a", allowAll
		}, "MalformedPolicyDocument"},
		// "You can input only one permissions boundary".
		{"two boundaries", func(in *SimulateCustomPolicyInput) {
			in.PermissionsBoundaryPolicyInputList = []string{allowAll, allowAll}
		}, "InvalidInput"},
		// "CallerArn is required if you include a ResourcePolicy".
		{"resource policy without caller", func(in *SimulateCustomPolicyInput) {
			in.ResourcePolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`
		}, "InvalidInput"},
		// "You cannot specify the ARN of an assumed role, federated user, or a service principal."
		{"assumed-role caller", func(in *SimulateCustomPolicyInput) { in.CallerArn = "arn:aws:sts::111122223333:assumed-role/R/s" }, "InvalidInput"},
		{"bad context type", func(in *SimulateCustomPolicyInput) {
			in.ContextEntries = []ContextEntry{{ContextKeyName: "aws:SourceIp", ContextKeyValues: []string{"1.2.3.4"}, ContextKeyType: "ipAddress"}}
		}, "InvalidInput"},
		{"max items zero", func(in *SimulateCustomPolicyInput) { in.MaxItems = new(int32(0)) }, "ValidationError"},
		{"max items over 1000", func(in *SimulateCustomPolicyInput) { in.MaxItems = new(int32(1001)) }, "ValidationError"},
		{"marker not ours", func(in *SimulateCustomPolicyInput) { in.Marker = "bogus" }, "InvalidInput"},
		{"unknown scenario", func(in *SimulateCustomPolicyInput) { in.ResourceHandlingOption = "EC2-Classic-InstanceStore" }, "InvalidInput"},
		// "Each of the Amazon EC2 scenarios requires that you specify instance, image, and security group resources."
		{"scenario without its resources", func(in *SimulateCustomPolicyInput) {
			in.ResourceHandlingOption = "EC2-VPC-InstanceStore"
			in.ResourceArns = []string{"arn:aws:ec2:us-east-1:111122223333:instance/i-1"}
		}, "InvalidInput"},
		{"too many evaluations", func(in *SimulateCustomPolicyInput) {
			in.ActionNames = make([]string, 101)
			for i := range in.ActionNames {
				in.ActionNames[i] = "s3:GetObject"
			}
			in.ResourceArns = make([]string, 100)
			for i := range in.ResourceArns {
				in.ResourceArns[i] = "arn:aws:s3:::b/k"
			}
		}, "InvalidInput"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.modify(&in)
			_, err := New(nil, nil, nil).SimulateCustomPolicy(context.Background(), root, in)
			wantCode(t, err, tt.code)
		})
	}
}

// TestScenario accepts an EC2 scenario whose resources are all given.
func TestScenario(t *testing.T) {
	arn := "arn:aws:ec2:us-east-1:111122223333:"
	out := simulate(t, SimulateCustomPolicyInput{
		PolicyInputList:        []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:RunInstances","Resource":"*"}]}`},
		ActionNames:            []string{"ec2:RunInstances"},
		ResourceHandlingOption: "EC2-VPC-InstanceStore",
		ResourceArns:           []string{arn + "instance/i-1", "arn:aws:ec2:us-east-1::image/ami-1", arn + "security-group/sg-1", arn + "network-interface/eni-1"},
	})
	if d := out.EvaluationResults[0].EvalDecision; d != "allowed" {
		t.Errorf("decision %s, want allowed", d)
	}
}

// TestGetContextKeysForCustomPolicy: "Gets a list of all of the context
// keys referenced in the input policies." (IAM API Reference)
func TestGetContextKeysForCustomPolicy(t *testing.T) {
	s := New(nil, nil, nil)
	out, err := s.GetContextKeysForCustomPolicy(context.Background(), root, GetContextKeysForCustomPolicyInput{PolicyInputList: []string{
		cliExample,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"Bool":{"AWS:CurrentTime":"true"}}}]}`,
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"aws:CurrentTime", "aws:username"}; !reflect.DeepEqual(out.ContextKeyNames, want) {
		t.Errorf("ContextKeyNames = %q, want %q", out.ContextKeyNames, want)
	}
	_, err = s.GetContextKeysForCustomPolicy(context.Background(), root, GetContextKeysForCustomPolicyInput{PolicyInputList: []string{"{"}})
	wantCode(t, err, "InvalidInput") // the operation's only error
}
