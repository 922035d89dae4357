package server

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"

	"gatehouse/audit"
	"gatehouse/authz"
	"gatehouse/awsapi"
	"gatehouse/org"
	"gatehouse/principal"
	"gatehouse/simulator"
	"gatehouse/store/sqlite"
)

const simMgmt = "123456789012"

// The policy of the AWS CLI's simulate-custom-policy example.
const cliExamplePolicy = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}`

// newSimulatorServer runs the whole pipeline in --dev mode (any access
// key is the management account's root user) with the simulator and no
// IAM entities.
func newSimulatorServer(t *testing.T) *iam.Client {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	orgs := org.New(st)
	az := authz.New(st, authz.RootOnly{}, orgs)
	rec := audit.NewRecorder(st, nil, audit.RecorderConfig{})
	t.Cleanup(func() { rec.Close(); az.Close() })
	s := New(Config{Region: "us-east-1", Dev: true}, Deps{
		Store: st, Authz: az, Org: orgs, Audit: rec,
		ManagementAccount: func() string { return simMgmt },
		Simulator:         simulator.New(st, nil, orgs),
	})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return iam.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
		HTTPClient:   sdkHTTPClient{},
	})
}

// TestSimulateCustomPolicySDK drives SimulateCustomPolicy with
// aws-sdk-go-v2 through routing, SigV4, decoding, authorization and the
// XML encoding, with the AWS CLI's documented example: "EvalDecision":
// "allowed", "SourcePolicyId": "PolicyInputList.1", StartPosition line 1
// column 38, EndPosition line 1 column 167.
func TestSimulateCustomPolicySDK(t *testing.T) {
	client := newSimulatorServer(t)
	ctx := context.Background()
	out, err := client.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{cliExamplePolicy},
		ActionNames:     []string{"dynamodb:CreateBackup", "dynamodb:DeleteTable", "s3:GetObject"},
		ResourceArns:    []string{"arn:aws:dynamodb:us-east-1:123456789012:table/t", "arn:aws:dynamodb:us-east-1:123456789012:table/u"},
		ContextEntries: []iamtypes.ContextEntry{{
			ContextKeyName: aws.String("aws:CurrentTime"), ContextKeyValues: []string{"2019-04-25T11:00:00Z"}, ContextKeyType: iamtypes.ContextKeyTypeEnumDate,
		}},
		OrderedOrganizationPolicyInputList: []iamtypes.OrderedOrganizationPolicyType{
			{ServiceControlPolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}},
			{ServiceControlPolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]}`}},
		},
		MaxItems: aws.Int32(2),
	})
	if err != nil {
		t.Fatalf("SimulateCustomPolicy: %v", err)
	}
	if !out.IsTruncated || out.Marker == nil || len(out.EvaluationResults) != 2 {
		t.Fatalf("first page: truncated %v, marker %v, %d results; want truncated with 2", out.IsTruncated, out.Marker, len(out.EvaluationResults))
	}
	r := out.EvaluationResults[0]
	if aws.ToString(r.EvalActionName) != "dynamodb:CreateBackup" || r.EvalDecision != iamtypes.PolicyEvaluationDecisionTypeAllowed || aws.ToString(r.EvalResourceName) != "*" {
		t.Errorf("first result %s %s on %s", aws.ToString(r.EvalActionName), r.EvalDecision, aws.ToString(r.EvalResourceName))
	}
	if len(r.MatchedStatements) != 1 || aws.ToString(r.MatchedStatements[0].SourcePolicyId) != "PolicyInputList.1" ||
		r.MatchedStatements[0].StartPosition.Column != 38 || r.MatchedStatements[0].EndPosition.Column != 167 {
		t.Errorf("matched statements %+v", r.MatchedStatements)
	}
	if r.OrganizationsDecisionDetail == nil || !r.OrganizationsDecisionDetail.AllowedByOrganizations {
		t.Errorf("OrganizationsDecisionDetail %+v, want allowed", r.OrganizationsDecisionDetail)
	}
	if len(r.ResourceSpecificResults) != 2 || r.EvalDecisionDetails == nil {
		t.Errorf("%d resource results, EvalDecisionDetails %v; want 2 and present", len(r.ResourceSpecificResults), r.EvalDecisionDetails)
	}
	next, err := client.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{cliExamplePolicy},
		ActionNames:     []string{"dynamodb:CreateBackup", "dynamodb:DeleteTable", "s3:GetObject"},
		OrderedOrganizationPolicyInputList: []iamtypes.OrderedOrganizationPolicyType{
			{ServiceControlPolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]}`}},
		},
		Marker: out.Marker,
	})
	if err != nil {
		t.Fatalf("second page: %v", err)
	}
	if len(next.EvaluationResults) != 1 || next.IsTruncated {
		t.Fatalf("second page: %d results, truncated %v", len(next.EvaluationResults), next.IsTruncated)
	}
	// The SCP allows only DynamoDB, and no context supplies aws:CurrentTime.
	last := next.EvaluationResults[0]
	if last.EvalDecision != iamtypes.PolicyEvaluationDecisionTypeImplicitDeny || last.OrganizationsDecisionDetail.AllowedByOrganizations {
		t.Errorf("s3:GetObject: %s, allowed by organizations %v", last.EvalDecision, last.OrganizationsDecisionDetail.AllowedByOrganizations)
	}

	keys, err := client.GetContextKeysForCustomPolicy(ctx, &iam.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{cliExamplePolicy}})
	if err != nil || len(keys.ContextKeyNames) != 1 || keys.ContextKeyNames[0] != "aws:CurrentTime" {
		t.Errorf("GetContextKeysForCustomPolicy = %+v, %v", keys, err)
	}
}

// TestSimulatorErrorsSDK checks that the simulator's errors reach the SDK
// as IAM's typed errors.
func TestSimulatorErrorsSDK(t *testing.T) {
	client := newSimulatorServer(t)
	ctx := context.Background()
	_, err := client.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":`}, ActionNames: []string{"s3:GetObject"},
	})
	var malformed *iamtypes.MalformedPolicyDocumentException
	if !errors.As(err, &malformed) {
		t.Errorf("malformed policy: %v, want MalformedPolicyDocumentException", err)
	}
	_, err = client.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{cliExamplePolicy}, ActionNames: []string{"s3:*"},
	})
	var invalid *iamtypes.InvalidInputException
	if !errors.As(err, &invalid) {
		t.Errorf("wildcard action: %v, want InvalidInputException", err)
	}
	_, err = client.SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::" + simMgmt + ":user/nobody"), ActionNames: []string{"s3:GetObject"},
	})
	var noSuch *iamtypes.NoSuchEntityException
	if !errors.As(err, &noSuch) {
		t.Errorf("unknown user: %v, want NoSuchEntityException", err)
	}
	_, err = client.GetContextKeysForPrincipalPolicy(ctx, &iam.GetContextKeysForPrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:sts::" + simMgmt + ":assumed-role/R/s"),
	})
	if !errors.As(err, &invalid) {
		t.Errorf("session ARN: %v, want InvalidInputException", err)
	}
	// An operation of IAM that is not served is refused, in IAM's words.
	_, err = client.ListUsers(ctx, &iam.ListUsersInput{})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "InvalidAction" {
		t.Errorf("ListUsers: %v, want InvalidAction", err)
	}
}

