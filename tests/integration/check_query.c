/* check_query.c - search, keyset pages, facets, timelines, CSV, NDJSON and
 * exports through the real daemon, over a corpus the test generates, so
 * that every expected count is computed here, independently. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gazette/ingest.h"
#include "gazette/util.h"
#include "helpers.h"

#define N 240

static const char *const themes[] = {"energy",   "trade",   "health",
                                     "industry", "climate", "finance"};
static const char *const sources[] = {"Alpha Times", "Beta Post", "Gamma Daily", NULL};
static const char *const officials[] = {"Ada Quist",   "Bram Oyelaran", "Cleo Vance",
                                        "Dov Mertens", "Eun-ji Park",   "Farid Nasser"};
static const char *const orgs[] = {"Grid Office", "Trade Council", "Health Board", NULL};

/* What the test knows of article i, to compute every answer itself. */
struct gen {
    char date[11];
    const char *source;
    unsigned themes; /* bit per theme */
    int official;    /* index, or -1 for no quote */
    int org;
    bool cjk;
    bool industries; /* says "industries" */
};

static struct gen gen[N];
static struct fixture fx;

static void
generate(int i, struct gen *g, struct buf *line)
{
    unsigned r = (unsigned)i * 2654435761u;
    json_t *a, *ts = json_array(), *qs = json_array();
    char title[64], body[512];

    days_to_date(date_to_days("2022-01-03") + (i * 37) % 700, g->date);
    g->source = sources[r % 4];
    g->themes = (r >> 3) % 64;
    g->official = (r >> 9) % 7 == 6 ? -1 : (int)((r >> 9) % 7);
    g->org = g->official >= 0 ? g->official % 4 : -1;
    g->cjk = i % 17 == 0;
    g->industries = i % 5 == 0;
    for (int t = 0; t < 6; t++)
        if (g->themes & (1u << t))
            json_array_append_new(ts, json_string(themes[t]));
    snprintf(title, sizeof(title), "Report %03d on %s", i,
             g->industries ? "industries" : "markets");
    snprintf(body, sizeof(body),
             "Paragraph one of report %d.%s\n\nThe %s minister spoke%s.%s", i,
             g->industries ? " Local industries grew." : " Prices moved.",
             i % 2 ? "energy" : "trade", i % 3 == 0 ? " about wind power" : "",
             g->cjk ? " 国家信息中心经济预测部表示，数字经济发展迅速。東京で会議。" : "");
    a = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:o, s:o}", "title", title, "published",
                  g->date, "body", body, "source", g->source, "language",
                  g->cjk ? "zh" : "en", "themes", ts, "quotes", qs);
    if (g->official >= 0) {
        json_t *q =
            json_pack("{s:s, s:s, s:s, s:s}", "text", "Paragraph one", "kind", "direct",
                      "official", officials[g->official], "title", "head");

        if (orgs[g->org] != NULL)
            json_object_set_new(q, "organization",
                                json_pack("{s:s, s:s?}", "name", orgs[g->org], "parent",
                                          g->org == 0 ? "Energy Ministry" : NULL));
        json_array_append_new(qs, q);
    }
    char *text = json_dumps(a, JSON_COMPACT);
    buf_adds(line, text);
    buf_addc(line, '\n');
    free(text);
    json_decref(a);
}

static void
setup(void)
{
    struct buf all;
    char *path;
    FILE *f;
    const char *files[2];

    fixture_start(&fx, false);
    buf_init(&all);
    for (int i = 0; i < N; i++)
        generate(i, &gen[i], &all);
    path = db_temp();
    f = fopen(path, "w");
    fwrite(all.data, 1, all.len, f);
    fclose(f);
    buf_release(&all);
    files[0] = path;
    files[1] = NULL;
    /* the file has no extension: the reader decides from the content */
    ck_assert_int_eq(import_files(fx.st, files, false), 0);
    unlink(path);
    free(path);
}

static void
teardown(void)
{
    fixture_stop(&fx);
}

static json_t *
ok(const char *target, struct http_result *r)
{
    http_get(fx.port, target, r);
    ck_assert_msg(r->status == 200, "%s: %ld %s", target, r->status, r->body.data);
    return r->json;
}

