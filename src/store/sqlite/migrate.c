/* migrate.c - schema migrations compiled into the binary, the cursor
 * secret, and readiness. */
#include <stdio.h>
#include <string.h>

#include "gazette/buf.h"
#include "gazette/crypto.h"
#include "gazette/embedded.h"
#include "gazette/log.h"
#include "gazette/util.h"
#include "sqlite.h"

enum err
schema_version(struct conn *c, int *out, struct err_info *ei)
{
    sqlite3_stmt *st;
    int rc;

    *out = 0;
    st = conn_prepare(c,
                      "SELECT count(*) FROM sqlite_master "
                      "WHERE type = 'table' AND name = 'schema_version'",
                      ei);
    if (st == NULL)
        return ei->code;
    rc = sqlite3_step(st);
    bool exists = rc == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    stmt_done(st);
    if (rc != SQLITE_ROW)
        return conn_fail(c, ei);
    if (!exists)
        return ERR_OK;
    /* not cached: the table may not have existed when others were prepared */
    st = conn_prepare(c, "SELECT coalesce(max(version), 0) FROM schema_version", ei);
    if (st == NULL)
        return ei->code;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    stmt_done(st);
    return rc == SQLITE_ROW ? ERR_OK : conn_fail(c, ei);
}

/* Whether a database without a schema_version table holds tables of its
 * own: then some other program made it, and gazette must not add its
 * schema to it. */
static enum err
made_by_another(struct conn *c, bool *out, struct err_info *ei)
{
    int64_t tables = 0;
    bool found;

    conn_query_row(c, ei, &tables, NULL, &found,
                   "SELECT count(*) FROM sqlite_master"
                   " WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
                   "");
    *out = tables > 0;
    return ei->code;
}

static enum err
not_ours(struct err_info *ei)
{
    return err_set(ei, ERR_CONFLICT,
                   "the file is an SQLite database that gazette did not make (it has "
                   "tables but no schema_version); give another --db");
}

static enum err
newer_than_binary(int version, struct err_info *ei)
{
    return err_set(ei, ERR_CONFLICT,
                   "the database has schema version %d, newer than this gazette "
                   "knows (%zu); use a newer gazette binary",
                   version, gazette_migrations_count);
}

static enum err
apply_one(struct conn *c, size_t idx, struct err_info *ei)
{
    const struct embedded_file *m = &gazette_migrations[idx];
    char ts[TIMESTAMP_LEN];
    sqlite3_stmt *st;
    int version;

    if (conn_exec(c, "BEGIN IMMEDIATE", ei) != ERR_OK)
        return ei->code;
    /* another process may have migrated while we waited for the lock */
    if (schema_version(c, &version, ei) != ERR_OK)
        goto fail;
    if (version >= (int)idx + 1) {
        conn_exec(c, "COMMIT", ei);
        return ei->code;
    }
    if (conn_exec(c, m->data, ei) != ERR_OK) {
        log_at(LL_ERROR, "msg=\"migration failed\" name=%s sqlite=\"%s\"", m->name,
               sqlite3_errmsg(c->db));
        goto fail;
    }
    timestamp_now(ts);
    st = conn_prepare(c,
                      "INSERT INTO schema_version (version, name, applied_at) "
                      "VALUES (?1, ?2, ?3)",
                      ei);
    if (st == NULL)
        goto fail;
    sqlite3_bind_int(st, 1, (int)idx + 1);
    bind_text(st, 2, m->name);
    bind_text(st, 3, ts);
    int rc = sqlite3_step(st);
    stmt_done(st);
    if (rc != SQLITE_DONE) {
        conn_fail(c, ei);
        goto fail;
    }
    if (conn_exec(c, "COMMIT", ei) != ERR_OK)
        goto fail;
    log_at(LL_INFO, "msg=\"migration applied\" version=%zu name=%s", idx + 1, m->name);
    return ERR_OK;
fail : {
    struct err_info ignore = {0};

    conn_exec(c, "ROLLBACK", &ignore);
}
    return ei->code;
}

