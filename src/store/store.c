/* store.c - picks a backend for a location and forwards calls to it. */
#include <string.h>

#include "backend.h"

enum err
store_open(const char *location, enum store_mode mode, struct store **out,
           struct err_info *ei)
{
    *out = NULL;
    if (strncmp(location, "postgres://", 11) == 0 ||
        strncmp(location, "postgresql://", 13) == 0)
        return err_set(ei, ERR_INVALID, "this build has no PostgreSQL backend");
    return sqlite_store_open(location, mode, out, ei);
}

void
store_close(struct store *st)
{
    if (st != NULL)
        st->ops->close(st);
}

enum err
store_migrate(struct store *st, int target, int *applied, struct err_info *ei)
{
    return st->ops->migrate(st, target, applied, ei);
}

enum err
store_migration_state(struct store *st, json_t **out, struct err_info *ei)
{
    return st->ops->migration_state(st, out, ei);
}

enum err
store_ready(struct store *st, struct err_info *ei)
{
    return st->ops->ready(st, ei);
}

enum err
store_catalog_version(struct store *st, int64_t *out, struct err_info *ei)
{
    return st->ops->catalog_version(st, out, ei);
}

enum err
store_generation(struct store *st, int64_t *out, struct err_info *ei)
{
    return st->ops->generation(st, out, ei);
}

enum err
store_data_epoch(struct store *st, uint64_t *out, struct err_info *ei)
{
    return st->ops->data_epoch(st, out, ei);
}

enum err
store_secret(struct store *st, unsigned char out[32], struct err_info *ei)
{
    return st->ops->secret(st, out, ei);
}

enum err
store_get(struct store *st, enum resource res, const char *ident, unsigned include,
          json_t **out, struct err_info *ei)
{
    return st->ops->get(st, res, ident, include, out, ei);
}

enum err
store_list(struct store *st, enum resource res, const struct filter *f,
           const struct page *pg, json_t **out, struct err_info *ei)
{
    return st->ops->list(st, res, f, pg, out, ei);
}

enum err
store_query_plan(struct store *st, enum resource res, const struct filter *f,
                 const struct page *pg, json_t **out, struct err_info *ei)
{
    return st->ops->query_plan(st, res, f, pg, out, ei);
}

enum err
store_facets(struct store *st, enum facet_field field, const struct filter *f, int limit,
             json_t **out, struct err_info *ei)
{
    return st->ops->facets(st, field, f, limit, out, ei);
}

enum err
store_timeline(struct store *st, enum resource res, enum interval iv,
               const struct filter *f, json_t **out, struct err_info *ei)
{
    return st->ops->timeline(st, res, iv, f, out, ei);
}

enum err
store_article_save(struct store *st, const json_t *article, const char *ident,
                   enum put_outcome *outcome, int64_t *id, struct err_info *ei)
{
    return st->ops->article_save(st, article, ident, outcome, id, ei);
}

enum err
store_article_delete(struct store *st, const char *ident, struct err_info *ei)
{
    return st->ops->article_delete(st, ident, ei);
}

enum err
store_theme_save(struct store *st, const char *slug, const json_t *theme, json_t **out,
                 struct err_info *ei)
{
    return st->ops->theme_save(st, slug, theme, out, ei);
}

enum err
store_theme_delete(struct store *st, const char *slug, struct err_info *ei)
{
    return st->ops->theme_delete(st, slug, ei);
}

enum err
store_theme_relink(struct store *st, const char *slug, const json_t *links,
                   int64_t generation, struct err_info *ei)
{
    return st->ops->theme_relink(st, slug, links, generation, ei);
}

enum err
store_official_update(struct store *st, const char *ident, const json_t *changes,
                      json_t **out, struct err_info *ei)
{
    return st->ops->official_update(st, ident, changes, out, ei);
}

enum err
store_official_merge(struct store *st, const char *ident, const struct strlist *from,
                     json_t **out, struct err_info *ei)
{
    return st->ops->official_merge(st, ident, from, out, ei);
}

enum err
store_key_create(struct store *st, const char *name, const char *scope,
                 const char *lookup, const char *hash, json_t **out, struct err_info *ei)
{
    return st->ops->key_create(st, name, scope, lookup, hash, out, ei);
}

enum err
store_key_find(struct store *st, const char *lookup, json_t **out, struct err_info *ei)
{
    return st->ops->key_find(st, lookup, out, ei);
}

enum err
store_key_list(struct store *st, json_t **out, struct err_info *ei)
{
    return st->ops->key_list(st, out, ei);
}

enum err
store_key_revoke(struct store *st, const char *ident, int *count, struct err_info *ei)
{
    return st->ops->key_revoke(st, ident, count, ei);
}

enum err
store_stats(struct store *st, json_t **out, struct err_info *ei)
{
    return st->ops->stats(st, out, ei);
}

enum err
store_article_count(struct store *st, int64_t *out, struct err_info *ei)
{
    return st->ops->article_count(st, out, ei);
}

enum err
store_batch_begin(struct store *st, int chunk, struct store_batch **out,
                  struct err_info *ei)
{
    return st->ops->batch_begin(st, chunk, out, ei);
}

enum err
store_batch_put(struct store_batch *b, const json_t *article,
                const struct article_digests *digests, enum put_outcome *outcome,
                int64_t *id, struct err_info *ei)
{
    return b->ops->batch_put(b, article, digests, outcome, id, ei);
}

long
store_batch_uncommitted(const struct store_batch *b)
{
    return b->ops->batch_uncommitted(b);
}

enum err
store_batch_end(struct store_batch *b, struct err_info *ei)
{
    return b->ops->batch_end(b, ei);
}
