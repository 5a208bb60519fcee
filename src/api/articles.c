/* articles.c - GET /v1/articles and /v1/articles/{id}. */
#include <stdio.h>

#include "common.h"
#include "gazette/ingest.h"
#include "gazette/util.h"

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

/* Validates in, completes it by extraction unless extract=false, stores it
 * (ident NULL: a new article) and answers with the stored article. */
static enum err
save(struct req *rq, struct resp *rs, const char *ident, const json_t *in)
{
    static const char *const params[] = {"extract", NULL};
    enum put_outcome outcome;
    json_t *article = NULL, *stored = NULL;
    bool extract;
    int64_t id;
    char key[24];

    api_check_names(rq, params, 0);
    extract = api_flag(rq, "extract", true);
    if (rq->ei.code != ERR_OK || (article = article_normalize(in, &rq->ei)) == NULL)
        return rq->ei.code;
    if (extract && api_enrich(rq->store, article, &rq->ei) != ERR_OK)
        goto out;
    if (store_article_save(rq->store, article, ident, &outcome, &id, &rq->ei) != ERR_OK)
        goto out;
    snprintf(key, sizeof(key), "%lld", (long long)id);
    if (store_get(rq->store, RES_ARTICLES, key, 0, &stored, &rq->ei) != ERR_OK)
        goto out;
    rs->body = stored;
    if (ident == NULL) {
        rs->status = 201;
        resp_header(rs, "Location", "/v1/articles/%s", key);
    }
out:
    json_decref(article);
    return rq->ei.code;
}

enum err
api_articles_create(struct req *rq, struct resp *rs)
{
    json_t *in = api_body_object(rq);
    enum err rc;

    if (in == NULL)
        return rq->ei.code;
    rc = save(rq, rs, NULL, in);
    json_decref(in);
    return rc;
}

enum err
api_articles_replace(struct req *rq, struct resp *rs)
{
    json_t *in = api_body_object(rq);
    enum err rc;

    if (in == NULL)
        return rq->ei.code;
    rc = save(rq, rs, rq->args[0], in);
    json_decref(in);
    return rc;
}

/* True when patch gives key a value other than doc's. */
static bool
changes(const json_t *patch, const json_t *doc, const char *key)
{
    const json_t *v = json_object_get(patch, key);

    return v != NULL && !json_equal(v, json_object_get(doc, key));
}

/* PATCH: an RFC 7396 merge patch over the article as GET shows it.  When
 * the text changes and the patch does not say what the quotes, themes or
 * summary are, they are found again from the new text. */
enum err
api_articles_patch(struct req *rq, struct resp *rs)
{
    static const char *const derived[] = {"quotes", "themes", "summary"};
    json_t *patch = api_body_object(rq), *doc = NULL;
    enum err rc;

    if (patch == NULL)
        return rq->ei.code;
    if (store_get(rq->store, RES_ARTICLES, rq->args[0], 0, &doc, &rq->ei) != ERR_OK) {
        json_decref(patch);
        return rq->ei.code;
    }
    json_object_del(doc, "id");
    json_object_del(doc, "created_at");
    json_object_del(doc, "updated_at");
    if (changes(patch, doc, "body") || changes(patch, doc, "title"))
        for (size_t i = 0; i < sizeof(derived) / sizeof(derived[0]); i++)
            if (json_object_get(patch, derived[i]) == NULL)
                json_object_del(doc, derived[i]);
    json_merge_patch(doc, patch);
    rc = save(rq, rs, rq->args[0], doc);
    json_decref(doc);
    json_decref(patch);
    return rc;
}

enum err
api_articles_delete(struct req *rq, struct resp *rs)
{
    api_check_names(rq, (const char *const[]){NULL}, 0);
    if (rq->ei.code != ERR_OK ||
        store_article_delete(rq->store, rq->args[0], &rq->ei) != ERR_OK)
        return rq->ei.code;
    rs->status = 204;
    return ERR_OK;
}
