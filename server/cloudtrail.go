package server

import (
	"context"
	"strconv"
	"strings"

	"gatehouse/audit"
	"gatehouse/awsapi"
	"gatehouse/awserr"
	"gatehouse/store"
)

// lookupEventsInput is CloudTrail's LookupEvents request.
type lookupEventsInput struct {
	LookupAttributes []struct {
		AttributeKey   string
		AttributeValue string
	}
	StartTime     awsapi.Time
	EndTime       awsapi.Time
	EventCategory string
	MaxResults    int
	NextToken     string
}

// lookupEventsOutput is CloudTrail's LookupEvents response.
type lookupEventsOutput struct {
	Events    []cloudTrailEvent
	NextToken string `json:",omitempty"`
}

type cloudTrailEvent struct {
	EventId         string
	EventName       string
	ReadOnly        string
	AccessKeyId     string `json:",omitempty"`
	EventTime       awsapi.Time
	EventSource     string
	Username        string `json:",omitempty"`
	Resources       []cloudTrailResource
	CloudTrailEvent string
}

type cloudTrailResource struct {
	ResourceType string
	ResourceName string
}

func (s *Server) cloudTrailOperations() []*Operation {
	return []*Operation{
		op("cloudtrail", "LookupEvents", "cloudtrail:LookupEvents", s.lookupEvents).readOnly(),
	}
}

func (s *Server) lookupEvents(ctx context.Context, c *Call, in *lookupEventsInput) (*lookupEventsOutput, error) {
	switch in.EventCategory {
	case "":
	case "insight":
		// Gatehouse records no Insights events.
		return &lookupEventsOutput{Events: []cloudTrailEvent{}}, nil
	default:
		return nil, awserr.ErrInvalidEventCategoryException.New("The EventCategory value must be insight.")
	}
	q := audit.LookupInput{Account: c.Caller.Account, Start: in.StartTime.Time, End: in.EndTime.Time, MaxResults: in.MaxResults, NextToken: in.NextToken}
	for _, a := range in.LookupAttributes {
		q.Attributes = append(q.Attributes, audit.LookupAttribute{Key: a.AttributeKey, Value: a.AttributeValue})
	}
	res, err := audit.Lookup(ctx, s.deps.Store, c.Time, q)
	if err != nil {
		return nil, err
	}
	out := &lookupEventsOutput{Events: []cloudTrailEvent{}, NextToken: res.NextToken}
	for _, e := range res.Events {
		out.Events = append(out.Events, toCloudTrailEvent(e))
	}
	return out, nil
}

func toCloudTrailEvent(e store.Event) cloudTrailEvent {
	ev := cloudTrailEvent{
		EventId: e.ID, EventName: e.Name, ReadOnly: strconv.FormatBool(e.ReadOnly),
		AccessKeyId: e.AccessKeyID, EventTime: awsapi.Time{Time: e.Time}, EventSource: e.Source,
		Username: e.Username, Resources: []cloudTrailResource{}, CloudTrailEvent: string(e.Body),
	}
	for _, arn := range e.Resources {
		ev.Resources = append(ev.Resources, cloudTrailResource{ResourceType: resourceType(arn), ResourceName: arn})
	}
	return ev
}

// resourceType names the CloudFormation-style type of an ARN, as
// CloudTrail's Resources list does.
func resourceType(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	kind, _, _ := strings.Cut(parts[5], "/")
	names := map[string]string{
		"organization": "Organization", "root": "Root", "ou": "OrganizationalUnit",
		"account": "Account", "policy": "Policy", "user": "User", "role": "Role",
	}
	if n, ok := names[kind]; ok {
		return "AWS::" + serviceTypeName(parts[2]) + "::" + n
	}
	return ""
}

func serviceTypeName(svc string) string {
	switch svc {
	case "organizations":
		return "Organizations"
	case "iam":
		return "IAM"
	}
	return svc
}
