/* http.h - the HTTP server, and the request and response that handlers
 * see.  Only src/http/ includes microhttpd.h. */
#ifndef GAZETTE_HTTP_H
#define GAZETTE_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gazette/buf.h"
#include "gazette/err.h"
#include "gazette/render.h"
#include "gazette/store.h"

enum method {
    M_GET = 1 << 0,
    M_HEAD = 1 << 1,
    M_POST = 1 << 2,
    M_PUT = 1 << 3,
    M_PATCH = 1 << 4,
    M_DELETE = 1 << 5,
    M_OPTIONS = 1 << 6,
    M_OTHER = 1 << 7,
};

struct param {
    char *name; /* percent-decoded, valid UTF-8 */
    char *value;
};

#define REQ_MAX_PARAMS 64
#define ROUTE_MAX_ARGS 4

struct server;
struct route;

/* Takes a request body as it arrives, for bodies too large to hold. */
struct body_sink {
    void *ctx;
    /* The next bytes; an error stops the request (rq->ei says why). */
    enum err (*feed)(void *ctx, const char *data, size_t len, struct err_info *ei);
    /* What the bytes fed so far did, as members for the problem when an
     * error stops the request part way (NULL: nothing to say). */
    json_t *(*summary)(void *ctx);
    void (*free)(void *ctx);
};

struct req {
    enum method method;
    const char *method_name;
    char *target; /* the request target as received: path and query */
    char *path;   /* percent-decoded path, without the query */
    struct param *params;
    size_t nparams;
    struct buf body;
    struct store *store;
    struct server *srv;
    const char *args[ROUTE_MAX_ARGS]; /* values of the route's {wildcards} */
    char *argbuf;                     /* holds them */
    size_t nargs;
    const char *route; /* the route pattern that matched, for metrics */
    const struct route *matched;
    enum err match_rc;     /* ERR_OK, ERR_NOT_FOUND or ERR_METHOD */
    unsigned allow;        /* methods the path takes */
    size_t body_seen;      /* bytes of body received */
    struct body_sink sink; /* set by a route's prepare hook */
    struct err_info ei;
    char request_id[48];
    void *conn;   /* the connection; use req_header() */
    int64_t t0us; /* when the request started, monotonic microseconds */
    bool started;
    char *cache_key;      /* set when the answer is to be kept in the cache */
    uint64_t cache_epoch; /* the data epoch seen before it was made */
    unsigned status;      /* as sent, for the access log */
    size_t bytes;
};

#define RESP_MAX_HEADERS 12

/* Rows pulled one at a time for a streamed response: next() gives a new
 * object, NULL at the end (ei set if it failed); free() releases ctx. */
struct resp_stream {
    void *ctx;
    json_t *(*next)(void *ctx, struct err_info *ei);
    void (*free)(void *ctx);
};

struct resp {
    unsigned status; /* 200 unless a handler says otherwise */
    json_t *body;    /* a JSON body, owned by the response once set */
    char *text;      /* or a text body (free()d by the response) */
    size_t text_len;
    const char *content_type; /* of text */
    /* A list: body's "data" rows are sent as format; for CSV, columns (a
     * JSON array of field paths such as "organization.parent.name") give
     * the header and the cells. */
    enum out_format format;
    json_t *columns;
    struct resp_stream stream; /* rows to stream instead of body, if next */
    const char *cache;         /* Cache-Control of a 200 to GET; NULL: public */
    char etag[80];             /* for streams, which cannot be hashed first */
    bool vary_encoding;        /* the body depends on Accept-Encoding */
    json_t *problem_extra;     /* members added to an error's problem, owned */
    size_t nheaders;
    struct {
        const char *name; /* a constant */
        char *value;
    } headers[RESP_MAX_HEADERS];
};

/* A handler fills rs and returns ERR_OK, or returns an error with rq->ei
 * set, which the server sends as problem+json. */
typedef enum err handler_fn(struct req *rq, struct resp *rs);

/* The first value of the query parameter, or NULL. */
const char *req_param(const struct req *rq, const char *name);
/* The value of a request header, or NULL. */
const char *req_header(const struct req *rq, const char *name);
/* The representation the client asked for: the format= parameter (json,
 * csv or ndjson) or else the Accept header.  ERR_INVALID for a bad
 * format=, ERR_NOT_ACCEPTABLE when Accept allows none of them. */
enum err req_format(struct req *rq, enum out_format *out);

/* Adds a response header; name must be a constant. */
void resp_header(struct resp *rs, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct server_config {
    const char *host; /* numeric IPv4 or IPv6 address */
    unsigned port;    /* 0: any free port */
    unsigned threads;
    size_t max_body;       /* bytes of one request body */
    size_t max_import;     /* bytes of a body streamed to /v1/import */
    unsigned timeout;      /* seconds a connection may stay idle */
    unsigned max_conns;    /* connections at once */
    unsigned max_conns_ip; /* connections at once from one address */
    size_t cache_bytes;    /* answers to GET kept until the data changes; 0: none */
    bool access_log;
    const char *const *cors_origins; /* allowed Origin values; "*" allows all */
    size_t ncors;
};

/* Fills cfg with defaults. */
void server_config_init(struct server_config *cfg);

/* Parses "HOST:PORT", "[V6]:PORT" or ":PORT" into cfg. */
bool server_parse_listen(struct server_config *cfg, const char *listen, char *host,
                         size_t hostlen);

/* Starts serving st.  cfg must outlive the server. */
enum err server_start(const struct server_config *cfg, struct store *st,
                      struct server **out, struct err_info *ei);
unsigned server_port(const struct server *srv);
/* The server's request metrics in the Prometheus text format, into out. */
void server_metrics(struct server *srv, struct buf *out);
/* Stops accepting, lets requests in flight finish (up to grace_ms), and
 * stops. */
void server_stop(struct server *srv, unsigned grace_ms);

#endif
