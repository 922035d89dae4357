package sqlstore

import (
	"errors"
	"fmt"
	"strings"

	"gatehouse/store"
)

// Placeholder returns the dialect's placeholder for the n-th argument,
// counting from 1: "?" for SQLite, "$n" for PostgreSQL.
type Placeholder func(n int) string

// builder accumulates WHERE conditions and their arguments.
type builder struct {
	ph    Placeholder
	conds []string
	args  []any
}

// arg adds v to the arguments and returns its placeholder.
func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	return b.ph(len(b.args))
}

func (b *builder) where(cond string) { b.conds = append(b.conds, cond) }

func (b *builder) whereClause() string {
	if len(b.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(b.conds, " AND ")
}

func (b *builder) limit(n int) string {
	if n == 0 {
		return ""
	}
	return " LIMIT " + b.arg(n)
}

// RecordColumns are the columns ListSQL selects, in scan order.
const RecordColumns = "kind, id, parent, name, body"

// ListSQL returns the statement and arguments for Tx.List: records of
// q.Kind filtered by q's other fields, ordered by id.
func ListSQL(q store.Query, ph Placeholder) (string, []any, error) {
	if q.Kind == "" {
		return "", nil, errors.New("store: list needs a kind")
	}
	if q.Limit < 0 {
		return "", nil, fmt.Errorf("store: negative list limit %d", q.Limit)
	}
	b := &builder{ph: ph}
	b.where("kind = " + b.arg(q.Kind))
	if q.Parent != "" {
		b.where("parent = " + b.arg(q.Parent))
	}
	if q.Name != "" {
		b.where("name = " + b.arg(q.Name))
	}
	if q.After != "" {
		b.where("id > " + b.arg(q.After))
	}
	sql := "SELECT " + RecordColumns + " FROM records" + b.whereClause() + " ORDER BY id" + b.limit(q.Limit)
	return sql, b.args, nil
}

// EventColumns are the columns LookupSQL selects, in scan order.
const EventColumns = "e.id, e.time_ns, e.account, e.name, e.source, e.username, e.access_key_id, e.read_only, e.resources, e.body"

// attributeColumns maps LookupEvents attribute names to event columns.
var attributeColumns = map[string]string{
	"EventId":     "e.id",
	"EventName":   "e.name",
	"EventSource": "e.source",
	"Username":    "e.username",
	"AccessKeyId": "e.access_key_id",
}

// LookupSQL returns the statement and arguments for LookupEvents: events
// matching q, newest first, ties broken by descending id.
func LookupSQL(q store.EventQuery, ph Placeholder) (string, []any, error) {
	if q.Limit < 0 {
		return "", nil, fmt.Errorf("store: negative event limit %d", q.Limit)
	}
	b := &builder{ph: ph}
	if q.Account != "" {
		b.where("e.account = " + b.arg(q.Account))
	}
	if err := b.attribute(q.Attribute, q.Value); err != nil {
		return "", nil, err
	}
	if !q.Start.IsZero() {
		b.where("e.time_ns >= " + b.arg(q.Start.UnixNano()))
	}
	if !q.End.IsZero() {
		b.where("e.time_ns <= " + b.arg(q.End.UnixNano()))
	}
	if q.Before != "" {
		t, id, err := store.ParseCursor(q.Before)
		if err != nil {
			return "", nil, err
		}
		b.where("(e.time_ns, e.id) < (" + b.arg(t.UnixNano()) + ", " + b.arg(id) + ")")
	}
	sql := "SELECT " + EventColumns + " FROM events e" + b.whereClause() +
		" ORDER BY e.time_ns DESC, e.id DESC" + b.limit(q.Limit)
	return sql, b.args, nil
}

// attribute adds the condition for one LookupEvents attribute.
func (b *builder) attribute(attr, value string) error {
	switch attr {
	case "":
		return nil
	case "ReadOnly":
		if value != "true" && value != "false" {
			return fmt.Errorf("store: ReadOnly lookup value %q is neither true nor false", value)
		}
		b.where("e.read_only = " + b.arg(value == "true"))
	case "ResourceName":
		b.where("e.id IN (SELECT r.event_id FROM event_resources r WHERE r.name = " + b.arg(value) + ")")
	default:
		col, ok := attributeColumns[attr]
		if !ok {
			return fmt.Errorf("store: unknown lookup attribute %q", attr)
		}
		b.where(col + " = " + b.arg(value))
	}
	return nil
}
