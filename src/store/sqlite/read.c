/* read.c - one object by id or slug, and keyset-paged lists, for every
 * resource.  Queries are built from fixed fragments chosen by enum values;
 * every value from a request is a bound parameter. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/buf.h"
#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "rank.h"

/* ---- JSON from rows ---- */

/* An organization from 6 columns at i: id, slug, name, parent id, slug, name. */
static json_t *
org_json(sqlite3_stmt *st, int i)
{
    json_t *parent;

    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return json_null();
    if (sqlite3_column_type(st, i + 3) == SQLITE_NULL)
        parent = json_null();
    else
        parent = json_pack("{s:o, s:o, s:o}", "id", col_int(st, i + 3), "slug",
                           col_text(st, i + 4), "name", col_text(st, i + 5));
    return json_pack("{s:o, s:o, s:o, s:o}", "id", col_int(st, i), "slug",
                     col_text(st, i + 1), "name", col_text(st, i + 2), "parent", parent);
}

#define ORG_COLS "g.id, g.slug, g.name, p.id, p.slug, p.name"
#define ORG_JOIN(fk)                                                                     \
    " LEFT JOIN organizations g ON g.id = " fk                                           \
    " LEFT JOIN organizations p ON p.id = g.parent_id"

/* A quote: 15 columns from QUOTE_COLS, then optionally created_at,
 * updated_at and the article's id, slug, title, published. */
#define QUOTE_COLS                                                                       \
    "q.id, q.kind, q.text, q.start, q.\"end\", q.title, o.id, o.slug, o.name, " ORG_COLS
#define QUOTE_FROM                                                                       \
    " FROM quotes q JOIN officials o ON o.id = q.official_id" ORG_JOIN(                  \
        "q.organization_id")

static json_t *
quote_json(sqlite3_stmt *st, bool listed)
{
    json_t *q = json_pack("{s:o, s:o, s:o, s:o, s:o}", "id", col_int(st, 0), "kind",
                          col_text(st, 1), "text", col_text(st, 2), "start",
                          col_int(st, 3), "end", col_int(st, 4));

    json_object_set_new(q, "official",
                        json_pack("{s:o, s:o, s:o}", "id", col_int(st, 6), "slug",
                                  col_text(st, 7), "name", col_text(st, 8)));
    json_object_set_new(q, "title", col_text(st, 5));
    json_object_set_new(q, "organization", org_json(st, 9));
    if (listed) {
        json_object_set_new(q, "article",
                            json_pack("{s:o, s:o, s:o, s:o}", "id", col_int(st, 17),
                                      "slug", col_text(st, 18), "title", col_text(st, 19),
                                      "published", col_text(st, 20)));
        json_object_set_new(q, "created_at", col_text(st, 15));
        json_object_set_new(q, "updated_at", col_text(st, 16));
    }
    return q;
}

/* Runs a fixed query with one integer parameter and appends make(row) for
 * every row to a new array. */
static json_t *
collect(struct conn *c, const char *sql, int64_t id, json_t *(*make)(sqlite3_stmt *),
        struct err_info *ei)
{
    sqlite3_stmt *st = conn_prepare(c, sql, ei);
    json_t *arr;
    int rc;

    if (st == NULL)
        return NULL;
    arr = json_array();
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(arr, make(st));
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        json_decref(arr);
        conn_fail(c, ei);
        return NULL;
    }
    return arr;
}

static json_t *
theme_ref_json(sqlite3_stmt *st)
{
    return json_pack("{s:o, s:o}", "slug", col_text(st, 0), "name", col_text(st, 1));
}

static json_t *
article_quote_json(sqlite3_stmt *st)
{
    return quote_json(st, false);
}

static json_t *
official_ref_json(sqlite3_stmt *st)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "id", col_int(st, 0), "slug",
                     col_text(st, 1), "name", col_text(st, 2), "title", col_text(st, 3),
                     "organization", org_json(st, 4));
}

/* Adds the related arrays named by include to obj; false on error. */
static bool
add_related(struct conn *c, json_t *obj, const char *key, const char *sql, int64_t id,
            json_t *(*make)(sqlite3_stmt *), struct err_info *ei)
{
    json_t *arr = collect(c, sql, id, make, ei);

    if (arr == NULL)
        return false;
    json_object_set_new(obj, key, arr);
    return true;
}

/* ---- per-resource descriptions ---- */

enum sort_type { ST_INT, ST_TEXT, ST_REAL };

struct sort_col {
    const char *expr; /* NULL: the resource does not sort by this key */
    enum sort_type type;
};

struct list_spec {
    const char *select;      /* "SELECT cols" */
    const char *from;        /* " FROM table x ..." */
    const char *select_body; /* extra column with INC_BODY, or NULL */
    /* appends columns computed with parameters, after the body */
    void (*extra_cols)(struct sqlb *q, const struct page *pg);
    /* When set, a page is chosen first by id, extra columns and sort key
     * alone, over `from` and the filters (k_id, extras, k_sort), and only
     * its rows are read whole, from this join of k to x: the sorter then
     * holds a few numbers a match rather than whole rows. */
    const char *deferred_join;
    /* FROM for a full-text query with no other filter, counted: the index
     * alone, its rowid the id (or NULL) */
    const char *from_alone;
    /* FROM for counting the rows f filters, when fewer joins do (or NULL) */
    const char *(*count_from)(const struct filter *f);
    /* whether a full-text query by relevance, with dates at most, is ranked
     * by articles_top() (top.c) */
    bool ranked_top;
    struct sort_col sorts[SORT_KEY_COUNT];
    void (*filters)(struct sqlb *q, const struct filter *f);
    json_t *(*row)(struct conn *c, sqlite3_stmt *st, unsigned include,
                   struct err_info *ei);
    /* completes the rows of a page, or NULL */
    enum err (*finish)(struct conn *c, const struct filter *f, const struct page *pg,
                       json_t *rows, struct err_info *ei);
    unsigned get_include; /* include for a single object */
};

/* articles */

#define ARTICLE_NCOLS 10

