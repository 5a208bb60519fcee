/* top.c - articles_top(query, from, to): the articles a full-text query
 * finds, published from..to (inclusive dates; NULL for no bound), with
 * the rank articles_bm25() gives each (bm25()'s, to the bit), in order of
 * rank: a table-valued function whose columns are id and rank.
 *
 * Through FTS5 a search costs something for every article it finds: FTS5
 * reads each phrase's positions in the article and the search reads its
 * date; two common words find most articles.  Here each phrase's
 * articles, with its hits in each column, are read from FTS5 once and
 * kept by the connection, as are the articles' dates, until the data
 * changes (kept_current()).  A query merges its phrases' lists, scores
 * the articles it finds in C, and orders them in a heap, so that only
 * the rows read are sorted.
 *
 * The query is the MATCH text as sqlb_match() renders it: groups of
 * phrases OR'd within and AND'd together, then NOT and the phrases
 * excluded.  When something cannot be kept (a rowid beyond
 * MAX_CACHED_ROWID, a bound that is not a date) the same rows and ranks
 * come from FTS5 and articles_bm25() instead. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/query.h"
#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "rank.h"

#define POSTINGS_PTR "gazette_postings"

enum { COL_ID, COL_RANK, COL_QUERY, COL_FROM, COL_TO };
enum { IDX_DESC = 1, IDX_FROM = 2, IDX_TO = 4 };

struct top_vtab {
    sqlite3_vtab base;
    struct kept *kept;
};

struct ranked {
    double rank;
    sqlite3_int64 id;
};

/* The rows of a query, a heap whose first is the current row. */
struct top_cursor {
    sqlite3_vtab_cursor base;
    struct ranked *v;
    size_t n, cap;
    bool desc;
};

/* A place in a list: the article there and its hits, and the bytes after
 * it. */
struct place {
    const uint8_t *next, *end;
    uint32_t id;
    uint32_t hits[ARTICLES_COLUMNS];
    bool done;
};

/* A phrase of the query and, once read, its list. */
struct phrase {
    const char *text;
    size_t len;
    int group; /* -1 when excluded */
    struct plist *list;
    double idf;
    struct place at; /* the merge's place in the list */
};

/* The articles_hits() of one list being read. */
struct reading {
    struct kept *kept;
    struct plist *list;
    bool beyond; /* a rowid beyond what can be kept */
};

void
lists_forget(struct kept *l)
{
    for (size_t i = 0; i < LIST_SLOTS; i++) {
        free(l->lists[i].phrase);
        free(l->lists[i].bytes);
        memset(&l->lists[i], 0, sizeof(l->lists[i]));
    }
    l->nlists = 0;
    l->list_bytes = 0;
}

/* The slot of phrase[0..n): its list, or the free slot it would take. */
static struct plist *
list_slot(struct kept *l, const char *phrase, size_t n)
{
    size_t i = (size_t)hash_fnv1a(phrase, n) & (LIST_SLOTS - 1);

    while (l->lists[i].phrase != NULL &&
           (strncmp(l->lists[i].phrase, phrase, n) != 0 || l->lists[i].phrase[n] != '\0'))
        i = (i + 1) & (LIST_SLOTS - 1);
    return &l->lists[i];
}

