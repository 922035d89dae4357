-- Full-text search over documents (store.Searcher). search_docs keys a
-- document by kind and id and keeps its title for ordering and its
-- scope for filtering; search_text
-- is the FTS5 index of its texts, rowid = search_docs.doc, with the
-- Porter stemmer; search_attrs holds the exact-match attributes filters
-- and facets use. Every savepoint makes FTS5 flush its pending terms into
-- a new index segment, so the statements indexing a document avoid
-- opening statement journals (no INSERT ... RETURNING, no foreign key on
-- search_attrs): that keeps bulk indexing several times faster. Index and
-- Unindex keep the tables consistent.
CREATE TABLE search_docs (
    doc   INTEGER PRIMARY KEY,
    kind  TEXT NOT NULL,
    id    TEXT NOT NULL,
    title TEXT NOT NULL,
    scope TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE INDEX search_docs_title ON search_docs (kind, title, id, scope);
CREATE INDEX search_docs_scope ON search_docs (kind, scope);

CREATE VIRTUAL TABLE search_text USING fts5 (
    title, short_description, long_description, categories, keywords,
    tokenize = 'porter unicode61'
);

CREATE TABLE search_attrs (
    doc   INTEGER NOT NULL,
    name  TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (name, value, doc)
) WITHOUT ROWID;
CREATE INDEX search_attrs_doc ON search_attrs (doc);