static json_t *
article_row(struct conn *c, sqlite3_stmt *st, unsigned include, struct err_info *ei)
{
    int64_t id = sqlite3_column_int64(st, 0);
    json_t *a =
        json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", col_int(st, 0),
                  "slug", col_text(st, 1), "title", col_text(st, 2), "published",
                  col_text(st, 3), "source", col_text(st, 4), "url", col_text(st, 5),
                  "language", col_text(st, 6), "summary", col_text(st, 7));

    if (include & INC_BODY)
        json_object_set_new(a, "body", col_text(st, ARTICLE_NCOLS));
    if ((include & INC_THEMES) &&
        !add_related(c, a, "themes",
                     "SELECT t.slug, t.name FROM article_themes at"
                     " JOIN themes t ON t.id = at.theme_id"
                     " WHERE at.article_id = ?1 ORDER BY at.score DESC, t.slug",
                     id, theme_ref_json, ei))
        goto fail;
    if ((include & INC_QUOTES) &&
        !add_related(c, a, "quotes",
                     "SELECT " QUOTE_COLS QUOTE_FROM
                     " WHERE q.article_id = ?1 ORDER BY q.start IS NULL, q.start, q.id",
                     id, article_quote_json, ei))
        goto fail;
    if ((include & INC_OFFICIALS) &&
        !add_related(c, a, "officials",
                     "SELECT o.id, o.slug, o.name, o.title, " ORG_COLS
                     " FROM officials o" ORG_JOIN(
                         "o.organization_id") " WHERE o.id IN (SELECT official_id FROM "
                                              "quotes WHERE article_id = ?1)"
                                              " ORDER BY o.name, o.id",
                     id, official_ref_json, ei))
        goto fail;
    json_object_set_new(a, "created_at", col_text(st, 8));
    json_object_set_new(a, "updated_at", col_text(st, 9));
    return a;
fail:
    json_decref(a);
    return NULL;
}

/* " AND <id> IN (SELECT <link> FROM table WHERE <col> IN ", or when the
 * filter is dense (bit), a test of the row: " AND EXISTS (SELECT 1 FROM
 * table WHERE <link> = <id> AND <col> IN "; the set and ")" follow. */
static void
linked_filter(struct sqlb *q, unsigned bit, const char *id, const char *table,
              const char *link, const char *col)
{
    if (q->dense & bit)
        buf_addf(&q->sql, " AND EXISTS (SELECT 1 FROM %s WHERE %s = %s AND %s IN ", table,
                 link, id, col);
    else
        buf_addf(&q->sql, " AND %s IN (SELECT %s FROM %s WHERE %s IN ", id, link, table,
                 col);
}

/* " AND <col> IN ", the column kept from the index when the filter is
 * dense (bit). */
static void
column_filter(struct sqlb *q, unsigned bit, const char *col)
{
    buf_addf(&q->sql, " AND %s%s IN ", q->dense & bit ? "+" : "", col);
}

/* from and to, on x.published (kept from its index when dense) */
static void
date_filters(struct sqlb *q, const struct filter *f)
{
    const char *col = q->dense & DENSE_DATES ? "+x.published" : "x.published";

    if (f->from != NULL) {
        buf_addf(&q->sql, " AND %s >= ", col);
        sqlb_text(q, f->from);
    }
    if (f->to != NULL) {
        buf_addf(&q->sql, " AND %s <= ", col);
        sqlb_text(q, f->to);
    }
}

void
article_filters(struct sqlb *q, const struct filter *f)
{
    if (f->theme.n > 0) {
        linked_filter(q, DENSE_THEME, "x.id", "article_themes", "article_id", "theme_id");
        sqlb_ident_set(q, "themes", &f->theme);
        buf_adds(&q->sql, ")");
    }
    if (f->official.n > 0) {
        linked_filter(q, DENSE_OFFICIAL, "x.id", "quotes", "article_id", "official_id");
        sqlb_ident_set(q, "officials", &f->official);
        buf_adds(&q->sql, ")");
    }
    if (f->organization.n > 0) {
        linked_filter(q, DENSE_ORGANIZATION, "x.id", "quotes", "article_id",
                      "organization_id");
        sqlb_org_set(q, &f->organization);
        buf_adds(&q->sql, ")");
    }
    if (f->source.n > 0) {
        column_filter(q, DENSE_SOURCE, "x.source");
        sqlb_strlist(q, &f->source);
    }
    if (f->language.n > 0) {
        column_filter(q, DENSE_LANGUAGE, "x.language");
        sqlb_strlist(q, &f->language);
    }
    date_filters(q, f);
    if (f->updated_since[0] != '\0') {
        buf_adds(&q->sql, " AND x.updated_at >= ");
        sqlb_text(q, f->updated_since);
    }
    if (f->q != NULL) {
        buf_adds(&q->sql, " AND x.id IN (SELECT rowid FROM articles_fts"
                          " WHERE articles_fts MATCH ");
        sqlb_match(q, f->q);
        buf_adds(&q->sql, ")");
    }
}

/* search: the article filters, with the query as the MATCH of the join.
 * The query is the statement's first parameter, which SEARCH_RANK reads:
 * nothing before the filters binds one. */

static void
search_filters(struct sqlb *q, const struct filter *f)
{
    struct filter rest = *f;

    if (q->n != 0)
        abort();
    buf_adds(&q->sql, " AND articles_fts MATCH ");
    sqlb_match(q, f->q);
    rest.q = NULL;
    article_filters(q, &rest);
}

#define SEARCH_RANK "articles_bm25(articles_fts, ?1, " ARTICLES_WEIGHTS_SQL ")"

/* The score, unless the list is sorted by it: the sort column (always the
 * last) is then the rank, and bm25 is not computed twice a row. */
static void
search_cols(struct sqlb *q, const struct page *pg)
{
    if (pg->sort != SORT_RELEVANCE)
        buf_adds(&q->sql, ", -" SEARCH_RANK);
}

static json_t *
search_row(struct conn *c, sqlite3_stmt *st, unsigned include, struct err_info *ei)
{
    /* the article, k_id, the score unless sorted by it, k_sort */
    int at = ARTICLE_NCOLS + ((include & INC_BODY) ? 1 : 0) + 1;
    int last = sqlite3_column_count(st) - 1;
    json_t *a = article_row(c, st, include, ei);

    if (a != NULL)
        json_object_set_new(a, "score",
                            json_real(at < last ? sqlite3_column_double(st, at)
                                                : -sqlite3_column_double(st, last)));
    return a;
}

