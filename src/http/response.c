/* response.c - turning a handler's result into an HTTP response: JSON
 * bodies, problem details (RFC 9457), headers. */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "gazette/crypto.h"
#include "gazette/log.h"
#include "gazette/router.h"
#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "internal.h"

void
resp_header(struct resp *rs, const char *name, const char *fmt, ...)
{
    struct buf b;
    va_list ap;

    if (rs->nheaders == RESP_MAX_HEADERS) {
        log_at(LL_ERROR, "msg=\"too many response headers\" header=%s", name);
        return;
    }
    buf_init(&b);
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    rs->headers[rs->nheaders].name = name;
    rs->headers[rs->nheaders].value = buf_detach(&b, NULL);
    rs->nheaders++;
}

void
resp_release(struct resp *rs)
{
    json_decref(rs->body);
    rs->body = NULL;
    json_decref(rs->problem_extra);
    rs->problem_extra = NULL;
    json_decref(rs->columns);
    rs->columns = NULL;
    if (rs->stream.free != NULL)
        rs->stream.free(rs->stream.ctx);
    memset(&rs->stream, 0, sizeof(rs->stream));
    free(rs->text);
    rs->text = NULL;
    for (size_t i = 0; i < rs->nheaders; i++)
        free(rs->headers[i].value);
    rs->nheaders = 0;
}

json_t *
problem_new(const struct err_info *ei, const char *instance)
{
    json_t *p = json_pack("{s:s, s:s, s:i}", "type", "about:blank", "title",
                          err_title(ei->code), "status", (int)err_http_status(ei->code));

    if (ei->detail[0] != '\0')
        json_object_set_new(p, "detail", json_string(ei->detail));
    if (instance != NULL)
        json_object_set_new(p, "instance", json_string(instance));
    if (ei->nfields > 0) {
        json_t *errors = json_array();

        for (size_t i = 0; i < ei->nfields; i++)
            json_array_append_new(errors,
                                  json_pack("{s:s, s:s}", "field", ei->fields[i].field,
                                            "message", ei->fields[i].message));
        json_object_set_new(p, "errors", errors);
    }
    return p;
}

/* A server error's detail stays in the log; the client learns only that
 * it happened and the request id to quote. */
static void
hide_internal(struct req *rq)
{
    if (err_http_status(rq->ei.code) != 500)
        return;
    log_at(LL_ERROR, "msg=\"request failed\" request_id=%s path=\"%s\" detail=\"%s\"",
           rq->request_id, rq->path, rq->ei.detail);
    snprintf(rq->ei.detail, sizeof(rq->ei.detail),
             "the server could not complete the request (request id %s)", rq->request_id);
    rq->ei.nfields = 0;
}

bool
cors_allowed(const struct server_config *cfg, const char *origin)
{
    for (size_t i = 0; i < cfg->ncors; i++)
        if (strcmp(cfg->cors_origins[i], "*") == 0 ||
            strcmp(cfg->cors_origins[i], origin) == 0)
            return true;
    return false;
}

/* ---- representations: ETag, gzip, caching ---- */

/* The quality (0..1000) Accept-Encoding gives gzip; -1 when absent. */
static int
gzip_quality(const char *ae)
{
    int q = -1, star = -1;
    const char *p = ae;

    while (p != NULL && *p != '\0') {
        const char *end = strchr(p, ',');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        const char *semi = memchr(p, ';', n);
        size_t tlen = semi != NULL ? (size_t)(semi - p) : n;
        int v = 1000;

        while (tlen > 0 && *p == ' ')
            p++, tlen--, n--;
        while (tlen > 0 && p[tlen - 1] == ' ')
            tlen--;
        if (semi != NULL) {
            const char *qp = strstr(semi, "q=");

            if (qp != NULL && qp < p + n)
                v = (int)(strtod(qp + 2, NULL) * 1000 + 0.5);
        }
        if ((tlen == 4 && strncasecmp(p, "gzip", 4) == 0) ||
            (tlen == 6 && strncasecmp(p, "x-gzip", 6) == 0))
            q = v;
        else if (tlen == 1 && *p == '*')
            star = v;
        p += n;
        if (*p == ',')
            p++;
    }
    return q >= 0 ? q : star;
}

static bool
compressible(const char *ctype)
{
    return ctype != NULL &&
           (strncmp(ctype, "application/json", 16) == 0 ||
            strncmp(ctype, "application/problem+json", 24) == 0 ||
            strncmp(ctype, "application/x-ndjson", 20) == 0 ||
            strncmp(ctype, "text/", 5) == 0 || strncmp(ctype, "image/svg", 9) == 0);
}

