/* timeline.c - GET /v1/timeline: articles (or quotes) per day, week,
 * month or year, in order, with the empty periods between filled in. */
#include <stdio.h>
#include <string.h>

#include "common.h"
#include "gazette/util.h"

/* More periods than this in one answer is a mistake of the client. */
#define MAX_BUCKETS 20000

static const char *const interval_names[] = {
    [IV_DAY] = "day", [IV_WEEK] = "week", [IV_MONTH] = "month", [IV_YEAR] = "year"};

/* The first day of the period after the one starting on day. */
static int64_t
next_start(int64_t day, enum interval iv)
{
    char d[32];
    int y = 0, m = 0;

    switch (iv) {
    case IV_DAY:
        return day + 1;
    case IV_WEEK:
        return day + 7;
    case IV_MONTH:
        days_to_date(day, d);
        if (sscanf(d, "%4d-%2d", &y, &m) != 2 || y < 1000 || y > 9998)
            return day + 31;
        snprintf(d, sizeof(d), "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
        return date_to_days(d);
    default:
        days_to_date(day, d);
        if (sscanf(d, "%4d", &y) != 1 || y < 1000 || y > 9998)
            return day + 366;
        snprintf(d, sizeof(d), "%04d-01-01", y + 1);
        return date_to_days(d);
    }
}

/* The first day of the period that contains day. */
static int64_t
period_start(int64_t day, enum interval iv)
{
    char d[11];

    days_to_date(day, d);
    switch (iv) {
    case IV_DAY:
        return day;
    case IV_WEEK: /* 1970-01-01 was a Thursday; weeks start on Monday */
        return day - ((day % 7 + 7 + 3) % 7);
    case IV_MONTH:
        memcpy(d + 8, "01", 2);
        return date_to_days(d);
    default:
        memcpy(d + 5, "01-01", 5);
        return date_to_days(d);
    }
}

/* "2024-03-05", "2024-W10", "2024-03", "2024". */
static json_t *
period_label(int64_t start, enum interval iv)
{
    char d[11], label[32];

    days_to_date(start, d);
    switch (iv) {
    case IV_DAY:
        return json_string(d);
    case IV_WEEK: {
        /* ISO week: the week belongs to the year of its Thursday */
        int64_t thursday = start + 3;
        char td[11], jan1[32];
        int y = 0;

        days_to_date(thursday, td);
        if (sscanf(td, "%4d", &y) != 1)
            y = 0;
        snprintf(jan1, sizeof(jan1), "%04d-01-01", y);
        snprintf(label, sizeof(label), "%04d-W%02d", y,
                 (int)((thursday - date_to_days(jan1)) / 7 + 1));
        return json_string(label);
    }
    case IV_MONTH:
        return json_stringn(d, 7);
    default:
        return json_stringn(d, 4);
    }
}

/* The buckets from first to last (days), counts from sparse. */
static enum err
fill(json_t *out, const json_t *sparse, int64_t first, int64_t last, enum interval iv,
     struct err_info *ei)
{
    size_t k = 0, n = 0;

    for (int64_t d = first; d <= last; d = next_start(d, iv)) {
        const json_t *row = json_array_get(sparse, k);
        json_int_t count = 0;
        char start[11];

        if (++n > MAX_BUCKETS)
            return err_field(ei, "interval",
                             "the timeline would have more than %d periods; use a longer "
                             "interval or a shorter from/to range",
                             MAX_BUCKETS);
        days_to_date(d, start);
        if (row != NULL && date_to_days(json_string_value(json_array_get(row, 0))) == d) {
            count = json_integer_value(json_array_get(row, 1));
            k++;
        }
        json_array_append_new(out,
                              json_pack("{s:o, s:s, s:I}", "period", period_label(d, iv),
                                        "start", start, "count", count));
    }
    return ERR_OK;
}

enum err
api_timeline(struct req *rq, struct resp *rs)
{
    static const char *const params[] = {"interval", "of", "format", "updated_since",
                                         NULL};
    const char *iv_name, *of;
    struct api_query aq;
    json_t *sparse = NULL, *data;
    enum resource res = RES_ARTICLES;
    int iv = -1;

    memset(&aq, 0, sizeof(aq));
    api_check_names(rq, params, F_ARTICLE);
    req_format(rq, &aq.format);
    api_parse_filters(rq, &aq, F_ARTICLE);
    iv_name = api_single(rq, "interval");
    if (iv_name == NULL)
        iv_name = "month";
    for (int i = 0; i < 4; i++)
        if (strcmp(iv_name, interval_names[i]) == 0)
            iv = i;
    if (iv < 0)
        err_field(&rq->ei, "interval", "interval must be day, week, month or year");
    of = api_single(rq, "of");
    if (of == NULL)
        of = "articles";
    if (strcmp(of, "quotes") == 0)
        res = RES_QUOTES;
    else if (strcmp(of, "articles") != 0)
        err_field(&rq->ei, "of", "of must be articles or quotes");
    if (rq->ei.code != ERR_OK || store_timeline(rq->store, res, (enum interval)iv, &aq.f,
                                                &sparse, &rq->ei) != ERR_OK)
        goto out;
    data = json_array();
    /* from first to last period with data, or over from..to when given */
    if (json_array_size(sparse) > 0 || (aq.f.from != NULL && aq.f.to != NULL)) {
        int64_t first, last;

        first = aq.f.from != NULL ? date_to_days(aq.f.from)
                                  : date_to_days(json_string_value(
                                        json_array_get(json_array_get(sparse, 0), 0)));
        last = aq.f.to != NULL
                   ? date_to_days(aq.f.to)
                   : date_to_days(json_string_value(json_array_get(
                         json_array_get(sparse, json_array_size(sparse) - 1), 0)));
        if (fill(data, sparse, period_start(first, (enum interval)iv),
                 period_start(last, (enum interval)iv), (enum interval)iv,
                 &rq->ei) != ERR_OK) {
            json_decref(data);
            goto out;
        }
    }
    rs->body = json_pack("{s:s, s:s, s:o}", "interval", iv_name, "of", of, "data", data);
    rs->format = aq.format;
    rs->columns = json_pack("[s, s, s]", "period", "start", "count");
out:
    json_decref(sparse);
    api_query_release(&aq);
    return rq->ei.code;
}
