/* write.c - storing articles with their themes, quotes, officials and
 * organizations: one savepoint per article inside chunked transactions. */
#include <stdlib.h>
#include <string.h>

#include "gazette/buf.h"
#include "gazette/log.h"
#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "sqlite.h"

/* Pages in the write-ahead log before a commit checkpoints it: SQLite's
 * own default (sqlite3.h does not name it) outside a batch, more within. */
#define WAL_PAGES       1000
#define BATCH_WAL_PAGES 10000

struct sqlite_batch {
    struct store_batch base;
    struct sqlite_store *s;
    struct conn *c;
    int chunk;
    int pending;
    bool broken;  /* the transaction could not be restarted */
    bool changed; /* something was written since the last commit */
    /* an organization was created or given a parent while storing the
     * current article: a change that its own rows do not show */
    bool orgs_changed;
    char now[TIMESTAMP_LEN];
    /* Articles written in this transaction, whose text and quotes enter
     * the full-text indexes just before it commits, in one statement each:
     * FTS5 writes out what it holds at every savepoint, so indexing each
     * article as it is written would cost a segment per statement. */
    int64_t *unindexed;
    size_t nunindexed, unindexed_cap;
};

static const char *
str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

enum slug_table { SLUG_ARTICLES, SLUG_OFFICIALS, SLUG_ORGANIZATIONS };

/* Writes into out a slug based on base that no other row of the table
 * uses (self may keep its own).  Slugs are never all digits, so that a
 * path segment is either an id or a slug. */
static enum err
unique_slug(struct conn *c, enum slug_table table, const char *base, const char *fallback,
            int64_t self, struct buf *out, struct err_info *ei)
{
    static const char *const sql[] = {
        [SLUG_ARTICLES] = "SELECT id FROM articles WHERE slug = ?1 AND id <> ?2",
        [SLUG_OFFICIALS] = "SELECT id FROM officials WHERE slug = ?1 AND id <> ?2",
        [SLUG_ORGANIZATIONS] =
            "SELECT id FROM organizations WHERE slug = ?1 AND id <> ?2",
    };
    struct buf stem;

    buf_init(&stem);
    slugify(&stem, base, 80);
    if (stem.len == 0 || all_digits(stem.data)) {
        buf_reset(&stem);
        buf_adds(&stem, fallback);
        if (all_digits(base)) {
            buf_addc(&stem, '-');
            buf_adds(&stem, base);
        }
    }
    for (int n = 1; n < 1000; n++) {
        int64_t other;
        bool taken;

        buf_reset(out);
        buf_adds(out, stem.data);
        if (n > 1)
            buf_addf(out, "-%d", n);
        if (conn_query_row(c, ei, &other, NULL, &taken, sql[table], "ti", out->data,
                           self) != ERR_OK)
            break;
        if (!taken)
            break;
    }
    buf_release(&stem);
    return ei->code;
}

/* ERR_CONFLICT if an article other than self has slug. */
static enum err
slug_taken(struct conn *c, const char *slug, int64_t self, struct err_info *ei)
{
    int64_t other;
    bool found;

    if (conn_query_row(c, ei, &other, NULL, &found,
                       "SELECT id FROM articles WHERE slug = ?1 AND id <> ?2", "ti", slug,
                       self) == ERR_OK &&
        found)
        err_set(ei, ERR_CONFLICT,
                "the slug %s is taken by article %lld; choose another, or leave slug out "
                "for one made from the title",
                slug, (long long)other);
    return ei->code;
}

/* The id of the organization described by org ({"name", "parent"}),
 * created if new.  *id is 0 for a null org. */
