package awsapi_test

import (
	"context"
	"errors"
	"gatehouse/awserr"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/smithy-go"

	"gatehouse/awsapi"
)

// These tests prove wire compatibility: httptest servers answer with the
// awsapi codecs and real aws-sdk-go-v2 clients must parse the answers.

const testRequestID = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"

func sdkConfig() aws.Config {
	return aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// jsonServer answers JSON 1.1 requests with handle(operation, body).
func jsonServer(t *testing.T, handle func(op string, body []byte) (any, error)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := awsapi.ReadBody(r, awsapi.DefaultMaxBodyBytes)
		if err != nil {
			_ = awsapi.JSON11.WriteError(w, testRequestID, err)
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != awsapi.JSON11.ContentType {
			t.Errorf("request Content-Type = %q", ct)
		}
		prefix, op, err := awsapi.ParseTarget(r.Header.Get("X-Amz-Target"))
		if err == nil && prefix != "AWSOrganizationsV20161128" {
			t.Errorf("target prefix = %q", prefix)
		}
		var out any
		if err == nil {
			out, err = handle(op, body)
		}
		if err != nil {
			_ = awsapi.JSON11.WriteError(w, testRequestID, err)
			return
		}
		_ = awsapi.JSON11.Write(w, testRequestID, out)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func orgClient(srv *httptest.Server) *organizations.Client {
	return organizations.NewFromConfig(sdkConfig(), func(o *organizations.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
	})
}

// Output shapes as a Gatehouse adapter would declare them.
type (
	policyTypeSummary struct {
		Type   string
		Status string
	}
	organization struct {
		Id                   string
		Arn                  string
		FeatureSet           string
		MasterAccountArn     string
		MasterAccountEmail   string
		MasterAccountId      string
		AvailablePolicyTypes []policyTypeSummary
	}
	account struct {
		Id              string
		Arn             string
		Email           string
		Name            string
		Status          string
		JoinedMethod    string
		JoinedTimestamp awsapi.Time `json:",omitzero"`
	}
)

func TestSDKOrganizationsSuccess(t *testing.T) {
	joined := time.Date(2026, 3, 4, 5, 6, 7, 890_000_000, time.UTC)
	srv := jsonServer(t, func(op string, body []byte) (any, error) {
		switch op {
		case "DescribeOrganization":
			return map[string]any{"Organization": organization{
				Id: "o-a1b2c3d4e5", Arn: "arn:aws:organizations::111122223333:organization/o-a1b2c3d4e5",
				FeatureSet: "ALL", MasterAccountId: "111122223333", MasterAccountEmail: "root@example.com",
				MasterAccountArn:     "arn:aws:organizations::111122223333:account/o-a1b2c3d4e5/111122223333",
				AvailablePolicyTypes: []policyTypeSummary{{Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED"}},
			}}, nil
		case "DescribeAccount":
			var in struct{ AccountId string }
			if err := awsapi.DecodeJSON(body, &in); err != nil {
				return nil, err
			}
			return map[string]any{"Account": account{
				Id: in.AccountId, Arn: "arn:aws:organizations::111122223333:account/o-a1b2c3d4e5/" + in.AccountId,
				Email: "dev@example.com", Name: "dev", Status: "ACTIVE", JoinedMethod: "CREATED",
				JoinedTimestamp: awsapi.Time{Time: joined},
			}}, nil
		}
		return nil, awserr.ErrUnknownOperationException.New("")
	})
	c := orgClient(srv)
	ctx := context.Background()

	org, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil {
		t.Fatalf("DescribeOrganization: %v", err)
	}
	o := org.Organization
	if aws.ToString(o.Id) != "o-a1b2c3d4e5" || o.FeatureSet != orgtypes.OrganizationFeatureSetAll ||
		len(o.AvailablePolicyTypes) != 1 || o.AvailablePolicyTypes[0].Status != orgtypes.PolicyTypeStatusEnabled {
		t.Errorf("Organization = %+v", o)
	}

	acct, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String("444455556666")})
	if err != nil {
		t.Fatalf("DescribeAccount: %v", err)
	}
	a := acct.Account
	if aws.ToString(a.Id) != "444455556666" || a.JoinedMethod != orgtypes.AccountJoinedMethodCreated {
		t.Errorf("Account = %+v", a)
	}
	if a.JoinedTimestamp == nil || !a.JoinedTimestamp.Equal(joined) {
		t.Errorf("JoinedTimestamp = %v, want %v", a.JoinedTimestamp, joined)
	}
}

func TestSDKOrganizationsErrors(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantCode   string
		wantStatus int
		check      func(t *testing.T, err error)
	}{
		{
			name:       "not in use",
			err:        awserr.ErrAWSOrganizationsNotInUseException.New("Your account is not a member of an organization."),
			wantCode:   "AWSOrganizationsNotInUseException",
			wantStatus: 400,
			check: func(t *testing.T, err error) {
				var typed *orgtypes.AWSOrganizationsNotInUseException
				if !errors.As(err, &typed) || typed.ErrorMessage() != "Your account is not a member of an organization." {
					t.Errorf("want *AWSOrganizationsNotInUseException with message, got %T %v", err, err)
				}
			},
		},
		{
			name:       "constraint violation with reason",
			err:        awserr.ErrConstraintViolationException.New("You have exceeded the maximum depth of OUs.").With("Reason", "OU_DEPTH_LIMIT_EXCEEDED"),
			wantCode:   "ConstraintViolationException",
			wantStatus: 400,
			check: func(t *testing.T, err error) {
				var typed *orgtypes.ConstraintViolationException
				if !errors.As(err, &typed) {
					t.Fatalf("want *ConstraintViolationException, got %T %v", err, err)
				}
				if typed.Reason != orgtypes.ConstraintViolationExceptionReasonOuDepthLimitExceeded {
					t.Errorf("Reason = %q", typed.Reason)
				}
			},
		},
		{
			name:       "invalid input with reason",
			err:        awserr.ErrInvalidInputException.New("Invalid ID.").With("Reason", "INVALID_PARTY_TYPE_TARGET"),
			wantCode:   "InvalidInputException",
			wantStatus: 400,
			check: func(t *testing.T, err error) {
				var typed *orgtypes.InvalidInputException
				if !errors.As(err, &typed) || typed.Reason != orgtypes.InvalidInputExceptionReasonInvalidPartyTypeTarget {
					t.Errorf("want *InvalidInputException with Reason, got %T %v", err, err)
				}
			},
		},
		{
			name:       "server fault",
			err:        awserr.ErrServiceException.New("Try again later."),
			wantCode:   "ServiceException",
			wantStatus: 500,
			check: func(t *testing.T, err error) {
				var typed *orgtypes.ServiceException
				if !errors.As(err, &typed) {
					t.Errorf("want *ServiceException, got %T %v", err, err)
				}
			},
		},
		{
			name:       "query-family auth code respelled for JSON",
			err:        awserr.ErrInvalidClientTokenId.New("The security token included in the request is invalid."),
			wantCode:   "UnrecognizedClientException",
			wantStatus: 403,
		},
		{
			name:       "unexpected error hidden",
			err:        errors.New("database is on fire"),
			wantCode:   "InternalFailure",
			wantStatus: 500,
			check: func(t *testing.T, err error) {
				if strings.Contains(err.Error(), "fire") {
					t.Errorf("internal cause leaked: %v", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := jsonServer(t, func(string, []byte) (any, error) { return nil, tt.err })
			_, err := orgClient(srv).DescribeOrganization(context.Background(), &organizations.DescribeOrganizationInput{})
			checkAPIError(t, err, tt.wantCode, tt.wantStatus)
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}

// checkAPIError asserts the SDK's view of an error: code, HTTP status and
// the request ID from x-amzn-RequestId.
func checkAPIError(t *testing.T, err error, code string, status int) {
	t.Helper()
	var api smithy.APIError
	if !errors.As(err, &api) {
		t.Fatalf("want smithy.APIError, got %T %v", err, err)
	}
	if api.ErrorCode() != code {
		t.Errorf("ErrorCode = %q, want %q", api.ErrorCode(), code)
	}
	var resp *awshttp.ResponseError
	if !errors.As(err, &resp) {
		t.Fatalf("want *awshttp.ResponseError in %v", err)
	}
	if resp.HTTPStatusCode() != status {
		t.Errorf("status = %d, want %d", resp.HTTPStatusCode(), status)
	}
	if resp.ServiceRequestID() != testRequestID {
		t.Errorf("request ID = %q", resp.ServiceRequestID())
	}
}

// queryServer answers IAM query requests with handle(params).
func queryServer(t *testing.T, handle func(p awsapi.Params) (any, error)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := awsapi.ReadBody(r, awsapi.DefaultMaxBodyBytes)
		var p awsapi.Params
		if err == nil {
			p, err = awsapi.ParseQuery(r.URL.RawQuery, body)
		}
		if err == nil && p.Version() != "2010-05-08" {
			t.Errorf("Version = %q", p.Version())
		}
		var out any
		if err == nil {
			out, err = handle(p)
		}
		if err != nil {
			_ = awsapi.IAM.WriteError(w, testRequestID, err)
			return
		}
		_ = awsapi.IAM.Write(w, testRequestID, p.Action(), out)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func iamClient(srv *httptest.Server) *iam.Client {
	return iam.NewFromConfig(sdkConfig(), func(o *iam.Options) {
		o.BaseEndpoint = aws.String(srv.URL)
	})
}

type (
	tag struct {
		Key   string
		Value string
	}
	user struct {
		Path       string
		UserName   string
		UserId     string
		Arn        string
		CreateDate time.Time
		Tags       awsapi.Members[tag]
	}
	getUserResult struct {
		User user
	}
	listUsersResult struct {
		Users       awsapi.Members[user]
		IsTruncated bool
	}
	accountSummaryResult struct {
		SummaryMap awsapi.Entries[int]
	}
)

var alice = user{
	Path: "/", UserName: "alice", UserId: "AIDAEXAMPLEALICE00001", Arn: "arn:aws:iam::111122223333:user/alice",
	CreateDate: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	Tags:       awsapi.Members[tag]{{Key: "team", Value: "platform"}, {Key: "cost center", Value: "a&b <c>"}},
}

// iamHandler implements a few IAM operations over Params, checking that
// the SDK's serialization parses.
func iamHandler(t *testing.T) func(p awsapi.Params) (any, error) {
	return func(p awsapi.Params) (any, error) {
		switch p.Action() {
		case "GetUser":
			name, err := p.Required("UserName")
			if err != nil || name != "alice" {
				return nil, errors.Join(err, awserr.ErrNoSuchEntity.Newf("The user with name %s cannot be found.", name))
			}
			return getUserResult{User: alice}, nil
		case "ListUsers":
			return listUsersResult{}, nil
		case "TagUser":
			tags, err := p.MemberMap("Tags", "Key", "Value")
			if err != nil {
				return nil, err
			}
			if len(tags) != 2 || tags["cost center"] != "a&b <c>" || tags["team"] != "platform" {
				t.Errorf("TagUser tags = %q", tags)
			}
			return nil, nil
		case "GetAccountAuthorizationDetails":
			filter, err := p.List("Filter")
			if err != nil {
				return nil, err
			}
			if strings.Join(filter, ",") != "User,Role" {
				t.Errorf("Filter = %q", filter)
			}
			return accountSummaryResult{}, nil
		case "GetAccountSummary":
			return accountSummaryResult{SummaryMap: awsapi.Entries[int]{"Users": 3, "Roles": 7}}, nil
		}
		return nil, awserr.ErrInvalidAction.Newf("Could not find operation %s for version %s", p.Action(), p.Version())
	}
}

func TestSDKIAMSuccess(t *testing.T) {
	c := iamClient(queryServer(t, iamHandler(t)))
	ctx := context.Background()

	got, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})
	if err != nil {
		t.Fatalf("GetUser: %v", err)
	}
	u := got.User
	if aws.ToString(u.UserName) != "alice" || aws.ToString(u.Arn) != alice.Arn || aws.ToString(u.UserId) != alice.UserId {
		t.Errorf("User = %+v", u)
	}
	if u.CreateDate == nil || !u.CreateDate.Equal(alice.CreateDate) {
		t.Errorf("CreateDate = %v", u.CreateDate)
	}
	if len(u.Tags) != 2 || aws.ToString(u.Tags[1].Value) != "a&b <c>" {
		t.Errorf("Tags = %+v", u.Tags)
	}

	list, err := c.ListUsers(ctx, &iam.ListUsersInput{})
	if err != nil || list.Users == nil || len(list.Users) != 0 || list.IsTruncated {
		t.Errorf("ListUsers = %+v, %v; want an empty, non-nil list", list, err)
	}

	_, err = c.TagUser(ctx, &iam.TagUserInput{UserName: aws.String("alice"), Tags: []iamtypes.Tag{
		{Key: aws.String("team"), Value: aws.String("platform")},
		{Key: aws.String("cost center"), Value: aws.String("a&b <c>")},
	}})
	if err != nil {
		t.Errorf("TagUser: %v", err)
	}

	_, err = c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{
		Filter: []iamtypes.EntityType{iamtypes.EntityTypeUser, iamtypes.EntityTypeRole},
	})
	if err != nil {
		t.Errorf("GetAccountAuthorizationDetails: %v", err)
	}

	sum, err := c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil || sum.SummaryMap["Users"] != 3 || sum.SummaryMap["Roles"] != 7 {
		t.Errorf("GetAccountSummary = %+v, %v", sum, err)
	}
}

func TestSDKIAMErrors(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantCode   string
		wantStatus int
		check      func(t *testing.T, err error)
	}{
		{
			name:       "no such entity",
			err:        awserr.ErrNoSuchEntity.New("The user with name bob cannot be found."),
			wantCode:   "NoSuchEntity",
			wantStatus: 404,
			check: func(t *testing.T, err error) {
				var typed *iamtypes.NoSuchEntityException
				if !errors.As(err, &typed) || typed.ErrorMessage() != "The user with name bob cannot be found." {
					t.Errorf("want *NoSuchEntityException with message, got %T %v", err, err)
				}
			},
		},
		{
			name:       "entity already exists",
			err:        awserr.ErrEntityAlreadyExists.New("User with name alice already exists."),
			wantCode:   "EntityAlreadyExists",
			wantStatus: 409,
			check: func(t *testing.T, err error) {
				var typed *iamtypes.EntityAlreadyExistsException
				if !errors.As(err, &typed) {
					t.Errorf("want *EntityAlreadyExistsException, got %T %v", err, err)
				}
			},
		},
		{
			name:       "JSON-family access denied respelled for query",
			err:        awserr.ErrAccessDeniedException.New("User: arn:aws:iam::111122223333:user/bob is not authorized to perform: iam:GetUser"),
			wantCode:   "AccessDenied",
			wantStatus: 403,
		},
		{
			name:       "validation error",
			err:        awserr.ErrValidationError.New("1 validation error detected"),
			wantCode:   "ValidationError",
			wantStatus: 400,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := queryServer(t, func(awsapi.Params) (any, error) { return nil, tt.err })
			_, err := iamClient(srv).GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("bob")})
			checkAPIError(t, err, tt.wantCode, tt.wantStatus)
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}
