/* store.h - everything gazette keeps, behind one narrow interface.
 *
 * Handlers and commands talk only to these functions; the SQLite backend
 * (src/store/sqlite/) is the one implementation today.  A second backend
 * provides a `struct store_ops` table and is chosen by store_open() from
 * the location it is given.  Results are jansson values in the shapes the
 * API documents; the caller owns every json_t returned through `out`.
 * All functions are safe to call from many threads at once. */
#ifndef GAZETTE_STORE_H
#define GAZETTE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "gazette/err.h"
#include "gazette/query.h"

struct store;

/* PUT_UNCHANGED: the record would store what is stored (its digest is the
 * stored one, or writing it changes none of the article's rows as the API
 * shows them); nothing was written, updated_at and quote ids stay. */
enum put_outcome { PUT_INSERTED, PUT_UPDATED, PUT_UNCHANGED };

enum store_mode {
    STORE_READ_WRITE, /* may migrate and write */
    STORE_READ_ONLY,  /* refuses writes and migrations */
};

/* Opens the store at location (a SQLite file name, or ":memory:").
 * Does not migrate: call store_migrate() or check store_migration_state(). */
enum err store_open(const char *location, enum store_mode mode, struct store **out,
                    struct err_info *ei);
/* Closes every connection.  No call may be running. */
void store_close(struct store *st);

/* Applies pending migrations up to version target (0: all), each in one
 * transaction.  Refuses a database that is newer than this binary, and one
 * without a schema_version table that has tables of another program's.
 * *applied (if not NULL) gets the number of migrations applied now. */
enum err store_migrate(struct store *st, int target, int *applied, struct err_info *ei);

/* {"current": N, "latest": M, "pending": [...], "applied": [{version, name,
 *  applied_at}], "other_program": true when the database has no
 *  schema_version but tables of its own} */
enum err store_migration_state(struct store *st, json_t **out, struct err_info *ei);

/* ERR_OK when the database answers and its schema is current;
 * ERR_UNAVAILABLE with a reason otherwise. */
enum err store_ready(struct store *st, struct err_info *ei);

/* A number, kept in the database, that changes whenever gazette commits a
 * change to the data.  A commit by another program (a hand edit of the
 * theme catalog) leaves it: validators and caches follow
 * store_data_epoch() instead. */
enum err store_generation(struct store *st, int64_t *out, struct err_info *ei);

/* A number that changes whenever the theme catalog does (a theme added,
 * removed, renamed or given other keywords), and differs between
 * databases: equal versions mean the same catalog. */
enum err store_catalog_version(struct store *st, int64_t *out, struct err_info *ei);

/* A counter that moves whenever a change to the database has been
 * committed, by this process or another, and stays put in between
 * (whichever thread asks); it starts at a random value when the store
 * opens, so that two runs do not share values.  Cheap enough to ask on
 * every request, for caches of answers and validators of streams. */
enum err store_data_epoch(struct store *st, uint64_t *out, struct err_info *ei);

/* The secret (32 bytes) that signs cursors for this database. */
enum err store_secret(struct store *st, unsigned char out[32], struct err_info *ei);

/* One object by id or slug (ident is a string of digits for ids), with
 * the related objects of include (enum include) embedded besides those
 * every object of the resource has.  ERR_NOT_FOUND if there is none. */
enum err store_get(struct store *st, enum resource res, const char *ident,
                   unsigned include, json_t **out, struct err_info *ei);

/* A page of a list: {"data": [...], "next": [sort value, id] | null,
 * "total": N (only with page->count)}.  ERR_INVALID for a sort key the
 * resource does not support or a malformed keyset position. */
enum err store_list(struct store *st, enum resource res, const struct filter *f,
                    const struct page *pg, json_t **out, struct err_info *ei);

/* The query plan of the list query store_list() would run, as an array of
 * strings (for SQLite, EXPLAIN QUERY PLAN's details), to check that
 * filtered and sorted lists use indexes; with pg->count, then the steps
 * of counting them, each after "count: ". */
enum err store_query_plan(struct store *st, enum resource res, const struct filter *f,
                          const struct page *pg, json_t **out, struct err_info *ei);

/* How many articles matching f have each value of field, most first:
 * {"data": [{"value", "name", "count"}], "values", "other"}, at most limit
 * rows; values is the number of values in all, other the sum of the
 * counts of the values left out. */
enum err store_facets(struct store *st, enum facet_field field, const struct filter *f,
                      int limit, json_t **out, struct err_info *ei);

/* How many articles (res RES_ARTICLES) or quotes (RES_QUOTES) matching f
 * were published in each period: [["YYYY-MM-DD" of the period's first day,
 * count], ...] in order, empty periods left out. */
enum err store_timeline(struct store *st, enum resource res, enum interval iv,
                        const struct filter *f, json_t **out, struct err_info *ei);

