package sts

import (
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"gatehouse/policy"
	"gatehouse/principal"
	"gatehouse/store"
)

// AssumeRole's limits, from the STS API reference (AssumeRole) and the
// model.
const (
	roleMinDuration     = 900   // DurationSeconds: "from 900 seconds (15 minutes)"
	roleMaxDuration     = 43200 // "up to the maximum session duration set for the role", at most 12 hours
	roleDefaultDuration = 3600  // "By default, the value is set to 3600 seconds."
	chainMaxDuration    = 3600  // "Role chaining limits your ... role session to a maximum of one hour."
	maxPolicyArns       = 10    // "You can provide up to 10 managed policy ARNs."
	maxTags             = 50    // "You can pass up to 50 session tags."
	maxTransitiveKeys   = 50
)

// packedLimit is the packed (compressed) size, in bytes, that session
// policies, policy ARNs and session tags may take together. AWS does not
// publish its limit, only that the packed form has one
// (PackedPolicyTooLarge) and PackedPolicySize, the percentage of it used.
const packedLimit = 2048

// Tag is a session tag.
type Tag struct {
	Key, Value string
}

// AssumeRoleInput is AssumeRole's request. Pointers are optional members;
// nil means absent.
type AssumeRoleInput struct {
	RoleArn           *string
	RoleSessionName   *string
	PolicyArns        []string
	Policy            *string
	DurationSeconds   *int32
	Tags              []Tag
	TransitiveTagKeys []string
	ExternalId        *string
	SerialNumber      *string
	TokenCode         *string
	SourceIdentity    *string
}

// Validate checks the request against the model's constraints: lengths,
// patterns, ranges and list sizes.
func (in AssumeRoleInput) Validate() error {
	var v violations
	v.required("roleArn", in.RoleArn, 20, 2048, patARN)
	v.required("roleSessionName", in.RoleSessionName, 2, 64, patSessionName)
	v.list("policyArns", in.PolicyArns, maxPolicyArns)
	for i, arn := range in.PolicyArns {
		v.str(fmt.Sprintf("policyArns.%d.member.arn", i+1), arn, 20, 2048, patARN)
	}
	v.optional("policy", in.Policy, 1, 0, patPolicy)
	v.number("durationSeconds", in.DurationSeconds, roleMinDuration, roleMaxDuration)
	keys := make([]string, len(in.Tags))
	for i, t := range in.Tags {
		keys[i] = t.Key
	}
	v.list("tags", keys, maxTags)
	for i, t := range in.Tags {
		v.str(fmt.Sprintf("tags.%d.member.key", i+1), t.Key, 1, 128, patTagKey)
		v.str(fmt.Sprintf("tags.%d.member.value", i+1), t.Value, 0, 256, patTagValue)
	}
	v.list("transitiveTagKeys", in.TransitiveTagKeys, maxTransitiveKeys)
	for i, k := range in.TransitiveTagKeys {
		v.str(fmt.Sprintf("transitiveTagKeys.%d.member", i+1), k, 1, 128, patTagKey)
	}
	v.optional("externalId", in.ExternalId, 2, 1224, patExternalID)
	v.optional("serialNumber", in.SerialNumber, 9, 256, patSerial)
	v.optional("tokenCode", in.TokenCode, 6, 6, patTokenCode)
	v.optional("sourceIdentity", in.SourceIdentity, 2, 64, patSessionName)
	return v.err()
}

// AssumedRoleUser names the role session.
type AssumedRoleUser struct {
	// AssumedRoleId is ROLEID:SESSION, the session's aws:userid.
	AssumedRoleId string
	// Arn is arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
	Arn string
}

// AssumeRoleOutput is AssumeRole's response.
type AssumeRoleOutput struct {
	Credentials     Credentials
	AssumedRoleUser AssumedRoleUser
	// PackedPolicySize is the percentage of the packed size limit the
	// session policies and tags use; nil when the request has none.
	PackedPolicySize *int32
	// SourceIdentity is the session's source identity, "" for none.
	SourceIdentity string
	// SessionTokenUtilization is the percentage (0-100) of the largest
	// session token (MaxTokenSize) that the token takes.
	SessionTokenUtilization int32
}

// ConditionKeys returns the service condition keys of an AssumeRole
// request: sts:RoleSessionName, sts:ExternalId, sts:SourceIdentity,
// sts:TransitiveTagKeys, aws:RequestTag/KEY and aws:TagKeys.
func ConditionKeys(in AssumeRoleInput) map[string][]string {
	keys := map[string][]string{}
	if in.RoleSessionName != nil {
		keys["sts:RoleSessionName"] = []string{*in.RoleSessionName}
	}
	if in.ExternalId != nil {
		keys["sts:ExternalId"] = []string{*in.ExternalId}
	}
	if in.SourceIdentity != nil {
		keys["sts:SourceIdentity"] = []string{*in.SourceIdentity}
	}
	if len(in.TransitiveTagKeys) > 0 {
		keys["sts:TransitiveTagKeys"] = slices.Clone(in.TransitiveTagKeys)
	}
	if len(in.Tags) > 0 {
		var tagKeys []string
		for _, t := range in.Tags {
			keys["aws:RequestTag/"+t.Key] = []string{t.Value}
			tagKeys = append(tagKeys, t.Key)
		}
		keys["aws:TagKeys"] = tagKeys
	}
	return keys
}

