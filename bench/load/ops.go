package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"gatehouse/sigv4"
)

// operation is one benchmarked call: how a target is readied for it and
// how one measured request is sent and checked.
type operation struct {
	name   string // the -op value
	event  string // the call's name, and its CloudTrail event name
	source string // its CloudTrail event source
	// prepare readies a started target (not measured): it creates what
	// the call needs, sets t.opCreds and t.want, and returns how many
	// successful calls of the measured operation it made with t.opCreds,
	// for the audit count.
	prepare func(ctx context.Context, t *target) (int, error)
	// send sends one measured request, signed now, and checks the
	// answer: any error means the call does not count as a success.
	send func(ctx context.Context, t *target) error
}

// operations are the -op choices; describe-organization, the first, is
// the default, so that figures taken before the choice existed stay
// comparable.
var operations = []*operation{
	{name: "describe-organization", event: "DescribeOrganization", source: "organizations.amazonaws.com", prepare: prepareDescribe, send: sendDescribe},
	{name: "get-caller-identity", event: "GetCallerIdentity", source: "sts.amazonaws.com", prepare: prepareGetCallerIdentity, send: sendGetCallerIdentity},
	{name: "assume-role", event: "AssumeRole", source: "sts.amazonaws.com", prepare: prepareAssumeRole, send: sendAssumeRole},
}

// lookupOperation returns the operation named name.
func lookupOperation(name string) (*operation, error) {
	var names []string
	for _, op := range operations {
		if op.name == name {
			return op, nil
		}
		names = append(names, op.name)
	}
	return nil, fmt.Errorf("unknown operation %q; choose one of %s", name, strings.Join(names, ", "))
}

var describeBody = []byte("{}")

// prepareDescribe creates the target's organization (the baseline has
// its own already) and signs with the target's key.
func prepareDescribe(ctx context.Context, t *target) (int, error) {
	t.opCreds = t.creds
	if t.orgID != "" {
		return 0, nil
	}
	if err := t.createOrganization(ctx); err != nil {
		return 0, err
	}
	return 1, nil
}

func sendDescribe(ctx context.Context, t *target) error {
	code, b, err := t.call(ctx, "DescribeOrganization", describeBody)
	if err != nil {
		return err
	}
	return t.checkDescribe(code, b)
}

// The query protocol's versions and content type.
const (
	iamVersion  = "2010-05-08"
	stsVersion  = "2011-06-15"
	formEncoded = "application/x-www-form-urlencoded; charset=utf-8"
)

// Names of what the STS setup creates.
const (
	loadUser    = "load-user"
	loadRole    = "load-role"
	loadSession = "load-session"
)

// query sends one query protocol request (form-encoded Action, Version
// and params) to service, signed now with creds.
func (t *target) query(ctx context.Context, creds sigv4.Credentials, service string, body []byte) (int, []byte, error) {
	return t.post(ctx, creds, service, formEncoded, "", body)
}

// queryBody is the form body of action with params.
func queryBody(service, action string, params ...string) []byte {
	v := url.Values{"Action": {action}, "Version": {iamVersion}}
	if service == "sts" {
		v.Set("Version", stsVersion)
	}
	for i := 0; i+1 < len(params); i += 2 {
		v.Set(params[i], params[i+1])
	}
	return []byte(v.Encode())
}

// setupCall sends one setup request and returns the answer's elements
// named by fields (the first of each), failing on anything but a 200
// that has them all.
func (t *target) setupCall(ctx context.Context, creds sigv4.Credentials, service, action string, fields []string, params ...string) ([]string, error) {
	code, b, err := t.query(ctx, creds, service, queryBody(service, action, params...))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", t.name, action, err)
	}
	if code != http.StatusOK {
		return nil, fmt.Errorf("%s %s: HTTP %d: %.300s", t.name, action, code, b)
	}
	vals, err := xmlFields(b, fields...)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w: %.300s", t.name, action, err, b)
	}
	return vals, nil
}

