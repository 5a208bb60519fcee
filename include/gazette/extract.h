/* extract.h - finding who is quoted in an article, what they said, the
 * organizations they speak for and the themes the article covers.
 *
 * Extraction is deterministic and local: word lists and patterns, no
 * network and no model.  docs/extraction.md describes the rules, their
 * measured quality and their known limits. */
#ifndef GAZETTE_EXTRACT_H
#define GAZETTE_EXTRACT_H

#include <jansson.h>

#include "gazette/err.h"

struct extract_catalog; /* compiled theme matcher */

/* themes: JSON array of {"slug","name","keywords":[phrase,...]} (borrowed;
 * "keywords" may also be the JSON text of such an array, as stored).
 * Returns a new catalog, or NULL with ei set (ERR_INVALID) when themes is
 * not of that shape.  The catalog keeps no reference to themes and is
 * read-only once built, so threads may share it. */
struct extract_catalog *extract_catalog_new(const json_t *themes, struct err_info *ei);

/* Frees cat; NULL is allowed. */
void extract_catalog_free(struct extract_catalog *cat);

/* Finds quotes, organizations and themes in an article (title may be NULL;
 * body is UTF-8 of body_len bytes, paragraphs separated by "\n\n"; cat may
 * be NULL for no theme tagging).  Returns a new object
 *  {"quotes":[{"text","kind":"direct"|"indirect","start","end",
 *              "official":{"name"},"title":str|null,
 *              "organization":{"name","parent":{"name","parent":null}|null}|null}],
 *   "organizations":[{"name","parent":{"name"}|null}],
 *   "themes":[{"slug","name","matches":["phrase",...],"score":number}]}
 * start/end are Unicode code-point offsets into body (end exclusive) of
 * the quote text.  Names, titles and organization names are at most
 * ARTICLE_MAX_SHORT bytes, as a stored article takes them: a longer title
 * or organization is left out, and a quote whose speaker's name is longer
 * is.  Returns NULL with ERR_INVALID and a clear detail for
 * invalid UTF-8 (or NUL bytes) in title or body.  Never crashes on any
 * input; the work is linear in the size of the text.  Thread-safe. */
json_t *extract_article(const struct extract_catalog *cat, const char *title,
                        const char *body, size_t body_len, struct err_info *ei);

/* The themes alone, for retagging stored articles when the catalog
 * changes: returns the same new array as the "themes" member of
 * extract_article() for the same arguments (an empty array when cat is
 * NULL), without the work of finding quotes, people and organizations.
 * Returns NULL with ERR_INVALID for invalid UTF-8 (or NUL bytes) in title
 * or body, as extract_article() does.  Thread-safe. */
json_t *extract_themes(const struct extract_catalog *cat, const char *title,
                       const char *body, size_t body_len, struct err_info *ei);

#endif