/* Snippets for the rows of a page only: SQLite computes every column of
 * every match before it sorts them, and a snippet reads the text.  The
 * phrases are found by tokenizing each row's title and body (snippet.c)
 * rather than through an FTS5 query, which walked every phrase's whole
 * index between the page's lowest and highest id: at 20,000 articles that
 * was half of a search's time (bench/run's R3). */
static enum err
search_snippets(struct conn *c, const struct filter *f, const struct page *pg,
                json_t *rows, struct err_info *ei)
{
    static const char *const sql =
        "SELECT a.title, b.body FROM articles a"
        " JOIN article_bodies b ON b.article_id = a.id WHERE a.id = ?1";
    /* with the default marks the snippet is HTML, its text escaped; with
     * marks of the client's own, it is text */
    bool html = pg->mark_start == NULL && pg->mark_end == NULL;
    const struct marks m = {pg->mark_start != NULL ? pg->mark_start : "<mark>",
                            pg->mark_end != NULL ? pg->mark_end : "</mark>", "…", html};
    struct passages *p;
    struct buf match, out;
    sqlite3_stmt *st;
    json_t *a;
    size_t i;

    if (json_array_size(rows) == 0)
        return ERR_OK;
    buf_init(&match);
    fts_render(&match, f->q);
    p = passages_new(c->fts, match.data);
    buf_release(&match);
    if (p == NULL)
        return err_set(ei, ERR_STORE, "the full-text tokenizer is missing");
    buf_init(&out);
    st = conn_prepare(c, sql, ei);
    json_array_foreach (rows, i, a) {
        const char *text[ARTICLES_COLUMNS];
        int len[ARTICLES_COLUMNS], rc;

        if (st == NULL)
            break;
        sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(a, "id")));
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            for (int col = 0; col < ARTICLES_COLUMNS; col++) {
                text[col] = (const char *)sqlite3_column_text(st, col);
                len[col] = sqlite3_column_bytes(st, col);
                if (text[col] == NULL)
                    text[col] = "";
            }
            out.len = 0;
            passages_write(p, &out, text, len, ARTICLES_COLUMNS, &m, 24);
            json_object_set_new(a, "snippet",
                                json_stringn(out.len > 0 ? out.data : "", out.len));
        } else if (rc != SQLITE_DONE) {
            conn_fail(c, ei);
            break;
        }
        sqlite3_reset(st);
    }
    stmt_done(st);
    buf_release(&out);
    passages_free(p);
    return ei->code;
}

/* themes */

static json_t *
theme_row(struct conn *c, sqlite3_stmt *st, unsigned include, struct err_info *ei)
{
    const char *kw = (const char *)sqlite3_column_text(st, 4);
    json_t *keywords = kw != NULL ? json_loads(kw, 0, NULL) : NULL;

    (void)c;
    (void)include;
    (void)ei;
    if (!json_is_array(keywords)) {
        json_decref(keywords);
        keywords = json_array();
    }
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", col_int(st, 0),
                     "slug", col_text(st, 1), "name", col_text(st, 2), "description",
                     col_text(st, 3), "keywords", keywords, "article_count",
                     col_int(st, 5), "created_at", col_text(st, 6), "updated_at",
                     col_text(st, 7));
}

static void
updated_filter(struct sqlb *q, const struct filter *f)
{
    if (f->updated_since[0] != '\0') {
        buf_adds(&q->sql, " AND x.updated_at >= ");
        sqlb_text(q, f->updated_since);
    }
}

/* officials */

static json_t *
official_row(struct conn *c, sqlite3_stmt *st, unsigned include, struct err_info *ei)
{
    (void)c;
    (void)include;
    (void)ei;
    json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o}", "id", col_int(st, 0), "slug",
                          col_text(st, 1), "name", col_text(st, 2), "title",
                          col_text(st, 3), "organization", org_json(st, 10));

    json_object_set_new(o, "quote_count", col_int(st, 4));
    json_object_set_new(o, "article_count", col_int(st, 5));
    json_object_set_new(o, "first_seen", col_text(st, 6));
    json_object_set_new(o, "last_seen", col_text(st, 7));
    json_object_set_new(o, "created_at", col_text(st, 8));
    json_object_set_new(o, "updated_at", col_text(st, 9));
    return o;
}

static void
official_filters(struct sqlb *q, const struct filter *f)
{
    if (f->organization.n > 0) {
        buf_adds(&q->sql, " AND x.organization_id IN ");
        sqlb_org_set(q, &f->organization);
    }
    if (f->theme.n > 0) {
        buf_adds(&q->sql, " AND x.id IN (SELECT q.official_id FROM quotes q"
                          " JOIN article_themes t ON t.article_id = q.article_id"
                          " WHERE t.theme_id IN ");
        sqlb_ident_set(q, "themes", &f->theme);
        buf_adds(&q->sql, ")");
    }
    if (f->from != NULL || f->to != NULL) {
        buf_adds(&q->sql, " AND x.id IN (SELECT official_id FROM quotes WHERE 1 = 1");
        if (f->from != NULL) {
            buf_adds(&q->sql, " AND published >= ");
            sqlb_text(q, f->from);
        }
        if (f->to != NULL) {
            buf_adds(&q->sql, " AND published <= ");
            sqlb_text(q, f->to);
        }
        buf_adds(&q->sql, ")");
    }
    updated_filter(q, f);
}

/* organizations */

static json_t *
official_brief_json(sqlite3_stmt *st)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o}", "id", col_int(st, 0), "slug",
                     col_text(st, 1), "name", col_text(st, 2), "title", col_text(st, 3),
                     "quote_count", col_int(st, 4));
}

static json_t *
org_brief_json(sqlite3_stmt *st)
{
    return json_pack("{s:o, s:o, s:o}", "id", col_int(st, 0), "slug", col_text(st, 1),
                     "name", col_text(st, 2));
}

