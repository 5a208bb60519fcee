/* rank.c - articles_bm25(): the relevance of an article to a full-text
 * query, as FTS5's own bm25() computes it, with the length of each
 * article and the document frequency of each query term kept in memory.
 *
 * bm25() asks FTS5 for the length of every matching row, which is a
 * lookup in the table's docsize b-tree: a search whose words match
 * thousands of articles spends a good part of its time there.  It also
 * counts, for each query, the rows every phrase of the query matches, a
 * walk over the phrase's whole index.  Both change only when the data
 * does, so each connection keeps them: the lengths in an array indexed by
 * rowid, filled as rows are ranked, the counts by the phrase's text, and
 * both are forgotten when SQLite's data version for the connection moves
 * (any commit, by this program or another).  The scores are bm25()'s
 * exactly: same idf, same average length, same constants.
 *
 * Registered for articles_fts only: the lengths are of that table's rows. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "rank.h"

#define BM25_K1 1.2
#define BM25_B  0.75

/* What a query needs once: its phrases' idf, the average length, and
 * whether what is kept can be used. */
struct query_data {
    int nphrase;
    bool kept_usable;
    double avgdl;
    double *idf;
    double *freq; /* per phrase, for the current row */
};

static int
count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *arg)
{
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)arg)++;
    return SQLITE_OK;
}

static void
query_data_free(void *p)
{
    struct query_data *q = p;

    free(q->idf);
    free(q->freq);
    free(q);
}

static void
df_forget(struct kept *l)
{
    for (size_t i = 0; i < DF_SLOTS; i++) {
        free(l->df[i].phrase);
        l->df[i].phrase = NULL;
    }
    l->ndf = 0;
}

/* The slot of phrase[0..n): its entry, or the free slot it would take. */
static struct df_entry *
df_slot(struct kept *l, const char *phrase, size_t n)
{
    size_t i = (size_t)hash_fnv1a(phrase, n) & (DF_SLOTS - 1);

    while (l->df[i].phrase != NULL &&
           (strncmp(l->df[i].phrase, phrase, n) != 0 || l->df[i].phrase[n] != '\0'))
        i = (i + 1) & (DF_SLOTS - 1);
    return &l->df[i];
}

/* A phrase as sqlb_match() renders it: a quoted string, quotes doubled,
 * then " *" for a prefix. */
const char *
next_phrase(const char *p, const char **start)
{
    p = strchr(p, '"');
    if (p == NULL)
        return NULL;
    *start = p;
    for (p++; *p != '\0'; p++) {
        if (*p != '"')
            continue;
        if (p[1] != '"')
            return strncmp(p + 1, " *", 2) == 0 ? p + 3 : p + 1;
        p++;
    }
    return NULL;
}

/* A statement reads one version of the data, so once a query is enough. */
bool
kept_current(struct kept *l)
{
    unsigned version = 0;

    if (sqlite3_file_control(l->db, "main", SQLITE_FCNTL_DATA_VERSION, &version) !=
        SQLITE_OK)
        return false; /* no telling when data changes */
    if (version != l->data_version) {
        if (l->len != NULL)
            memset(l->len, 0, l->cap * sizeof(*l->len));
        df_forget(l);
        lists_forget(l);
        l->days_known = false;
        l->totals_known = false;
        l->data_version = version;
    }
    return true;
}

/* The number of rows phrase i matches: kept by the phrase's text when the
 * query's text is known (query, as sqlb_match() renders it, whose
 * phrases FTS5 numbers in order), else counted. */
static int
phrase_rows(struct kept *l, const Fts5ExtensionApi *api, Fts5Context *fts, int i,
            const char *phrase, size_t n, sqlite3_int64 *out)
{
    struct df_entry *e = NULL;
    int rc;

    *out = 0;
    if (phrase != NULL) {
        if (l->ndf >= DF_SLOTS / 2)
            df_forget(l);
        e = df_slot(l, phrase, n);
        if (e->phrase != NULL) {
            *out = e->nrow;
            return SQLITE_OK;
        }
    }
    rc = api->xQueryPhrase(fts, i, out, count_row);
    if (rc == SQLITE_OK && e != NULL) {
        e->phrase = xstrndup(phrase, n);
        e->nrow = *out;
        l->ndf++;
    }
    return rc;
}

/* The number of phrases of query, as sqlb_match() renders it. */
static int
count_phrases(const char *query)
{
    const char *p = query, *start;
    int n = 0;

    while (p != NULL && (p = next_phrase(p, &start)) != NULL)
        n++;
    return n;
}

