-- Lists naming both a parent and a name (an account's agreements for a
-- product, an organization's OU or policy by name) get an index on both.
CREATE INDEX records_parent_name ON records (kind, parent, name, id);

-- Without statistics SQLite's planner takes "kind = ?" on the primary key
-- to be as selective as any index, and answered every list by parent or
-- name by reading every record of the kind: an account's agreements for
-- a product cost more with each agreement anyone made. These fixed
-- statistics (how SQLite's query planner documentation says to steer
-- plans by hand) describe the shape of the data: a kind has many
-- records, a parent or a name few of them. The planner then uses the
-- index of the keys a list names. ANALYZE sqlite_schema creates the
-- statistics table and, run again, makes the planner reload it.
ANALYZE sqlite_schema;
DELETE FROM sqlite_stat1 WHERE tbl = 'records';
INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES
    ('records', 'records', '1000000 10000 1'),
    ('records', 'records_parent', '1000000 10000 10 1'),
    ('records', 'records_name', '1000000 10000 100 1'),
    ('records', 'records_parent_name', '1000000 10000 10 2 1');
ANALYZE sqlite_schema;
