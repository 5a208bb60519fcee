/* cursor.h - opaque, tamper-evident keyset cursors.
 *
 * A cursor carries the position after which the next page starts and a
 * digest of the query it belongs to (resource, sort, filters), signed
 * with the database's secret.  A cursor that was altered, or that is used
 * with a different query, is refused. */
#ifndef GAZETTE_CURSOR_H
#define GAZETTE_CURSOR_H

#include <jansson.h>

#include "gazette/err.h"

/* The longest cursor text accepted.  The longest position a list makes
 * holds an article title: ARTICLE_MAX_TITLE bytes, up to six each once
 * escaped in JSON, some 8100 characters in a cursor (cursor.c checks the
 * sum).  A longer one could not arrive anyway: it would not fit in a
 * request target (8192 bytes). */
#define CURSOR_MAX_LEN 8192

/* Returns a new string (free() it): the cursor for position pos (borrowed)
 * in the query described by scope. */
char *cursor_encode(const unsigned char key[32], const char *scope, const json_t *pos);

/* Returns the position (a new reference) if text is a cursor signed with
 * key for the same scope, else NULL with ei set (ERR_INVALID). */
json_t *cursor_decode(const unsigned char key[32], const char *scope, const char *text,
                      struct err_info *ei);

#endif