static const char *
sval(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* ---- walking pages ---- */

/* Walks every page of target (which has no cursor yet) and returns the
 * ids in the order received; checks no id comes twice. */
static int
walk_from(const char *target, const char *cursor, int *ids, int max)
{
    char url[2048];
    int n = 0;

    if (cursor != NULL)
        snprintf(url, sizeof(url), "%s&cursor=%s", target, cursor);
    else
        snprintf(url, sizeof(url), "%s", target);
    for (;;) {
        struct http_result r;
        const char *next;
        json_t *row;
        size_t i;

        ok(url, &r);
        json_array_foreach (json_object_get(r.json, "data"), i, row) {
            int id = (int)json_integer_value(json_object_get(row, "id"));

            for (int k = 0; k < n; k++)
                ck_assert_msg(ids[k] != id, "%s: id %d twice", target, id);
            ck_assert_int_lt(n, max);
            ids[n++] = id;
        }
        next = sval(r.json, "next_cursor");
        if (next == NULL) {
            http_result_release(&r);
            return n;
        }
        snprintf(url, sizeof(url), "%s%scursor=%s", target,
                 strchr(target, '?') ? "&" : "?", next);
        http_result_release(&r);
    }
}

static int
walk(const char *target, int *ids, int max)
{
    return walk_from(target, NULL, ids, max);
}

/* Pages of three of target (a URL with a query string) give the rows one
 * page of 100 gives, in its order; returns how many. */
static int
pages_match_one_page(const char *target)
{
    static int paged[N * 4], whole[N * 4];
    char url[512];
    int n, m;

    snprintf(url, sizeof(url), "%s&limit=3", target);
    n = walk(url, paged, N * 4);
    snprintf(url, sizeof(url), "%s&limit=100", target);
    m = walk(url, whole, N * 4);
    ck_assert_int_eq(n, m);
    for (int k = 0; k < n; k++)
        ck_assert_int_eq(paged[k], whole[k]);
    return n;
}

/* Article ids are 1..N in generation order. */
static int
expected(bool (*match)(const struct gen *, const void *), const void *arg, int *ids)
{
    int n = 0;

    for (int i = 0; i < N; i++)
        if (match(&gen[i], arg))
            ids[n++] = i + 1;
    return n;
}

static bool
has_theme(const struct gen *g, const void *arg)
{
    return (g->themes & (1u << *(const int *)arg)) != 0;
}

static bool
any(const struct gen *g, const void *arg)
{
    (void)g;
    (void)arg;
    return true;
}

static bool
in_2023_from_alpha(const struct gen *g, const void *arg)
{
    (void)arg;
    return g->source != NULL && strcmp(g->source, "Alpha Times") == 0 &&
           strncmp(g->date, "2023", 4) == 0;
}

static int
cmp_date_desc(const void *a, const void *b)
{
    const int x = *(const int *)a, y = *(const int *)b;
    int c = strcmp(gen[y - 1].date, gen[x - 1].date);

    return c != 0 ? c : y - x;
}

static void
check_walk(const char *target, bool (*match)(const struct gen *, const void *),
           const void *arg)
{
    static int got[N + 10], want[N];
    int n = walk(target, got, N + 10), m = expected(match, arg, want);

    qsort(want, (size_t)m, sizeof(int), cmp_date_desc);
    ck_assert_msg(n == m, "%s: %d rows, expected %d", target, n, m);
    for (int i = 0; i < n; i++)
        ck_assert_msg(got[i] == want[i], "%s: row %d is %d, expected %d", target, i,
                      got[i], want[i]);
}

START_TEST(pages_cover_each_row_once_in_order)
{
    int t = 1; /* trade */

    check_walk("/v1/articles?limit=7", any, NULL);
    check_walk("/v1/articles?limit=9&theme=trade", has_theme, &t);
    check_walk("/v1/articles?limit=5&source=alpha+times&from=2023-01-01&to=2023-12-31",
               in_2023_from_alpha, NULL);
    t = 4;
    check_walk("/v1/articles?limit=100&theme=climate", has_theme, &t);
}
END_TEST

START_TEST(other_sorts_walk_in_order)
{
    static int ids[N + 10];
    int n = walk("/v1/articles?limit=11&sort=title", ids, N + 10);

    ck_assert_int_eq(n, N);
    for (int i = 1; i < n; i++)
        ck_assert_int_lt(ids[i - 1], ids[i]); /* titles sort as the numbers do */
    n = walk("/v1/officials?limit=2&sort=-quote_count", ids, N);
    ck_assert_int_eq(n, 6);
    n = walk("/v1/quotes?limit=13", ids, N + 10);
    int quoted = 0;
    for (int i = 0; i < N; i++)
        quoted += gen[i].official >= 0;
    ck_assert_int_eq(n, quoted);
}
END_TEST

/* A single theme is read through its links, which are in date order:
 * the other sorts of the articles hold under it too. */
START_TEST(one_theme_keeps_every_sort)
{
    static const char *const sorts[] = {"title", "-title", "id", "-id", "updated_at"};
    static int ids[N + 10], want[N];
    int t = 1; /* trade */
    int m = expected(has_theme, &t, want);

    for (size_t k = 0; k < sizeof(sorts) / sizeof(sorts[0]); k++) {
        char url[128];
        bool down = sorts[k][0] == '-';
        int n;

        snprintf(url, sizeof(url), "/v1/articles?limit=6&theme=trade&sort=%s", sorts[k]);
        n = walk(url, ids, N + 10);
        ck_assert_msg(n == m, "%s: %d rows, expected %d", url, n, m);
        /* titles sort as the numbers in them, and so as the ids; the
         * import gave every row the same updated_at: ties go by id */
        for (int i = 0; i < n; i++)
            ck_assert_msg(ids[i] == want[down ? m - 1 - i : i], "%s: row %d is %d", url,
                          i, ids[i]);
    }
}
END_TEST

/* Titles and names sort as a reader sorts them, whatever their letters'
 * case, page after page, through an index. */
START_TEST(names_sort_without_case)
{
    static const char *const titles[] = {"charlie port", "Delta port", "alpha port",
                                         "Beta port"};
    static const int order[] = {2, 3, 0, 1}; /* alpha, Beta, charlie, Delta */
    static const enum resource lists[] = {RES_ARTICLES, RES_THEMES, RES_OFFICIALS,
                                          RES_ORGANIZATIONS};
    struct err_info ei = {0};
    struct store_batch *b;
    int64_t id[4];
    int ids[8], n;

    ck_assert_int_eq(store_batch_begin(fx.st, 10, &b, &ei), ERR_OK);
    for (int k = 0; k < 4; k++) {
        enum put_outcome o;
        char json[200];
        json_t *in, *a;

        snprintf(json, sizeof(json),
                 "{\"title\": \"%s\", \"published\": \"2024-02-0%d\", \"body\": \"b\", "
                 "\"source\": \"Case Test\"}",
                 titles[k], k + 1);
        in = json_loads(json, 0, NULL);
        a = article_normalize(in, &ei);
        ck_assert_int_eq(store_batch_put(b, a, NULL, &o, &id[k], &ei), ERR_OK);
        json_decref(in);
        json_decref(a);
    }
    ck_assert_int_eq(store_batch_end(b, &ei), ERR_OK);
    n = walk("/v1/articles?sort=title&limit=1&source=case+test", ids, 8);
    ck_assert_int_eq(n, 4);
    for (int k = 0; k < 4; k++)
        ck_assert_int_eq(ids[k], (int)id[order[k]]);
    n = walk("/v1/articles?sort=-title&limit=3&source=case+test", ids, 8);
    ck_assert_int_eq(n, 4);
    for (int k = 0; k < 4; k++)
        ck_assert_int_eq(ids[k], (int)id[order[3 - k]]);
    /* each list by title or name reads its index in order */
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        struct filter f = {0};
        struct page pg = {.limit = 20, .sort = i == 0 ? SORT_TITLE : SORT_NAME};
        json_t *plan, *line;
        bool indexed = false;
        size_t k;

        ck_assert_int_eq(store_query_plan(fx.st, lists[i], &f, &pg, &plan, &ei), ERR_OK);
        json_array_foreach (plan, k, line) {
            const char *step = json_string_value(line);

            indexed = indexed || strstr(step, "_title") != NULL ||
                      strstr(step, "_name") != NULL;
            ck_assert_msg(strstr(step, "TEMP B-TREE") == NULL, "%s", step);
        }
        ck_assert_msg(indexed, "%s", json_dumps(plan, 0));
        json_decref(plan);
    }
}
END_TEST

START_TEST(pages_are_stable_while_rows_arrive)
{
    struct http_result r;
    struct err_info ei = {0};
    struct store_batch *b;
    static int ids[N + 10];
    char cursor[512];
    int n = 0;

    ok("/v1/articles?limit=10", &r);
    snprintf(cursor, sizeof(cursor), "%s", sval(r.json, "next_cursor"));
    for (size_t i = 0; i < 10; i++)
        ids[n++] = (int)json_integer_value(
            json_object_get(json_array_get(json_object_get(r.json, "data"), i), "id"));
    http_result_release(&r);
    /* new articles, the newest and the oldest of all, land between pages */
    ck_assert_int_eq(store_batch_begin(fx.st, 10, &b, &ei), ERR_OK);
    for (int k = 0; k < 5; k++) {
        enum put_outcome o;
        int64_t id;
        char json[200];
        json_t *in, *a;

        snprintf(json, sizeof(json),
                 "{\"title\": \"Late %d\", \"published\": \"%s\", \"body\": \"late\"}", k,
                 k % 2 ? "2030-01-01" : "2000-01-01");
        in = json_loads(json, 0, NULL);
        a = article_normalize(in, &ei);
        ck_assert_int_eq(store_batch_put(b, a, NULL, &o, &id, &ei), ERR_OK);
        json_decref(in);
        json_decref(a);
    }
    ck_assert_int_eq(store_batch_end(b, &ei), ERR_OK);
    n += walk_from("/v1/articles?limit=50", cursor, ids + n, N + 10 - n);
    /* every old article exactly once; of the new ones, only the older */
    ck_assert_int_eq(n, N + 3);
    for (int id = 1; id <= N; id++) {
        int seen = 0;

        for (int k = 0; k < n; k++)
            seen += ids[k] == id;
        ck_assert_msg(seen == 1, "article %d seen %d times", id, seen);
    }
}
END_TEST

/* ---- facets and timelines ---- */

