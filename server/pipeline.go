package server

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gatehouse/audit"
	"gatehouse/authz"
	"gatehouse/awsapi"
	"gatehouse/awserr"
	"gatehouse/credentials"
	"gatehouse/policy"
	"gatehouse/principal"
	"gatehouse/sigv4"
	"gatehouse/store"
	"gatehouse/sts"
)

// request is one API request on its way through the pipeline.
type request struct {
	call        Call
	service     *service
	op          *Operation
	opName      string
	body        []byte
	in          any
	accessKeyID string
	// account is the account of the access key, known before the
	// signature is verified, so that failed authentications are audited
	// in that account's trail.
	account string
	// resources are the ARNs the request was authorized on.
	resources []string
}

// api runs the pipeline: route, authenticate, decode, authorize, run
// (with its audit event in the same transaction for writes), encode.
func (s *Server) api(w http.ResponseWriter, r *http.Request) {
	now := s.cfg.Now().UTC()
	req := &request{call: Call{
		RequestID: awsapi.NewRequestID(),
		Region:    s.cfg.Region,
		Time:      now,
		SourceIP:  sourceIP(r),
		UserAgent: r.UserAgent(),
		Secure:    r.TLS != nil,
		HTTP:      r,
	}}
	w.Header().Set("x-amzn-RequestId", req.call.RequestID)
	out, err := s.handle(r.Context(), w, r, req)
	proto := protocolFor(req.service, r)
	if err != nil {
		e := awserr.As(err)
		if e.Code == "InternalFailure" {
			s.cfg.Log.Error("request failed", "request_id", req.call.RequestID, "operation", req.opName, "err", err)
		}
		proto.writeError(w, req.call.RequestID, e)
		return
	}
	proto.writeResult(w, req.opName, req.call.RequestID, out)
}

// handle runs the request and returns the operation's output. Every path
// records exactly one audit event, except requests no service claims.
func (s *Server) handle(ctx context.Context, w http.ResponseWriter, r *http.Request, req *request) (any, error) {
	body, err := awsapi.ReadBody(r, s.cfg.MaxBody)
	if err != nil {
		return nil, err
	}
	req.body = body
	sig, sigErr := sigv4.Parse(r)
	if err := s.route(r, req, sig); err != nil {
		return nil, err
	}
	if sigErr != nil {
		return nil, s.fail(ctx, req, authError(sigErr))
	}
	req.accessKeyID = sig.AccessKeyID()
	caller, err := s.authenticate(ctx, r, req, sig)
	if err != nil {
		return nil, s.fail(ctx, req, err)
	}
	req.call.Caller = caller
	if err := sts.CheckSessionScope(caller, req.service.signingName, req.opName); err != nil {
		return nil, s.fail(ctx, req, err)
	}
	if req.op == nil {
		return nil, s.fail(ctx, req, req.service.proto.unknownOperation(req.opName))
	}
	req.in = req.op.newInput()
	if err := req.service.proto.decode(r, body, req.in); err != nil {
		return nil, s.fail(ctx, req, err)
	}
	if err := s.authorize(ctx, req); err != nil {
		return nil, s.fail(ctx, req, err)
	}
	return s.invoke(ctx, req)
}

// route finds the service and operation of the request.
func (s *Server) route(r *http.Request, req *request, sig *sigv4.Signature) error {
	name := ""
	if sig != nil {
		name = sig.Scope().Service
	} else {
		name = guessService(r)
	}
	svc, ok := services[name]
	if !ok {
		if sig == nil {
			return authError(errors.New("missing"))
		}
		return awserr.ErrUnknownOperationException.Newf("The service %q is not served here.", name)
	}
	req.service = svc
	opName, err := svc.proto.operation(r, req.body)
	if err != nil {
		return err
	}
	req.opName = opName
	req.op = s.ops[opKey{svc.signingName, opName}]
	return nil
}