static enum err
org_upsert(struct sqlite_batch *b, const json_t *org, int64_t *id, struct err_info *ei)
{
    const char *name = str(org, "name");
    const json_t *parent = json_object_get(org, "parent");
    int64_t parent_id = 0;
    struct buf norm, slug;
    bool found;

    *id = 0;
    if (name == NULL)
        return ERR_OK;
    if (json_is_object(parent) && org_upsert(b, parent, &parent_id, ei) != ERR_OK)
        return ei->code;
    buf_init(&norm);
    buf_init(&slug);
    name_normalize(&norm, name);
    /* The same name under the same parent is one organization.  A mention
     * without a parent matches any organization of that name, and a
     * mention with a parent completes one that had none. */
    if (parent_id != 0)
        conn_query_row(
            b->c, ei, id, NULL, &found,
            "SELECT id FROM organizations WHERE norm_name = ?1 AND parent_id = ?2", "ti",
            norm.data, parent_id);
    else
        conn_query_row(b->c, ei, id, NULL, &found,
                       "SELECT id FROM organizations WHERE norm_name = ?1"
                       " ORDER BY parent_id IS NOT NULL, id LIMIT 1",
                       "t", norm.data);
    if (ei->code != ERR_OK || found)
        goto out;
    if (parent_id != 0) {
        conn_query_row(
            b->c, ei, id, NULL, &found,
            "SELECT id FROM organizations WHERE norm_name = ?1 AND parent_id IS NULL"
            " ORDER BY id LIMIT 1",
            "t", norm.data);
        if (ei->code == ERR_OK && found && *id != parent_id) {
            b->orgs_changed = true;
            conn_run(b->c, ei,
                     "UPDATE organizations SET parent_id = ?1, updated_at = ?2"
                     " WHERE id = ?3",
                     "iti", parent_id, b->now, *id);
            goto out;
        }
    }
    if (unique_slug(b->c, SLUG_ORGANIZATIONS, name, "organization", 0, &slug, ei) !=
        ERR_OK)
        goto out;
    b->orgs_changed = true;
    conn_query_row(
        b->c, ei, id, NULL, &found,
        "INSERT INTO organizations (slug, name, norm_name, parent_id, created_at,"
        " updated_at) VALUES (?1, ?2, ?3, nullif(?4, 0), ?5, ?5) RETURNING id",
        "tttit", slug.data, name, norm.data, parent_id, b->now);
out:
    buf_release(&norm);
    buf_release(&slug);
    return ei->code;
}

/* The id of the official of that name, created if new. */
static enum err
official_upsert(struct sqlite_batch *b, const char *name, int64_t *id,
                struct err_info *ei)
{
    struct buf norm, slug;
    bool found;

    buf_init(&norm);
    buf_init(&slug);
    name_normalize(&norm, name);
    if (norm.len == 0) {
        err_set(ei, ERR_INVALID, "an official's name has no letters");
        goto out;
    }
    if (conn_query_row(
            b->c, ei, id, NULL, &found,
            "SELECT id FROM officials WHERE norm_name = ?1"
            " UNION ALL SELECT official_id FROM official_aliases WHERE norm_name = ?1"
            " LIMIT 1",
            "t", norm.data) != ERR_OK ||
        found)
        goto out;
    if (unique_slug(b->c, SLUG_OFFICIALS, name, "official", 0, &slug, ei) != ERR_OK)
        goto out;
    conn_query_row(b->c, ei, id, NULL, &found,
                   "INSERT INTO officials (slug, name, norm_name, created_at, updated_at)"
                   " VALUES (?1, ?2, ?3, ?4, ?4) RETURNING id",
                   "tttt", slug.data, name, norm.data, b->now);
out:
    buf_release(&norm);
    buf_release(&slug);
    return ei->code;
}

static enum err
put_quote(struct sqlite_batch *b, int64_t article_id, const char *published,
          const json_t *q, struct err_info *ei)
{
    const json_t *official = json_object_get(q, "official");
    const json_t *org = json_object_get(q, "organization");
    const char *title = str(q, "title");
    const json_t *start = json_object_get(q, "start"), *end = json_object_get(q, "end");
    int64_t official_id, org_id = 0;

    if (official_upsert(b, str(official, "name"), &official_id, ei) != ERR_OK)
        return ei->code;
    if (json_is_object(org) && org_upsert(b, org, &org_id, ei) != ERR_OK)
        return ei->code;
    if (conn_run(
            b->c, ei,
            "INSERT INTO quotes (article_id, official_id, published, kind, text, title,"
            " organization_id, start, \"end\", created_at, updated_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, nullif(?7, 0), nullif(?8, -1),"
            " nullif(?9, -1), ?10, ?10)",
            "iittttiiit", article_id, official_id, published, str(q, "kind"),
            str(q, "text"), title, org_id,
            json_is_integer(start) ? (int64_t)json_integer_value(start) : (int64_t)-1,
            json_is_integer(end) ? (int64_t)json_integer_value(end) : (int64_t)-1,
            b->now) != ERR_OK)
        return ei->code;
    if (title == NULL && org_id == 0)
        return ERR_OK;
    /* the official keeps the title of the latest article that states one */
    return conn_run(b->c, ei,
                    "UPDATE officials SET title = ?1, organization_id = nullif(?2, 0),"
                    " title_date = ?3, updated_at = ?4"
                    " WHERE id = ?5 AND (title_date IS NULL OR title_date <= ?3)",
                    "titti", title, org_id, published, b->now, official_id);
}

/* Links the article to the theme t ({"slug", "name"?, "score"?,
 * "matches"?}), the theme created if new; *theme_id gets its id.  A link
 * the article has keeps the score and matches that t leaves out, so that
 * an article sent back as GET shows it (themes without either) stays as
 * it was. */