static void
put_varint(struct plist *list, uint32_t v)
{
    if (list->cap - list->nbytes < 5) {
        list->cap = list->cap ? 2 * list->cap : 256;
        list->bytes = xrealloc(list->bytes, list->cap);
    }
    while (v >= 0x80) {
        list->bytes[list->nbytes++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    list->bytes[list->nbytes++] = (uint8_t)v;
}

static uint32_t
get_varint(const uint8_t **p)
{
    uint32_t v = 0;
    int shift = 0;

    while (**p & 0x80) {
        v |= (uint32_t)(*(*p)++ & 0x7F) << shift;
        shift += 7;
    }
    return v | (uint32_t) * (*p)++ << shift;
}

static void
place_next(struct place *at)
{
    if (at->next >= at->end) {
        at->done = true;
        return;
    }
    at->id += get_varint(&at->next);
    for (int col = 0; col < ARTICLES_COLUMNS; col++)
        at->hits[col] = get_varint(&at->next);
}

/* The place of the first article of list. */
static struct place
place_first(const struct plist *list)
{
    struct place at = {.done = list->nbytes == 0};

    if (!at.done) { /* an empty list may have no bytes at all */
        at.next = list->bytes;
        at.end = list->bytes + list->nbytes;
        place_next(&at);
    }
    return at;
}

/* articles_hits(articles_fts, reading): adds the current row to the list
 * being read, with its hits in each column (as bm25() counts them) and
 * its length. */
static void
articles_hits(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
              int nval, sqlite3_value **vals)
{
    struct reading *r = nval == 1 ? sqlite3_value_pointer(vals[0], POSTINGS_PTR) : NULL;
    sqlite3_int64 rowid = api->xRowid(fts);
    uint32_t hits[ARTICLES_COLUMNS] = {0};
    int rc, ninst = 0, ntoken = 0;
    bool kept = true;

    if (r == NULL) {
        sqlite3_result_error(ctx, "articles_hits: for articles_top() only", -1);
        return;
    }
    rc = api->xInstCount(fts, &ninst);
    for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
        int phrase, col, off;

        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && col >= 0 && col < ARTICLES_COLUMNS)
            hits[col]++;
    }
    if (rc == SQLITE_OK && !r->kept->totals_known) {
        rc = api->xRowCount(fts, &r->kept->nrow);
        if (rc == SQLITE_OK)
            rc = api->xColumnTotalSize(fts, -1, &r->kept->ntoken);
        r->kept->totals_known = rc == SQLITE_OK;
    }
    if (rc == SQLITE_OK)
        rc = kept_length(r->kept, api, fts, &ntoken, &kept);
    if (rc == SQLITE_OK && !kept)
        r->beyond = true;
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    if (r->beyond)
        return;
    put_varint(r->list, (uint32_t)rowid - r->list->last);
    for (int col = 0; col < ARTICLES_COLUMNS; col++)
        put_varint(r->list, hits[col]);
    r->list->last = (uint32_t)rowid;
    r->list->n++;
}

/* Forgets the lists used longest ago, but not by the current query, while
 * more than half the slots would be taken with `more` lists more, or the
 * bytes are beyond the bound; then puts the others back in their slots,
 * since a free slot would cut the probe sequences through it. */
static void
lists_trim(struct kept *l, size_t more)
{
    struct plist *kept_lists;
    size_t n = 0;

    if (l->nlists + more <= LIST_SLOTS / 2 && l->list_bytes <= LIST_BYTES_MAX)
        return;
    while (l->nlists > 0 &&
           (l->nlists + more > LIST_SLOTS / 2 || l->list_bytes > LIST_BYTES_MAX)) {
        struct plist *old = NULL;

        for (size_t i = 0; i < LIST_SLOTS; i++) {
            struct plist *p = &l->lists[i];

            if (p->phrase != NULL && p->used < l->queries &&
                (old == NULL || p->used < old->used))
                old = p;
        }
        if (old == NULL)
            break;
        l->list_bytes -= old->cap;
        l->nlists--;
        free(old->phrase);
        free(old->bytes);
        memset(old, 0, sizeof(*old));
    }
    kept_lists = xcalloc(l->nlists + 1, sizeof(*kept_lists));
    for (size_t i = 0; i < LIST_SLOTS; i++) {
        if (l->lists[i].phrase != NULL)
            kept_lists[n++] = l->lists[i];
    }
    memset(l->lists, 0, sizeof(l->lists));
    for (size_t i = 0; i < n; i++)
        *list_slot(l, kept_lists[i].phrase, strlen(kept_lists[i].phrase)) = kept_lists[i];
    free(kept_lists);
}

/* The list of phrase ph, read if it is not kept: SQLITE_DONE when it
 * cannot be kept. */
static int
list_get(struct kept *l, struct phrase *ph)
{
    struct plist *list = list_slot(l, ph->text, ph->len);
    struct reading r = {.kept = l, .list = list};
    sqlite3_stmt *st;
    int rc;

    if (list->phrase != NULL) {
        list->used = l->queries;
        ph->list = list;
        return SQLITE_OK;
    }
    rc = sqlite3_prepare_v2(l->db,
                            "SELECT articles_hits(articles_fts, ?2) FROM articles_fts"
                            " WHERE articles_fts MATCH ?1",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_text(st, 1, ph->text, (int)ph->len, SQLITE_STATIC);
    sqlite3_bind_pointer(st, 2, &r, POSTINGS_PTR, NULL);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && !r.beyond)
        ;
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE || r.beyond) {
        free(list->bytes);
        memset(list, 0, sizeof(*list));
        return r.beyond ? SQLITE_DONE : rc;
    }
    if (list->nbytes < list->cap) {
        list->cap = list->nbytes > 0 ? list->nbytes : 1;
        list->bytes = xrealloc(list->bytes, list->cap);
    }
    list->phrase = xstrndup(ph->text, ph->len);
    list->used = l->queries;
    l->nlists++;
    l->list_bytes += list->cap;
    ph->list = list;
    return SQLITE_OK;
}