/* Makes the cursor-signing secret if the database has none yet. */
static enum err
ensure_secret(struct conn *c, struct err_info *ei)
{
    unsigned char key[32];
    struct buf hex;
    sqlite3_stmt *st;
    int rc;

    if (!crypto_random(key, sizeof(key)))
        return err_set(ei, ERR_STORE, "the system's random generator failed");
    buf_init(&hex);
    hex_encode(&hex, key, sizeof(key));
    st = conn_prepare(c,
                      "INSERT OR IGNORE INTO meta (key, value)"
                      " VALUES ('cursor_key', ?1), ('generation', '0')",
                      ei);
    if (st == NULL) {
        buf_release(&hex);
        return ei->code;
    }
    bind_text(st, 1, hex.data);
    rc = sqlite3_step(st);
    stmt_done(st);
    buf_release(&hex);
    return rc == SQLITE_DONE ? ERR_OK : conn_fail(c, ei);
}

enum err
sqlite_migrate(struct store *stp, int target, int *applied, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    struct conn *c;
    int version, n = 0;

    if (applied != NULL)
        *applied = 0;
    if (writer_acquire(s, &c, ei) != ERR_OK)
        return ei->code;
    if (schema_version(c, &version, ei) != ERR_OK)
        goto out;
    if (version > (int)gazette_migrations_count) {
        newer_than_binary(version, ei);
        goto out;
    }
    if (version == 0) {
        bool other;

        if (made_by_another(c, &other, ei) != ERR_OK)
            goto out;
        if (other) {
            not_ours(ei);
            goto out;
        }
    }
    if (target <= 0 || target > (int)gazette_migrations_count)
        target = (int)gazette_migrations_count;
    for (size_t i = (size_t)version; i < (size_t)target; i++) {
        if (apply_one(c, i, ei) != ERR_OK)
            goto out;
        n++;
    }
    ensure_secret(c, ei);
out:
    writer_release(s);
    if (applied != NULL)
        *applied = n;
    return ei->code;
}

enum err
sqlite_migration_state(struct store *stp, json_t **out, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    json_t *applied = json_array(), *pending = json_array();
    struct conn *c;
    bool other = false;
    int version;

    *out = NULL;
    if (reader_acquire(s, &c, ei) != ERR_OK)
        goto fail;
    if (schema_version(c, &version, ei) != ERR_OK)
        goto fail;
    if (version == 0 && made_by_another(c, &other, ei) != ERR_OK)
        goto fail;
    if (version > 0) {
        sqlite3_stmt *st = conn_prepare(
            c, "SELECT version, name, applied_at FROM schema_version ORDER BY version",
            ei);
        int rc;

        if (st == NULL)
            goto fail;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            json_array_append_new(
                applied, json_pack("{s:o, s:o, s:o}", "version", col_int(st, 0), "name",
                                   col_text(st, 1), "applied_at", col_text(st, 2)));
        stmt_done(st);
        if (rc != SQLITE_DONE) {
            conn_fail(c, ei);
            goto fail;
        }
    }
    reader_release(s, c);
    c = NULL;
    for (size_t i = (size_t)version; i < gazette_migrations_count; i++)
        json_array_append_new(pending, json_pack("{s:i, s:s}", "version", (int)i + 1,
                                                 "name", gazette_migrations[i].name));
    *out = json_pack("{s:i, s:i, s:o, s:o, s:b}", "current", version, "latest",
                     (int)gazette_migrations_count, "applied", applied, "pending",
                     pending, "other_program", other);
    return ERR_OK;
fail:
    reader_release(s, c);
    json_decref(applied);
    json_decref(pending);
    return ei->code;
}

