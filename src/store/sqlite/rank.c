/* rank.c - articles_bm25(): the relevance of an article to a full-text
 * query, as FTS5's own bm25() computes it, with the length of each
 * article kept in memory.
 *
 * bm25() asks FTS5 for the length of every matching row, which is a
 * lookup in the table's docsize b-tree: a search whose words match
 * thousands of articles spends a good part of its time there.  The
 * lengths change only when the data does, so each connection keeps them
 * in an array indexed by rowid, filled as rows are ranked and emptied
 * when SQLite's data version for the connection moves (any commit, by
 * this program or another).  The scores are bm25()'s exactly: same idf,
 * same average length, same constants.
 *
 * Registered for articles_fts only: the lengths are of that table's rows. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/xalloc.h"
#include "sqlite.h"

#define BM25_K1 1.2
#define BM25_B  0.75
/* rowids beyond this are ranked without the cache */
#define MAX_CACHED_ROWID (1u << 22)

struct lengths {
    sqlite3 *db;
    unsigned data_version;
    uint32_t *len; /* tokens + 1 of rowid i, 0 when not known */
    size_t cap;
};

/* What a query needs once: its phrases' idf, the average length, and
 * whether the lengths kept can be used. */
struct query_data {
    int nphrase;
    bool lengths_kept;
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

/* Forgets the lengths kept if the data changed since they were read, and
 * says whether they can be used: a statement reads one version of the
 * data, so once a query is enough. */
static bool
lengths_current(struct lengths *l)
{
    unsigned version = 0;

    if (sqlite3_file_control(l->db, "main", SQLITE_FCNTL_DATA_VERSION, &version) !=
        SQLITE_OK)
        return false; /* no telling when data changes */
    if (version != l->data_version) {
        if (l->len != NULL)
            memset(l->len, 0, l->cap * sizeof(*l->len));
        l->data_version = version;
    }
    return true;
}

static int
query_data(struct lengths *l, const Fts5ExtensionApi *api, Fts5Context *fts,
           struct query_data **out)
{
    struct query_data *q = api->xGetAuxdata(fts, 0);
    sqlite3_int64 nrow = 0, ntoken = 0;
    int rc;

    if (q != NULL) {
        *out = q;
        return SQLITE_OK;
    }
    q = xcalloc(1, sizeof(*q));
    q->lengths_kept = lengths_current(l);
    q->nphrase = api->xPhraseCount(fts);
    q->idf = xcalloc((size_t)q->nphrase + 1, sizeof(double));
    q->freq = xcalloc((size_t)q->nphrase + 1, sizeof(double));
    rc = api->xRowCount(fts, &nrow);
    if (rc == SQLITE_OK)
        rc = api->xColumnTotalSize(fts, -1, &ntoken);
    if (rc == SQLITE_OK)
        q->avgdl = nrow > 0 ? (double)ntoken / (double)nrow : 1.0;
    for (int i = 0; rc == SQLITE_OK && i < q->nphrase; i++) {
        sqlite3_int64 nhit = 0;

        rc = api->xQueryPhrase(fts, i, &nhit, count_row);
        q->idf[i] = log(((double)nrow - (double)nhit + 0.5) / ((double)nhit + 0.5));
        if (q->idf[i] <= 0.0)
            q->idf[i] = 1e-6;
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

/* The length in tokens of the current row. */
static int
row_length(struct lengths *l, const struct query_data *q, const Fts5ExtensionApi *api,
           Fts5Context *fts, int *out)
{
    sqlite3_int64 rowid = api->xRowid(fts);
    int rc;

    if (!q->lengths_kept)
        return api->xColumnSize(fts, -1, out);
    if (rowid >= 0 && (uint64_t)rowid < l->cap && l->len[rowid] != 0) {
        *out = (int)(l->len[rowid] - 1);
        return SQLITE_OK;
    }
    rc = api->xColumnSize(fts, -1, out);
    if (rc != SQLITE_OK || rowid < 0 || (uint64_t)rowid >= MAX_CACHED_ROWID)
        return rc;
    if ((uint64_t)rowid >= l->cap) {
        size_t cap = l->cap > 0 ? l->cap : 4096;

        while (cap <= (uint64_t)rowid)
            cap *= 2;
        l->len = xrealloc(l->len, cap * sizeof(*l->len));
        memset(l->len + l->cap, 0, (cap - l->cap) * sizeof(*l->len));
        l->cap = cap;
    }
    l->len[rowid] = (uint32_t)*out + 1;
    return SQLITE_OK;
}

/* articles_bm25(articles_fts, weight of column 0, weight of column 1, ...) */
static void
articles_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
              int nval, sqlite3_value **vals)
{
    struct lengths *l = api->xUserData(fts);
    struct query_data *q;
    double score = 0.0;
    int rc, ninst = 0, dl = 0;

    rc = query_data(l, api, fts, &q);
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
    for (int i = 0; i < q->nphrase; i++) {
        double f = q->freq[i];

        score += q->idf[i] * (f * (BM25_K1 + 1.0)) /
                 (f + BM25_K1 * (1.0 - BM25_B + BM25_B * (double)dl / q->avgdl));
    }
    sqlite3_result_double(ctx, -1.0 * score);
}

static void
lengths_free(void *p)
{
    struct lengths *l = p;

    free(l->len);
    free(l);
}

int
rank_register(sqlite3 *db, fts5_api *api)
{
    struct lengths *l = xcalloc(1, sizeof(*l));

    l->db = db;
    return api->xCreateFunction(api, "articles_bm25", l, articles_bm25, lengths_free);
}
