/* buf.h - a growable byte buffer that is always NUL-terminated.
 * Allocation failure aborts the program (see xalloc.h). */
#ifndef GAZETTE_BUF_H
#define GAZETTE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data; /* never NULL after buf_init(); data[len] == '\0' */
    size_t len;
    size_t cap;
};

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Hands the bytes to the caller (free() them) and leaves b empty. */
char *buf_detach(struct buf *b, size_t *len);

#endif
