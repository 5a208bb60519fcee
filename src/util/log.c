/* log.c - stderr logging, one write(2) per line so threads do not mix. */
#include <stdarg.h>
#include <stdio.h>
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
    char tail = '\n';
    ssize_t n;

    /* Two writes would let another thread's line in between; copy small
     * lines into one buffer instead. */
    if (len < 4096) {
        char tmp[4097];

        memcpy(tmp, line, len);
        tmp[len] = '\n';
        n = write(STDERR_FILENO, tmp, len + 1);
    } else {
        n = write(STDERR_FILENO, line, len);
        if (n >= 0)
            n = write(STDERR_FILENO, &tail, 1);
    }
    (void)n; /* nowhere to report a failing stderr */
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
