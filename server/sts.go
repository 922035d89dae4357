package server

import (
	"context"
	"time"

	"gatehouse/authz"
	"gatehouse/awsapi"
	"gatehouse/sts"
)

// stsOperations declares the STS API. GetCallerIdentity and
// GetSessionToken need no permission (STS API reference:
// GetCallerIdentity "No permissions are required to perform this
// operation"; GetSessionToken "No permissions are required for users to
// perform this operation ... You cannot use policies to control
// authentication operations"). AssumeRole is authorized on the role, with
// its trust policy; GetAccessKeyInfo on "*". They all only read: the
// credentials they issue are self-contained.
func (s *Server) stsOperations() []*Operation {
	svc := s.deps.STS
	if svc == nil {
		return nil
	}
	return []*Operation{
		op("sts", "GetCallerIdentity", "sts:GetCallerIdentity", func(ctx context.Context, c *Call, in *getCallerIdentityInput) (*getCallerIdentityResult, error) {
			out, err := svc.GetCallerIdentity(ctx, c.Caller, sts.GetCallerIdentityInput{})
			return &getCallerIdentityResult{UserId: out.UserId, Account: out.Account, Arn: out.Arn}, err
		}).readOnly().withoutAuthorization(),
		op("sts", "GetSessionToken", "sts:GetSessionToken", func(ctx context.Context, c *Call, in *getSessionTokenInput) (*getSessionTokenResult, error) {
			out, err := svc.GetSessionToken(ctx, c.Caller, in.GetSessionTokenInput)
			if err != nil {
				return nil, err
			}
			return &getSessionTokenResult{Credentials: wireCredentials(out.Credentials)}, nil
		}).readOnly().withoutAuthorization(),
		op("sts", "GetAccessKeyInfo", "sts:GetAccessKeyInfo", func(ctx context.Context, c *Call, in *getAccessKeyInfoInput) (*getAccessKeyInfoResult, error) {
			out, err := svc.GetAccessKeyInfo(ctx, c.Caller, in.GetAccessKeyInfoInput)
			if err != nil {
				return nil, err
			}
			return &getAccessKeyInfoResult{Account: out.Account}, nil
		}).readOnly(),
		on(op("sts", "AssumeRole", "sts:AssumeRole", func(ctx context.Context, c *Call, in *assumeRoleInput) (*assumeRoleResult, error) {
			out, err := svc.AssumeRole(ctx, c.Caller, in.AssumeRoleInput)
			if err != nil {
				return nil, err
			}
			return &assumeRoleResult{
				Credentials:             wireCredentials(out.Credentials),
				AssumedRoleUser:         assumedRoleUser(out.AssumedRoleUser),
				PackedPolicySize:        out.PackedPolicySize,
				SourceIdentity:          out.SourceIdentity,
				SessionTokenUtilization: out.SessionTokenUtilization,
			}, nil
		}).readOnly(), s.assumeRoleTarget),
	}
}

// assumeRoleTarget authorizes AssumeRole on the role, in the role's
// account, with its trust policy (NoTrust when the role does not exist),
// the request's condition keys and, for session tags and source identity,
// sts:TagSession and sts:SetSourceIdentity.
func (s *Server) assumeRoleTarget(ctx context.Context, c *Call, in *assumeRoleInput) (target, error) {
	roleARN := ""
	if in.RoleArn != nil {
		roleARN = *in.RoleArn
	}
	trust, account, found, err := s.deps.STS.Trust(ctx, roleARN)
	if err != nil {
		return target{}, err
	}
	doc := &authz.NoTrust
	if found {
		doc = &authz.Document{ID: roleARN, Content: trust}
	}
	return target{ARNs: []string{roleARN}, Account: account, Keys: sts.ConditionKeys(in.AssumeRoleInput),
		Also: sts.ExtraActions(in.AssumeRoleInput), Trust: doc}, nil
}

// The inputs, decoded from the query parameters and checked against the
// model's constraints before authorization, as AWS does.

type getCallerIdentityInput struct{}

func (in *getCallerIdentityInput) decodeQuery(awsapi.Params) error { return nil }

type getSessionTokenInput struct{ sts.GetSessionTokenInput }

func (in *getSessionTokenInput) decodeQuery(p awsapi.Params) error {
	var err error
	if in.DurationSeconds, err = optionalInt32(p, "DurationSeconds"); err != nil {
		return err
	}
	in.SerialNumber = optionalString(p, "SerialNumber")
	in.TokenCode = optionalString(p, "TokenCode")
	return in.Validate()
}

type getAccessKeyInfoInput struct{ sts.GetAccessKeyInfoInput }

func (in *getAccessKeyInfoInput) decodeQuery(p awsapi.Params) error {
	in.AccessKeyId = optionalString(p, "AccessKeyId")
	return in.Validate()
}

type assumeRoleInput struct{ sts.AssumeRoleInput }

func (in *assumeRoleInput) decodeQuery(p awsapi.Params) error {
	var err error
	in.RoleArn = optionalString(p, "RoleArn")
	in.RoleSessionName = optionalString(p, "RoleSessionName")
	in.Policy = optionalString(p, "Policy")
	in.ExternalId = optionalString(p, "ExternalId")
	in.SerialNumber = optionalString(p, "SerialNumber")
	in.TokenCode = optionalString(p, "TokenCode")
	in.SourceIdentity = optionalString(p, "SourceIdentity")
	if in.DurationSeconds, err = optionalInt32(p, "DurationSeconds"); err != nil {
		return err
	}
	arns, err := p.Members("PolicyArns")
	if err != nil {
		return err
	}
	for _, a := range arns {
		in.PolicyArns = append(in.PolicyArns, a.Get("arn"))
	}
	tags, err := p.Members("Tags")
	if err != nil {
		return err
	}
	for _, t := range tags {
		in.Tags = append(in.Tags, sts.Tag{Key: t.Get("Key"), Value: t.Get("Value")})
	}
	if in.TransitiveTagKeys, err = p.List("TransitiveTagKeys"); err != nil {
		return err
	}
	return in.Validate()
}

func optionalString(p awsapi.Params, name string) *string {
	v, ok := p.Lookup(name)
	if !ok {
		return nil
	}
	return &v
}

func optionalInt32(p awsapi.Params, name string) (*int32, error) {
	if _, ok := p.Lookup(name); !ok {
		return nil, nil
	}
	n, err := p.Int(name, 0)
	if err != nil {
		return nil, err
	}
	v := int32(n)
	return &v, nil
}

// The results, in the query protocol's XML shapes (awsapi/queryxml.go).

type getCallerIdentityResult struct {
	UserId  string
	Account string
	Arn     string
}

type stsCredentials struct {
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

func wireCredentials(c sts.Credentials) stsCredentials {
	return stsCredentials{AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expiration.UTC()}
}

type getSessionTokenResult struct {
	Credentials stsCredentials
}

type getAccessKeyInfoResult struct {
	Account string
}

type stsAssumedRoleUser struct {
	AssumedRoleId string
	Arn           string
}

func assumedRoleUser(u sts.AssumedRoleUser) stsAssumedRoleUser {
	return stsAssumedRoleUser{AssumedRoleId: u.AssumedRoleId, Arn: u.Arn}
}

type assumeRoleResult struct {
	Credentials      stsCredentials
	AssumedRoleUser  stsAssumedRoleUser
	PackedPolicySize *int32 `xml:",omitempty"`
	SourceIdentity   string `xml:",omitempty"`
	// SessionTokenUtilization succeeds PackedPolicySize in newer models.
	SessionTokenUtilization int32
}
