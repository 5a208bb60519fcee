/* request.c - the request target: strict percent-decoding of the path
 * and the query, parameter lookup, headers. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "internal.h"

int64_t
now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) into a new string; plus_space turns '+' into ' ' (query
 * strings).  Returns NULL for a bad escape, invalid UTF-8 or a NUL. */
static char *
decode(const char *s, size_t n, bool plus_space)
{
    char *out = xmalloc(n + 1), *o = out;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            int h = i + 2 < n ? hexval(s[i + 1]) : -1;
            int l = i + 2 < n ? hexval(s[i + 2]) : -1;

            if (h < 0 || l < 0) {
                free(out);
                return NULL;
            }
            *o++ = (char)(h << 4 | l);
            i += 2;
        } else if (plus_space && s[i] == '+') {
            *o++ = ' ';
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    if (!utf8_valid(out, (size_t)(o - out))) {
        free(out);
        return NULL;
    }
    return out;
}

static void
parse_query(struct req *rq, const char *q)
{
    size_t cap = 0;

    while (*q != '\0') {
        const char *amp = strchr(q, '&');
        size_t n = amp != NULL ? (size_t)(amp - q) : strlen(q);
        const char *eq = memchr(q, '=', n);
        size_t nlen = eq != NULL ? (size_t)(eq - q) : n;

        if (n > 0) {
            char *name = decode(q, nlen, true);
            char *value = eq != NULL ? decode(eq + 1, n - nlen - 1, true) : xstrdup("");

            if (name == NULL || value == NULL) {
                free(name);
                free(value);
                err_set(&rq->ei, ERR_INVALID,
                        "the query string has a bad percent-escape or is not UTF-8");
                return;
            }
            if (rq->nparams == REQ_MAX_PARAMS) {
                free(name);
                free(value);
                err_set(&rq->ei, ERR_INVALID, "too many query parameters (at most %d)",
                        REQ_MAX_PARAMS);
                return;
            }
            if (rq->nparams == cap) {
                cap = cap ? cap * 2 : 8;
                rq->params = xrealloc(rq->params, cap * sizeof(*rq->params));
            }
            rq->params[rq->nparams].name = name;
            rq->params[rq->nparams].value = value;
            rq->nparams++;
        }
        q += n;
        if (*q == '&')
            q++;
    }
}

void
req_parse_target(struct req *rq)
{
    const char *t = rq->target, *qm;
    size_t plen;

    if (strlen(t) > URL_MAX) {
        err_set(&rq->ei, ERR_URI_TOO_LONG, "the request target is longer than %d bytes",
                URL_MAX);
        rq->path = xstrdup("/");
        return;
    }
    /* OPTIONS * asks about the server as a whole */
    if (strcmp(t, "*") == 0 && rq->method == M_OPTIONS) {
        rq->path = xstrdup("*");
        return;
    }
    if (t[0] != '/') {
        err_set(&rq->ei, ERR_INVALID,
                "the request target must be a path starting with /");
        rq->path = xstrdup("/");
        return;
    }
    qm = strpbrk(t, "?#");
    plen = qm != NULL ? (size_t)(qm - t) : strlen(t);
    rq->path = decode(t, plen, false);
    if (rq->path == NULL) {
        err_set(&rq->ei, ERR_INVALID,
                "the path has a bad percent-escape or is not UTF-8");
        rq->path = xstrdup("/");
        return;
    }
    /* "/v1/articles/" is "/v1/articles" */
    plen = strlen(rq->path);
    if (plen > 1 && rq->path[plen - 1] == '/')
        rq->path[plen - 1] = '\0';
    if (qm != NULL && *qm == '?') {
        char *query = xstrdup(qm + 1);
        char *hash = strchr(query, '#');

        if (hash != NULL)
            *hash = '\0';
        parse_query(rq, query);
        free(query);
    }
}

