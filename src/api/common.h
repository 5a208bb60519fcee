/* common.h - what the resource handlers share: parsing list parameters,
 * the list envelope, projections.  Internal to src/api/. */
#ifndef GAZETTE_API_COMMON_H
#define GAZETTE_API_COMMON_H

#include "gazette/api.h"
#include "gazette/query.h"

enum filter_bit {
    F_THEME = 1 << 0,
    F_OFFICIAL = 1 << 1,
    F_ORGANIZATION = 1 << 2,
    F_SOURCE = 1 << 3,
    F_LANGUAGE = 1 << 4,
    F_FROM = 1 << 5,
    F_TO = 1 << 6,
    F_Q = 1 << 7,
};

#define F_ARTICLE                                                                        \
    (F_THEME | F_OFFICIAL | F_ORGANIZATION | F_SOURCE | F_LANGUAGE | F_FROM | F_TO | F_Q)

/* What a resource's list and objects allow: the whitelists that request
 * names are checked against. */
struct list_rules {
    enum resource res;
    const char *name;            /* "articles" */
    const char *const *sorts;    /* sort names, NULL-terminated */
    const char *default_sort;    /* e.g. "-published" */
    unsigned filters;            /* enum filter_bit */
    const char *const *fields;   /* top-level fields, NULL-terminated */
    const char *const *includes; /* include= names, NULL-terminated */
    unsigned list_include;       /* embedded in list items by default */
};

/* GET on a list: parses and checks every parameter against rules, asks
 * the store and answers with the envelope.  fixed (may be NULL) is a
 * filter the path imposes, such as the official of
 * /v1/officials/{id}/quotes. */
enum err api_list(struct req *rq, struct resp *rs, const struct list_rules *rules,
                  const struct filter *fixed);

/* GET on one object named by ident (id or slug). */
enum err api_get(struct req *rq, struct resp *rs, const struct list_rules *rules,
                 const char *ident);

#endif