/* The day of date s (YYYY-MM-DD) in *out; false if s is not a date.  Days
 * are in the order of the dates as text, as SQL compares them. */
static bool
day_of(const char *s, int32_t *out)
{
    if (s == NULL || !date_valid(s))
        return false;
    *out = (int32_t)date_to_days(s);
    return true;
}

/* The date of every article: SQLITE_DONE when one cannot be kept. */
static int
days_get(struct kept *l)
{
    sqlite3_stmt *st;
    bool beyond = false;
    int rc;

    if (l->days_known)
        return SQLITE_OK;
    rc = sqlite3_prepare_v2(l->db, "SELECT id, published FROM articles", -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    if (l->day != NULL)
        memset(l->day, 0, l->nday * sizeof(*l->day));
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        int32_t day = 0;

        if (id < 0 || (uint64_t)id >= MAX_CACHED_ROWID ||
            !day_of((const char *)sqlite3_column_text(st, 1), &day)) {
            beyond = true;
            break;
        }
        l->day = kept_grow(l->day, &l->nday, (size_t)id, sizeof(*l->day));
        l->day[id] = day;
    }
    sqlite3_finalize(st);
    if (beyond)
        return SQLITE_DONE;
    if (rc != SQLITE_DONE)
        return rc;
    l->days_known = true;
    return SQLITE_OK;
}

/* The phrases of query, as sqlb_match() renders it; -1 if it is not in
 * that form. */
static int
parse_phrases(const char *query, struct phrase *ph, int *ngroups)
{
    const char *p = query, *start;
    int n = 0, group = 0;
    bool excluded = false;

    while (*p != '\0') {
        if (*p == '"') {
            const char *end = next_phrase(p, &start);

            if (end == NULL || n == TQ_MAX_TERMS)
                return -1;
            ph[n++] = (struct phrase){.text = start,
                                      .len = (size_t)(end - start),
                                      .group = excluded ? -1 : group};
            p = end;
        } else if (strncmp(p, "AND", 3) == 0) {
            group++;
            p += 3;
        } else if (strncmp(p, "NOT", 3) == 0) {
            excluded = true;
            p += 3;
        } else {
            p++;
        }
    }
    *ngroups = group + 1;
    return n > 0 && group < 64 ? n : -1;
}

static void
add_row(struct top_cursor *c, double rank, sqlite3_int64 id)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
    }
    c->v[c->n++] = (struct ranked){rank, id};
}