/* The total of a list asked with count=true. */
static size_t
hits(const char *target)
{
    struct http_result r;
    size_t n;

    ok(target, &r);
    n = (size_t)json_integer_value(json_object_get(r.json, "total"));
    http_result_release(&r);
    return n;
}

static long
facet_count(const json_t *res, const char *value)
{
    size_t i;
    json_t *row;

    json_array_foreach (json_object_get(res, "data"), i, row) {
        if (strcmp(sval(row, "value"), value) == 0)
            return (long)json_integer_value(json_object_get(row, "count"));
    }
    return 0;
}

START_TEST(facets_count_what_the_lists_hold)
{
    struct http_result r;
    json_t *res;

    res = ok("/v1/facets?field=theme&limit=100", &r);
    for (int t = 0; t < 6; t++) {
        long want = 0;

        for (int i = 0; i < N; i++)
            want += (gen[i].themes >> t) & 1;
        ck_assert_int_eq(facet_count(res, themes[t]), want);
    }
    http_result_release(&r);
    /* under a filter, counted afresh */
    res = ok("/v1/facets?field=year&source=Beta+Post", &r);
    for (int y = 2022; y <= 2023; y++) {
        char year[8];
        long want = 0;

        snprintf(year, sizeof(year), "%d", y);
        for (int i = 0; i < N; i++)
            want += gen[i].source != NULL && strcmp(gen[i].source, "Beta Post") == 0 &&
                    strncmp(gen[i].date, year, 4) == 0;
        ck_assert_int_eq(facet_count(res, year), want);
    }
    http_result_release(&r);
    res = ok("/v1/facets?field=official&theme=energy", &r);
    for (int o = 0; o < 6; o++) {
        long want = 0;

        for (int i = 0; i < N; i++)
            want += gen[i].official == o && (gen[i].themes & 1);
        struct buf slug;
        buf_init(&slug);
        slugify(&slug, officials[o], 80);
        ck_assert_int_eq(facet_count(res, slug.data), want);
        buf_release(&slug);
    }
    http_result_release(&r);
    /* the parent organization's slug shows, and sources count without case */
    res = ok("/v1/facets?field=source&limit=10", &r);
    ck_assert_uint_eq(json_array_size(json_object_get(res, "data")), 3);
    http_result_release(&r);
    res = ok("/v1/facets?field=month&limit=1", &r);
    ck_assert_uint_eq(json_array_size(json_object_get(res, "data")), 1);
    http_result_release(&r);
    res = ok("/v1/facets?field=theme&q=industries", &r);
    long want = 0;
    for (int i = 0; i < N; i++)
        want += gen[i].industries && (gen[i].themes & 1);
    ck_assert_int_eq(facet_count(res, "energy"), want);
    http_result_release(&r);
}
END_TEST

/* all, a facet's every value, and the answer to one, the same facet asked
 * with limit=1, tell how many values there are and the sum of the counts
 * left out. */
static void
check_facet_totals(const json_t *all, const char *one)
{
    const json_t *data = json_object_get(all, "data");
    struct http_result r;
    long sum = 0;
    json_t *res, *row;
    size_t i;

    json_array_foreach (data, i, row)
        sum += (long)json_integer_value(json_object_get(row, "count"));
    ck_assert_int_eq(json_integer_value(json_object_get(all, "values")),
                     (json_int_t)json_array_size(data));
    ck_assert_int_eq(json_integer_value(json_object_get(all, "other")), 0);
    res = ok(one, &r);
    ck_assert_uint_eq(json_array_size(json_object_get(res, "data")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(res, "values")),
                     (json_int_t)json_array_size(data));
    ck_assert_msg(
        json_integer_value(json_object_get(res, "other")) ==
            sum - json_integer_value(json_object_get(json_array_get(data, 0), "count")),
        "%s: other %lld of %ld", one,
        (long long)json_integer_value(json_object_get(res, "other")), sum);
    http_result_release(&r);
}

/* A dashboard drills down from a facet value to the list: for every value
 * of the theme, official and organization facets, under other filters or
 * none, the count is the total of the list filtered by that value (an
 * organization's articles include those quoting its departments). */
START_TEST(facets_agree_with_the_filters)
{
    static const char *const fields[] = {"theme", "official", "organization"};
    static const char *const others[] = {"", "&theme=energy", "&source=Beta+Post",
                                         "&from=2023-01-01"};
    bool parent_seen = false;

    for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
        for (size_t o = 0; o < sizeof(others) / sizeof(others[0]); o++) {
            struct http_result r;
            char url[256], one[256];
            json_t *res, *row;
            size_t i;

            /* a repeated filter means OR: not the same question */
            snprintf(url, sizeof(url), "&%s=", fields[f]);
            if (strstr(others[o], url) != NULL)
                continue;
            snprintf(url, sizeof(url), "/v1/facets?field=%s&limit=1000%s", fields[f],
                     others[o]);
            res = ok(url, &r);
            ck_assert_uint_gt(json_array_size(json_object_get(res, "data")), 0);
            snprintf(one, sizeof(one), "/v1/facets?field=%s&limit=1%s", fields[f],
                     others[o]);
            check_facet_totals(res, one);
            json_array_foreach (json_object_get(res, "data"), i, row) {
                const char *value = sval(row, "value");
                long count = (long)json_integer_value(json_object_get(row, "count"));

                snprintf(url, sizeof(url), "/v1/articles?%s=%s&count=true&limit=1%s",
                         fields[f], value, others[o]);
                size_t total = hits(url);

                ck_assert_msg((long)total == count, "%s=%s%s: facet %ld, list %zu",
                              fields[f], value, others[o], count, total);
                parent_seen = parent_seen || strcmp(value, "energy-ministry") == 0;
            }
            http_result_release(&r);
        }
    }
    /* Energy Ministry is quoted only through its Grid Office */
    ck_assert(parent_seen);
}
END_TEST

START_TEST(timelines_fill_every_period)
{
    struct http_result r;
    json_t *res, *row;
    size_t i;
    long total = 0;
    char prev[16] = "";

    res = ok("/v1/timeline?interval=month", &r);
    json_array_foreach (json_object_get(res, "data"), i, row) {
        const char *p = sval(row, "period");
        long want = 0;

        ck_assert_int_eq(strlen(p), 7);
        ck_assert(strcmp(prev, p) < 0);
        /* consecutive months, no gaps */
        if (prev[0] != '\0') {
            int y1, m1, y2, m2;

            sscanf(prev, "%d-%d", &y1, &m1);
            sscanf(p, "%d-%d", &y2, &m2);
            ck_assert_int_eq(y2 * 12 + m2, y1 * 12 + m1 + 1);
        }
        snprintf(prev, sizeof(prev), "%s", p);
        for (int k = 0; k < N; k++)
            want += strncmp(gen[k].date, p, 7) == 0;
        ck_assert_int_eq(json_integer_value(json_object_get(row, "count")), want);
        total += want;
    }
    ck_assert_int_eq(total, N);
    http_result_release(&r);
    /* weeks start on Monday; the range of from..to is filled even where empty */
    res = ok("/v1/timeline?interval=week&from=2022-01-01&to=2022-03-31&theme=health", &r);
    json_array_foreach (json_object_get(res, "data"), i, row) {
        int64_t start = date_to_days(sval(row, "start"));
        long want = 0;

        ck_assert_int_eq(((start % 7) + 7 + 3) % 7, 0); /* a Monday */
        for (int k = 0; k < N; k++) {
            int64_t d = date_to_days(gen[k].date);

            want += (gen[k].themes & 4) && d >= start && d < start + 7 &&
                    strcmp(gen[k].date, "2022-03-31") <= 0;
        }
        ck_assert_int_eq(json_integer_value(json_object_get(row, "count")), want);
    }
    ck_assert_str_eq(sval(json_array_get(json_object_get(res, "data"), 0), "period"),
                     "2021-W52");
    ck_assert_uint_eq(json_array_size(json_object_get(res, "data")), 14);
    http_result_release(&r);
    res = ok("/v1/timeline?interval=year&of=quotes", &r);
    total = 0;
    json_array_foreach (json_object_get(res, "data"), i, row) {
        total += (long)json_integer_value(json_object_get(row, "count"));
    }
    long quoted = 0;
    for (int k = 0; k < N; k++)
        quoted += gen[k].official >= 0;
    ck_assert_int_eq(total, quoted);
    http_result_release(&r);
    res = ok("/v1/timeline?interval=day&from=2031-01-01", &r);
    ck_assert_uint_eq(json_array_size(json_object_get(res, "data")), 0);
    http_result_release(&r);
}
END_TEST