static json_t *
organization_row(struct conn *c, sqlite3_stmt *st, unsigned include, struct err_info *ei)
{
    int64_t id = sqlite3_column_int64(st, 0);
    json_t *parent = sqlite3_column_type(st, 3) == SQLITE_NULL
                         ? json_null()
                         : json_pack("{s:o, s:o, s:o}", "id", col_int(st, 3), "slug",
                                     col_text(st, 4), "name", col_text(st, 5));
    json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o}", "id", col_int(st, 0), "slug",
                          col_text(st, 1), "name", col_text(st, 2), "parent", parent,
                          "official_count", col_int(st, 6));

    if ((include & INC_OFFICIALS) &&
        (!add_related(c, o, "officials",
                      "SELECT id, slug, name, title, quote_count FROM officials"
                      " WHERE organization_id = ?1 ORDER BY name, id",
                      id, official_brief_json, ei) ||
         !add_related(c, o, "departments",
                      "SELECT id, slug, name FROM organizations WHERE parent_id = ?1"
                      " ORDER BY name, id",
                      id, org_brief_json, ei))) {
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "created_at", col_text(st, 7));
    json_object_set_new(o, "updated_at", col_text(st, 8));
    return o;
}

/* quotes */

static json_t *
quote_row(struct conn *c, sqlite3_stmt *st, unsigned include, struct err_info *ei)
{
    (void)c;
    (void)include;
    (void)ei;
    return quote_json(st, true);
}

/* Counted, quotes need their articles only for the articles' own columns:
 * every quote has its article and its official (foreign keys), which a
 * page joins for their names.  Without the joins, a count by official or
 * organization reads only that column's index. */
const char *
quote_count_from(const struct filter *f)
{
    return f->source.n > 0 || f->language.n > 0
               ? " FROM quotes x JOIN articles a ON a.id = x.article_id"
               : " FROM quotes x";
}

void
quote_filters(struct sqlb *q, const struct filter *f)
{
    /* one official (as on /v1/officials/{id}/quotes) is one value, which
     * the planner takes the official's quotes for in date order, from
     * their index, rather than sorting them all for every page */
    if (f->official.n == 1) {
        buf_adds(&q->sql, " AND x.official_id = ");
        sqlb_ident_one(q, "officials", f->official.v[0]);
    } else if (f->official.n > 0) {
        column_filter(q, DENSE_OFFICIAL, "x.official_id");
        sqlb_ident_set(q, "officials", &f->official);
    }
    if (f->organization.n > 0) {
        column_filter(q, DENSE_ORGANIZATION, "x.organization_id");
        sqlb_org_set(q, &f->organization);
    }
    if (f->theme.n > 0) {
        linked_filter(q, DENSE_THEME, "x.article_id", "article_themes", "article_id",
                      "theme_id");
        sqlb_ident_set(q, "themes", &f->theme);
        buf_adds(&q->sql, ")");
    }
    if (f->source.n > 0) {
        column_filter(q, DENSE_SOURCE, "a.source");
        sqlb_strlist(q, &f->source);
    }
    if (f->language.n > 0) {
        column_filter(q, DENSE_LANGUAGE, "a.language");
        sqlb_strlist(q, &f->language);
    }
    date_filters(q, f);
    if (f->q != NULL) {
        buf_adds(&q->sql,
                 " AND x.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ");
        sqlb_match(q, f->q);
        buf_adds(&q->sql, ")");
    }
    updated_filter(q, f);
}

static const struct list_spec specs[RES_COUNT] = {
    [RES_ARTICLES] =
        {
            .select = "SELECT x.id, x.slug, x.title, x.published, x.source, x.url,"
                      " x.language, x.summary, x.created_at, x.updated_at",
            .select_body = ", (SELECT body FROM article_bodies WHERE article_id = x.id)",
            .from = " FROM articles x",
            .sorts =
                {
                    [SORT_ID] = {"x.id", ST_INT},
                    [SORT_PUBLISHED] = {"x.published", ST_TEXT},
                    [SORT_TITLE] = {"x.title COLLATE NOCASE", ST_TEXT},
                    [SORT_UPDATED] = {"x.updated_at", ST_TEXT},
                },
            .filters = article_filters,
            .row = article_row,
            .get_include = INC_BODY | INC_THEMES | INC_QUOTES,
        },
    [RES_THEMES] =
        {
            .select = "SELECT x.id, x.slug, x.name, x.description, x.keywords,"
                      " x.article_count, x.created_at, x.updated_at",
            .from = " FROM themes x",
            .sorts =
                {
                    [SORT_ID] = {"x.id", ST_INT},
                    [SORT_SLUG] = {"x.slug", ST_TEXT},
                    [SORT_NAME] = {"x.name COLLATE NOCASE", ST_TEXT},
                    [SORT_ARTICLE_COUNT] = {"x.article_count", ST_INT},
                    [SORT_UPDATED] = {"x.updated_at", ST_TEXT},
                },
            .filters = updated_filter,
            .row = theme_row,
        },
    [RES_OFFICIALS] =
        {
            .select = "SELECT x.id, x.slug, x.name, x.title, x.quote_count,"
                      " x.article_count, x.first_seen, x.last_seen, x.created_at,"
                      " x.updated_at, " ORG_COLS,
            .from = " FROM officials x" ORG_JOIN("x.organization_id"),
            .sorts =
                {
                    [SORT_ID] = {"x.id", ST_INT},
                    [SORT_NAME] = {"x.name COLLATE NOCASE", ST_TEXT},
                    [SORT_QUOTE_COUNT] = {"x.quote_count", ST_INT},
                    [SORT_ARTICLE_COUNT] = {"x.article_count", ST_INT},
                    [SORT_LAST_SEEN] = {"coalesce(x.last_seen, '')", ST_TEXT},
                    [SORT_UPDATED] = {"x.updated_at", ST_TEXT},
                },
            .filters = official_filters,
            .row = official_row,
        },
    [RES_ORGANIZATIONS] =
        {
            .select =
                "SELECT x.id, x.slug, x.name, p.id, p.slug, p.name,"
                " (SELECT count(*) FROM officials o WHERE o.organization_id = x.id),"
                " x.created_at, x.updated_at",
            .from =
                " FROM organizations x LEFT JOIN organizations p ON p.id = x.parent_id",
            .sorts =
                {
                    [SORT_ID] = {"x.id", ST_INT},
                    [SORT_NAME] = {"x.name COLLATE NOCASE", ST_TEXT},
                    [SORT_OFFICIAL_COUNT] = {"(SELECT count(*) FROM officials o"
                                             " WHERE o.organization_id = x.id)",
                                             ST_INT},
                    [SORT_UPDATED] = {"x.updated_at", ST_TEXT},
                },
            .filters = updated_filter,
            .row = organization_row,
            .get_include = INC_OFFICIALS,
        },
    [RES_QUOTES] =
        {
            .select = "SELECT x.id, x.kind, x.text, x.start, x.\"end\", x.title, o.id,"
                      " o.slug, o.name, " ORG_COLS ", x.created_at, x.updated_at,"
                      " a.id, a.slug, a.title, a.published",
            .from =
                " FROM quotes x JOIN officials o ON o.id = x.official_id"
                " JOIN articles a ON a.id = x.article_id" ORG_JOIN("x.organization_id"),
            .sorts =
                {
                    [SORT_ID] = {"x.id", ST_INT},
                    [SORT_PUBLISHED] = {"x.published", ST_TEXT},
                    [SORT_UPDATED] = {"x.updated_at", ST_TEXT},
                },
            .count_from = quote_count_from,
            .filters = quote_filters,
            .row = quote_row,
        },
    [RES_SEARCH] =
        {
            .select = "SELECT x.id, x.slug, x.title, x.published, x.source, x.url,"
                      " x.language, x.summary, x.created_at, x.updated_at",
            .select_body = ", (SELECT body FROM article_bodies WHERE article_id = x.id)",
            .extra_cols = search_cols,
            /* the filters read a small index rather than the articles */
            .from = " FROM articles_fts JOIN articles x INDEXED BY articles_filter"
                    " ON x.id = articles_fts.rowid",
            .deferred_join = " JOIN articles x ON x.id = k.k_id",
            /* every row of the index is an article's: no lookup a match */
            .from_alone = " FROM articles_fts",
            .ranked_top = true,
            .sorts =
                {
                    [SORT_RELEVANCE] = {SEARCH_RANK, ST_REAL},
                    [SORT_ID] = {"x.id", ST_INT},
                    [SORT_PUBLISHED] = {"x.published", ST_TEXT},
                },
            .filters = search_filters,
            .row = search_row,
            .finish = search_snippets,
        },
};

