package authz

import (
	"fmt"
	"slices"
	"strconv"

	"gatehouse/policy"
	"gatehouse/principal"
)

// sessionEntry is the compiled session policies of one set of temporary
// credentials.
type sessionEntry struct {
	docs     []string
	policies []*policy.Policy
}

// sessionPolicies returns the compiled session policies of the caller's
// session; nil when it has none. Session policies never change during a
// session, so they are cached by access key id (and checked against the
// documents, so that two sessions never share an entry), independent of
// the store generation.
func (a *Authorizer) sessionPolicies(caller *principal.Caller) ([]*policy.Policy, error) {
	if caller.Session == nil || len(caller.Session.Policies) == 0 {
		return nil, nil
	}
	docs := caller.Session.Policies
	a.mu.Lock()
	se, ok := a.sessions[caller.AccessKeyID]
	a.mu.Unlock()
	if ok && slices.Equal(se.docs, docs) {
		return se.policies, nil
	}
	se = &sessionEntry{docs: docs, policies: make([]*policy.Policy, 0, len(docs))}
	for i, d := range docs {
		p, err := compileDoc(policy.Session, Document{ID: "session-policy-" + strconv.Itoa(i+1), Content: d})
		if err != nil {
			return nil, fmt.Errorf("authz: session policies of %s: %w", caller.ARN, err)
		}
		se.policies = append(se.policies, p)
	}
	a.mu.Lock()
	if len(a.sessions) >= maxCached {
		clear(a.sessions)
	}
	a.sessions[caller.AccessKeyID] = se
	a.mu.Unlock()
	return se.policies, nil
}

// trustPolicy returns the compiled trust policy d, cached by content.
func (a *Authorizer) trustPolicy(d Document) (*policy.Policy, error) {
	a.mu.Lock()
	p, ok := a.trusts[d.Content]
	a.mu.Unlock()
	if ok {
		return p, nil
	}
	p, err := compileDoc(policy.Trust, d)
	if err != nil {
		return nil, fmt.Errorf("authz: %w", err)
	}
	a.mu.Lock()
	if len(a.trusts) >= maxCached {
		clear(a.trusts)
	}
	a.trusts[d.Content] = p
	a.mu.Unlock()
	return p, nil
}

// NoTrust is the trust policy of a role that does not exist: it allows
// nobody, so AssumeRole of a missing role is denied exactly as one whose
// trust policy does not name the caller, as AWS does.
var NoTrust = Document{ID: "no-such-role", Content: `{"Version":"2012-10-17","Statement":[]}`}
