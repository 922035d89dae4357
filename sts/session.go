package sts

import (
	"context"
	"time"

	"gatehouse/awserr"
	"gatehouse/credentials"
	"gatehouse/principal"
)

// Credentials are temporary security credentials.
type Credentials struct {
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// GetSessionToken's durations, in seconds: "from 900 seconds (15 minutes)
// up to 129,600 seconds (36 hours), with 43,200 seconds (12 hours) as the
// default. Temporary credentials obtained by using the root user
// credentials have a maximum duration of 3,600 seconds (1 hour)"
// (STS API reference, GetSessionToken).
const (
	sessionMinDuration     = 900
	sessionMaxDuration     = 129600
	sessionDefaultDuration = 43200
	rootMaxDuration        = 3600
)

// GetSessionTokenInput is GetSessionToken's request.
type GetSessionTokenInput struct {
	DurationSeconds *int32
	SerialNumber    *string
	TokenCode       *string
}

// Validate checks the request against the model's constraints.
func (in GetSessionTokenInput) Validate() error {
	var v violations
	v.number("durationSeconds", in.DurationSeconds, sessionMinDuration, sessionMaxDuration)
	v.optional("serialNumber", in.SerialNumber, 9, 256, patSerial)
	v.optional("tokenCode", in.TokenCode, 6, 6, patTokenCode)
	return v.err()
}

// GetSessionTokenOutput is GetSessionToken's response.
type GetSessionTokenOutput struct {
	Credentials Credentials
}

// GetSessionToken returns temporary credentials for an IAM user or a root
// user, which act with the caller's own permissions. It refuses callers
// that sign with temporary credentials themselves.
func (s *Service) GetSessionToken(_ context.Context, c *principal.Caller, in GetSessionTokenInput) (GetSessionTokenOutput, error) {
	if err := in.Validate(); err != nil {
		return GetSessionTokenOutput{}, err
	}
	if c.Session != nil || (c.Type != principal.IAMUser && c.Type != principal.Root) {
		return GetSessionTokenOutput{}, errSessionCredentials()
	}
	if in.SerialNumber != nil || in.TokenCode != nil {
		return GetSessionTokenOutput{}, errMFA()
	}
	duration := int32(sessionDefaultDuration)
	if in.DurationSeconds != nil {
		duration = *in.DurationSeconds
	}
	if c.Type == principal.Root {
		duration = min(duration, rootMaxDuration)
	}
	session := *c
	session.Session = &principal.Session{Issuer: "GetSessionToken"}
	creds, err := s.issue(session, duration)
	if err != nil {
		return GetSessionTokenOutput{}, err
	}
	return GetSessionTokenOutput{Credentials: creds}, nil
}

// issue makes temporary credentials for caller, valid for duration
// seconds from now; caller.Session is filled in with the times.
func (s *Service) issue(caller principal.Caller, duration int32) (Credentials, error) {
	id, err := newTemporaryKeyID(caller.Account)
	if err != nil {
		return Credentials{}, err
	}
	now := s.now()
	caller.AccessKeyID = id
	caller.Session.Issued = now
	caller.Session.Expiration = now.Add(time.Duration(duration) * time.Second)
	secret := credentials.NewSecret()
	token, err := s.Tokens.Seal(secret, caller)
	if err != nil {
		return Credentials{}, err
	}
	return Credentials{AccessKeyId: id, SecretAccessKey: secret, SessionToken: token, Expiration: caller.Session.Expiration}, nil
}

// CheckSessionScope refuses what credentials made by GetSessionToken
// without MFA may not do (IAM User Guide, "Requesting temporary security
// credentials", GetSessionToken): "You cannot call any IAM API operations
// unless MFA authentication information is included in the request" and
// "You cannot call any AWS STS API except AssumeRole or
// GetCallerIdentity". AWS answers the IAM calls as if the token were
// unknown to IAM; Gatehouse has no MFA, so no such session may call IAM.
// service is the SigV4 signing name, operation the API operation.
func CheckSessionScope(c *principal.Caller, service, operation string) error {
	if c == nil || c.Session == nil || c.Session.Issuer != "GetSessionToken" {
		return nil
	}
	switch service {
	case "iam":
		return awserr.ErrInvalidClientTokenId.New("The security token included in the request is invalid.")
	case "sts":
		if operation != "AssumeRole" && operation != "GetCallerIdentity" && operation != "GetSessionToken" {
			// The wording of GetSessionToken's own refusal; AWS's text
			// for the others is not published.
			return awserr.ErrAccessDenied.Newf("Cannot call %s with session credentials", operation)
		}
	}
	return nil
}
