/* query.h - what a list request asks for, independent of HTTP and SQL:
 * the filters, the page and the sort order.  The api layer fills these
 * from query parameters; a store backend turns them into its own queries. */
#ifndef GAZETTE_QUERY_H
#define GAZETTE_QUERY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "gazette/util.h"

enum resource {
    RES_ARTICLES,
    RES_THEMES,
    RES_OFFICIALS,
    RES_ORGANIZATIONS,
    RES_QUOTES,
    RES_COUNT
};

/* Sort keys.  Each resource allows a subset (see api's whitelists);
 * every key sorts with the row id as tie-breaker. */
enum sort_key {
    SORT_ID,
    SORT_PUBLISHED,
    SORT_TITLE,
    SORT_SLUG,
    SORT_NAME,
    SORT_UPDATED,
    SORT_ARTICLE_COUNT,
    SORT_QUOTE_COUNT,
    SORT_OFFICIAL_COUNT,
    SORT_LAST_SEEN,
    SORT_RELEVANCE,
    SORT_KEY_COUNT
};

/* Embedded related objects (include=). */
enum include {
    INC_BODY = 1 << 0,
    INC_THEMES = 1 << 1,
    INC_QUOTES = 1 << 2,
    INC_OFFICIALS = 1 << 3,
};

/* Values of one filter, OR'd together.  Strings are borrowed. */
#define FILTER_MAX_VALUES 32
struct strlist {
    const char *v[FILTER_MAX_VALUES];
    size_t n;
};

/* Filters; different filters AND.  Unset members are empty/NULL. */
struct filter {
    struct strlist theme;        /* theme slugs */
    struct strlist official;     /* official ids or slugs */
    struct strlist organization; /* organization ids or slugs (and children) */
    struct strlist source;
    struct strlist language;
    const char *from; /* inclusive YYYY-MM-DD */
    const char *to;   /* inclusive YYYY-MM-DD */
    const char *q;    /* full-text query, already translated for the backend */
    char updated_since[TIMESTAMP_LEN]; /* "" when unset */
};

struct page {
    int limit;
    enum sort_key sort;
    bool desc;
    json_t *after; /* borrowed keyset position [sort value, id], or NULL */
    bool count;    /* also compute the exact total */
    unsigned include;
};

#endif
