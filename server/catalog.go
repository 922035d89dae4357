package server

import (
	"context"

	"gatehouse/catalog"
	"gatehouse/principal"
)

// catalogProtocol is the Marketplace Catalog API (marketplace-catalog
// 2018-09-17): REST-JSON, each operation at its own method and path.
var catalogProtocol = restJSONProtocol{
	routes: map[string]string{
		"POST /BatchDescribeEntities":  "BatchDescribeEntities",
		"PATCH /CancelChangeSet":       "CancelChangeSet",
		"DELETE /DeleteResourcePolicy": "DeleteResourcePolicy",
		"GET /DescribeChangeSet":       "DescribeChangeSet",
		"GET /DescribeEntity":          "DescribeEntity",
		"GET /GetResourcePolicy":       "GetResourcePolicy",
		"POST /ListChangeSets":         "ListChangeSets",
		"POST /ListEntities":           "ListEntities",
		"POST /ListTagsForResource":    "ListTagsForResource",
		"POST /PutResourcePolicy":      "PutResourcePolicy",
		"POST /StartChangeSet":         "StartChangeSet",
		"POST /TagResource":            "TagResource",
		"POST /UntagResource":          "UntagResource",
	},
	statuses: map[string]int{
		"AccessDeniedException":         403,
		"InternalServiceException":      500,
		"ResourceInUseException":        423,
		"ResourceNotFoundException":     404,
		"ResourceNotSupportedException": 415,
		"ServiceQuotaExceededException": 402,
		"ThrottlingException":           429,
		"ValidationException":           422,
	},
}

// catalogOp declares a Catalog operation served by a catalog.Service
// method; its IAM action is aws-marketplace:NAME.
func catalogOp[In, Out any](name string, f func(context.Context, *principal.Caller, In) (Out, error)) *Operation {
	return op("aws-marketplace", name, "aws-marketplace:"+name, func(ctx context.Context, c *Call, in *In) (*Out, error) {
		out, err := f(ctx, c.Caller, *in)
		if err != nil {
			return nil, err
		}
		return &out, nil
	})
}

