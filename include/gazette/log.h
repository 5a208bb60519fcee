/* log.h - one line per event on stderr, key=value style. */
#ifndef GAZETTE_LOG_H
#define GAZETTE_LOG_H

enum log_level { LL_DEBUG, LL_INFO, LL_WARN, LL_ERROR, LL_OFF };

extern enum log_level log_threshold;

/* Writes "level=... msg" with a timestamp; thread-safe (one write(2)). */
void log_write(enum log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes an already formatted line as it is, plus a newline, in one
 * write(2) whatever its length, so that threads do not mix lines. */
void log_raw(const char *line, size_t len);

/* Parses "debug", "info", "warn", "error" or "off"; returns -1 if unknown. */
int log_level_parse(const char *name);

#define log_at(lvl, ...)                                                                 \
    do {                                                                                 \
        if ((lvl) >= log_threshold)                                                      \
            log_write((lvl), __VA_ARGS__);                                               \
    } while (0)

#endif
