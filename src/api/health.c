/* health.c - liveness, readiness and the index of the API. */
#include "common.h"
#include "gazette/embedded.h"
#include "gazette/version.h"
#include "gazette/xalloc.h"

/* Liveness and readiness are answered afresh each time: a cache on the
 * way must not say "ready" for a minute after it stopped being so. */
enum err
api_healthz(struct req *rq, struct resp *rs)
{
    (void)rq;
    rs->body = json_pack("{s:s}", "status", "ok");
    rs->cache = "no-store";
    return ERR_OK;
}

enum err
api_readyz(struct req *rq, struct resp *rs)
{
    if (store_ready(rq->store, &rq->ei) != ERR_OK)
        return rq->ei.code;
    rs->body = json_pack("{s:s}", "status", "ready");
    rs->cache = "no-store";
    return ERR_OK;
}

enum err
api_index(struct req *rq, struct resp *rs)
{
    static const char *const links[][2] = {
        {"articles", "/v1/articles"},
        {"search", "/v1/search?q={query}"},
        {"themes", "/v1/themes"},
        {"officials", "/v1/officials"},
        {"organizations", "/v1/organizations"},
        {"quotes", "/v1/quotes"},
        {"facets", "/v1/facets?field={field}"},
        {"timeline", "/v1/timeline?interval={interval}"},
        {"export", "/v1/export/{table}"},
        {"openapi", "/v1/openapi.json"},
        {"health", "/healthz"},
        {"ready", "/readyz"},
        {"metrics", "/metrics"},
    };
    json_t *l = json_object();

    (void)rq;
    for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++)
        json_object_set_new(l, links[i][0], json_string(links[i][1]));
    rs->body = json_pack("{s:s, s:s, s:o}", "name", "gazette", "version", GAZETTE_VERSION,
                         "links", l);
    return ERR_OK;
}

enum err
api_metrics(struct req *rq, struct resp *rs)
{
    struct err_info ei = {0};
    json_t *stats = NULL;
    const char *key;
    json_t *v;
    struct buf b;

    api_check_names(rq, (const char *const[]){NULL}, 0);
    if (rq->ei.code != ERR_OK)
        return rq->ei.code;
    buf_init(&b);
    server_metrics(rq->srv, &b);
    buf_addf(&b,
             "# HELP gazette_build_info The running version.\n"
             "# TYPE gazette_build_info gauge\n"
             "gazette_build_info{version=\"%s\"} 1\n",
             GAZETTE_VERSION);
    /* an unreadable database shows as 0 in gazette_database_up */
    store_stats(rq->store, &stats, &ei);
    buf_addf(&b,
             "# HELP gazette_database_up Whether the database answered.\n"
             "# TYPE gazette_database_up gauge\ngazette_database_up %d\n",
             stats != NULL);
    if (stats != NULL) {
        buf_addf(
            &b,
            "# HELP gazette_database_size_bytes Size of the database file.\n"
            "# TYPE gazette_database_size_bytes gauge\ngazette_database_size_bytes %lld\n"
            "# HELP gazette_rows Rows in each table.\n# TYPE gazette_rows gauge\n",
            (long long)json_integer_value(json_object_get(stats, "size_bytes")));
        json_object_foreach (json_object_get(stats, "rows"), key, v) {
            buf_addf(&b, "gazette_rows{table=\"%s\"} %lld\n", key,
                     (long long)json_integer_value(v));
        }
    }
    json_decref(stats);
    rs->text = buf_detach(&b, &rs->text_len);
    rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
    rs->cache = "no-store";
    return ERR_OK;
}

enum err
api_openapi(struct req *rq, struct resp *rs)
{
    api_check_names(rq, (const char *const[]){NULL}, 0);
    if (rq->ei.code != ERR_OK)
        return rq->ei.code;
    rs->text = xstrndup(gazette_openapi[0].data, gazette_openapi[0].len);
    rs->text_len = gazette_openapi[0].len;
    rs->content_type = "application/json";
    return ERR_OK;
}
