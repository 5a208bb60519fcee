/* embedded.h - files compiled into the binary by tools/embed.py. */
#ifndef GAZETTE_EMBEDDED_H
#define GAZETTE_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
    const char *name; /* file name without directories */
    const char *data; /* NUL-terminated */
    size_t len;
};

/* migrations/NNNN_*.sql in version order; version = index + 1 */
extern const struct embedded_file gazette_migrations[];
extern const size_t gazette_migrations_count;

/* docs/openapi.json, served at /v1/openapi.json */
extern const struct embedded_file gazette_openapi[];
extern const size_t gazette_openapi_count;

/* web/: the browser page served at / and /ui/{file} */
extern const struct embedded_file gazette_web[];
extern const size_t gazette_web_count;

#endif
