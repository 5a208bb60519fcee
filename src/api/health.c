/* health.c - liveness, readiness and the index of the API. */
#include "common.h"
#include "gazette/version.h"

enum err
api_healthz(struct req *rq, struct resp *rs)
{
    (void)rq;
    rs->body = json_pack("{s:s}", "status", "ok");
    return ERR_OK;
}

enum err
api_readyz(struct req *rq, struct resp *rs)
{
    if (store_ready(rq->store, &rq->ei) != ERR_OK)
        return rq->ei.code;
    rs->body = json_pack("{s:s}", "status", "ready");
    return ERR_OK;
}

enum err
api_index(struct req *rq, struct resp *rs)
{
    (void)rq;
    rs->body = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s}}", "name",
                         "gazette", "version", GAZETTE_VERSION, "links", "articles",
                         "/v1/articles", "themes", "/v1/themes", "officials",
                         "/v1/officials", "organizations", "/v1/organizations", "quotes",
                         "/v1/quotes", "health", "/healthz", "ready", "/readyz");
    return ERR_OK;
}
