/* enrich.c - completing article records by extraction before they are
 * stored.  Compiling the theme catalog costs more than extracting from an
 * article, so the compiled catalog is shared by every request and import
 * of the process and compiled again only when the database's catalog
 * version says that the themes have changed. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "gazette/enrich.h"
#include "gazette/extract.h"
#include "gazette/xalloc.h"

struct enricher {
    struct extract_catalog *cat;
    int64_t version; /* the catalog version it was compiled from */
    atomic_int refs;
};

/* The last catalog compiled, with a reference of its own. */
static struct {
    pthread_mutex_t lock;
    struct enricher *last;
} shared = {.lock = PTHREAD_MUTEX_INITIALIZER};

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

static struct enricher *
enricher_ref(struct enricher *e)
{
    atomic_fetch_add(&e->refs, 1);
    return e;
}

static struct enricher *
enricher_compile(struct store *st, int64_t version, struct err_info *ei)
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
    e->version = version;
    atomic_init(&e->refs, 1);
    return e;
}

json_t *
enricher_default_themes(struct err_info *ei)
{
    struct store *st = NULL;
    json_t *themes = NULL;

    if (store_open(":memory:", STORE_READ_WRITE, &st, ei) == ERR_OK &&
        store_migrate(st, 0, NULL, ei) == ERR_OK)
        themes = enricher_load_themes(st, ei);
    store_close(st);
    return themes;
}

struct extract_catalog *
enricher_default_catalog(struct err_info *ei)
{
    json_t *themes = enricher_default_themes(ei);
    struct extract_catalog *cat = themes != NULL ? extract_catalog_new(themes, ei) : NULL;

    json_decref(themes);
    return cat;
}

struct enricher *
enricher_new(struct store *st, struct err_info *ei)
{
    struct enricher *e = NULL, *old = NULL;
    int64_t version;

    if (store_catalog_version(st, &version, ei) != ERR_OK)
        return NULL;
    pthread_mutex_lock(&shared.lock);
    if (shared.last != NULL && shared.last->version == version)
        e = enricher_ref(shared.last);
    pthread_mutex_unlock(&shared.lock);
    if (e != NULL)
        return e;
    /* compiled outside the lock; two threads may both compile a new
     * version, and the later one is kept */
    if ((e = enricher_compile(st, version, ei)) == NULL)
        return NULL;
    pthread_mutex_lock(&shared.lock);
    old = shared.last;
    shared.last = enricher_ref(e);
    pthread_mutex_unlock(&shared.lock);
    enricher_free(old);
    return e;
}

void
enricher_free(struct enricher *e)
{
    if (e == NULL || atomic_fetch_sub(&e->refs, 1) > 1)
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

    if (json_object_get(article, "quotes") != NULL) {
        if (json_object_get(article, "themes") != NULL)
            return ERR_OK;
        found = extract_themes(e->cat, title, json_string_value(body),
                               json_string_length(body), ei);
        if (found != NULL)
            json_object_set_new(article, "themes", found);
        return ei->code;
    }
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