bool
resp_wants_gzip(struct req *rq, const char *ctype)
{
    const char *ae = req_header(rq, "Accept-Encoding");

    return ae != NULL && compressible(ctype) && gzip_quality(ae) > 0;
}

/* Each thread keeps one deflate state and resets it between answers:
 * setting one up allocates and clears a quarter of a megabyte, which
 * costs more than compressing a typical answer. */
static pthread_key_t deflater_key;
static pthread_once_t deflater_once = PTHREAD_ONCE_INIT;

static void
deflater_free(void *p)
{
    deflateEnd(p);
    free(p);
}

static void
deflater_key_create(void)
{
    pthread_key_create(&deflater_key, deflater_free);
}

/* This thread's deflate state, ready for a new stream; NULL if zlib fails. */
static z_stream *
deflater(void)
{
    z_stream *z;

    pthread_once(&deflater_once, deflater_key_create);
    z = pthread_getspecific(deflater_key);
    if (z != NULL)
        return deflateReset(z) == Z_OK ? z : NULL;
    z = xcalloc(1, sizeof(*z));
    if (deflateInit2(z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(z);
        return NULL;
    }
    pthread_setspecific(deflater_key, z);
    return z;
}

/* The gzip form of in, or NULL if zlib fails. */
static char *
gzip_body(const char *in, size_t len, size_t *out_len)
{
    z_stream *z = deflater();
    char *out;

    if (z == NULL)
        return NULL;
    *out_len = deflateBound(z, len);
    out = xmalloc(*out_len);
    z->next_in = (Bytef *)in;
    z->avail_in = (uInt)len;
    z->next_out = (Bytef *)out;
    z->avail_out = (uInt)*out_len;
    if (deflate(z, Z_FINISH) != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    *out_len = z->total_out;
    return out;
}

/* The ETag of the gzip form of an answer whose plain ETag is plain. */
static void
etag_gz(const char *plain, char out[80])
{
    snprintf(out, 80, "%.*s-gz\"", (int)strlen(plain) - 1, plain);
}

/* A strong validator: a digest of the representation's bytes. */
static void
etag_of(const char *data, size_t len, char out[80])
{
    unsigned char h[SHA256_LEN];
    struct buf b;

    crypto_sha256(data, len, h);
    buf_init(&b);
    buf_addc(&b, '"');
    base64url_encode(&b, h, 16);
    buf_addc(&b, '"');
    snprintf(out, 80, "%s", b.data);
    buf_release(&b);
}

/* True when list, the value of If-None-Match or If-Match (entity tags
 * separated by commas, or *), names etag.  strong: a weak tag (W/"...")
 * names nothing, as If-Match compares; else only its opaque part counts. */
static bool
etag_listed(const char *list, const char *etag, bool strong)
{
    size_t elen = strlen(etag);
    const char *p = list;

    while (*p != '\0') {
        const char *tag, *end;
        bool weak = false;
        size_t n;

        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0) {
            weak = true;
            p += 2;
        }
        tag = p;
        end = strchr(p, ',');
        n = end != NULL ? (size_t)(end - p) : strlen(p);
        p += n;
        while (n > 0 && (tag[n - 1] == ' ' || tag[n - 1] == '\t'))
            n--;
        if (n == elen && strncmp(tag, etag, n) == 0 && !(strong && weak))
            return true;
    }
    return false;
}

bool
resp_not_modified(struct req *rq, const char *etag)
{
    const char *inm = req_header(rq, "If-None-Match");

    return inm != NULL && etag_listed(inm, etag, false);
}

/* A JSON body as sent: compact, with a final newline (a new string). */
static char *
json_text(const json_t *body, size_t *len)
{
    char *text = json_dumps(body, JSON_COMPACT);
    struct buf b;

    buf_init(&b);
    buf_adds(&b, text != NULL ? text : "null");
    buf_addc(&b, '\n');
    free(text);
    return buf_detach(&b, len);
}

/* True when rq has If-Match and it names neither plain, an uncompressed
 * representation's ETag, nor the tag of its gzip form: both name the same
 * state. */
static bool
match_fails(struct req *rq, const char *plain)
{
    const char *im = req_header(rq, "If-Match");
    char gz[80];

    if (im == NULL)
        return false;
    etag_gz(plain, gz);
    return !etag_listed(im, plain, true) && !etag_listed(im, gz, true);
}

/* The ETag (uncompressed) of what a GET of rq's path without parameters
 * answers, by the route get; false when it answers no single object (an
 * unknown id, or a list). */
static bool
current_etag(struct req *rq, const struct route *get, char out[80])
{
    struct resp rs = {.status = 200};
    struct err_info saved = rq->ei;
    size_t nparams = rq->nparams, len;
    bool ok;

    rq->nparams = 0;
    ok = get->handler(rq, &rs) == ERR_OK && json_is_object(rs.body) &&
         !json_is_array(json_object_get(rs.body, "data"));
    rq->nparams = nparams;
    rq->ei = saved;
    if (ok) {
        char *text = json_text(rs.body, &len);

        etag_of(text, len, out);
        free(text);
    }
    resp_release(&rs);
    return ok;
}

enum err
resp_preconditions(struct req *rq)
{
    const char *inm = req_header(rq, "If-None-Match");
    const struct route *get;
    char etag[80], gz[80];

    if (req_header(rq, "If-Match") == NULL && inm == NULL)
        return ERR_OK;
    get = router_sibling(rq->matched, M_GET);
    /* nothing to compare with: the request answers for itself (a 404) */
    if (get == NULL || !current_etag(rq, get, etag))
        return ERR_OK;
    if (match_fails(rq, etag))
        return err_set(&rq->ei, ERR_PRECONDITION,
                       "%.80s has changed since the ETag in If-Match was read; it is "
                       "now %s",
                       rq->path, etag);
    /* a tag read with gzip names the same state */
    etag_gz(etag, gz);
    if (inm != NULL && (etag_listed(inm, etag, false) || etag_listed(inm, gz, false)))
        return err_set(&rq->ei, ERR_PRECONDITION,
                       "If-None-Match names %.80s as it is now (%s)", rq->path, etag);
    return ERR_OK;
}

/* For a GET or HEAD whose If-Match names another state than plain, the
 * answer's uncompressed ETag: releases rs and queues a 412 in *ret. */
static bool
read_precondition_failed(struct req *rq, struct resp *rs, const char *plain,
                         enum MHD_Result *ret)
{
    if (!match_fails(rq, plain))
        return false;
    resp_release(rs);
    err_set(&rq->ei, ERR_PRECONDITION,
            "If-Match names another state of %.80s; it is now %s", rq->path, plain);
    *ret = resp_send(rq, rs, ERR_PRECONDITION);
    return true;
}

/* Adds the common headers and queues r; releases rs. */
static enum MHD_Result
queue(struct req *rq, struct resp *rs, struct MHD_Response *r, const char *ctype)
{
    const char *origin = req_header(rq, "Origin");
    enum MHD_Result ret;

    if (ctype != NULL)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    MHD_add_response_header(r, "X-Request-Id", rq->request_id);
    /* what the answer depends on besides the URL, for caches: a body's
     * format (lists choose it by Accept) and encoding, and the origin */
    if (rs->vary_encoding || rq->srv->cfg->ncors > 0)
        MHD_add_response_header(r, "Vary",
                                !rs->vary_encoding ? "Origin"
                                : rq->srv->cfg->ncors == 0
                                    ? "Accept, Accept-Encoding"
                                    : "Accept, Accept-Encoding, Origin");
    if (rq->srv->cfg->ncors > 0) {
        if (origin != NULL && cors_allowed(rq->srv->cfg, origin)) {
            MHD_add_response_header(r, "Access-Control-Allow-Origin", origin);
            MHD_add_response_header(
                r, "Access-Control-Expose-Headers",
                "Link, ETag, Location, Retry-After, X-Request-Id, X-Total-Count");
        }
    }
    if (atomic_load(&rq->srv->draining))
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    for (size_t i = 0; i < rs->nheaders; i++)
        MHD_add_response_header(r, rs->headers[i].name, rs->headers[i].value);
    rq->status = rs->status ? rs->status : 200;
    /* counted when the answer is ready, so that a client that reads the
     * metrics next sees it */
    metrics_record(rq->srv->metrics, rq->match_rc == ERR_OK ? rq->matched : NULL,
                   rq->status, now_us() - rq->t0us);
    ret = MHD_queue_response(rq->conn, rq->status, r);
    MHD_destroy_response(r);
    resp_release(rs);
    return ret;
}

static enum MHD_Result
resp_send_stream(struct req *rq, struct resp *rs)
{
    const char *ctype = format_content_type(rs->format);
    bool gz = resp_wants_gzip(rq, ctype);
    struct MHD_Response *r;
    enum MHD_Result ret;

    if (rs->etag[0] != '\0' && read_precondition_failed(rq, rs, rs->etag, &ret))
        return ret;
    rs->vary_encoding = true;
    resp_header(rs, "Cache-Control", "%s",
                rs->cache != NULL ? rs->cache : "public, max-age=60");
    if (rs->etag[0] != '\0') {
        char etag[80];

        if (gz)
            etag_gz(rs->etag, etag);
        else
            snprintf(etag, sizeof(etag), "%s", rs->etag);
        resp_header(rs, "ETag", "%s", etag);
        if (resp_not_modified(rq, etag)) {
            rs->status = 304;
            r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
            return queue(rq, rs, r, NULL);
        }
    }
    if (gz)
        resp_header(rs, "Content-Encoding", "gzip");
    rq->bytes = 0;
    r = render_stream(rs, gz, &rq->bytes);
    if (r == NULL) {
        resp_release(rs);
        return MHD_NO;
    }
    return queue(rq, rs, r, ctype);
}

/* The value of a header a handler set, or NULL. */
static const char *
resp_header_value(const struct resp *rs, const char *name)
{
    for (size_t i = 0; i < rs->nheaders; i++)
        if (strcasecmp(rs->headers[i].name, name) == 0)
            return rs->headers[i].value;
    return NULL;
}

/* The headers of a 200 to GET; true (and a 304 queued in *ret) when the
 * client has it already. */
static bool
representation_headers(struct req *rq, struct resp *rs, const char *etag,
                       const char *ctype, const char *cache_control, enum MHD_Result *ret)
{
    rs->vary_encoding = compressible(ctype);
    resp_header(rs, "ETag", "%s", etag);
    resp_header(rs, "Cache-Control", "%s",
                cache_control != NULL ? cache_control : "public, max-age=60");
    if (!resp_not_modified(rq, etag))
        return false;
    rs->status = 304;
    rq->bytes = 0;
    *ret = queue(rq, rs, MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT),
                 NULL);
    return true;
}

