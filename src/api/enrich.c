/* enrich.c - completing article records by extraction before they are
 * stored.  The catalog is read from the store once per operation (a
 * request, an import), not once per article. */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "gazette/enrich.h"
#include "gazette/extract.h"
#include "gazette/xalloc.h"

struct enricher {
    struct extract_catalog *cat;
};

json_t *
enricher_load_themes(struct store *st, struct err_info *ei)
{
    struct exporter *x = exporter_new(st, RES_THEMES, 0);
    json_t *themes = json_array(), *t;

    while ((t = exporter_next(x, ei)) != NULL) {
        json_array_append_new(themes, json_pack("{s:O, s:O, s:O}", "slug",
                                                json_object_get(t, "slug"), "name",
                                                json_object_get(t, "name"), "keywords",
                                                json_object_get(t, "keywords")));
        json_decref(t);
    }
    exporter_free(x);
    if (ei->code != ERR_OK) {
        json_decref(themes);
        return NULL;
    }
    return themes;
}

struct enricher *
enricher_new(struct store *st, struct err_info *ei)
{
    json_t *themes = enricher_load_themes(st, ei);
    struct enricher *e;

    if (themes == NULL)
        return NULL;
    e = xcalloc(1, sizeof(*e));
    e->cat = extract_catalog_new(themes, ei);
    json_decref(themes);
    if (e->cat == NULL) {
        free(e);
        return NULL;
    }
    return e;
}

void
enricher_free(struct enricher *e)
{
    if (e == NULL)
        return;
    extract_catalog_free(e->cat);
    free(e);
}

const struct extract_catalog *
enricher_catalog(const struct enricher *e)
{
    return e->cat;
}

enum err
enricher_apply(struct enricher *e, json_t *article, struct err_info *ei)
{
    const char *title = json_string_value(json_object_get(article, "title"));
    const json_t *body = json_object_get(article, "body");
    json_t *found;

    if (json_object_get(article, "quotes") != NULL &&
        json_object_get(article, "themes") != NULL)
        return ERR_OK;
    found = extract_article(e->cat, title, json_string_value(body),
                            json_string_length(body), ei);
    if (found == NULL)
        return ei->code;
    if (json_object_get(article, "quotes") == NULL)
        json_object_set(article, "quotes", json_object_get(found, "quotes"));
    if (json_object_get(article, "themes") == NULL)
        json_object_set(article, "themes", json_object_get(found, "themes"));
    json_decref(found);
    return ERR_OK;
}

enum err
api_enrich(struct store *st, json_t *article, struct err_info *ei)
{
    struct enricher *e;

    if (json_object_get(article, "quotes") != NULL &&
        json_object_get(article, "themes") != NULL)
        return ERR_OK;
    e = enricher_new(st, ei);
    if (e == NULL)
        return ei->code;
    enricher_apply(e, article, ei);
    enricher_free(e);
    return ei->code;
}