/* Stores one validated article.  With ident NULL it is new: ERR_CONFLICT
 * if an article with its url (or its title, date and body) exists.  With
 * ident (an id or slug) it replaces that article: ERR_NOT_FOUND if there
 * is none, ERR_CONFLICT if another has the url.  Either way a "slug" the
 * article gives is kept as given, ERR_CONFLICT if another article has it
 * (store_batch_put instead makes a free one from it).  One transaction. */
enum err store_article_save(struct store *st, const json_t *article, const char *ident,
                            enum put_outcome *outcome, int64_t *id, struct err_info *ei);
/* Deletes an article with its quotes and theme links; its officials stay. */
enum err store_article_delete(struct store *st, const char *ident, struct err_info *ei);

/* Creates a theme (slug NULL: from theme's "slug"; ERR_CONFLICT if it
 * exists) or changes one (ERR_NOT_FOUND if none) from theme's "name",
 * "description" and "keywords".  Returns the theme. */
enum err store_theme_save(struct store *st, const char *slug, const json_t *theme,
                          json_t **out, struct err_info *ei);
/* Deletes a theme and its links to articles. */
enum err store_theme_delete(struct store *st, const char *slug, struct err_info *ei);
/* Replaces a theme's links: links is [{"article_id", "score", "matches"}]
 * for every article the theme now tags, found in the data of generation
 * (store_generation()).  ERR_PRECONDITION, and nothing changed, when the
 * data has changed since: the links may be stale. */
enum err store_theme_relink(struct store *st, const char *slug, const json_t *links,
                            int64_t generation, struct err_info *ei);

/* Corrects an official: changes of "name", "title" and "organization"
 * ({"name", "parent"} or null) from changes; ERR_CONFLICT when the new name
 * is another official's.  Returns the official. */
enum err store_official_update(struct store *st, const char *ident, const json_t *changes,
                               json_t **out, struct err_info *ei);
/* Merges the officials named in from into the one named by ident: their
 * quotes move to it, their names become its aliases, and they go. */
enum err store_official_merge(struct store *st, const char *ident,
                              const struct strlist *from, json_t **out,
                              struct err_info *ei);

/* API keys.  create stores a key's lookup and hash and returns its record
 * ({"id", "name", "scope", "prefix", "created_at", "revoked_at"}); find
 * returns the record with "hash" (ERR_NOT_FOUND if none); list returns
 * every record; revoke marks the keys named by ident (an id, or a name for
 * all keys of that name) and returns how many it revoked. */
enum err store_key_create(struct store *st, const char *name, const char *scope,
                          const char *lookup, const char *hash, json_t **out,
                          struct err_info *ei);
enum err store_key_find(struct store *st, const char *lookup, json_t **out,
                        struct err_info *ei);
enum err store_key_list(struct store *st, json_t **out, struct err_info *ei);
enum err store_key_revoke(struct store *st, const char *ident, int *count,
                          struct err_info *ei);

/* {"size_bytes": N, "rows": {"articles": N, "themes": N, ...}} for
 * monitoring. */
enum err store_stats(struct store *st, json_t **out, struct err_info *ei);

/* Number of articles stored. */
enum err store_article_count(struct store *st, int64_t *out, struct err_info *ei);

/* The digests by which a stored article is found again and known
 * unchanged, as SHA-256 in hex: of its title, date and body, and of the
 * whole record (the body through the first).  They depend on the record
 * alone, so a bulk import works them out on the thread that prepares
 * records and hands them to store_batch_put. */
#define DIGEST_HEX_LEN 64

struct article_digests {
    char content[DIGEST_HEX_LEN + 1];
    char record[DIGEST_HEX_LEN + 1];
};

void store_article_digests(const json_t *article, struct article_digests *out);
/* The record digest of an article whose null source or url keeps the
 * stored one (keep_source, keep_url; NULL when there is none). */
void store_record_digest(const json_t *article, const char *content,
                         const char *keep_source, const char *keep_url,
                         char out[DIGEST_HEX_LEN + 1]);

/* Bulk writes.  A batch is a transaction that commits every `chunk`
 * articles; each article with its links is all-or-nothing inside it. */
struct store_batch;

enum err store_batch_begin(struct store *st, int chunk, struct store_batch **out,
                           struct err_info *ei);
/* Stores one validated article (see ingest.h for the shape) with its
 * digests from store_article_digests() (NULL: worked out here).  On error
 * the article is rolled back and the batch goes on. */
enum err store_batch_put(struct store_batch *b, const json_t *article,
                         const struct article_digests *digests, enum put_outcome *outcome,
                         int64_t *id, struct err_info *ei);
/* Articles stored since the batch last committed: what a failure to
 * commit would take back. */
long store_batch_uncommitted(const struct store_batch *b);
/* Commits what is left and frees b (also when commit fails).  An error
 * means that the uncommitted articles are not stored. */
enum err store_batch_end(struct store_batch *b, struct err_info *ei);

#endif
