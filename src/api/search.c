/* search.c - GET /v1/search: articles ranked by a full-text query. */
#include "common.h"

static const char *const sorts[] = {"relevance", "published", "id", NULL};
static const char *const fields[] = {
    "id",       "slug",    "title",      "published",  "source", "url",
    "language", "summary", "body",       "themes",     "quotes", "officials",
    "score",    "snippet", "created_at", "updated_at", NULL};
static const char *const includes[] = {"body", "themes", "quotes", "officials", NULL};
static const char *const extra[] = {"highlight_start", "highlight_end", NULL};

static const struct list_rules rules = {
    .res = RES_SEARCH,
    .name = "search",
    .sorts = sorts,
    .default_sort = "relevance",
    .filters = F_ARTICLE,
    .fields = fields,
    .includes = includes,
    .list_include = INC_THEMES,
    .extra_params = extra,
    .q_required = true,
};

enum err
api_search(struct req *rq, struct resp *rs)
{
    return api_list(rq, rs, &rules, NULL);
}
