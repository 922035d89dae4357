-- Text columns use the "C" collation so ids sort and compare by their
-- bytes, as in SQLite, whatever the database's locale: paging with
-- Query.After and event cursors depends on it.

-- Records: entities by kind and id, with two indexed secondary keys.
CREATE TABLE records (
    kind   text COLLATE "C" NOT NULL,
    id     text COLLATE "C" NOT NULL,
    parent text COLLATE "C" NOT NULL DEFAULT '',
    name   text COLLATE "C" NOT NULL DEFAULT '',
    body   bytea NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX records_parent ON records (kind, parent, id);
CREATE INDEX records_name ON records (kind, name, id);

-- Audit events. time_ns is Unix nanoseconds; resources keeps the
-- resource names for reading back, and event_resources indexes them for
-- lookups by ResourceName.
CREATE TABLE events (
    id            text COLLATE "C" PRIMARY KEY,
    time_ns       bigint NOT NULL,
    account       text COLLATE "C" NOT NULL,
    name          text COLLATE "C" NOT NULL,
    source        text COLLATE "C" NOT NULL,
    username      text COLLATE "C" NOT NULL,
    access_key_id text COLLATE "C" NOT NULL,
    read_only     boolean NOT NULL,
    resources     text[] NOT NULL,
    body          bytea NOT NULL
);
CREATE INDEX events_time ON events (time_ns, id);
CREATE INDEX events_account_time ON events (account, time_ns, id);
CREATE INDEX events_name ON events (account, name, time_ns, id);
CREATE INDEX events_username ON events (account, username, time_ns, id);
CREATE INDEX events_access_key ON events (account, access_key_id, time_ns, id);

CREATE TABLE event_resources (
    event_id text COLLATE "C" NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name     text COLLATE "C" NOT NULL,
    PRIMARY KEY (event_id, name)
);
CREATE INDEX event_resources_name ON event_resources (name, event_id);

-- The generation counter: one row.
CREATE TABLE meta (
    id         integer PRIMARY KEY CHECK (id = 1),
    generation bigint NOT NULL
);
INSERT INTO meta (id, generation) VALUES (1, 0);
