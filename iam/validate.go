package iam

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"gatehouse/awserr"
	"gatehouse/policy"
)

// A member constraint of the IAM API model: length bounds and a pattern.
type constraint struct {
	min, max int
	re       *regexp.Regexp
	pattern  string // as the model writes it, for the error text
}

func newConstraint(min, max int, pattern string) constraint {
	var re *regexp.Regexp
	if pattern != "" {
		re = regexp.MustCompile(`^(?:` + pattern + `)$`)
	}
	return constraint{min: min, max: max, re: re, pattern: pattern}
}

// The constraints of the IAM API model (botocore iam 2010-05-08).
var (
	cUserName    = newConstraint(1, 64, `[\w+=,.@-]+`)
	cGroupName   = newConstraint(1, 128, `[\w+=,.@-]+`)
	cRoleName    = newConstraint(1, 64, `[\w+=,.@-]+`)
	cPolicyName  = newConstraint(1, 128, `[\w+=,.@-]+`)
	cPath        = newConstraint(1, 512, `(\x{002F})|(\x{002F}[\x{0021}-\x{007E}]+\x{002F})`)
	cPathPrefix  = newConstraint(1, 512, `\x{002F}[\x{0021}-\x{007F}]*`)
	cDocument    = newConstraint(1, 131072, `[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+`)
	cRoleDesc    = newConstraint(0, 1000, `[\x{0009}\x{000A}\x{000D}\x{0020}-\x{007E}\x{00A1}-\x{00FF}]*`)
	cPolicyDesc  = newConstraint(0, 1000, ``)
	cArn         = newConstraint(20, 2048, ``)
	cTagKey      = newConstraint(1, 128, `[\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
	cTagValue    = newConstraint(0, 256, `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`)
	cAccessKeyID = newConstraint(16, 128, `[\w]+`)
	cPassword    = newConstraint(1, 128, `[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+`)
	cVersionID   = newConstraint(0, 0, `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`)
	cService     = newConstraint(1, 128, `[\w+=,.@-]+`)
)

// patternText renders a pattern as the model writes it (\u002F, not
// \x{002F}).
func patternText(p string) string {
	return regexp.MustCompile(`\\x\{([0-9A-Fa-f]{4})\}`).ReplaceAllString(p, `\u$1`)
}

// check returns the ValidationError of a member value that breaks c.
func (c constraint) check(member, v string) error {
	n := utf8.RuneCountInString(v)
	switch {
	case n < c.min:
		return validation(quote(v), member, fmt.Sprintf("Member must have length greater than or equal to %d", c.min))
	case c.max > 0 && n > c.max:
		return validation(quote(v), member, fmt.Sprintf("Member must have length less than or equal to %d", c.max))
	case c.re != nil && !c.re.MatchString(v):
		return validation(quote(v), member, "Member must satisfy regular expression pattern: "+patternText(c.pattern))
	}
	return nil
}

// optional checks v unless it is empty.
func (c constraint) optional(member, v string) error {
	if v == "" {
		return nil
	}
	return c.check(member, v)
}

// firstErr returns the first non-nil error.
func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// pathOr returns the path, "/" when empty, checked against the model.
func pathOr(path string) (string, error) {
	if path == "" {
		return "/", nil
	}
	return path, cPath.check("path", path)
}

// checkTags validates the tags of a request: at most 50, keys unique
// (case-insensitively) and without the reserved aws: prefix.
func checkTags(tags []Tag) error {
	if len(tags) > 50 {
		return validation("'[...]'", "tags", "Member must have length less than or equal to 50")
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if err := firstErr(cTagKey.check("tags.member.key", t.Key), cTagValue.check("tags.member.value", t.Value)); err != nil {
			return err
		}
		if strings.HasPrefix(strings.ToLower(t.Key), "aws:") {
			return errInvalid("User-defined tag keys can't start with 'aws:'. This prefix is reserved for AWS tags.")
		}
		k := strings.ToLower(t.Key)
		if seen[k] {
			return errInvalid("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
	}
	return nil
}

// checkDocument validates a policy document as IAM does for its type and
// quota, and returns the first error as IAM's error.
func checkDocument(member, doc string, opts policy.Options) error {
	if err := cDocument.check(member, doc); err != nil {
		return err
	}
	for _, f := range opts.ValidateText([]byte(doc)) {
		if f.Severity != policy.Error {
			continue
		}
		kind, ok := awserr.Lookup(f.Code)
		if !ok {
			kind = awserr.ErrMalformedPolicyDocument
		}
		return kind.New(f.Message)
	}
	return nil
}

// checkMaxItems validates MaxItems (1 to 1000) and returns the page size:
// 100 when absent.
func checkMaxItems(n *int32) (int, error) {
	if n == nil {
		return 100, nil
	}
	if *n < 1 {
		return 0, validation(fmt.Sprintf("'%d'", *n), "maxItems", "Member must have value greater than or equal to 1")
	}
	if *n > 1000 {
		return 0, validation(fmt.Sprintf("'%d'", *n), "maxItems", "Member must have value less than or equal to 1000")
	}
	return int(*n), nil
}
