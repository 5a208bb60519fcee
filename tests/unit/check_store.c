/* check_store.c - the SQLite store: migrations, idempotent writes,
 * officials and organizations, counters, atomic articles, keyset lists. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/embedded.h"
#include "gazette/ingest.h"
#include "helpers.h"

static struct store *st;
static char *path;

static void
setup(void)
{
    struct err_info ei = {0};

    path = db_temp();
    ck_assert_int_eq(store_open(path, STORE_READ_WRITE, &st, &ei), ERR_OK);
    ck_assert_msg(store_migrate(st, 0, NULL, &ei) == ERR_OK, "%s", ei.detail);
}

static void
teardown(void)
{
    store_close(st);
    db_remove(path);
    free(path);
}

/* Stores one article given as JSON text, with its digests worked out
 * ahead as an import does (or by the store when not ahead); returns the
 * outcome. */
static enum put_outcome
put_digested(const char *json, int64_t *id, enum err want, bool ahead)
{
    struct err_info ei = {0};
    struct store_batch *b;
    struct article_digests d;
    enum put_outcome outcome = PUT_UNCHANGED;
    json_t *in = json_loads(json, 0, NULL), *a;
    int64_t dummy;

    ck_assert_ptr_nonnull(in);
    a = article_normalize(in, &ei);
    ck_assert_msg(a != NULL, "%s", ei.detail);
    if (ahead)
        store_article_digests(a, &d);
    ck_assert_int_eq(store_batch_begin(st, 10, &b, &ei), ERR_OK);
    ck_assert_int_eq(
        store_batch_put(b, a, ahead ? &d : NULL, &outcome, id != NULL ? id : &dummy, &ei),
        want);
    ck_assert_int_eq(store_batch_end(b, &(struct err_info){0}), ERR_OK);
    json_decref(a);
    json_decref(in);
    return outcome;
}

static enum put_outcome
put(const char *json, int64_t *id, enum err want)
{
    return put_digested(json, id, want, true);
}

static json_t *
get(enum resource res, const char *ident)
{
    struct err_info ei = {0};
    json_t *out = NULL;

    ck_assert_msg(store_get(st, res, ident, 0, &out, &ei) == ERR_OK, "%s", ei.detail);
    return out;
}

