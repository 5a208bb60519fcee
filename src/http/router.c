/* router.c - the route table and path matching. */
#include <stdlib.h>
#include <string.h>

#include "gazette/xalloc.h"

#include "gazette/api.h"
#include "gazette/router.h"

static const char *const json_body[] = {"application/json", NULL};
static const char *const patch_body[] = {"application/merge-patch+json",
                                         "application/json", NULL};
static const char *const import_body[] = {"application/x-ndjson", "text/plain",
                                          "application/json", NULL};

#define READ(path, handler)                                                              \
    {                                                                                    \
        path, M_GET, handler, NULL, NULL, NULL, true                                     \
    }
#define LIVE(path, handler)                                                              \
    {                                                                                    \
        path, M_GET, handler, NULL, NULL, NULL, false                                    \
    }
#define WRITE(path, method, handler, body)                                               \
    {                                                                                    \
        path, method, handler, "write", body, NULL, false                                \
    }

static const struct route routes[] = {
    READ("/", api_web_index),
    READ("/ui/{file}", api_web_file),
    READ("/v1", api_index),
    LIVE("/healthz", api_healthz),
    LIVE("/readyz", api_readyz),
    LIVE("/metrics", api_metrics),
    READ("/v1/openapi.json", api_openapi),
    READ("/v1/articles", api_articles_list),
    WRITE("/v1/articles", M_POST, api_articles_create, json_body),
    READ("/v1/articles/{id}", api_articles_get),
    WRITE("/v1/articles/{id}", M_PUT, api_articles_replace, json_body),
    WRITE("/v1/articles/{id}", M_PATCH, api_articles_patch, patch_body),
    WRITE("/v1/articles/{id}", M_DELETE, api_articles_delete, NULL),
    {"/v1/import", M_POST, api_import, "write", import_body, api_import_prepare, false},
    READ("/v1/themes", api_themes_list),
    WRITE("/v1/themes", M_POST, api_themes_create, json_body),
    READ("/v1/themes/{slug}", api_themes_get),
    WRITE("/v1/themes/{slug}", M_PATCH, api_themes_patch, patch_body),
    WRITE("/v1/themes/{slug}", M_DELETE, api_themes_delete, NULL),
    WRITE("/v1/themes/{slug}/retag", M_POST, api_themes_retag, NULL),
    READ("/v1/officials", api_officials_list),
    READ("/v1/officials/{id}", api_officials_get),
    WRITE("/v1/officials/{id}", M_PATCH, api_officials_patch, patch_body),
    WRITE("/v1/officials/{id}/merge", M_POST, api_officials_merge, json_body),
    READ("/v1/officials/{id}/quotes", api_official_quotes),
    READ("/v1/organizations", api_organizations_list),
    READ("/v1/organizations/{id}", api_organizations_get),
    READ("/v1/quotes", api_quotes_list),
    READ("/v1/search", api_search),
    READ("/v1/facets", api_facets),
    READ("/v1/timeline", api_timeline),
    LIVE("/v1/export/{table}", api_export),
    {"/v1/keys", M_GET, api_keys_list, "admin", NULL, NULL, false},
    {"/v1/keys", M_POST, api_keys_create, "admin", json_body, NULL, false},
    {"/v1/keys/{id}", M_GET, api_keys_get, "admin", NULL, NULL, false},
    {"/v1/keys/{id}", M_DELETE, api_keys_revoke, "admin", NULL, NULL, false},
};

const struct route *
router_routes(size_t *n)
{
    *n = sizeof(routes) / sizeof(routes[0]);
    return routes;
}

const struct route *
router_sibling(const struct route *r, unsigned method)
{
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
        if ((routes[i].methods & method) && strcmp(routes[i].pattern, r->pattern) == 0)
            return &routes[i];
    return NULL;
}

/* Matches path against pattern segment by segment; wildcard values are
 * stored NUL-terminated in scratch and pointed to by args. */
static bool
match(const char *pattern, const char *path, char *scratch, const char **args,
      size_t *nargs)
{
    const char *p = pattern, *s = path;

    *nargs = 0;
    while (*p != '\0' && *s != '\0') {
        if (*p == '{') {
            const char *pe = strchr(p, '}');
            const char *se = strchr(s, '/');
            size_t n = se != NULL ? (size_t)(se - s) : strlen(s);

            if (pe == NULL || n == 0 || *nargs == ROUTE_MAX_ARGS)
                return false;
            memcpy(scratch, s, n);
            scratch[n] = '\0';
            args[(*nargs)++] = scratch;
            scratch += n + 1;
            p = pe + 1;
            s += n;
        } else if (*p == *s) {
            p++;
            s++;
        } else {
            return false;
        }
    }
    return *p == '\0' && *s == '\0';
}

enum err
router_match(struct req *rq, const struct route **out, unsigned *allow)
{
    unsigned want = rq->method == M_HEAD ? M_GET : rq->method;
    size_t nargs, len = strlen(rq->path);
    const char *args[ROUTE_MAX_ARGS];
    char *trial = xmalloc(len + ROUTE_MAX_ARGS + 1);

    *out = NULL;
    *allow = 0;
    for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        if (!match(routes[i].pattern, rq->path, trial, args, &nargs))
            continue;
        *allow |= routes[i].methods;
        if ((routes[i].methods & want) && *out == NULL) {
            *out = &routes[i];
            rq->route = routes[i].pattern;
            /* the argument values live as long as the request */
            free(rq->argbuf);
            rq->argbuf = xmalloc(len + ROUTE_MAX_ARGS + 1);
            match(routes[i].pattern, rq->path, rq->argbuf, rq->args, &rq->nargs);
        }
    }
    free(trial);
    if (*out != NULL)
        return ERR_OK;
    if (*allow & M_GET)
        *allow |= M_HEAD;
    return *allow != 0 ? ERR_METHOD : ERR_NOT_FOUND;
}

void
router_allow_text(struct buf *b, unsigned methods)
{
    static const struct {
        unsigned bit;
        const char *name;
    } names[] = {
        {M_GET, "GET"},     {M_HEAD, "HEAD"},     {M_POST, "POST"},       {M_PUT, "PUT"},
        {M_PATCH, "PATCH"}, {M_DELETE, "DELETE"}, {M_OPTIONS, "OPTIONS"},
    };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (!(methods & names[i].bit))
            continue;
        if (b->len > 0)
            buf_adds(b, ", ");
        buf_adds(b, names[i].name);
    }
}
