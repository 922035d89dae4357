package e2e

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	gcredentials "gatehouse/credentials"
	"gatehouse/principal"
	gsts "gatehouse/sts"
)

func (s *server) stsAs(id, secret, token string) *sts.Client {
	return sts.New(sts.Options{
		Region: Region, BaseEndpoint: aws.String(s.URL),
		Credentials: credentials.NewStaticCredentialsProvider(id, secret, token),
		Retryer:     aws.NopRetryer{}, HTTPClient: sdkHTTPClient{},
	})
}

// wantCodeMessage fails unless err is the AWS error code with a message
// containing message.
func wantCodeMessage(t *testing.T, err error, code, message string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code || !strings.Contains(ae.ErrorMessage(), message) {
		t.Errorf("got %v, want %s containing %q", err, code, message)
	}
}

// TestSTSTemporaryCredentials: the root user's GetSessionToken
// credentials work against Organizations and STS; tampered and expired
// session tokens are refused in both protocols.
func TestSTSTemporaryCredentials(t *testing.T) {
	key := make([]byte, gcredentials.MasterKeySize)
	rand.Read(key)
	s := start(t, opts{MasterKey: base64.StdEncoding.EncodeToString(key)})
	ctx := context.Background()
	root := s.stsAs(s.Key.AccessKeyID, s.Key.SecretAccessKey, "")

	id, err := root.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if *id.Arn != "arn:aws:iam::"+ManagementAccount+":root" || *id.Account != ManagementAccount {
		t.Errorf("GetCallerIdentity = %s %s", *id.Arn, *id.Account)
	}

	out, err := root.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials
	if !strings.HasPrefix(*c.AccessKeyId, "ASIA") || time.Until(*c.Expiration) > time.Hour {
		t.Errorf("GetSessionToken = %s expiring %v (root sessions last at most an hour)", *c.AccessKeyId, *c.Expiration)
	}
	temp := aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken}
	orgs := organizations.New(organizations.Options{
		Region: Region, BaseEndpoint: aws.String(s.URL), Retryer: aws.NopRetryer{}, HTTPClient: sdkHTTPClient{},
		Credentials: credentials.NewStaticCredentialsProvider(temp.AccessKeyID, temp.SecretAccessKey, temp.SessionToken),
	})
	if _, err := orgs.CreateOrganization(ctx, &organizations.CreateOrganizationInput{}); err != nil {
		t.Fatalf("CreateOrganization with temporary credentials: %v", err)
	}
	desc, err := orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	if err != nil || *desc.Organization.MasterAccountId != ManagementAccount {
		t.Fatalf("DescribeOrganization with temporary credentials = %v, %v", desc, err)
	}
	session := s.stsAs(temp.AccessKeyID, temp.SecretAccessKey, temp.SessionToken)
	if id, err := session.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil || *id.Arn != "arn:aws:iam::"+ManagementAccount+":root" {
		t.Errorf("GetCallerIdentity with temporary credentials = %v, %v", id, err)
	}
	info, err := root.GetAccessKeyInfo(ctx, &sts.GetAccessKeyInfoInput{AccessKeyId: c.AccessKeyId})
	if err != nil || *info.Account != ManagementAccount {
		t.Errorf("GetAccessKeyInfo = %v, %v", info, err)
	}

	// A tampered token; an ASIA key without its token.
	raw, _ := base64.StdEncoding.DecodeString(temp.SessionToken)
	raw[len(raw)-3] ^= 0x10
	tampered := base64.StdEncoding.EncodeToString(raw)
	_, err = s.stsAs(temp.AccessKeyID, temp.SecretAccessKey, tampered).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCodeMessage(t, err, "InvalidClientTokenId", "The security token included in the request is invalid.")
	_, err = s.orgAs(aws.Credentials{AccessKeyID: temp.AccessKeyID, SecretAccessKey: temp.SecretAccessKey}).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	wantCodeMessage(t, err, "UnrecognizedClientException", "The security token included in the request is invalid.")

	// An expired token, sealed as the server seals them, under its master
	// key.
	cipher, err := gcredentials.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	expiredID := "ASIA" + strings.Repeat("A", 16)
	caller := principal.Caller{Type: principal.Root, Account: ManagementAccount, ARN: "arn:aws:iam::" + ManagementAccount + ":root",
		PrincipalARN: "arn:aws:iam::" + ManagementAccount + ":root", UserID: ManagementAccount, AccessKeyID: expiredID,
		Session: &principal.Session{Issuer: "GetSessionToken", Issued: time.Now().Add(-2 * time.Hour), Expiration: time.Now().Add(-time.Hour)}}
	token, err := gsts.NewTokens(cipher).Seal("expired-secret", caller)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.stsAs(expiredID, "expired-secret", token).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCodeMessage(t, err, "ExpiredToken", "The security token included in the request is expired")
	expiredOrgs := organizations.New(organizations.Options{
		Region: Region, BaseEndpoint: aws.String(s.URL), Retryer: aws.NopRetryer{}, HTTPClient: sdkHTTPClient{},
		Credentials: credentials.NewStaticCredentialsProvider(expiredID, "expired-secret", token),
	})
	_, err = expiredOrgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	wantCodeMessage(t, err, "ExpiredTokenException", "The security token included in the request is expired")
}
