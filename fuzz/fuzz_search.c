/* fuzz_search.c - the search-query translator: text_query_parse() on the
 * input (as the q parameter would bring it), and the parsed query, as
 * FTS5 sees it after fts_render(), run by the seeded in-memory store as a
 * search, an article filter, a quote filter, facets and a timeline.
 *
 * Invariants: a refused query is ERR_INVALID naming the field and keeps
 * no terms; an accepted one has 1 to TQ_MAX_TERMS terms, each with a
 * letter or digit, at least one of them looked for, every group non-empty;
 * and no accepted query makes the store fail (a failure would mean user
 * text reached FTS5 as syntax: the client would get a 500, not a 400). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/query.h"
#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "harness.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    harness_store();
    return 0;
}

static bool
has_word(const char *s)
{
    for (; *s != '\0'; s++)
        if (isalnum((unsigned char)*s) || (unsigned char)*s >= 0x80)
            return true;
    return false;
}

static void
check_parsed(const struct text_query *tq)
{
    int per_group[TQ_MAX_TERMS] = {0};
    bool positive = false;

    HARNESS_CHECK(tq->n >= 1 && tq->n <= TQ_MAX_TERMS, "%zu terms", tq->n);
    HARNESS_CHECK(tq->ngroups >= 1 && tq->ngroups <= (int)tq->n, "%d groups",
                  tq->ngroups);
    for (size_t i = 0; i < tq->n; i++) {
        const struct tq_term *t = &tq->terms[i];

        HARNESS_CHECK(t->text != NULL && has_word(t->text), "term %zu has no word", i);
        if (t->negated) {
            HARNESS_CHECK(t->group == -1, "an excluded term in a group");
            continue;
        }
        HARNESS_CHECK(t->group >= 0 && t->group < tq->ngroups, "term %zu in group %d", i,
                      t->group);
        per_group[t->group]++;
        positive = true;
    }
    HARNESS_CHECK(positive, "nothing to look for");
    for (int g = 0; g < tq->ngroups; g++)
        HARNESS_CHECK(per_group[g] > 0, "group %d is empty", g);
}

static void
check_store(const struct text_query *tq)
{
    struct store *st = harness_store();
    struct filter f = {.q = tq};
    struct page pg = {.limit = 5, .sort = SORT_RELEVANCE, .count = true};
    struct err_info ei = {0};
    json_t *out = NULL, *row;
    size_t i;

    HARNESS_CHECK(store_list(st, RES_SEARCH, &f, &pg, &out, &ei) == ERR_OK,
                  "search fails: %s", ei.detail);
    json_array_foreach (json_object_get(out, "data"), i, row)
        HARNESS_CHECK(json_is_number(json_object_get(row, "score")) &&
                          json_is_string(json_object_get(row, "snippet")),
                      "a hit without score or snippet");
    json_decref(out);
    pg.sort = SORT_PUBLISHED;
    pg.desc = true;
    HARNESS_CHECK(store_list(st, RES_ARTICLES, &f, &pg, &out, &ei) == ERR_OK,
                  "articles?q= fails: %s", ei.detail);
    json_decref(out);
    HARNESS_CHECK(store_list(st, RES_QUOTES, &f, &pg, &out, &ei) == ERR_OK,
                  "quotes?q= fails: %s", ei.detail);
    json_decref(out);
    HARNESS_CHECK(store_facets(st, FACET_THEME, &f, 10, &out, &ei) == ERR_OK,
                  "facets?q= fails: %s", ei.detail);
    json_decref(out);
    HARNESS_CHECK(store_timeline(st, RES_ARTICLES, IV_MONTH, &f, &out, &ei) == ERR_OK,
                  "timeline?q= fails: %s", ei.detail);
    json_decref(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *q = xstrndup((const char *)data, size);
    struct err_info ei = {0};
    struct text_query tq;

    if (text_query_parse(q, "q", &tq, &ei) != ERR_OK) {
        HARNESS_CHECK(ei.code == ERR_INVALID && ei.nfields == 1 &&
                          strcmp(ei.fields[0].field, "q") == 0,
                      "a refused query names the field");
        HARNESS_CHECK(tq.n == 0, "a refused query keeps terms");
        free(q);
        return 0;
    }
    check_parsed(&tq);
    /* the API hands over only UTF-8 without NUL (req_parse_target checks) */
    if (utf8_valid(q, strlen(q)))
        check_store(&tq);
    text_query_release(&tq);
    free(q);
    return 0;
}