static enum err
put_theme(struct sqlite_batch *b, int64_t article_id, const char *published,
          const json_t *t, int64_t *theme_id, struct err_info *ei)
{
    const char *slug = str(t, "slug"), *name = str(t, "name");
    const json_t *score = json_object_get(t, "score");
    json_t *matches = json_object_get(t, "matches");
    double score_value = json_number_value(score);
    char *matches_text;
    bool found;

    if (conn_query_row(b->c, ei, theme_id, NULL, &found,
                       "SELECT id FROM themes WHERE slug = ?1", "t", slug) != ERR_OK)
        return ei->code;
    if (!found &&
        conn_query_row(b->c, ei, theme_id, NULL, &found,
                       "INSERT INTO themes (slug, name, created_at, updated_at)"
                       " VALUES (?1, ?2, ?3, ?3) RETURNING id",
                       "ttt", slug, name != NULL ? name : slug, b->now) != ERR_OK)
        return ei->code;
    matches_text = json_is_array(matches) ? json_dumps(matches, JSON_COMPACT) : NULL;
    conn_run(
        b->c, ei,
        "INSERT INTO article_themes (article_id, theme_id, published, score, matches)"
        " VALUES (?1, ?2, ?3, coalesce(?4, 1), coalesce(?5, '[]'))"
        " ON CONFLICT (article_id, theme_id) DO UPDATE SET"
        " published = excluded.published, score = coalesce(?4, score),"
        " matches = coalesce(?5, matches)",
        "iitnt", article_id, *theme_id, published,
        json_is_number(score) ? &score_value : NULL, matches_text);
    free(matches_text);
    return ei->code;
}

/* Writes the themes and quotes of article id.  A replaced article has
 * kept its theme links (see put_theme) and lost its quotes: the links to
 * themes that a is without go here. */
static enum err
put_links(struct sqlite_batch *b, int64_t id, const char *published, const json_t *a,
          bool replacing, struct err_info *ei)
{
    struct buf themes;
    int64_t theme_id;
    size_t i;
    json_t *v;

    buf_init(&themes);
    buf_addc(&themes, '[');
    json_array_foreach (json_object_get(a, "themes"), i, v) {
        if (put_theme(b, id, published, v, &theme_id, ei) != ERR_OK)
            goto out;
        buf_addf(&themes, "%s%lld", i ? "," : "", (long long)theme_id);
    }
    buf_addc(&themes, ']');
    if (replacing && conn_run(b->c, ei,
                              "DELETE FROM article_themes WHERE article_id = ?1"
                              " AND theme_id NOT IN (SELECT value FROM json_each(?2))",
                              "it", id, themes.data) != ERR_OK)
        goto out;
    json_array_foreach (json_object_get(a, "quotes"), i, v) {
        if (put_quote(b, id, published, v, ei) != ERR_OK)
            goto out;
    }
out:
    buf_release(&themes);
    return ei->code;
}

/* What storing an article may change, as text to compare: its row but for
 * the record digest and the times (the body counts through the content
 * digest), its theme links, and its quotes in the order GET shows them but
 * for their ids and times, with the parent of each quote's organization. */
static enum err
article_state(struct conn *c, int64_t id, struct buf *out, struct err_info *ei)
{
    int64_t one;
    bool found;

    buf_reset(out);
    return conn_query_row(
        c, ei, &one, out, &found,
        "SELECT 1, json_array(a.slug, a.title, a.published, a.source, a.url, a.language,"
        " a.summary, a.content_hash,"
        " (SELECT json_group_array(json(l)) FROM (SELECT json_array(theme_id, score,"
        "  matches, published) AS l FROM article_themes WHERE article_id = ?1"
        "  ORDER BY theme_id)),"
        " (SELECT json_group_array(json(l)) FROM (SELECT json_array(q.official_id,"
        "  q.kind, q.text, q.title, q.organization_id, g.parent_id, q.start, q.\"end\","
        "  q.published) AS l FROM quotes q"
        "  LEFT JOIN organizations g ON g.id = q.organization_id"
        "  WHERE q.article_id = ?1 ORDER BY q.start, q.id)))"
        " FROM articles a WHERE a.id = ?1",
        "i", id);
}

/* Keeps the replacement of article id (begun with SAVEPOINT replace after
 * its state was read into before) only if it changed something; else it
 * is rolled back, so that the quotes keep their ids, the article its
 * updated_at and the data its generation.  written: the articles to index
 * before it. */
static enum err
replace_end(struct sqlite_batch *b, int64_t id, const struct buf *before, size_t written,
            enum put_outcome *outcome, struct err_info *ei)
{
    struct buf after;

    buf_init(&after);
    if (article_state(b->c, id, &after, ei) == ERR_OK && !b->orgs_changed &&
        strcmp(before->data, after.data) == 0 &&
        conn_exec(b->c, "ROLLBACK TO replace", ei) == ERR_OK) {
        *outcome = PUT_UNCHANGED;
        b->nunindexed = written;
    }
    if (ei->code == ERR_OK)
        conn_exec(b->c, "RELEASE replace", ei);
    buf_release(&after);
    return ei->code;
}

