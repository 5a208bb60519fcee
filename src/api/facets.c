/* facets.c - GET /v1/facets: how many articles per theme, official,
 * organization, source, language, year or month, under the article
 * filters. */
#include <string.h>

#include "common.h"

static const struct {
    const char *name;
    enum facet_field field;
} names[] = {
    {"theme", FACET_THEME},
    {"official", FACET_OFFICIAL},
    {"organization", FACET_ORGANIZATION},
    {"source", FACET_SOURCE},
    {"language", FACET_LANGUAGE},
    {"year", FACET_YEAR},
    {"month", FACET_MONTH},
};

enum err
api_facets(struct req *rq, struct resp *rs)
{
    static const char *const params[] = {"field", "limit", "format", "updated_since",
                                         NULL};
    struct api_query aq;
    const char *name;
    json_t *rows = NULL;
    int limit, field = -1;

    memset(&aq, 0, sizeof(aq));
    api_check_names(rq, params, F_ARTICLE);
    req_format(rq, &aq.format);
    api_parse_int(rq, "limit", 1, 1000, 20, &limit);
    api_parse_filters(rq, &aq, F_ARTICLE);
    name = api_single(rq, "field");
    for (size_t i = 0; name != NULL && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i].name) == 0)
            field = (int)names[i].field;
    if (field < 0)
        err_field(&rq->ei, "field",
                  "field must be one of theme, official, organization, source, language, "
                  "year, month");
    if (rq->ei.code == ERR_OK && store_facets(rq->store, (enum facet_field)field, &aq.f,
                                              limit, &rows, &rq->ei) == ERR_OK) {
        rs->body = json_pack("{s:s, s:O, s:O, s:O}", "field", name, "data",
                             json_object_get(rows, "data"), "values",
                             json_object_get(rows, "values"), "other",
                             json_object_get(rows, "other"));
        json_decref(rows);
        rs->format = aq.format;
        rs->columns = json_pack("[s, s, s]", "value", "name", "count");
    }
    api_query_release(&aq);
    return rq->ei.code;
}
