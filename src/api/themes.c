/* themes.c - GET /v1/themes and /v1/themes/{slug}. */
#include "common.h"

static const char *const sorts[] = {"slug", "name",       "article_count",
                                    "id",   "updated_at", NULL};
static const char *const fields[] = {"id",          "slug",       "name",
                                     "description", "keywords",   "article_count",
                                     "created_at",  "updated_at", NULL};
static const char *const includes[] = {NULL};

static const struct list_rules rules = {
    .res = RES_THEMES,
    .name = "themes",
    .sorts = sorts,
    .default_sort = "slug",
    .fields = fields,
    .includes = includes,
};

enum err
api_themes_list(struct req *rq, struct resp *rs)
{
    return api_list(rq, rs, &rules, NULL);
}

enum err
api_themes_get(struct req *rq, struct resp *rs)
{
    return api_get(rq, rs, &rules, rq->args[0]);
}