struct existing {
    bool found;
    int64_t id;
    struct buf record_hash, source, url;
    bool has_source, has_url;
};

static enum err
existing_load(struct sqlite_batch *b, struct existing *ex, const char *sql,
              const char *key, struct err_info *ei)
{
    sqlite3_stmt *st = conn_prepare(b->c, sql, ei);
    int rc;

    if (st == NULL)
        return ei->code;
    bind_text(st, 1, key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        ex->found = true;
        ex->id = sqlite3_column_int64(st, 0);
        buf_adds(&ex->record_hash, (const char *)sqlite3_column_text(st, 1));
        ex->has_source = sqlite3_column_type(st, 2) != SQLITE_NULL;
        if (ex->has_source)
            buf_adds(&ex->source, (const char *)sqlite3_column_text(st, 2));
        ex->has_url = sqlite3_column_type(st, 3) != SQLITE_NULL;
        if (ex->has_url)
            buf_adds(&ex->url, (const char *)sqlite3_column_text(st, 3));
    } else if (rc != SQLITE_DONE) {
        conn_fail(b->c, ei);
    }
    stmt_done(st);
    return ei->code;
}

/* Finds the stored article that a record describes: by url when it has
 * one, else by its content. */
static enum err
find_existing(struct sqlite_batch *b, const char *url, const char *content_hash,
              struct existing *ex, struct err_info *ei)
{
#define EXISTING_COLS "SELECT id, record_hash, source, url FROM articles"
    if (url != NULL &&
        (existing_load(b, ex, EXISTING_COLS " WHERE url = ?1", url, ei) != ERR_OK ||
         ex->found))
        return ei->code;
    return existing_load(b, ex,
                         url != NULL ? EXISTING_COLS
                             " WHERE content_hash = ?1 AND url IS NULL"
                             " ORDER BY id LIMIT 1"
                                     : EXISTING_COLS " WHERE content_hash = ?1"
                                                     " ORDER BY id LIMIT 1",
                         content_hash, ei);
#undef EXISTING_COLS
}

/* The record digest to compare with the stored one: an import keeps the
 * source and url that a poorer record leaves out; a replace does not. */
static const char *
record_digest(const json_t *a, const struct existing *ex, const char *given,
              const char *content, char merged[DIGEST_HEX_LEN + 1])
{
    if (ex == NULL || !ex->found ||
        !((ex->has_source && json_is_null(json_object_get(a, "source"))) ||
          (ex->has_url && json_is_null(json_object_get(a, "url")))))
        return given;
    store_record_digest(a, content, ex->has_source ? ex->source.data : NULL,
                        ex->has_url ? ex->url.data : NULL, merged);
    return merged;
}

static bool
unindexed(const struct sqlite_batch *b, int64_t id)
{
    for (size_t i = 0; i < b->nunindexed; i++)
        if (b->unindexed[i] == id)
            return true;
    return false;
}

/* Indexes the text and the quotes of the articles written since the last
 * time. */
static enum err
index_written(struct sqlite_batch *b, struct err_info *ei)
{
    struct buf ids;

    if (b->nunindexed == 0)
        return ERR_OK;
    buf_init(&ids);
    for (size_t i = 0; i < b->nunindexed; i++)
        buf_addf(&ids, "%c%lld", i ? ',' : '[', (long long)b->unindexed[i]);
    buf_addc(&ids, ']');
    if (conn_run(b->c, ei,
                 "INSERT INTO articles_fts (rowid, title, body)"
                 " SELECT id, title, body FROM article_text"
                 " WHERE id IN (SELECT value FROM json_each(?1))",
                 "t", ids.data) == ERR_OK)
        conn_run(b->c, ei,
                 "INSERT INTO quotes_fts (rowid, text) SELECT id, text FROM quotes"
                 " WHERE article_id IN (SELECT value FROM json_each(?1))",
                 "t", ids.data);
    buf_release(&ids);
    b->nunindexed = 0;
    return ei->code;
}

/* Takes the text and the quotes of an indexed article out of the indexes,
 * before they change or go. */
static enum err
unindex(struct conn *c, int64_t id, struct err_info *ei)
{
    if (conn_run(c, ei,
                 "INSERT INTO articles_fts (articles_fts, rowid, title, body)"
                 " SELECT 'delete', id, title, body FROM article_text WHERE id = ?1",
                 "i", id) == ERR_OK)
        conn_run(c, ei,
                 "INSERT INTO quotes_fts (quotes_fts, rowid, text)"
                 " SELECT 'delete', id, text FROM quotes WHERE article_id = ?1",
                 "i", id);
    return ei->code;
}

