package sts

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"gatehouse/arn"
	"gatehouse/awserr"
)

// The member patterns of the STS model (botocore sts 2011-06-15).
var (
	patSessionName = `[\w+=,.@-]*`
	patExternalID  = `[\w+=,.@:\/-]*`
	patSerial      = `[\w+=/:,.@-]*`
	patTokenCode   = `[\d]*`
	patAccessKeyID = `[\w]*`
	patTagKey      = `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`
	patTagValue    = `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`
	patARN         = `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]+`
	patPolicy      = `[\u0009\u000A\u000D\u0020-\u00FF]+`
)

// patterns compiles the model's patterns for whole-value matching, in
// Go's syntax (\uXXXX is \x{XXXX}).
var patterns = map[string]*regexp.Regexp{}

func init() {
	for _, p := range []string{patSessionName, patExternalID, patSerial, patTokenCode, patAccessKeyID, patTagKey, patTagValue, patARN, patPolicy} {
		goSyntax := regexp.MustCompile(`\\u([0-9A-Fa-f]{4,6})`).ReplaceAllString(p, `\x{$1}`)
		patterns[p] = regexp.MustCompile(`^(?:` + goSyntax + `)$`)
	}
}

// violations collects the constraint violations of a request, worded as
// AWS's query services word them: "2 validation errors detected: Value
// 'x' at 'roleSessionName' failed to satisfy constraint: ...; Value ...".
type violations []string

func (v *violations) add(value, member, constraint string) {
	*v = append(*v, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", value, member, constraint))
}

// str checks a string member that is present: its length in characters
// and its pattern ("" for none).
func (v *violations) str(member, value string, min, max int, pattern string) {
	n := utf8.RuneCountInString(value)
	switch {
	case min > 0 && n < min:
		v.add(quote(value), member, fmt.Sprintf("Member must have length greater than or equal to %d", min))
	case max > 0 && n > max:
		v.add(quote(value), member, fmt.Sprintf("Member must have length less than or equal to %d", max))
	case pattern != "" && !patterns[pattern].MatchString(value):
		v.add(quote(value), member, "Member must satisfy regular expression pattern: "+pattern)
	}
}

// optional checks a string member when it is present.
func (v *violations) optional(member string, value *string, min, max int, pattern string) {
	if value != nil {
		v.str(member, *value, min, max, pattern)
	}
}

// required checks a string member that must be present.
func (v *violations) required(member string, value *string, min, max int, pattern string) {
	if value == nil {
		v.add("null", member, "Member must not be null")
		return
	}
	v.str(member, *value, min, max, pattern)
}

// number checks an integer member when it is present.
func (v *violations) number(member string, value *int32, min, max int32) {
	switch {
	case value == nil:
	case *value < min:
		v.add(quote(fmt.Sprint(*value)), member, fmt.Sprintf("Member must have value greater than or equal to %d", min))
	case *value > max:
		v.add(quote(fmt.Sprint(*value)), member, fmt.Sprintf("Member must have value less than or equal to %d", max))
	}
}

// list checks the length of a list member.
func (v *violations) list(member string, items []string, max int) {
	if len(items) > max {
		v.add(quote("["+strings.Join(items, ", ")+"]"), member, fmt.Sprintf("Member must have length less than or equal to %d", max))
	}
}

// err returns the ValidationError of the violations, or nil.
func (v violations) err() error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return awserr.ErrValidationError.New("1 validation error detected: " + v[0])
	}
	return awserr.ErrValidationError.Newf("%d validation errors detected: %s", len(v), strings.Join(v, "; "))
}

// quote renders a client value for a message: single-quoted and cut to
// 100 bytes.
func quote(s string) string {
	if len(s) > 100 {
		s = strings.ToValidUTF8(s[:100], "") + "..."
	}
	return "'" + s + "'"
}

// parseRoleARN returns the parts of a role ARN,
// arn:PARTITION:iam::ACCOUNT:role/PATH/NAME, and whether s is one.
func parseRoleARN(s string) (roleARN, bool) {
	a, ok := arn.Parse(s)
	if !ok || a.Service != "iam" || a.Region != "" || !arn.IsAccountID(a.Account) {
		return roleARN{}, false
	}
	res, ok := strings.CutPrefix(a.Resource, "role/")
	if !ok || strings.HasSuffix(res, "/") {
		return roleARN{}, false
	}
	name := res[strings.LastIndexByte(res, '/')+1:]
	if name == "" {
		return roleARN{}, false
	}
	return roleARN{partition: a.Partition, account: a.Account, name: name}, true
}

// roleARN are the parts of a role ARN.
type roleARN struct{ partition, account, name string }
