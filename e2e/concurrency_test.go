package e2e

import (
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
)

// TestConcurrentWrites: 20 clients at once each create five OUs under the
// root and tag them, while others read; every call succeeds and all 100
// OUs are there, each with its tag.
func TestConcurrentWrites(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		ctx := ctxFor(t)
		_, err := srv.org().CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
		must(t, err, "CreateOrganization")
		roots, err := srv.org().ListRoots(ctx, &organizations.ListRootsInput{})
		must(t, err, "ListRoots")
		root := roots.Roots[0].Id

		const workers, perWorker = 20, 5
		var wg sync.WaitGroup
		errs := make(chan error, workers*perWorker*3)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := srv.org() // a client, and connections, of its own
				for i := range perWorker {
					name := fmt.Sprintf("team-%02d-%d", w, i)
					out, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: root, Name: aws.String(name)})
					if err != nil {
						errs <- fmt.Errorf("CreateOrganizationalUnit %s: %w", name, err)
						continue
					}
					_, err = c.TagResource(ctx, &organizations.TagResourceInput{ResourceId: out.OrganizationalUnit.Id, Tags: []types.Tag{{Key: aws.String("name"), Value: aws.String(name)}}})
					if err != nil {
						errs <- fmt.Errorf("TagResource %s: %w", name, err)
					}
					if _, err := c.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}); err != nil {
						errs <- fmt.Errorf("DescribeOrganization: %w", err)
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}

		c := srv.org()
		ous, pages := drain(t, organizations.NewListOrganizationalUnitsForParentPaginator(c, &organizations.ListOrganizationalUnitsForParentInput{ParentId: root, MaxResults: aws.Int32(20)}),
			func(o *organizations.ListOrganizationalUnitsForParentOutput) []types.OrganizationalUnit {
				return o.OrganizationalUnits
			})
		wantPages(t, "ListOrganizationalUnitsForParent", len(ous), 20, pages)
		names := ouNames(ous)
		if len(ous) != workers*perWorker || len(names) != workers*perWorker {
			t.Fatalf("%d OUs (%d names), want %d", len(ous), len(names), workers*perWorker)
		}
		for w := range workers {
			for i := range perWorker {
				if names[fmt.Sprintf("team-%02d-%d", w, i)] == "" {
					t.Errorf("OU team-%02d-%d is missing", w, i)
				}
			}
		}
		// Spot-check the tags: each OU carries its own name.
		for _, o := range ous[:10] {
			tags, err := c.ListTagsForResource(ctx, &organizations.ListTagsForResourceInput{ResourceId: o.Id})
			must(t, err, "ListTagsForResource")
			if len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Value) != aws.ToString(o.Name) {
				t.Errorf("tags of %s = %+v", aws.ToString(o.Name), tags.Tags)
			}
		}
	})
}

// TestConcurrentConflicts: the business rules hold under races. Ten
// clients create an OU of one name at once: one succeeds, the others get
// DuplicateOrganizationalUnitException. Ten clients attach ten SCPs to an
// OU that has FullAWSAccess at once: four succeed, the others hit the
// limit of five.
func TestConcurrentConflicts(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		srv := startOn(t, b, opts{})
		ctx := ctxFor(t)
		c := srv.org()
		_, err := c.CreateOrganization(ctx, &organizations.CreateOrganizationInput{})
		must(t, err, "CreateOrganization")
		roots, err := c.ListRoots(ctx, &organizations.ListRootsInput{})
		must(t, err, "ListRoots")
		root := roots.Roots[0].Id
		var policies []string
		for i := range 10 {
			out, err := c.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String(fmt.Sprintf("deny-%d", i)), Description: aws.String("race"), Type: types.PolicyTypeServiceControlPolicy, Content: aws.String(denySCP(fmt.Sprintf("ec2:Action%d", i)))})
			must(t, err, "CreatePolicy")
			policies = append(policies, aws.ToString(out.Policy.PolicySummary.Id))
		}

		// race runs f in n goroutines at once and returns their errors.
		race := func(n int, f func(i int, c *organizations.Client) error) []error {
			clients := make([]*organizations.Client, n)
			for i := range clients {
				clients[i] = srv.org()
			}
			errs := make([]error, n)
			var wg sync.WaitGroup
			startGun := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-startGun
					errs[i] = f(i, clients[i])
				}()
			}
			close(startGun)
			wg.Wait()
			return errs
		}
		var ou *string
		errs := race(10, func(i int, c *organizations.Client) error {
			out, err := c.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{ParentId: root, Name: aws.String("contested")})
			if err == nil {
				ou = out.OrganizationalUnit.Id
			}
			return err
		})
		tally(t, "CreateOrganizationalUnit contested", errs, 1, errDuplicateOU, "")

		errs = race(10, func(i int, c *organizations.Client) error {
			_, err := c.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: aws.String(policies[i]), TargetId: ou})
			return err
		})
		tally(t, "AttachPolicy", errs, 4, errConstraint, "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED")
		ps, err := c.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: ou, Filter: types.PolicyTypeServiceControlPolicy})
		must(t, err, "ListPoliciesForTarget")
		if len(ps.Policies) != 5 {
			t.Errorf("%d SCPs attached to the OU, want 5", len(ps.Policies))
		}
	})
}

// tally requires exactly wantOK successes among errs, and every failure
// to be the expected error.
func tally(t *testing.T, what string, errs []error, wantOK int, want errWant, reason string) {
	t.Helper()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
			continue
		}
		wantErr(t, err, want, reason)
	}
	if ok != wantOK {
		t.Errorf("%s: %d of %d calls succeeded, want %d", what, ok, len(errs), wantOK)
	}
}
