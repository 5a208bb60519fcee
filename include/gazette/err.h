/* err.h - one error enum for the whole program, and the info struct that
 * carries a message for the client next to it. */
#ifndef GAZETTE_ERR_H
#define GAZETTE_ERR_H

#include <stddef.h>

/* name, HTTP status, status phrase (the problem+json title) */
#define ERR_TABLE(X)                                                                     \
    X(OK, 200, "OK")                                                                     \
    X(INVALID, 400, "Bad Request")                                                       \
    X(UNAUTHORIZED, 401, "Unauthorized")                                                 \
    X(FORBIDDEN, 403, "Forbidden")                                                       \
    X(NOT_FOUND, 404, "Not Found")                                                       \
    X(METHOD, 405, "Method Not Allowed")                                                 \
    X(NOT_ACCEPTABLE, 406, "Not Acceptable")                                             \
    X(CONFLICT, 409, "Conflict")                                                         \
    X(PRECONDITION, 412, "Precondition Failed")                                          \
    X(TOO_LARGE, 413, "Content Too Large")                                               \
    X(URI_TOO_LONG, 414, "URI Too Long")                                                 \
    X(MEDIA_TYPE, 415, "Unsupported Media Type")                                         \
    X(UNPROCESSABLE, 422, "Unprocessable Content")                                       \
    X(TOO_MANY, 429, "Too Many Requests")                                                \
    X(HEADERS_TOO_LARGE, 431, "Request Header Fields Too Large")                         \
    X(STORE, 500, "Internal Server Error")                                               \
    X(UNAVAILABLE, 503, "Service Unavailable")                                           \
    X(FULL, 507, "Insufficient Storage")                                                 \
    X(IO, 500, "Internal Server Error")

enum err {
#define ERR_ENUM(name, status, title) ERR_##name,
    ERR_TABLE(ERR_ENUM)
#undef ERR_ENUM
};

#define ERR_MAX_FIELDS 8

/* One complaint about one named input (a query parameter, a JSON field). */
struct err_field {
    char field[48];
    char message[320];
};

/* Caller-owned, never allocates.  The first error wins: later err_set()
 * calls keep the code and detail that were set first, so the innermost
 * failure reaches the client. */
struct err_info {
    enum err code;
    char detail[320];
    size_t nfields;
    struct err_field fields[ERR_MAX_FIELDS];
};

/* Sets code and a printf-style detail unless an error is already set.
 * Returns the code that is now in ei, for `return err_set(...)`. */
enum err err_set(struct err_info *ei, enum err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records a complaint about one input field and sets ERR_INVALID with the
 * same text as detail if nothing was set before.  Returns ERR_INVALID. */
enum err err_field(struct err_info *ei, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Forgets any error in ei. */
void err_clear(struct err_info *ei);

unsigned err_http_status(enum err code);
const char *err_title(enum err code);

#endif
