package main

import (
	"context"
	"errors"
	"fmt"

	"gatehouse/awserr"
	"gatehouse/iam"
	"gatehouse/store"
	"gatehouse/sts"
)

// stsRoles lets STS find IAM roles.
type stsRoles struct{ iam *iam.Service }

func (r stsRoles) Role(ctx context.Context, tx store.Tx, arn string) (sts.Role, error) {
	info, err := r.iam.RoleByARN(ctx, tx, arn)
	if errors.Is(err, awserr.ErrNoSuchEntity) {
		return sts.Role{}, fmt.Errorf("%w: %s", sts.ErrNoSuchRole, arn)
	}
	if err != nil {
		return sts.Role{}, err
	}
	return sts.Role{ARN: info.ARN, ID: info.ID, Name: info.Name, Account: info.Account, Trust: info.Trust,
		MaxSessionDuration: info.MaxSessionDuration, Tags: info.Tags}, nil
}

// stsPolicies lets STS read managed policies named by PolicyArns.
type stsPolicies struct{ iam *iam.Service }

func (p stsPolicies) PolicyDocument(ctx context.Context, tx store.Tx, arn string) (string, error) {
	doc, err := p.iam.PolicyDocument(ctx, tx, arn)
	if errors.Is(err, awserr.ErrNoSuchEntity) {
		return "", fmt.Errorf("%w: %s", sts.ErrNoSuchPolicy, arn)
	}
	return doc, err
}
