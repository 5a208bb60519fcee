/* themes.c - the theme catalog: creating, changing and deleting themes,
 * and replacing a theme's links when articles are tagged again. */
#include <stdlib.h>
#include <string.h>

#include "gazette/util.h"
#include "sqlite.h"

static enum err
step_done(struct conn *c, sqlite3_stmt *st, struct err_info *ei)
{
    int rc = sqlite3_step(st);

    stmt_done(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return conn_fail(c, ei);
    return ERR_OK;
}

enum err
sqlite_theme_save(struct store *stp, const char *slug, const json_t *theme, json_t **out,
                  struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    const json_t *kw = json_object_get(theme, "keywords");
    const char *name = json_string_value(json_object_get(theme, "name"));
    const char *desc = json_string_value(json_object_get(theme, "description"));
    const char *key =
        slug != NULL ? slug : json_string_value(json_object_get(theme, "slug"));
    char now[TIMESTAMP_LEN], *kwtext = kw != NULL ? json_dumps(kw, JSON_COMPACT) : NULL;
    sqlite3_stmt *st;
    struct conn *c;

    *out = NULL;
    timestamp_now(now);
    if (write_begin(s, &c, ei) != ERR_OK) {
        free(kwtext);
        return ei->code;
    }
    st = conn_prepare(
        c,
        slug == NULL
            ? "INSERT INTO themes (slug, name, description, keywords, created_at,"
              " updated_at) VALUES (?1, ?2, coalesce(?3, ''),"
              " coalesce(?4, '[]'), ?5, ?5)"
            : "UPDATE themes SET name = coalesce(?2, name),"
              " description = coalesce(?3, description),"
              " keywords = coalesce(?4, keywords), updated_at = ?5"
              " WHERE slug = ?1",
        ei);
    if (st != NULL) {
        bind_text(st, 1, key);
        bind_text(st, 2, name);
        bind_text(st, 3, desc);
        bind_text(st, 4, kwtext);
        bind_text(st, 5, now);
        if (step_done(c, st, ei) == ERR_OK && slug != NULL && sqlite3_changes(c->db) == 0)
            err_set(ei, ERR_NOT_FOUND, "no theme named %s", slug);
    }
    if (ei->code == ERR_CONFLICT) {
        err_clear(ei);
        err_set(ei, ERR_CONFLICT, "a theme named %s exists; change it with PATCH", key);
    }
    free(kwtext);
    if (write_end(s, c, true, ei) != ERR_OK)
        return ei->code;
    return sqlite_get(stp, RES_THEMES, key, 0, out, ei);
}

enum err
sqlite_theme_delete(struct store *stp, const char *slug, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    struct conn *c;
    char now[TIMESTAMP_LEN];

    timestamp_now(now);
    if (write_begin(s, &c, ei) != ERR_OK)
        return ei->code;
    /* the articles that lose the theme have changed: updated_since must
     * list them */
    if (conn_run(c, ei,
                 "UPDATE articles SET updated_at = ?2 WHERE id IN"
                 " (SELECT l.article_id FROM article_themes l"
                 " JOIN themes t ON t.id = l.theme_id WHERE t.slug = ?1)",
                 "tt", slug, now) == ERR_OK &&
        conn_run(c, ei, "DELETE FROM themes WHERE slug = ?1", "t", slug) == ERR_OK &&
        sqlite3_changes(c->db) == 0)
        err_set(ei, ERR_NOT_FOUND, "no theme named %s", slug);
    return write_end(s, c, true, ei);
}

enum err
sqlite_theme_relink(struct store *stp, const char *slug, const json_t *links,
                    int64_t generation, struct err_info *ei)
{
    struct sqlite_store *s = SQLITE_STORE(stp);
    struct conn *c;
    char *text = json_dumps(links, JSON_COMPACT), now[TIMESTAMP_LEN];
    int64_t one;
    bool moved;

    timestamp_now(now);
    if (write_begin(s, &c, ei) != ERR_OK) {
        free(text);
        return ei->code;
    }
    /* The links were found in the articles as they were read, before this
     * transaction: an article written since (a new one the keywords find,
     * one whose text changed) would get a stale link or lose its own. */
    if (conn_query_row(c, ei, &one, NULL, &moved,
                       "SELECT 1 FROM meta WHERE key = 'generation'"
                       " AND CAST(value AS INTEGER) <> ?1",
                       "i", generation) == ERR_OK &&
        moved)
        err_set(ei, ERR_PRECONDITION, "the articles changed while they were read");
    /* The articles that gain or lose the theme have changed: updated_since
     * must list them (an article whose link stays, with another score, has
     * not: the API does not show the score).  Then the theme's links found
     * by keywords are dropped and the new ones written, in one transaction:
     * readers see the old tagging or the new one.  A link given by hand (no
     * matches) stays as it is. */
    if (ei->code == ERR_OK &&
        conn_run(c, ei,
                 "WITH t AS (SELECT id FROM themes WHERE slug = ?1),"
                 " new AS (SELECT value ->> '$.article_id' AS id FROM json_each(?2)),"
                 " old AS (SELECT article_id AS id FROM article_themes"
                 "  WHERE theme_id = (SELECT id FROM t))"
                 " UPDATE articles SET updated_at = ?3 WHERE id IN"
                 " (SELECT id FROM new EXCEPT SELECT id FROM old"
                 "  UNION SELECT article_id FROM article_themes"
                 "  WHERE theme_id = (SELECT id FROM t) AND matches <> '[]'"
                 "  AND article_id NOT IN (SELECT id FROM new))",
                 "ttt", slug, text, now) == ERR_OK &&
        conn_run(c, ei,
                 "DELETE FROM article_themes"
                 " WHERE theme_id = (SELECT id FROM themes WHERE slug = ?1)"
                 " AND matches <> '[]'",
                 "t", slug) == ERR_OK)
        conn_run(c, ei,
                 "INSERT OR IGNORE INTO article_themes (article_id, theme_id,"
                 " published, score, matches)"
                 " SELECT a.id, t.id, a.published, j.value ->> '$.score',"
                 " coalesce(j.value ->> '$.matches', '[]')"
                 " FROM json_each(?2) j"
                 " JOIN articles a ON a.id = j.value ->> '$.article_id'"
                 " JOIN themes t ON t.slug = ?1",
                 "tt", slug, text);
    free(text);
    return write_end(s, c, true, ei);
}
