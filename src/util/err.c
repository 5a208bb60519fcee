/* err.c - the error table and the first-error-wins setters. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gazette/err.h"

static const struct {
    unsigned status;
    const char *title;
} table[] = {
#define ERR_ROW(name, status, title) {status, title},
    ERR_TABLE(ERR_ROW)
#undef ERR_ROW
};

unsigned
err_http_status(enum err code)
{
    if ((size_t)code >= sizeof(table) / sizeof(table[0]))
        return 500;
    return table[code].status;
}

const char *
err_title(enum err code)
{
    if ((size_t)code >= sizeof(table) / sizeof(table[0]))
        return "Internal Server Error";
    return table[code].title;
}

enum err
err_set(struct err_info *ei, enum err code, const char *fmt, ...)
{
    va_list ap;

    if (ei->code != ERR_OK)
        return ei->code;
    ei->code = code;
    va_start(ap, fmt);
    vsnprintf(ei->detail, sizeof(ei->detail), fmt, ap);
    va_end(ap);
    return code;
}

enum err
err_field(struct err_info *ei, const char *field, const char *fmt, ...)
{
    struct err_field *f;
    va_list ap;

    if (ei->code != ERR_OK && ei->code != ERR_INVALID)
        return ei->code;
    if (ei->nfields >= ERR_MAX_FIELDS)
        return ERR_INVALID;
    f = &ei->fields[ei->nfields++];
    snprintf(f->field, sizeof(f->field), "%s", field);
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof(f->message), fmt, ap);
    va_end(ap);
    if (ei->code == ERR_OK) {
        ei->code = ERR_INVALID;
        snprintf(ei->detail, sizeof(ei->detail), "%s", f->message);
    }
    return ERR_INVALID;
}

void
err_clear(struct err_info *ei)
{
    ei->code = ERR_OK;
    ei->detail[0] = '\0';
    ei->nfields = 0;
}