/* ---- get ---- */

static const char *const res_names[RES_COUNT] = {
    [RES_ARTICLES] = "article",   [RES_THEMES] = "theme",
    [RES_OFFICIALS] = "official", [RES_ORGANIZATIONS] = "organization",
    [RES_QUOTES] = "quote",       [RES_SEARCH] = "search result",
};

enum err
sqlite_get(struct store *stp, enum resource res, const char *ident, unsigned include,
           json_t **out, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    const struct list_spec *spec = &specs[res];
    bool by_id = all_digits(ident);
    sqlite3_stmt *st;
    struct conn *c;
    struct buf sql;
    int64_t id = 0;
    int rc;

    *out = NULL;
    if (by_id && !parse_int64(ident, &id))
        return err_set(ei, ERR_NOT_FOUND, "no %s with id %s", res_names[res], ident);
    if (res == RES_QUOTES && !by_id)
        return err_set(ei, ERR_NOT_FOUND, "quotes are named by their integer id");
    if (reader_acquire(s, &c, ei) != ERR_OK)
        return ei->code;
    buf_init(&sql);
    include |= spec->get_include;
    buf_adds(&sql, spec->select);
    if ((include & INC_BODY) && spec->select_body != NULL)
        buf_adds(&sql, spec->select_body);
    buf_adds(&sql, spec->from);
    buf_adds(&sql, by_id ? " WHERE x.id = ?1" : " WHERE x.slug = ?1");
    st = conn_prepare(c, sql.data, ei);
    buf_release(&sql);
    if (st == NULL)
        goto out;
    if (by_id)
        sqlite3_bind_int64(st, 1, id);
    else
        bind_text(st, 1, ident);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = spec->row(c, st, include, ei);
    else if (rc == SQLITE_DONE)
        err_set(ei, ERR_NOT_FOUND, "no %s %s %s", res_names[res],
                by_id ? "with id" : "named", ident);
    else
        conn_fail(c, ei);
    stmt_done(st);
out:
    reader_release(s, c);
    return ei->code;
}

/* ---- list ---- */

static void
bind_after(struct sqlb *q, const json_t *v, enum sort_type type)
{
    if (type == ST_TEXT)
        sqlb_text(q, json_string_value(v));
    else if (type == ST_REAL)
        sqlb_real(q, json_number_value(v));
    else
        sqlb_int(q, json_integer_value(v));
}

/* The sort value of the current row as JSON, by its type. */
static json_t *
sort_value(sqlite3_stmt *st, int col, enum sort_type type)
{
    if (type == ST_TEXT)
        return col_text(st, col);
    if (type == ST_REAL)
        return json_real(sqlite3_column_double(st, col));
    return col_int(st, col);
}

/* Articles of one theme are found through that theme's links, which an
 * index keeps in date order: the newest of a theme are the first entries
 * of the index, and counting them reads only the index.  The links hold
 * no other sort key, so a page sorted by another (pg) reads the articles;
 * pg is NULL when the order does not matter (counting).
 *
 * So are the newest quotes of one theme, a quote's date being its
 * article's: the theme's articles are read newest first, each with its
 * quotes, and only the quotes of one date are sorted, until the page is
 * full (not counting them, and not when a filter on the quotes
 * themselves would find fewer rows through its own index). */
static bool
theme_path(const struct list_spec *spec, const struct filter *f, const struct page *pg)
{
    if (f->theme.n != 1)
        return false;
    if (spec == &specs[RES_ARTICLES])
        return pg == NULL || pg->sort == SORT_PUBLISHED;
    return spec == &specs[RES_QUOTES] && pg != NULL && pg->sort == SORT_PUBLISHED &&
           f->official.n == 0 && f->organization.n == 0 && f->q == NULL;
}

