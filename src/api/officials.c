/* officials.c - GET /v1/officials, /v1/officials/{id} and
 * /v1/officials/{id}/quotes. */
#include <stdio.h>

#include "common.h"

static const char *const sorts[] = {
    "name", "quote_count", "article_count", "last_seen", "id", "updated_at", NULL};
static const char *const fields[] = {
    "id",           "slug",        "name",          "title",
    "organization", "quote_count", "article_count", "first_seen",
    "last_seen",    "created_at",  "updated_at",    NULL};
static const char *const includes[] = {NULL};

const struct list_rules officials_rules = {
    .res = RES_OFFICIALS,
    .name = "officials",
    .sorts = sorts,
    .default_sort = "name",
    .filters = F_ORGANIZATION | F_THEME | F_FROM | F_TO,
    .fields = fields,
    .includes = includes,
};

/* the quotes of one official: the quote list without the official filter */
static const struct list_rules quote_rules = {
    .res = RES_QUOTES,
    .name = "official-quotes",
    .sorts = quote_sorts,
    .default_sort = "-published",
    .filters = F_ORGANIZATION | F_THEME | F_SOURCE | F_LANGUAGE | F_FROM | F_TO,
    .fields = quote_fields,
    .includes = includes,
};

enum err
api_officials_list(struct req *rq, struct resp *rs)
{
    return api_list(rq, rs, &officials_rules, NULL);
}

enum err
api_officials_get(struct req *rq, struct resp *rs)
{
    return api_get(rq, rs, &officials_rules, rq->args[0]);
}

enum err
api_official_quotes(struct req *rq, struct resp *rs)
{
    struct filter fixed = {0};
    json_t *official;
    char id[24];

    if (store_get(rq->store, RES_OFFICIALS, rq->args[0], 0, &official, &rq->ei) != ERR_OK)
        return rq->ei.code;
    snprintf(id, sizeof(id), "%lld",
             (long long)json_integer_value(json_object_get(official, "id")));
    json_decref(official);
    fixed.official.v[0] = id;
    fixed.official.n = 1;
    return api_list(rq, rs, &quote_rules, &fixed);
}