static enum err
put_article(struct sqlite_batch *b, const json_t *a,
            const struct article_digests *digests, int64_t target,
            enum put_outcome *outcome, int64_t *id, struct err_info *ei)
{
    const char *title = str(a, "title"), *published = str(a, "published");
    const char *body = str(a, "body"), *url = str(a, "url"), *slug_in = str(a, "slug");
    const char *chash, *rhash;
    char merged[DIGEST_HEX_LEN + 1];
    struct article_digests own;
    struct buf slug, before;
    struct existing ex = {0};
    size_t written = b->nunindexed;
    bool found;

    if (digests == NULL) {
        store_article_digests(a, &own);
        digests = &own;
    }
    chash = digests->content;
    b->orgs_changed = false;
    buf_init(&slug);
    buf_init(&before);
    buf_init(&ex.record_hash);
    buf_init(&ex.source);
    buf_init(&ex.url);
    if (find_existing(b, url, chash, &ex, ei) != ERR_OK)
        goto out;
    if (target != 0 && ex.found && ex.id != target) {
        err_set(ei, ERR_CONFLICT,
                "article %lld already has this %s; change that one, or delete it first",
                (long long)ex.id, url != NULL ? "url" : "title, date and body");
        goto out;
    }
    if (target > 0 && !ex.found) {
        char key[24];

        snprintf(key, sizeof(key), "%lld", (long long)target);
        if (existing_load(b, &ex,
                          "SELECT id, record_hash, source, url FROM articles"
                          " WHERE id = CAST(?1 AS INTEGER)",
                          key, ei) != ERR_OK)
            goto out;
    }
    rhash = record_digest(a, target == 0 ? &ex : NULL, digests->record, chash, merged);
    *id = ex.id;
    if (ex.found && strcmp(ex.record_hash.data, rhash) == 0) {
        *outcome = PUT_UNCHANGED;
        goto out;
    }
    if (slug_in != NULL && target != 0) {
        /* a slug the client chose names the article as given or not at
         * all: a link to it must not lead to another one */
        if (slug_taken(b->c, slug_in, ex.id, ei) != ERR_OK)
            goto out;
        buf_adds(&slug, slug_in);
    } else if (slug_in != NULL || !ex.found) {
        if (unique_slug(b->c, SLUG_ARTICLES, slug_in != NULL ? slug_in : title, "article",
                        ex.id, &slug, ei) != ERR_OK)
            goto out;
    }
    if (ex.found) {
        *outcome = PUT_UPDATED;
        /* a record unlike the stored one may still store the same (an
         * article as GET shows it, sent back): replace_end() tells */
        if (article_state(b->c, *id, &before, ei) != ERR_OK ||
            conn_exec(b->c, "SAVEPOINT replace", ei) != ERR_OK)
            goto out;
        /* the indexes forget the old text before the rows change (unless
         * it has not been indexed yet) */
        if ((!unindexed(b, *id) && unindex(b->c, *id, ei) != ERR_OK) ||
            conn_run(b->c, ei, "DELETE FROM quotes WHERE article_id = ?1", "i", *id) !=
                ERR_OK ||
            conn_run(b->c, ei,
                     target == 0
                         ? "UPDATE articles SET slug = coalesce(?1, slug), title = ?2,"
                           " published = ?3, source = coalesce(?4, source),"
                           " url = coalesce(?5, url), language = ?6, summary = ?7,"
                           " content_hash = ?8, record_hash = ?9, updated_at = ?10 "
                           "WHERE id = ?11"
                         : "UPDATE articles SET slug = coalesce(?1, slug), title = ?2,"
                           " published = ?3, source = ?4, url = ?5, language = ?6, "
                           "summary = ?7,"
                           " content_hash = ?8, record_hash = ?9, updated_at = ?10 "
                           "WHERE id = ?11",
                     "tttttttttti", slug.len ? slug.data : NULL, title, published,
                     str(a, "source"), url, str(a, "language"), str(a, "summary"), chash,
                     rhash, b->now, *id) != ERR_OK ||
            conn_run(b->c, ei,
                     "UPDATE article_bodies SET body = ?1 WHERE article_id = ?2", "ti",
                     body, *id) != ERR_OK)
            goto out;
    } else {
        *outcome = PUT_INSERTED;
        if (conn_query_row(
                b->c, ei, id, NULL, &found,
                /* numbered after every article there is or was: an id
                 * deleted is not given again (migration 0007) */
                "INSERT INTO articles (id, slug, title, published, source, url,"
                " language, summary, content_hash, record_hash, created_at, updated_at)"
                " VALUES (max(coalesce((SELECT max(id) FROM articles), 0),"
                " coalesce((SELECT CAST(value AS INTEGER) FROM meta"
                " WHERE key = 'articles_deleted_id'), 0)) + 1,"
                " ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)"
                " RETURNING id",
                "tttttttttt", slug.data, title, published, str(a, "source"), url,
                str(a, "language"), str(a, "summary"), chash, rhash, b->now) != ERR_OK ||
            conn_run(b->c, ei,
                     "INSERT INTO article_bodies (article_id, body) VALUES (?1, ?2)",
                     "it", *id, body) != ERR_OK)
            goto out;
    }
    if (put_links(b, *id, published, a, ex.found, ei) != ERR_OK)
        goto out;
    if (!unindexed(b, *id)) {
        if (b->nunindexed == b->unindexed_cap) {
            b->unindexed_cap = b->unindexed_cap ? 2 * b->unindexed_cap : 64;
            b->unindexed =
                xrealloc(b->unindexed, b->unindexed_cap * sizeof(*b->unindexed));
        }
        b->unindexed[b->nunindexed++] = *id;
    }
    if (ex.found)
        replace_end(b, *id, &before, written, outcome, ei);
out:
    buf_release(&slug);
    buf_release(&before);
    buf_release(&ex.record_hash);
    buf_release(&ex.source);
    buf_release(&ex.url);
    return ei->code;
}

