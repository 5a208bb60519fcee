/* render.c - a list's rows as CSV (RFC 4180, header row, UTF-8) or
 * NDJSON. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/render.h"

/* The value at a dotted path ("organization.parent.name"), or NULL. */
static const json_t *
path_get(const json_t *row, const char *path)
{
    const json_t *v = row;
    const char *p = path;

    while (v != NULL && *p != '\0') {
        const char *dot = strchr(p, '.');
        size_t n = dot != NULL ? (size_t)(dot - p) : strlen(p);
        char key[64];

        if (!json_is_object(v) || n >= sizeof(key))
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        v = json_object_get(v, key);
        p += n + (dot != NULL);
    }
    return v;
}

static void
scalar_text(struct buf *b, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        buf_add(b, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        buf_addf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        break;
    case JSON_REAL:
        buf_addf(b, "%.17g", json_real_value(v));
        break;
    case JSON_TRUE:
        buf_adds(b, "true");
        break;
    case JSON_FALSE:
        buf_adds(b, "false");
        break;
    default:
        break;
    }
}

/* An object in one cell: what names it best. */
static void
object_text(struct buf *b, const json_t *v)
{
    static const char *const keys[] = {"slug", "name", "text", "id"};

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const json_t *k = json_object_get(v, keys[i]);

        if (k != NULL && !json_is_null(k)) {
            scalar_text(b, k);
            return;
        }
    }
    char *s = json_dumps(v, JSON_COMPACT);
    buf_adds(b, s != NULL ? s : "");
    free(s);
}

/* A cell's text: arrays are joined with "|". */
static void
cell_text(struct buf *b, const json_t *v)
{
    size_t i;
    json_t *e;

    if (v == NULL || json_is_null(v))
        return;
    if (json_is_object(v)) {
        object_text(b, v);
    } else if (json_is_array(v)) {
        json_array_foreach (v, i, e) {
            if (i > 0)
                buf_addc(b, '|');
            if (json_is_object(e))
                object_text(b, e);
            else
                scalar_text(b, e);
        }
    } else {
        scalar_text(b, v);
    }
}

/* One CSV field, quoted when it has to be (RFC 4180). */
static void
csv_field(struct buf *out, const char *s, size_t n)
{
    bool quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');

    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    if (!quote) {
        buf_add(out, s, n);
        return;
    }
    buf_addc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            buf_addc(out, '"');
        buf_addc(out, s[i]);
    }
    buf_addc(out, '"');
}

void
render_csv_header(struct buf *out, const json_t *columns)
{
    size_t i;
    json_t *c;

    json_array_foreach (columns, i, c) {
        if (i > 0)
            buf_addc(out, ',');
        csv_field(out, json_string_value(c), json_string_length(c));
    }
    buf_adds(out, "\r\n");
}

void
render_row(struct buf *out, const json_t *row, enum out_format fmt, const json_t *columns)
{
    struct buf cell;
    size_t i;
    json_t *c;

    if (fmt != OUT_CSV) {
        char *s = json_dumps(row, JSON_COMPACT);

        buf_adds(out, s != NULL ? s : "null");
        buf_addc(out, '\n');
        free(s);
        return;
    }
    buf_init(&cell);
    json_array_foreach (columns, i, c) {
        if (i > 0)
            buf_addc(out, ',');
        buf_reset(&cell);
        cell_text(&cell, path_get(row, json_string_value(c)));
        csv_field(out, cell.data, cell.len);
    }
    buf_release(&cell);
    buf_adds(out, "\r\n");
}

const char *
format_content_type(enum out_format fmt)
{
    switch (fmt) {
    case OUT_CSV:
        return "text/csv; charset=utf-8; header=present";
    case OUT_NDJSON:
        return "application/x-ndjson";
    default:
        return "application/json";
    }
}

int
format_parse(const char *name)
{
    static const char *const names[] = {"json", "csv", "ndjson"};

    for (int i = 0; i < 3; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}