// TestSimulateCustomPolicyGolden pins the XML of a SimulateCustomPolicy
// response (go test -update rewrites it).
func TestSimulateCustomPolicyGolden(t *testing.T) {
	caller := &principal.Caller{Type: principal.Root, Account: simMgmt, ARN: principal.RootARN(simMgmt), UserID: simMgmt}
	out, err := simulator.New(nil, nil, nil).SimulateCustomPolicy(context.Background(), caller, simulator.SimulateCustomPolicyInput{
		PolicyInputList: []string{cliExamplePolicy, `{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]}`},
		PermissionsBoundaryPolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:*","s3:*"],"Resource":"*"}]}`},
		ActionNames:                        []string{"dynamodb:CreateBackup", "s3:GetObject"},
		ResourceArns:                       []string{"arn:aws:s3:::shared/report.csv"},
		ResourcePolicy:                     `{"Version":"2012-10-17","Statement":[{"Sid":"Reader","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::shared/*"}]}`,
		ResourceOwner:                      "arn:aws:iam::444455556666:root",
		CallerArn:                          "arn:aws:iam::123456789012:user/alice",
	})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	if err := awsapi.IAM.Write(rec, "5f6c2a9e-3b1d-4c8e-9a7f-0123456789ab", "SimulateCustomPolicy", newSimulatePolicyResult(out)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "simulate_custom_policy.golden")
	got := rec.Body.String() + "\n"
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("response differs from %s:\n%s", path, got)
	}
}

// TestSimulatorOperationTable checks the simulator's declarations: each is
// an operation of IAM's model, authorized as iam:NAME, and read-only.
func TestSimulatorOperationTable(t *testing.T) {
	model := modelOperations(t, "iam", "2010-05-08")
	s := &Server{deps: Deps{Simulator: simulator.New(nil, nil, nil)}}
	want := map[string]bool{"SimulateCustomPolicy": true, "SimulatePrincipalPolicy": true, "GetContextKeysForCustomPolicy": true, "GetContextKeysForPrincipalPolicy": true}
	ops := s.simulatorOperations()
	if len(ops) != len(want) {
		t.Fatalf("%d operations, want %d", len(ops), len(want))
	}
	for _, o := range ops {
		if !want[o.Name] || !model[o.Name] || o.Service != "iam" || o.Action != "iam:"+o.Name || !o.ReadOnly {
			t.Errorf("%s: service %s, action %s, read-only %v", o.Name, o.Service, o.Action, o.ReadOnly)
		}
		if _, ok := o.newInput().(queryDecoder); !ok {
			t.Errorf("%s: input has no query decoder", o.Name)
		}
	}
	if (&Server{}).simulatorOperations() != nil {
		t.Error("operations declared without a simulator")
	}
}
