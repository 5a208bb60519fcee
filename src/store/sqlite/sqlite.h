/* sqlite.h - the SQLite backend's internals, shared by its files only.
 * This directory is the only code that includes sqlite3.h. */
#ifndef GAZETTE_STORE_SQLITE_H
#define GAZETTE_STORE_SQLITE_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../backend.h"

/* Prepared statements of one connection, keyed by their SQL text, so that
 * both fixed and built queries are prepared once and reused. */
struct stmt_slot {
    char *sql;
    sqlite3_stmt *stmt;
};

#define STMT_CACHE_SLOTS 512

struct conn {
    sqlite3 *db;
    fts5_api *fts; /* the db's FTS5, or NULL */
    size_t nstmts;
    struct stmt_slot slots[STMT_CACHE_SLOTS];
    struct conn *next;    /* in the store's list of readers */
    int64_t data_version; /* last seen by sqlite_data_epoch(); 0 before */
};

struct sqlite_store {
    struct store base;
    char *path;
    bool memory;
    bool read_only;
    pthread_mutex_t write_lock; /* one writer at a time; also guards `writer` */
    struct conn *writer;        /* NULL in read-only mode */
    pthread_key_t reader_key;   /* this thread's reader connection */
    pthread_mutex_t readers_lock;
    struct conn *readers;
    /* The data epoch: moves at every commit of this process's writer, and
     * when the watch shows commits (another process's, or the writer's),
     * however many threads' readers see them: it stays put between commits.
     * It starts at random, so that two runs do not share values. */
    _Atomic uint64_t epoch;
    /* A reader opened with the store, which a thread asks, under
     * readers_lock, whether anything changed when the thread's reader is new
     * or shows a commit (not a file: NULL) */
    struct conn *watch;
    pthread_mutex_t secret_lock;
    bool have_secret;
    unsigned char secret[32];
};

/* conn.c */
enum err conn_open(struct sqlite_store *s, bool writer, struct conn **out,
                   struct err_info *ei);
void conn_close(struct conn *c);
/* A ready statement for sql on c (reset, no bindings), or NULL with ei set.
 * Stays owned by c; call stmt_done() when finished with it. */
sqlite3_stmt *conn_prepare(struct conn *c, const char *sql, struct err_info *ei);
void stmt_done(sqlite3_stmt *stmt);
/* Maps the connection's last error to an err code, logs the SQLite message
 * (never sent to clients) and sets ei. */
enum err conn_fail(struct conn *c, struct err_info *ei);
/* Runs SQL without results (BEGIN, COMMIT, SAVEPOINT ...). */
enum err conn_exec(struct conn *c, const char *sql, struct err_info *ei);
/* Runs sql, a statement that returns no rows, with its parameters bound
 * by types, one letter each: 't' text (const char *, NULL binds NULL), 'i'
 * int64_t, 'd' double, 'n' a double or NULL (const double *). */
enum err conn_run(struct conn *c, struct err_info *ei, const char *sql, const char *types,
                  ...);
/* Runs a query for one integer (and, if text is not NULL, one text column
 * after it), bound as conn_run() binds.  *found tells whether a row came
 * back. */
enum err conn_query_row(struct conn *c, struct err_info *ei, int64_t *out,
                        struct buf *text, bool *found, const char *sql, const char *types,
                        ...);

/* A connection for reading, inside a read transaction (one snapshot). */
enum err reader_acquire(struct sqlite_store *s, struct conn **out, struct err_info *ei);
void reader_release(struct sqlite_store *s, struct conn *c);
/* The writer connection, locked for the caller. */
enum err writer_acquire(struct sqlite_store *s, struct conn **out, struct err_info *ei);
void writer_release(struct sqlite_store *s);

/* Column helpers: JSON values from the current row; NULL columns give
 * json null. */
json_t *col_text(sqlite3_stmt *st, int i);
json_t *col_int(sqlite3_stmt *st, int i);
/* Binds text that outlives the step. */
void bind_text(sqlite3_stmt *st, int i, const char *s);

/* sqlb.c: a query under construction, with numbered parameters */
#define SQLB_MAX_BINDS 48

/* Filters of a list page that match many rows (struct sqlb's dense):
 * written as a test of each row, so that the page is found by walking the
 * index of its order instead of from them. */
enum {
    DENSE_THEME = 1 << 0,
    DENSE_OFFICIAL = 1 << 1,
    DENSE_ORGANIZATION = 1 << 2,
    DENSE_SOURCE = 1 << 3,
    DENSE_LANGUAGE = 1 << 4,
    DENSE_DATES = 1 << 5,
    /* a date range that matches few rows, in a page not in date order: the
     * range's index gives them, then they are sorted */
    SPARSE_DATES = 1 << 6,
};

struct sqlb {
    struct buf sql;
    int n;
    unsigned dense; /* DENSE_* bits; 0 after sqlb_init() */
    struct {
        enum { BIND_TEXT, BIND_INT, BIND_REAL } kind;
        int64_t i;
        double d;
        char *text;
    } v[SQLB_MAX_BINDS];
};

void sqlb_init(struct sqlb *q);
void sqlb_release(struct sqlb *q);
/* Each appends a placeholder "?N" bound to the value (text is copied,
 * json is stolen and bound as its text). */
void sqlb_text(struct sqlb *q, const char *text);
void sqlb_int(struct sqlb *q, int64_t i);
void sqlb_real(struct sqlb *q, double d);
void sqlb_json(struct sqlb *q, json_t *v);
void sqlb_bind(const struct sqlb *q, sqlite3_stmt *st);
/* "(SELECT id FROM table WHERE ...)": rows of a constant table named by
 * ids or slugs. */
