/* buf.c - growable NUL-terminated byte buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/buf.h"
#include "gazette/xalloc.h"

static char empty[1];

void
buf_init(struct buf *b)
{
    b->data = empty;
    b->len = 0;
    b->cap = 0;
}

void
buf_release(struct buf *b)
{
    if (b->cap != 0)
        free(b->data);
    buf_init(b);
}

void
buf_reset(struct buf *b)
{
    if (b->data == NULL)
        buf_init(b);
    b->len = 0;
    if (b->cap != 0)
        b->data[0] = '\0';
}

void
buf_grow(struct buf *b, size_t extra)
{
    size_t need;

    if (b->data == NULL)
        buf_init(b);
    need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    if (b->cap == 0) {
        b->data = xmalloc(cap);
        b->data[0] = '\0';
    } else {
        b->data = xrealloc(b->data, cap);
    }
    b->cap = cap;
}

void
buf_add(struct buf *b, const void *data, size_t len)
{
    buf_grow(b, len);
    if (len != 0)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
    buf_add(b, &c, 1);
}

void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    buf_grow(b, 64);
    va_copy(cp, ap);
    n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, cp);
    va_end(cp);
    if (n < 0)
        return;
    if ((size_t)n >= b->cap - b->len) {
        buf_grow(b, (size_t)n);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    }
    b->len += (size_t)n;
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    buf_vaddf(b, fmt, ap);
    va_end(ap);
}

char *
buf_detach(struct buf *b, size_t *len)
{
    char *p;

    if (b->data == NULL || b->cap == 0)
        p = xstrdup("");
    else
        p = b->data;
    if (len != NULL)
        *len = b->len;
    buf_init(b);
    return p;
}
