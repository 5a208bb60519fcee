/* query.h - what a list request asks for, independent of HTTP and SQL:
 * the filters, the page and the sort order.  The api layer fills these
 * from query parameters; a store backend turns them into its own queries. */
#ifndef GAZETTE_QUERY_H
#define GAZETTE_QUERY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "gazette/err.h"
#include "gazette/util.h"

enum resource {
    RES_ARTICLES,
    RES_THEMES,
    RES_OFFICIALS,
    RES_ORGANIZATIONS,
    RES_QUOTES,
    RES_SEARCH, /* articles ranked by a full-text query, with snippets */
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

/* What facets count articles by. */
enum facet_field {
    FACET_THEME,
    FACET_OFFICIAL,
    FACET_ORGANIZATION,
    FACET_SOURCE,
    FACET_LANGUAGE,
    FACET_YEAR,
    FACET_MONTH,
};

/* Timeline buckets; a week starts on Monday. */
enum interval { IV_DAY, IV_WEEK, IV_MONTH, IV_YEAR };

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

/* A full-text query as the user wrote it, parsed: words, "exact
 * phrases", word* prefixes, -excluded terms, and OR between terms.
 * Terms with the same group are OR'd; groups are AND'd; negated terms
 * exclude.  Each backend renders it in its own query language, so no
 * user text reaches a query engine unescaped. */
#define TQ_MAX_TERMS 32
#define TQ_MAX_LEN   512

struct tq_term {
    char *text;   /* the word or phrase, without quotation marks */
    bool phrase;  /* was quoted */
    bool prefix;  /* ended in '*' */
    bool negated; /* was preceded by '-' or NOT */
    int group;
};

struct text_query {
    struct tq_term terms[TQ_MAX_TERMS];
    size_t n;
    int ngroups;
};

/* Parses q; ERR_INVALID with a detail naming the field for a query that
 * is empty, too long, unbalanced, or has nothing to look for. */
enum err text_query_parse(const char *q, const char *field, struct text_query *out,
                          struct err_info *ei);
void text_query_release(struct text_query *tq);

/* Filters; different filters AND.  Unset members are empty/NULL. */
struct filter {
    struct strlist theme;        /* theme slugs */
    struct strlist official;     /* official ids or slugs */
    struct strlist organization; /* organization ids or slugs (and children) */
    struct strlist source;
    struct strlist language;
    const char *from;                  /* inclusive YYYY-MM-DD */
    const char *to;                    /* inclusive YYYY-MM-DD */
    const struct text_query *q;        /* full-text query, or NULL */
    char updated_since[TIMESTAMP_LEN]; /* "" when unset */
};

struct page {
    int limit;
    enum sort_key sort;
    bool desc;
    json_t *after; /* borrowed keyset position [sort value, id], or NULL */
    bool count;    /* also compute the exact total */
    unsigned include;
    const char *mark_start; /* search snippets: around matches */
    const char *mark_end;
};

#endif
