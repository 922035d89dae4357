// Package audit records what every request did, in CloudTrail's record
// format: who called (userIdentity), what (eventSource, eventName,
// requestParameters), from where, and with what outcome (responseElements
// or errorCode and errorMessage). Secrets never appear in a record.
package audit

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gatehouse/store"
)

// EventVersion is the CloudTrail record format version Gatehouse writes.
const EventVersion = "1.11"

// Record is one CloudTrail event record.
type Record struct {
	EventVersion       string          `json:"eventVersion"`
	UserIdentity       UserIdentity    `json:"userIdentity"`
	EventTime          time.Time       `json:"eventTime"`
	EventSource        string          `json:"eventSource"`
	EventName          string          `json:"eventName"`
	AWSRegion          string          `json:"awsRegion"`
	SourceIPAddress    string          `json:"sourceIPAddress"`
	UserAgent          string          `json:"userAgent"`
	ErrorCode          string          `json:"errorCode,omitempty"`
	ErrorMessage       string          `json:"errorMessage,omitempty"`
	RequestParameters  json.RawMessage `json:"requestParameters"`
	ResponseElements   json.RawMessage `json:"responseElements"`
	RequestID          string          `json:"requestID"`
	EventID            string          `json:"eventID"`
	ReadOnly           bool            `json:"readOnly"`
	Resources          []Resource      `json:"resources,omitempty"`
	EventType          string          `json:"eventType"`
	ManagementEvent    bool            `json:"managementEvent"`
	RecipientAccountID string          `json:"recipientAccountId"`
	EventCategory      string          `json:"eventCategory"`
}

// UserIdentity is the userIdentity element of a record.
type UserIdentity struct {
	Type           string          `json:"type,omitempty"`
	PrincipalID    string          `json:"principalId,omitempty"`
	ARN            string          `json:"arn,omitempty"`
	AccountID      string          `json:"accountId,omitempty"`
	AccessKeyID    string          `json:"accessKeyId,omitempty"`
	UserName       string          `json:"userName,omitempty"`
	SessionContext *SessionContext `json:"sessionContext,omitempty"`
}

// SessionContext describes the session of temporary credentials.
type SessionContext struct {
	SessionIssuer SessionIssuer     `json:"sessionIssuer"`
	Attributes    SessionAttributes `json:"attributes"`
}

// SessionIssuer is the role whose session made the request.
type SessionIssuer struct {
	Type        string `json:"type"`
	PrincipalID string `json:"principalId"`
	ARN         string `json:"arn"`
	AccountID   string `json:"accountId"`
	UserName    string `json:"userName"`
}

// SessionAttributes are the attributes of a session.
type SessionAttributes struct {
	CreationDate     time.Time `json:"creationDate"`
	MFAAuthenticated string    `json:"mfaAuthenticated"`
}

// Resource names a resource an event is about.
type Resource struct {
	Type      string `json:"type,omitempty"`
	ARN       string `json:"ARN"`
	AccountID string `json:"accountId,omitempty"`
}

// NewRecord returns a record with the fields every Gatehouse event shares.
func NewRecord(eventID string, t time.Time) *Record {
	return &Record{
		EventVersion:    EventVersion,
		EventTime:       t.UTC().Truncate(time.Second),
		EventID:         eventID,
		EventType:       "AwsApiCall",
		ManagementEvent: true,
		EventCategory:   "Management",
	}
}

// SetRequestParameters records the request parameters with secrets
// removed. v is marshalled to JSON; nil records null.
func (r *Record) SetRequestParameters(v any) error {
	raw, err := redactedJSON(v)
	r.RequestParameters = raw
	return err
}

// SetResponseElements records the response elements with secrets removed.
func (r *Record) SetResponseElements(v any) error {
	raw, err := redactedJSON(v)
	r.ResponseElements = raw
	return err
}

// Event converts the record into the store's form.
func (r *Record) Event() (store.Event, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return store.Event{}, fmt.Errorf("audit: encode event %s: %w", r.EventID, err)
	}
	e := store.Event{
		ID:          r.EventID,
		Time:        r.EventTime,
		Account:     r.RecipientAccountID,
		Name:        r.EventName,
		Source:      r.EventSource,
		Username:    r.username(),
		AccessKeyID: r.UserIdentity.AccessKeyID,
		ReadOnly:    r.ReadOnly,
		Body:        body,
	}
	for _, res := range r.Resources {
		e.Resources = append(e.Resources, res.ARN)
	}
	return e, nil
}

// username is the name LookupEvents shows: the IAM user name, the role
// session name, or "root".
func (r *Record) username() string {
	id := r.UserIdentity
	switch {
	case id.UserName != "":
		return id.UserName
	case id.Type == "Root":
		return "root"
	case id.Type == "AssumedRole":
		return id.ARN[strings.LastIndexByte(id.ARN, '/')+1:]
	}
	return ""
}
