package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"gatehouse/awsapi"
	"gatehouse/awserr"
	"gatehouse/deployment"
	"gatehouse/principal"
)

// Gatehouse's Deployment API has no AWS model. It is REST-JSON on the
// aws-marketplace signing name, with JSON members under their Go names
// (as the Catalog API's) and errors as the Catalog's REST-JSON errors:
//
//	POST   /deployments                {"ProductId":"prod-...","VersionId":"...","DeliveryOptionId":"..."}
//	       → 200 {"Deployment":{...}}                              gatehouse:CreateDeployment
//	GET    /deployments?productId=&maxResults=&nextToken=
//	       → 200 {"Deployments":[...],"NextToken":"..."}           gatehouse:ListDeployments
//	DELETE /deployments/{DeploymentId} → 200 {}                    gatehouse:DeleteDeployment
//
// DeleteDeployment is authorized on the deployment's ARN
// (arn:aws:gatehouse:REGION:ACCOUNT:deployment/ID); the others on "*".
var deploymentProtocol = deploymentREST{restJSONProtocol{
	statuses: map[string]int{
		"AccessDeniedException":     403,
		"ConflictException":         409,
		"ResourceNotFoundException": 404,
		"ThrottlingException":       429,
		"ValidationException":       400,
	},
}}

// deploymentsPath is the Deployment API's collection.
const deploymentsPath = "/deployments"

// isDeploymentPath reports whether a path is the Deployment API's.
func isDeploymentPath(p string) bool {
	return p == deploymentsPath || strings.HasPrefix(p, deploymentsPath+"/")
}

// deploymentREST is restJSONProtocol with the Deployment API's routes,
// one of which carries the deployment id in its path.
type deploymentREST struct{ restJSONProtocol }

func (p deploymentREST) operation(r *http.Request, _ []byte) (string, error) {
	switch {
	case r.URL.Path == deploymentsPath && r.Method == http.MethodPost:
		return "CreateDeployment", nil
	case r.URL.Path == deploymentsPath && r.Method == http.MethodGet:
		return "ListDeployments", nil
	case strings.HasPrefix(r.URL.Path, deploymentsPath+"/") && r.Method == http.MethodDelete:
		return "DeleteDeployment", nil
	}
	return "", awserr.ErrUnknownOperationException.Newf("No operation answers %s %s.", r.Method, r.URL.Path)
}

func (p deploymentREST) decode(r *http.Request, body []byte, in any) error {
	if err := awsapi.DecodeJSON(body, in); err != nil {
		return err
	}
	q := r.URL.Query()
	switch in := in.(type) {
	case *deployment.ListDeploymentsInput:
		in.ProductId, in.NextToken = q.Get("productId"), q.Get("nextToken")
		if m := q.Get("maxResults"); m != "" {
			n, err := strconv.ParseInt(m, 10, 32)
			if err != nil {
				return awserr.ErrValidationException.New("maxResults must be a number.")
			}
			n32 := int32(n)
			in.MaxResults = &n32
		}
	case *deployment.DeleteDeploymentInput:
		in.DeploymentId = strings.TrimPrefix(r.URL.Path, deploymentsPath+"/")
	}
	return nil
}

// deploymentOp declares a Deployment operation served by a
// deployment.Service method; its IAM action is gatehouse:NAME.
func deploymentOp[In, Out any](name string, f func(context.Context, *principal.Caller, In) (Out, error)) *Operation {
	return op("aws-marketplace", name, "gatehouse:"+name, func(ctx context.Context, c *Call, in *In) (*Out, error) {
		out, err := f(ctx, c.Caller, *in)
		if err != nil {
			return nil, err
		}
		return &out, nil
	})
}

// deploymentOperations declares Gatehouse's Deployment API.
func (s *Server) deploymentOperations() []*Operation {
	d := s.deps.Deployments
	if d == nil {
		return nil
	}
	return []*Operation{
		deploymentOp("CreateDeployment", d.CreateDeployment),
		deploymentOp("ListDeployments", d.ListDeployments).readOnly(),
		on(deploymentOp("DeleteDeployment", d.DeleteDeployment), func(_ context.Context, c *Call, in *deployment.DeleteDeploymentInput) (target, error) {
			return target{ARNs: []string{d.ARN(c.Caller.Account, in.DeploymentId)}}, nil
		}),
	}
}
