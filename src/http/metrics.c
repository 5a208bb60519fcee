/* metrics.c - request counters, a latency histogram and in-flight requests
 * per route, kept with atomics by the server and written in the Prometheus
 * text format. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/router.h"
#include "internal.h"

static const unsigned statuses[] = {200, 201, 204, 304, 400, 401, 403, 404,
                                    405, 406, 409, 412, 413, 414, 415, 422,
                                    429, 431, 499, 500, 503, 507};
#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]) + 1) /* + other */

/* upper bounds of the latency buckets, in microseconds */
static const uint64_t bounds_us[] = {500,   1000,   2500,   5000,   10000,   25000,
                                     50000, 100000, 250000, 500000, 1000000, 2500000};
#define NBUCKETS (sizeof(bounds_us) / sizeof(bounds_us[0]))

#define MAX_ROUTES 64

struct route_metrics {
    atomic_ullong by_status[NSTATUS];
    atomic_ullong buckets[NBUCKETS]; /* counts at or below each bound */
    atomic_ullong count;
    atomic_ullong sum_us;
};

struct metrics {
    struct route_metrics routes[MAX_ROUTES + 1]; /* + requests matching none */
};

struct metrics *
metrics_new(void)
{
    return calloc(1, sizeof(struct metrics));
}

void
metrics_free(struct metrics *m)
{
    free(m);
}

static size_t
status_index(unsigned status)
{
    for (size_t i = 0; i < NSTATUS - 1; i++)
        if (statuses[i] == status)
            return i;
    return NSTATUS - 1;
}

void
metrics_record(struct metrics *m, const struct route *r, unsigned status, int64_t us)
{
    size_t nroutes, idx;
    const struct route *all = router_routes(&nroutes);
    struct route_metrics *rm;

    idx = r != NULL ? (size_t)(r - all) : MAX_ROUTES;
    if (idx > MAX_ROUTES)
        idx = MAX_ROUTES;
    rm = &m->routes[idx];
    atomic_fetch_add(&rm->by_status[status_index(status)], 1);
    atomic_fetch_add(&rm->count, 1);
    atomic_fetch_add(&rm->sum_us, (unsigned long long)(us > 0 ? us : 0));
    for (size_t b = 0; b < NBUCKETS; b++)
        if ((uint64_t)us <= bounds_us[b])
            atomic_fetch_add(&rm->buckets[b], 1);
}

static const char *
method_label(const struct route *r)
{
    return r->methods & M_GET      ? "GET"
           : r->methods & M_POST   ? "POST"
           : r->methods & M_PUT    ? "PUT"
           : r->methods & M_PATCH  ? "PATCH"
           : r->methods & M_DELETE ? "DELETE"
                                   : "OTHER";
}

void
metrics_write(struct metrics *m, struct buf *out, int inflight)
{
    size_t nroutes;
    const struct route *all = router_routes(&nroutes);

    buf_adds(out,
             "# HELP gazette_http_requests_total HTTP requests answered, by route and "
             "status.\n# TYPE gazette_http_requests_total counter\n");
    for (size_t i = 0; i <= MAX_ROUTES; i++) {
        const char *route = i < nroutes ? all[i].pattern : "unmatched";
        const char *method = i < nroutes ? method_label(&all[i]) : "ANY";

        if (i >= nroutes && i != MAX_ROUTES)
            continue;
        for (size_t s = 0; s < NSTATUS; s++) {
            unsigned long long n = atomic_load(&m->routes[i].by_status[s]);

            if (n == 0)
                continue;
            if (s < NSTATUS - 1)
                buf_addf(out,
                         "gazette_http_requests_total{route=\"%s\",method=\"%s\",status="
                         "\"%u\"}"
                         " %llu\n",
                         route, method, statuses[s], n);
            else
                buf_addf(out,
                         "gazette_http_requests_total{route=\"%s\",method=\"%s\","
                         "status=\"other\"} %llu\n",
                         route, method, n);
        }
    }
    buf_adds(out,
             "# HELP gazette_http_request_duration_seconds Time from the request line "
             "until the answer was ready to send (a streamed export: until it "
             "started).\n"
             "# TYPE gazette_http_request_duration_seconds histogram\n");
    for (size_t i = 0; i <= MAX_ROUTES; i++) {
        const struct route_metrics *rm = &m->routes[i];
        const char *route = i < nroutes ? all[i].pattern : "unmatched";
        const char *method = i < nroutes ? method_label(&all[i]) : "ANY";
        unsigned long long count = atomic_load(&rm->count);

        if ((i >= nroutes && i != MAX_ROUTES) || count == 0)
            continue;
        for (size_t b = 0; b < NBUCKETS; b++)
            buf_addf(
                out,
                "gazette_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\","
                "le=\"%g\"} %llu\n",
                route, method, (double)bounds_us[b] / 1e6, atomic_load(&rm->buckets[b]));
        buf_addf(
            out,
            "gazette_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\","
            "le=\"+Inf\"} %llu\n",
            route, method, count);
        buf_addf(out,
                 "gazette_http_request_duration_seconds_sum{route=\"%s\",method=\"%s\"} "
                 "%.6f\n",
                 route, method, (double)atomic_load(&rm->sum_us) / 1e6);
        buf_addf(
            out,
            "gazette_http_request_duration_seconds_count{route=\"%s\",method=\"%s\"} "
            "%llu\n",
            route, method, count);
    }
    buf_addf(out,
             "# HELP gazette_http_requests_in_flight Requests being answered now.\n"
             "# TYPE gazette_http_requests_in_flight gauge\n"
             "gazette_http_requests_in_flight %d\n",
             inflight);
}

void
server_metrics(struct server *srv, struct buf *out)
{
    uint64_t hits, misses;
    size_t bytes, entries;

    /* the scrape itself is in flight */
    metrics_write(srv->metrics, out, atomic_load(&srv->inflight));
    cache_counts(srv->cache, &hits, &misses, &bytes, &entries);
    buf_addf(
        out,
        "# HELP gazette_cache_lookups_total Answers to GET looked for in the cache.\n"
        "# TYPE gazette_cache_lookups_total counter\n"
        "gazette_cache_lookups_total{result=\"hit\"} %llu\n"
        "gazette_cache_lookups_total{result=\"miss\"} %llu\n"
        "# HELP gazette_cache_bytes Memory held by answers in the cache.\n"
        "# TYPE gazette_cache_bytes gauge\n"
        "gazette_cache_bytes %zu\n"
        "# HELP gazette_cache_entries Answers in the cache.\n"
        "# TYPE gazette_cache_entries gauge\n"
        "gazette_cache_entries %zu\n",
        (unsigned long long)hits, (unsigned long long)misses, bytes, entries);
}