// ExtraActions returns the actions an AssumeRole request needs besides
// sts:AssumeRole, on the role and in its trust policy: sts:TagSession
// when it passes session tags, sts:SetSourceIdentity when it sets a
// source identity ("Permissions required to add session tags";
// "Permissions required to set source identity", IAM User Guide).
func ExtraActions(in AssumeRoleInput) []string {
	var actions []string
	if len(in.Tags) > 0 || len(in.TransitiveTagKeys) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if in.SourceIdentity != nil {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	return actions
}

// AssumeRole returns temporary credentials of a role session. The server
// has authorized the request (the caller's side and the role's trust
// policy); AssumeRole checks the role and the request against AWS's
// rules and issues the credentials.
func (s *Service) AssumeRole(ctx context.Context, c *principal.Caller, in AssumeRoleInput) (AssumeRoleOutput, error) {
	if err := in.Validate(); err != nil {
		return AssumeRoleOutput{}, err
	}
	if in.SerialNumber != nil || in.TokenCode != nil {
		return AssumeRoleOutput{}, errMFA()
	}
	if c.IsRoot() {
		return AssumeRoleOutput{}, errRootAssumesRole()
	}
	arn, ok := parseRoleARN(*in.RoleArn)
	if !ok {
		return AssumeRoleOutput{}, errInvalidRoleARN()
	}
	var policies []string
	role, err := s.role(ctx, *in.RoleArn)
	if err == nil && (in.Policy != nil || len(in.PolicyArns) > 0) {
		err = store.View(ctx, s.Store, func(tx store.Tx) error {
			var err error
			policies, err = s.sessionPolicies(ctx, tx, in)
			return err
		})
	}
	if errors.Is(err, ErrNoSuchRole) {
		// Authorization lets no request for a missing role through; one
		// deleted in between is denied the same way.
		return AssumeRoleOutput{}, errRoleGone(c, *in.RoleArn)
	}
	if err != nil {
		return AssumeRoleOutput{}, err
	}
	duration, err := sessionDuration(c, role, in.DurationSeconds)
	if err != nil {
		return AssumeRoleOutput{}, err
	}
	tags, transitive, err := sessionTags(c, in)
	if err != nil {
		return AssumeRoleOutput{}, err
	}
	sourceIdentity, err := sessionSourceIdentity(c, in.SourceIdentity)
	if err != nil {
		return AssumeRoleOutput{}, err
	}
	var packed *int32
	if in.Policy != nil || len(in.PolicyArns) > 0 || len(in.Tags) > 0 {
		p, err := packedPolicySize(in)
		if err != nil {
			return AssumeRoleOutput{}, err
		}
		packed = &p
	}
	session := *in.RoleSessionName
	user := AssumedRoleUser{
		AssumedRoleId: role.ID + ":" + session,
		Arn:           fmt.Sprintf("arn:%s:sts::%s:assumed-role/%s/%s", arn.partition, role.Account, role.Name, session),
	}
	caller := principal.Caller{
		Type: principal.AssumedRole, Account: role.Account, ARN: user.Arn, PrincipalARN: role.ARN,
		UserID: user.AssumedRoleId, Name: session, Tags: principalTags(role.Tags, tags),
		Session: &principal.Session{Issuer: "AssumeRole", Policies: policies, TransitiveTagKeys: transitive, SourceIdentity: sourceIdentity},
	}
	creds, err := s.issue(caller, duration)
	if err != nil {
		return AssumeRoleOutput{}, err
	}
	utilization := int32((len(creds.SessionToken)*100 + MaxTokenSize - 1) / MaxTokenSize)
	return AssumeRoleOutput{Credentials: creds, AssumedRoleUser: user, PackedPolicySize: packed, SourceIdentity: sourceIdentity,
		SessionTokenUtilization: utilization}, nil
}

// principalTags are a session's principal tags: the role's tags, under
// the session tags, which win a key both have ("If you pass a session tag
// with the same key as a tag that is already attached to the role, the
// value of the session tag overrides the role's tag", IAM User Guide,
// Passing session tags in AWS STS). The role's tags are those of the
// moment the session is made.
func principalTags(role, session map[string]string) map[string]string {
	if len(role) == 0 {
		return session
	}
	out := make(map[string]string, len(role)+len(session))
	for k, v := range role {
		out[k] = v
	}
	for k, v := range session {
		for rk := range out {
			if strings.EqualFold(rk, k) {
				delete(out, rk) // tag keys are case-insensitive
			}
		}
		out[k] = v
	}
	return out
}

// sessionPolicies validates the inline session policy and resolves the
// managed ones; it returns their documents, the inline one first.
func (s *Service) sessionPolicies(ctx context.Context, tx store.Tx, in AssumeRoleInput) ([]string, error) {
	var docs []string
	if in.Policy != nil {
		opts := policy.Options{Type: policy.Session}
		for _, f := range opts.ValidateText([]byte(*in.Policy)) {
			if f.Severity == policy.Error {
				return nil, errMalformedPolicy(f.Code, f.Message)
			}
		}
		docs = append(docs, *in.Policy)
	}
	for _, arn := range in.PolicyArns {
		if s.Policies == nil {
			return nil, errNoSuchPolicy(arn)
		}
		doc, err := s.Policies.PolicyDocument(ctx, tx, arn)
		if errors.Is(err, ErrNoSuchPolicy) {
			return nil, errNoSuchPolicy(arn)
		}
		if err != nil {
			return nil, fmt.Errorf("sts: resolve policy %s: %w", arn, err)
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

// sessionDuration returns the session's duration in seconds: the
// request's, within the role's maximum and, for role chaining, one hour.
func sessionDuration(c *principal.Caller, role Role, requested *int32) (int32, error) {
	if requested == nil {
		return roleDefaultDuration, nil
	}
	d := *requested
	if c.Type == principal.AssumedRole && d > chainMaxDuration {
		return 0, errChainDuration()
	}
	maxDuration := role.MaxSessionDuration
	if maxDuration == 0 {
		maxDuration = roleDefaultDuration
	}
	if d > maxDuration {
		return 0, errRoleMaxDuration()
	}
	return d, nil
}

// sessionTags returns the new session's tags and transitive tag keys:
// the request's tags and the transitive tags the calling session passes
// on, which the request cannot override ("Chaining roles with session
// tags", IAM User Guide). Tag keys are case-insensitive.
func sessionTags(c *principal.Caller, in AssumeRoleInput) (map[string]string, []string, error) {
	tags := map[string]string{}
	seen := map[string]bool{}
	var transitive []string
	if c.Session != nil {
		for _, k := range c.Session.TransitiveTagKeys {
			if v, ok := c.Tags[k]; ok {
				tags[k] = v
				seen[strings.ToLower(k)] = true
				transitive = append(transitive, k)
			}
		}
	}
	requested := map[string]bool{}
	for _, t := range in.Tags {
		lower := strings.ToLower(t.Key)
		if requested[lower] {
			return nil, nil, errDuplicateTagKeys()
		}
		requested[lower] = true
		if seen[lower] {
			return nil, nil, errTransitiveOverride(t.Key)
		}
		tags[t.Key] = t.Value
	}
	for _, k := range in.TransitiveTagKeys {
		if !requested[strings.ToLower(k)] {
			return nil, nil, errTransitiveKeyNotTagged(k)
		}
		for _, t := range in.Tags {
			if strings.EqualFold(t.Key, k) && !slices.Contains(transitive, t.Key) {
				transitive = append(transitive, t.Key)
			}
		}
	}
	if len(tags) == 0 {
		return nil, nil, nil
	}
	return tags, transitive, nil
}

// sessionSourceIdentity returns the new session's source identity: the
// calling session's, which cannot change, or the request's.
func sessionSourceIdentity(c *principal.Caller, requested *string) (string, error) {
	have := ""
	if c.Session != nil {
		have = c.Session.SourceIdentity
	}
	if requested == nil {
		return have, nil
	}
	if have != "" && have != *requested {
		return "", errSourceIdentityChanged(have)
	}
	return *requested, nil
}

// packedPolicySize returns the percentage of the packed limit the
// request's session policy, policy ARNs and tags use, or
// PackedPolicyTooLarge when they exceed it. The packed form is their
// DEFLATE compression.
func packedPolicySize(in AssumeRoleInput) (int32, error) {
	var buf bytes.Buffer
	zw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return 0, err
	}
	if in.Policy != nil {
		zw.Write([]byte(*in.Policy))
	}
	for _, arn := range in.PolicyArns {
		zw.Write([]byte("\x00" + arn))
	}
	for _, t := range in.Tags {
		zw.Write([]byte("\x00" + t.Key + "\x00" + t.Value))
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	percent := (buf.Len()*100 + packedLimit - 1) / packedLimit
	if percent > 100 {
		return 0, errPackedPolicyTooLarge(percent)
	}
	return int32(percent), nil
}