static int64_t
ival(const json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static const char *
sval(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

START_TEST(migrations_are_recorded)
{
    struct err_info ei = {0};
    json_t *state;
    int applied = -1;

    ck_assert_int_eq(store_migrate(st, 0, &applied, &ei), ERR_OK);
    ck_assert_int_eq(applied, 0); /* already current */
    ck_assert_int_eq(store_migration_state(st, &state, &ei), ERR_OK);
    ck_assert_int_eq(ival(state, "current"), (int64_t)gazette_migrations_count);
    ck_assert_int_eq(ival(state, "latest"), (int64_t)gazette_migrations_count);
    ck_assert_uint_eq(json_array_size(json_object_get(state, "pending")), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(state, "applied")),
                      gazette_migrations_count);
    json_decref(state);
    ck_assert_int_eq(store_ready(st, &ei), ERR_OK);
}
END_TEST

START_TEST(memory_database)
{
    struct err_info ei = {0};
    struct store *mem;
    json_t *out;

    ck_assert_int_eq(store_open(":memory:", STORE_READ_WRITE, &mem, &ei), ERR_OK);
    ck_assert_int_eq(store_ready(mem, &ei), ERR_UNAVAILABLE); /* not migrated */
    err_clear(&ei);
    ck_assert_int_eq(store_migrate(mem, 0, NULL, &ei), ERR_OK);
    ck_assert_int_eq(store_ready(mem, &ei), ERR_OK);
    ck_assert_int_eq(store_get(mem, RES_ARTICLES, "1", 0, &out, &ei), ERR_NOT_FOUND);
    store_close(mem);
}
END_TEST

/* Writes a schema version the binary does not know. */
static void
set_version(const char *db, int version)
{
    sqlite3 *h;
    char sql[200];

    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    snprintf(sql, sizeof(sql),
             "INSERT INTO schema_version VALUES (%d, '9999_future.sql', "
             "'2030-01-01T00:00:00Z')",
             version);
    ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
}

START_TEST(newer_database_is_refused)
{
    struct err_info ei = {0};
    struct store *other;

    set_version(path, (int)gazette_migrations_count + 1);
    ck_assert_int_eq(store_open(path, STORE_READ_WRITE, &other, &ei), ERR_OK);
    ck_assert_int_eq(store_migrate(other, 0, NULL, &ei), ERR_CONFLICT);
    ck_assert_msg(strstr(ei.detail, "newer") != NULL, "%s", ei.detail);
    err_clear(&ei);
    ck_assert_int_eq(store_ready(other, &ei), ERR_UNAVAILABLE);
    store_close(other);
}
END_TEST

START_TEST(older_database_is_upgraded)
{
    struct err_info ei = {0};
    struct store *other, *fixture_store = st;
    char *old = db_temp();
    int applied;
    json_t *a = NULL;

    /* a database as an older binary left it: only the first migration,
     * and an article in it */
    ck_assert_int_eq(store_open(old, STORE_READ_WRITE, &other, &ei), ERR_OK);
    ck_assert_int_eq(store_migrate(other, 1, &applied, &ei), ERR_OK);
    ck_assert_int_eq(applied, 1);
    store_close(other);
    ck_assert_int_eq(store_open(old, STORE_READ_WRITE, &st, &ei), ERR_OK);
    put("{\"title\": \"Kept\", \"published\": \"2020-01-01\", \"body\": \"b\", "
        "\"quotes\": []}",
        NULL, ERR_OK);
    store_close(st);
    st = fixture_store;
    /* the current binary upgrades it in place and keeps the article */
    ck_assert_int_eq(store_open(old, STORE_READ_WRITE, &other, &ei), ERR_OK);
    ck_assert_int_eq(store_ready(other, &ei),
                     gazette_migrations_count > 1 ? ERR_UNAVAILABLE : ERR_OK);
    err_clear(&ei);
    ck_assert_int_eq(store_migrate(other, 0, &applied, &ei), ERR_OK);
    ck_assert_int_eq(applied, (int)gazette_migrations_count - 1);
    ck_assert_int_eq(store_ready(other, &ei), ERR_OK);
    ck_assert_int_eq(store_get(other, RES_ARTICLES, "kept", 0, &a, &ei), ERR_OK);
    ck_assert_str_eq(sval(a, "title"), "Kept");
    json_decref(a);
    store_close(other);
    db_remove(old);
    free(old);
}
END_TEST

/* Migration 0008 gives back to an official the title and organization of
 * its latest quote left, when the article that gave them was deleted by an
 * older binary. */
START_TEST(stale_titles_are_repaired)
{
    struct err_info ei = {0};
    struct store *fixture_store = st;
    char *old = db_temp();
    json_t *o;

    ck_assert_int_eq(store_open(old, STORE_READ_WRITE, &st, &ei), ERR_OK);
    ck_assert_int_eq(store_migrate(st, 7, NULL, &ei), ERR_OK);
    put("{\"title\": \"Then\", \"published\": \"2024-01-01\", \"body\": \"b\", "
        "\"quotes\": [{\"text\": \"b\", \"official\": \"Kel Darrow\", \"title\": "
        "\"director\"}]}",
        NULL, ERR_OK);
    put("{\"title\": \"Misdated\", \"published\": \"2099-01-01\", \"body\": \"c\", "
        "\"quotes\": [{\"text\": \"c\", \"official\": \"Kel Darrow\", \"title\": "
        "\"chief\", \"organization\": \"Mining Board\"}]}",
        NULL, ERR_OK);
    ck_assert_int_eq(store_article_delete(st, "misdated", &ei), ERR_OK);
    o = get(RES_OFFICIALS, "kel-darrow");
    ck_assert_str_eq(sval(o, "title"), "chief");
    json_decref(o);
    ck_assert_int_eq(store_migrate(st, 0, NULL, &ei), ERR_OK);
    o = get(RES_OFFICIALS, "kel-darrow");
    ck_assert_str_eq(sval(o, "title"), "director");
    ck_assert(json_is_null(json_object_get(o, "organization")));
    json_decref(o);
    store_close(st);
    st = fixture_store;
    db_remove(old);
    free(old);
}
END_TEST

/* Rows of an FTS5 table that match q, read with a connection of the test's. */
static int fts_count(sqlite3 *db, const char *table, const char *q);

/* Migration 0010 rebuilds the full-text indexes, which an older binary
 * made with words cut at their vowel signs: here such an index, written
 * over an article's own, is read again from the article's text. */
START_TEST(fts_indexes_are_rebuilt)
{
    struct err_info ei = {0};
    struct store *fixture_store = st;
    char *old = db_temp();
    sqlite3 *db;

    ck_assert_int_eq(store_open(old, STORE_READ_WRITE, &st, &ei), ERR_OK);
    ck_assert_int_eq(store_migrate(st, 9, NULL, &ei), /* before 0010 */
                     ERR_OK);
    put("{\"title\": \"Bhasha\", \"published\": \"2024-01-01\", \"body\": "
        "\"हिंदी भाषा\", \"quotes\": [{\"text\": \"हिंदी भाषा\", \"official\": "
        "\"Asha Rao\"}]}",
        NULL, ERR_OK);
    ck_assert_int_eq(sqlite3_open(old, &db), SQLITE_OK);
    ck_assert_int_eq(tokenizer_register(db), SQLITE_OK);
    ck_assert_int_eq(
        sqlite3_exec(
            db,
            "INSERT INTO articles_fts (articles_fts, rowid, title, body)"
            " SELECT 'delete', id, title, body FROM article_text;"
            "INSERT INTO articles_fts (rowid, title, body)"
            " SELECT id, 'Bhasha', 'ह द भ ष' FROM articles;"
            "INSERT INTO quotes_fts (quotes_fts, rowid, text)"
            " SELECT 'delete', id, text FROM quotes;"
            "INSERT INTO quotes_fts (rowid, text) SELECT id, 'ह द भ ष' FROM quotes",
            NULL, NULL, NULL),
        SQLITE_OK);
    ck_assert_int_eq(fts_count(db, "articles_fts", "\"हिंदी\""), 0);
    ck_assert_int_eq(store_migrate(st, 0, NULL, &ei), ERR_OK);
    ck_assert_int_eq(fts_count(db, "articles_fts", "\"हिंदी\""), 1);
    ck_assert_int_eq(fts_count(db, "articles_fts", "\"ह द\""), 0);
    ck_assert_int_eq(fts_count(db, "quotes_fts", "\"हिंदी भाषा\""), 1);
    sqlite3_close(db);
    store_close(st);
    st = fixture_store;
    db_remove(old);
    free(old);
}
END_TEST

START_TEST(not_a_database)
{
    struct err_info ei = {0};
    struct store *other;
    char *p = db_temp();
    FILE *f = fopen(p, "w");

    fputs("this is a text file, not SQLite, and it is long enough to have a header", f);
    fclose(f);
    if (store_open(p, STORE_READ_WRITE, &other, &ei) == ERR_OK) {
        ck_assert_int_eq(store_migrate(other, 0, NULL, &ei), ERR_UNAVAILABLE);
        store_close(other);
    }
    ck_assert_msg(strstr(ei.detail, "not a usable") != NULL, "%s", ei.detail);
    db_remove(p);
    free(p);
}
END_TEST

#define ART(extra)                                                                       \
    "{\"title\": \"Port expands\", \"published\": \"2024-03-01\", \"body\": \"The port " \
    "expands.\\n\\nMore text.\"" extra "}"

START_TEST(idempotent_articles)
{
    int64_t id1, id2;
    json_t *a;

    ck_assert_int_eq(put(ART(""), &id1, ERR_OK), PUT_INSERTED);
    ck_assert_int_eq(put(ART(""), &id2, ERR_OK), PUT_UNCHANGED);
    ck_assert_int_eq(put_digested(ART(""), &id2, ERR_OK, false), PUT_UNCHANGED);
    ck_assert_int_eq(id1, id2);
    /* the same text with a url and source: the same article, completed */
    ck_assert_int_eq(
        put(ART(", \"url\": \"https://news.example.org/p\", \"source\": \"S\""), &id2,
            ERR_OK),
        PUT_UPDATED);
    ck_assert_int_eq(id1, id2);
    /* the poorer record again changes nothing and keeps url and source,
     * with its digests worked out ahead or by the store */
    ck_assert_int_eq(put(ART(""), &id2, ERR_OK), PUT_UNCHANGED);
    ck_assert_int_eq(put_digested(ART(""), &id2, ERR_OK, false), PUT_UNCHANGED);
    a = get(RES_ARTICLES, "port-expands");
    ck_assert_str_eq(sval(a, "url"), "https://news.example.org/p");
    ck_assert_str_eq(sval(a, "source"), "S");
    ck_assert_str_eq(sval(a, "summary"), "The port expands.");
    json_decref(a);
    /* same url, new title: updated in place */
    ck_assert_int_eq(put("{\"title\": \"Port grows\", \"published\": \"2024-03-01\", "
                         "\"body\": \"New.\", \"url\": \"https://news.example.org/p\"}",
                         &id2, ERR_OK),
                     PUT_UPDATED);
    ck_assert_int_eq(id1, id2);
    a = get(RES_ARTICLES, "port-expands"); /* the slug stays */
    ck_assert_str_eq(sval(a, "title"), "Port grows");
    json_decref(a);
}
END_TEST

START_TEST(unique_slugs)
{
    int64_t a, b, c;
    json_t *x;

    put("{\"title\": \"Same\", \"published\": \"2024-01-01\", \"body\": \"one\"}", &a,
        ERR_OK);
    put("{\"title\": \"Same\", \"published\": \"2024-01-02\", \"body\": \"two\"}", &b,
        ERR_OK);
    put("{\"title\": \"2024\", \"published\": \"2024-01-02\", \"body\": \"three\"}", &c,
        ERR_OK);
    x = get(RES_ARTICLES, "same-2");
    ck_assert_int_eq(ival(x, "id"), b);
    json_decref(x);
    x = get(RES_ARTICLES, "article-2024"); /* never all digits */
    ck_assert_int_eq(ival(x, "id"), c);
    json_decref(x);
}
END_TEST

#define QUOTED(date, url, title, org)                                                    \
    "{\"title\": \"T " date "\", \"published\": \"" date "\", \"url\": \"" url "\", "    \
    "\"body\": \"Words.\", \"quotes\": [{\"text\": \"Words\", \"official\": \"Zhang "    \
    "Yuxian\", \"title\": \"" title "\", \"organization\": " org "}, {\"text\": "        \
    "\"More\", \"official\": \"zhang  yuxian\"}]}"

START_TEST(officials_are_shared)
{
    json_t *o, *a, *q, *org;

    put(QUOTED("2023-12-21", "https://n.example.org/1", "director",
               "{\"name\": \"Economic Forecast Department\", \"parent\": "
               "\"National Information Center\"}"),
        NULL, ERR_OK);
    put(QUOTED("2022-05-01", "https://n.example.org/2", "deputy director", "null"), NULL,
        ERR_OK);
    o = get(RES_OFFICIALS, "zhang-yuxian");
    ck_assert_str_eq(sval(o, "name"), "Zhang Yuxian");
    ck_assert_int_eq(ival(o, "quote_count"), 4);
    ck_assert_int_eq(ival(o, "article_count"), 2);
    ck_assert_str_eq(sval(o, "first_seen"), "2022-05-01");
    ck_assert_str_eq(sval(o, "last_seen"), "2023-12-21");
    /* the latest article's title, though it was imported first */
    ck_assert_str_eq(sval(o, "title"), "director");
    org = json_object_get(o, "organization");
    ck_assert_str_eq(sval(org, "name"), "Economic Forecast Department");
    ck_assert_str_eq(sval(json_object_get(org, "parent"), "name"),
                     "National Information Center");
    json_decref(o);
    /* each quote keeps the title its own article gave */
    a = get(RES_ARTICLES, "t-2022-05-01");
    q = json_array_get(json_object_get(a, "quotes"), 0);
    ck_assert_str_eq(sval(q, "title"), "deputy director");
    ck_assert(json_is_null(json_object_get(q, "organization")));
    ck_assert_str_eq(sval(json_object_get(q, "official"), "slug"), "zhang-yuxian");
    json_decref(a);
    o = get(RES_ORGANIZATIONS, "national-information-center");
    ck_assert_str_eq(sval(json_array_get(json_object_get(o, "departments"), 0), "name"),
                     "Economic Forecast Department");
    json_decref(o);
}
END_TEST

/* An official's counts and dates follow the quotes that are left, quote
 * by quote, as articles go or are rewritten: one of two quotes in an
 * article leaves the article counted, the last one does not. */
START_TEST(official_counts_follow_deletes)
{
    static const char *const texts[] = {
        ("{\"title\": \"One\", \"published\": \"2024-01-01\", \"body\": \"b\", "
         "\"quotes\": [{\"text\": \"a\", \"official\": \"Ada Quist\"}, "
         "{\"text\": \"b\", \"official\": \"Ada Quist\"}]}"),
        ("{\"title\": \"Two\", \"published\": \"2024-02-01\", \"body\": \"b\", "
         "\"quotes\": [{\"text\": \"c\", \"official\": \"Ada Quist\"}, "
         "{\"text\": \"d\", \"official\": \"Bram Oyelaran\"}]}"),
        ("{\"title\": \"Three\", \"published\": \"2024-03-01\", \"body\": \"b\", "
         "\"quotes\": [{\"text\": \"e\", \"official\": \"Ada Quist\"}]}"),
    };
    static const struct {
        int quotes, articles;
        const char *first, *last;
    } after[] = {
        {4, 3, "2024-01-01", "2024-03-01"}, /* all three */
        {2, 2, "2024-02-01", "2024-03-01"}, /* "one" deleted */
        {1, 1, "2024-03-01", "2024-03-01"}, /* "two" rewritten without her */
        {0, 0, NULL, NULL},                 /* "three" deleted */
    };
    struct err_info ei = {0};
    enum put_outcome outcome;
    int64_t id;

    for (size_t i = 0; i < 3; i++)
        put(texts[i], NULL, ERR_OK);
    for (int step = 0; step < 4; step++) {
        json_t *o, *in, *a;

        if (step == 1) {
            ck_assert_int_eq(store_article_delete(st, "one", &ei), ERR_OK);
        } else if (step == 2) {
            in = json_loads("{\"title\": \"Two\", \"published\": \"2024-02-01\", "
                            "\"body\": \"b2\", \"quotes\": [{\"text\": \"d\", "
                            "\"official\": \"Bram Oyelaran\"}]}",
                            0, NULL);
            a = article_normalize(in, &ei);
            ck_assert_int_eq(store_article_save(st, a, "two", &outcome, &id, &ei),
                             ERR_OK);
            json_decref(a);
            json_decref(in);
        } else if (step == 3) {
            ck_assert_int_eq(store_article_delete(st, "three", &ei), ERR_OK);
        }
        o = get(RES_OFFICIALS, "ada-quist");
        ck_assert_int_eq(ival(o, "quote_count"), after[step].quotes);
        ck_assert_int_eq(ival(o, "article_count"), after[step].articles);
        if (after[step].first != NULL) {
            ck_assert_str_eq(sval(o, "first_seen"), after[step].first);
            ck_assert_str_eq(sval(o, "last_seen"), after[step].last);
        } else {
            ck_assert(json_is_null(json_object_get(o, "first_seen")));
            ck_assert(json_is_null(json_object_get(o, "last_seen")));
        }
        json_decref(o);
        o = get(RES_OFFICIALS, "bram-oyelaran");
        ck_assert_int_eq(ival(o, "quote_count"), 1);
        ck_assert_int_eq(ival(o, "article_count"), 1);
        json_decref(o);
    }
}
END_TEST

/* A merge moves the counts with the quotes: an article that quoted both
 * officials is counted once. */
START_TEST(official_counts_follow_merges)
{
    static const char *const texts[] = {
        ("{\"title\": \"One\", \"published\": \"2024-01-01\", \"body\": \"b\", "
         "\"quotes\": [{\"text\": \"a\", \"official\": \"Ada Quist\"}]}"),
        ("{\"title\": \"Two\", \"published\": \"2023-02-01\", \"body\": \"b\", "
         "\"quotes\": [{\"text\": \"c\", \"official\": \"A. Quist\"}]}"),
        ("{\"title\": \"Three\", \"published\": \"2024-03-01\", \"body\": \"b\", "
         "\"quotes\": [{\"text\": \"e\", \"official\": \"Ada Quist\"}, "
         "{\"text\": \"f\", \"official\": \"A. Quist\"}]}"),
    };
    struct strlist from = {.v = {"a-quist"}, .n = 1};
    struct err_info ei = {0};
    json_t *o = NULL;

    for (size_t i = 0; i < 3; i++)
        put(texts[i], NULL, ERR_OK);
    ck_assert_int_eq(store_official_merge(st, "ada-quist", &from, &o, &ei), ERR_OK);
    json_decref(o);
    o = get(RES_OFFICIALS, "ada-quist");
    ck_assert_int_eq(ival(o, "quote_count"), 4);
    ck_assert_int_eq(ival(o, "article_count"), 3);
    ck_assert_str_eq(sval(o, "first_seen"), "2023-02-01");
    ck_assert_str_eq(sval(o, "last_seen"), "2024-03-01");
    json_decref(o);
    /* and the kept official's counts still follow deletes */
    ck_assert_int_eq(store_article_delete(st, "three", &ei), ERR_OK);
    o = get(RES_OFFICIALS, "ada-quist");
    ck_assert_int_eq(ival(o, "quote_count"), 2);
    ck_assert_int_eq(ival(o, "article_count"), 2);
    json_decref(o);
}
END_TEST

START_TEST(failed_article_leaves_nothing)
{
    struct err_info ei = {0};
    struct store_batch *b;
    enum put_outcome outcome;
    json_t *good = json_loads(ART(""), 0, NULL), *na = article_normalize(good, &ei);
    /* a record that passed no validation: the database's own rules stop it
     * after the article row was written, and the article must go too */
    json_t *bad =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:n, s:n, s:[{s:s, s:s, s:{s:s}}]}", "title",
                  "Half", "published", "2024-01-01", "body", "b", "summary", "b",
                  "language", "en", "source", "url", "quotes", "text", "x", "kind",
                  "shouted", "official", "name", "A");
    int64_t id, n;

    ck_assert_int_eq(store_batch_begin(st, 10, &b, &ei), ERR_OK);
    ck_assert_int_ne(store_batch_put(b, bad, NULL, &outcome, &id, &ei), ERR_OK);
    err_clear(&ei);
    ck_assert_int_eq(store_batch_put(b, na, NULL, &outcome, &id, &ei), ERR_OK);
    ck_assert_int_eq(store_batch_end(b, &ei), ERR_OK);
    ck_assert_int_eq(store_article_count(st, &n, &ei), ERR_OK);
    ck_assert_int_eq(n, 1);
    json_t *o = NULL;
    ck_assert_int_eq(store_get(st, RES_OFFICIALS, "a", 0, &o, &ei), ERR_NOT_FOUND);
    json_decref(bad);
    json_decref(good);
    json_decref(na);
}
END_TEST

