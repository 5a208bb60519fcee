/* enrich.h - completing article records by extraction before they are
 * stored: quotes and themes a record does not give are found in its text,
 * with the theme catalog as the database holds it. */
#ifndef GAZETTE_ENRICH_H
#define GAZETTE_ENRICH_H

#include <jansson.h>

#include "gazette/store.h"

struct extract_catalog;
struct enricher;

/* st's theme catalog compiled for extraction, shared with other callers
 * while the catalog stays the same; release it with enricher_free().  NULL
 * with ei set if the store fails. */
struct enricher *enricher_new(struct store *st, struct err_info *ei);
void enricher_free(struct enricher *e);

/* Adds "quotes" and "themes" to a normalized record that lacks them. */
enum err enricher_apply(struct enricher *e, json_t *article, struct err_info *ei);

/* The compiled catalog, for callers that run the extractor themselves. */
const struct extract_catalog *enricher_catalog(const struct enricher *e);

/* The theme catalog of st as [{"slug", "name", "keywords"}] (new). */
json_t *enricher_load_themes(struct store *st, struct err_info *ei);

/* The theme catalog gazette ships, as the migrations install it, in the
 * same shape (new); NULL with ei set if that fails. */
json_t *enricher_default_themes(struct err_info *ei);

/* That catalog compiled for extraction (free it with
 * extract_catalog_free()); NULL with ei set if that fails. */
struct extract_catalog *enricher_default_catalog(struct err_info *ei);

#endif
