/* internal.h - shared by the files of src/http/ only. */
#ifndef GAZETTE_HTTP_INTERNAL_H
#define GAZETTE_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <stdatomic.h>

#include "gazette/http.h"
#include "gazette/render.h"

#define URL_MAX 8192

/* metrics.c */
struct metrics;
struct route;
struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);
void metrics_record(struct metrics *m, const struct route *r, unsigned status, int64_t us);
void metrics_write(struct metrics *m, struct buf *out, int inflight);

struct server {
    struct MHD_Daemon *d;
    const struct server_config *cfg;
    struct store *st;
    atomic_int inflight;
    atomic_bool draining; /* stopping: refuse new connections */
    struct metrics *metrics;
    atomic_ulong next_id;
    char id_prefix[13];
};

/* request.c */
/* Splits rq->target into the decoded path and parameters; sets rq->ei
 * on a malformed target. */
void req_parse_target(struct req *rq);
void req_free(struct req *rq);
int64_t now_us(void);

/* stream.c: a response that pulls rs->stream row by row (taking it over),
 * gzip-compressed when gz. */
struct MHD_Response *render_stream(struct resp *rs, bool gz);

/* response.c */
/* Sends rs (or, when rc is an error, a problem for rq->ei) and releases
 * what rs holds. */
enum MHD_Result resp_send(struct req *rq, struct resp *rs, enum err rc);
void resp_release(struct resp *rs);
/* True when the client takes gzip for a body of this media type. */
bool resp_wants_gzip(struct req *rq, const char *ctype);
/* True when If-None-Match names etag. */
bool resp_not_modified(struct req *rq, const char *etag);
/* True when browsers from origin may use the API. */
bool cors_allowed(const struct server_config *cfg, const char *origin);
/* A new problem+json object for ei. */
json_t *problem_new(const struct err_info *ei, const char *instance);

#endif