/* Rows of an FTS5 table that match q, read with a connection of the test's. */
static int
fts_count(sqlite3 *db, const char *table, const char *q)
{
    char sql[128];
    sqlite3_stmt *stmt;
    int n;

    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE %s MATCH ?1", table, table);
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    sqlite3_bind_text(stmt, 1, q, -1, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
    n = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return n;
}

#define HARBOUR(url, word, quote)                                                        \
    "{\"title\": \"Harbour " word "\", \"published\": \"2024-03-01\", \"url\": "         \
    "\"https://news.example.org/" url "\", \"body\": \"The " word " harbour.\", "        \
    "\"quotes\": [{\"text\": \"" quote "\", \"kind\": \"direct\", \"official\": "        \
    "\"Ana Ruiz\"}]}"

static json_t *
normalized(const char *text)
{
    struct err_info ei = {0};
    json_t *in = json_loads(text, 0, NULL), *a;

    ck_assert_ptr_nonnull(in);
    a = article_normalize(in, &ei);
    ck_assert_msg(a != NULL, "%s", ei.detail);
    json_decref(in);
    return a;
}

START_TEST(indexes_follow_writes)
{
    static const char *const batch[] = {
        HARBOUR("a", "walrus", "penguins everywhere"),
        HARBOUR("b", "narwhal", "albatross overhead"),
        /* a changes before its chunk commits, while it is not indexed yet */
        HARBOUR("a", "manatee", "pelicans everywhere"),
        HARBOUR("c", "dugong", "cormorant nests"),
        HARBOUR("d", "beluga", "heron colony"),
    };
    struct err_info ei = {0};
    struct store_batch *b;
    enum put_outcome outcome;
    int64_t id;
    sqlite3 *db;
    json_t *a;

    ck_assert_int_eq(store_batch_begin(st, 2, &b, &ei), ERR_OK);
    for (size_t i = 0; i < sizeof(batch) / sizeof(batch[0]); i++) {
        a = normalized(batch[i]);
        ck_assert_int_eq(store_batch_put(b, a, NULL, &outcome, &id, &ei), ERR_OK);
        json_decref(a);
        if (i == 3) { /* a record the database refuses, between good ones */
            a = json_pack("{s:s, s:s, s:s, s:s, s:s, s:n, s:n, s:[{s:s, s:s, s:{s:s}}]}",
                          "title", "Orca", "published", "2024-01-01", "body", "orca",
                          "summary", "orca", "language", "en", "source", "url", "quotes",
                          "text", "orca pod", "kind", "shouted", "official", "name", "B");
            ck_assert_int_ne(store_batch_put(b, a, NULL, &outcome, &id, &ei), ERR_OK);
            err_clear(&ei);
            json_decref(a);
        }
    }
    ck_assert_int_eq(store_batch_end(b, &ei), ERR_OK);
    /* b, once indexed, changes; c goes */
    a = normalized(HARBOUR("b", "sealion", "gannets overhead"));
    ck_assert_int_eq(store_article_save(st, a, "harbour-narwhal", &outcome, &id, &ei),
                     ERR_OK);
    json_decref(a);
    ck_assert_int_eq(store_article_delete(st, "harbour-dugong", &ei), ERR_OK);

    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(tokenizer_register(db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "INSERT INTO articles_fts (articles_fts, rank)"
                                  " VALUES ('integrity-check', 1);"
                                  "INSERT INTO quotes_fts (quotes_fts, rank)"
                                  " VALUES ('integrity-check', 1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    static const struct {
        const char *table, *q;
        int n;
    } want[] = {
        {"articles_fts", "walrus", 0},  {"articles_fts", "manatee", 1},
        {"articles_fts", "narwhal", 0}, {"articles_fts", "sealion", 1},
        {"articles_fts", "dugong", 0},  {"articles_fts", "beluga", 1},
        {"articles_fts", "orca", 0},    {"articles_fts", "harbour", 3},
        {"quotes_fts", "penguins", 0},  {"quotes_fts", "pelicans", 1},
        {"quotes_fts", "albatross", 0}, {"quotes_fts", "gannets", 1},
        {"quotes_fts", "cormorant", 0}, {"quotes_fts", "heron", 1},
        {"quotes_fts", "orca", 0},      {"quotes_fts", "everywhere", 1},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        ck_assert_msg(fts_count(db, want[i].table, want[i].q) == want[i].n, "%s %s: %d",
                      want[i].table, want[i].q, fts_count(db, want[i].table, want[i].q));
    sqlite3_close(db);
}
END_TEST

/* The scores articles_bm25() gives, row by row, against FTS5's bm25(): q
 * is in FTS5's syntax, and articles_bm25() knows its phrases by their
 * text (and keeps their counts) when it is written as sqlb_match() writes
 * queries, every phrase quoted. */
static void
check_rank_equals_bm25(sqlite3 *db, const char *q, int want_rows)
{
    sqlite3_stmt *stmt;
    int rows = 0;

    ck_assert_int_eq(
        sqlite3_prepare_v2(db,
                           "SELECT rowid, bm25(articles_fts, 10.0, 1.0),"
                           " articles_bm25(articles_fts, ?1, 10.0, 1.0) FROM articles_fts"
                           " WHERE articles_fts MATCH ?1",
                           -1, &stmt, NULL),
        SQLITE_OK);
    sqlite3_bind_text(stmt, 1, q, -1, SQLITE_STATIC);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        double want = sqlite3_column_double(stmt, 1),
               got = sqlite3_column_double(stmt, 2);

        ck_assert_msg(want < 0 && got == want,
                      "%s, row %lld: bm25 %.17g, articles_bm25 %.17g", q,
                      sqlite3_column_int64(stmt, 0), want, got);
        rows++;
    }
    ck_assert_int_eq(sqlite3_finalize(stmt), SQLITE_OK);
    ck_assert_int_eq(rows, want_rows);
}

/* articles_bm25() keeps the length of each article and the number of
 * articles each phrase matches; it must rank as bm25() does, also when an
 * article it knows the length of changes or goes. */
/* Three articles about tariffs, and eight that match none of their
 * words, so that each word's count gives it its own weight (bm25() floors
 * the weight of a word in half the articles or more). */
static void
save_tariff_articles(void)
{
    static const char *const articles[] = {
        "{\"title\": \"Port tariffs\", \"published\": \"2024-03-01\", \"body\": "
        "\"Tariffs at the port rose. Tariffs on steel too.\"}",
        "{\"title\": \"Grid\", \"published\": \"2024-03-02\", \"body\": "
        "\"The grid needs tariffs reviewed, said the regulator, and more wind.\"}",
        "{\"title\": \"Tariffs and wind\", \"published\": \"2024-03-03\", \"body\": "
        "\"Short.\"}",
    };
    struct err_info ei = {0};
    enum put_outcome outcome;
    int64_t id;
    char other[160];
    json_t *a;

    for (size_t i = 0; i < sizeof(articles) / sizeof(articles[0]); i++) {
        a = normalized(articles[i]);
        ck_assert_int_eq(store_article_save(st, a, NULL, &outcome, &id, &ei), ERR_OK);
        json_decref(a);
    }
    for (int i = 0; i < 8; i++) {
        snprintf(other, sizeof(other),
                 "{\"title\": \"Harvest %d\", \"published\": \"2024-04-0%d\","
                 " \"body\": \"Farmers brought in the harvest early.\"}",
                 i, i + 1);
        a = normalized(other);
        ck_assert_int_eq(store_article_save(st, a, NULL, &outcome, &id, &ei), ERR_OK);
        json_decref(a);
    }
}

/* The first article grows, the third goes: lengths and lists known are
 * stale. */
static void
change_tariff_articles(void)
{
    struct err_info ei = {0};
    enum put_outcome outcome;
    int64_t id;
    json_t *a;

    a = normalized("{\"title\": \"Port tariffs\", \"published\": \"2024-03-01\", "
                   "\"body\": \"Tariffs at the port rose again this spring, and the "
                   "shipping lines said tariffs would stay high for a year.\"}");
    ck_assert_int_eq(store_article_save(st, a, "port-tariffs", &outcome, &id, &ei),
                     ERR_OK);
    json_decref(a);
    ck_assert_int_eq(store_article_delete(st, "tariffs-and-wind", &ei), ERR_OK);
}

START_TEST(rank_is_bm25_with_lengths_kept)
{
    sqlite3 *db;

    save_tariff_articles();
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(tokenizer_register(db), SQLITE_OK);
    check_rank_equals_bm25(db, "tariffs", 3);
    check_rank_equals_bm25(db, "tariffs wind", 2);
    check_rank_equals_bm25(db, "tariffs OR steel", 3);
    /* phrases known by their text, in the order FTS5 numbers them; their
     * counts kept from one query to the next, in other places */
    for (int round = 0; round < 2; round++) {
        check_rank_equals_bm25(db, "((\"tariffs\"))", 3);
        check_rank_equals_bm25(db, "((\"tariffs\" OR \"steel\") AND (\"port\"))", 1);
        check_rank_equals_bm25(db, "((\"wind\" OR \"steel\" OR \"tariffs\"))", 3);
        check_rank_equals_bm25(db, "((\"tarif\" *) AND (\"wind\"))", 2);
        check_rank_equals_bm25(db, "((\"tariffs\")) NOT (\"steel\" OR \"grid\")", 1);
        check_rank_equals_bm25(db, "((\"the grid\" OR \"port\"))", 2);
    }
    change_tariff_articles();
    check_rank_equals_bm25(db, "tariffs", 2);
    check_rank_equals_bm25(db, "tariffs OR wind", 2);
    /* the counts kept before are stale too */
    check_rank_equals_bm25(db, "((\"wind\" OR \"steel\" OR \"tariffs\"))", 2);
    check_rank_equals_bm25(db, "((\"tarif\" *) AND (\"wind\"))", 1);
    sqlite3_close(db);
}
END_TEST

/* articles_top()'s rows, in its order, against FTS5's bm25() ordered by
 * SQLite: the same articles in the same order, every rank the same to the
 * bit.  q is as sqlb_match() writes queries; from and to may be NULL. */
static void
check_top_equals_bm25(sqlite3 *db, const char *q, const char *from, const char *to,
                      bool desc, int want_rows)
{
    const char *dir = desc ? "DESC" : "ASC";
    sqlite3_stmt *top, *ref;
    char sql[512];
    int rows = 0, rc_top, rc_ref;

    snprintf(sql, sizeof(sql),
             "SELECT id, rank FROM articles_top(?1, ?2, ?3) ORDER BY rank %s, id %s", dir,
             dir);
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &top, NULL), SQLITE_OK);
    snprintf(
        sql, sizeof(sql),
        "SELECT x.id, bm25(articles_fts, 10.0, 1.0) AS r FROM articles_fts"
        " JOIN articles x ON x.id = articles_fts.rowid WHERE articles_fts MATCH ?1"
        " AND (?2 IS NULL OR x.published >= ?2) AND (?3 IS NULL OR x.published <= ?3)"
        " ORDER BY r %s, x.id %s",
        dir, dir);
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &ref, NULL), SQLITE_OK);
    for (int i = 0; i < 2; i++) {
        sqlite3_stmt *stmt = i == 0 ? top : ref;

        sqlite3_bind_text(stmt, 1, q, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 2, from, -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 3, to, -1, SQLITE_STATIC);
    }
    while ((rc_ref = sqlite3_step(ref)) == SQLITE_ROW) {
        rc_top = sqlite3_step(top);
        ck_assert_msg(rc_top == SQLITE_ROW, "%s: %d rows, not more (%s)", q, rows,
                      sqlite3_errmsg(db));
        ck_assert_msg(sqlite3_column_int64(top, 0) == sqlite3_column_int64(ref, 0) &&
                          sqlite3_column_double(top, 1) == sqlite3_column_double(ref, 1),
                      "%s %s, row %d: articles_top %lld %.17g, bm25 %lld %.17g", q, dir,
                      rows, sqlite3_column_int64(top, 0), sqlite3_column_double(top, 1),
                      sqlite3_column_int64(ref, 0), sqlite3_column_double(ref, 1));
        rows++;
    }
    ck_assert_int_eq(rc_ref, SQLITE_DONE);
    ck_assert_msg(sqlite3_step(top) == SQLITE_DONE, "%s: more than %d rows", q, rows);
    ck_assert_int_eq(sqlite3_finalize(top), SQLITE_OK);
    ck_assert_int_eq(sqlite3_finalize(ref), SQLITE_OK);
    ck_assert_msg(rows == want_rows, "%s from %s to %s: %d rows, not %d", q, from, to,
                  rows, want_rows);
}