/* ---- formats ---- */

/* Parses RFC 4180 CSV into an array of arrays of strings. */
static json_t *
csv_parse(const char *s)
{
    json_t *rows = json_array(), *row = json_array();
    struct buf cell;

    buf_init(&cell);
    while (*s != '\0') {
        if (*s == '"') {
            for (s++; *s != '\0'; s++) {
                if (*s == '"' && s[1] == '"') {
                    buf_addc(&cell, '"');
                    s++;
                } else if (*s == '"') {
                    s++;
                    break;
                } else {
                    buf_addc(&cell, *s);
                }
            }
        }
        if (*s == ',' || *s == '\r' || *s == '\0') {
            json_array_append_new(row, json_string(cell.data));
            buf_reset(&cell);
            if (*s == ',') {
                s++;
                continue;
            }
            if (*s == '\r') {
                ck_assert_int_eq(s[1], '\n'); /* CRLF line ends */
                s += 2;
            }
            json_array_append_new(rows, row);
            row = json_array();
            continue;
        }
        buf_addc(&cell, *s++);
    }
    json_decref(row);
    buf_release(&cell);
    return rows;
}

/* The text the CSV cell of column path should hold for a JSON row. */
static void
expected_cell(struct buf *b, const json_t *row, const char *path)
{
    char key[64];
    const char *dot = strchr(path, '.');
    const json_t *v;

    if (dot != NULL) {
        snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
        v = json_object_get(row, key);
        if (json_is_object(v))
            expected_cell(b, v, dot + 1);
        return;
    }
    v = json_object_get(row, path);
    if (json_is_string(v))
        buf_adds(b, json_string_value(v));
    else if (json_is_integer(v))
        buf_addf(b, "%lld", (long long)json_integer_value(v));
    else if (json_is_real(v))
        buf_addf(b, "%.17g", json_real_value(v));
    else if (json_is_array(v)) {
        size_t i;
        json_t *e;

        json_array_foreach (v, i, e) {
            buf_addf(b, "%s%s", i ? "|" : "",
                     json_is_object(e) ? sval(e, "slug") : json_string_value(e));
        }
    }
}

static void
check_csv_matches_json(const char *target)
{
    struct http_result j, c;
    char url[512];
    json_t *rows, *header;
    size_t i;
    json_t *row;

    ok(target, &j);
    snprintf(url, sizeof(url), "%s&format=csv", target);
    ok(url, &c);
    ck_assert_str_eq(http_header(&c, "Content-Type"),
                     "text/csv; charset=utf-8; header=present");
    rows = csv_parse(c.body.data);
    header = json_array_get(rows, 0);
    ck_assert_uint_eq(json_array_size(rows),
                      json_array_size(json_object_get(j.json, "data")) + 1);
    json_array_foreach (json_object_get(j.json, "data"), i, row) {
        json_t *cells = json_array_get(rows, i + 1);

        ck_assert_uint_eq(json_array_size(cells), json_array_size(header));
        for (size_t k = 0; k < json_array_size(header); k++) {
            struct buf want;

            buf_init(&want);
            expected_cell(&want, row, json_string_value(json_array_get(header, k)));
            ck_assert_msg(
                strcmp(want.data, json_string_value(json_array_get(cells, k))) == 0,
                "%s row %zu column %s: \"%s\" != \"%s\"", target, i,
                json_string_value(json_array_get(header, k)), want.data,
                json_string_value(json_array_get(cells, k)));
            buf_release(&want);
        }
    }
    json_decref(rows);
    http_result_release(&j);
    http_result_release(&c);
}

START_TEST(csv_parses_back_to_the_json_rows)
{
    check_csv_matches_json("/v1/articles?limit=30");
    check_csv_matches_json("/v1/quotes?limit=30");
    check_csv_matches_json("/v1/officials?limit=30");
    check_csv_matches_json("/v1/organizations?limit=30");
    check_csv_matches_json("/v1/themes?limit=30");
    check_csv_matches_json("/v1/articles?limit=5&fields=title,themes,id");
    check_csv_matches_json("/v1/facets?field=theme");
    check_csv_matches_json("/v1/timeline?interval=month");
    check_csv_matches_json("/v1/search?q=industries&limit=20");
}
END_TEST