/* Queues a body of len bytes (taking text) as a 200. */
static enum MHD_Result
queue_body(struct req *rq, struct resp *rs, char *text, size_t len, bool gz,
           const char *ctype)
{
    struct MHD_Response *r;

    if (gz)
        resp_header(rs, "Content-Encoding", "gzip");
    r = MHD_create_response_from_buffer_with_free_callback(len, text, free);
    if (r == NULL) {
        free(text);
        resp_release(rs);
        return MHD_NO;
    }
    rq->bytes = rq->method == M_HEAD ? 0 : len;
    return queue(rq, rs, r, ctype);
}

enum MHD_Result
resp_send_cached(struct req *rq, struct resp *rs, struct cached *e)
{
    bool gz = e->gz && resp_wants_gzip(rq, e->ctype);
    enum MHD_Result ret;
    char etag[80];
    char *text;

    if (read_precondition_failed(rq, rs, e->etag, &ret)) {
        cached_release(e);
        return ret;
    }
    if (gz)
        etag_gz(e->etag, etag);
    else
        snprintf(etag, sizeof(etag), "%s", e->etag);
    if (e->link != NULL)
        resp_header(rs, "Link", "%s", e->link);
    if (e->total != NULL)
        resp_header(rs, "X-Total-Count", "%s", e->total);
    if (representation_headers(rq, rs, etag, e->ctype, e->cache_control, &ret)) {
        cached_release(e);
        return ret;
    }
    if (e->gz && !gz) {
        text = cached_inflate(e);
    } else {
        text = xmalloc(e->body_len + 1);
        memcpy(text, e->body, e->body_len);
    }
    ret = text != NULL
              ? queue_body(rq, rs, text, gz ? e->body_len : e->plain_len, gz, e->ctype)
              : MHD_NO;
    if (text == NULL)
        resp_release(rs);
    cached_release(e);
    return ret;
}