/* Gives the article with this title another id, in the database and its
 * full-text index, as no API would. */
static void
move_article(sqlite3 *db, const char *title, int64_t id)
{
    char *sql = sqlite3_mprintf(
        "INSERT INTO articles_fts (articles_fts, rowid, title, body)"
        " SELECT 'delete', id, title, body FROM article_text WHERE title = %Q;"
        "UPDATE article_bodies SET article_id = %lld"
        " WHERE article_id = (SELECT id FROM articles WHERE title = %Q);"
        "UPDATE articles SET id = %lld WHERE title = %Q;"
        "INSERT INTO articles_fts (rowid, title, body)"
        " SELECT id, title, body FROM article_text WHERE id = %lld",
        title, (long long)id, title, (long long)id, title, (long long)id);

    ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_free(sql);
}

/* articles_top() ranks from lists it keeps as bm25() ranks: with every
 * operator, with dates, when the data changes, and, when an id is beyond
 * what it keeps or a bound is not a date, through FTS5. */
START_TEST(top_ranks_as_bm25)
{
    static const struct {
        const char *q, *from, *to;
        int rows, changed, moved;
    } cases[] = {
        {"((\"tariffs\"))", NULL, NULL, 3, 2, 2},
        {"((\"tariffs\" OR \"steel\") AND (\"port\"))", NULL, NULL, 1, 1, 1},
        {"((\"wind\" OR \"steel\" OR \"tariffs\"))", NULL, NULL, 3, 2, 2},
        {"((\"tarif\" *) AND (\"wind\"))", NULL, NULL, 2, 1, 1},
        {"((\"tariffs\")) NOT (\"steel\" OR \"grid\")", NULL, NULL, 1, 1, 1},
        {"((\"the grid\" OR \"port\"))", NULL, NULL, 2, 2, 2},
        {"((\"tariffs\") AND (\"tariffs\"))", NULL, NULL, 3, 2, 2},
        {"((\"tariffs\" OR \"harvest\"))", "2024-03-02", "2024-04-03", 5, 4, 4},
        {"((\"harvest\"))", "2024-04-02", NULL, 7, 7, 7},
        {"((\"tariffs\" OR \"harvest\"))", NULL, "2024-04-01", 4, 3, 3},
        {"((\"nowhere\"))", NULL, NULL, 0, 0, 0},
        /* not a date: compared as text, as SQL compares it */
        {"((\"tariffs\"))", NULL, "2024-3", 3, 2, 2},
    };
    const size_t n = sizeof(cases) / sizeof(cases[0]);
    sqlite3 *db;

    save_tariff_articles();
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(tokenizer_register(db), SQLITE_OK);
    /* twice: the second time from the lists kept */
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < n; i++) {
            check_top_equals_bm25(db, cases[i].q, cases[i].from, cases[i].to, false,
                                  cases[i].rows);
            check_top_equals_bm25(db, cases[i].q, cases[i].from, cases[i].to, true,
                                  cases[i].rows);
        }
    }
    /* more phrases than the lists kept: those used longest ago go, never
     * one the query holds */
    for (int i = 0; i < 300; i++) {
        char q[96];

        snprintf(q, sizeof(q),
                 "((\"nowhere%d\" OR \"tariffs\") AND (\"port\" OR \"%s\"))", i,
                 i % 2 ? "wind" : "grid");
        check_top_equals_bm25(db, q, NULL, NULL, false, i % 2 ? 3 : 2);
    }
    change_tariff_articles();
    for (size_t i = 0; i < n; i++)
        check_top_equals_bm25(db, cases[i].q, cases[i].from, cases[i].to, false,
                              cases[i].changed);
    /* ids far apart (several bytes between them in a list), then an id
     * beyond what can be kept by id */
    move_article(db, "Harvest 3", 70000);
    for (size_t i = 0; i < n; i++)
        check_top_equals_bm25(db, cases[i].q, cases[i].from, cases[i].to, false,
                              cases[i].changed);
    move_article(db, "Grid", 5000000);
    for (size_t i = 0; i < n; i++)
        check_top_equals_bm25(db, cases[i].q, cases[i].from, cases[i].to, false,
                              cases[i].moved);
    sqlite3_close(db);
}
END_TEST

