/* xalloc.h - allocation that cannot fail: on exhaustion the process logs
 * and aborts, as a server that cannot allocate a few bytes cannot answer. */
#ifndef GAZETTE_XALLOC_H
#define GAZETTE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