enum err
sqlite_ready(struct store *stp, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    struct conn *c;
    bool other = false;
    int version;

    /* a new connection, not a cached one: the file must be there and
     * readable now, not only when the server started */
    if (s->memory ? reader_acquire(s, &c, ei) : conn_open(s, false, &c, ei)) {
        char detail[sizeof(ei->detail)];

        snprintf(detail, sizeof(detail), "%s", ei->detail);
        err_clear(ei);
        return err_set(ei, ERR_UNAVAILABLE, "%s", detail);
    }
    if (schema_version(c, &version, ei) == ERR_OK &&
        (version > 0 || made_by_another(c, &other, ei) == ERR_OK)) {
        if (other)
            not_ours(ei);
        else if (version < (int)gazette_migrations_count)
            err_set(ei, ERR_UNAVAILABLE, "%zu migration(s) pending; run gazette migrate",
                    gazette_migrations_count - (size_t)version);
        else if (version > (int)gazette_migrations_count)
            newer_than_binary(version, ei);
    }
    if (s->memory)
        reader_release(s, c);
    else
        conn_close(c);
    if (ei->code != ERR_OK && ei->code != ERR_UNAVAILABLE) {
        char detail[sizeof(ei->detail)];

        snprintf(detail, sizeof(detail), "%s", ei->detail);
        err_clear(ei);
        err_set(ei, ERR_UNAVAILABLE, "%s", detail);
    }
    return ei->code;
}

enum err
sqlite_secret(struct store *stp, unsigned char out[32], struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    struct conn *c;
    sqlite3_stmt *st;
    struct buf raw;

    pthread_mutex_lock(&s->secret_lock);
    if (s->have_secret) {
        memcpy(out, s->secret, 32);
        pthread_mutex_unlock(&s->secret_lock);
        return ERR_OK;
    }
    pthread_mutex_unlock(&s->secret_lock);
    if (reader_acquire(s, &c, ei) != ERR_OK)
        return ei->code;
    buf_init(&raw);
    st = conn_prepare(c, "SELECT value FROM meta WHERE key = 'cursor_key'", ei);
    if (st != NULL) {
        int rc = sqlite3_step(st);

        if (rc == SQLITE_ROW) {
            const char *hex = (const char *)sqlite3_column_text(st, 0);

            for (size_t i = 0; hex != NULL && hex[i] != '\0' && hex[i + 1] != '\0';
                 i += 2) {
                unsigned v;

                if (sscanf(hex + i, "%2x", &v) != 1)
                    break;
                buf_addc(&raw, (char)v);
            }
            if (raw.len != 32)
                err_set(ei, ERR_STORE, "the database's cursor key is malformed");
        } else if (rc == SQLITE_DONE) {
            err_set(ei, ERR_UNAVAILABLE, "the database is not migrated");
        } else {
            conn_fail(c, ei);
        }
        stmt_done(st);
    }
    reader_release(s, c);
    if (ei->code == ERR_OK) {
        pthread_mutex_lock(&s->secret_lock);
        memcpy(s->secret, raw.data, 32);
        s->have_secret = true;
        pthread_mutex_unlock(&s->secret_lock);
        memcpy(out, raw.data, 32);
    }
    buf_release(&raw);
    return ei->code;
}

enum err
generation_bump(struct conn *c, struct err_info *ei)
{
    return conn_exec(c,
                     "UPDATE meta SET value = CAST(value AS INTEGER) + 1"
                     " WHERE key = 'generation'",
                     ei);
}

/* The integer value of a meta row, 0 when there is none. */
static enum err
meta_int(struct store *stp, const char *key, int64_t *out, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    sqlite3_stmt *st;
    struct conn *c;

    *out = 0;
    if (reader_acquire(s, &c, ei) != ERR_OK)
        return ei->code;
    st = conn_prepare(c, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?1", ei);
    if (st != NULL) {
        int rc;

        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            *out = sqlite3_column_int64(st, 0);
        else if (rc != SQLITE_DONE)
            conn_fail(c, ei);
        stmt_done(st);
    }
    reader_release(s, c);
    return ei->code;
}

enum err
sqlite_generation(struct store *stp, int64_t *out, struct err_info *ei)
{
    return meta_int(stp, "generation", out, ei);
}

enum err
sqlite_catalog_version(struct store *stp, int64_t *out, struct err_info *ei)
{
    return meta_int(stp, "catalog_version", out, ei);
}
