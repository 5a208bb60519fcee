/* conn.c - SQLite connections: opening, per-thread readers, the single
 * writer, the prepared statement cache and error mapping. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/crypto.h"
#include "gazette/log.h"
#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "sqlite.h"

#define BUSY_TIMEOUT_MS 5000

static enum err
open_fail(sqlite3 *db, const char *path, struct err_info *ei)
{
    const char *msg = db != NULL ? sqlite3_errmsg(db) : "out of memory";

    log_at(LL_ERROR, "msg=\"cannot open database\" path=\"%s\" sqlite=\"%s\"", path, msg);
    err_set(ei, ERR_UNAVAILABLE, "cannot open database %s: %s", path, msg);
    sqlite3_close(db);
    return ei->code;
}

enum err
conn_open(struct sqlite_store *s, bool writer, struct conn **out, struct err_info *ei)
{
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    sqlite3 *db = NULL;
    struct conn *c;

    *out = NULL;
    if (writer)
        flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    else
        flags |= SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(s->path, &db, flags, NULL) != SQLITE_OK)
        return open_fail(db, s->path, ei);
    if (tokenizer_register(db) != SQLITE_OK)
        return open_fail(db, s->path, ei);
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db, 1);
    c = xcalloc(1, sizeof(*c));
    c->db = db;
    c->fts = fts5_api_of(db);
    /* Reads go through a bounded page cache per connection (no mmap, whose
     * pages would count as the process's memory however large the file):
     * memory is set by configuration, not by the size of the data.  4 MiB
     * a reader: more made no search faster, the indexes a read walks being
     * small (bench/run). */
    if (conn_exec(c, "PRAGMA foreign_keys = ON", ei) != ERR_OK ||
        (!writer && conn_exec(c, "PRAGMA cache_size = -4096", ei) != ERR_OK))
        goto fail;
    if (writer && !s->memory) {
        /* a larger page cache keeps the indexes of a bulk import in
         * memory; reads share the OS cache through mmap */
        if (conn_exec(c, "PRAGMA journal_mode = WAL", ei) != ERR_OK ||
            conn_exec(c, "PRAGMA synchronous = NORMAL", ei) != ERR_OK ||
            conn_exec(c, "PRAGMA cache_size = -65536", ei) != ERR_OK ||
            conn_exec(c, "PRAGMA temp_store = MEMORY", ei) != ERR_OK)
            goto fail;
    }
    if (!writer && conn_exec(c, "PRAGMA query_only = ON", ei) != ERR_OK)
        goto fail;
    *out = c;
    return ERR_OK;
fail:
    conn_close(c);
    return ei->code;
}

void
conn_close(struct conn *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < STMT_CACHE_SLOTS; i++) {
        if (c->slots[i].sql != NULL) {
            sqlite3_finalize(c->slots[i].stmt);
            free(c->slots[i].sql);
        }
    }
    sqlite3_close(c->db);
    free(c);
}

static size_t
sql_hash(const char *s)
{
    return (size_t)hash_fnv1a(s, strlen(s));
}

/* Empties the cache except for statements in use (a list being stepped
 * while a nested query is prepared), which are placed again. */
static void
cache_prune(struct conn *c)
{
    struct stmt_slot keep[STMT_CACHE_SLOTS];
    size_t nkeep = 0;

    for (size_t i = 0; i < STMT_CACHE_SLOTS; i++) {
        struct stmt_slot *slot = &c->slots[i];

        if (slot->sql == NULL)
            continue;
        if (sqlite3_stmt_busy(slot->stmt)) {
            keep[nkeep++] = *slot;
        } else {
            sqlite3_finalize(slot->stmt);
            free(slot->sql);
        }
        slot->sql = NULL;
        slot->stmt = NULL;
    }
    c->nstmts = nkeep;
    for (size_t k = 0; k < nkeep; k++) {
        size_t i = sql_hash(keep[k].sql) % STMT_CACHE_SLOTS;

        while (c->slots[i].sql != NULL)
            i = (i + 1) % STMT_CACHE_SLOTS;
        c->slots[i] = keep[k];
    }
}

