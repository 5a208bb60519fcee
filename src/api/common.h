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

/* A request's parameters as checked and parsed. */
struct api_query {
    struct filter f;
    struct page pg;
    struct text_query tq;
    const char *qtext;
    const char *fields[32];
    size_t nfields;
    char *owned[REQ_MAX_PARAMS * 2];
    size_t nowned;
    enum out_format format;
};

/* Frees what parsing kept (zeroed memory needs nothing else first). */
void api_query_release(struct api_query *aq);

/* Complains (field errors in rq->ei) about every parameter that is not in
 * allowed (NULL-terminated) nor one of the filters. */
void api_check_names(struct req *rq, const char *const *allowed, unsigned filters);
/* The value of a parameter that may be given only once, or NULL. */
const char *api_single(struct req *rq, const char *name);
/* An integer parameter within [min, max], dflt when absent. */
void api_parse_int(struct req *rq, const char *name, int min, int max, int dflt,
                   int *out);
/* The filters of the bits given (and updated_since) into aq->f. */
void api_parse_filters(struct req *rq, struct api_query *aq, unsigned filters);

/* What a resource's list and objects allow: the whitelists that request
 * names are checked against. */
struct list_rules {
    enum resource res;
    const char *name;                /* "articles" */
    const char *const *sorts;        /* sort names, NULL-terminated */
    const char *default_sort;        /* e.g. "-published" */
    unsigned filters;                /* enum filter_bit */
    const char *const *fields;       /* top-level fields, NULL-terminated */
    const char *const *includes;     /* include= names, NULL-terminated */
    unsigned list_include;           /* embedded in list items by default */
    const char *const *single_only;  /* fields only single objects have */
    const char *const *extra_params; /* further parameters the list takes */
    bool q_required;
};

extern const struct list_rules articles_rules, themes_rules, officials_rules,
    organizations_rules, quotes_rules;
extern const char *const quote_sorts[], *const quote_fields[];

/* The CSV columns of the list's items: the requested fields (or all of
 * a list item's), nested objects spread over one column per field.  A new
 * JSON array of paths. */
json_t *api_csv_columns(const struct list_rules *rules, const struct api_query *aq);

/* The request body as a JSON object (a new reference), or NULL with rq->ei
 * set: 400 for a body that is empty, not JSON, not an object, nested too
 * deeply or with a key twice. */
json_t *api_body_object(struct req *rq);

/* true unless the parameter name is "false" or "0"; a field error for
 * anything else but "true" or "1". */
bool api_flag(struct req *rq, const char *name, bool dflt);

/* Completes an article record before it is stored: finds quotes and
 * themes by extraction when the record has none.  May be NULL'd out. */
enum err api_enrich(struct store *st, json_t *article, struct err_info *ei);

/* Rows of a whole table for exports, pulled a page at a time so that
 * memory does not grow with the table. */
struct exporter;
struct exporter *exporter_new(struct store *st, enum resource res, unsigned include);
/* What exported rows embed: articles carry their body, themes and quotes,
 * so that an export can be imported again. */
unsigned export_include(enum resource res);
/* The next row (a new reference), or NULL at the end or with ei set. */
json_t *exporter_next(void *exporter, struct err_info *ei);
void exporter_free(void *exporter);
/* The rules of a table that can be exported, by name; NULL if none. */
const struct list_rules *export_rules(const char *table);

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
