/* internal.h - shared by the files of src/http/ only. */
#ifndef GAZETTE_HTTP_INTERNAL_H
#define GAZETTE_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "gazette/http.h"
#include "gazette/render.h"

#define URL_MAX 8192

/* Bodies smaller than this gain too little from compression. */
#define GZIP_MIN 860

/* cache.c: rendered answers to GET, by request key and data epoch */
struct cached {
    _Atomic int refs;
    char *key;
    size_t hash;
    uint64_t epoch;
    char *body; /* gzip when gz, else the text itself */
    size_t body_len, plain_len;
    bool gz;
    const char *ctype, *cache_control; /* constants */
    char etag[80];                     /* of the plain text */
    char *link, *total;                /* headers to send again, or NULL */
    size_t size;
    struct cached *next;          /* in its bucket */
    struct cached *newer, *older; /* in the LRU list */
};
struct cache;
struct cache *cache_new(size_t max_bytes); /* NULL when max_bytes is 0 */
void cache_free(struct cache *c);
/* A new reference to the entry for key made at epoch, or NULL; then keep
 * says whether to keep the answer: always, or if it is probably asked for
 * only once (once), when it was asked for before. */
struct cached *cache_get(struct cache *c, const char *key, uint64_t epoch, bool once,
                         bool *keep);
void cached_release(struct cached *e);
/* Keeps a copy of an answer: text, or its gzip form gz when not NULL. */
void cache_put(struct cache *c, const char *key, uint64_t epoch, const char *text,
               size_t len, const char *gz, size_t gz_len, const char *ctype,
               const char *etag, const char *cache_control, const char *link,
               const char *total);
/* The plain text of a compressed entry (free() it), or NULL. */
char *cached_inflate(const struct cached *e);
/* For a GET or HEAD to a cacheable route: the kept answer (a reference),
 * or NULL, after setting rq->cache_key and rq->cache_epoch when the answer
 * about to be made is to be kept (for a full-text query, the second time
 * it is asked for). */
struct cached *cache_lookup(struct req *rq);
/* Lookups answered from the cache and not. */
void cache_counts(struct cache *c, uint64_t *hits, uint64_t *misses, size_t *bytes,
                  size_t *entries);

/* metrics.c */
struct metrics;
struct route;
struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);
void metrics_record(struct metrics *m, const struct route *r, unsigned status,
                    int64_t us);
void metrics_write(struct metrics *m, struct buf *out, int inflight);

struct server {
    struct MHD_Daemon *d;
    const struct server_config *cfg;
    struct store *st;
    atomic_int inflight;
    atomic_bool draining; /* stopping: refuse new connections */
    struct metrics *metrics;
    struct cache *cache;
    atomic_ulong next_id;
    char id_prefix[13];
    struct heads *heads;
    /* held alone by a write from the check of its preconditions to its
     * commit, shared by other writes (run_handler()) */
    pthread_rwlock_t write_gate;
};

/* heads.c: a connection waiting for a request is shut down when the
 * request's head has not all come within the timeout. */
struct heads *heads_new(unsigned timeout_s);
void heads_free(struct heads *h);
/* MHD_OPTION_NOTIFY_CONNECTION's callback, with the heads as cls. */
void heads_on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                         enum MHD_ConnectionNotificationCode code);
/* A request's head has come; an answer was sent and the next is awaited. */
void heads_arrived(struct MHD_Connection *conn);
void heads_awaited(struct heads *h, struct MHD_Connection *conn);

/* request.c */
/* Splits rq->target into the decoded path and parameters; sets rq->ei
 * on a malformed target. */
void req_parse_target(struct req *rq);
void req_free(struct req *rq);
int64_t now_us(void);

/* stream.c: a response that pulls rs->stream row by row (taking it over),
 * gzip-compressed when gz, adding the bytes it sends to *sent (the
 * request's count, for the access log). */
struct MHD_Response *render_stream(struct resp *rs, bool gz, size_t *sent);

/* response.c */
/* Sends rs (or, when rc is an error, a problem for rq->ei) and releases
 * what rs holds. */
enum MHD_Result resp_send(struct req *rq, struct resp *rs, enum err rc);
/* Sends a kept answer (and releases the reference). */
enum MHD_Result resp_send_cached(struct req *rq, struct resp *rs, struct cached *e);
void resp_release(struct resp *rs);
/* True when the client takes gzip for a body of this media type. */
bool resp_wants_gzip(struct req *rq, const char *ctype);
/* True when If-None-Match names etag. */
bool resp_not_modified(struct req *rq, const char *etag);
/* For a write: ERR_PRECONDITION (rq->ei set) when If-Match names no
 * current representation of rq's path (as a GET without parameters answers
 * it, plain or gzip) or If-None-Match names it; ERR_OK otherwise, and when
 * the path has no such representation. */
enum err resp_preconditions(struct req *rq);
/* True when browsers from origin may use the API. */
bool cors_allowed(const struct server_config *cfg, const char *origin);
/* A new problem+json object for ei. */
json_t *problem_new(const struct err_info *ei, const char *instance);

#endif