START_TEST(ndjson_and_accept)
{
    static const char *const ndjson[] = {"Accept: application/x-ndjson", NULL};
    static const char *const csv[] = {"Accept: text/html;q=0.9, text/csv;q=0.8", NULL};
    static const char *const html[] = {"Accept: text/html", NULL};
    static const char *const json_low[] = {"Accept: text/csv;q=0.1, application/json",
                                           NULL};
    struct http_result r, j;
    const char *line;
    int n = 0;

    http_request(fx.port, "GET", "/v1/articles?limit=25&count=true", ndjson, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(http_header(&r, "Content-Type"), "application/x-ndjson");
    ck_assert_str_eq(http_header(&r, "X-Total-Count"), "240");
    ok("/v1/articles?limit=25", &j);
    for (line = r.body.data; *line != '\0'; line = strchr(line, '\n') + 1) {
        json_t *v = json_loadb(line, (size_t)(strchr(line, '\n') - line), 0, NULL);

        ck_assert(
            json_equal(v, json_array_get(json_object_get(j.json, "data"), (size_t)n)));
        json_decref(v);
        n++;
    }
    ck_assert_int_eq(n, 25);
    http_result_release(&r);
    http_result_release(&j);
    http_request(fx.port, "GET", "/v1/themes", csv, NULL, &r);
    ck_assert_str_eq(http_header(&r, "Content-Type"),
                     "text/csv; charset=utf-8; header=present");
    http_result_release(&r);
    http_request(fx.port, "GET", "/v1/themes", json_low, NULL, &r);
    ck_assert_str_eq(http_header(&r, "Content-Type"), "application/json");
    http_result_release(&r);
    http_request(fx.port, "GET", "/v1/themes", html, NULL, &r);
    assert_problem(&r, 406, "text/csv");
    http_result_release(&r);
}
END_TEST

START_TEST(exports_stream_whole_tables)
{
    struct http_result r;
    json_t *rows;
    int lines = 0;

    http_get(fx.port, "/v1/export/articles?format=ndjson", &r);
    ck_assert_int_eq(r.status, 200);
    for (const char *p = r.body.data; (p = strchr(p, '\n')) != NULL; p++)
        lines++;
    ck_assert_int_eq(lines, N);
    /* exported articles carry what re-importing them needs */
    json_t *first = json_loadb(
        r.body.data, (size_t)(strchr(r.body.data, '\n') - r.body.data), 0, NULL);
    ck_assert_ptr_nonnull(json_object_get(first, "body"));
    ck_assert_ptr_nonnull(json_object_get(first, "quotes"));
    json_decref(first);
    http_result_release(&r);
    http_get(fx.port, "/v1/export/quotes?format=csv", &r);
    rows = csv_parse(r.body.data);
    int quoted = 0;
    for (int k = 0; k < N; k++)
        quoted += gen[k].official >= 0;
    ck_assert_int_eq((int)json_array_size(rows), quoted + 1);
    ck_assert_str_eq(json_string_value(json_array_get(json_array_get(rows, 0), 0)), "id");
    json_decref(rows);
    http_result_release(&r);
    http_get(fx.port, "/v1/export/officials", &r);
    ck_assert(json_is_array(r.json));
    ck_assert_uint_eq(json_array_size(r.json), 6);
    http_result_release(&r);
    http_get(fx.port, "/v1/export/passwords", &r);
    assert_problem(&r, 404, "no table passwords");
    http_result_release(&r);
}
END_TEST

/* Removes every occurrence of what from s, in place. */
static void
strip(char *s, const char *what)
{
    size_t n = strlen(what);
    char *at;

    while ((at = strstr(s, what)) != NULL)
        memmove(at, at + n, strlen(at + n) + 1);
}

/* A search row's snippet is a passage of its own article: without its
 * marks and ellipses, a part of the title or of the body. */
static void
assert_own_snippet(const json_t *row, const char *start, const char *end)
{
    struct http_result r;
    char target[64], *passage = strdup(sval(row, "snippet"));
    json_int_t id = json_integer_value(json_object_get(row, "id"));

    strip(passage, start);
    strip(passage, end);
    strip(passage, "…");
    snprintf(target, sizeof(target), "/v1/articles/%lld?include=body", (long long)id);
    ok(target, &r);
    ck_assert_msg(strstr(sval(r.json, "title"), passage) != NULL ||
                      strstr(sval(r.json, "body"), passage) != NULL,
                  "article %lld has the snippet %s", (long long)id, sval(row, "snippet"));
    http_result_release(&r);
    free(passage);
}

/* ---- search ---- */

START_TEST(search_syntax)
{
    size_t industries = 0, wind = 0, wind_industries = 0, cjk = 0;

    for (int i = 0; i < N; i++) {
        industries += gen[i].industries;
        wind += i % 3 == 0;
        wind_industries += i % 3 == 0 && gen[i].industries;
        cjk += gen[i].cjk;
    }
    /* stemming: the singular finds the plural */
    ck_assert_uint_eq(hits("/v1/search?count=true&q=industry"), industries);
    ck_assert_uint_eq(hits("/v1/search?count=true&q=%22wind+power%22"), wind);
    ck_assert_uint_eq(hits("/v1/search?count=true&q=%22power+wind%22"), 0);
    ck_assert_uint_eq(hits("/v1/search?count=true&q=wind+industries"), wind_industries);
    ck_assert_uint_eq(hits("/v1/search?count=true&q=wind+-industries"),
                      wind - wind_industries);
    ck_assert_uint_eq(hits("/v1/search?count=true&q=wind+OR+industries"),
                      wind + industries - wind_industries);
    ck_assert_uint_eq(hits("/v1/search?count=true&q=indus*"), industries);
    ck_assert_uint_eq(hits("/v1/search?count=true&q=%22wind+pow%22*"), wind);
    ck_assert_uint_eq(hits("/v1/search?count=true&q=%22power+wi%22*"), 0);
    /* Chinese and Japanese: two characters, more, and across a word */
    ck_assert_uint_eq(hits("/v1/search?count=true&q=%E7%BB%8F%E6%B5%8E"), cjk); /* 经济 */
    ck_assert_uint_eq(
        hits("/v1/search?count=true&q=%E6%95%B0%E5%AD%97%E7%BB%8F%E6%B5%8E"),
        cjk); /* 数字经济 */
    ck_assert_uint_eq(hits("/v1/search?count=true&q=%E4%BC%9A%E8%AD%B0"), cjk); /* 会議 */
    ck_assert_uint_eq(hits("/v1/search?count=true&q=%E6%B5%8E%E6%95%B0"), 0); /* 济数 */
    /* punctuation between the words is skipped, whatever its script */
    ck_assert_uint_eq(hits("/v1/search?count=true&q=wind+%E2%80%94+industries"),
                      wind_industries); /* — */
    ck_assert_uint_eq(hits("/v1/search?count=true&q=wind+-+industries"), wind_industries);
    ck_assert_uint_eq(hits("/v1/articles?count=true&q=%E7%BB%8F%E6%B5%8E+%E3%80%82"),
                      cjk); /* 经济 。 */
    ck_assert_uint_eq(hits("/v1/search?count=true&q=%C2%ABwind%C2%BB+%E2%80%A6"),
                      wind); /* «wind» … */
    /* the other filters apply */
    ck_assert_uint_eq(hits("/v1/search?count=true&q=industries&language=zh"),
                      (size_t)(N / 85 + 1));
    ck_assert_uint_eq(hits("/v1/articles?count=true&q=industries"), industries);
    /* quotes are searchable too */
    ck_assert_uint_gt(hits("/v1/quotes?count=true&q=paragraph"), 0);
    ck_assert_uint_eq(hits("/v1/quotes?count=true&q=zzzz"), 0);
}
END_TEST

START_TEST(search_ranks_and_pages)
{
    struct http_result r;
    static int ids[N];
    json_t *row;
    size_t i;
    double prev = 1e300;

    ok("/v1/"
       "search?q=%E7%BB%8F%E6%B5%8E&highlight_start=%5B&highlight_end=%5D&fields=score,"
       "snippet",
       &r);
    json_array_foreach (json_object_get(r.json, "data"), i, row) {
        double s = json_number_value(json_object_get(row, "score"));

        ck_assert(s <= prev);
        prev = s;
        ck_assert_ptr_nonnull(strstr(sval(row, "snippet"), "[经济]"));
    }
    http_result_release(&r);
    /* pages by relevance cover every hit once */
    size_t industries = 0;
    for (int k = 0; k < N; k++)
        industries += gen[k].industries;
    ck_assert_int_eq(walk("/v1/search?q=industries&limit=7", ids, N), (int)industries);
    ok("/v1/search?q=industries&limit=1&fields=snippet", &r);
    ck_assert_ptr_nonnull(strstr(
        sval(json_array_get(json_object_get(r.json, "data"), 0), "snippet"), "<mark>"));
    http_result_release(&r);
}
END_TEST

static bool
industries_from_alpha_since_2022_06(const struct gen *g, const void *arg)
{
    (void)arg;
    return g->industries && g->source != NULL && strcmp(g->source, "Alpha Times") == 0 &&
           strcmp(g->date, "2022-06-01") >= 0;
}

/* A search page is chosen by ids and ranks first and read whole after:
 * under filters and sorted by date, the pages still hold every match once,
 * newest first, each with its score. */
START_TEST(search_pages_under_filters)
{
    static int want[N], ids[N];
    struct http_result r;
    json_t *row;
    size_t i;
    int n = expected(industries_from_alpha_since_2022_06, NULL, want);
    int got = walk("/v1/search?q=industries&source=alpha+times&from=2022-06-01"
                   "&sort=-published&limit=3",
                   ids, N);

    ck_assert_int_gt(n, 3);
    ck_assert_int_eq(got, n);
    qsort(want, (size_t)n, sizeof(int), cmp_date_desc);
    for (int k = 0; k < n; k++)
        ck_assert_int_eq(ids[k], want[k]);
    ok("/v1/search?q=industries&source=alpha+times&sort=-published&limit=5&fields=id,"
       "title,score,snippet",
       &r);
    json_array_foreach (json_object_get(r.json, "data"), i, row) {
        ck_assert_ptr_nonnull(strstr(sval(row, "title"), "industries"));
        ck_assert(json_number_value(json_object_get(row, "score")) > 0);
        ck_assert_ptr_nonnull(strstr(sval(row, "snippet"), "<mark>"));
        assert_own_snippet(row, "<mark>", "</mark>");
    }
    http_result_release(&r);
}
END_TEST

/* Pages sorted by title go on after a long title (the cursor holds the
 * title: fuzz_cursor found that cursors of such positions were refused). */
START_TEST(pages_after_long_titles)
{
    struct err_info ei = {0};
    struct buf url;
    int ids[N + 3];

    for (int i = 0; i < 3; i++) {
        struct buf title;
        enum put_outcome outcome;
        int64_t id;
        json_t *a;

        buf_init(&title);
        for (int k = 0; k < 320; k++)
            buf_adds(&title, "\xe9\x95\xbf"); /* 960 bytes */
        buf_addf(&title, " %d", i);
        a = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[], s:[]}", "title", title.data,
                      "published", "2024-06-01", "body", "Long titles.", "summary",
                      "Long titles.", "language", "zh", "themes", "quotes");
        ck_assert_int_eq(store_article_save(fx.st, a, NULL, &outcome, &id, &ei), ERR_OK);
        json_decref(a);
        buf_release(&title);
    }
    /* the long titles sort last: walk down from them */
    buf_init(&url);
    buf_adds(&url, "/v1/articles?sort=-title&limit=1");
    for (int n = 0; n < N + 3; n++) {
        struct http_result r;
        const char *next;

        ok(url.data, &r);
        ids[n] = (int)json_integer_value(
            json_object_get(json_array_get(json_object_get(r.json, "data"), 0), "id"));
        next = sval(r.json, "next_cursor");
        if (n < 4)
            ck_assert_int_eq(ids[n], n < 3 ? N + 3 - n : N);
        if (next == NULL || n == 4) {
            http_result_release(&r);
            break;
        }
        buf_reset(&url);
        buf_addf(&url, "/v1/articles?sort=-title&limit=1&cursor=%s", next);
        http_result_release(&r);
    }
    buf_release(&url);
}
END_TEST