/* Commits, counting a change of the data when there was one. */
static enum err
batch_commit(struct sqlite_batch *b, struct err_info *ei)
{
    if (index_written(b, ei) != ERR_OK ||
        (b->changed && generation_bump(b->c, ei) != ERR_OK))
        return ei->code;
    b->changed = false;
    if (conn_exec(b->c, "COMMIT", ei) == ERR_OK) {
        b->pending = 0;
        atomic_fetch_add(&b->s->epoch, 1);
    }
    return ei->code;
}

enum err
sqlite_batch_put(struct store_batch *bp, const json_t *article,
                 const struct article_digests *digests, enum put_outcome *outcome,
                 int64_t *id, struct err_info *ei)
{
    struct sqlite_batch *b = (struct sqlite_batch *)bp;
    struct err_info ignore = {0};

    *id = 0;
    *outcome = PUT_UNCHANGED;
    if (b->broken)
        return err_set(ei, ERR_STORE, "the import transaction was lost");
    timestamp_now(b->now);
    if (conn_exec(b->c, "SAVEPOINT article", ei) != ERR_OK)
        return ei->code;
    size_t written = b->nunindexed;
    if (put_article(b, article, digests, 0, outcome, id, ei) != ERR_OK) {
        b->nunindexed = written;
        conn_exec(b->c, "ROLLBACK TO article", &ignore);
        conn_exec(b->c, "RELEASE article", &ignore);
        *id = 0;
        return ei->code;
    }
    if (conn_exec(b->c, "RELEASE article", ei) != ERR_OK)
        return ei->code;
    b->changed = b->changed || *outcome != PUT_UNCHANGED;
    if (++b->pending >= b->chunk) {
        if (batch_commit(b, ei) != ERR_OK) {
            b->pending--; /* this one is reported as failed */
            b->broken = sqlite3_get_autocommit(b->c->db) != 0;
            return ei->code;
        }
        /* this one is stored; the next one fails if no new transaction */
        b->broken = conn_exec(b->c, "BEGIN IMMEDIATE", &ignore) != ERR_OK;
    }
    return ERR_OK;
}

enum err
sqlite_batch_begin(struct store *stp, int chunk, struct store_batch **out,
                   struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    struct sqlite_batch *b;
    struct conn *c;

    *out = NULL;
    if (writer_acquire(s, &c, ei) != ERR_OK)
        return ei->code;
    if (conn_exec(c, "BEGIN IMMEDIATE", ei) != ERR_OK) {
        writer_release(s);
        return ei->code;
    }
    /* Fewer checkpoints in a bulk write, each copying a page once however
     * many chunks rewrote it (the indexes' pages are rewritten by every
     * chunk): +8 % on an import of 20,000 articles (bench/run), for a
     * write-ahead log of up to 40 MB (SQLite's default is 4 MB). */
    sqlite3_wal_autocheckpoint(c->db, BATCH_WAL_PAGES);
    b = xcalloc(1, sizeof(*b));
    b->base.ops = s->base.ops;
    b->s = s;
    b->c = c;
    b->chunk = chunk > 0 ? chunk : 1;
    *out = &b->base;
    return ERR_OK;
}

long
sqlite_batch_uncommitted(const struct store_batch *bp)
{
    return ((const struct sqlite_batch *)bp)->pending;
}

enum err
sqlite_batch_end(struct store_batch *bp, struct err_info *ei)
{
    struct sqlite_batch *b = (struct sqlite_batch *)bp;

    if (sqlite3_get_autocommit(b->c->db) == 0) {
        if (batch_commit(b, ei) != ERR_OK) {
            struct err_info ignore = {0};

            conn_exec(b->c, "ROLLBACK", &ignore);
        }
    } else if (b->pending > 0 && ei->code == ERR_OK) {
        /* SQLite rolled the transaction back after an error */
        err_set(ei, ERR_STORE, "the transaction was rolled back");
    }
    sqlite3_wal_autocheckpoint(b->c->db, WAL_PAGES);
    writer_release(b->s);
    free(b->unindexed);
    free(b);
    return ei->code;
}