/* The rows from the lists kept; SQLITE_DONE when they cannot serve. */
static int
rows_from_lists(struct top_cursor *c, struct kept *l, const char *query, const char *from,
                const char *to)
{
    static const double weight[ARTICLES_COLUMNS] = ARTICLES_WEIGHTS;
    struct phrase ph[TQ_MAX_TERMS];
    int32_t lo = INT32_MIN, hi = INT32_MAX;
    int n, ngroups, rc;
    size_t missing = 0;
    uint64_t all;
    double avgdl;

    n = parse_phrases(query, ph, &ngroups);
    if (n < 0 || !kept_current(l))
        return SQLITE_DONE;
    if ((from != NULL && !day_of(from, &lo)) || (to != NULL && !day_of(to, &hi)))
        return SQLITE_DONE;
    if ((from != NULL || to != NULL) && (rc = days_get(l)) != SQLITE_OK)
        return rc;
    /* the lists this query has are stamped, room is made for the others,
     * and then all are found (trimming moves lists to other slots) */
    l->queries++;
    for (int i = 0; i < n; i++) {
        struct plist *list = list_slot(l, ph[i].text, ph[i].len);

        if (list->phrase != NULL)
            list->used = l->queries;
        else
            missing++;
    }
    lists_trim(l, missing);
    for (int i = 0; i < n; i++) {
        if ((rc = list_get(l, &ph[i])) != SQLITE_OK)
            return rc;
    }
    if (!l->totals_known)
        return SQLITE_OK; /* no phrase is found anywhere */
    avgdl = l->nrow > 0 ? (double)l->ntoken / (double)l->nrow : 1.0;
    for (int i = 0; i < n; i++)
        ph[i].idf = bm25_idf(l->nrow, (sqlite3_int64)ph[i].list->n);
    all = ngroups == 64 ? UINT64_MAX : ((uint64_t)1 << ngroups) - 1;
    for (int i = 0; i < n; i++)
        ph[i].at = place_first(ph[i].list);

    for (;;) {
        sqlite3_int64 id = INT64_MAX;
        uint32_t hits[TQ_MAX_TERMS][ARTICLES_COLUMNS];
        bool hit[TQ_MAX_TERMS];
        uint64_t groups = 0;
        bool excluded = false;
        double score = 0.0;
        int ntoken;

        for (int i = 0; i < n; i++) {
            if (ph[i].group >= 0 && !ph[i].at.done && ph[i].at.id < id)
                id = ph[i].at.id;
        }
        if (id == INT64_MAX)
            break;
        for (int i = 0; i < n; i++) {
            struct place *at = &ph[i].at;

            while (!at->done && at->id < id)
                place_next(at);
            hit[i] = !at->done && at->id == id;
            if (!hit[i])
                continue;
            memcpy(hits[i], at->hits, sizeof(hits[i]));
            place_next(at);
            if (ph[i].group < 0)
                excluded = true;
            else
                groups |= (uint64_t)1 << ph[i].group;
        }
        if (excluded || groups != all ||
            ((from != NULL || to != NULL) &&
             ((size_t)id >= l->nday || l->day[id] < lo || l->day[id] > hi)))
            continue;
        ntoken = (int)l->len[id] - 1;
        /* phrases in FTS5's order, each with its hits weighed as bm25()
         * weighs them (one weight a hit: integral sums, exact) */
        for (int i = 0; i < n; i++) {
            double freq = 0.0;

            if (!hit[i])
                continue;
            for (int col = 0; col < ARTICLES_COLUMNS; col++)
                freq += weight[col] * (double)hits[i][col];
            score += bm25_part(ph[i].idf, freq, ntoken, avgdl);
        }
        add_row(c, -1.0 * score, id);
    }
    return SQLITE_OK;
}

/* The rows from FTS5 and articles_bm25(). */
static int
rows_from_fts(struct top_cursor *c, struct kept *l, const char *query, const char *from,
              const char *to)
{
    sqlite3_stmt *st;
    int rc;

    rc = sqlite3_prepare_v2(
        l->db,
        "SELECT x.id, articles_bm25(articles_fts, ?1, " ARTICLES_WEIGHTS_SQL ")"
        " FROM articles_fts JOIN articles x INDEXED BY articles_filter"
        " ON x.id = articles_fts.rowid WHERE articles_fts MATCH ?1"
        " AND (?2 IS NULL OR x.published >= ?2) AND (?3 IS NULL OR x.published <= ?3)",
        -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    sqlite3_bind_text(st, 1, query, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, from, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        add_row(c, sqlite3_column_double(st, 1), sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Whether row a comes before row b. */
static bool
before(const struct top_cursor *c, const struct ranked *a, const struct ranked *b)
{
    if (a->rank != b->rank)
        return c->desc ? a->rank > b->rank : a->rank < b->rank;
    return c->desc ? a->id > b->id : a->id < b->id;
}

static void
sift_down(struct top_cursor *c, size_t i)
{
    for (;;) {
        size_t first = i, kid = 2 * i + 1;

        if (kid < c->n && before(c, &c->v[kid], &c->v[first]))
            first = kid;
        if (kid + 1 < c->n && before(c, &c->v[kid + 1], &c->v[first]))
            first = kid + 1;
        if (first == i)
            return;
        struct ranked t = c->v[i];

        c->v[i] = c->v[first];
        c->v[first] = t;
        i = first;
    }
}

static int
top_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
            char **err)
{
    struct top_vtab *vt;
    int rc;

    (void)argc;
    (void)argv;
    (void)err;
    rc = sqlite3_declare_vtab(db, "CREATE TABLE x(id INTEGER, rank REAL,"
                                  " query HIDDEN, \"from\" HIDDEN, \"to\" HIDDEN)");
    if (rc != SQLITE_OK)
        return rc;
    vt = xcalloc(1, sizeof(*vt));
    vt->kept = aux;
    *out = &vt->base;
    return SQLITE_OK;
}

static int
top_disconnect(sqlite3_vtab *vt)
{
    free(vt);
    return SQLITE_OK;
}

/* The query is required; the dates are taken when given; the order of
 * rank (then id), either way, is the table's own. */
static int
top_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
    int arg[COL_TO + 1] = {-1, -1, -1, -1, -1}, next = 1, idx = 0;

    (void)vt;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *k = &info->aConstraint[i];

        if (k->iColumn < COL_QUERY)
            continue;
        if (!k->usable || k->op != SQLITE_INDEX_CONSTRAINT_EQ)
            return SQLITE_CONSTRAINT;
        arg[k->iColumn] = i;
    }
    if (arg[COL_QUERY] < 0)
        return SQLITE_CONSTRAINT;
    for (int col = COL_QUERY; col <= COL_TO; col++) {
        if (arg[col] < 0)
            continue;
        info->aConstraintUsage[arg[col]].argvIndex = next++;
        info->aConstraintUsage[arg[col]].omit = 1;
        idx |= col == COL_FROM ? IDX_FROM : col == COL_TO ? IDX_TO : 0;
    }
    if (info->nOrderBy >= 1 && info->nOrderBy <= 2 &&
        info->aOrderBy[0].iColumn == COL_RANK &&
        (info->nOrderBy == 1 || (info->aOrderBy[1].iColumn == COL_ID &&
                                 info->aOrderBy[1].desc == info->aOrderBy[0].desc))) {
        info->orderByConsumed = 1;
        idx |= info->aOrderBy[0].desc ? IDX_DESC : 0;
    }
    info->idxNum = idx;
    info->estimatedCost = 1000.0;
    return SQLITE_OK;
}

static int
top_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    struct top_cursor *c = xcalloc(1, sizeof(*c));

    (void)vt;
    *out = &c->base;
    return SQLITE_OK;
}

