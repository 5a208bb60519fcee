/* quotes.c - GET /v1/quotes. */
#include "common.h"

static const char *const sorts[] = {"published", "id", "updated_at", NULL};
static const char *const fields[] = {
    "id",    "kind",         "text",    "start",      "end",        "official",
    "title", "organization", "article", "created_at", "updated_at", NULL};
static const char *const includes[] = {NULL};

static const struct list_rules rules = {
    .res = RES_QUOTES,
    .name = "quotes",
    .sorts = sorts,
    .default_sort = "-published",
    .filters = F_OFFICIAL | F_ORGANIZATION | F_THEME | F_SOURCE | F_LANGUAGE | F_FROM |
               F_TO | F_Q,
    .fields = fields,
    .includes = includes,
};

enum err
api_quotes_list(struct req *rq, struct resp *rs)
{
    return api_list(rq, rs, &rules, NULL);
}
