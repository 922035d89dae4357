package e2e

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/marketplacecatalog"
	mctypes "github.com/aws/aws-sdk-go-v2/service/marketplacecatalog/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// catalogSession returns a Marketplace Catalog client signing with
// temporary credentials.
func (s *server) catalogSession(c aws.Credentials) *marketplacecatalog.Client {
	return marketplacecatalog.New(marketplacecatalog.Options{
		Region: Region, BaseEndpoint: aws.String(s.URL), Retryer: aws.NopRetryer{}, HTTPClient: sdkHTTPClient{},
		Credentials: credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken),
	})
}

// requestRoles creates, as the root user, the procurement-manager role
// (AWSPrivateMarketplaceAdminFullAccess), the developer role
// (AWSPrivateMarketplaceRequests) and an operator user that assumes them,
// and returns a catalog client for a session of each role.
func requestRoles(ctx context.Context, t *testing.T, srv *server) (pm, dev *marketplacecatalog.Client) {
	t.Helper()
	root := srv.iamAs(srv.Key)
	for _, r := range []struct{ name, policy string }{
		{"procurement-manager", "arn:aws:iam::aws:policy/AWSPrivateMarketplaceAdminFullAccess"},
		{"developer", "arn:aws:iam::aws:policy/AWSPrivateMarketplaceRequests"},
	} {
		need(root.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(r.name), AssumeRolePolicyDocument: aws.String(e2eTrustMgmt)}))(t)
		need(root.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(r.name), PolicyArn: aws.String(r.policy)}))(t)
	}
	need(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops")}))(t)
	need(root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("ops"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))(t)
	key := need(root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ops")}))(t).AccessKey
	ops := srv.stsAs(aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey), "")
	session := func(role string) *marketplacecatalog.Client {
		out := need(ops.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + ManagementAccount + ":role/" + role), RoleSessionName: aws.String(role)}))(t)
		c := out.Credentials
		return srv.catalogSession(aws.Credentials{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken})
	}
	return session("procurement-manager"), session("developer")
}

// changeSet starts a change set and returns its description (the change
// set has completed by then: the catalog applies it at once).
func changeSet(ctx context.Context, t *testing.T, c *marketplacecatalog.Client, changes ...mctypes.Change) *marketplacecatalog.DescribeChangeSetOutput {
	t.Helper()
	out := need(c.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSet: changes}))(t)
	return need(c.DescribeChangeSet(ctx, &marketplacecatalog.DescribeChangeSetInput{Catalog: aws.String("AWSMarketplace"), ChangeSetId: out.ChangeSetId}))(t)
}

func change(changeType, entityType, id, details string) mctypes.Change {
	e := &mctypes.Entity{Type: aws.String(entityType)}
	if id != "" {
		e.Identifier = aws.String(id)
	}
	return mctypes.Change{ChangeType: aws.String(changeType), Entity: e, Details: aws.String(details)}
}