// authenticate verifies the signature and returns the caller.
func (s *Server) authenticate(ctx context.Context, r *http.Request, req *request, sig *sigv4.Signature) (*principal.Caller, error) {
	if s.cfg.Dev {
		account, err := s.devAccount(ctx, sig.AccessKeyID())
		if err != nil {
			return nil, err
		}
		return &principal.Caller{Type: principal.Root, Account: account, ARN: principal.RootARN(account),
			PrincipalARN: principal.RootARN(account), UserID: account, AccessKeyID: sig.AccessKeyID()}, nil
	}
	if err := s.checkScope(sig, req.service); err != nil {
		return nil, err
	}
	if sts.IsTemporaryKey(sig.AccessKeyID()) {
		return s.authenticateSession(r, req, sig)
	}
	secret, caller, err := s.deps.Keys.Lookup(ctx, sig.AccessKeyID())
	if errors.Is(err, credentials.ErrUnknownKey) {
		return nil, authError(sigv4.InvalidClientTokenID())
	}
	if err != nil {
		return nil, err
	}
	req.account = caller.Account
	if err := sig.Verify(r, req.body, secret, s.cfg.Now()); err != nil {
		return nil, authError(err)
	}
	if sig.SecurityToken() != "" {
		// Only temporary credentials carry a session token, and Gatehouse
		// has issued none to this long-term key.
		return nil, authError(sigv4.InvalidClientTokenID())
	}
	if err := requireSignedTarget(r, sig, req.service); err != nil {
		return nil, err
	}
	return &caller, nil
}

// authenticateSession authenticates a request signed with temporary
// credentials: the session token, which must come with an ASIA key id,
// carries the secret and the caller, so no database is read.
func (s *Server) authenticateSession(r *http.Request, req *request, sig *sigv4.Signature) (*principal.Caller, error) {
	if s.deps.STS == nil || sig.SecurityToken() == "" {
		return nil, authError(sigv4.InvalidClientTokenID())
	}
	secret, caller, err := s.deps.STS.Authenticate(sig.AccessKeyID(), sig.SecurityToken(), s.cfg.Now())
	switch {
	case errors.Is(err, sts.ErrExpiredToken):
		req.account = caller.Account
		return nil, errExpiredToken()
	case err != nil:
		return nil, authError(sigv4.InvalidClientTokenID())
	}
	req.account = caller.Account
	if err := sig.Verify(r, req.body, secret, s.cfg.Now()); err != nil {
		return nil, authError(err)
	}
	if err := requireSignedTarget(r, sig, req.service); err != nil {
		return nil, err
	}
	return &caller, nil
}

// errExpiredToken is AWS's answer to expired temporary credentials
// ("ExpiredToken: The security token included in the request is
// expired", 403 in the query protocol as IAM answers it;
// ExpiredTokenException in JSON protocols).
func errExpiredToken() error {
	return awserr.ErrExpiredToken.New("The security token included in the request is expired")
}

// requireSignedTarget refuses a request whose signature does not cover
// the X-Amz-Target header of a service that routes by it: otherwise a
// presigned URL, or a header-signed request that leaves the target out,
// could be replayed for any operation. A service that routes only some of
// its APIs by target (aws-marketplace's Agreement API) requires it of
// requests that carry one.
func requireSignedTarget(r *http.Request, sig *sigv4.Signature, svc *service) error {
	if svc.targetPrefix == "" && r.Header.Get("X-Amz-Target") == "" {
		return nil
	}
	for _, h := range sig.SignedHeaders() {
		if h == "x-amz-target" {
			return nil
		}
	}
	return awserr.ErrIncompleteSignature.New("The request signature must cover the X-Amz-Target header.")
}

// devAccount returns the account whose root a --dev request acts as: the
// account named by a 12-digit access key id when Gatehouse knows it (as
// LocalStack does), else the management account.
func (s *Server) devAccount(ctx context.Context, accessKeyID string) (string, error) {
	if len(accessKeyID) != 12 || strings.Trim(accessKeyID, "0123456789") != "" {
		return s.deps.ManagementAccount(), nil
	}
	var known bool
	err := s.deps.Store.View(ctx, func(tx store.Tx) error {
		var err error
		_, known, err = s.deps.Org.LookupAccount(ctx, tx, accessKeyID)
		return err
	})
	if err != nil || !known {
		return s.deps.ManagementAccount(), err
	}
	return accessKeyID, nil
}

