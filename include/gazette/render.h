/* render.h - rows of a list as CSV (RFC 4180, header row, UTF-8) or
 * NDJSON, for HTTP responses and exports alike. */
#ifndef GAZETTE_RENDER_H
#define GAZETTE_RENDER_H

#include <jansson.h>

#include "gazette/buf.h"

/* Representations of a list. */
enum out_format { OUT_JSON, OUT_CSV, OUT_NDJSON };

/* The header line for columns (a JSON array of dotted field paths such
 * as "organization.parent.name"). */
void render_csv_header(struct buf *out, const json_t *columns);

/* Appends row as a CSV line (the cells named by columns; arrays joined
 * with "|", objects by their slug or name) or as an NDJSON line. */
void render_row(struct buf *out, const json_t *row, enum out_format fmt,
                const json_t *columns);

/* "text/csv; charset=utf-8; header=present" and the like. */
const char *format_content_type(enum out_format fmt);

/* Parses "json", "csv" or "ndjson"; -1 if unknown. */
int format_parse(const char *name);

#endif