void
req_free(struct req *rq)
{
    for (size_t i = 0; i < rq->nparams; i++) {
        free(rq->params[i].name);
        free(rq->params[i].value);
    }
    free(rq->params);
    free(rq->target);
    free(rq->path);
    free(rq->argbuf);
    free(rq->cache_key);
    if (rq->sink.free != NULL)
        rq->sink.free(rq->sink.ctx);
    buf_release(&rq->body);
    free(rq);
}

const char *
req_param(const struct req *rq, const char *name)
{
    for (size_t i = 0; i < rq->nparams; i++)
        if (strcmp(rq->params[i].name, name) == 0)
            return rq->params[i].value;
    return NULL;
}

const char *
req_header(const struct req *rq, const char *name)
{
    if (rq->conn == NULL) /* a request built by hand, as the fuzzers do */
        return NULL;
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

/* The quality the Accept header gives a media type (0 to 1000), or -1
 * when it does not mention the type or a range covering it. */
static int
accept_quality(const char *accept, const char *type)
{
    const char *slash = strchr(type, '/');
    size_t major = (size_t)(slash - type);
    int best = -1, best_spec = -1;
    const char *p = accept;

    while (*p != '\0') {
        const char *end = strchr(p, ',');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        const char *semi = memchr(p, ';', n);
        size_t tlen = semi != NULL ? (size_t)(semi - p) : n;
        int q = 1000, spec = -1;

        while (tlen > 0 && (*p == ' ' || *p == '\t'))
            p++, tlen--, n--;
        while (tlen > 0 && (p[tlen - 1] == ' ' || p[tlen - 1] == '\t'))
            tlen--;
        if (tlen == strlen(type) && strncasecmp(p, type, tlen) == 0)
            spec = 2;
        else if (tlen == major + 2 && strncasecmp(p, type, major + 1) == 0 &&
                 p[major + 1] == '*')
            spec = 1;
        else if (tlen == 3 && strncmp(p, "*/*", 3) == 0)
            spec = 0;
        if (spec >= 0 && semi != NULL) {
            const char *qp = strstr(semi, "q=");

            if (qp != NULL && qp < p + n) {
                double d = strtod(qp + 2, NULL);

                q = d <= 0 ? 0 : d >= 1 ? 1000 : (int)(d * 1000 + 0.5);
            }
        }
        /* the most specific range that covers the type decides */
        if (spec > best_spec) {
            best_spec = spec;
            best = q;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return best;
}

enum err
req_format(struct req *rq, enum out_format *out)
{
    static const struct {
        const char *type;
        enum out_format f;
    } formats[] = {
        {"application/json", OUT_JSON},
        {"text/csv", OUT_CSV},
        {"application/x-ndjson", OUT_NDJSON},
    };
    const char *param = NULL, *accept;
    int best = 0;

    *out = OUT_JSON;
    for (size_t i = 0; i < rq->nparams; i++) {
        if (strcmp(rq->params[i].name, "format") != 0)
            continue;
        if (param != NULL)
            return err_field(&rq->ei, "format", "format may be given only once");
        param = rq->params[i].value;
    }
    if (param != NULL) {
        int f = format_parse(param);

        if (f < 0)
            return err_field(&rq->ei, "format", "format must be json, csv or ndjson");
        *out = (enum out_format)f;
        return ERR_OK;
    }
    accept = req_header(rq, "Accept");
    if (accept == NULL || *accept == '\0')
        return ERR_OK;
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        int q = accept_quality(accept, formats[i].type);

        if (i == 2 && q < 0) /* the other name for NDJSON */
            q = accept_quality(accept, "application/ndjson");
        if (q > best) {
            best = q;
            *out = formats[i].f;
        }
    }
    if (best <= 0)
        return err_set(&rq->ei, ERR_NOT_ACCEPTABLE,
                       "this list is available as application/json, text/csv and "
                       "application/x-ndjson; Accept allows none of them");
    return ERR_OK;
}