/* The articles_snippet() of the article with this title for query q, in
 * passages of n tokens marked with [ and ]. */
static void
check_snippet(sqlite3 *db, const char *title, const char *q, int n, const char *want)
{
    sqlite3_stmt *stmt;

    ck_assert_int_eq(
        sqlite3_prepare_v2(db,
                           "SELECT articles_snippet(articles_fts, '[', ']', '…',"
                           " ?3) FROM articles_fts WHERE articles_fts MATCH ?1"
                           " AND rowid = (SELECT id FROM articles"
                           " WHERE title = ?2)",
                           -1, &stmt, NULL),
        SQLITE_OK);
    sqlite3_bind_text(stmt, 1, q, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, title, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 3, n);
    ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
    ck_assert_msg(strcmp((const char *)sqlite3_column_text(stmt, 0), want) == 0,
                  "%s in %s: %s, not %s", q, title, sqlite3_column_text(stmt, 0), want);
    sqlite3_finalize(stmt);
}

/* articles_snippet() marks the hits (phrases whole, prefixes, CJK pairs) in
 * the passage with the most of the query, from the start of a sentence
 * when it can, with ellipses where the text goes on. */
START_TEST(snippets_mark_the_best_passage)
{
    static const char *const articles[] = {
        "{\"title\": \"Kiel\", \"published\": \"2024-03-01\", \"body\": "
        "\"Alpha beta gamma. The harbour budget rose in Kiel this year.\"}",
        "{\"title\": \"Counting\", \"published\": \"2024-03-02\", \"body\": "
        "\"one two three four five six seven budget nine ten eleven twelve\"}",
        "{\"title\": \"Budget day\", \"published\": \"2024-03-03\", \"body\": "
        "\"Nothing here.\"}",
        "{\"title\": \"Both\", \"published\": \"2024-03-04\", \"body\": "
        "\"budget alone here and then some words in between before the budget tariffs "
        "pair\"}",
        "{\"title\": \"Digital\", \"published\": \"2024-03-05\", \"language\": "
        "\"zh\", \"body\": \"数字经济发展迅速\"}",
        "{\"title\": \"Économie\", \"published\": \"2024-03-06\", \"body\": "
        "\"INDUSTRIES of the Économie grew. Then the industry's Ökonomie, industrial "
        "ÉCONOMIES and naïve cafés.\"}",
        "{\"title\": \"Markup\", \"published\": \"2024-03-07\", \"body\": "
        "\"The zorbify <img src=x onerror=alert(1)> token & \\\"more\\\" 'x'.\"}",
        "{\"title\": \"Opening\", \"published\": \"2024-03-08\", \"body\": "
        "\"\\\"Zephyr gusts,\\\" a forecaster said.\"}",
        "{\"title\": \"<Quill> notes\", \"published\": \"2024-03-09\", \"body\": "
        "\"Nothing here.\"}",
        "{\"title\": \"Qiche\", \"published\": \"2024-03-10\", \"language\": "
        "\"zh\", \"body\": "
        "\"今年经济回升。这是真的吗？当然是真的！新能源汽车产业快速发展。\"}",
    };
    struct err_info ei = {0};
    enum put_outcome outcome;
    int64_t id;
    sqlite3 *db;

    for (size_t i = 0; i < sizeof(articles) / sizeof(articles[0]); i++) {
        json_t *a = normalized(articles[i]);

        ck_assert_int_eq(store_article_save(st, a, NULL, &outcome, &id, &ei), ERR_OK);
        json_decref(a);
    }
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(tokenizer_register(db), SQLITE_OK);
    check_snippet(db, "Kiel", "budget", 24,
                  "…The harbour [budget] rose in Kiel this year.");
    check_snippet(db, "Kiel", "\"harbour budget\"", 24,
                  "…The [harbour budget] rose in Kiel this year.");
    check_snippet(db, "Kiel", "budg*", 24,
                  "…The harbour [budget] rose in Kiel this year.");
    /* no sentence to start from: the hit in the middle */
    check_snippet(db, "Counting", "budget", 5, "…six seven [budget] nine ten…");
    check_snippet(db, "Counting", "budget", 24,
                  "one two three four five six seven [budget] nine ten eleven twelve");
    /* only the title has it */
    check_snippet(db, "Budget day", "budget", 24, "[Budget] day");
    /* both words rather than the first hit */
    check_snippet(db, "Both", "budget tariffs", 4, "…the [budget tariffs] pair");
    check_snippet(db, "Digital", "经济", 24, "数字[经济]发展迅速");
    /* a Chinese sentence may end with ！ or ？ as well as 。 */
    check_snippet(db, "Qiche", "汽车", 12, "…新能源[汽车]产业快速发展。");
    check_snippet(db, "Qiche", "新能源", 12, "…[新能源]汽车产业快速发展。");
    check_snippet(db, "Qiche", "当然", 12, "…[当然]是真的！新能源汽车产业快速…");
    /* hits next to each other share a mark across white space only */
    check_snippet(db, "Économie", "grew then industrial economies", 24,
                  "[INDUSTRIES] of the [Économie grew]. [Then] the [industry]'s "
                  "Ökonomie, [industrial ÉCONOMIES] and naïve cafés.");
    /* a passage that starts the text keeps what comes before its first
     * word: the opening quotation mark, the "<" of a title */
    check_snippet(db, "Opening", "zephyr", 24, "\"[Zephyr] gusts,\" a forecaster said.");
    check_snippet(db, "<Quill> notes", "quill", 24, "<[Quill]> notes");
    sqlite3_close(db);

    /* a search page: each row with its own article's passage */
    static const struct {
        const char *title, *snippet;
    } want[] = {
        {"Kiel", "…The harbour <b>budget</b> rose in Kiel this year."},
        {"Counting",
         "one two three four five six seven <b>budget</b> nine ten eleven twelve"},
        {"Budget day", "<b>Budget</b> day"},
        {"Both", "<b>budget</b> alone here and then some words in between before the "
                 "<b>budget</b> tariffs pair"},
    };
    struct text_query tq;
    struct filter f = {.q = &tq};
    struct page pg = {
        .limit = 10, .sort = SORT_ID, .mark_start = "<b>", .mark_end = "</b>"};
    json_t *res, *row;
    size_t i;

    ck_assert_int_eq(text_query_parse("budget", "q", &tq, &ei), ERR_OK);
    ck_assert_int_eq(store_list(st, RES_SEARCH, &f, &pg, &res, &ei), ERR_OK);
    ck_assert_int_eq(json_array_size(json_object_get(res, "data")), 4);
    json_array_foreach (json_object_get(res, "data"), i, row) {
        ck_assert_str_eq(sval(row, "title"), want[i].title);
        ck_assert_str_eq(sval(row, "snippet"), want[i].snippet);
    }
    json_decref(res);
    text_query_release(&tq);

    /* with the default marks a snippet is HTML: the article's own markup
     * is text in it; with the client's marks, the text is as written */
    static const struct {
        const char *start, *end, *snippet;
    } markup[] = {
        {NULL, NULL,
         "The <mark>zorbify</mark> &lt;img src=x onerror=alert(1)&gt; token &amp; "
         "&quot;more&quot; &#39;x&#39;."},
        {"[", "]", "The [zorbify] <img src=x onerror=alert(1)> token & \"more\" 'x'."},
    };

    ck_assert_int_eq(text_query_parse("zorbify", "q", &tq, &ei), ERR_OK);
    for (i = 0; i < sizeof(markup) / sizeof(markup[0]); i++) {
        pg = (struct page){.limit = 10,
                           .sort = SORT_ID,
                           .mark_start = markup[i].start,
                           .mark_end = markup[i].end};
        ck_assert_int_eq(store_list(st, RES_SEARCH, &f, &pg, &res, &ei), ERR_OK);
        ck_assert_int_eq(json_array_size(json_object_get(res, "data")), 1);
        row = json_array_get(json_object_get(res, "data"), 0);
        ck_assert_str_eq(sval(row, "snippet"), markup[i].snippet);
        json_decref(res);
    }
    text_query_release(&tq);

    /* pages find their passages by tokenizing each row: the same as
     * articles_snippet() makes from FTS5's hits */
    static const struct {
        const char *q, *fts;
    } queries[] = {
        {"budget", "budget"},
        {"budget tariffs", "budget tariffs"},
        {"budget OR tariffs", "budget OR tariffs"},
        {"\"harbour budget\"", "\"harbour budget\""},
        {"budg*", "budg*"},
        {"tariffs -steel", "tariffs NOT steel"},
        {"the grid OR wind", "the grid OR wind"},
        {"tariffs tariffs", "tariffs tariffs"},
        {"经济", "经济"},
        {"数字经济", "数字经济"},
        /* words stemmed, folded and unaccented as the tokenizer does */
        {"industry", "industry"},
        {"économie", "économie"},
        {"ECONOMIES ökonomie", "ECONOMIES ökonomie"},
        {"indus* cafe", "indus* cafe"},
        {"\"economie grew\"", "\"economie grew\""},
        {"grew then ökonomie industrial", "grew then ökonomie industrial"},
    };
    sqlite3_stmt *stmt;

    save_tariff_articles();
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(tokenizer_register(db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db,
                                        "SELECT articles_snippet(articles_fts, '[', ']',"
                                        " '…', 24) FROM articles_fts"
                                        " WHERE articles_fts MATCH ?1 AND rowid = ?2",
                                        -1, &stmt, NULL),
                     SQLITE_OK);
    pg = (struct page){.limit = 100, .sort = SORT_ID, .mark_start = "[", .mark_end = "]"};
    for (size_t k = 0; k < sizeof(queries) / sizeof(queries[0]); k++) {
        ck_assert_int_eq(text_query_parse(queries[k].q, "q", &tq, &ei), ERR_OK);
        ck_assert_int_eq(store_list(st, RES_SEARCH, &f, &pg, &res, &ei), ERR_OK);
        ck_assert_msg(json_array_size(json_object_get(res, "data")) > 0, "%s",
                      queries[k].q);
        json_array_foreach (json_object_get(res, "data"), i, row) {
            sqlite3_bind_text(stmt, 1, queries[k].fts, -1, SQLITE_STATIC);
            sqlite3_bind_int64(stmt, 2, ival(row, "id"));
            ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
            ck_assert_msg(strcmp(sval(row, "snippet"),
                                 (const char *)sqlite3_column_text(stmt, 0)) == 0,
                          "%s in %s: %s, not %s", queries[k].q, sval(row, "title"),
                          sval(row, "snippet"), sqlite3_column_text(stmt, 0));
            sqlite3_reset(stmt);
        }
        json_decref(res);
        text_query_release(&tq);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}
END_TEST

/* A word is whole with its combining marks: Hindi is not cut at its vowel
 * signs, so that a word matches itself and not others written with the
 * same consonants; accents written as combining marks still go. */
START_TEST(marks_stay_in_words)
{
    static const struct {
        const char *q;
        int n;
    } want[] = {
        {"\"हिंदी\"", 1}, /* Hindi, not हिंदू (Hindu) */
        {"\"हिंदू\"", 1},
        {"\"की\"", 0}, /* of: no word here, though many begin with क */
        {"\"काम\"", 1},
        {"\"कतब\"", 0}, /* किताब without its vowels */
        {"\"किताब\"", 1},
        {"\"reforme\"", 1},
        {"\"re\xcc\x81"
         "forme\"",
         1},
    };
    sqlite3 *db;

    put("{\"title\": \"Bhasha\", \"published\": \"2024-01-01\", \"body\": "
        "\"हिंदी भाषा में काम\"}",
        NULL, ERR_OK);
    put("{\"title\": \"Dharm\", \"published\": \"2024-01-02\", \"body\": "
        "\"हिंदू धर्म और किताब\"}",
        NULL, ERR_OK);
    put("{\"title\": \"Decomposed\", \"published\": \"2024-01-03\", \"body\": "
        "\"La re\\u0301forme.\"}",
        NULL, ERR_OK);
    ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
    ck_assert_int_eq(tokenizer_register(db), SQLITE_OK);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        ck_assert_msg(fts_count(db, "articles_fts", want[i].q) == want[i].n,
                      "%s: %d, not %d", want[i].q,
                      fts_count(db, "articles_fts", want[i].q), want[i].n);
    sqlite3_close(db);
}
END_TEST

START_TEST(theme_counts)
{
    json_t *t;

    put("{\"title\": \"A\", \"published\": \"2024-01-01\", \"body\": \"a\", \"themes\": "
        "[\"energy\", \"trade\"]}",
        NULL, ERR_OK);
    put("{\"title\": \"B\", \"published\": \"2024-01-02\", \"body\": \"b\", \"themes\": "
        "[\"energy\"]}",
        NULL, ERR_OK);
    t = get(RES_THEMES, "energy");
    ck_assert_int_eq(ival(t, "article_count"), 2);
    json_decref(t);
    /* B no longer about energy */
    put("{\"title\": \"B\", \"published\": \"2024-01-02\", \"body\": \"b\", \"themes\": "
        "[]}",
        NULL, ERR_OK);
    t = get(RES_THEMES, "energy");
    ck_assert_int_eq(ival(t, "article_count"), 1);
    json_decref(t);
}
END_TEST

/* A theme's links found in articles read before another write are stale:
 * storing them is refused, and nothing changes, until they are found in
 * the data as it is. */
START_TEST(stale_theme_links_are_refused)
{
    struct err_info ei = {0};
    int64_t generation, id;
    json_t *links, *t;

    ck_assert_int_eq(store_generation(st, &generation, &ei), ERR_OK);
    put("{\"title\": \"Grid\", \"published\": \"2024-01-01\", \"body\": \"grid\", "
        "\"themes\": []}",
        &id, ERR_OK);
    links = json_pack("[{s:I, s:i, s:[s]}]", "article_id", (json_int_t)id, "score", 3,
                      "matches", "grid");
    ck_assert_int_eq(store_theme_relink(st, "energy", links, generation, &ei),
                     ERR_PRECONDITION);
    t = get(RES_THEMES, "energy");
    ck_assert_int_eq(ival(t, "article_count"), 0);
    json_decref(t);
    err_clear(&ei);
    ck_assert_int_eq(store_generation(st, &generation, &ei), ERR_OK);
    ck_assert_int_eq(store_theme_relink(st, "energy", links, generation, &ei), ERR_OK);
    t = get(RES_THEMES, "energy");
    ck_assert_int_eq(ival(t, "article_count"), 1);
    json_decref(t);
    json_decref(links);
}
END_TEST

START_TEST(keyset_walks_every_row_once)
{
    struct err_info ei = {0};
    struct filter f = {0};
    struct page pg = {.limit = 3, .sort = SORT_PUBLISHED, .desc = true};
    char json[256];
    int seen[40] = {0}, pages = 0;
    const char *prev = "9999-99-99";
    int64_t prev_id = INT64_MAX;

    for (int i = 0; i < 20; i++) {
        /* many articles share a date: the id breaks the ties */
        snprintf(
            json, sizeof(json),
            "{\"title\": \"N%d\", \"published\": \"2024-01-%02d\", \"body\": \"b%d\"}", i,
            1 + i % 4, i);
        put(json, NULL, ERR_OK);
    }
    for (;;) {
        json_t *res, *row, *next;
        size_t i;

        ck_assert_int_eq(store_list(st, RES_ARTICLES, &f, &pg, &res, &ei), ERR_OK);
        json_array_foreach (json_object_get(res, "data"), i, row) {
            const char *d = sval(row, "published");
            int64_t id = ival(row, "id");

            ck_assert(strcmp(d, prev) < 0 || (strcmp(d, prev) == 0 && id < prev_id));
            ck_assert_int_eq(seen[id]++, 0);
            prev = json_string_value(json_object_get(row, "published"));
            prev_id = id;
            ck_assert_ptr_null(json_object_get(row, "body"));
        }
        pages++;
        next = json_object_get(res, "next");
        json_decref(pg.after);
        pg.after = json_is_array(next) ? json_incref(next) : NULL;
        /* prev points into res; keep a copy of the date */
        static char keep[11];
        snprintf(keep, sizeof(keep), "%s", prev);
        prev = keep;
        json_decref(res);
        if (pg.after == NULL)
            break;
    }
    ck_assert_int_eq(pages, 7);
    for (int id = 1; id <= 20; id++)
        ck_assert_int_eq(seen[id], 1);
}
END_TEST

START_TEST(list_rejects_bad_positions)
{
    struct err_info ei = {0};
    struct filter f = {0};
    struct page pg = {.limit = 3, .sort = SORT_PUBLISHED, .desc = true};
    json_t *res = NULL;

    pg.after = json_pack("[i, i]", 5, 5); /* published is text */
    ck_assert_int_eq(store_list(st, RES_ARTICLES, &f, &pg, &res, &ei), ERR_INVALID);
    json_decref(pg.after);
    err_clear(&ei);
    pg.after = NULL;
    pg.sort = SORT_QUOTE_COUNT; /* not a sort of articles */
    ck_assert_int_eq(store_list(st, RES_ARTICLES, &f, &pg, &res, &ei), ERR_INVALID);
    ck_assert_ptr_null(res);
}
END_TEST

START_TEST(filters_and_total)
{
    struct err_info ei = {0};
    struct filter f = {0};
    struct page pg = {.limit = 10, .sort = SORT_PUBLISHED, .desc = false, .count = true};
    json_t *res;

    put("{\"title\": \"A\", \"published\": \"2024-01-01\", \"body\": \"a\", \"source\": "
        "\"Ledger\", \"themes\": [\"energy\"]}",
        NULL, ERR_OK);
    put("{\"title\": \"B\", \"published\": \"2024-02-01\", \"body\": \"b\", \"source\": "
        "\"ledger\", \"themes\": [\"trade\"]}",
        NULL, ERR_OK);
    put("{\"title\": \"C\", \"published\": \"2024-03-01\", \"body\": \"c\", \"source\": "
        "\"Review\", \"themes\": [\"energy\"]}",
        NULL, ERR_OK);
    f.source.v[0] = "LEDGER"; /* sources compare without case */
    f.source.n = 1;
    ck_assert_int_eq(store_list(st, RES_ARTICLES, &f, &pg, &res, &ei), ERR_OK);
    ck_assert_int_eq(ival(res, "total"), 2);
    json_decref(res);
    f.theme.v[0] = "energy";
    f.theme.n = 1;
    ck_assert_int_eq(store_list(st, RES_ARTICLES, &f, &pg, &res, &ei), ERR_OK);
    ck_assert_int_eq(ival(res, "total"), 1);
    ck_assert_str_eq(sval(json_array_get(json_object_get(res, "data"), 0), "title"), "A");
    json_decref(res);
    memset(&f, 0, sizeof(f));
    f.from = "2024-02-01";
    f.to = "2024-03-01";
    ck_assert_int_eq(store_list(st, RES_ARTICLES, &f, &pg, &res, &ei), ERR_OK);
    ck_assert_int_eq(ival(res, "total"), 2);
    json_decref(res);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("store");
    TCase *mig = tcase_create("migrations"), *w = tcase_create("writes"),
          *r = tcase_create("reads");

    tcase_add_checked_fixture(mig, setup, teardown);
    tcase_add_checked_fixture(w, setup, teardown);
    tcase_add_checked_fixture(r, setup, teardown);
    tcase_add_test(mig, migrations_are_recorded);
    tcase_add_test(mig, memory_database);
    tcase_add_test(mig, newer_database_is_refused);
    tcase_add_test(mig, older_database_is_upgraded);
    tcase_add_test(mig, stale_titles_are_repaired);
    tcase_add_test(mig, fts_indexes_are_rebuilt);
    tcase_add_test(mig, not_a_database);
    tcase_add_test(w, idempotent_articles);
    tcase_add_test(w, unique_slugs);
    tcase_add_test(w, officials_are_shared);
    tcase_add_test(w, official_counts_follow_deletes);
    tcase_add_test(w, official_counts_follow_merges);
    tcase_add_test(w, failed_article_leaves_nothing);
    tcase_add_test(w, theme_counts);
    tcase_add_test(w, stale_theme_links_are_refused);
    tcase_add_test(w, indexes_follow_writes);
    tcase_add_test(w, rank_is_bm25_with_lengths_kept);
    tcase_add_test(w, top_ranks_as_bm25);
    tcase_add_test(w, snippets_mark_the_best_passage);
    tcase_add_test(w, marks_stay_in_words);
    tcase_add_test(r, keyset_walks_every_row_once);
    tcase_add_test(r, list_rejects_bad_positions);
    tcase_add_test(r, filters_and_total);
    suite_add_tcase(s, mig);
    suite_add_tcase(s, w);
    suite_add_tcase(s, r);
    return run_suites(&s, 1);
}