sqlite3_stmt *
conn_prepare(struct conn *c, const char *sql, struct err_info *ei)
{
    size_t i = sql_hash(sql) % STMT_CACHE_SLOTS;
    sqlite3_stmt *stmt;

    for (;;) {
        struct stmt_slot *slot = &c->slots[i];

        if (slot->sql == NULL)
            break;
        if (strcmp(slot->sql, sql) == 0)
            return slot->stmt;
        i = (i + 1) % STMT_CACHE_SLOTS;
    }
    /* Built queries have a bounded number of shapes, but keep the table
     * sparse enough for linear probing; prune it when it fills. */
    if (c->nstmts >= STMT_CACHE_SLOTS * 3 / 4) {
        cache_prune(c);
        i = sql_hash(sql) % STMT_CACHE_SLOTS;
        while (c->slots[i].sql != NULL)
            i = (i + 1) % STMT_CACHE_SLOTS;
    }
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
        SQLITE_OK) {
        log_at(LL_ERROR, "msg=\"prepare failed\" sqlite=\"%s\" sql=\"%.200s\"",
               sqlite3_errmsg(c->db), sql);
        conn_fail(c, ei);
        return NULL;
    }
    c->slots[i].sql = xstrdup(sql);
    c->slots[i].stmt = stmt;
    c->nstmts++;
    return stmt;
}

void
stmt_done(sqlite3_stmt *stmt)
{
    if (stmt == NULL)
        return;
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
}

enum err
conn_fail(struct conn *c, struct err_info *ei)
{
    int code = sqlite3_extended_errcode(c->db);

    log_at(LL_WARN, "msg=\"database error\" code=%d sqlite=\"%s\"", code,
           sqlite3_errmsg(c->db));
    switch (code & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return err_set(ei, ERR_UNAVAILABLE, "the database is busy; try again");
    case SQLITE_FULL:
        return err_set(ei, ERR_FULL, "the database's disk is full");
    case SQLITE_READONLY:
        return err_set(ei, ERR_UNAVAILABLE, "the database is read-only");
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
        return err_set(ei, ERR_UNAVAILABLE, "the database cannot be read or written");
    case SQLITE_CONSTRAINT:
        if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
            return err_set(ei, ERR_CONFLICT, "a record with the same key exists");
        return err_set(ei, ERR_INVALID, "the record breaks a rule of the database");
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return err_set(ei, ERR_UNAVAILABLE, "the file is not a usable gazette database");
    default:
        return err_set(ei, ERR_STORE, "database error");
    }
}

enum err
conn_exec(struct conn *c, const char *sql, struct err_info *ei)
{
    char *msg = NULL;

    if (sqlite3_exec(c->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        sqlite3_free(msg);
        return conn_fail(c, ei);
    }
    return ERR_OK;
}

/* Binds the arguments of conn_run() and conn_query_row(). */
static void
bind_args(sqlite3_stmt *st, const char *types, va_list ap)
{
    for (int i = 0; types[i] != '\0'; i++) {
        switch (types[i]) {
        case 't':
            bind_text(st, i + 1, va_arg(ap, const char *));
            break;
        case 'i':
            sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
            break;
        case 'd':
            sqlite3_bind_double(st, i + 1, va_arg(ap, double));
            break;
        case 'n': {
            const double *d = va_arg(ap, const double *);

            if (d != NULL)
                sqlite3_bind_double(st, i + 1, *d);
            else
                sqlite3_bind_null(st, i + 1);
            break;
        }
        default:
            abort();
        }
    }
}

/* conn_query_row() with its arguments as a va_list. */
static enum err
query_row_v(struct conn *c, struct err_info *ei, int64_t *out, struct buf *text,
            bool *found, const char *sql, const char *types, va_list ap)
{
    sqlite3_stmt *st = conn_prepare(c, sql, ei);
    int rc;

    *found = false;
    if (st == NULL)
        return ei->code;
    bind_args(st, types, ap);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = true;
        *out = sqlite3_column_int64(st, 0);
        if (text != NULL && sqlite3_column_text(st, 1) != NULL)
            buf_adds(text, (const char *)sqlite3_column_text(st, 1));
    } else if (rc != SQLITE_DONE) {
        conn_fail(c, ei);
    }
    stmt_done(st);
    return ei->code;
}

enum err
conn_run(struct conn *c, struct err_info *ei, const char *sql, const char *types, ...)
{
    int64_t unused;
    bool found;
    va_list ap;

    va_start(ap, types);
    query_row_v(c, ei, &unused, NULL, &found, sql, types, ap);
    va_end(ap);
    return ei->code;
}

enum err
conn_query_row(struct conn *c, struct err_info *ei, int64_t *out, struct buf *text,
               bool *found, const char *sql, const char *types, ...)
{
    va_list ap;

    va_start(ap, types);
    query_row_v(c, ei, out, text, found, sql, types, ap);
    va_end(ap);
    return ei->code;
}

/* This thread's read connection (for :memory:, the one connection,
 * locked); no transaction. */
