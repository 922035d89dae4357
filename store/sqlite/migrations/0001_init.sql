-- Records: entities by kind and id, with two indexed secondary keys.
CREATE TABLE records (
    kind   TEXT NOT NULL,
    id     TEXT NOT NULL,
    parent TEXT NOT NULL DEFAULT '',
    name   TEXT NOT NULL DEFAULT '',
    body   BLOB NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;
CREATE INDEX records_parent ON records (kind, parent, id);
CREATE INDEX records_name ON records (kind, name, id);

-- Audit events. time_ns is Unix nanoseconds; resources is a JSON array of
-- the resource names, kept for reading back, and event_resources indexes
-- them for lookups by ResourceName.
CREATE TABLE events (
    id            TEXT NOT NULL PRIMARY KEY,
    time_ns       INTEGER NOT NULL,
    account       TEXT NOT NULL,
    name          TEXT NOT NULL,
    source        TEXT NOT NULL,
    username      TEXT NOT NULL,
    access_key_id TEXT NOT NULL,
    read_only     INTEGER NOT NULL,
    resources     TEXT NOT NULL,
    body          BLOB NOT NULL
);
CREATE INDEX events_time ON events (time_ns, id);
CREATE INDEX events_account_time ON events (account, time_ns, id);
CREATE INDEX events_name ON events (account, name, time_ns, id);
CREATE INDEX events_username ON events (account, username, time_ns, id);
CREATE INDEX events_access_key ON events (account, access_key_id, time_ns, id);

CREATE TABLE event_resources (
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    PRIMARY KEY (event_id, name)
) WITHOUT ROWID;
CREATE INDEX event_resources_name ON event_resources (name, event_id);

-- The generation counter: one row.
CREATE TABLE meta (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO meta (id, generation) VALUES (1, 0);