/* The id of the article named by ident (an id or a slug). */
static enum err
article_id(struct conn *c, const char *ident, int64_t *id, struct err_info *ei)
{
    bool found;

    if (conn_query_row(c, ei, id, NULL, &found,
                       all_digits(ident)
                           ? "SELECT id FROM articles WHERE id = CAST(?1 AS INTEGER)"
                           : "SELECT id FROM articles WHERE slug = ?1",
                       "t", ident) == ERR_OK &&
        !found)
        err_set(ei, ERR_NOT_FOUND, "no article %s %s",
                all_digits(ident) ? "with id" : "named", ident);
    return ei->code;
}

enum err
sqlite_article_save(struct store *stp, const json_t *article, const char *ident,
                    enum put_outcome *outcome, int64_t *id, struct err_info *ei)
{
    struct sqlite_batch b = {.s = SQLITE_STORE(stp)};
    int64_t target = -1; /* create: no article may match */

    *id = 0;
    *outcome = PUT_UNCHANGED;
    if (write_begin(b.s, &b.c, ei) != ERR_OK)
        return ei->code;
    timestamp_now(b.now);
    if ((ident == NULL || article_id(b.c, ident, &target, ei) == ERR_OK) &&
        put_article(&b, article, NULL, target, outcome, id, ei) == ERR_OK)
        index_written(&b, ei);
    free(b.unindexed);
    return write_end(b.s, b.c, *outcome != PUT_UNCHANGED, ei);
}

enum err
sqlite_article_delete(struct store *stp, const char *ident, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    struct conn *c;
    int64_t id;

    if (write_begin(s, &c, ei) != ERR_OK)
        return ei->code;
    /* the indexes forget the text first; the rows' links go with the row */
    if (article_id(c, ident, &id, ei) == ERR_OK && unindex(c, id, ei) == ERR_OK)
        conn_run(c, ei, "DELETE FROM articles WHERE id = ?1", "i", id);
    return write_end(s, c, true, ei);
}

/* The id of the official named by ident (an id or a slug). */
static enum err
official_id(struct conn *c, const char *ident, int64_t *id, struct err_info *ei)
{
    bool found;

    if (conn_query_row(c, ei, id, NULL, &found,
                       all_digits(ident)
                           ? "SELECT id FROM officials WHERE id = CAST(?1 AS INTEGER)"
                           : "SELECT id FROM officials WHERE slug = ?1",
                       "t", ident) == ERR_OK &&
        !found)
        err_set(ei, ERR_NOT_FOUND, "no official %s %s",
                all_digits(ident) ? "with id" : "named", ident);
    return ei->code;
}

/* Renames official id, unless the name is another official's. */
static enum err
official_rename(struct sqlite_batch *b, int64_t id, const char *name, struct err_info *ei)
{
    struct buf norm;
    int64_t other;
    bool found;

    buf_init(&norm);
    name_normalize(&norm, name);
    if (norm.len == 0)
        err_set(ei, ERR_INVALID, "the name has no letters");
    else if (conn_query_row(b->c, ei, &other, NULL, &found,
                            "SELECT id FROM officials WHERE norm_name = ?1 AND id <> ?2"
                            " UNION ALL SELECT official_id FROM official_aliases"
                            " WHERE norm_name = ?1 AND official_id <> ?2 LIMIT 1",
                            "ti", norm.data, id) == ERR_OK &&
             found)
        err_set(ei, ERR_CONFLICT,
                "official %lld already has this name; merge the two with POST "
                "/v1/officials/%lld/merge",
                (long long)other, (long long)id);
    else if (conn_run(
                 b->c, ei,
                 /* the name it had stays its own, as a merged one does, so
                  * that an article that still spells it so (imported
                  * again, or its body changed) does not make it anew */
                 "INSERT OR REPLACE INTO official_aliases (norm_name, official_id)"
                 " SELECT norm_name, id FROM officials WHERE id = ?1 AND norm_name <> ?2",
                 "it", id, norm.data) == ERR_OK)
        conn_run(
            b->c, ei,
            "UPDATE officials SET name = ?1, norm_name = ?2, updated_at = ?3 WHERE id = "
            "?4",
            "ttti", name, norm.data, b->now, id);
    buf_release(&norm);
    return ei->code;
}

/* The official as the API shows it, after a write has committed. */
static enum err
official_after(struct store *stp, int64_t id, json_t **out, struct err_info *ei)
{
    char key[24];

    if (ei->code != ERR_OK)
        return ei->code;
    snprintf(key, sizeof(key), "%lld", (long long)id);
    return sqlite_get(stp, RES_OFFICIALS, key, 0, out, ei);
}