/* Whether f is a full-text query alone, which spec can answer from the
 * index without the rows (from_alone). */
static bool
fts_alone(const struct list_spec *spec, const struct filter *f)
{
    struct filter rest = *f;

    rest.q = NULL;
    return spec->from_alone != NULL && filter_is_empty(&rest);
}

/* Appends FROM and WHERE with every filter of f, for a page in the order
 * of pg, or for counting (pg NULL).  Counting, a theme alone is counted in
 * its links without reading the articles, a full-text query alone in its
 * index, and rows without the joins a page reads names through
 * (count_from). */
static void
from_where(const struct list_spec *spec, const struct filter *f, const struct page *pg,
           struct sqlb *q)
{
    struct filter rest = *f;
    bool links_only = pg == NULL;

    if (links_only && fts_alone(spec, f)) {
        buf_adds(&q->sql, spec->from_alone);
        buf_adds(&q->sql, " WHERE 1 = 1");
        spec->filters(q, f);
        return;
    }
    if (!theme_path(spec, f, pg)) {
        buf_adds(&q->sql, links_only && spec->count_from != NULL ? spec->count_from(f)
                                                                 : spec->from);
        buf_adds(&q->sql, " WHERE 1 = 1");
        spec->filters(q, f);
        return;
    }
    rest.theme.n = 0;
    buf_adds(&q->sql, " FROM article_themes at");
    if (spec == &specs[RES_QUOTES])
        /* the links outside, in date order, then each article's quotes */
        buf_addf(&q->sql, " CROSS JOIN%s", spec->from + strlen(" FROM"));
    else if (!links_only || !filter_is_empty(&rest))
        buf_adds(&q->sql, " JOIN articles x ON x.id = at.article_id");
    buf_adds(&q->sql, " WHERE at.theme_id = ");
    sqlb_ident_one(q, "themes", f->theme.v[0]);
    if (spec == &specs[RES_QUOTES])
        buf_adds(&q->sql, " AND x.article_id = at.article_id");
    spec->filters(q, &rest);
}

static enum err
count_rows(struct conn *c, const struct list_spec *spec, const struct filter *f,
           json_t *result, struct err_info *ei)
{
    struct sqlb q;
    sqlite3_stmt *st;
    int rc;

    sqlb_init(&q);
    buf_adds(&q.sql, "SELECT count(*)");
    from_where(spec, f, NULL, &q);
    st = conn_prepare(c, q.sql.data, ei);
    if (st != NULL) {
        sqlb_bind(&q, st);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            json_object_set_new(result, "total", col_int(st, 0));
        else
            conn_fail(c, ei);
        stmt_done(st);
    }
    sqlb_release(&q);
    return ei->code;
}

/* Whether the list is of a full-text query by relevance, filtered by
 * dates at most: articles_top() ranks it from the lists it keeps. */
static bool
top_ranked(const struct list_spec *spec, const struct filter *f, const struct page *pg)
{
    struct filter rest = *f;

    rest.q = NULL;
    rest.from = rest.to = NULL;
    return spec->ranked_top && f->q != NULL && pg->sort == SORT_RELEVANCE &&
           filter_is_empty(&rest);
}

/* Starts q as a count of the rows of table whose col is in a set, which
 * the caller appends. */
static void
count_in(struct sqlb *q, const char *table, const char *col)
{
    sqlb_init(q);
    buf_addf(&q->sql, "SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s IN ", table, col);
}

/* bit when the count q (count_in()) reaches cap, counting no further;
 * else 0, also on a failure (ei set).  Releases q. */
static unsigned
count_reaches(struct conn *c, struct sqlb *q, int64_t cap, unsigned bit,
              struct err_info *ei)
{
    sqlite3_stmt *st;
    unsigned reached = 0;

    buf_adds(&q->sql, " LIMIT ");
    sqlb_int(q, cap);
    buf_adds(&q->sql, ")");
    st = conn_prepare(c, q->sql.data, ei);
    if (st != NULL) {
        sqlb_bind(q, st);
        if (sqlite3_step(st) == SQLITE_ROW)
            reached = sqlite3_column_int64(st, 0) >= cap ? bit : 0;
        else
            conn_fail(c, ei);
        stmt_done(st);
    }
    sqlb_release(q);
    return reached;
}

/* The filters of f that match many rows (DENSE_* bits), for a page of
 * articles or quotes in the order of pg.  Without statistics, SQLite's
 * planner starts from any filter it can read through an index, reads all
 * the rows it matches and sorts them: a page of the newest quotes of the
 * most quoted official read and sorted all 26,000 of them.  Walking the
 * index of the page's order instead, testing each row, reads about
 * table / matches rows for each row kept: fewer than the matches once
 * these are more than the square root of the page's rows times the
 * table's.  A row tested costs less than one read whole and sorted, so
 * a filter is dense from half that many (at 20,000 articles, a page of
 * 20 quotes of 250 matches is faster sorted, of 740 walked).  Each
 * filter is counted only up to that bound, in its own index. */
