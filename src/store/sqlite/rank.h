/* rank.h - what articles_bm25() (rank.c) and articles_top() (top.c)
 * share: what a connection keeps of articles_fts between queries, and
 * bm25's arithmetic, so that both give bm25()'s scores to the bit. */
#ifndef GAZETTE_STORE_SQLITE_RANK_H
#define GAZETTE_STORE_SQLITE_RANK_H

#include <stdbool.h>
#include <stdint.h>

#include "gazette/buf.h"
#include "sqlite.h"

/* The weights of articles_fts's columns, title and body, in SQL and in C. */
#define ARTICLES_WEIGHTS_SQL "10.0, 1.0"
#define ARTICLES_WEIGHTS                                                                 \
    {                                                                                    \
        10.0, 1.0                                                                        \
    }
#define ARTICLES_COLUMNS 2

/* rowids beyond this are ranked without what is kept */
#define MAX_CACHED_ROWID (1u << 22)
/* phrase counts kept (a power of two); all are forgotten when half full */
#define DF_SLOTS 2048
/* phrase lists kept (a power of two), and their bytes: before a query,
 * the lists used longest ago are forgotten while more than half the slots
 * would be taken or the bytes are beyond the bound */
#define LIST_SLOTS     256
#define LIST_BYTES_MAX (16u << 20)

struct df_entry {
    char *phrase; /* NULL when the slot is free */
    sqlite3_int64 nrow;
};

/* The articles a phrase is found in, by rowid, each with its hits in each
 * column, as varints: the rowid's distance from the one before, then
 * the hits (about 3 bytes an article, so that the lists of the words
 * people look for stay in memory). */
struct plist {
    char *phrase; /* NULL when the slot is free */
    uint8_t *bytes;
    size_t nbytes, cap;
    size_t n;      /* articles */
    uint32_t last; /* the last rowid, while the list is read */
    uint64_t used; /* the query that last used it */
};

/* What a connection keeps between queries, all of it forgotten when the
 * data changes. */
struct kept {
    sqlite3 *db;
    unsigned data_version;
    uint32_t *len; /* tokens + 1 of rowid i, 0 when not known */
    size_t cap;
    struct df_entry df[DF_SLOTS]; /* rows matched, by phrase */
    size_t ndf;
    /* articles_top() */
    struct plist lists[LIST_SLOTS];
    size_t nlists, list_bytes;
    uint64_t queries; /* counts queries, to stamp the lists they use */
    int32_t *day;     /* published of rowid i, as days (date_to_days()) */
    size_t nday;
    bool days_known;
    bool totals_known; /* rows and tokens of the table */
    sqlite3_int64 nrow, ntoken;
};

/* Forgets what is kept if the data changed since it was read; false when
 * there is no telling, and nothing kept may be used. */
bool kept_current(struct kept *l);
/* v, an array of *n elements of size bytes, grown to hold element i, the
 * new elements zero. */
void *kept_grow(void *v, size_t *n, size_t i, size_t size);
/* The length in tokens of FTS5's current row, kept by rowid once read;
 * *kept (unless NULL) is false for a rowid beyond MAX_CACHED_ROWID, whose
 * length is read each time. */
int kept_length(struct kept *l, const Fts5ExtensionApi *api, Fts5Context *fts, int *out,
                bool *kept);
/* The end of the phrase that starts at or after p in a query as
 * sqlb_match() renders it, its start in *start; NULL when there is none. */
const char *next_phrase(const char *p, const char **start);

/* bm25's weight of a phrase found in nhit of nrow rows. */
double bm25_idf(sqlite3_int64 nrow, sqlite3_int64 nhit);
/* A phrase's part of a row's score, as bm25() computes it. */
double bm25_part(double idf, double freq, int ntoken, double avgdl);

/* snippet.c: the passages of articles around a query's phrases, found
 * by tokenizing the articles' text rather than through FTS5's query.
 * match is the query as sqlb_match() renders it; NULL if the tokenizer
 * cannot be had. */
struct passages;
struct passages *passages_new(fts5_api *api, const char *match);
/* What goes around a hit and where the text is cut; with html, the text
 * between them is escaped, so that the passage is an HTML fragment. */
struct marks {
    const char *start, *end, *ellipsis;
    bool html;
};
/* Appends the passage of n tokens of the text of ncol columns (the
 * table's, in its order) with the phrases marked, as articles_snippet()
 * writes it. */
void passages_write(struct passages *p, struct buf *out, const char *const text[],
                    const int len[], int ncol, const struct marks *m, int n);
void passages_free(struct passages *p);

/* top.c: articles_top() and the articles_hits() it reads lists with;
 * lists_forget() frees the lists kept */
void lists_forget(struct kept *l);
int top_register(sqlite3 *db, fts5_api *api, struct kept *l);

#endif