static int
query_data(struct kept *l, const Fts5ExtensionApi *api, Fts5Context *fts,
           const char *query, struct query_data **out)
{
    struct query_data *q = api->xGetAuxdata(fts, 0);
    sqlite3_int64 nrow = 0, ntoken = 0;
    const char *p = query, *start = NULL;
    int rc;

    if (q != NULL) {
        *out = q;
        return SQLITE_OK;
    }
    q = xcalloc(1, sizeof(*q));
    q->kept_usable = kept_current(l);
    q->nphrase = api->xPhraseCount(fts);
    q->idf = xcalloc((size_t)q->nphrase + 1, sizeof(double));
    q->freq = xcalloc((size_t)q->nphrase + 1, sizeof(double));
    if (!q->kept_usable || query == NULL || count_phrases(query) != q->nphrase)
        p = NULL; /* phrases not known by their text: counted */
    rc = api->xRowCount(fts, &nrow);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &ntoken);
    if (rc == SQLITE_OK)
        q->avgdl = nrow > 0 ? (double)ntoken / (double)nrow : 1.0;
    for (int i = 0; rc == SQLITE_OK && i < q->nphrase; i++) {
        sqlite3_int64 nhit = 0;
        const char *end = p != NULL ? next_phrase(p, &start) : NULL;

        rc = phrase_rows(l, api, fts, i, end != NULL ? start : NULL,
                         end != NULL ? (size_t)(end - start) : 0, &nhit);
        p = end;
        q->idf[i] = bm25_idf(nrow, nhit);
    }
    if (rc != SQLITE_OK) {
        query_data_free(q);
        return rc;
    }
    /* on failure, FTS5 has called query_data_free already */
    rc = api->xSetAuxdata(fts, q, query_data_free);
    *out = q;
    return rc;
}

void *
kept_grow(void *v, size_t *n, size_t i, size_t size)
{
    size_t want = *n > 0 ? *n : 4096;

    if (i < *n)
        return v;
    while (want <= i)
        want *= 2;
    v = xrealloc(v, want * size);
    memset((char *)v + *n * size, 0, (want - *n) * size);
    *n = want;
    return v;
}

int
kept_length(struct kept *l, const Fts5ExtensionApi *api, Fts5Context *fts, int *out,
            bool *kept)
{
    sqlite3_int64 rowid = api->xRowid(fts);
    bool beyond = rowid < 0 || (uint64_t)rowid >= MAX_CACHED_ROWID;
    int rc;

    if (kept != NULL)
        *kept = !beyond;
    if (!beyond && (uint64_t)rowid < l->cap && l->len[rowid] != 0) {
        *out = (int)(l->len[rowid] - 1);
        return SQLITE_OK;
    }
    rc = api->xColumnSize(fts, -1, out);
    if (rc == SQLITE_OK && !beyond) {
        l->len = kept_grow(l->len, &l->cap, (size_t)rowid, sizeof(*l->len));
        l->len[rowid] = (uint32_t)*out + 1;
    }
    return rc;
}

/* The length in tokens of the current row. */
static int
row_length(struct kept *l, const struct query_data *q, const Fts5ExtensionApi *api,
           Fts5Context *fts, int *out)
{
    if (!q->kept_usable)
        return api->xColumnSize(fts, -1, out);
    return kept_length(l, api, fts, out, NULL);
}

double
bm25_idf(sqlite3_int64 nrow, sqlite3_int64 nhit)
{
    double idf = log(((double)nrow - (double)nhit + 0.5) / ((double)nhit + 0.5));

    return idf > 0.0 ? idf : 1e-6;
}

/* in bm25()'s order, so that the score is the same to the bit */
double
bm25_part(double idf, double freq, int ntoken, double avgdl)
{
    return idf * ((freq * (BM25_K1 + 1.0)) /
                  (freq + BM25_K1 * (1.0 - BM25_B + BM25_B * (double)ntoken / avgdl)));
}

/* articles_bm25(articles_fts, query, weight of column 0, weight of column
 * 1, ...): query is the text of the MATCH, or NULL */
static void
articles_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
              int nval, sqlite3_value **vals)
{
    struct kept *l = api->xUserData(fts);
    struct query_data *q;
    double score = 0.0;
    int rc, ninst = 0, dl = 0;

    if (nval < 1) {
        sqlite3_result_error(ctx, "articles_bm25: the query's text is missing", -1);
        return;
    }
    rc = query_data(l, api, fts, (const char *)sqlite3_value_text(vals[0]), &q);
    nval--;
    vals++;
    if (rc == SQLITE_OK) {
        memset(q->freq, 0, (size_t)q->nphrase * sizeof(double));
        rc = api->xInstCount(fts, &ninst);
    }
    for (int i = 0; rc == SQLITE_OK && i < ninst; i++) {
        int phrase, col, off;

        rc = api->xInst(fts, i, &phrase, &col, &off);
        if (rc == SQLITE_OK && phrase >= 0 && phrase < q->nphrase)
            q->freq[phrase] += col < nval ? sqlite3_value_double(vals[col]) : 1.0;
    }
    if (rc == SQLITE_OK)
        rc = row_length(l, q, api, fts, &dl);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    for (int i = 0; i < q->nphrase; i++)
        score += bm25_part(q->idf[i], q->freq[i], dl, q->avgdl);
    sqlite3_result_double(ctx, -1.0 * score);
}

static void
kept_free(void *p)
{
    struct kept *l = p;

    df_forget(l);
    lists_forget(l);
    free(l->len);
    free(l->day);
    free(l);
}

int
rank_register(sqlite3 *db, fts5_api *api)
{
    struct kept *l = xcalloc(1, sizeof(*l));
    int rc;

    l->db = db;
    rc = api->xCreateFunction(api, "articles_bm25", l, articles_bm25, kept_free);
    return rc == SQLITE_OK ? top_register(db, api, l) : rc;
}