// xmlFields returns the text of the first element of each name in an XML
// document; every name must be there with a non-empty text.
func xmlFields(doc []byte, names ...string) ([]string, error) {
	vals := make([]string, len(names))
	found := 0
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for found < len(names) {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		for i, n := range names {
			if n != se.Name.Local || vals[i] != "" {
				continue
			}
			var text string
			if err := dec.DecodeElement(&text, &se); err != nil {
				return nil, err
			}
			if text = strings.TrimSpace(text); text != "" {
				vals[i] = text
				found++
			}
			break
		}
	}
	for i, v := range vals {
		if v == "" {
			return nil, fmt.Errorf("no %s in the answer", names[i])
		}
	}
	return vals, nil
}

// stsSetup is what prepareSTS made: the user's temporary credentials from
// GetSessionToken, the role and its account.
type stsSetup struct {
	account, roleARN string
	session          sigv4.Credentials
}

// assumedRoleARN is the ARN of the benchmark's role session.
func (s stsSetup) assumedRoleARN() string {
	return "arn:aws:sts::" + s.account + ":assumed-role/" + loadRole + "/" + loadSession
}

// prepareSTS, with the target's root key, creates an IAM user with an
// access key and an inline policy allowing sts:AssumeRole on a role that
// trusts the user, then gets the user's temporary credentials with
// GetSessionToken. The baseline issues nothing: it knows one fixed set of
// temporary credentials.
func prepareSTS(ctx context.Context, t *target) (stsSetup, error) {
	if t.name == "baseline" {
		return stsSetup{account: baselineAccount, roleARN: baselineRoleARN, session: baselineSession}, nil
	}
	v, err := t.setupCall(ctx, t.creds, "iam", "CreateUser", []string{"Arn"}, "UserName", loadUser)
	if err != nil {
		return stsSetup{}, err
	}
	userARN := v[0]
	account, ok := arnAccount(userARN)
	if !ok {
		return stsSetup{}, fmt.Errorf("%s CreateUser: no account in ARN %q", t.name, userARN)
	}
	key, err := t.setupCall(ctx, t.creds, "iam", "CreateAccessKey", []string{"AccessKeyId", "SecretAccessKey"}, "UserName", loadUser)
	if err != nil {
		return stsSetup{}, err
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"` + userARN + `"},"Action":"sts:AssumeRole"}]}`
	v, err = t.setupCall(ctx, t.creds, "iam", "CreateRole", []string{"Arn"}, "RoleName", loadRole, "AssumeRolePolicyDocument", trust)
	if err != nil {
		return stsSetup{}, err
	}
	s := stsSetup{account: account, roleARN: v[0]}
	allow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"` + s.roleARN + `"}]}`
	code, b, err := t.query(ctx, t.creds, "iam", queryBody("iam", "PutUserPolicy", "UserName", loadUser, "PolicyName", "assume-"+loadRole, "PolicyDocument", allow))
	if err == nil && code != http.StatusOK {
		err = fmt.Errorf("HTTP %d: %.300s", code, b)
	}
	if err != nil {
		return stsSetup{}, fmt.Errorf("%s PutUserPolicy: %w", t.name, err)
	}
	user := sigv4.Credentials{AccessKeyID: key[0], SecretAccessKey: key[1]}
	v, err = t.setupCall(ctx, user, "sts", "GetSessionToken", []string{"AccessKeyId", "SecretAccessKey", "SessionToken"})
	if err != nil {
		return stsSetup{}, err
	}
	s.session = sigv4.Credentials{AccessKeyID: v[0], SecretAccessKey: v[1], SessionToken: v[2]}
	return s, nil
}

// arnAccount returns the account of an ARN.
func arnAccount(arn string) (string, bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || len(parts[4]) != 12 {
		return "", false
	}
	return parts[4], true
}

var (
	getCallerIdentityBody = queryBody("sts", "GetCallerIdentity")
	assumeRoleBody        = func(roleARN string) []byte {
		return queryBody("sts", "AssumeRole", "RoleArn", roleARN, "RoleSessionName", loadSession)
	}
)

