-- Lists naming both a parent and a name (an account's agreements for a
-- product, an organization's OU or policy by name) get an index on both,
-- as in SQLite.
CREATE INDEX records_parent_name ON records (kind, parent, name, id);
