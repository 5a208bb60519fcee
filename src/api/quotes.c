/* quotes.c - GET /v1/quotes. */
#include "common.h"

const char *const quote_sorts[] = {"published", "id", "updated_at", NULL};
const char *const quote_fields[] = {"id",      "kind",       "text",       "start",
                                    "end",     "official",   "title",      "organization",
                                    "article", "created_at", "updated_at", NULL};
static const char *const includes[] = {NULL};

const struct list_rules quotes_rules = {
    .res = RES_QUOTES,
    .name = "quotes",
    .sorts = quote_sorts,
    .default_sort = "-published",
    .filters = F_OFFICIAL | F_ORGANIZATION | F_THEME | F_SOURCE | F_LANGUAGE | F_FROM |
               F_TO | F_Q,
    .fields = quote_fields,
    .includes = includes,
};

enum err
api_quotes_list(struct req *rq, struct resp *rs)
{
    return api_list(rq, rs, &quotes_rules, NULL);
}