// catalogOperations declares the Marketplace Catalog API. Each operation
// is authorized on the entity or change set ARN it names, in the account
// that owns it; whether that account lets the caller in is the catalog's
// own decision (owners, and the Private Marketplace's administrators), so
// the checks name no resource account. StartChangeSet is authorized once
// per change, with the change's catalog:ChangeType, the request's
// aws-marketplace:Intent and the change type's dependent actions, so one
// change set cannot smuggle a denied change past its neighbours. Reading
// procurement requests needs the legacy permissions too: ListEntities of
// ProductProcurementRequest aws-marketplace:ListPrivateMarketplaceRequests,
// describing one aws-marketplace:DescribePrivateMarketplaceRequests.
func (s *Server) catalogOperations() []*Operation {
	c := s.deps.Catalog
	if c == nil {
		c = &catalog.Service{}
	}
	return []*Operation{
		on(catalogOp("StartChangeSet", c.StartChangeSet), func(ctx context.Context, call *Call, in *catalog.StartChangeSetInput) (target, error) {
			targets, err := c.ChangeTargets(ctx, call.Caller.Account, in)
			if err != nil {
				return target{}, err
			}
			intent := in.Intent
			if intent == "" {
				intent = catalog.IntentApply
			}
			var t target
			for _, ct := range targets {
				keys := merge(map[string][]string{"catalog:ChangeType": {ct.ChangeType}, "aws-marketplace:Intent": {intent}}, catalogTagKeys(append(ct.Tags, in.ChangeSetTags...)))
				t.Checks = append(t.Checks, check{ARNs: []string{ct.ARN}, Keys: keys, Actions: ct.Actions})
			}
			return t, nil
		}),
		on(catalogOp("DescribeChangeSet", c.DescribeChangeSet).readOnly(), func(ctx context.Context, call *Call, in *catalog.DescribeChangeSetInput) (target, error) {
			return target{ARNs: []string{c.ChangeSetARN(call.Caller.Account, in.ChangeSetId)}}, nil
		}),
		on(catalogOp("CancelChangeSet", c.CancelChangeSet), func(ctx context.Context, call *Call, in *catalog.CancelChangeSetInput) (target, error) {
			return target{ARNs: []string{c.ChangeSetARN(call.Caller.Account, in.ChangeSetId)}}, nil
		}),
		catalogOp("ListChangeSets", c.ListChangeSets).readOnly(),
		on(catalogOp("DescribeEntity", c.DescribeEntity).readOnly(), func(ctx context.Context, call *Call, in *catalog.DescribeEntityInput) (target, error) {
			return s.entityTarget(ctx, in.EntityId)
		}),
		on(catalogOp("ListEntities", c.ListEntities).readOnly(), func(ctx context.Context, call *Call, in *catalog.ListEntitiesInput) (target, error) {
			return target{Also: catalog.ListActions(in.EntityType)}, nil
		}),
		on(withDependent(catalogOp("BatchDescribeEntities", c.BatchDescribeEntities).readOnly(), "aws-marketplace:DescribeEntity"), func(ctx context.Context, call *Call, in *catalog.BatchDescribeEntitiesInput) (target, error) {
			var t target
			for _, r := range in.EntityRequestList {
				et, err := s.entityTarget(ctx, r.EntityId)
				if err != nil {
					return target{}, err
				}
				t.Checks = append(t.Checks, check{ARNs: et.ARNs, Actions: et.Also})
			}
			return t, nil
		}),
		on(catalogOp("TagResource", c.TagResource), func(ctx context.Context, call *Call, in *catalog.TagResourceInput) (target, error) {
			return target{ARNs: []string{in.ResourceArn}, Keys: catalogTagKeys(in.Tags)}, nil
		}),
		on(catalogOp("UntagResource", c.UntagResource), func(ctx context.Context, call *Call, in *catalog.UntagResourceInput) (target, error) {
			return target{ARNs: []string{in.ResourceArn}, Keys: map[string][]string{"aws:TagKeys": in.TagKeys}}, nil
		}),
		on(catalogOp("ListTagsForResource", c.ListTagsForResource).readOnly(), func(ctx context.Context, call *Call, in *catalog.ListTagsForResourceInput) (target, error) {
			return target{ARNs: []string{in.ResourceArn}}, nil
		}),
		on(catalogOp("PutResourcePolicy", c.PutResourcePolicy), func(ctx context.Context, call *Call, in *catalog.PutResourcePolicyInput) (target, error) {
			return target{ARNs: []string{in.ResourceArn}}, nil
		}),
		on(catalogOp("GetResourcePolicy", c.GetResourcePolicy).readOnly(), func(ctx context.Context, call *Call, in *catalog.GetResourcePolicyInput) (target, error) {
			return target{ARNs: []string{in.ResourceArn}}, nil
		}),
		on(catalogOp("DeleteResourcePolicy", c.DeleteResourcePolicy), func(ctx context.Context, call *Call, in *catalog.DeleteResourcePolicyInput) (target, error) {
			return target{ARNs: []string{in.ResourceArn}}, nil
		}),
	}
}

// withDependent adds dependent actions to an operation.
func withDependent(o *Operation, actions ...string) *Operation {
	o.Dependent = append(o.Dependent, actions...)
	return o
}

// entityTarget is an entity's ARN, or "*" for an id that names none (the
// catalog then answers ResourceNotFoundException), with the further
// actions reading it needs (aws-marketplace:DescribePrivateMarketplaceRequests
// for a procurement request).
func (s *Server) entityTarget(ctx context.Context, id string) (target, error) {
	arn, err := s.deps.Catalog.EntityARNOf(ctx, id)
	if err != nil || arn == "" {
		return target{}, err
	}
	return target{ARNs: []string{arn}, Also: catalog.DescribeActions(arn)}, nil
}

// catalogTagKeys returns aws:RequestTag/KEY and aws:TagKeys for tags in a
// request.
func catalogTagKeys(tags []catalog.Tag) map[string][]string {
	if len(tags) == 0 {
		return nil
	}
	keys := map[string][]string{}
	var names []string
	for _, t := range tags {
		keys["aws:RequestTag/"+t.Key] = []string{t.Value}
		names = append(names, t.Key)
	}
	keys["aws:TagKeys"] = names
	return keys
}
