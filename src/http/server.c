/* server.c - the libmicrohttpd daemon: a pool of threads over epoll, the
 * request lifecycle, limits, graceful stop and the access log. */
#define _GNU_SOURCE /* pthread_rwlockattr_setkind_np */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "gazette/auth.h"
#include "gazette/crypto.h"
#include "gazette/log.h"
#include "gazette/router.h"
#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "internal.h"

void
server_config_init(struct server_config *cfg)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

    memset(cfg, 0, sizeof(*cfg));
    cfg->host = "127.0.0.1";
    cfg->port = 8080;
    cfg->threads = ncpu > 0 ? (unsigned)ncpu : 2;
    cfg->max_body = 1u << 20;
    cfg->max_import = 256u << 20;
    cfg->timeout = 30;
    cfg->max_conns = 1000;
    cfg->max_conns_ip = 500;
    cfg->cache_bytes = 24u << 20;
    cfg->access_log = true;
}

bool
server_parse_listen(struct server_config *cfg, const char *listen, char *host,
                    size_t hostlen)
{
    const char *colon = strrchr(listen, ':');
    const char *h = listen;
    size_t hl;
    int64_t port;

    if (colon == NULL || !parse_int64(colon + 1, &port) || port < 0 || port > 65535)
        return false;
    hl = (size_t)(colon - listen);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl == 0) {
        h = "127.0.0.1";
        hl = strlen(h);
    }
    if (hl >= hostlen)
        return false;
    memcpy(host, h, hl);
    host[hl] = '\0';
    cfg->host = host;
    cfg->port = (unsigned)port;
    return true;
}

static enum method
method_parse(const char *m)
{
    static const struct {
        const char *name;
        enum method m;
    } names[] = {
        {"GET", M_GET},     {"HEAD", M_HEAD},     {"POST", M_POST},       {"PUT", M_PUT},
        {"PATCH", M_PATCH}, {"DELETE", M_DELETE}, {"OPTIONS", M_OPTIONS},
    };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(m, names[i].name) == 0)
            return names[i].m;
    return M_OTHER;
}

static bool
request_id_ok(const char *s)
{
    size_t n = 0;

    for (; s[n] != '\0'; n++) {
        char c = s[n];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':'))
            return false;
    }
    return n > 0 && n <= 40;
}

/* MHD calls this first for every request, with the target as received. */
static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct server *srv = cls;
    struct req *rq = xcalloc(1, sizeof(*rq));

    rq->t0us = now_us();
    rq->target = xstrdup(uri != NULL ? uri : "/");
    rq->conn = conn;
    rq->srv = srv;
    rq->store = srv->st;
    buf_init(&rq->body);
    atomic_fetch_add(&srv->inflight, 1);
    return rq;
}

/* Gives rq the server's next request id: its random prefix and a count. */
static void
own_request_id(struct server *srv, struct req *rq)
{
    snprintf(rq->request_id, sizeof(rq->request_id), "%s-%lx", srv->id_prefix,
             atomic_fetch_add(&srv->next_id, 1));
}

/* A JSON string of s as received: bytes that are not UTF-8 (which JSON
 * cannot carry) written as %XX, as in a URL, the rest as they are. */
static json_t *
received_string(const char *s)
{
    size_t len = strlen(s), i = 0;
    struct buf b;
    json_t *j;

    if (utf8_valid(s, len))
        return json_stringn(s, len);
    buf_init(&b);
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

        if (i + n <= len && utf8_valid(s + i, n)) {
            buf_add(&b, s + i, n);
            i += n;
        } else {
            buf_addf(&b, "%%%02X", c);
            i++;
        }
    }
    j = json_stringn(b.data, b.len);
    buf_release(&b);
    return j;
}

