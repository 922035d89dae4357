-- Full-text search over documents (store.Searcher): one row per document
-- with its title and scope, its weighted tsvector (title A, keywords and categories B, short
-- description C, long description D, English stemming) and its
-- attributes as "name=value" strings, both under GIN indexes.
CREATE TABLE search_docs (
    kind  text COLLATE "C" NOT NULL,
    id    text COLLATE "C" NOT NULL,
    title text COLLATE "C" NOT NULL,
    scope text COLLATE "C" NOT NULL,
    attrs text[] NOT NULL,
    tsv   tsvector NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX search_docs_title ON search_docs (kind, title, id);
CREATE INDEX search_docs_scope ON search_docs (kind, scope);
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv);
CREATE INDEX search_docs_attrs ON search_docs USING GIN (attrs);
