/* organizations.c - GET /v1/organizations and /v1/organizations/{id}. */
#include "common.h"

static const char *const sorts[] = {"name", "official_count", "id", "updated_at", NULL};
static const char *const fields[] = {
    "id",        "slug",        "name",       "parent",     "official_count",
    "officials", "departments", "created_at", "updated_at", NULL};
static const char *const includes[] = {NULL};
static const char *const single_only[] = {"officials", "departments", NULL};

const struct list_rules organizations_rules = {
    .res = RES_ORGANIZATIONS,
    .name = "organizations",
    .sorts = sorts,
    .default_sort = "name",
    .fields = fields,
    .includes = includes,
    .single_only = single_only,
};

enum err
api_organizations_list(struct req *rq, struct resp *rs)
{
    return api_list(rq, rs, &organizations_rules, NULL);
}

enum err
api_organizations_get(struct req *rq, struct resp *rs)
{
    return api_get(rq, rs, &organizations_rules, rq->args[0]);
}
