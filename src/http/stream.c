/* stream.c - responses whose rows are pulled and rendered one at a time,
 * so that memory stays bounded however long the list. */
#include <stdlib.h>
#include <string.h>

#include "gazette/log.h"
#include "gazette/xalloc.h"
#include "internal.h"

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