// checkScope requires the signature's region to be the one served; global
// services (IAM, STS, Organizations) are also signed for us-east-1.
func (s *Server) checkScope(sig *sigv4.Signature, svc *service) error {
	region := sig.Scope().Region
	if region == s.cfg.Region || (svc.global && region == "us-east-1") {
		return nil
	}
	return awserr.ErrSignatureDoesNotMatch.New("Credential should be scoped to a valid region. ")
}

// authorize asks the policy engine about the operation's action and its
// dependent actions, on each resource of each of the target's checks.
func (s *Server) authorize(ctx context.Context, req *request) error {
	op := req.op
	if op.SkipAuthorization {
		return nil
	}
	var t target
	if op.target != nil {
		var err error
		if t, err = op.target(ctx, &req.call, req.in); err != nil {
			return err
		}
	}
	req.resources = nil
	for _, c := range t.checks() {
		req.resources = append(req.resources, c.ARNs...)
	}
	for _, c := range t.checks() {
		if err := s.authorizeCheck(ctx, req, c); err != nil {
			return err
		}
	}
	return nil
}

// authorizeCheck authorizes one check of a request.
func (s *Server) authorizeCheck(ctx context.Context, req *request, c check) error {
	resources := c.ARNs
	if len(resources) == 0 {
		resources = []string{"*"}
	}
	actions := append(append([]string{req.op.Action}, req.op.Dependent...), c.Actions...)
	for _, action := range actions {
		for _, resource := range resources {
			pc := s.requestContext(req)
			for k, v := range c.Keys {
				pc.Set(k, v...)
			}
			res, err := s.deps.Authz.Authorize(ctx, authz.Request{Caller: req.call.Caller, Action: action, Resource: resource, ResourceAccount: c.Account, Context: pc, Trust: c.Trust})
			if err != nil {
				return err
			}
			if !res.Allowed() {
				return req.service.proto.accessDenied(res.Message)
			}
		}
	}
	return nil
}

// requestContext returns the global condition keys of the request.
func (s *Server) requestContext(req *request) *policy.Context {
	// Room for these keys, the principal's and a few of the service's.
	c := policy.NewContextSize(16)
	tk := s.timeKeys(req.call.Time)
	c.Set("aws:CurrentTime", tk.current)
	c.Set("aws:EpochTime", tk.epoch)
	c.Set("aws:RequestedRegion", req.call.Region)
	c.Set("aws:SecureTransport", strconv.FormatBool(req.call.Secure))
	if req.call.SourceIP != "" {
		c.Set("aws:SourceIp", req.call.SourceIP)
	}
	if req.call.UserAgent != "" {
		c.Set("aws:UserAgent", req.call.UserAgent)
	}
	return c
}

// timeKeys are the values of aws:CurrentTime and aws:EpochTime for one
// second.
type timeKeys struct {
	unix           int64
	current, epoch string
}

// timeKeys returns the time keys of t, formatted once per second.
func (s *Server) timeKeys(t time.Time) *timeKeys {
	unix := t.Unix()
	if tk := s.clock.Load(); tk != nil && tk.unix == unix {
		return tk
	}
	tk := &timeKeys{unix: unix, current: t.UTC().Format(time.RFC3339), epoch: strconv.FormatInt(unix, 10)}
	s.clock.Store(tk)
	return tk
}

// invoke runs the operation: a write in a read-write transaction that
// also stores its audit event, a read with its event queued. A read
// opens its own read transactions, if any: answers the services keep in
// memory need none.
func (s *Server) invoke(ctx context.Context, req *request) (any, error) {
	var out any
	if req.op.ReadOnly {
		out, err := req.op.call(ctx, &req.call, req.in)
		if err != nil {
			return nil, s.fail(ctx, req, err)
		}
		return out, s.queueEvent(ctx, s.event(req, out, nil))
	}
	var kept error
	err := s.deps.Store.Update(ctx, func(tx store.Tx) error {
		var err error
		out, err = req.op.call(store.WithTx(ctx, tx, false), &req.call, req.in)
		rec := s.event(req, out, nil)
		if k, ok := store.Kept(err); ok {
			// The operation's writes stand, and so does its answer, an
			// error: both are recorded in this transaction.
			kept, out, rec = k, nil, s.event(req, nil, awserr.As(k))
		} else if err != nil {
			return err
		}
		ev, err := rec.Event()
		if err != nil {
			return err
		}
		return tx.AppendEvents(ctx, ev)
	})
	if err != nil {
		return nil, s.fail(ctx, req, err)
	}
	return out, kept
}