static void
access_log(struct req *rq)
{
    char ts[TIMESTAMP_LEN];
    json_t *line;
    char *text;

    timestamp_now(ts);
    /* one line for every request, also one whose target or method is
     * not UTF-8 */
    line =
        json_pack("{s:s, s:s, s:s, s:o, s:o, s:i, s:I, s:f, s:s}", "time", ts, "level",
                  "info", "msg", "request", "method",
                  received_string(rq->method_name != NULL ? rq->method_name : "-"),
                  "path", received_string(rq->target), "status", (int)rq->status, "bytes",
                  (json_int_t)rq->bytes, "duration_ms",
                  (double)(now_us() - rq->t0us) / 1000.0, "request_id", rq->request_id);
    if (line == NULL)
        return;
    text = json_dumps(line, JSON_COMPACT | JSON_REAL_PRECISION(6));
    if (text != NULL)
        log_raw(text, strlen(text));
    free(text);
    json_decref(line);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    struct server *srv = cls;
    struct req *rq = *con_cls;

    heads_awaited(srv->heads, conn);
    if (rq == NULL)
        return;
    if (!rq->started) {
        /* libmicrohttpd answered by itself, before the request reached
         * gazette (a head larger than its memory, no Host), or the head
         * never came whole: counted and logged all the same */
        const union MHD_ConnectionInfo *ci =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_HTTP_STATUS);

        if (ci != NULL && ci->http_status != 0)
            rq->status = ci->http_status;
        else if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
            rq->status = 499; /* its head never came whole: timed out, or given up */
        if (rq->status != 0) {
            rq->started = true;
            own_request_id(srv, rq);
            metrics_record(srv->metrics, NULL, rq->status, now_us() - rq->t0us);
        }
    } else if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && rq->status == 0) {
        /* the client went away, or timed out, before an answer */
        rq->status = 499;
        if (rq->started)
            metrics_record(srv->metrics, rq->match_rc == ERR_OK ? rq->matched : NULL, 499,
                           now_us() - rq->t0us);
    }
    if (srv->cfg->access_log && rq->started)
        access_log(rq);
    req_free(rq);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->inflight, 1);
}

/* OPTIONS: the methods a path takes, and CORS preflight answers. */
static enum err
options(struct req *rq, struct resp *rs, unsigned allow)
{
    const char *origin = req_header(rq, "Origin");
    struct buf b;

    buf_init(&b);
    router_allow_text(&b, allow | M_OPTIONS);
    resp_header(rs, "Allow", "%s", b.data);
    rs->status = 204;
    if (origin != NULL && req_header(rq, "Access-Control-Request-Method") != NULL) {
        if (!cors_allowed(rq->srv->cfg, origin)) {
            buf_release(&b);
            return err_set(&rq->ei, ERR_FORBIDDEN,
                           "the origin %.100s may not use this API from a browser; the "
                           "server allows the origins given with --cors-origin",
                           origin);
        }
        resp_header(rs, "Access-Control-Allow-Methods", "%s", b.data);
        resp_header(rs, "Access-Control-Allow-Headers",
                    "Authorization, Content-Type, If-None-Match, If-Match, X-Request-Id");
        resp_header(rs, "Access-Control-Max-Age", "600");
    }
    buf_release(&b);
    return ERR_OK;
}

/* Runs the route's handler.  A write with If-Match or If-None-Match has
 * the gate to itself from the check to its commit, so that no other write
 * comes between them; other writes share it, and go on side by side (bulk
 * imports, which store records as they arrive, pass by). */
static enum err
run_handler(struct req *rq, struct resp *rs)
{
    struct server *srv = rq->srv;
    bool conditional;
    enum err rc = ERR_OK;

    if (rq->method == M_GET || rq->method == M_HEAD || rq->matched->prepare != NULL)
        return rq->matched->handler(rq, rs);
    conditional =
        req_header(rq, "If-Match") != NULL || req_header(rq, "If-None-Match") != NULL;
    if (conditional) {
        pthread_rwlock_wrlock(&srv->write_gate);
        rc = resp_preconditions(rq);
    } else {
        pthread_rwlock_rdlock(&srv->write_gate);
    }
    if (rc == ERR_OK)
        rc = rq->matched->handler(rq, rs);
    pthread_rwlock_unlock(&srv->write_gate);
    return rc;
}

static enum MHD_Result
dispatch(struct req *rq)
{
    struct resp rs = {.status = 200};
    enum err rc = rq->ei.code;

    if (rc != ERR_OK && rq->sink.summary != NULL) /* stopped part way */
        rs.problem_extra = rq->sink.summary(rq->sink.ctx);
    if (rc == ERR_OK) {
        rc = rq->match_rc;
        if (rq->method == M_OPTIONS && strcmp(rq->path, "*") == 0) {
            rc = options(rq, &rs, M_GET | M_HEAD | M_POST | M_PUT | M_PATCH | M_DELETE);
        } else if (rq->method == M_OPTIONS && rc != ERR_NOT_FOUND) {
            rc = options(rq, &rs, rq->allow);
        } else if (rc == ERR_OK) {
            struct cached *hit = cache_lookup(rq);

            if (hit != NULL)
                return resp_send_cached(rq, &rs, hit);
            rc = run_handler(rq, &rs);
        } else if (rc == ERR_METHOD) {
            struct buf b;

            buf_init(&b);
            router_allow_text(&b, rq->allow | M_OPTIONS);
            err_set(&rq->ei, ERR_METHOD, "%s is not allowed on %s; allowed: %s",
                    rq->method_name, rq->path, b.data);
            resp_header(&rs, "Allow", "%s", b.data);
            buf_release(&b);
        } else {
            err_set(&rq->ei, ERR_NOT_FOUND, "there is nothing at %s", rq->path);
        }
    }
    return resp_send(rq, &rs, rc);
}

