package e2e

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// simulatorClient returns an IAM client signing as the management root.
func (s *server) simulatorClient() *iam.Client {
	return iam.New(iam.Options{
		Region:       Region,
		BaseEndpoint: aws.String(s.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(s.Key.AccessKeyID, s.Key.SecretAccessKey, ""),
		Retryer:      aws.NopRetryer{},
		HTTPClient:   sdkHTTPClient{},
	})
}

// TestPolicySimulator drives the custom-policy simulator with real SigV4
// root credentials on both backends: the seed's SCP, given as the SCP
// levels of the simulation, denies the Private Marketplace admin actions
// to any principal but procurement-manager; GetContextKeysForCustomPolicy
// lists the key the SCP tests; errors arrive typed; and the trail records
// the calls as iam.amazonaws.com events.
func TestPolicySimulator(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		c := srv.simulatorClient()
		ctx := ctxFor(t)
		scp := `{"Version":"2012-10-17","Statement":[{"Sid":"ProcurementPolicy","Effect":"Deny","Action":"aws-marketplace:AssociateProductsWithPrivateMarketplace","Resource":"*","Condition":{"StringNotLike":{"aws:PrincipalARN":"arn:aws:iam::*:role/procurement-manager"}}}]}`
		full := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
		for role, want := range map[string]iamtypes.PolicyEvaluationDecisionType{
			"procurement-manager": iamtypes.PolicyEvaluationDecisionTypeAllowed,
			"admin":               iamtypes.PolicyEvaluationDecisionTypeExplicitDeny,
		} {
			out, err := c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
				PolicyInputList: []string{full},
				ActionNames:     []string{"aws-marketplace:AssociateProductsWithPrivateMarketplace", "iam:ListRoles"},
				CallerArn:       aws.String("arn:aws:iam::222233334444:role/" + role),
				OrderedOrganizationPolicyInputList: []iamtypes.OrderedOrganizationPolicyType{
					{ServiceControlPolicyInputList: []string{full}},
					{ServiceControlPolicyInputList: []string{full, scp}},
				},
			})
			must(t, err, "SimulateCustomPolicy as "+role)
			if got := out.EvaluationResults[0].EvalDecision; got != want {
				t.Errorf("%s approving a product: %s, want %s", role, got, want)
			}
			if got := out.EvaluationResults[1].EvalDecision; got != iamtypes.PolicyEvaluationDecisionTypeAllowed {
				t.Errorf("%s listing roles: %s, want allowed", role, got)
			}
		}
		keys, err := c.GetContextKeysForCustomPolicy(ctx, &iam.GetContextKeysForCustomPolicyInput{PolicyInputList: []string{scp}})
		must(t, err, "GetContextKeysForCustomPolicy")
		if len(keys.ContextKeyNames) != 1 || keys.ContextKeyNames[0] != "aws:PrincipalARN" {
			t.Errorf("ContextKeyNames = %q, want [aws:PrincipalARN]", keys.ContextKeyNames)
		}
		_, err = c.SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{PolicyInputList: []string{`{"Statement":`}, ActionNames: []string{"s3:GetObject"}})
		var malformed *iamtypes.MalformedPolicyDocumentException
		if !errors.As(err, &malformed) {
			t.Errorf("malformed policy: %v, want MalformedPolicyDocument", err)
		}
		evs := waitEvents(t, srv.trail(), cttypes.LookupAttributeKeyEventSource, "iam.amazonaws.com", 4)
		for _, e := range evs {
			if name := aws.ToString(e.EventName); name != "SimulateCustomPolicy" && name != "GetContextKeysForCustomPolicy" {
				t.Errorf("unexpected iam event %s", name)
			}
		}
	})
}
