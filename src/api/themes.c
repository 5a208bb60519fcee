/* themes.c - GET /v1/themes and /v1/themes/{slug}. */
#include "common.h"

static const char *const sorts[] = {"slug", "name",       "article_count",
                                    "id",   "updated_at", NULL};
static const char *const fields[] = {"id",          "slug",       "name",
                                     "description", "keywords",   "article_count",
                                     "created_at",  "updated_at", NULL};
static const char *const includes[] = {NULL};

const struct list_rules themes_rules = {
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
    return api_list(rq, rs, &themes_rules, NULL);
}

enum err
api_themes_get(struct req *rq, struct resp *rs)
{
    return api_get(rq, rs, &themes_rules, rq->args[0]);
}
