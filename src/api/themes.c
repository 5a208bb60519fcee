/* themes.c - GET /v1/themes and /v1/themes/{slug}. */
#include <string.h>

#include "common.h"
#include "gazette/extract.h"
#include "gazette/ingest.h"

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

/* Checks a theme record; with create, slug and name are required. */
static enum err
check_theme(struct req *rq, const json_t *in, bool create)
{
    static const char *const writable[] = {"slug", "name", "description", "keywords"};
    const char *key;
    json_t *v;
    size_t i;

    json_object_foreach ((json_t *)in, key, v) {
        bool known = false;

        for (i = 0; i < sizeof(writable) / sizeof(writable[0]); i++)
            known = known || strcmp(key, writable[i]) == 0;
        if (!known)
            err_field(&rq->ei, key,
                      "unknown field \"%.40s\"; a theme has slug, name, description and "
                      "keywords",
                      key);
    }
    v = json_object_get(in, "slug");
    if (create && (!json_is_string(v) || !slug_valid(json_string_value(v))))
        err_field(&rq->ei, "slug", "slug must be lower-case letters, digits and hyphens");
    if (!create && v != NULL &&
        (!json_is_string(v) || strcmp(json_string_value(v), rq->args[0]) != 0))
        err_field(&rq->ei, "slug", "a theme's slug cannot change; create a new theme");
    v = json_object_get(in, "name");
    if ((create || v != NULL) &&
        (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 200))
        err_field(&rq->ei, "name", "name must be a string of 1 to 200 bytes");
    v = json_object_get(in, "description");
    if (v != NULL && (!json_is_string(v) || json_string_length(v) > 2000))
        err_field(&rq->ei, "description",
                  "description must be a string of at most 2000 bytes");
    v = json_object_get(in, "keywords");
    if (v != NULL) {
        json_t *k;

        if (!json_is_array(v) || json_array_size(v) > 200)
            err_field(&rq->ei, "keywords",
                      "keywords must be an array of at most 200 phrases");
        json_array_foreach (v, i, k) {
            if (!json_is_string(k) || json_string_length(k) == 0 ||
                json_string_length(k) > 200) {
                err_field(&rq->ei, "keywords",
                          "each keyword must be a phrase of 1 to 200 bytes");
                break;
            }
        }
    }
    return rq->ei.code;
}

static enum err
write_theme(struct req *rq, struct resp *rs, bool create)
{
    json_t *in = api_body_object(rq), *out = NULL;

    api_check_names(rq, (const char *const[]){NULL}, 0);
    /* null resets a field that has a default (RFC 7396 removes it) */
    if (json_is_null(json_object_get(in, "description")))
        json_object_set_new(in, "description", json_string(""));
    if (json_is_null(json_object_get(in, "keywords")))
        json_object_set_new(in, "keywords", json_array());
    if (in != NULL && check_theme(rq, in, create) == ERR_OK &&
        store_theme_save(rq->store, create ? NULL : rq->args[0], in, &out, &rq->ei) ==
            ERR_OK) {
        rs->body = out;
        if (create) {
            rs->status = 201;
            resp_header(rs, "Location", "/v1/themes/%s",
                        json_string_value(json_object_get(out, "slug")));
        }
    }
    json_decref(in);
    return rq->ei.code;
}

enum err
api_themes_create(struct req *rq, struct resp *rs)
{
    return write_theme(rq, rs, true);
}

enum err
api_themes_patch(struct req *rq, struct resp *rs)
{
    return write_theme(rq, rs, false);
}

enum err
api_themes_delete(struct req *rq, struct resp *rs)
{
    api_check_names(rq, (const char *const[]){NULL}, 0);
    if (rq->ei.code != ERR_OK ||
        store_theme_delete(rq->store, rq->args[0], &rq->ei) != ERR_OK)
        return rq->ei.code;
    rs->status = 204;
    return ERR_OK;
}

/* The links of the theme to the articles its keywords find now: [{"article_id",
 * "score", "matches"}], or NULL on error. */
static json_t *
theme_links(struct req *rq, const json_t *theme)
{
    struct extract_catalog *cat;
    struct exporter *x;
    json_t *one, *links, *a;

    one = json_pack("[{s:O, s:O, s:O}]", "slug", json_object_get(theme, "slug"), "name",
                    json_object_get(theme, "name"), "keywords",
                    json_object_get(theme, "keywords"));
    cat = extract_catalog_new(one, &rq->ei);
    json_decref(one);
    if (cat == NULL)
        return NULL;
    links = json_array();
    x = exporter_new(rq->store, RES_ARTICLES, INC_BODY);
    while ((a = exporter_next(x, &rq->ei)) != NULL) {
        const json_t *body = json_object_get(a, "body");
        json_t *found =
            extract_themes(cat, json_string_value(json_object_get(a, "title")),
                           json_string_value(body), json_string_length(body), &rq->ei);
        json_t *t = json_array_get(found, 0);

        if (t != NULL)
            json_array_append_new(links, json_pack("{s:O, s:O, s:O}", "article_id",
                                                   json_object_get(a, "id"), "score",
                                                   json_object_get(t, "score"), "matches",
                                                   json_object_get(t, "matches")));
        json_decref(found);
        json_decref(a);
        if (rq->ei.code != ERR_OK)
            break;
    }
    exporter_free(x);
    extract_catalog_free(cat);
    if (rq->ei.code != ERR_OK) {
        json_decref(links);
        return NULL;
    }
    return links;
}

#define RETAG_ATTEMPTS 4

/* POST /v1/themes/{slug}/retag: every article read again for this one
 * theme's keywords; the theme's links are replaced in one transaction.
 * The articles are read outside it, so that writers are not held up for
 * as long as that takes; when one wrote meanwhile, they are read again. */
enum err
api_themes_retag(struct req *rq, struct resp *rs)
{
    json_t *theme = NULL, *links = NULL;
    int64_t generation;

    api_check_names(rq, (const char *const[]){NULL}, 0);
    for (int i = 0; i < RETAG_ATTEMPTS && rq->ei.code == ERR_OK; i++) {
        json_decref(theme);
        json_decref(links);
        theme = links = NULL;
        if (store_generation(rq->store, &generation, &rq->ei) != ERR_OK ||
            store_get(rq->store, RES_THEMES, rq->args[0], 0, &theme, &rq->ei) != ERR_OK ||
            (links = theme_links(rq, theme)) == NULL)
            break;
        if (store_theme_relink(rq->store, rq->args[0], links, generation, &rq->ei) ==
            ERR_OK) {
            rs->body = json_pack("{s:O, s:I}", "theme", json_object_get(theme, "slug"),
                                 "tagged", (json_int_t)json_array_size(links));
            break;
        }
        if (rq->ei.code == ERR_PRECONDITION && i + 1 < RETAG_ATTEMPTS)
            err_clear(&rq->ei);
    }
    if (rq->ei.code == ERR_PRECONDITION) {
        err_clear(&rq->ei);
        err_set(&rq->ei, ERR_UNAVAILABLE,
                "the articles kept changing while they were tagged; try again");
    }
    json_decref(links);
    json_decref(theme);
    return rq->ei.code;
}
