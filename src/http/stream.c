/* stream.c - responses whose rows are pulled and rendered one at a time,
 * optionally gzip-compressed as they go, so that memory stays bounded
 * however long the list. */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gazette/log.h"
#include "gazette/xalloc.h"
#include "internal.h"

struct streamer {
    struct resp_stream src;
    enum out_format fmt;
    json_t *columns;
    struct buf plain;   /* rendered rows not yet compressed */
    struct buf pending; /* bytes ready to send */
    size_t sent;        /* of pending, already handed to MHD */
    bool started, done, failed, finished;
    bool gz;
    z_stream z;
    long rows;
    size_t *total; /* bytes sent, counted where the request can read them */
};

/* Renders rows into plain until it holds at least want bytes or the rows
 * end. */
static void
fill(struct streamer *s, size_t want)
{
    while (!s->done && s->plain.len < want) {
        struct err_info ei = {0};
        json_t *row;

        if (!s->started) {
            s->started = true;
            if (s->fmt == OUT_CSV)
                render_csv_header(&s->plain, s->columns);
            else if (s->fmt == OUT_JSON)
                buf_addc(&s->plain, '[');
        }
        row = s->src.next(s->src.ctx, &ei);
        if (row == NULL) {
            s->done = true;
            s->failed = ei.code != ERR_OK;
            if (s->failed)
                log_at(LL_ERROR, "msg=\"export failed\" detail=\"%s\"", ei.detail);
            else if (s->fmt == OUT_JSON)
                buf_adds(&s->plain, "]\n");
            break;
        }
        if (s->fmt == OUT_JSON && s->rows > 0)
            buf_adds(&s->plain, ",\n");
        render_row(&s->plain, row, s->fmt == OUT_JSON ? OUT_NDJSON : s->fmt, s->columns);
        if (s->fmt == OUT_JSON)
            s->plain.len--; /* the newline of the NDJSON form */
        s->rows++;
        json_decref(row);
    }
}

/* Compresses plain into pending; flushes the end when the rows are done. */
static void
deflate_plain(struct streamer *s)
{
    int flush = s->done ? Z_FINISH : Z_NO_FLUSH;
    int rc;

    s->z.next_in = (Bytef *)s->plain.data;
    s->z.avail_in = (uInt)s->plain.len;
    do {
        buf_grow(&s->pending, 16 * 1024);
        s->z.next_out = (Bytef *)s->pending.data + s->pending.len;
        s->z.avail_out = (uInt)(s->pending.cap - s->pending.len - 1);
        rc = deflate(&s->z, flush);
        s->pending.len = s->pending.cap - 1 - s->z.avail_out;
    } while (s->z.avail_out == 0 || (flush == Z_FINISH && rc == Z_OK));
    if (rc == Z_STREAM_END)
        s->finished = true;
    else if (rc != Z_OK && rc != Z_BUF_ERROR)
        s->failed = s->finished = true;
    buf_reset(&s->plain);
}

/* Makes pending hold the next bytes to send, if any are left. */
static void
refill(struct streamer *s, size_t want)
{
    buf_reset(&s->pending);
    s->sent = 0;
    while (s->pending.len == 0 && !s->finished) {
        fill(s, want);
        if (s->gz) {
            deflate_plain(s);
        } else {
            buf_add(&s->pending, s->plain.data, s->plain.len);
            buf_reset(&s->plain);
            s->finished = s->done;
        }
    }
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *out, size_t max)
{
    struct streamer *s = cls;
    size_t n;

    (void)pos;
    if (s->sent == s->pending.len)
        refill(s, max);
    n = s->pending.len - s->sent;
    if (n == 0)
        return s->failed ? MHD_CONTENT_READER_END_WITH_ERROR
                         : MHD_CONTENT_READER_END_OF_STREAM;
    if (n > max)
        n = max;
    memcpy(out, s->pending.data + s->sent, n);
    s->sent += n;
    *s->total += n;
    return (ssize_t)n;
}

static void
stream_free(void *cls)
{
    struct streamer *s = cls;

    if (s->src.free != NULL)
        s->src.free(s->src.ctx);
    if (s->gz)
        deflateEnd(&s->z);
    json_decref(s->columns);
    buf_release(&s->plain);
    buf_release(&s->pending);
    free(s);
}

struct MHD_Response *
render_stream(struct resp *rs, bool gz, size_t *sent)
{
    struct streamer *s = xcalloc(1, sizeof(*s));

    s->total = sent;
    s->src = rs->stream;
    s->fmt = rs->format;
    s->columns = json_incref(rs->columns);
    buf_init(&s->plain);
    buf_init(&s->pending);
    s->gz =
        gz && deflateInit2(&s->z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    memset(&rs->stream, 0, sizeof(rs->stream)); /* the streamer owns it now */
    return MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, stream_read, s,
                                             stream_free);
}