/* A 200 to GET: validated by its ETag (a 304 when the client has it),
 * compressed when the client takes gzip and it is worth it, cacheable,
 * and kept in the server's cache when the route allows. */
static enum MHD_Result
send_representation(struct req *rq, struct resp *rs, char *text, size_t len,
                    const char *ctype)
{
    bool gz = len >= GZIP_MIN && resp_wants_gzip(rq, ctype);
    enum MHD_Result ret;
    char plain[80], etag[80];
    size_t zlen = 0;
    char *z = NULL;

    etag_of(text, len, plain);
    if (read_precondition_failed(rq, rs, plain, &ret)) {
        free(text);
        return ret;
    }
    /* compressed once, for this client and for the cache's later ones */
    if (len >= GZIP_MIN && (gz || rq->cache_key != NULL) && compressible(ctype))
        z = gzip_body(text, len, &zlen);
    gz = gz && z != NULL;
    if (rq->cache_key != NULL)
        cache_put(rq->srv->cache, rq->cache_key, rq->cache_epoch, text, len, z, zlen,
                  ctype, plain, rs->cache, resp_header_value(rs, "Link"),
                  resp_header_value(rs, "X-Total-Count"));
    if (gz)
        etag_gz(plain, etag);
    else
        snprintf(etag, sizeof(etag), "%s", plain);
    if (representation_headers(rq, rs, etag, ctype, rs->cache, &ret)) {
        free(text);
        free(z);
        return ret;
    }
    if (gz) {
        free(text);
        return queue_body(rq, rs, z, zlen, true, ctype);
    }
    free(z);
    return queue_body(rq, rs, text, len, false, ctype);
}