// TestProcurementRequests drives the Private Marketplace request flow
// with aws-sdk-go-v2 and real role sessions, on SQLite and PostgreSQL: a
// developer asks for a product, the procurement manager lists the pending
// requests, approves it and the product is allowed in the experience's
// procurement policy; a second request is declined with a reason and the
// product blocked, which refuses further requests for it.
func TestProcurementRequests(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		ctx := ctxFor(t)
		root := srv.catalogAs(srv.Key)
		product := func(title string) string {
			d := changeSet(ctx, t, root, change("CreateProduct", "SaaSProduct@1.0", "", `{"ProductTitle":"`+title+`"}`))
			return aws.ToString(d.ChangeSet[0].Entity.Identifier)
		}
		scanner, miner := product("Scanner"), product("Miner")
		pm, dev := requestRoles(ctx, t, srv)

		// The procurement manager sets up an enabled experience that
		// governs the account and accepts requests.
		ref := "$Exp.Entity.Identifier"
		d := changeSet(ctx, t, pm,
			mctypes.Change{ChangeType: aws.String("CreateExperience"), ChangeName: aws.String("Exp"), Entity: &mctypes.Entity{Type: aws.String("Experience@1.0")}, Details: aws.String(`{"Name":"Company marketplace"}`)},
			change("CreateProcurementPolicy", "Experience@1.0", ref, `{"Configuration":{"PolicyResourceRequests":"Allow"}}`),
			change("AssociateAudience", "Experience@1.0", ref, `{"Principals":["`+ManagementAccount+`"]}`),
			change("UpdateExperience", "Experience@1.0", ref, `{"Status":"Enabled"}`),
		)
		if d.Status != mctypes.ChangeStatusSucceeded {
			t.Fatalf("experience: %s %+v", d.Status, d.ChangeSet)
		}
		exp := aws.ToString(d.ChangeSet[0].Entity.Identifier)

		ask := func(product, why string) *marketplacecatalog.DescribeChangeSetOutput {
			return changeSet(ctx, t, dev, change("CreateProductProcurementRequest", "ProductProcurementRequest@1.0", "", `{"ProductId":"`+product+`","Justification":"`+why+`"}`))
		}
		d = ask(scanner, "Scan container images before release")
		if d.Status != mctypes.ChangeStatusSucceeded {
			t.Fatalf("request: %s %+v", d.Status, d.ChangeSet)
		}
		id := aws.ToString(d.ChangeSet[0].Entity.Identifier)
		req := describeRequest(ctx, t, dev, id)
		if req["Status"] != "Pending" || req["ProductId"] != scanner || req["ExperienceId"] != exp || req["RequesterAccountId"] != ManagementAccount ||
			req["RequesterArn"] != "arn:aws:sts::"+ManagementAccount+":assumed-role/developer/developer" || req["Justification"] != "Scan container images before release" {
			t.Errorf("request = %v", req)
		}
		// The developer's policy allows no answering change type.
		_, err := dev.StartChangeSet(ctx, &marketplacecatalog.StartChangeSetInput{Catalog: aws.String("AWSMarketplace"),
			ChangeSet: []mctypes.Change{change("ApproveProductProcurementRequest", "ProductProcurementRequest@1.0", id, `{}`)}})
		wantStatus[*mctypes.AccessDeniedException](t, err, 403)

		pending := need(pm.ListEntities(ctx, &marketplacecatalog.ListEntitiesInput{Catalog: aws.String("AWSMarketplace"), EntityType: aws.String("ProductProcurementRequest"),
			FilterList: []mctypes.Filter{{Name: aws.String("Status"), ValueList: []string{"Pending"}}}}))(t)
		if len(pending.EntitySummaryList) != 1 || aws.ToString(pending.EntitySummaryList[0].EntityId) != id || aws.ToString(pending.EntitySummaryList[0].Name) != "Scanner" {
			t.Fatalf("pending requests: %+v", pending.EntitySummaryList)
		}
		d = changeSet(ctx, t, pm, change("ApproveProductProcurementRequest", "ProductProcurementRequest@1.0", id, `{"Notes":"security review passed"}`))
		if d.Status != mctypes.ChangeStatusSucceeded {
			t.Fatalf("approve: %s %+v", d.Status, d.ChangeSet)
		}
		if req := describeRequest(ctx, t, dev, id); req["Status"] != "Approved" {
			t.Errorf("approved request = %v", req)
		}
		if allow, deny := policyProducts(ctx, t, pm, exp); !slices.Contains(allow, scanner) || slices.Contains(deny, scanner) {
			t.Errorf("after approval: allowed %v, denied %v", allow, deny)
		}

		id = aws.ToString(ask(miner, "Mining").ChangeSet[0].Entity.Identifier)
		d = changeSet(ctx, t, pm, change("DeclineProductProcurementRequest", "ProductProcurementRequest@1.0", id, `{"Reason":"Not on company hardware.","Block":true}`))
		if d.Status != mctypes.ChangeStatusSucceeded {
			t.Fatalf("decline: %s %+v", d.Status, d.ChangeSet)
		}
		if req := describeRequest(ctx, t, dev, id); req["Status"] != "Declined" || req["DeclineReason"] != "Not on company hardware." || req["Blocked"] != true {
			t.Errorf("declined request = %v", req)
		}
		if _, deny := policyProducts(ctx, t, pm, exp); !slices.Contains(deny, miner) {
			t.Errorf("the blocked product is not denied: %v", deny)
		}
		d = ask(miner, "Mining, please")
		if d.Status != mctypes.ChangeStatusFailed || d.FailureCode != mctypes.FailureCodeClientError ||
			len(d.ChangeSet[0].ErrorDetailList) != 1 || aws.ToString(d.ChangeSet[0].ErrorDetailList[0].ErrorCode) != "INVALID_STATE" {
			t.Errorf("requesting a blocked product: %s %+v", d.Status, d.ChangeSet)
		}
		// An id that names no entity is authorized on "*": the developer's
		// policy allows DescribeEntity on ProductProcurementRequest/* only.
		missing := &marketplacecatalog.DescribeEntityInput{Catalog: aws.String("AWSMarketplace"), EntityId: aws.String("procreq-nothing000000")}
		_, err = dev.DescribeEntity(ctx, missing)
		wantStatus[*mctypes.AccessDeniedException](t, err, 403)
		_, err = pm.DescribeEntity(ctx, missing)
		wantStatus[*mctypes.ResourceNotFoundException](t, err, 404)
	})
}

// describeRequest returns a request's DetailsDocument.
func describeRequest(ctx context.Context, t *testing.T, c *marketplacecatalog.Client, id string) map[string]any {
	t.Helper()
	out := need(c.DescribeEntity(ctx, &marketplacecatalog.DescribeEntityInput{Catalog: aws.String("AWSMarketplace"), EntityId: aws.String(id)}))(t)
	var d map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(out.Details)), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// policyProducts returns the products an experience's procurement policy
// allows and denies.
func policyProducts(ctx context.Context, t *testing.T, c *marketplacecatalog.Client, exp string) (allow, deny []string) {
	t.Helper()
	out := need(c.DescribeEntity(ctx, &marketplacecatalog.DescribeEntityInput{Catalog: aws.String("AWSMarketplace"), EntityId: aws.String(exp)}))(t)
	var e struct{ ProcurementPolicies []string }
	if err := json.Unmarshal([]byte(aws.ToString(out.Details)), &e); err != nil || len(e.ProcurementPolicies) != 1 {
		t.Fatalf("experience details %s: %v", aws.ToString(out.Details), err)
	}
	pol := need(c.DescribeEntity(ctx, &marketplacecatalog.DescribeEntityInput{Catalog: aws.String("AWSMarketplace"), EntityId: aws.String(e.ProcurementPolicies[0])}))(t)
	var p struct {
		Statements []struct {
			Effect    string
			Resources []struct{ Ids []string }
		}
	}
	if err := json.Unmarshal([]byte(aws.ToString(pol.Details)), &p); err != nil {
		t.Fatal(err)
	}
	for _, st := range p.Statements {
		for _, r := range st.Resources {
			if st.Effect == "Allow" {
				allow = append(allow, r.Ids...)
			} else {
				deny = append(deny, r.Ids...)
			}
		}
	}
	return allow, deny
}