START_TEST(bad_query_parameters)
{
    static const struct {
        const char *target;
        long status;
        const char *words;
    } cases[] = {
        {"/v1/search", 400, "q is required"},
        {"/v1/search?q=", 400, "no words"},
        {"/v1/search?q=-energy", 400, "only excluded"},
        {"/v1/search?q=%22open", 400, "not closed"},
        {"/v1/search?q=OR+energy", 400, "OR needs"},
        {"/v1/search?q=energy+OR", 400, "OR needs"},
        {"/v1/search?q=energy+NOT", 400, "needs a term"},
        {"/v1/search?q=-+-", 400, "no words"},
        {"/v1/search?q=%22%22", 400, "no letters"},
        {"/v1/search?q=%E2%80%94+%E3%80%82", 400, "no words"}, /* — 。 */
        {"/v1/search?q=energy&sort=title", 400, "relevance"},
        {"/v1/search?q=energy&highlight_start=0123456789012345678901234567890123", 400,
         "longer than 32"},
        {"/v1/search?q=NEAR(a+b)+col:energy+%27x%27+%5E1", 200, NULL},
        {"/v1/search?q=*", 400, "no letters"},
        {"/v1/quotes?q=-x", 400, "only excluded"},
        {"/v1/facets", 400, "field must be"},
        {"/v1/facets?field=colour", 400, "field must be"},
        {"/v1/facets?field=theme&limit=0", 400, "between 1 and 1000"},
        {"/v1/facets?field=theme&sort=name", 400, "unknown parameter"},
        {"/v1/timeline?interval=hour", 400, "day, week, month or year"},
        {"/v1/timeline?of=people", 400, "articles or quotes"},
        {"/v1/timeline?interval=day&from=1000-01-01&to=9999-12-31", 400, "more than"},
        {"/v1/articles?format=xml", 400, "json, csv or ndjson"},
        {"/v1/export/articles?limit=5", 400, "unknown parameter"},
    };
    char longq[700];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct http_result r;

        http_get(fx.port, cases[i].target, &r);
        if (cases[i].status == 200)
            ck_assert_msg(r.status == 200, "%s: %s", cases[i].target, r.body.data);
        else
            assert_problem(&r, cases[i].status, cases[i].words);
        http_result_release(&r);
    }
    strcpy(longq, "/v1/search?q=");
    memset(longq + strlen(longq), 'a', 600);
    longq[613] = '\0';
    struct http_result r;
    http_get(fx.port, longq, &r);
    assert_problem(&r, 400, "longer than 512");
    http_result_release(&r);
}
END_TEST