static int
top_close(sqlite3_vtab_cursor *cur)
{
    struct top_cursor *c = (struct top_cursor *)cur;

    free(c->v);
    free(c);
    return SQLITE_OK;
}

static int
top_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc,
           sqlite3_value **argv)
{
    struct top_cursor *c = (struct top_cursor *)cur;
    struct kept *l = ((struct top_vtab *)cur->pVtab)->kept;
    const char *query, *from = NULL, *to = NULL;
    int at = 1, rc;

    (void)idx_str;
    if (argc < 1)
        return SQLITE_ERROR;
    query = (const char *)sqlite3_value_text(argv[0]);
    if ((idx & IDX_FROM) && at < argc)
        from = (const char *)sqlite3_value_text(argv[at++]);
    if ((idx & IDX_TO) && at < argc)
        to = (const char *)sqlite3_value_text(argv[at++]);
    c->n = 0;
    c->desc = (idx & IDX_DESC) != 0;
    if (query == NULL)
        return SQLITE_OK;
    rc = rows_from_lists(c, l, query, from, to);
    if (rc == SQLITE_DONE) {
        c->n = 0;
        rc = rows_from_fts(c, l, query, from, to);
    }
    if (rc != SQLITE_OK) {
        c->n = 0;
        return rc;
    }
    for (size_t i = c->n / 2; i-- > 0;)
        sift_down(c, i);
    return SQLITE_OK;
}

static int
top_next(sqlite3_vtab_cursor *cur)
{
    struct top_cursor *c = (struct top_cursor *)cur;

    c->v[0] = c->v[--c->n];
    sift_down(c, 0);
    return SQLITE_OK;
}

static int
top_eof(sqlite3_vtab_cursor *cur)
{
    return ((struct top_cursor *)cur)->n == 0;
}

static int
top_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    struct top_cursor *c = (struct top_cursor *)cur;

    if (col == COL_ID)
        sqlite3_result_int64(ctx, c->v[0].id);
    else if (col == COL_RANK)
        sqlite3_result_double(ctx, c->v[0].rank);
    return SQLITE_OK;
}

static int
top_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
    *out = ((struct top_cursor *)cur)->v[0].id;
    return SQLITE_OK;
}

static const sqlite3_module top_module = {
    .xConnect = top_connect,
    .xBestIndex = top_best_index,
    .xDisconnect = top_disconnect,
    .xOpen = top_open,
    .xClose = top_close,
    .xFilter = top_filter,
    .xNext = top_next,
    .xEof = top_eof,
    .xColumn = top_column,
    .xRowid = top_rowid,
};

int
top_register(sqlite3 *db, fts5_api *api, struct kept *l)
{
    int rc = api->xCreateFunction(api, "articles_hits", l, articles_hits, NULL);

    return rc == SQLITE_OK ? sqlite3_create_module(db, "articles_top", &top_module, l)
                           : rc;
}