static enum err
reader_conn(struct sqlite_store *s, struct conn **out, struct err_info *ei)
{
    struct conn *c;

    *out = NULL;
    if (s->memory) {
        /* one connection is the whole in-memory database */
        pthread_mutex_lock(&s->write_lock);
        c = s->writer;
    } else {
        c = pthread_getspecific(s->reader_key);
        if (c == NULL) {
            if (conn_open(s, false, &c, ei) != ERR_OK)
                return ei->code;
            pthread_setspecific(s->reader_key, c);
            pthread_mutex_lock(&s->readers_lock);
            c->next = s->readers;
            s->readers = c;
            pthread_mutex_unlock(&s->readers_lock);
        }
    }
    *out = c;
    return ERR_OK;
}

enum err
reader_acquire(struct sqlite_store *s, struct conn **out, struct err_info *ei)
{
    struct conn *c;

    if (reader_conn(s, &c, ei) != ERR_OK)
        return ei->code;
    *out = NULL;
    if (conn_exec(c, "BEGIN", ei) != ERR_OK) {
        if (s->memory)
            pthread_mutex_unlock(&s->write_lock);
        return ei->code;
    }
    *out = c;
    return ERR_OK;
}

void
reader_release(struct sqlite_store *s, struct conn *c)
{
    struct err_info ei = {0};

    if (c == NULL)
        return;
    if (sqlite3_get_autocommit(c->db) == 0)
        conn_exec(c, "COMMIT", &ei);
    if (s->memory)
        pthread_mutex_unlock(&s->write_lock);
}

enum err
writer_acquire(struct sqlite_store *s, struct conn **out, struct err_info *ei)
{
    *out = NULL;
    if (s->read_only || s->writer == NULL)
        return err_set(ei, ERR_UNAVAILABLE, "the database is open read-only");
    pthread_mutex_lock(&s->write_lock);
    *out = s->writer;
    return ERR_OK;
}

void
writer_release(struct sqlite_store *s)
{
    pthread_mutex_unlock(&s->write_lock);
}

enum err
write_begin(struct sqlite_store *s, struct conn **c, struct err_info *ei)
{
    if (writer_acquire(s, c, ei) != ERR_OK)
        return ei->code;
    if (conn_exec(*c, "BEGIN IMMEDIATE", ei) != ERR_OK) {
        writer_release(s);
        *c = NULL;
    }
    return ei->code;
}

enum err
write_end(struct sqlite_store *s, struct conn *c, bool changed, struct err_info *ei)
{
    if (ei->code == ERR_OK && changed)
        generation_bump(c, ei);
    if (ei->code == ERR_OK && conn_exec(c, "COMMIT", ei) == ERR_OK && changed)
        atomic_fetch_add(&s->epoch, 1);
    if (ei->code != ERR_OK && sqlite3_get_autocommit(c->db) == 0) {
        struct err_info ignore = {0};

        conn_exec(c, "ROLLBACK", &ignore);
    }
    writer_release(s);
    return ei->code;
}

json_t *
col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    json_t *v;

    if (t == NULL)
        return json_null();
    v = json_stringn((const char *)t, (size_t)sqlite3_column_bytes(st, i));
    return v != NULL ? v : json_null();
}

json_t *
col_int(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return json_null();
    return json_integer(sqlite3_column_int64(st, i));
}

void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s == NULL)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void
sqlite_close(struct store *st)
{
    struct sqlite_store *s = SQLITE_STORE(st);
    struct conn *c, *next;

    for (c = s->readers; c != NULL; c = next) {
        next = c->next;
        conn_close(c);
    }
    if (s->writer != NULL) {
        /* leave no -wal file behind for tools that copy the database */
        if (!s->memory)
            sqlite3_exec(s->writer->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL,
                         NULL);
        conn_close(s->writer);
    }
    pthread_key_delete(s->reader_key);
    pthread_mutex_destroy(&s->write_lock);
    pthread_mutex_destroy(&s->readers_lock);
    pthread_mutex_destroy(&s->secret_lock);
    free(s->path);
    free(s);
}

static const struct store_ops sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .migrate = sqlite_migrate,
    .migration_state = sqlite_migration_state,
    .ready = sqlite_ready,
    .generation = sqlite_generation,
    .catalog_version = sqlite_catalog_version,
    .data_epoch = sqlite_data_epoch,
    .secret = sqlite_secret,
    .get = sqlite_get,
    .list = sqlite_list,
    .query_plan = sqlite_query_plan,
    .facets = sqlite_facets,
    .timeline = sqlite_timeline,
    .article_save = sqlite_article_save,
    .article_delete = sqlite_article_delete,
    .theme_save = sqlite_theme_save,
    .theme_delete = sqlite_theme_delete,
    .theme_relink = sqlite_theme_relink,
    .official_update = sqlite_official_update,
    .official_merge = sqlite_official_merge,
    .key_create = sqlite_key_create,
    .key_find = sqlite_key_find,
    .key_list = sqlite_key_list,
    .key_revoke = sqlite_key_revoke,
    .stats = sqlite_stats,
    .article_count = sqlite_article_count,
    .batch_begin = sqlite_batch_begin,
    .batch_put = sqlite_batch_put,
    .batch_end = sqlite_batch_end,
    .batch_uncommitted = sqlite_batch_uncommitted,
};

