/* log.c - stderr logging, one write(2) per line so threads do not mix. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gazette/log.h"
#include "gazette/util.h"

enum log_level log_threshold = LL_INFO;

static const char *const names[] = {"debug", "info", "warn", "error", "off"};

int
log_level_parse(const char *name)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i]) == 0)
            return (int)i;
    return -1;
}

void
log_raw(const char *line, size_t len)
{
    char tmp[4097], *one = tmp;
    ssize_t n;

    /* Two writes would let another thread's line in between (an access
     * log line for a long URL is longer than 4 KiB): the line and its
     * newline go in one buffer, on the heap for a long one. */
    if (len >= sizeof(tmp) && (one = malloc(len + 1)) == NULL) {
        n = write(STDERR_FILENO, line, len); /* out of memory: as it can */
        n = write(STDERR_FILENO, "\n", 1);
        (void)n;
        return;
    }
    memcpy(one, line, len);
    one[len] = '\n';
    n = write(STDERR_FILENO, one, len + 1);
    (void)n; /* nowhere to report a failing stderr */
    if (one != tmp)
        free(one);
}

void
log_write(enum log_level lvl, const char *fmt, ...)
{
    char line[2048];
    char ts[TIMESTAMP_LEN];
    va_list ap;
    int n;

    timestamp_now(ts);
    n = snprintf(line, sizeof(line), "time=%s level=%s ", ts, names[lvl]);
    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(line))
        n = (int)sizeof(line) - 1;
    log_raw(line, (size_t)n);
}