static void
start_request(struct server *srv, struct req *rq, const char *method)
{
    const char *id = req_header(rq, "X-Request-Id");

    rq->started = true;
    rq->method = method_parse(method);
    rq->method_name = method;
    if (id != NULL && request_id_ok(id))
        snprintf(rq->request_id, sizeof(rq->request_id), "%s", id);
    else
        own_request_id(srv, rq);
    req_parse_target(rq);
    if (rq->ei.code == ERR_OK)
        rq->match_rc = router_match(rq, &rq->matched, &rq->allow);
}

/* True when the request's Content-Type is one of types (parameters such
 * as charset aside). */
static bool
type_accepted(struct req *rq, const char *const *types)
{
    const char *ct = req_header(rq, MHD_HTTP_HEADER_CONTENT_TYPE);
    size_t n;

    if (ct == NULL)
        return false;
    n = strcspn(ct, "; \t");
    for (size_t i = 0; types[i] != NULL; i++)
        if (strlen(types[i]) == n && strncasecmp(ct, types[i], n) == 0)
            return true;
    return false;
}

/* Request headers beyond this many bytes in all are refused with a 431. */
#define HEADERS_MAX (16 * 1024)

static enum MHD_Result
add_header_size(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    size_t *total = cls;

    (void)kind;
    *total += strlen(key) + (value != NULL ? strlen(value) : 0) + 4;
    return MHD_YES;
}

/* Everything that can be refused before the body arrives: its size, its
 * media type, the API key.  Returns ERR_OK to go on reading. */
