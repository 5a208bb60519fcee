/* keys.c - API key records.  The key itself is never stored. */
#include <string.h>

#include "gazette/util.h"
#include "sqlite.h"

#define KEY_COLS "id, name, scope, 'gz_' || lookup, created_at, revoked_at"

static json_t *
key_json(sqlite3_stmt *st)
{
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}", "id", col_int(st, 0), "name",
                     col_text(st, 1), "scope", col_text(st, 2), "prefix", col_text(st, 3),
                     "created_at", col_text(st, 4), "revoked_at", col_text(st, 5));
}

enum err
sqlite_key_create(struct store *stp, const char *name, const char *scope,
                  const char *lookup, const char *hash, json_t **out, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    char now[TIMESTAMP_LEN];
    sqlite3_stmt *st;
    struct conn *c;

    *out = NULL;
    if (write_begin(s, &c, ei) != ERR_OK)
        return ei->code;
    timestamp_now(now);
    st = conn_prepare(c,
                      "INSERT INTO api_keys (name, scope, lookup, hash, created_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING " KEY_COLS,
                      ei);
    if (st != NULL) {
        bind_text(st, 1, name);
        bind_text(st, 2, scope);
        bind_text(st, 3, lookup);
        bind_text(st, 4, hash);
        bind_text(st, 5, now);
        if (sqlite3_step(st) == SQLITE_ROW)
            *out = key_json(st);
        else
            conn_fail(c, ei);
        stmt_done(st);
    }
    if (write_end(s, c, false, ei) != ERR_OK) {
        json_decref(*out);
        *out = NULL;
    }
    return ei->code;
}

enum err
sqlite_key_find(struct store *stp, const char *lookup, json_t **out, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    sqlite3_stmt *st;
    struct conn *c;

    *out = NULL;
    if (reader_acquire(s, &c, ei) != ERR_OK)
        return ei->code;
    st = conn_prepare(c, "SELECT " KEY_COLS ", hash FROM api_keys WHERE lookup = ?1", ei);
    if (st != NULL) {
        int rc;

        bind_text(st, 1, lookup);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW) {
            *out = key_json(st);
            json_object_set_new(*out, "hash", col_text(st, 6));
        } else if (rc == SQLITE_DONE) {
            err_set(ei, ERR_NOT_FOUND, "no such key");
        } else {
            conn_fail(c, ei);
        }
        stmt_done(st);
    }
    reader_release(s, c);
    return ei->code;
}

enum err
sqlite_key_list(struct store *stp, json_t **out, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    sqlite3_stmt *st;
    struct conn *c;

    *out = NULL;
    if (reader_acquire(s, &c, ei) != ERR_OK)
        return ei->code;
    st = conn_prepare(c, "SELECT " KEY_COLS " FROM api_keys ORDER BY id", ei);
    if (st != NULL) {
        json_t *keys = json_array();
        int rc;

        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            json_array_append_new(keys, key_json(st));
        if (rc == SQLITE_DONE) {
            *out = keys;
        } else {
            json_decref(keys);
            conn_fail(c, ei);
        }
        stmt_done(st);
    }
    reader_release(s, c);
    return ei->code;
}

enum err
sqlite_key_revoke(struct store *stp, const char *ident, int *count, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    char now[TIMESTAMP_LEN];
    sqlite3_stmt *st;
    struct conn *c;
    int64_t id = 0;

    *count = 0;
    if (write_begin(s, &c, ei) != ERR_OK)
        return ei->code;
    timestamp_now(now);
    st = conn_prepare(c,
                      "UPDATE api_keys SET revoked_at = ?1 WHERE revoked_at IS NULL"
                      " AND (id = ?2 OR name = ?3)",
                      ei);
    if (st != NULL) {
        bind_text(st, 1, now);
        if (all_digits(ident) && parse_int64(ident, &id))
            sqlite3_bind_int64(st, 2, id);
        else
            sqlite3_bind_null(st, 2);
        bind_text(st, 3, ident);
        if (sqlite3_step(st) == SQLITE_DONE)
            *count = sqlite3_changes(c->db);
        else
            conn_fail(c, ei);
        stmt_done(st);
    }
    return write_end(s, c, false, ei);
}
