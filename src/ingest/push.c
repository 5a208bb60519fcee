/* push.c - records from bytes that arrive in pieces (an HTTP upload):
 * each piece is cut after its last complete record, which is read with the
 * same readers as files; the rest waits for the next piece.  Memory holds
 * one piece and one incomplete record, except for JSON arrays, which are
 * read whole at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/buf.h"
#include "gazette/ingest.h"
#include "gazette/xalloc.h"

struct ingest_push {
    enum ingest_format fmt;
    char *name;
    struct buf pending; /* bytes not read yet */
    long lines;         /* lines read before pending */
};

struct ingest_push *
ingest_push_new(enum ingest_format fmt, const char *name)
{
    struct ingest_push *p = xcalloc(1, sizeof(*p));

    p->fmt = fmt;
    p->name = xstrdup(name);
    buf_init(&p->pending);
    return p;
}

void
ingest_push_free(struct ingest_push *p)
{
    if (p == NULL)
        return;
    buf_release(&p->pending);
    free(p->name);
    free(p);
}

/* Where the complete records in pending end: after the last newline
 * (NDJSON), or where the last header line starts (raw text). */
static size_t
boundary(const struct ingest_push *p)
{
    const char *s = p->pending.data;
    size_t n = p->pending.len, cut = 0;

    if (p->fmt == FMT_NDJSON) {
        while (n > 0 && s[n - 1] != '\n')
            n--;
        return n;
    }
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);

        if (nl == NULL)
            break; /* an incomplete line may be a header still arriving */
        if (i > 0 && raw_is_header(s + i, (size_t)(nl - s - (long)i)))
            cut = i;
        i = (size_t)(nl - s) + 1;
    }
    return cut;
}

static enum err
read_part(struct ingest_push *p, size_t n, struct importer *im, struct err_info *ei)
{
    struct ingest_reader *r;
    FILE *f;

    if (n == 0)
        return ERR_OK;
    f = fmemopen(p->pending.data, n, "r");
    if (f == NULL)
        return err_set(ei, ERR_IO, "cannot read the body");
    r = ingest_reader_new(f, p->name, p->fmt);
    ingest_reader_set_line(r, p->lines);
    import_reader(im, r, p->name, ei);
    ingest_reader_free(r);
    fclose(f);
    for (size_t i = 0; i < n; i++)
        p->lines += p->pending.data[i] == '\n';
    memmove(p->pending.data, p->pending.data + n, p->pending.len - n);
    p->pending.len -= n;
    p->pending.data[p->pending.len] = '\0';
    return ei->code;
}

enum err
ingest_push_feed(struct ingest_push *p, const char *data, size_t len, struct importer *im,
                 struct err_info *ei)
{
    buf_add(&p->pending, data, len);
    if (p->fmt == FMT_JSON)
        return ERR_OK;
    return read_part(p, boundary(p), im, ei);
}

enum err
ingest_push_end(struct ingest_push *p, struct importer *im, struct err_info *ei)
{
    return read_part(p, p->pending.len, im, ei);
}
