-- 0001_init.sql: articles, themes, organizations, officials, quotes, their
-- links, the full-text index over articles and the schema-version table.
-- Timestamps are RFC 3339 UTC text ("2026-11-28T09:00:00Z"); dates are
-- "YYYY-MM-DD" text, so that text order is time order.

CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

-- Settings that belong to the database rather than to one binary, such as
-- the key that signs pagination cursors (so that every API node serving
-- this database accepts the cursors of the others).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    title        TEXT NOT NULL,
    published    TEXT NOT NULL
                 CHECK (published GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    source       TEXT COLLATE NOCASE,
    url          TEXT UNIQUE,
    language     TEXT NOT NULL DEFAULT 'en' COLLATE NOCASE,
    summary      TEXT NOT NULL,
    -- sha256 of title, published and body: the identity of an article
    -- that has no url, for idempotent imports
    content_hash TEXT NOT NULL,
    -- sha256 of the whole normalized input record: equal means unchanged
    record_hash  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX articles_published ON articles (published, id);
CREATE INDEX articles_title ON articles (title, id);
CREATE INDEX articles_source ON articles (source, published, id);
CREATE INDEX articles_language ON articles (language, published, id);
CREATE INDEX articles_updated ON articles (updated_at, id);
CREATE INDEX articles_content_hash ON articles (content_hash);

-- Bodies live apart, so that a page of the articles table holds many
-- articles and lists, filters and counts read few pages.
CREATE TABLE article_bodies (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    body       TEXT NOT NULL
);

CREATE TABLE themes (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    keywords      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(keywords)),
    article_count INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX themes_name ON themes (name, id);
CREATE INDEX themes_article_count ON themes (article_count, id);
CREATE INDEX themes_updated ON themes (updated_at, id);

-- published is copied from the article so that "the newest articles of a
-- theme" walks one index instead of sorting every article of the theme.
CREATE TABLE article_themes (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    theme_id   INTEGER NOT NULL REFERENCES themes (id) ON DELETE CASCADE,
    published  TEXT NOT NULL,
    score      REAL NOT NULL DEFAULT 1,
    matches    TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (article_id, theme_id)
) WITHOUT ROWID;
CREATE INDEX article_themes_theme ON article_themes (theme_id, published, article_id);

CREATE TABLE organizations (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    norm_name  TEXT NOT NULL,
    parent_id  INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX organizations_norm ON organizations (norm_name, parent_id);
CREATE INDEX organizations_parent ON organizations (parent_id);
CREATE INDEX organizations_name ON organizations (name, id);
CREATE INDEX organizations_updated ON organizations (updated_at, id);

CREATE TABLE officials (
    id              INTEGER PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    norm_name       TEXT NOT NULL UNIQUE,
    title           TEXT,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    -- published date of the article that gave title and organization, so
    -- that an older article imported later does not overwrite them
    title_date      TEXT,
    quote_count     INTEGER NOT NULL DEFAULT 0,
    article_count   INTEGER NOT NULL DEFAULT 0,
    first_seen      TEXT,
    last_seen       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX officials_organization ON officials (organization_id);
CREATE INDEX officials_name ON officials (name, id);
CREATE INDEX officials_quote_count ON officials (quote_count, id);
CREATE INDEX officials_article_count ON officials (article_count, id);
CREATE INDEX officials_last_seen ON officials (last_seen, id);
CREATE INDEX officials_updated ON officials (updated_at, id);

CREATE TABLE quotes (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    official_id     INTEGER NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    published       TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('direct', 'indirect')),
    text            TEXT NOT NULL,
    title           TEXT,
    organization_id INTEGER REFERENCES organizations (id) ON DELETE SET NULL,
    start           INTEGER,
    "end"           INTEGER,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX quotes_article ON quotes (article_id, start);
CREATE INDEX quotes_official ON quotes (official_id, published, id);
CREATE INDEX quotes_published ON quotes (published, id);
CREATE INDEX quotes_organization ON quotes (organization_id, published, id);
CREATE INDEX quotes_updated ON quotes (updated_at, id);

-- Counters kept by triggers, so that lists sorted or filtered by them do
-- not count on every read.
CREATE TRIGGER article_themes_count_ins AFTER INSERT ON article_themes BEGIN
    UPDATE themes SET article_count = article_count + 1,
        updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = NEW.theme_id;
END;
CREATE TRIGGER article_themes_count_del AFTER DELETE ON article_themes BEGIN
    UPDATE themes SET article_count = article_count - 1,
        updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = OLD.theme_id;
END;

CREATE TRIGGER quotes_count_ins AFTER INSERT ON quotes BEGIN
    UPDATE officials SET
        quote_count = quote_count + 1,
        article_count = article_count + NOT EXISTS (
            SELECT 1 FROM quotes
            WHERE article_id = NEW.article_id AND official_id = NEW.official_id
              AND id <> NEW.id),
        first_seen = min(coalesce(first_seen, NEW.published), NEW.published),
        last_seen = max(coalesce(last_seen, NEW.published), NEW.published),
        updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.official_id;
END;
CREATE TRIGGER quotes_count_del AFTER DELETE ON quotes BEGIN
    UPDATE officials SET
        quote_count = (SELECT count(*) FROM quotes WHERE official_id = OLD.official_id),
        article_count = (SELECT count(DISTINCT article_id) FROM quotes
                         WHERE official_id = OLD.official_id),
        first_seen = (SELECT min(published) FROM quotes WHERE official_id = OLD.official_id),
        last_seen = (SELECT max(published) FROM quotes WHERE official_id = OLD.official_id),
        updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = OLD.official_id;
END;
-- a quote moved to another official (a merge): both are counted again
CREATE TRIGGER quotes_count_upd AFTER UPDATE OF official_id ON quotes BEGIN
    UPDATE officials SET
        quote_count = (SELECT count(*) FROM quotes WHERE official_id = NEW.official_id),
        article_count = (SELECT count(DISTINCT article_id) FROM quotes
                         WHERE official_id = NEW.official_id),
        first_seen = (SELECT min(published) FROM quotes WHERE official_id = NEW.official_id),
        last_seen = (SELECT max(published) FROM quotes WHERE official_id = NEW.official_id),
        updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = NEW.official_id;

    UPDATE officials SET
        quote_count = (SELECT count(*) FROM quotes WHERE official_id = OLD.official_id),
        article_count = (SELECT count(DISTINCT article_id) FROM quotes
                         WHERE official_id = OLD.official_id),
        first_seen = (SELECT min(published) FROM quotes WHERE official_id = OLD.official_id),
        last_seen = (SELECT max(published) FROM quotes WHERE official_id = OLD.official_id),
        updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    WHERE id = OLD.official_id;
END;

-- The article's date is copied into its links; keep the copies true.
CREATE TRIGGER articles_published_upd AFTER UPDATE OF published ON articles BEGIN
    UPDATE article_themes SET published = NEW.published WHERE article_id = NEW.id;
    UPDATE quotes SET published = NEW.published WHERE article_id = NEW.id;
END;

-- Full-text index over title and body (external content: the text lives
-- once, in articles and article_bodies, read through the view).  The
-- "gazette" tokenizer is compiled into gazette: English words stemmed by
-- porter ("industries" ~ "industry"), and text without spaces (Chinese,
-- Japanese) as overlapping character pairs.  gazette keeps the index in
-- step when it writes an article's title or body (both tables change, so
-- a trigger on either alone cannot); change them only through gazette.
CREATE VIEW article_text AS
    SELECT a.id AS id, a.title AS title, b.body AS body
    FROM articles a JOIN article_bodies b ON b.article_id = a.id;
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, body,
    content = 'article_text', content_rowid = 'id',
    tokenize = 'gazette'
);

-- Full-text index over quotes, for /v1/quotes?q=, kept in step by gazette
-- as the index of articles is: all the quotes written in a transaction
-- enter it in one statement when it commits (FTS5 writes its pending
-- entries out at every statement of a transaction that opens a savepoint,
-- so a trigger per quote would write a segment per statement).
CREATE VIRTUAL TABLE quotes_fts USING fts5 (
    text,
    content = 'quotes', content_rowid = 'id',
    tokenize = 'gazette'
);

-- API keys for writes.  A key reads "gz_" LOOKUP "_" SECRET: lookup finds
-- the row; only the SHA-256 of the whole key is kept, and compared in
-- constant time.  Revoked keys stay, for the record.
CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    scope      TEXT NOT NULL CHECK (scope IN ('write', 'admin')),
    lookup     TEXT NOT NULL UNIQUE,
    hash       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

-- Other spellings of an official's name, kept when duplicates are merged,
-- so that later imports find the merged official.
CREATE TABLE official_aliases (
    norm_name   TEXT PRIMARY KEY,
    official_id INTEGER NOT NULL REFERENCES officials (id) ON DELETE CASCADE
) WITHOUT ROWID;
