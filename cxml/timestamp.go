package cxml

import (
	"encoding/xml"
	"strings"
	"time"
)

// Timestamp is a cXML date-time attribute. Parsing accepts the formats seen
// from real procurement systems (see [ParseTimestamp]); one it cannot read
// leaves Time zero and keeps the text in Raw rather than refusing the
// document. Marshalling writes ISO 8601 (RFC 3339) and omits a zero value.
type Timestamp struct {
	Time time.Time
	Raw  string
}

// At returns the Timestamp for t, truncated to the second.
func At(t time.Time) Timestamp {
	return Timestamp{Time: t.Truncate(time.Second)}
}

// timestampLayouts are tried in order. A layout without a zone reads as UTC.
var timestampLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// ParseTimestamp reads s as an ISO 8601 date-time with or without a zone,
// fractional seconds, a colon in the offset or the T separator, or as a plain
// date. Times without a zone are taken as UTC.
func ParseTimestamp(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range timestampLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// IsZero reports whether the timestamp is absent.
func (t Timestamp) IsZero() bool {
	return t.Time.IsZero() && t.Raw == ""
}

// Valid reports whether the timestamp was read as a time.
func (t Timestamp) Valid() bool {
	return !t.Time.IsZero()
}

// UnmarshalXMLAttr reads the attribute leniently.
func (t *Timestamp) UnmarshalXMLAttr(attr xml.Attr) error {
	parsed, ok := ParseTimestamp(attr.Value)
	if ok {
		*t = Timestamp{Time: parsed}
		return nil
	}
	*t = Timestamp{Raw: attr.Value}
	return nil
}

// MarshalXMLAttr writes the time as RFC 3339, or nothing when zero.
func (t Timestamp) MarshalXMLAttr(name xml.Name) (xml.Attr, error) {
	if t.Time.IsZero() {
		return xml.Attr{}, nil
	}
	return xml.Attr{Name: name, Value: t.Time.Format(time.RFC3339)}, nil
}