enum err
sqlite_official_update(struct store *stp, const char *ident, const json_t *changes,
                       json_t **out, struct err_info *ei)
{
    struct sqlite_batch b = {.s = SQLITE_STORE(stp)};
    const json_t *name = json_object_get(changes, "name");
    const json_t *title = json_object_get(changes, "title");
    const json_t *org = json_object_get(changes, "organization");
    int64_t id = 0, org_id = 0;

    *out = NULL;
    if (write_begin(b.s, &b.c, ei) != ERR_OK)
        return ei->code;
    timestamp_now(b.now);
    if (official_id(b.c, ident, &id, ei) != ERR_OK)
        goto out;
    if (json_is_string(name) &&
        official_rename(&b, id, json_string_value(name), ei) != ERR_OK)
        goto out;
    /* a correction stands until an article newer than the latest one so
     * far states another title: its date is "YYYY-MM-DD corrected", which
     * sorts after every article of that day (an article stating a title
     * replaces it when its date is not older) and before the next day */
    if (title != NULL &&
        conn_run(
            b.c, ei,
            "UPDATE officials SET title = ?1, title_date = last_seen || ' corrected',"
            " updated_at = ?2 WHERE id = ?3",
            "tti", json_string_value(title), b.now, id) != ERR_OK)
        goto out;
    if (org != NULL) {
        if (json_is_object(org) && org_upsert(&b, org, &org_id, ei) != ERR_OK)
            goto out;
        conn_run(b.c, ei,
                 "UPDATE officials SET organization_id = nullif(?1, 0),"
                 " title_date = last_seen || ' corrected', updated_at = ?2 WHERE id = ?3",
                 "iti", org_id, b.now, id);
    }
out:
    write_end(b.s, b.c, true, ei);
    return official_after(stp, id, out, ei);
}

/* Merges official dup into official id: quotes first (the counters
 * follow), then the names, then the row. */
static enum err
official_merge_one(struct sqlite_batch *b, int64_t id, int64_t dup, struct err_info *ei)
{
    /* the moved quotes, and the articles that show them, have changed:
     * updated_since must list them */
    if (conn_run(b->c, ei,
                 "UPDATE articles SET updated_at = ?1 WHERE id IN"
                 " (SELECT article_id FROM quotes WHERE official_id = ?2)",
                 "ti", b->now, dup) != ERR_OK ||
        conn_run(
            b->c, ei,
            "UPDATE quotes SET official_id = ?1, updated_at = ?2 WHERE official_id = ?3",
            "iti", id, b->now, dup) != ERR_OK ||
        conn_run(b->c, ei,
                 "UPDATE official_aliases SET official_id = ?1 WHERE official_id = ?2",
                 "ii", id, dup) != ERR_OK ||
        conn_run(b->c, ei,
                 "INSERT OR REPLACE INTO official_aliases (norm_name, official_id)"
                 " SELECT norm_name, ?1 FROM officials WHERE id = ?2",
                 "ii", id, dup) != ERR_OK ||
        conn_run(b->c, ei, "DELETE FROM officials WHERE id = ?1", "i", dup) != ERR_OK)
        return ei->code;
    return conn_run(b->c, ei, "UPDATE officials SET updated_at = ?1 WHERE id = ?2", "ti",
                    b->now, id);
}

enum err
sqlite_official_merge(struct store *stp, const char *ident, const struct strlist *from,
                      json_t **out, struct err_info *ei)
{
    struct sqlite_batch b = {.s = SQLITE_STORE(stp)};
    int64_t id = 0, dups[FILTER_MAX_VALUES];
    size_t ndups = 0;

    *out = NULL;
    if (write_begin(b.s, &b.c, ei) != ERR_OK)
        return ei->code;
    timestamp_now(b.now);
    if (official_id(b.c, ident, &id, ei) != ERR_OK)
        goto out;
    /* every name is resolved before any merge, and an official named twice
     * (by id and by slug, say) is merged once: after the first merge its
     * row is gone and a second lookup would not find it */
    for (size_t i = 0; i < from->n; i++) {
        int64_t dup;
        size_t j = 0;

        if (official_id(b.c, from->v[i], &dup, ei) != ERR_OK)
            goto out;
        if (dup == id) {
            err_set(ei, ERR_INVALID, "an official cannot be merged into itself");
            goto out;
        }
        while (j < ndups && dups[j] != dup)
            j++;
        if (j == ndups)
            dups[ndups++] = dup;
    }
    for (size_t i = 0; i < ndups; i++)
        if (official_merge_one(&b, id, dups[i], ei) != ERR_OK)
            goto out;
out:
    write_end(b.s, b.c, true, ei);
    return official_after(stp, id, out, ei);
}