static unsigned
dense_filters(struct conn *c, const struct list_spec *spec, const struct filter *f,
              const struct page *pg, struct err_info *ei)
{
    bool quotes = spec == &specs[RES_QUOTES];
    /* one theme's are read through its links, one official's quotes in
     * order from that official's own, and a page by date from the dates'
     * index */
    bool theme = f->theme.n > 0 && !theme_path(spec, f, pg);
    bool official = f->official.n > (quotes ? 1 : 0);
    bool dates = (f->from != NULL || f->to != NULL) && pg->sort != SORT_PUBLISHED;
    struct sqlb q;
    unsigned dense = 0;
    int64_t rows = 0, cap;
    bool found;

    if ((!quotes && spec != &specs[RES_ARTICLES]) ||
        (!theme && !official && f->organization.n == 0 && f->source.n == 0 &&
         f->language.n == 0 && !dates))
        return 0;
    /* ids are given in order: the last one is near the number of rows
     * (above it after deletes), and found at once */
    if (conn_query_row(c, ei, &rows, NULL, &found,
                       quotes ? "SELECT coalesce(max(id), 0) FROM quotes"
                              : "SELECT coalesce(max(id), 0) FROM articles",
                       "") != ERR_OK)
        return 0;
    cap = (int64_t)(sqrt((double)(pg->limit + 1) * (double)rows) / 2) + 1;
    if (theme) {
        count_in(&q, "article_themes", "theme_id");
        sqlb_ident_set(&q, "themes", &f->theme);
        dense |= count_reaches(c, &q, cap, DENSE_THEME, ei);
    }
    if (ei->code == ERR_OK && official) {
        count_in(&q, "quotes", "official_id");
        sqlb_ident_set(&q, "officials", &f->official);
        dense |= count_reaches(c, &q, cap, DENSE_OFFICIAL, ei);
    }
    if (ei->code == ERR_OK && f->organization.n > 0) {
        count_in(&q, "quotes", "organization_id");
        sqlb_org_set(&q, &f->organization);
        dense |= count_reaches(c, &q, cap, DENSE_ORGANIZATION, ei);
    }
    if (ei->code == ERR_OK && f->source.n > 0) {
        count_in(&q, "articles", "source");
        sqlb_strlist(&q, &f->source);
        dense |= count_reaches(c, &q, cap, DENSE_SOURCE, ei);
    }
    if (ei->code == ERR_OK && f->language.n > 0) {
        count_in(&q, "articles", "language");
        sqlb_strlist(&q, &f->language);
        dense |= count_reaches(c, &q, cap, DENSE_LANGUAGE, ei);
    }
    if (ei->code == ERR_OK && dates) {
        sqlb_init(&q);
        buf_addf(&q.sql, "SELECT count(*) FROM (SELECT 1 FROM %s x WHERE 1 = 1",
                 quotes ? "quotes" : "articles");
        date_filters(&q, f);
        dense |= count_reaches(c, &q, cap, DENSE_DATES, ei) ? DENSE_DATES : SPARSE_DATES;
    }
    return dense;
}

static void
top_from(const struct filter *f, struct sqlb *q)
{
    buf_adds(&q->sql, " FROM articles_top(");
    sqlb_match(q, f->q);
    buf_adds(&q->sql, ", ");
    if (f->from != NULL)
        sqlb_text(q, f->from);
    else
        buf_adds(&q->sql, "NULL");
    buf_adds(&q->sql, ", ");
    if (f->to != NULL)
        sqlb_text(q, f->to);
    else
        buf_adds(&q->sql, "NULL");
    buf_adds(&q->sql, ") t WHERE 1 = 1");
}

/* Builds the query of a list page: the rows after the keyset position,
 * in order, one more than the page holds. */
static void
list_sql(const struct list_spec *spec, const struct filter *f, const struct page *pg,
         struct sqlb *q)
{
    const struct sort_col *sort = &spec->sorts[pg->sort];
    const char *dir = pg->desc ? "DESC" : "ASC";
    const char *sort_expr = sort->expr, *id_expr = "x.id";
    bool by_theme = theme_path(spec, f, pg);
    bool top = top_ranked(spec, f, pg);

    if (by_theme) {
        sort_expr = "at.published";
        if (spec == &specs[RES_ARTICLES])
            id_expr = "at.article_id";
    }
    if (top) {
        sort_expr = "t.rank";
        id_expr = "t.id";
    }
    buf_adds(&q->sql, spec->select);
    if ((pg->include & INC_BODY) && spec->select_body != NULL)
        buf_adds(&q->sql, spec->select_body);
    if (spec->deferred_join != NULL)
        buf_addf(&q->sql, ", k.* FROM (SELECT %s AS k_id", id_expr);
    if (spec->extra_cols != NULL)
        spec->extra_cols(q, pg);
    buf_addf(&q->sql, ", %s AS k_sort", sort_expr);
    if (top)
        top_from(f, q);
    else
        from_where(spec, f, pg, q);
    if (pg->after != NULL) {
        buf_addf(&q->sql, " AND (%s, %s) %s (", sort_expr, id_expr, pg->desc ? "<" : ">");
        bind_after(q, json_array_get(pg->after, 0), sort->type);
        buf_adds(&q->sql, ", ");
        sqlb_int(q, json_integer_value(json_array_get(pg->after, 1)));
        buf_adds(&q->sql, ")");
    }
    /* few dates: found through their index, then sorted, rather than in
     * order from the sort's index (which SQLite takes a range to be worth) */
    buf_addf(&q->sql, " ORDER BY %s%s %s, %s %s LIMIT ",
             q->dense & SPARSE_DATES ? "+" : "", sort_expr, dir, id_expr, dir);
    sqlb_int(q, pg->limit + 1);
    if (spec->deferred_join != NULL)
        buf_addf(&q->sql, ") k%s ORDER BY k.k_sort %s, k.k_id %s", spec->deferred_join,
                 dir, dir);
}

static enum err
list_run(struct conn *c, const struct list_spec *spec, const struct filter *f,
         const struct page *pg, json_t **out, struct err_info *ei)
{
    const struct sort_col *sort = &spec->sorts[pg->sort];
    json_t *data = NULL, *next = json_null(), *last_key = NULL;
    sqlite3_stmt *st;
    struct sqlb q;
    int rc, n = 0;

    sqlb_init(&q);
    q.dense = dense_filters(c, spec, f, pg, ei);
    if (ei->code != ERR_OK)
        goto out;
    list_sql(spec, f, pg, &q);
    st = conn_prepare(c, q.sql.data, ei);
    if (st == NULL)
        goto out;
    sqlb_bind(&q, st);
    data = json_array();
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int last = sqlite3_column_count(st) - 1;

        if (n == pg->limit) {
            /* one more row than asked for: the page has a successor,
             * which starts after the last row returned */
            json_decref(next);
            next = last_key;
            last_key = NULL;
            break;
        }
        json_t *row = spec->row(c, st, pg->include, ei);
        if (row == NULL)
            break;
        json_array_append_new(data, row);
        json_decref(last_key);
        last_key = json_pack("[o, o]", sort_value(st, last, sort->type), col_int(st, 0));
        n++;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        conn_fail(c, ei);
    stmt_done(st);
    if (ei->code != ERR_OK ||
        (spec->finish != NULL && spec->finish(c, f, pg, data, ei) != ERR_OK))
        goto out;
    *out = json_pack("{s:o, s:o}", "data", data, "next", next);
    data = next = NULL;
    if (pg->count && count_rows(c, spec, f, *out, ei) != ERR_OK) {
        json_decref(*out);
        *out = NULL;
    }
out:
    json_decref(data);
    json_decref(next);
    json_decref(last_key);
    sqlb_release(&q);
    return ei->code;
}