static enum err
check_headers(struct server *srv, struct req *rq)
{
    const struct route *r = rq->matched;
    const char *cl = req_header(rq, MHD_HTTP_HEADER_CONTENT_LENGTH);
    size_t limit =
        r != NULL && r->prepare != NULL ? srv->cfg->max_import : srv->cfg->max_body;
    bool has_body = req_header(rq, MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
    int64_t n = 0;
    size_t header_bytes = 0;

    MHD_get_connection_values(rq->conn, MHD_HEADER_KIND, add_header_size, &header_bytes);
    if (header_bytes > HEADERS_MAX)
        return err_set(&rq->ei, ERR_HEADERS_TOO_LARGE,
                       "the request headers are larger than %d bytes", HEADERS_MAX);
    if (cl != NULL && parse_int64(cl, &n)) {
        has_body = has_body || n > 0;
        if ((uint64_t)n > limit)
            return err_set(&rq->ei, ERR_TOO_LARGE,
                           "the request body is larger than %zu bytes", limit);
    }
    if (rq->ei.code != ERR_OK || r == NULL || rq->match_rc != ERR_OK)
        return rq->ei.code;
    if (r->scope != NULL &&
        auth_check(rq->store, req_header(rq, MHD_HTTP_HEADER_AUTHORIZATION), r->scope,
                   &rq->ei) != ERR_OK)
        return rq->ei.code;
    if (r->body_types != NULL && has_body && !type_accepted(rq, r->body_types)) {
        struct buf b;

        buf_init(&b);
        for (size_t i = 0; r->body_types[i] != NULL; i++)
            buf_addf(&b, "%s%s", i > 0 ? ", " : "", r->body_types[i]);
        err_set(&rq->ei, ERR_MEDIA_TYPE, "the body must be sent as %s", b.data);
        buf_release(&b);
        return ERR_MEDIA_TYPE;
    }
    if (r->prepare != NULL)
        return r->prepare(rq);
    return ERR_OK;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size,
           void **con_cls)
{
    struct server *srv = cls;
    struct req *rq = *con_cls;

    (void)url;
    (void)version;
    if (rq == NULL) /* no URI callback ran: cannot happen with MHD >= 0.9.71 */
        return MHD_NO;
    if (!rq->started) {
        heads_arrived(conn);
        rq->conn = conn;
        start_request(srv, rq, method);
        if (check_headers(srv, rq) != ERR_OK) {
            /* answer before the body is sent (also to Expect: 100-continue) */
            struct resp rs = {0};

            return resp_send(rq, &rs, rq->ei.code);
        }
        return MHD_YES;
    }
    if (*upload_data_size != 0) {
        size_t limit = rq->sink.feed != NULL ? srv->cfg->max_import : srv->cfg->max_body;

        rq->body_seen += *upload_data_size;
        if (rq->ei.code != ERR_OK) {
            /* already failed: the rest is read and dropped */
        } else if (rq->body_seen > limit) {
            err_set(&rq->ei, ERR_TOO_LARGE, "the request body is larger than %zu bytes%s",
                    limit,
                    rq->sink.feed != NULL
                        ? ": the records before that point were "
                          "imported (see results), the rest was not read"
                        : "");
        } else if (rq->sink.feed != NULL) {
            rq->sink.feed(rq->sink.ctx, upload_data, *upload_data_size, &rq->ei);
        } else {
            buf_add(&rq->body, upload_data, *upload_data_size);
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    return dispatch(rq);
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
    char msg[512];
    size_t n;

    (void)cls;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    log_at(LL_DEBUG, "msg=\"http: %s\"", msg);
}

/* While draining, new connections are refused at once.  (libmicrohttpd's
 * own MHD_quiesce_daemon() races with its epoll workers and can abort the
 * process, so it is not used.) */
static enum MHD_Result
on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    struct server *srv = cls;

    (void)addr;
    (void)addrlen;
    return atomic_load(&srv->draining) ? MHD_NO : MHD_YES;
}

static bool
resolve(const char *host, unsigned port, struct sockaddr_storage *ss, bool *v6)
{
    struct addrinfo hints = {0}, *res = NULL;
    char portstr[8];

    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    snprintf(portstr, sizeof(portstr), "%u", port);
    if (getaddrinfo(host, portstr, &hints, &res) != 0 || res == NULL)
        return false;
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    return true;
}

/* What the server holds besides its daemon (stopped, or never started). */
static void
server_free(struct server *srv)
{
    heads_free(srv->heads);
    metrics_free(srv->metrics);
    cache_free(srv->cache);
    pthread_rwlock_destroy(&srv->write_gate);
    free(srv);
}

enum err
server_start(const struct server_config *cfg, struct store *st, struct server **out,
             struct err_info *ei)
{
    pthread_rwlockattr_t gate;
    struct sockaddr_storage ss;
    unsigned char rnd[6];
    struct server *srv;
    struct buf hex;
    bool v6 = false;
    unsigned flags;

    *out = NULL;
    if (!resolve(cfg->host, cfg->port, &ss, &v6))
        return err_set(ei, ERR_INVALID, "cannot listen on %s: not an address", cfg->host);
    srv = xcalloc(1, sizeof(*srv));
    srv->cfg = cfg;
    srv->st = st;
    atomic_init(&srv->inflight, 0);
    atomic_init(&srv->draining, false);
    pthread_rwlockattr_init(&gate);
    /* a conditional write is not kept waiting while others keep coming */
    pthread_rwlockattr_setkind_np(&gate, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(&srv->write_gate, &gate);
    pthread_rwlockattr_destroy(&gate);
    srv->metrics = metrics_new();
    srv->cache = cache_new(cfg->cache_bytes);
    srv->heads = heads_new(cfg->timeout);
    if (srv->heads == NULL) {
        server_free(srv);
        return err_set(ei, ERR_UNAVAILABLE, "cannot start the server's threads");
    }
    atomic_init(&srv->next_id, 1);
    if (!crypto_random(rnd, sizeof(rnd)))
        memset(rnd, 0, sizeof(rnd));
    buf_init(&hex);
    hex_encode(&hex, rnd, sizeof(rnd));
    snprintf(srv->id_prefix, sizeof(srv->id_prefix), "%s", hex.data);
    buf_release(&hex);
    flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
            MHD_USE_ERROR_LOG | (v6 ? MHD_USE_IPv6 : 0);
    /* The logger first, so that what libmicrohttpd says of the options
     * after it goes to the log too.  No address reuse option: MHD sets
     * SO_REUSEADDR, so a restart binds while the old connections wait out
     * TIME_WAIT, but not SO_REUSEPORT, with which a second server on the
     * port would silently take a share of its connections. */
    srv->d = MHD_start_daemon(
        flags, 0, on_accept, srv, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log,
        NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(cfg->threads > 0 ? cfg->threads : 1), MHD_OPTION_URI_LOG_CALLBACK,
        on_uri, srv, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout, MHD_OPTION_CONNECTION_LIMIT,
        cfg->max_conns, MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_conns_ip,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
        MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_NOTIFY_CONNECTION,
        heads_on_connection, srv->heads, MHD_OPTION_END);
    if (srv->d == NULL) {
        server_free(srv);
        return err_set(ei, ERR_UNAVAILABLE,
                       "cannot listen on %s port %u (in use, or not allowed)", cfg->host,
                       cfg->port);
    }
    *out = srv;
    return ERR_OK;
}

unsigned
server_port(const struct server *srv)
{
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);

    return info != NULL ? info->port : 0;
}

void
server_stop(struct server *srv, unsigned grace_ms)
{
    int64_t deadline = now_us() + (int64_t)grace_ms * 1000;

    if (srv == NULL)
        return;
    atomic_store(&srv->draining, true);
    while (atomic_load(&srv->inflight) > 0 && now_us() < deadline) {
        struct timespec ts = {0, 5 * 1000 * 1000};

        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(srv->d);
    server_free(srv);
}
