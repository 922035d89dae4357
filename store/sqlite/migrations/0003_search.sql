-- Full-text search over documents (store.Searcher). search_docs keys a
-- document by kind and id and keeps its title for ordering; search_text
-- is the FTS5 index of its texts, rowid = search_docs.doc, with the
-- Porter stemmer; search_attrs holds the exact-match attributes filters
-- and facets use.
CREATE TABLE search_docs (
    doc   INTEGER PRIMARY KEY,
    kind  TEXT NOT NULL,
    id    TEXT NOT NULL,
    title TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE INDEX search_docs_title ON search_docs (kind, title, id);

CREATE VIRTUAL TABLE search_text USING fts5 (
    title, short_description, long_description, categories, keywords,
    tokenize = 'porter unicode61'
);

CREATE TABLE search_attrs (
    doc   INTEGER NOT NULL REFERENCES search_docs (doc) ON DELETE CASCADE,
    name  TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (name, value, doc)
) WITHOUT ROWID;
CREATE INDEX search_attrs_doc ON search_attrs (doc);
