package catalog

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Patterns and limits of the API's request members (marketplace-catalog
// 2018-09-17). The model's ChangeName pattern ^[a-zA-Z]$ admits a single
// letter, which no AWS sample honours ("CreateProductChange"); Gatehouse
// accepts 1 to 72 letters.
var (
	reChangeType    = regexp.MustCompile(`^[A-Z][\w]*$`)
	reChangeName    = regexp.MustCompile(`^[a-zA-Z]{1,72}$`)
	reChangeSetName = regexp.MustCompile(`^[\w\s+=.:@-]+$`)
	reClientToken   = regexp.MustCompile(`^[!-~]+$`)
	reIdentifier    = regexp.MustCompile(`^[\w\-@]+$`)
	reResourceID    = regexp.MustCompile(`^[\w\-]+$`)
	reEntityID      = regexp.MustCompile(`^[a-zA-Z0-9][.a-zA-Z0-9/-]+[a-zA-Z0-9]$`)
	reTag           = regexp.MustCompile(`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)
	reReference     = regexp.MustCompile(`^\$([a-zA-Z]{1,72})\.Entity\.Identifier$`)
	reDetails       = regexp.MustCompile(`^[\s]*\{[\s\S]*\}[\s]*$`)
)

const (
	maxChanges = 20
	maxTags    = 200
)

// checkCatalog requires the AWSMarketplace catalog.
func checkCatalog(c string) error {
	if c != Catalog {
		return errValidationf("Catalog %q is not supported; the catalog is %s.", c, Catalog)
	}
	return nil
}

// checkResourceID checks a change set or entity id of a request.
func checkResourceID(member, id string) error {
	if id == "" || len(id) > 255 || !reResourceID.MatchString(id) {
		return errValidationf("%s %q is not a valid identifier.", member, id)
	}
	return nil
}

// checkTags checks a tag list: 1 to 200 tags of unique keys (1 to 128
// characters) and values (0 to 256 characters) of the model's pattern.
func checkTags(member string, tags []Tag) error {
	if tags == nil {
		return nil
	}
	if len(tags) < 1 || len(tags) > maxTags {
		return errValidationf("%s must have 1 to %d tags.", member, maxTags)
	}
	seen := map[string]bool{}
	for _, t := range tags {
		if err := checkTagKey(member, t.Key); err != nil {
			return err
		}
		if utf8.RuneCountInString(t.Value) > 256 || !reTag.MatchString(t.Value) {
			return errValidationf("%s: the value of tag %q is not valid.", member, t.Key)
		}
		if seen[t.Key] {
			return errValidationf("%s: tag key %q appears more than once.", member, t.Key)
		}
		seen[t.Key] = true
	}
	return nil
}

func checkTagKey(member, k string) error {
	if n := utf8.RuneCountInString(k); n < 1 || n > 128 || !reTag.MatchString(k) {
		return errValidationf("%s: tag key %q is not valid.", member, k)
	}
	if strings.HasPrefix(strings.ToLower(k), "aws:") {
		return errValidationf("%s: tag keys starting with aws: are reserved.", member)
	}
	return nil
}

// parsedChange is a requested change after the checks of the request.
type parsedChange struct {
	typ     *entityType
	handler handler
	details []byte
	doc     bool
	// ref is the change name an Identifier refers to, or "".
	ref string
	id  string // the literal identifier, without revision
}

// checkStart checks a StartChangeSet request against the API's
// constraints and resolves each change's type and handler.
func checkStart(in *StartChangeSetInput) ([]parsedChange, error) {
	if err := checkCatalog(in.Catalog); err != nil {
		return nil, err
	}
	if len(in.ChangeSet) < 1 || len(in.ChangeSet) > maxChanges {
		return nil, errValidationf("A change set has 1 to %d changes; this one has %d.", maxChanges, len(in.ChangeSet))
	}
	switch in.Intent {
	case "", IntentApply, IntentValidate:
	default:
		return nil, errValidationf("Intent %q is not valid; use VALIDATE or APPLY.", in.Intent)
	}
	if in.ChangeSetName != "" && (utf8.RuneCountInString(in.ChangeSetName) > 100 || !reChangeSetName.MatchString(in.ChangeSetName)) {
		return nil, errValidation("ChangeSetName must be 1 to 100 characters of letters, digits, spaces and _+=.:@-.")
	}
	if in.ClientRequestToken != "" && (len(in.ClientRequestToken) > 64 || !reClientToken.MatchString(in.ClientRequestToken)) {
		return nil, errValidation("ClientRequestToken must be 1 to 64 printable ASCII characters.")
	}
	if err := checkTags("ChangeSetTags", in.ChangeSetTags); err != nil {
		return nil, err
	}
	names := map[string]int{}
	targets := map[string]bool{}
	out := make([]parsedChange, len(in.ChangeSet))
	for i := range in.ChangeSet {
		p, err := checkChange(i, &in.ChangeSet[i], names)
		if err != nil {
			return nil, err
		}
		if p.id != "" {
			// "Within a single change set, you can't start the same change
			// type against the same entity multiple times."
			key := in.ChangeSet[i].ChangeType + "\x00" + p.id
			if targets[key] {
				return nil, errValidationf("The change set applies %s to entity %s more than once.", in.ChangeSet[i].ChangeType, p.id)
			}
			targets[key] = true
		}
		out[i] = p
	}
	return out, nil
}

// checkChange checks change i; names maps the names of earlier changes to
// their index.
func checkChange(i int, c *Change, names map[string]int) (parsedChange, error) {
	var p parsedChange
	at := fmt.Sprintf("ChangeSet[%d]", i)
	if !reChangeType.MatchString(c.ChangeType) || len(c.ChangeType) > 255 {
		return p, errValidationf("%s: ChangeType %q is not valid.", at, c.ChangeType)
	}
	if c.Entity.Type == "" {
		return p, errValidationf("%s: Entity.Type is required.", at)
	}
	t, err := parseEntityType(c.Entity.Type, true)
	if err != nil {
		return p, err
	}
	h, ok := handlers[t.name][c.ChangeType]
	if !ok {
		return p, errValidationf("%s: change type %s is not supported for entity type %s.", at, c.ChangeType, t.versioned())
	}
	p.typ, p.handler = t, h
	if c.ChangeName != "" {
		if !reChangeName.MatchString(c.ChangeName) {
			return p, errValidationf("%s: ChangeName %q must be 1 to 72 letters.", at, c.ChangeName)
		}
		if _, dup := names[c.ChangeName]; dup {
			return p, errValidationf("%s: ChangeName %q is used by another change.", at, c.ChangeName)
		}
		names[c.ChangeName] = i
	}
	if err := checkTags(at+".EntityTags", c.EntityTags); err != nil {
		return p, err
	}
	if p.details, p.doc, err = changeDetails(at, c); err != nil {
		return p, err
	}
	return p, checkIdentifier(at, c, h, names, &p)
}

// changeDetails returns the change's details: Details or DetailsDocument,
// a JSON object; a change that gives neither has empty details.
func changeDetails(at string, c *Change) ([]byte, bool, error) {
	hasDoc := len(c.DetailsDocument) > 0 && string(c.DetailsDocument) != "null"
	switch {
	case c.Details != "" && hasDoc:
		return nil, false, errValidationf("%s: give Details or DetailsDocument, not both.", at)
	case hasDoc:
		var obj map[string]json.RawMessage
		if json.Unmarshal(c.DetailsDocument, &obj) != nil {
			return nil, false, errValidationf("%s: DetailsDocument must be a JSON object.", at)
		}
		return c.DetailsDocument, true, nil
	case c.Details != "":
		if len(c.Details) < 2 || len(c.Details) > maxDetails || !reDetails.MatchString(c.Details) {
			return nil, false, errValidationf("%s: Details must be a JSON object of 2 to %d characters.", at, maxDetails)
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal([]byte(c.Details), &obj) != nil {
			return nil, false, errValidationf("%s: Details is not valid JSON.", at)
		}
		return []byte(c.Details), false, nil
	}
	return []byte("{}"), false, nil
}

// checkIdentifier checks the change's entity identifier: none for a
// change that creates its entity, else an id or a reference to an earlier
// change.
func checkIdentifier(at string, c *Change, h handler, names map[string]int, p *parsedChange) error {
	id := c.Entity.Identifier
	if h.creates {
		if id != "" {
			return errValidationf("%s: change type %s creates its entity and takes no Entity.Identifier.", at, c.ChangeType)
		}
		return nil
	}
	if id == "" {
		return errValidationf("%s: Entity.Identifier is required for change type %s.", at, c.ChangeType)
	}
	if m := reReference.FindStringSubmatch(id); m != nil {
		if _, ok := names[m[1]]; !ok {
			return errValidationf("%s: Entity.Identifier refers to %q, which names no earlier change.", at, m[1])
		}
		p.ref = m[1]
		return nil
	}
	if len(id) > 255 || !reIdentifier.MatchString(id) {
		return errValidationf("%s: Entity.Identifier %q is not valid.", at, id)
	}
	p.id, _, _ = strings.Cut(id, "@") // a revision (prod-x@3) names the same entity
	return nil
}

// Intents of a change set.
const (
	IntentApply    = "APPLY"
	IntentValidate = "VALIDATE"
)
