/* export.c - whole tables, row by row: GET /v1/export/{table} and the
 * rows behind `gazette export`.  Rows are fetched a page at a time in id
 * order, each page in its own short read, so that memory does not grow
 * with the table and no transaction stays open for the whole export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "gazette/xalloc.h"

#define EXPORT_PAGE 200

struct exporter {
    struct store *st;
    enum resource res;
    struct page pg;
    struct filter f;
    json_t *rows;
    size_t next;
    bool last;
};

static const struct {
    const char *name;
    const struct list_rules *rules;
} tables[] = {
    {"articles", &articles_rules},   {"themes", &themes_rules},
    {"officials", &officials_rules}, {"organizations", &organizations_rules},
    {"quotes", &quotes_rules},
};

const struct list_rules *
export_rules(const char *table)
{
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
        if (strcmp(tables[i].name, table) == 0)
            return tables[i].rules;
    return NULL;
}

/* Exported articles carry their body, themes and quotes, so that an
 * export can be imported again. */
#define EXPORT_ARTICLE_INCLUDE (INC_BODY | INC_THEMES | INC_QUOTES)

unsigned
export_include(enum resource res)
{
    return res == RES_ARTICLES ? EXPORT_ARTICLE_INCLUDE : 0;
}

struct exporter *
exporter_new(struct store *st, enum resource res, unsigned include)
{
    struct exporter *x = xcalloc(1, sizeof(*x));

    x->st = st;
    x->res = res;
    x->pg.limit = EXPORT_PAGE;
    x->pg.sort = SORT_ID;
    x->pg.include = include;
    return x;
}

json_t *
exporter_next(void *p, struct err_info *ei)
{
    struct exporter *x = p;

    if (x->rows == NULL || x->next >= json_array_size(json_object_get(x->rows, "data"))) {
        json_t *next;

        if (x->last)
            return NULL;
        json_decref(x->rows);
        x->rows = NULL;
        if (store_list(x->st, x->res, &x->f, &x->pg, &x->rows, ei) != ERR_OK)
            return NULL;
        next = json_object_get(x->rows, "next");
        json_decref(x->pg.after);
        x->pg.after = json_is_array(next) ? json_incref(next) : NULL;
        x->last = x->pg.after == NULL;
        x->next = 0;
        if (json_array_size(json_object_get(x->rows, "data")) == 0)
            return NULL;
    }
    return json_incref(json_array_get(json_object_get(x->rows, "data"), x->next++));
}

void
exporter_free(void *p)
{
    struct exporter *x = p;

    if (x == NULL)
        return;
    json_decref(x->rows);
    json_decref(x->pg.after);
    free(x);
}

/* A stream cannot be hashed before it is sent, so its validator names the
 * state of the data instead: the data epoch, which moves with every commit
 * to the database, by gazette or by any other program (the theme catalog
 * may be edited by hand), and starts afresh, elsewhere, at each run. */
static enum err
export_etag(struct req *rq, enum out_format format, char out[80])
{
    uint64_t epoch;

    if (store_data_epoch(rq->store, &epoch, &rq->ei) != ERR_OK)
        return rq->ei.code;
    snprintf(out, 80, "\"e%llu-%s-%d\"", (unsigned long long)epoch, rq->args[0],
             (int)format);
    return ERR_OK;
}

enum err
api_export(struct req *rq, struct resp *rs)
{
    static const char *const params[] = {"format", NULL};
    const struct list_rules *rules = export_rules(rq->args[0]);
    struct api_query aq;

    memset(&aq, 0, sizeof(aq));
    if (rules == NULL)
        return err_set(&rq->ei, ERR_NOT_FOUND,
                       "no table %s to export; there are articles, themes, officials, "
                       "organizations and quotes",
                       rq->args[0]);
    api_check_names(rq, params, 0);
    if (req_format(rq, &aq.format) != ERR_OK || rq->ei.code != ERR_OK)
        return rq->ei.code;
    aq.pg.include = export_include(rules->res);
    if (export_etag(rq, aq.format, rs->etag) != ERR_OK)
        return rq->ei.code;
    rs->format = aq.format;
    rs->columns = api_csv_columns(rules, &aq);
    rs->stream.ctx = exporter_new(rq->store, rules->res, export_include(rules->res));
    rs->stream.next = exporter_next;
    rs->stream.free = exporter_free;
    resp_header(rs, "Content-Disposition", "inline; filename=\"%s.%s\"", rq->args[0],
                aq.format == OUT_CSV      ? "csv"
                : aq.format == OUT_NDJSON ? "ndjson"
                                          : "json");
    return ERR_OK;
}
