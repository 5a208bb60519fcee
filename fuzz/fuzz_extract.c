/* fuzz_extract.c - the extractor: extract_article() with the default
 * theme catalog (as migrated into the in-memory store).  Input: the title
 * up to the first newline, then the body, handed over as exactly that many
 * bytes (no NUL after them, so that reading past the end is caught).
 *
 * Invariants: invalid UTF-8 is refused with ERR_INVALID; otherwise the
 * result is {"quotes", "organizations", "themes"}, every quote has
 * 0 <= start < end <= code points of the body and its text is the body
 * between those code-point offsets, kind direct or indirect and a named
 * official; and what was found is storable: article_normalize() accepts
 * the article with those quotes and themes, as import does after
 * extraction. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/enrich.h"
#include "gazette/extract.h"
#include "gazette/ingest.h"
#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "harness.h"

static struct extract_catalog *cat;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct err_info ei = {0};
    json_t *themes;

    (void)argc;
    (void)argv;
    themes = enricher_load_themes(harness_store(), &ei);
    if (themes == NULL || (cat = extract_catalog_new(themes, &ei)) == NULL)
        harness_fail("cannot load the theme catalog: %s", ei.detail);
    HARNESS_CHECK(json_array_size(themes) > 0, "the default catalog is empty");
    json_decref(themes);
    return 0;
}

/* The byte offset of code point n of s[0..len). */
static size_t
byte_at(const char *s, size_t len, size_t n)
{
    const char *p = s;

    while (n > 0 && p < s + len) {
        utf8_next(&p);
        n--;
    }
    return (size_t)(p - s);
}

static void
check_quotes(const json_t *quotes, const char *body, size_t len)
{
    size_t i, chars = utf8_count(body, len);
    json_t *q;

    HARNESS_CHECK(json_is_array(quotes), "quotes is an array");
    json_array_foreach (quotes, i, q) {
        const json_t *text = json_object_get(q, "text");
        const char *kind = json_string_value(json_object_get(q, "kind"));
        const char *name =
            json_string_value(json_object_get(json_object_get(q, "official"), "name"));
        json_int_t start = json_integer_value(json_object_get(q, "start"));
        json_int_t end = json_integer_value(json_object_get(q, "end"));
        size_t b0, b1;

        HARNESS_CHECK(json_is_string(text) && kind != NULL && name != NULL &&
                          *name != '\0',
                      "quote %zu lacks text, kind or official", i);
        HARNESS_CHECK(strcmp(kind, "direct") == 0 || strcmp(kind, "indirect") == 0,
                      "quote kind %s", kind);
        HARNESS_CHECK(0 <= start && start < end && (size_t)end <= chars,
                      "quote %zu at [%lld, %lld) outside a body of %zu code points", i,
                      (long long)start, (long long)end, chars);
        b0 = byte_at(body, len, (size_t)start);
        b1 = byte_at(body, len, (size_t)end);
        HARNESS_CHECK(json_string_length(text) == b1 - b0 &&
                          memcmp(json_string_value(text), body + b0, b1 - b0) == 0,
                      "quote %zu text is not the body at [%lld, %lld)", i,
                      (long long)start, (long long)end);
    }
}

static void
check_themes(const json_t *themes)
{
    size_t i, k;
    json_t *t, *m;

    HARNESS_CHECK(json_is_array(themes), "themes is an array");
    json_array_foreach (themes, i, t) {
        HARNESS_CHECK(slug_valid(json_string_value(json_object_get(t, "slug"))) &&
                          json_is_string(json_object_get(t, "name")) &&
                          json_is_number(json_object_get(t, "score")),
                      "theme %zu lacks slug, name or score", i);
        json_array_foreach (json_object_get(t, "matches"), k, m)
            HARNESS_CHECK(json_is_string(m), "a theme match is not text");
    }
}

static bool
blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* What was found goes into the article, as enricher_apply() does, and the
 * article as import would store it passes article_normalize(). */
static void
check_storable(const char *body, size_t len, const json_t *found)
{
    struct err_info ei = {0};
    json_t *a, *norm;

    if (blank(body, len))
        return; /* an article needs a body; nothing to store */
    a = json_pack("{s:s, s:s, s:s%, s:O, s:O}", "title", "Fuzzed", "published",
                  "2024-01-01", "body", body, len, "quotes",
                  json_object_get(found, "quotes"), "themes",
                  json_object_get(found, "themes"));
    HARNESS_CHECK(a != NULL, "cannot build the article");
    norm = article_normalize(a, &ei);
    HARNESS_CHECK(norm != NULL, "an article with what extraction found is refused: %s",
                  ei.detail);
    json_decref(norm);
    json_decref(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size);
    size_t tlen = nl != NULL ? (size_t)(nl - (const char *)data) : 0;
    size_t blen = size - tlen - (nl != NULL);
    char *title = xstrndup((const char *)data, tlen);
    char *body = xmalloc(blen > 0 ? blen : 1);
    struct err_info ei = {0};
    json_t *found;

    memcpy(body, data + size - blen, blen);
    found = extract_article(cat, tlen > 0 ? title : NULL, body, blen, &ei);
    if (found == NULL) {
        HARNESS_CHECK(ei.code == ERR_INVALID &&
                          (!utf8_valid(body, blen) || strlen(title) != tlen ||
                           !utf8_valid(title, tlen)),
                      "valid text refused: %s", ei.detail);
        goto out;
    }
    HARNESS_CHECK(utf8_valid(body, blen), "invalid UTF-8 accepted");
    HARNESS_CHECK(json_is_array(json_object_get(found, "organizations")),
                  "organizations is an array");
    check_quotes(json_object_get(found, "quotes"), body, blen);
    check_themes(json_object_get(found, "themes"));
    if (blen <= ARTICLE_MAX_BODY)
        check_storable(body, blen, found);
    json_decref(found);
out:
    free(title);
    free(body);
    return 0;
}