START_TEST(filtered_lists_use_indexes)
{
    static const struct {
        const char *theme, *source, *from;
        enum sort_key sort;
        const char *uses;
    } cases[] = {
        {"energy", NULL, NULL, SORT_PUBLISHED, "article_themes_theme"},
        /* a quarter of the articles: the date index is walked, each
         * article's source tested (many_matches_walk_the_order) */
        {NULL, "Alpha Times", NULL, SORT_PUBLISHED, "articles_published"},
        {NULL, NULL, "2023-01-01", SORT_PUBLISHED, "articles_published"},
        {NULL, NULL, NULL, SORT_TITLE, "articles_title"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct err_info ei = {0};
        struct filter f = {0};
        struct page pg = {.limit = 20, .sort = cases[i].sort, .desc = true};
        json_t *plan, *line;
        bool uses = false;
        size_t k;

        if (cases[i].theme != NULL) {
            f.theme.v[0] = cases[i].theme;
            f.theme.n = 1;
        }
        if (cases[i].source != NULL) {
            f.source.v[0] = cases[i].source;
            f.source.n = 1;
        }
        f.from = cases[i].from;
        ck_assert_int_eq(store_query_plan(fx.st, RES_ARTICLES, &f, &pg, &plan, &ei),
                         ERR_OK);
        json_array_foreach (plan, k, line) {
            const char *s = json_string_value(line);

            uses = uses || strstr(s, cases[i].uses) != NULL;
            /* no full scan of a table, and no sort of the whole result */
            ck_assert_msg(strcmp(s, "SCAN x") != 0, "case %zu: %s", i, s);
            ck_assert_msg(strstr(s, "TEMP B-TREE") == NULL, "case %zu: %s", i, s);
        }
        ck_assert_msg(uses, "case %zu does not use %s", i, cases[i].uses);
        json_decref(plan);
    }
}
END_TEST

/* The plan of a page of kind res filtered by f, sorted by sort: whether it
 * reads index (NULL: anything), and whether it sorts the rows it found. */
static bool
plan_of(enum resource res, const struct filter *f, enum sort_key sort, const char *index,
        bool *sorts)
{
    struct err_info ei = {0};
    struct page pg = {.limit = 20, .sort = sort, .desc = true};
    json_t *plan, *line;
    bool uses = index == NULL;
    size_t k;

    ck_assert_int_eq(store_query_plan(fx.st, res, f, &pg, &plan, &ei), ERR_OK);
    *sorts = false;
    json_array_foreach (plan, k, line) {
        const char *step = json_string_value(line);

        uses = uses || strstr(step, index) != NULL;
        *sorts = *sorts || strstr(step, "B-TREE FOR ORDER BY") != NULL;
    }
    json_decref(plan);
    return uses;
}

/* A filter that matches many rows is tested row by row while the index of
 * the page's order is walked, until the page is full; one that matches
 * few gives its rows, which are then sorted.  Either way the pages are
 * the rows one big page gives, in its order. */
START_TEST(many_matches_walk_the_order)
{
    struct filter two_officials = {
        .official = {.v = {"ada-quist", "bram-oyelaran"}, .n = 2}};
    struct filter two_themes = {.theme = {.v = {"energy", "trade"}, .n = 2}};
    struct filter english = {.language = {.v = {"en"}, .n = 1}};
    struct filter rare = {.source = {.v = {"Rare Wire"}, .n = 1}};
    struct filter since = {.from = "2000-01-01", .to = "2100-01-01"};
    struct filter days = {.to = "2022-01-20"};
    struct err_info ei = {0};
    struct store_batch *b;
    static const char *const targets[] = {
        "/v1/quotes?official=ada-quist,bram-oyelaran",
        "/v1/quotes?language=en&sort=id",
        "/v1/articles?theme=energy,trade&sort=title",
        "/v1/articles?language=en&official=cleo-vance",
        "/v1/articles?source=rare+wire&sort=title",
        "/v1/articles?from=2000-01-01&to=2100-01-01&sort=-title",
        "/v1/articles?to=2022-01-20&sort=-title",
    };
    bool sorts;

    /* many: walked in order, nothing sorted */
    ck_assert(
        plan_of(RES_QUOTES, &two_officials, SORT_PUBLISHED, "quotes_published", &sorts));
    ck_assert(!sorts);
    ck_assert(plan_of(RES_QUOTES, &english, SORT_PUBLISHED, "quotes_published", &sorts));
    ck_assert(!sorts);
    ck_assert(plan_of(RES_ARTICLES, &two_themes, SORT_TITLE, "articles_title", &sorts));
    ck_assert(!sorts);
    ck_assert(plan_of(RES_ARTICLES, &english, SORT_TITLE, "articles_title", &sorts));
    ck_assert(!sorts);
    ck_assert(plan_of(RES_ARTICLES, &since, SORT_TITLE, "articles_title", &sorts));
    ck_assert(!sorts);
    /* few: found through their own index */
    ck_assert_int_eq(store_batch_begin(fx.st, 10, &b, &ei), ERR_OK);
    for (int k = 0; k < 3; k++) {
        enum put_outcome o;
        char json[200];
        json_t *in, *a;
        int64_t id;

        snprintf(json, sizeof(json),
                 "{\"title\": \"Wire %c\", \"published\": \"2024-03-0%d\", "
                 "\"body\": \"b\", \"source\": \"Rare Wire\"}",
                 'C' - k, k + 1);
        in = json_loads(json, 0, NULL);
        a = article_normalize(in, &ei);
        ck_assert_int_eq(store_batch_put(b, a, NULL, &o, &id, &ei), ERR_OK);
        json_decref(in);
        json_decref(a);
    }
    ck_assert_int_eq(store_batch_end(b, &ei), ERR_OK);
    ck_assert(plan_of(RES_ARTICLES, &rare, SORT_TITLE, "articles_source", &sorts));
    ck_assert(sorts);
    ck_assert(plan_of(RES_ARTICLES, &days, SORT_TITLE, "articles_published", &sorts));
    ck_assert(sorts);
    /* the same rows either way, page after page */
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
        ck_assert_int_gt(pages_match_one_page(targets[i]), 2);
}
END_TEST

/* Whether a step of the plan of counting the rows of res that f filters
 * starts with "count: " and then step. */
static bool
count_plan_has(enum resource res, const struct filter *f, const char *step)
{
    struct err_info ei = {0};
    struct page pg = {.limit = 20, .sort = SORT_PUBLISHED, .desc = true, .count = true};
    json_t *plan, *line;
    bool has = false, counted = false;
    size_t k;

    ck_assert_int_eq(store_query_plan(fx.st, res, f, &pg, &plan, &ei), ERR_OK);
    json_array_foreach (plan, k, line) {
        const char *text = json_string_value(line);

        counted = counted || strncmp(text, "count: ", 7) == 0;
        has = has || (strncmp(text, "count: ", 7) == 0 &&
                      strncmp(text + 7, step, strlen(step)) == 0);
    }
    ck_assert_msg(counted, "%s", json_dumps(plan, 0));
    json_decref(plan);
    return has;
}

/* Counting quotes reads their articles only for the articles' own
 * columns, and never their officials or organizations; the counts are
 * the rows the pages give. */
START_TEST(counts_read_only_what_they_filter)
{
    struct filter two_officials = {
        .official = {.v = {"ada-quist", "bram-oyelaran"}, .n = 2}};
    struct filter english = {.language = {.v = {"en"}, .n = 1}};
    static const char *const targets[] = {
        "/v1/quotes?official=ada-quist,bram-oyelaran",
        "/v1/quotes?language=en",
        "/v1/quotes?source=alpha+times&theme=energy,trade",
        "/v1/quotes?organization=1",
        "/v1/quotes?q=port",
    };

    ck_assert(!count_plan_has(RES_QUOTES, &two_officials, "SEARCH a "));
    ck_assert(!count_plan_has(RES_QUOTES, &two_officials, "SEARCH o "));
    ck_assert(count_plan_has(RES_QUOTES, &english, "SEARCH a "));
    ck_assert(!count_plan_has(RES_QUOTES, &english, "SEARCH o "));
    /* the articles of officials' or organizations' quotes are found in
     * those quotes' index alone */
    ck_assert(
        count_plan_has(RES_ARTICLES, &two_officials,
                       "SEARCH quotes USING COVERING INDEX quotes_official_article"));
    ck_assert(count_plan_has(
        RES_ARTICLES, &(struct filter){.organization = {.v = {"1"}, .n = 1}},
        "SEARCH quotes USING COVERING INDEX quotes_organization_article"));
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        static int ids[N * 4];
        struct http_result r;
        char url[256];
        int n;

        snprintf(url, sizeof(url), "%s&limit=100", targets[i]);
        n = walk(url, ids, N * 4);
        snprintf(url, sizeof(url), "%s&count=true&limit=1", targets[i]);
        ok(url, &r);
        ck_assert_msg(json_integer_value(json_object_get(r.json, "total")) == n, "%s: %d",
                      url, n);
        http_result_release(&r);
    }
}
END_TEST

