/* router.c - the route table and path matching. */
#include <stdlib.h>
#include <string.h>

#include "gazette/xalloc.h"

#include "gazette/api.h"
#include "gazette/router.h"

static const struct route routes[] = {
    {"/", M_GET, api_web_index},
    {"/ui/{file}", M_GET, api_web_file},
    {"/v1", M_GET, api_index},
    {"/healthz", M_GET, api_healthz},
    {"/readyz", M_GET, api_readyz},
    {"/v1/articles", M_GET, api_articles_list},
    {"/v1/articles/{id}", M_GET, api_articles_get},
    {"/v1/themes", M_GET, api_themes_list},
    {"/v1/themes/{slug}", M_GET, api_themes_get},
    {"/v1/officials", M_GET, api_officials_list},
    {"/v1/officials/{id}", M_GET, api_officials_get},
    {"/v1/officials/{id}/quotes", M_GET, api_official_quotes},
    {"/v1/organizations", M_GET, api_organizations_list},
    {"/v1/organizations/{id}", M_GET, api_organizations_get},
    {"/v1/quotes", M_GET, api_quotes_list},
    {"/v1/search", M_GET, api_search},
    {"/v1/facets", M_GET, api_facets},
    {"/v1/timeline", M_GET, api_timeline},
    {"/v1/export/{table}", M_GET, api_export},
};

const struct route *
router_routes(size_t *n)
{
    *n = sizeof(routes) / sizeof(routes[0]);
    return routes;
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
router_match(struct req *rq, handler_fn **out, unsigned *allow)
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
            *out = routes[i].handler;
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
