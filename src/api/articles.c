/* articles.c - GET /v1/articles and /v1/articles/{id}. */
#include "common.h"

static const char *const sorts[] = {"published", "title", "id", "updated_at", NULL};
static const char *const fields[] = {"id",         "slug",       "title",    "published",
                                     "source",     "url",        "language", "summary",
                                     "body",       "themes",     "quotes",   "officials",
                                     "created_at", "updated_at", NULL};
static const char *const includes[] = {"body", "themes", "quotes", "officials", NULL};

const struct list_rules articles_rules = {
    .res = RES_ARTICLES,
    .name = "articles",
    .sorts = sorts,
    .default_sort = "-published",
    .filters = F_ARTICLE,
    .fields = fields,
    .includes = includes,
    .list_include = INC_THEMES,
};

enum err
api_articles_list(struct req *rq, struct resp *rs)
{
    return api_list(rq, rs, &articles_rules, NULL);
}

enum err
api_articles_get(struct req *rq, struct resp *rs)
{
    return api_get(rq, rs, &articles_rules, rq->args[0]);
}
