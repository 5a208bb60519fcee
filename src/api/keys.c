/* keys.c - API key management over HTTP (scope admin): GET, POST
 * /v1/keys, GET and DELETE /v1/keys/{id}. */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "gazette/auth.h"

enum err
api_keys_list(struct req *rq, struct resp *rs)
{
    json_t *keys;

    api_check_names(rq, (const char *const[]){NULL}, 0);
    if (rq->ei.code != ERR_OK || store_key_list(rq->store, &keys, &rq->ei) != ERR_OK)
        return rq->ei.code;
    /* the list envelope; keys are few, all on one page */
    rs->body = json_pack("{s:o, s:n}", "data", keys, "next_cursor");
    rs->cache = "no-store";
    return ERR_OK;
}

/* GET /v1/keys/{id}: the key's row of the list (revoked ones too). */
enum err
api_keys_get(struct req *rq, struct resp *rs)
{
    json_t *keys, *k;
    long long id;
    size_t i;

    api_check_names(rq, (const char *const[]){NULL}, 0);
    if (!all_digits(rq->args[0]))
        return err_set(&rq->ei, ERR_NOT_FOUND, "keys are named by their integer id");
    if (rq->ei.code != ERR_OK || store_key_list(rq->store, &keys, &rq->ei) != ERR_OK)
        return rq->ei.code;
    id = strtoll(rq->args[0], NULL, 10); /* too long: LLONG_MAX, no key's */
    json_array_foreach (keys, i, k) {
        if (json_integer_value(json_object_get(k, "id")) == id)
            rs->body = json_incref(k);
    }
    json_decref(keys);
    if (rs->body == NULL)
        return err_set(&rq->ei, ERR_NOT_FOUND, "no key with id %.20s", rq->args[0]);
    rs->cache = "no-store";
    return ERR_OK;
}

enum err
api_keys_create(struct req *rq, struct resp *rs)
{
    json_t *in = api_body_object(rq), *info = NULL;
    const char *name, *scope;
    char *key = NULL;

    api_check_names(rq, (const char *const[]){NULL}, 0);
    if (in == NULL)
        return rq->ei.code;
    name = json_string_value(json_object_get(in, "name"));
    scope = json_string_value(json_object_get(in, "scope"));
    if (!auth_key_name_ok(name))
        err_field(&rq->ei, "name",
                  "name must be a string of 1 to 100 bytes without control characters");
    if (scope == NULL || (strcmp(scope, "write") != 0 && strcmp(scope, "admin") != 0))
        err_field(&rq->ei, "scope", "scope must be write or admin");
    if (json_object_size(in) > (size_t)(json_object_get(in, "name") != NULL) +
                                   (json_object_get(in, "scope") != NULL))
        err_field(&rq->ei, "body", "a key has only a name and a scope");
    if (rq->ei.code == ERR_OK &&
        auth_key_create(rq->store, name, scope, &key, &info, &rq->ei) == ERR_OK) {
        /* the only time the key is shown */
        json_object_set_new(info, "key", json_string(key));
        rs->body = info;
        rs->status = 201;
        resp_header(rs, "Location", "/v1/keys/%lld",
                    (long long)json_integer_value(json_object_get(info, "id")));
    }
    free(key);
    json_decref(in);
    return rq->ei.code;
}

enum err
api_keys_revoke(struct req *rq, struct resp *rs)
{
    int n = 0;

    api_check_names(rq, (const char *const[]){NULL}, 0);
    if (!all_digits(rq->args[0]))
        return err_set(&rq->ei, ERR_NOT_FOUND, "keys are named by their integer id");
    if (rq->ei.code != ERR_OK ||
        store_key_revoke(rq->store, rq->args[0], &n, &rq->ei) != ERR_OK)
        return rq->ei.code;
    if (n == 0)
        return err_set(&rq->ei, ERR_NOT_FOUND, "no active key with id %s", rq->args[0]);
    rs->status = 204;
    return ERR_OK;
}