/* SQLite counts the memory it holds under one process-wide mutex at every
 * allocation, which threads reading at once then contend for; gazette
 * does not read those counts.  Possible only before SQLite starts: a
 * program that used SQLite already keeps the counting. */
static void
sqlite_configure(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* PRAGMA data_version of c: it moves when another connection commits. */
static enum err
data_version(struct conn *c, int64_t *out, struct err_info *ei)
{
    sqlite3_stmt *st = conn_prepare(c, "PRAGMA data_version", ei);

    *out = 0;
    if (st == NULL)
        return ei->code;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        conn_fail(c, ei);
    stmt_done(st);
    return ei->code;
}

enum err
sqlite_store_open(const char *location, enum store_mode mode, struct store **out,
                  struct err_info *ei)
{
    static pthread_once_t configured = PTHREAD_ONCE_INIT;
    struct sqlite_store *s;
    uint64_t start = 0;

    pthread_once(&configured, sqlite_configure);
    *out = NULL;
    s = xcalloc(1, sizeof(*s));
    s->base.ops = &sqlite_ops;
    /* the epochs of one run are not those of another, so that a validator
     * made of one (an export's) names no other data after a restart; far
     * from wrapping around, as caches compare them */
    crypto_random((unsigned char *)&start, sizeof(start));
    atomic_init(&s->epoch, start >> 2);
    s->path = xstrdup(location);
    s->memory = strcmp(location, ":memory:") == 0;
    s->read_only = mode == STORE_READ_ONLY;
    pthread_mutex_init(&s->write_lock, NULL);
    pthread_mutex_init(&s->readers_lock, NULL);
    pthread_mutex_init(&s->secret_lock, NULL);
    pthread_key_create(&s->reader_key, NULL);
    if (s->memory && s->read_only) {
        sqlite_close(&s->base);
        return err_set(ei, ERR_INVALID, "an in-memory database cannot be read-only");
    }
    if (!s->read_only && conn_open(s, true, &s->writer, ei) != ERR_OK) {
        sqlite_close(&s->base);
        return ei->code;
    }
    if (!s->memory) {
        if (conn_open(s, false, &s->watch, ei) != ERR_OK) {
            sqlite_close(&s->base);
            return ei->code;
        }
        s->watch->next = s->readers; /* closed with the readers */
        s->readers = s->watch;
        if (data_version(s->watch, &s->watch->data_version, ei) != ERR_OK) {
            sqlite_close(&s->base);
            return ei->code;
        }
    }
    if (s->read_only) {
        /* fail now rather than on the first request */
        struct conn *c;

        if (reader_acquire(s, &c, ei) != ERR_OK) {
            sqlite_close(&s->base);
            return ei->code;
        }
        reader_release(s, c);
    }
    *out = &s->base;
    return ERR_OK;
}

/* Moves the epoch if c's data_version moved since it was last seen. */
static enum err
epoch_follow(struct sqlite_store *s, struct conn *c, struct err_info *ei)
{
    int64_t v;

    if (data_version(c, &v, ei) == ERR_OK && v != c->data_version) {
        c->data_version = v;
        atomic_fetch_add(&s->epoch, 1);
    }
    return ei->code;
}

/* Each thread watches the data through its own reader, so that threads do
 * not wait for one another while nothing changes.  The values of
 * different connections cannot be compared, so when a thread's reader is
 * new, or shows a commit, the thread asks the store's watch (open since
 * the store was) whether anything changed since the watch last looked: a
 * commit is then counted once, by the watch, however many threads see
 * it, and the epoch stays put until the next (an export's validator is
 * made of it), and answers kept are not thrown away for a thread's first
 * request.  An in-memory database changes only by its writer, which moves
 * the epoch itself. */
enum err
sqlite_data_epoch(struct store *stp, uint64_t *out, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    struct conn *c;
    int64_t v;

    if (!s->memory && reader_conn(s, &c, ei) == ERR_OK &&
        data_version(c, &v, ei) == ERR_OK &&
        (c->data_version == 0 || v != c->data_version)) {
        c->data_version = v;
        pthread_mutex_lock(&s->readers_lock);
        epoch_follow(s, s->watch, ei);
        pthread_mutex_unlock(&s->readers_lock);
    }
    *out = atomic_load(&s->epoch);
    return ei->code;
}
