/* officials.c - GET /v1/officials, /v1/officials/{id} and
 * /v1/officials/{id}/quotes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "gazette/ingest.h"

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
    .filters = F_ORGANIZATION | F_THEME | F_SOURCE | F_LANGUAGE | F_FROM | F_TO | F_Q,
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

enum err
api_officials_patch(struct req *rq, struct resp *rs)
{
    json_t *in = api_body_object(rq), *out = NULL, *org = NULL;
    const char *key;
    json_t *v;

    api_check_names(rq, (const char *const[]){NULL}, 0);
    if (in == NULL)
        return rq->ei.code;
    json_object_foreach (in, key, v) {
        if (strcmp(key, "name") == 0) {
            if (!json_is_string(v) || json_string_length(v) == 0 ||
                json_string_length(v) > 200)
                err_field(&rq->ei, "name", "name must be a string of 1 to 200 bytes");
        } else if (strcmp(key, "title") == 0) {
            if (!json_is_null(v) && (!json_is_string(v) || json_string_length(v) > 200))
                err_field(&rq->ei, "title",
                          "title must be a string of at most 200 bytes, or null");
        } else if (strcmp(key, "organization") == 0) {
            size_t complaints = rq->ei.nfields;

            /* the forms a quote's organization takes in an article */
            org = organization_normalize(v, "organization", &rq->ei);
            if (!json_is_null(v) && json_is_null(org) && rq->ei.nfields == complaints)
                err_field(&rq->ei, "organization",
                          "organization has an empty name; null removes it");
        } else {
            err_field(
                &rq->ei, key,
                "unknown field \"%.40s\"; an official's name, title and organization "
                "can be corrected",
                key);
        }
    }
    if (org != NULL)
        json_object_set_new(in, "organization", org);
    if (rq->ei.code == ERR_OK &&
        store_official_update(rq->store, rq->args[0], in, &out, &rq->ei) == ERR_OK)
        rs->body = out;
    json_decref(in);
    return rq->ei.code;
}

enum err
api_officials_merge(struct req *rq, struct resp *rs)
{
    json_t *in = api_body_object(rq), *out = NULL, *from, *v;
    struct strlist list = {0};
    size_t i;

    api_check_names(rq, (const char *const[]){NULL}, 0);
    if (in == NULL)
        return rq->ei.code;
    from = json_object_get(in, "from");
    if (json_object_size(in) != 1 || !json_is_array(from) || json_array_size(from) == 0 ||
        json_array_size(from) > FILTER_MAX_VALUES)
        err_field(
            &rq->ei, "from",
            "the body must be {\"from\": [ids or slugs]}: the officials to merge into "
            "this one, at most 32");
    json_array_foreach (from, i, v) {
        if (list.n < FILTER_MAX_VALUES && (json_is_string(v) || json_is_integer(v))) {
            char *s = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY);

            /* integers are spelled as their digits; kept in the body's strings */
            if (s != NULL) {
                json_array_set_new(from, i, json_string(s));
                free(s);
            }
            list.v[list.n++] = json_string_value(json_array_get(from, i));
        } else {
            err_field(&rq->ei, "from", "from holds official ids or slugs");
            break;
        }
    }
    if (rq->ei.code == ERR_OK &&
        store_official_merge(rq->store, rq->args[0], &list, &out, &rq->ei) == ERR_OK)
        rs->body = out;
    json_decref(in);
    return rq->ei.code;
}