// prepareGetCallerIdentity assumes the role with the user's
// GetSessionToken credentials and signs GetCallerIdentity with the role
// session's credentials, whose answer must name the role session; it
// checks one call.
func prepareGetCallerIdentity(ctx context.Context, t *target) (int, error) {
	s, err := prepareSTS(ctx, t)
	if err != nil {
		return 0, err
	}
	t.opCreds = s.session
	if t.name != "baseline" {
		v, err := t.setupCall(ctx, s.session, "sts", "AssumeRole", []string{"AccessKeyId", "SecretAccessKey", "SessionToken"}, "RoleArn", s.roleARN, "RoleSessionName", loadSession)
		if err != nil {
			return 0, err
		}
		t.opCreds = sigv4.Credentials{AccessKeyID: v[0], SecretAccessKey: v[1], SessionToken: v[2]}
	}
	t.want = s.assumedRoleARN()
	if err := sendGetCallerIdentity(ctx, t); err != nil {
		return 0, fmt.Errorf("%s GetCallerIdentity: %w", t.name, err)
	}
	return 1, nil
}

func sendGetCallerIdentity(ctx context.Context, t *target) error {
	code, b, err := t.query(ctx, t.opCreds, "sts", getCallerIdentityBody)
	if err != nil {
		return err
	}
	return checkGetCallerIdentity(code, b, t.want)
}

// checkGetCallerIdentity checks a GetCallerIdentity answer: HTTP 200 and
// the caller's ARN. Like checkDescribe, it looks for strings rather than
// decoding the XML.
func checkGetCallerIdentity(code int, body []byte, arn string) error {
	if code != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.200s", code, body)
	}
	if !bytes.Contains(body, []byte("<GetCallerIdentityResult>")) || !bytes.Contains(body, []byte("<Arn>"+arn+"</Arn>")) {
		return fmt.Errorf("HTTP 200 without caller %s: %.200s", arn, body)
	}
	return nil
}

// prepareAssumeRole signs AssumeRole with the user's GetSessionToken
// credentials (AWS refuses AssumeRole to root credentials); the answer
// must hold new temporary credentials for the role session. It checks
// one call.
func prepareAssumeRole(ctx context.Context, t *target) (int, error) {
	s, err := prepareSTS(ctx, t)
	if err != nil {
		return 0, err
	}
	t.opCreds, t.want = s.session, s.assumedRoleARN()
	t.opBody = assumeRoleBody(s.roleARN)
	if err := sendAssumeRole(ctx, t); err != nil {
		return 0, fmt.Errorf("%s AssumeRole: %w", t.name, err)
	}
	return 1, nil
}

func sendAssumeRole(ctx context.Context, t *target) error {
	code, b, err := t.query(ctx, t.opCreds, "sts", t.opBody)
	if err != nil {
		return err
	}
	return checkAssumeRole(code, b, t.want)
}

// assumeRoleParts are what an AssumeRole answer must hold: temporary
// credentials (an ASIA key id, a secret, a session token, an expiration).
var assumeRoleParts = [][]byte{
	[]byte("<AssumeRoleResult>"), []byte("<AccessKeyId>ASIA"), []byte("<SecretAccessKey>"),
	[]byte("<SessionToken>"), []byte("<Expiration>"),
}

// checkAssumeRole checks an AssumeRole answer: HTTP 200, the role
// session's ARN and new temporary credentials.
func checkAssumeRole(code int, body []byte, arn string) error {
	if code != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.200s", code, body)
	}
	for _, p := range assumeRoleParts {
		if !bytes.Contains(body, p) {
			return fmt.Errorf("HTTP 200 without %s: %.200s", p, body)
		}
	}
	if !bytes.Contains(body, []byte("<Arn>"+arn+"</Arn>")) {
		return fmt.Errorf("HTTP 200 without role session %s: %.200s", arn, body)
	}
	return nil
}

// prepare readies t for op; see operation.prepare.
func (t *target) prepare(ctx context.Context, op *operation) (int, error) {
	t.op = op
	return op.prepare(ctx, t)
}

// readied says what prepare made, for the log.
func (t *target) readied() string {
	if t.op == operations[0] {
		return "organization " + t.orgID
	}
	return fmt.Sprintf("%s signed with %s as %s", t.op.event, t.opCreds.AccessKeyID, t.want)
}