static enum err
check_page(const struct list_spec *spec, const struct page *pg, struct err_info *ei)
{
    const struct sort_col *sort;

    if ((unsigned)pg->sort >= SORT_KEY_COUNT || spec->sorts[pg->sort].expr == NULL)
        return err_set(ei, ERR_INVALID, "this list cannot be sorted that way");
    sort = &spec->sorts[pg->sort];
    if (pg->after != NULL &&
        (!json_is_array(pg->after) || json_array_size(pg->after) != 2 ||
         !json_is_integer(json_array_get(pg->after, 1)) ||
         (sort->type == ST_TEXT   ? !json_is_string(json_array_get(pg->after, 0))
          : sort->type == ST_REAL ? !json_is_number(json_array_get(pg->after, 0))
                                  : !json_is_integer(json_array_get(pg->after, 0)))))
        return err_set(ei, ERR_INVALID, "the cursor does not fit this list");
    return ERR_OK;
}

/* Appends the steps of q's plan to plan, each after prefix. */
static void
explain(struct conn *c, struct sqlb *q, const char *prefix, json_t *plan,
        struct err_info *ei)
{
    sqlite3_stmt *st = conn_prepare(c, q->sql.data, ei);

    if (st == NULL)
        return;
    sqlb_bind(q, st);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(plan,
                              json_sprintf("%s%s", prefix, sqlite3_column_text(st, 3)));
    stmt_done(st);
}

enum err
sqlite_query_plan(struct store *stp, enum resource res, const struct filter *f,
                  const struct page *pg, json_t **out, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    json_t *plan;
    struct sqlb q;
    struct conn *c;

    *out = NULL;
    if (check_page(&specs[res], pg, ei) != ERR_OK || reader_acquire(s, &c, ei) != ERR_OK)
        return ei->code;
    plan = json_array();
    sqlb_init(&q);
    q.dense = dense_filters(c, &specs[res], f, pg, ei);
    buf_adds(&q.sql, "EXPLAIN QUERY PLAN ");
    list_sql(&specs[res], f, pg, &q);
    if (ei->code == ERR_OK)
        explain(c, &q, "", plan, ei);
    sqlb_release(&q);
    if (pg->count && ei->code == ERR_OK) {
        sqlb_init(&q);
        buf_adds(&q.sql, "EXPLAIN QUERY PLAN SELECT count(*)");
        from_where(&specs[res], f, NULL, &q);
        explain(c, &q, "count: ", plan, ei);
        sqlb_release(&q);
    }
    reader_release(s, c);
    if (ei->code == ERR_OK)
        *out = plan;
    else
        json_decref(plan);
    return ei->code;
}

enum err
sqlite_list(struct store *stp, enum resource res, const struct filter *f,
            const struct page *pg, json_t **out, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    const struct list_spec *spec = &specs[res];
    struct conn *c;

    *out = NULL;
    if (check_page(spec, pg, ei) != ERR_OK)
        return ei->code;

    if (reader_acquire(s, &c, ei) != ERR_OK)
        return ei->code;
    list_run(c, spec, f, pg, out, ei);
    reader_release(s, c);
    return ei->code;
}

enum err
sqlite_article_count(struct store *stp, int64_t *out, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    sqlite3_stmt *st;
    struct conn *c;

    *out = 0;
    if (reader_acquire(s, &c, ei) != ERR_OK)
        return ei->code;
    st = conn_prepare(c, "SELECT count(*) FROM articles", ei);
    if (st != NULL) {
        if (sqlite3_step(st) == SQLITE_ROW)
            *out = sqlite3_column_int64(st, 0);
        else
            conn_fail(c, ei);
        stmt_done(st);
    }
    reader_release(s, c);
    return ei->code;
}

enum err
sqlite_stats(struct store *stp, json_t **out, struct err_info *ei)
{
    static const char *const tables[] = {"articles",      "themes", "officials",
                                         "organizations", "quotes", "api_keys"};
    struct sqlite_store *s = SQLITE_STORE(stp);
    json_t *rows = json_object();
    struct buf sql;
    struct conn *c;
    int64_t size = 0;

    *out = NULL;
    if (reader_acquire(s, &c, ei) != ERR_OK) {
        json_decref(rows);
        return ei->code;
    }
    buf_init(&sql);
    for (size_t i = 0; i <= sizeof(tables) / sizeof(tables[0]) && ei->code == ERR_OK;
         i++) {
        sqlite3_stmt *st;

        buf_reset(&sql);
        if (i < sizeof(tables) / sizeof(tables[0]))
            buf_addf(&sql, "SELECT count(*) FROM %s", tables[i]); /* constant names */
        else
            buf_adds(&sql, "SELECT page_count * page_size FROM pragma_page_count(),"
                           " pragma_page_size()");
        st = conn_prepare(c, sql.data, ei);
        if (st == NULL)
            break;
        if (sqlite3_step(st) != SQLITE_ROW)
            conn_fail(c, ei);
        else if (i < sizeof(tables) / sizeof(tables[0]))
            json_object_set_new(rows, tables[i],
                                json_integer(sqlite3_column_int64(st, 0)));
        else
            size = sqlite3_column_int64(st, 0);
        stmt_done(st);
    }
    buf_release(&sql);
    reader_release(s, c);
    if (ei->code != ERR_OK) {
        json_decref(rows);
        return ei->code;
    }
    *out = json_pack("{s:I, s:o}", "size_bytes", (json_int_t)size, "rows", rows);
    return ERR_OK;
}
