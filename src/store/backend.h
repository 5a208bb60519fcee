/* backend.h - what a storage backend provides.  store.c forwards every
 * public store_*() call through the ops table of the store it was given. */
#ifndef GAZETTE_STORE_BACKEND_H
#define GAZETTE_STORE_BACKEND_H

#include "gazette/store.h"

struct store_ops {
    const char *name;
    void (*close)(struct store *st);
    enum err (*migrate)(struct store *st, int target, int *applied, struct err_info *ei);
    enum err (*migration_state)(struct store *st, json_t **out, struct err_info *ei);
    enum err (*ready)(struct store *st, struct err_info *ei);
    enum err (*generation)(struct store *st, int64_t *out, struct err_info *ei);
    enum err (*catalog_version)(struct store *st, int64_t *out, struct err_info *ei);
    enum err (*data_epoch)(struct store *st, uint64_t *out, struct err_info *ei);
    enum err (*secret)(struct store *st, unsigned char out[32], struct err_info *ei);
    enum err (*get)(struct store *st, enum resource res, const char *ident,
                    unsigned include, json_t **out, struct err_info *ei);
    enum err (*list)(struct store *st, enum resource res, const struct filter *f,
                     const struct page *pg, json_t **out, struct err_info *ei);
    enum err (*query_plan)(struct store *st, enum resource res, const struct filter *f,
                           const struct page *pg, json_t **out, struct err_info *ei);
    enum err (*facets)(struct store *st, enum facet_field field, const struct filter *f,
                       int limit, json_t **out, struct err_info *ei);
    enum err (*timeline)(struct store *st, enum resource res, enum interval iv,
                         const struct filter *f, json_t **out, struct err_info *ei);
    enum err (*article_save)(struct store *st, const json_t *article, const char *ident,
                             enum put_outcome *outcome, int64_t *id, struct err_info *ei);
    enum err (*article_delete)(struct store *st, const char *ident, struct err_info *ei);
    enum err (*theme_save)(struct store *st, const char *slug, const json_t *theme,
                           json_t **out, struct err_info *ei);
    enum err (*theme_delete)(struct store *st, const char *slug, struct err_info *ei);
    enum err (*theme_relink)(struct store *st, const char *slug, const json_t *links,
                             int64_t generation, struct err_info *ei);
    enum err (*official_update)(struct store *st, const char *ident,
                                const json_t *changes, json_t **out, struct err_info *ei);
    enum err (*official_merge)(struct store *st, const char *ident,
                               const struct strlist *from, json_t **out,
                               struct err_info *ei);
    enum err (*key_create)(struct store *st, const char *name, const char *scope,
                           const char *lookup, const char *hash, json_t **out,
                           struct err_info *ei);
    enum err (*key_find)(struct store *st, const char *lookup, json_t **out,
                         struct err_info *ei);
    enum err (*key_list)(struct store *st, json_t **out, struct err_info *ei);
    enum err (*key_revoke)(struct store *st, const char *ident, int *count,
                           struct err_info *ei);
    enum err (*stats)(struct store *st, json_t **out, struct err_info *ei);
    enum err (*article_count)(struct store *st, int64_t *out, struct err_info *ei);
    enum err (*batch_begin)(struct store *st, int chunk, struct store_batch **out,
                            struct err_info *ei);
    enum err (*batch_put)(struct store_batch *b, const json_t *article,
                          const struct article_digests *digests,
                          enum put_outcome *outcome, int64_t *id, struct err_info *ei);
    enum err (*batch_end)(struct store_batch *b, struct err_info *ei);
    long (*batch_uncommitted)(const struct store_batch *b);
};

/* Every backend's store starts with this. */
struct store {
    const struct store_ops *ops;
};

/* Every backend's batch starts with this. */
struct store_batch {
    const struct store_ops *ops;
};

enum err sqlite_store_open(const char *location, enum store_mode mode, struct store **out,
                           struct err_info *ei);

#endif