void sqlb_ident_set(struct sqlb *q, const char *table, const struct strlist *l);
/* "(SELECT id FROM table WHERE id = ?N)" or "... slug = ?N". */
void sqlb_ident_one(struct sqlb *q, const char *table, const char *value);
/* Organizations named by the values, and their departments. */
void sqlb_org_set(struct sqlb *q, const struct strlist *l);
/* "(SELECT value FROM json_each(?N))" of the values. */
void sqlb_strlist(struct sqlb *q, const struct strlist *l);
/* True when f filters nothing. */
bool filter_is_empty(const struct filter *f);
/* The FTS5 form of a parsed text query. */
void fts_render(struct buf *b, const struct text_query *tq);
/* A placeholder bound to the FTS5 form of a parsed text query. */
void sqlb_match(struct sqlb *q, const struct text_query *tq);

/* read.c: filters shared with the aggregates, on alias x */
void article_filters(struct sqlb *q, const struct filter *f);
void quote_filters(struct sqlb *q, const struct filter *f);
/* " FROM quotes x ...": what counting the quotes f filters must join */
const char *quote_count_from(const struct filter *f);

/* aggregate.c */
enum err sqlite_facets(struct store *st, enum facet_field field, const struct filter *f,
                       int limit, json_t **out, struct err_info *ei);
enum err sqlite_timeline(struct store *st, enum resource res, enum interval iv,
                         const struct filter *f, json_t **out, struct err_info *ei);

/* tokenizer.c: registers the "gazette" FTS5 tokenizer on db. */
int tokenizer_register(sqlite3 *db);
/* db's FTS5 API, or NULL */
fts5_api *fts5_api_of(sqlite3 *db);
/* articles_bm25(): bm25() of articles_fts with lengths kept in memory */
int rank_register(sqlite3 *db, fts5_api *api);
/* articles_snippet(): the passage of an article around a query's hits,
 * from FTS5's (passages_write(), rank.h, is the same without FTS5) */
int snippet_register(fts5_api *api);

/* migrate.c */
enum err sqlite_migrate(struct store *st, int target, int *applied, struct err_info *ei);
enum err sqlite_migration_state(struct store *st, json_t **out, struct err_info *ei);
enum err sqlite_ready(struct store *st, struct err_info *ei);
enum err sqlite_data_epoch(struct store *st, uint64_t *out, struct err_info *ei);
enum err sqlite_generation(struct store *st, int64_t *out, struct err_info *ei);
enum err sqlite_catalog_version(struct store *st, int64_t *out, struct err_info *ei);
/* Counts a change to the data, inside the writer's transaction. */
enum err generation_bump(struct conn *c, struct err_info *ei);
enum err sqlite_secret(struct store *st, unsigned char out[32], struct err_info *ei);
/* Current schema version of the database on c (0 if none). */
enum err schema_version(struct conn *c, int *out, struct err_info *ei);

/* read.c */
enum err sqlite_get(struct store *st, enum resource res, const char *ident,
                    unsigned include, json_t **out, struct err_info *ei);
enum err sqlite_list(struct store *st, enum resource res, const struct filter *f,
                     const struct page *pg, json_t **out, struct err_info *ei);
enum err sqlite_query_plan(struct store *st, enum resource res, const struct filter *f,
                           const struct page *pg, json_t **out, struct err_info *ei);
enum err sqlite_stats(struct store *st, json_t **out, struct err_info *ei);
enum err sqlite_article_count(struct store *st, int64_t *out, struct err_info *ei);

/* themes.c */
enum err sqlite_theme_save(struct store *st, const char *slug, const json_t *theme,
                           json_t **out, struct err_info *ei);
enum err sqlite_theme_delete(struct store *st, const char *slug, struct err_info *ei);
enum err sqlite_theme_relink(struct store *st, const char *slug, const json_t *links,
                             int64_t generation, struct err_info *ei);

/* keys.c */
enum err sqlite_key_create(struct store *st, const char *name, const char *scope,
                           const char *lookup, const char *hash, json_t **out,
                           struct err_info *ei);
enum err sqlite_key_find(struct store *st, const char *lookup, json_t **out,
                         struct err_info *ei);
enum err sqlite_key_list(struct store *st, json_t **out, struct err_info *ei);
enum err sqlite_key_revoke(struct store *st, const char *ident, int *count,
                           struct err_info *ei);

/* A write transaction on the writer: begin takes the lock, end commits
 * (or rolls back when ei holds an error) and releases it. */
enum err write_begin(struct sqlite_store *s, struct conn **c, struct err_info *ei);
enum err write_end(struct sqlite_store *s, struct conn *c, bool changed,
                   struct err_info *ei);

/* write.c */
enum err sqlite_batch_begin(struct store *st, int chunk, struct store_batch **out,
                            struct err_info *ei);
enum err sqlite_batch_put(struct store_batch *b, const json_t *article,
                          const struct article_digests *digests,
                          enum put_outcome *outcome, int64_t *id, struct err_info *ei);
long sqlite_batch_uncommitted(const struct store_batch *b);
enum err sqlite_batch_end(struct store_batch *b, struct err_info *ei);
enum err sqlite_article_save(struct store *st, const json_t *article, const char *ident,
                             enum put_outcome *outcome, int64_t *id, struct err_info *ei);
enum err sqlite_article_delete(struct store *st, const char *ident, struct err_info *ei);
enum err sqlite_official_update(struct store *st, const char *ident,
                                const json_t *changes, json_t **out, struct err_info *ei);
enum err sqlite_official_merge(struct store *st, const char *ident,
                               const struct strlist *from, json_t **out,
                               struct err_info *ei);

#define SQLITE_STORE(st) ((struct sqlite_store *)(st))

#endif