/* One official's quotes, newest first (/v1/officials/{id}/quotes), are
 * read from the official's entries of an index, in order, by id or by
 * slug: a page does not sort all of that official's quotes. */
START_TEST(one_officials_quotes_use_an_index)
{
    static const char *const names[] = {"1", "ada-quist"};

    for (size_t i = 0; i < 2; i++) {
        for (int desc = 0; desc < 2; desc++) {
            struct err_info ei = {0};
            struct filter f = {.official = {.v = {names[i]}, .n = 1}};
            struct page pg = {.limit = 20, .sort = SORT_PUBLISHED, .desc = desc};
            json_t *plan, *line;
            bool uses = false;
            size_t k;

            ck_assert_int_eq(store_query_plan(fx.st, RES_QUOTES, &f, &pg, &plan, &ei),
                             ERR_OK);
            json_array_foreach (plan, k, line) {
                const char *step = json_string_value(line);

                uses = uses || strstr(step, "quotes_official") != NULL;
                ck_assert_msg(strstr(step, "TEMP B-TREE") == NULL, "%s: %s", names[i],
                              step);
            }
            ck_assert_msg(uses, "%s", json_dumps(plan, 0));
            json_decref(plan);
        }
    }
}
END_TEST

/* The newest quotes of one theme are read through the theme's links in
 * date order, each article's quotes after it, and only the quotes of one
 * date are sorted; a later page starts at its date in the index.  The
 * pages give the quotes one big page gives, in the same order. */
START_TEST(one_themes_quotes_use_its_links)
{
    for (int desc = 0; desc < 2; desc++) {
        for (int later = 0; later < 2; later++) {
            struct err_info ei = {0};
            struct filter f = {.theme = {.v = {"energy"}, .n = 1}};
            struct page pg = {.limit = 20, .sort = SORT_PUBLISHED, .desc = desc};
            json_t *plan, *line;
            bool uses = false;
            size_t k;

            if (later)
                pg.after = json_pack("[s, i]", "2023-06-01", 1000);
            ck_assert_int_eq(store_query_plan(fx.st, RES_QUOTES, &f, &pg, &plan, &ei),
                             ERR_OK);
            json_array_foreach (plan, k, line) {
                const char *step = json_string_value(line);

                uses = uses || (strstr(step, "article_themes_theme") != NULL &&
                                strstr(step, later ? "published" : "theme_id=?") != NULL);
                ck_assert_msg(strstr(step, "B-TREE FOR ORDER BY") == NULL, "%s", step);
            }
            ck_assert_msg(uses, "%s", json_dumps(plan, 0));
            json_decref(plan);
            json_decref(pg.after);
        }
    }
    for (int desc = 0; desc < 2; desc++)
        ck_assert_int_gt(
            pages_match_one_page(desc ? "/v1/quotes?theme=energy&sort=-published"
                                      : "/v1/quotes?theme=energy&sort=published"),
            3);
}
END_TEST

/* A search reads the filters of its matches in a small index, not in the
 * articles' rows; by relevance with dates at most, it is ranked by
 * articles_top() from the lists it keeps. */
START_TEST(search_filters_read_an_index)
{
    struct err_info ei = {0};
    struct filter f = {.q = NULL, .source = {.v = {"Harbour Post"}, .n = 1}};
    struct page pg = {.limit = 20, .sort = SORT_RELEVANCE};
    struct text_query tq;
    json_t *plan, *line;
    bool uses = false;
    size_t k;

    ck_assert_int_eq(text_query_parse("industries", "q", &tq, &ei), ERR_OK);
    f.q = &tq;
    ck_assert_int_eq(store_query_plan(fx.st, RES_SEARCH, &f, &pg, &plan, &ei), ERR_OK);
    json_array_foreach (plan, k, line)
        uses = uses || strstr(json_string_value(line), "COVERING INDEX articles_filter");
    ck_assert_msg(uses, "%s", json_dumps(plan, 0));
    json_decref(plan);
    /* dates, or the query alone: ranked by articles_top(), in its order;
     * only the page's rows are read */
    f.source.n = 0;
    for (int dates = 0; dates < 2; dates++) {
        f.from = dates ? "2023-01-01" : NULL;
        uses = false;
        ck_assert_int_eq(store_query_plan(fx.st, RES_SEARCH, &f, &pg, &plan, &ei),
                         ERR_OK);
        json_array_foreach (plan, k, line) {
            const char *step = json_string_value(line);

            uses = uses || strstr(step, "SCAN t VIRTUAL TABLE") != NULL;
            ck_assert_msg(strstr(step, "articles_filter") == NULL, "%s", step);
            ck_assert_msg(strstr(step, "SEARCH x") == NULL || strstr(step, "PRIMARY KEY"),
                          "%s", step);
        }
        ck_assert_msg(uses, "%s", json_dumps(plan, 0));
        json_decref(plan);
    }
    text_query_release(&tq);
}
END_TEST

START_TEST(updated_since_on_every_list)
{
    static const char *const lists[] = {"/v1/articles", "/v1/themes", "/v1/officials",
                                        "/v1/organizations", "/v1/quotes"};
    char url[256];

    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        snprintf(url, sizeof(url), "%s?count=true&updated_since=2000-01-01T00:00:00Z",
                 lists[i]);
        ck_assert_uint_gt(hits(url), 0);
        snprintf(url, sizeof(url), "%s?count=true&updated_since=2999-01-01T00:00:00Z",
                 lists[i]);
        ck_assert_uint_eq(hits(url), 0);
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("query");
    TCase *tc = tcase_create("query");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, pages_cover_each_row_once_in_order);
    tcase_add_test(tc, other_sorts_walk_in_order);
    tcase_add_test(tc, one_theme_keeps_every_sort);
    tcase_add_test(tc, names_sort_without_case);
    tcase_add_test(tc, pages_are_stable_while_rows_arrive);
    tcase_add_test(tc, facets_count_what_the_lists_hold);
    tcase_add_test(tc, facets_agree_with_the_filters);
    tcase_add_test(tc, timelines_fill_every_period);
    tcase_add_test(tc, csv_parses_back_to_the_json_rows);
    tcase_add_test(tc, ndjson_and_accept);
    tcase_add_test(tc, exports_stream_whole_tables);
    tcase_add_test(tc, search_syntax);
    tcase_add_test(tc, search_ranks_and_pages);
    tcase_add_test(tc, search_pages_under_filters);
    tcase_add_test(tc, pages_after_long_titles);
    tcase_add_test(tc, bad_query_parameters);
    tcase_add_test(tc, filtered_lists_use_indexes);
    tcase_add_test(tc, many_matches_walk_the_order);
    tcase_add_test(tc, counts_read_only_what_they_filter);
    tcase_add_test(tc, one_officials_quotes_use_an_index);
    tcase_add_test(tc, one_themes_quotes_use_its_links);
    tcase_add_test(tc, search_filters_read_an_index);
    tcase_add_test(tc, updated_since_on_every_list);
    suite_add_tcase(s, tc);
    return run_suites(&s, 1);
}
