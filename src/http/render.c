/* render.c - a list's rows as CSV (RFC 4180, header row, UTF-8) or NDJSON,
 * whole or streamed row by row. */
#include <stdlib.h>
#include <string.h>

#include "gazette/log.h"
#include "gazette/xalloc.h"
#include "internal.h"

/* The value at a dotted path ("organization.parent.name"), or NULL. */
static const json_t *
path_get(const json_t *row, const char *path)
{
    const json_t *v = row;
    const char *p = path;

    while (v != NULL && *p != '\0') {
        const char *dot = strchr(p, '.');
        size_t n = dot != NULL ? (size_t)(dot - p) : strlen(p);
        char key[64];

        if (!json_is_object(v) || n >= sizeof(key))
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        v = json_object_get(v, key);
        p += n + (dot != NULL);
    }
    return v;
}

static void
scalar_text(struct buf *b, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        buf_add(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        buf_addf(b, "%.17g", json_real_value(v));
        break;
    case JSON_TRUE:
        buf_adds(b, "true");
        break;
    case JSON_FALSE:
        buf_adds(b, "false");
        break;
    default:
        break;
    }
}

/* An object in one cell: what names it best. */
static void
object_text(struct buf *b, const json_t *v)
{
    static const char *const keys[] = {"slug", "name", "text", "id"};

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const json_t *k = json_object_get(v, keys[i]);

        if (k != NULL && !json_is_null(k)) {
            scalar_text(b, k);
            return;
        }
    }
    char *s = json_dumps(v, JSON_COMPACT);
    buf_adds(b, s != NULL ? s : "");
    free(s);
}

/* A cell's text: arrays are joined with "|". */
static void
cell_text(struct buf *b, const json_t *v)
{
    size_t i;
    json_t *e;

    if (v == NULL || json_is_null(v))
        return;
    if (json_is_object(v)) {
        object_text(b, v);
    } else if (json_is_array(v)) {
        json_array_foreach (v, i, e) {
            if (i > 0)
                buf_addc(b, '|');
            if (json_is_object(e))
                object_text(b, e);
            else
                scalar_text(b, e);
        }
    } else {
        scalar_text(b, v);
    }
}

/* One CSV field, quoted when it has to be (RFC 4180). */
static void
csv_field(struct buf *out, const char *s, size_t n)
{
    bool quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');

    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) {
        buf_add(out, s, n);
        return;
    }
    buf_addc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            buf_addc(out, '"');
        buf_addc(out, s[i]);
    }
    buf_addc(out, '"');
}

void
render_csv_header(struct buf *out, const json_t *columns)
{
    size_t i;
    json_t *c;

    json_array_foreach (columns, i, c) {
        if (i > 0)
            buf_addc(out, ',');
        csv_field(out, json_string_value(c), json_string_length(c));
    }
    buf_adds(out, "\r\n");
}

void
render_row(struct buf *out, const json_t *row, enum out_format fmt, const json_t *columns)
{
    struct buf cell;
    size_t i;
    json_t *c;

    if (fmt != OUT_CSV) {
        char *s = json_dumps(row, JSON_COMPACT);

        buf_adds(out, s != NULL ? s : "null");
        buf_addc(out, '\n');
        free(s);
        return;
    }
    buf_init(&cell);
    json_array_foreach (columns, i, c) {
        if (i > 0)
            buf_addc(out, ',');
        buf_reset(&cell);
        cell_text(&cell, path_get(row, json_string_value(c)));
        csv_field(out, cell.data, cell.len);
    }
    buf_release(&cell);
    buf_adds(out, "\r\n");
}

const char *
format_content_type(enum out_format fmt)
{
    switch (fmt) {
    case OUT_CSV:
        return "text/csv; charset=utf-8; header=present";
    case OUT_NDJSON:
        return "application/x-ndjson";
    default:
        return "application/json";
    }
}

/* ---- streaming ---- */

struct streamer {
    struct resp_stream src;
    enum out_format fmt;
    json_t *columns;
    struct buf pending;
    size_t sent; /* bytes of pending already handed to MHD */
    bool started, done, failed;
    long rows;
};

/* Renders rows into pending until there is at least want bytes or the
 * rows end. */
static void
fill(struct streamer *s, size_t want)
{
    while (!s->done && s->pending.len - s->sent < want) {
        struct err_info ei = {0};
        json_t *row;

        if (!s->started) {
            s->started = true;
            if (s->fmt == OUT_CSV)
                render_csv_header(&s->pending, s->columns);
            else if (s->fmt == OUT_JSON)
                buf_addc(&s->pending, '[');
        }
        row = s->src.next(s->src.ctx, &ei);
        if (row == NULL) {
            s->done = true;
            s->failed = ei.code != ERR_OK;
            if (s->failed)
                log_at(LL_ERROR, "msg=\"export failed\" detail=\"%s\"", ei.detail);
            else if (s->fmt == OUT_JSON)
                buf_adds(&s->pending, "]\n");
            break;
        }
        if (s->fmt == OUT_JSON && s->rows > 0)
            buf_adds(&s->pending, ",\n");
        render_row(&s->pending, row, s->fmt == OUT_JSON ? OUT_NDJSON : s->fmt,
                   s->columns);
        if (s->fmt == OUT_JSON)
            s->pending.len--; /* the newline of the NDJSON form */
        s->rows++;
        json_decref(row);
    }
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
    struct streamer *s = cls;
    size_t n;

    (void)pos;
    if (s->sent == s->pending.len) {
        /* start a fresh buffer so memory stays bounded by one chunk */
        buf_reset(&s->pending);
        s->sent = 0;
        fill(s, max);
    }
    n = s->pending.len - s->sent;
    if (n == 0)
        return s->failed ? MHD_CONTENT_READER_END_WITH_ERROR
                         : MHD_CONTENT_READER_END_OF_STREAM;
    if (n > max)
        n = max;
    memcpy(out, s->pending.data + s->sent, n);
    s->sent += n;
    return (ssize_t)n;
}

static void
stream_free(void *cls)
{
    struct streamer *s = cls;

    if (s->src.free != NULL)
        s->src.free(s->src.ctx);
    json_decref(s->columns);
    buf_release(&s->pending);
    free(s);
}

struct MHD_Response *
render_stream(struct resp *rs)
{
    struct streamer *s = xcalloc(1, sizeof(*s));

    s->src = rs->stream;
    s->fmt = rs->format;
    s->columns = json_incref(rs->columns);
    buf_init(&s->pending);
    memset(&rs->stream, 0, sizeof(rs->stream)); /* the streamer owns it now */
    return MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, s,
                                             stream_free);
}