// fail records the failed request's audit event and returns err.
func (s *Server) fail(ctx context.Context, req *request, err error) error {
	if req.service == nil {
		return err
	}
	if qerr := s.queueEvent(ctx, s.event(req, nil, awserr.As(err))); qerr != nil {
		s.cfg.Log.Error("audit event lost", "request_id", req.call.RequestID, "err", qerr)
	}
	return err
}

func (s *Server) queueEvent(ctx context.Context, rec *audit.Record) error {
	ev, err := rec.Event()
	if err != nil {
		return err
	}
	return s.deps.Audit.Record(ctx, ev)
}

// event builds the request's CloudTrail record.
func (s *Server) event(req *request, out any, failure *awserr.Error) *audit.Record {
	rec := audit.NewRecord(awsapi.NewTimeOrderedID(req.call.Time), req.call.Time)
	rec.EventSource = req.service.eventSource
	rec.EventName = req.opName
	rec.AWSRegion = req.call.Region
	rec.SourceIPAddress = req.call.SourceIP
	rec.UserAgent = req.call.UserAgent
	rec.RequestID = req.call.RequestID
	rec.ReadOnly = req.op != nil && req.op.ReadOnly
	rec.UserIdentity = userIdentity(req)
	rec.RecipientAccountID = rec.UserIdentity.AccountID
	if rec.RecipientAccountID == "" {
		rec.RecipientAccountID = req.account
	}
	for _, arn := range req.resources {
		rec.Resources = append(rec.Resources, audit.Resource{Type: resourceType(arn), ARN: arn, AccountID: rec.RecipientAccountID})
	}
	if req.in != nil {
		params := req.in
		if req.op.audit != nil {
			params = req.op.audit(req.in)
		}
		rec.SetRequestParameters(s.auditJSON(req, params))
	}
	if failure != nil {
		rec.ErrorCode, rec.ErrorMessage = failure.Code, failure.Message
		return rec
	}
	if !rec.ReadOnly {
		rec.SetResponseElements(s.auditJSON(req, out))
	}
	return rec
}

// auditJSON encodes v for the request's audit record; a value that cannot
// be encoded is logged and recorded as null.
func (s *Server) auditJSON(req *request, v any) json.RawMessage {
	raw, err := auditJSON(v)
	if err != nil {
		s.cfg.Log.Error("audit: cannot encode parameters", "request_id", req.call.RequestID, "operation", req.opName, "err", err)
		return json.RawMessage("null")
	}
	return raw
}

func userIdentity(req *request) audit.UserIdentity {
	c := req.call.Caller
	if c == nil {
		return audit.UserIdentity{AccessKeyID: req.accessKeyID}
	}
	id := audit.UserIdentity{Type: string(c.Type), PrincipalID: c.UserID, ARN: c.ARN, AccountID: c.Account, AccessKeyID: c.AccessKeyID}
	if c.Type == principal.IAMUser {
		id.UserName = c.Name
	}
	return id
}

// authError converts a SigV4 failure into an AWS error.
func authError(err error) error {
	var se *sigv4.Error
	if errors.As(err, &se) {
		return &awserr.Error{Code: se.Code, Message: se.Message, Status: se.StatusCode}
	}
	return awserr.ErrMissingAuthenticationToken.New("Missing Authentication Token")
}

func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// guessService names the service of a request that carries no signature,
// so that the error goes back in the right protocol.
func guessService(r *http.Request) string {
	target := r.Header.Get("X-Amz-Target")
	for name, svc := range services {
		if svc.targetPrefix != "" && strings.HasPrefix(target, svc.targetPrefix+".") {
			return name
		}
	}
	return ""
}