/* The rows of a list as CSV or NDJSON text; the envelope's total moves to
 * a header. */
static char *
render_list(struct resp *rs, size_t *len)
{
    const json_t *total = json_object_get(rs->body, "total");
    struct buf b;
    size_t i;
    json_t *row;

    buf_init(&b);
    if (rs->format == OUT_CSV)
        render_csv_header(&b, rs->columns);
    json_array_foreach (json_object_get(rs->body, "data"), i, row) {
        render_row(&b, row, rs->format, rs->columns);
    }
    if (json_is_integer(total))
        resp_header(rs, "X-Total-Count", "%" JSON_INTEGER_FORMAT,
                    json_integer_value(total));
    return buf_detach(&b, len);
}

enum MHD_Result
resp_send(struct req *rq, struct resp *rs, enum err rc)
{
    const char *ctype = "application/json";
    struct MHD_Response *r;
    size_t len;
    char *text;

    if (rc == ERR_OK && rs->stream.next != NULL)
        return resp_send_stream(rq, rs);
    if (rc != ERR_OK) {
        if (rq->ei.code == ERR_OK)
            err_set(&rq->ei, rc, "%s", err_title(rc));
        hide_internal(rq);
        json_decref(rs->body);
        free(rs->text);
        rs->text = NULL;
        rs->body = problem_new(&rq->ei, rq->target);
        if (rs->problem_extra != NULL)
            json_object_update_missing(rs->body, rs->problem_extra);
        rs->status = err_http_status(rq->ei.code);
        ctype = "application/problem+json";
        /* the database busy with another writer, or not ready: a client
         * may try again in a moment */
        if (rq->ei.code == ERR_UNAVAILABLE)
            resp_header(rs, "Retry-After", "1");
        if (rq->ei.code == ERR_UNAUTHORIZED)
            resp_header(rs, "WWW-Authenticate", "Bearer realm=\"gazette\"%s",
                        req_header(rq, "Authorization") != NULL
                            ? ", error=\"invalid_token\""
                            : "");
    }
    if (rs->body != NULL && rs->format != OUT_JSON &&
        json_is_array(json_object_get(rs->body, "data"))) {
        text = render_list(rs, &len);
        ctype = format_content_type(rs->format);
    } else if (rs->body != NULL) {
        text = json_text(rs->body, &len);
    } else if (rs->text != NULL) {
        text = rs->text;
        len = rs->text_len;
        rs->text = NULL;
        ctype = rs->content_type;
    } else {
        text = xstrdup("");
        len = 0;
        ctype = NULL;
    }
    if (rc == ERR_OK && (rq->method == M_GET || rq->method == M_HEAD) &&
        (rs->status == 0 || rs->status == 200))
        return send_representation(rq, rs, text, len, ctype);
    resp_header(rs, "Cache-Control", "no-store");
    r = MHD_create_response_from_buffer_with_free_callback(len, text, free);
    if (r == NULL) {
        free(text);
        resp_release(rs);
        return MHD_NO;
    }
    rq->bytes = rq->method == M_HEAD ? 0 : len;
    return queue(rq, rs, r, ctype);
}
