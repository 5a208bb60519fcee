/* check_http.c - the read API through a real daemon on a loopback port,
 * over a temporary database with the fixtures, with libcurl. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static struct fixture fx;

static void
setup(void)
{
    fixture_start(&fx, true);
}

static void
teardown(void)
{
    fixture_stop(&fx);
}

static json_t *
data(const struct http_result *r)
{
    return json_object_get(r->json, "data");
}

static const char *
sval(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* GET that must answer 200 with JSON. */
static void
ok(const char *target, struct http_result *r)
{
    http_get(fx.port, target, r);
    ck_assert_msg(r->status == 200, "%s: %ld %s", target, r->status, r->body.data);
    ck_assert_str_eq(http_header(r, "Content-Type"), "application/json");
    ck_assert_ptr_nonnull(r->json);
}

/* The number of items a list answers. */
static size_t
count(const char *target)
{
    struct http_result r;
    size_t n;

    ok(target, &r);
    n = json_array_size(data(&r));
    http_result_release(&r);
    return n;
}

START_TEST(health)
{
    struct http_result r;

    ok("/healthz", &r);
    ck_assert_str_eq(sval(r.json, "status"), "ok");
    /* a cache on the way must not answer for the server */
    ck_assert_str_eq(http_header(&r, "Cache-Control"), "no-store");
    http_result_release(&r);
    ok("/readyz", &r);
    ck_assert_str_eq(sval(r.json, "status"), "ready");
    ck_assert_str_eq(http_header(&r, "Cache-Control"), "no-store");
    http_result_release(&r);
}
END_TEST

START_TEST(article_list_envelope)
{
    struct http_result r;
    json_t *first;

    ok("/v1/articles", &r);
    ck_assert_uint_eq(json_array_size(data(&r)), 8);
    ck_assert(json_is_null(json_object_get(r.json, "next_cursor")));
    ck_assert_ptr_null(json_object_get(r.json, "total"));
    ck_assert_ptr_null(http_header(&r, "Link"));
    first = json_array_get(data(&r), 0);
    /* newest first; list items have no body and no quotes, but themes */
    ck_assert_str_eq(sval(first, "published"), "2024-03-08");
    ck_assert_str_eq(sval(first, "title"),
                     "Lighthouse keepers' cottages to become a museum");
    ck_assert_ptr_null(json_object_get(first, "body"));
    ck_assert_ptr_null(json_object_get(first, "quotes"));
    ck_assert(json_is_array(json_object_get(first, "themes")));
    static const char *const keys[] = {"id",     "slug",       "title",     "published",
                                       "source", "url",        "language",  "summary",
                                       "themes", "created_at", "updated_at"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        ck_assert_msg(json_object_get(first, keys[i]) != NULL, "no %s", keys[i]);
    http_result_release(&r);
    ok("/v1/articles?count=true&limit=1", &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), 8);
    http_result_release(&r);
}
END_TEST

START_TEST(article_pages)
{
    char target[2048] = "/v1/articles?limit=3&sort=-published";
    int seen[64] = {0}, pages = 0, total = 0;
    char last[16] = "9999-99-99";

    for (;;) {
        struct http_result r;
        const char *link, *next;
        json_t *row;
        size_t i;

        ok(target, &r);
        json_array_foreach (data(&r), i, row) {
            int id = (int)json_integer_value(json_object_get(row, "id"));

            ck_assert(id > 0 && id < 64);
            ck_assert_int_eq(seen[id]++, 0);
            ck_assert(strcmp(sval(row, "published"), last) <= 0);
            snprintf(last, sizeof(last), "%s", sval(row, "published"));
            total++;
        }
        pages++;
        next = sval(r.json, "next_cursor");
        link = http_header(&r, "Link");
        if (next == NULL) {
            ck_assert_ptr_null(link);
            http_result_release(&r);
            break;
        }
        /* the Link header carries the same cursor and the same query */
        ck_assert_ptr_nonnull(link);
        ck_assert(strstr(link, next) != NULL);
        ck_assert(strstr(link, "limit=3") != NULL);
        ck_assert(strstr(link, "rel=\"next\"") != NULL);
        snprintf(target, sizeof(target), "/v1/articles?limit=3&sort=-published&cursor=%s",
                 next);
        http_result_release(&r);
    }
    ck_assert_int_eq(total, 8);
    ck_assert_int_eq(pages, 3);
}
END_TEST

START_TEST(article_sorts)
{
    struct http_result r;

    ok("/v1/articles?sort=title&limit=2", &r);
    ck_assert_str_eq(sval(json_array_get(data(&r), 0), "title"),
                     "Bridge repairs finish early");
    http_result_release(&r);
    ok("/v1/articles?sort=-title&limit=1", &r);
    ck_assert_str_eq(sval(json_array_get(data(&r), 0), "title"),
                     "Université de Sélestat opens research centre");
    http_result_release(&r);
    ok("/v1/articles?sort=published&limit=1", &r);
    ck_assert_str_eq(sval(json_array_get(data(&r), 0), "published"), "2023-05-02");
    http_result_release(&r);
}
END_TEST

START_TEST(article_filters)
{
    ck_assert_uint_eq(count("/v1/articles?theme=energy"), 2);
    ck_assert_uint_eq(count("/v1/articles?theme=energy,trade"), 3);
    ck_assert_uint_eq(count("/v1/articles?theme=energy&theme=trade"), 3);
    ck_assert_uint_eq(count("/v1/articles?theme=energy&from=2024-01-01"), 1);
    ck_assert_uint_eq(count("/v1/articles?theme=no-such-theme"), 0);
    ck_assert_uint_eq(count("/v1/articles?official=tomas-brenner"), 2);
    ck_assert_uint_eq(count("/v1/articles?official=tomas-brenner&theme=energy"), 1);
    /* a parent organization covers its departments */
    ck_assert_uint_eq(count("/v1/articles?organization=port-emberly-harbour-authority"),
                      1);
    ck_assert_uint_eq(count("/v1/articles?organization=planning-office"), 1);
    ck_assert_uint_eq(count("/v1/articles?source=coastal%20ledger"), 3);
    ck_assert_uint_eq(count("/v1/articles?source=Coastal+Ledger,Policy+Review"), 5);
    ck_assert_uint_eq(count("/v1/articles?language=en"), 8);
    ck_assert_uint_eq(count("/v1/articles?language=fr"), 0);
    ck_assert_uint_eq(count("/v1/articles?from=2024-02-12&to=2024-02-12"), 2);
    ck_assert_uint_eq(count("/v1/articles?to=2023-06-30"), 3);
    ck_assert_uint_eq(count("/v1/articles?updated_since=2999-01-01T00:00:00Z"), 0);
    ck_assert_uint_eq(count("/v1/articles?updated_since=2000-01-01T00:00:00%2B02:00"), 8);
    /* the offset's "+" typed as is, which a query string reads as a space */
    ck_assert_uint_eq(count("/v1/articles?updated_since=2000-01-01T00:00:00+02:00"), 8);
    ck_assert_uint_eq(count("/v1/articles?updated_since=2999-01-01T00:00:00+02:00"), 0);
}
END_TEST

START_TEST(article_projection)
{
    struct http_result r;
    json_t *first;

    ok("/v1/articles?fields=id,title&limit=1", &r);
    first = json_array_get(data(&r), 0);
    ck_assert_uint_eq(json_object_size(first), 2);
    ck_assert_ptr_nonnull(json_object_get(first, "title"));
    http_result_release(&r);
    ok("/v1/articles?include=quotes,officials&theme=trade", &r);
    first = json_array_get(data(&r), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(first, "quotes")), 2);
    ck_assert_str_eq(sval(json_array_get(json_object_get(first, "officials"), 0), "name"),
                     "Ines Halvorsen");
    http_result_release(&r);
    ok("/v1/articles?fields=title,body&limit=1", &r);
    ck_assert_ptr_nonnull(sval(json_array_get(data(&r), 0), "body"));
    http_result_release(&r);
}
END_TEST

START_TEST(one_article)
{
    struct http_result r, by_id;
    json_t *q, *org;
    char target[64];

    ok("/v1/articles/harbour-authority-approves-second-container-terminal", &r);
    ck_assert_str_eq(sval(r.json, "published"), "2024-02-12");
    ck_assert_ptr_nonnull(strstr(sval(r.json, "body"), "\n\nHalvorsen added"));
    ck_assert_str_eq(sval(json_array_get(json_object_get(r.json, "themes"), 0), "slug"),
                     "trade");
    q = json_array_get(json_object_get(r.json, "quotes"), 0);
    ck_assert_str_eq(sval(q, "kind"), "direct");
    ck_assert_str_eq(sval(q, "text"),
                     "The terminal doubles what this port can handle by 2028");
    ck_assert_str_eq(sval(json_object_get(q, "official"), "slug"), "ines-halvorsen");
    ck_assert_str_eq(sval(q, "title"), "director");
    org = json_object_get(q, "organization");
    ck_assert_str_eq(sval(org, "name"), "Planning Office");
    ck_assert_str_eq(sval(json_object_get(org, "parent"), "slug"),
                     "port-emberly-harbour-authority");
    /* offsets point at the text in the body, in characters */
    ck_assert_int_eq(json_integer_value(json_object_get(q, "end")) -
                         json_integer_value(json_object_get(q, "start")),
                     (json_int_t)strlen(sval(q, "text")));
    snprintf(target, sizeof(target), "/v1/articles/%lld",
             (long long)json_integer_value(json_object_get(r.json, "id")));
    ok(target, &by_id);
    ck_assert(json_equal(r.json, by_id.json));
    http_result_release(&by_id);
    http_result_release(&r);
    /* the raw text article keeps its paragraphs and loses the share bar */
    ok("/v1/articles/lighthouse-keepers-cottages-to-become-a-museum", &r);
    ck_assert_str_eq(
        sval(r.json, "body"),
        "The town council of Port Emberly voted to turn the old lighthouse "
        "keepers' cottages into a maritime museum. The vote was unanimous.\n\n"
        "“It is the oldest building we have,” said council leader Ruth Okonkwo.");
    http_result_release(&r);
}
END_TEST

START_TEST(themes)
{
    struct http_result r;
    json_t *t;

    ok("/v1/themes?sort=-article_count&limit=1", &r);
    t = json_array_get(data(&r), 0);
    ck_assert_str_eq(sval(t, "slug"), "energy");
    ck_assert_int_eq(json_integer_value(json_object_get(t, "article_count")), 2);
    ck_assert(json_is_array(json_object_get(t, "keywords")));
    http_result_release(&r);
    ok("/v1/themes/trade", &r);
    ck_assert_str_eq(sval(r.json, "slug"), "trade");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "article_count")), 1);
    http_result_release(&r);
}
END_TEST

START_TEST(officials)
{
    struct http_result r;
    json_t *o, *q;

    /* two officials with two quotes each: the newer id first among equals */
    ok("/v1/officials?sort=-quote_count&limit=2", &r);
    o = json_array_get(data(&r), 0);
    ck_assert_str_eq(sval(o, "name"), "Tomas Brenner");
    ck_assert_int_eq(json_integer_value(json_object_get(o, "quote_count")), 2);
    o = json_array_get(data(&r), 1);
    ck_assert_str_eq(sval(o, "name"), "Ines Halvorsen");
    ck_assert_int_eq(json_integer_value(json_object_get(o, "quote_count")), 2);
    http_result_release(&r);
    ok("/v1/officials/tomas-brenner", &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "quote_count")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "article_count")), 2);
    ck_assert_str_eq(sval(r.json, "first_seen"), "2023-11-20");
    ck_assert_str_eq(sval(r.json, "last_seen"), "2024-01-05");
    ck_assert_str_eq(sval(r.json, "title"), "Energy Minister"); /* the latest */
    ck_assert(json_is_null(json_object_get(r.json, "organization")));
    http_result_release(&r);
    ok("/v1/officials/tomas-brenner/quotes", &r);
    ck_assert_uint_eq(json_array_size(data(&r)), 2);
    q = json_array_get(data(&r), 0); /* newest first */
    ck_assert_str_eq(sval(json_object_get(q, "article"), "published"), "2024-01-05");
    ck_assert_str_eq(sval(q, "kind"), "indirect");
    http_result_release(&r);
    /* the text of the quotes, as in /v1/quotes */
    ok("/v1/officials/tomas-brenner/quotes?q=firms", &r);
    ck_assert_uint_eq(json_array_size(data(&r)), 1);
    ck_assert_str_eq(sval(json_array_get(data(&r), 0), "kind"), "direct");
    http_result_release(&r);
    ck_assert_uint_eq(count("/v1/officials?organization=universite-de-selestat"), 1);
    ck_assert_uint_eq(count("/v1/officials?theme=energy"), 2);
}
END_TEST

START_TEST(organizations)
{
    struct http_result r;

    ok("/v1/organizations/port-emberly-harbour-authority", &r);
    ck_assert(json_is_null(json_object_get(r.json, "parent")));
    ck_assert_str_eq(
        sval(json_array_get(json_object_get(r.json, "departments"), 0), "name"),
        "Planning Office");
    http_result_release(&r);
    ok("/v1/organizations/planning-office", &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "official_count")), 1);
    ck_assert_str_eq(
        sval(json_array_get(json_object_get(r.json, "officials"), 0), "slug"),
        "ines-halvorsen");
    http_result_release(&r);
    ck_assert_uint_eq(count("/v1/organizations"), 4);
}
END_TEST

START_TEST(quotes)
{
    struct http_result r;

    ok("/v1/quotes?count=true", &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), 5);
    ck_assert_ptr_nonnull(json_object_get(json_array_get(data(&r), 0), "article"));
    http_result_release(&r);
    ck_assert_uint_eq(count("/v1/quotes?official=ines-halvorsen"), 2);
    ck_assert_uint_eq(count("/v1/quotes?theme=science"), 1);
    ck_assert_uint_eq(count("/v1/quotes?from=2024-01-01"), 3);
    ck_assert_uint_eq(count("/v1/quotes?organization=port-emberly-harbour-authority"), 2);
}
END_TEST

START_TEST(not_found)
{
    static const char *const targets[] = {
        "/v1/articles/999999",
        "/v1/articles/no-such-article",
        "/v1/themes/nope",
        "/v1/officials/4242",
        "/v1/officials/nobody/quotes",
        "/v1/organizations/x",
        "/v1/nothing",
        "/v2/articles",
        "/v1/articles/1/extra",
    };

    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        struct http_result r;

        http_get(fx.port, targets[i], &r);
        assert_problem(&r, 404, NULL);
        ck_assert_str_eq(sval(r.json, "instance"), targets[i]);
        http_result_release(&r);
    }
}
END_TEST

START_TEST(wrong_methods)
{
    struct http_result r;

    http_request(fx.port, "PUT", "/v1/articles", NULL, "{}", &r);
    assert_problem(&r, 405, "PUT is not allowed");
    ck_assert_str_eq(http_header(&r, "Allow"), "GET, HEAD, POST, OPTIONS");
    http_result_release(&r);
    http_request(fx.port, "DELETE", "/v1/quotes", NULL, NULL, &r);
    assert_problem(&r, 405, NULL);
    ck_assert_str_eq(http_header(&r, "Allow"), "GET, HEAD, OPTIONS");
    http_result_release(&r);
    http_request(fx.port, "BREW", "/v1/articles", NULL, NULL, &r);
    assert_problem(&r, 405, NULL);
    http_result_release(&r);
    http_request(fx.port, "HEAD", "/v1/articles", NULL, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(r.body.len, 0);
    ck_assert_ptr_nonnull(http_header(&r, "Content-Length"));
    http_result_release(&r);
}
END_TEST

START_TEST(bad_parameters)
{
    static const struct {
        const char *target, *field, *words;
    } cases[] = {
        {"/v1/articles?limit=0", "limit", "between 1 and 100"},
        {"/v1/articles?limit=101", "limit", "between 1 and 100"},
        {"/v1/articles?limit=ten", "limit", "between 1 and 100"},
        {"/v1/articles?limit=5&limit=6", "limit", "only once"},
        {"/v1/articles?format=csv&format=json", "format", "only once"},
        {"/v1/facets?field=theme&format=csv&format=ndjson", "format", "only once"},
        {"/v1/articles?sort=colour", "sort", "published, title"},
        {"/v1/articles?sort=quote_count", "sort", "one of"},
        {"/v1/officials?sort=published", "sort", "name, quote_count"},
        {"/v1/articles?from=2024-13-01", "from", "YYYY-MM-DD"},
        {"/v1/articles?to=yesterday", "to", "YYYY-MM-DD"},
        {"/v1/articles?from=2024-02-01&to=2024-01-01", "from", "after"},
        {"/v1/articles?count=maybe", "count", "true or false"},
        {"/v1/articles?updated_since=monday", "updated_since", "RFC 3339"},
        {"/v1/articles?colour=red", "colour", "unknown parameter"},
        {"/v1/themes?theme=energy", "theme", "unknown parameter"},
        {"/v1/articles?include=comments", "include", "themes, quotes"},
        {"/v1/articles?fields=id,colour", "fields", "unknown name"},
        {"/v1/articles?cursor=abc", "cursor", "not one this server made"},
        {"/v1/articles?cursor=WyJ4IixbMV1d.AAAAAAAAAAAAAAAAAAAAAA", "cursor", "altered"},
        {"/v1/articles/1?include=themes,nothing", "include", "unknown name"},
        {"/v1/articles/1?limit=5", "limit", "unknown parameter"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct http_result r;
        json_t *err;

        http_get(fx.port, cases[i].target, &r);
        assert_problem(&r, 400, cases[i].words);
        err = json_array_get(json_object_get(r.json, "errors"), 0);
        ck_assert_msg(err != NULL, "%s: no errors[]", cases[i].target);
        ck_assert_str_eq(sval(err, "field"), cases[i].field);
        ck_assert_ptr_nonnull(strstr(sval(err, "message"), cases[i].words));
        http_result_release(&r);
    }
}
END_TEST

/* An unknown parameter is answered with the whole list of those allowed,
 * not a list cut short. */
START_TEST(unknown_parameter_lists_all_allowed)
{
    static const struct {
        const char *target, *names[4];
    } cases[] = {
        {"/v1/articles?colour=red", {"limit", "updated_since", "theme", "q"}},
        {"/v1/search?q=port&colour=red", {"highlight_start", "highlight_end", "to", "q"}},
        {"/v1/quotes?colour=red", {"limit", "official", "organization", "q"}},
        {"/v1/facets?field=theme&colour=red", {"field", "theme", "language", "q"}},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct http_result r;
        const char *detail;
        char list[512];

        http_get(fx.port, cases[i].target, &r);
        assert_problem(&r, 400, "allowed: ");
        detail = sval(r.json, "detail");
        /* the list as ",a,b,...,z," so that each whole name is ",name," */
        snprintf(list, sizeof(list), ",%s,", strstr(detail, "allowed: ") + 9);
        for (char *c = list; *c != '\0'; c++)
            if (*c == ' ')
                memmove(c, c + 1, strlen(c));
        for (size_t k = 0; k < 4; k++) {
            char item[64];

            snprintf(item, sizeof(item), ",%s,", cases[i].names[k]);
            ck_assert_msg(strstr(list, item) != NULL, "%s: %s not in %s", cases[i].target,
                          cases[i].names[k], detail);
        }
        ck_assert_str_eq(
            sval(json_array_get(json_object_get(r.json, "errors"), 0), "message"),
            detail);
        http_result_release(&r);
    }
}
END_TEST

START_TEST(cursor_of_another_query)
{
    struct http_result r;
    char target[1024];

    ok("/v1/articles?limit=2", &r);
    snprintf(target, sizeof(target), "/v1/articles?limit=2&sort=title&cursor=%s",
             sval(r.json, "next_cursor"));
    http_result_release(&r);
    http_get(fx.port, target, &r);
    assert_problem(&r, 400, "another query");
    http_result_release(&r);
    /* a different limit is the same query */
    ok("/v1/articles?limit=2", &r);
    snprintf(target, sizeof(target), "/v1/articles?limit=10&cursor=%s",
             sval(r.json, "next_cursor"));
    http_result_release(&r);
    ck_assert_uint_eq(count(target), 6);
}
END_TEST

START_TEST(bad_encoding)
{
    static const char *const targets[] = {
        "/v1/articles?theme=%zz",    "/v1/articles?theme=%4", "/v1/articles?theme=%00",
        "/v1/articles?theme=%ff%fe", "/v1/articles/%ff",
    };

    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        struct http_result r;

        http_get(fx.port, targets[i], &r);
        assert_problem(&r, 400, "percent-escape");
        http_result_release(&r);
    }
}
END_TEST

START_TEST(long_url)
{
    struct http_result r;
    char *target = malloc(9100);

    strcpy(target, "/v1/articles?theme=");
    memset(target + strlen(target), 'a', 9000);
    target[9019] = '\0';
    http_get(fx.port, target, &r);
    assert_problem(&r, 414, "longer than");
    http_result_release(&r);
    free(target);
}
END_TEST

START_TEST(request_ids)
{
    static const char *const mine[] = {"X-Request-Id: trace-42", NULL};
    static const char *const evil[] = {"X-Request-Id: <script>", NULL};
    struct http_result r;

    http_request(fx.port, "GET", "/healthz", mine, NULL, &r);
    ck_assert_str_eq(http_header(&r, "X-Request-Id"), "trace-42");
    http_result_release(&r);
    http_request(fx.port, "GET", "/healthz", evil, NULL, &r);
    ck_assert_str_ne(http_header(&r, "X-Request-Id"), "<script>");
    ck_assert_uint_gt(strlen(http_header(&r, "X-Request-Id")), 4);
    http_result_release(&r);
}
END_TEST

START_TEST(web_page)
{
    struct http_result r;

    http_get(fx.port, "/", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(http_header(&r, "Content-Type"), "text/html; charset=utf-8");
    ck_assert_ptr_nonnull(strstr(r.body.data, "<html"));
    ck_assert_ptr_nonnull(
        strstr(http_header(&r, "Content-Security-Policy"), "default-src 'self'"));
    http_result_release(&r);
    http_get(fx.port, "/ui/no-such-file.js", &r);
    assert_problem(&r, 404, NULL);
    http_result_release(&r);
    /* the index names every part of the API, and each link answers */
    static const char *const fill[][2] = {{"{query}", "budget"},
                                          {"{field}", "theme"},
                                          {"{interval}", "year"},
                                          {"{table}", "articles"}};
    static const char *const names[] = {
        "articles", "search", "themes",  "officials", "organizations", "quotes", "facets",
        "timeline", "export", "openapi", "health",    "ready",         "metrics"};
    json_t *links;

    http_get(fx.port, "/v1", &r);
    ck_assert_int_eq(r.status, 200);
    links = json_object_get(r.json, "links");
    ck_assert_str_eq(sval(links, "articles"), "/v1/articles");
    ck_assert_uint_eq(json_object_size(links), sizeof(names) / sizeof(names[0]));
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *link = sval(links, names[i]);
        char target[128];
        struct http_result got;

        ck_assert_msg(link != NULL, "no link for %s", names[i]);
        snprintf(target, sizeof(target), "%s", link);
        for (size_t k = 0; k < sizeof(fill) / sizeof(fill[0]); k++) {
            char *at = strstr(target, fill[k][0]), rest[128];

            if (at == NULL)
                continue;
            snprintf(rest, sizeof(rest), "%s", at + strlen(fill[k][0]));
            snprintf(at, sizeof(target) - (size_t)(at - target), "%s%s", fill[k][1],
                     rest);
        }
        http_get(fx.port, target, &got);
        ck_assert_msg(got.status == 200, "%s answered %ld", target, (long)got.status);
        http_result_release(&got);
    }
    http_result_release(&r);
}
END_TEST

START_TEST(options_and_cors)
{
    static const char *const app[] = {"Origin: http://app.example", NULL};
    static const char *const evil[] = {"Origin: http://evil.example", NULL};
    static const char *const preflight[] = {
        "Origin: http://app.example", "Access-Control-Request-Method: GET",
        "Access-Control-Request-Headers: X-Request-Id", NULL};
    static const char *const evil_preflight[] = {
        "Origin: http://evil.example", "Access-Control-Request-Method: GET", NULL};
    struct http_result r;

    http_request(fx.port, "OPTIONS", "/v1/articles", NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    ck_assert_str_eq(http_header(&r, "Allow"), "GET, HEAD, POST, OPTIONS");
    http_result_release(&r);
    http_request(fx.port, "OPTIONS", "/v1/nothing", NULL, NULL, &r);
    assert_problem(&r, 404, NULL);
    http_result_release(&r);
    /* the server as a whole */
    http_request(fx.port, "OPTIONS", "*", NULL, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    ck_assert_str_eq(http_header(&r, "Allow"),
                     "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
    http_result_release(&r);
    http_request(fx.port, "GET", "*", NULL, NULL, &r);
    assert_problem(&r, 400, "must be a path starting with /");
    http_result_release(&r);
    /* a page of an allowed origin may read the answer, and see the headers */
    http_request(fx.port, "GET", "/v1/articles?limit=1", app, NULL, &r);
    ck_assert_str_eq(http_header(&r, "Access-Control-Allow-Origin"),
                     "http://app.example");
    ck_assert_str_eq(http_header(&r, "Access-Control-Expose-Headers"),
                     "Link, ETag, Location, Retry-After, X-Request-Id, X-Total-Count");
    ck_assert_str_eq(http_header(&r, "Vary"), "Accept, Accept-Encoding, Origin");
    http_result_release(&r);
    http_request(fx.port, "GET", "/v1/articles?limit=1", evil, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_null(http_header(&r, "Access-Control-Allow-Origin"));
    http_result_release(&r);
    /* errors carry the header too, so that the page can read the problem */
    http_request(fx.port, "GET", "/v1/articles?limit=0", app, NULL, &r);
    assert_problem(&r, 400, NULL);
    ck_assert_str_eq(http_header(&r, "Access-Control-Allow-Origin"),
                     "http://app.example");
    http_result_release(&r);
    http_request(fx.port, "OPTIONS", "/v1/articles", preflight, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    ck_assert_str_eq(http_header(&r, "Access-Control-Allow-Origin"),
                     "http://app.example");
    ck_assert_str_eq(http_header(&r, "Access-Control-Allow-Methods"),
                     "GET, HEAD, POST, OPTIONS");
    ck_assert_ptr_nonnull(
        strstr(http_header(&r, "Access-Control-Allow-Headers"), "X-Request-Id"));
    ck_assert_str_eq(http_header(&r, "Access-Control-Max-Age"), "600");
    http_result_release(&r);
    http_request(fx.port, "OPTIONS", "/v1/articles", evil_preflight, NULL, &r);
    assert_problem(&r, 403, "--cors-origin");
    ck_assert_ptr_null(http_header(&r, "Access-Control-Allow-Origin"));
    http_result_release(&r);
}
END_TEST

/* The value of a line of /metrics that starts with name. */
static long
metric(const char *name)
{
    struct http_result r;
    const char *at;
    long v = -1;

    http_get(fx.port, "/metrics", &r);
    at = strstr(r.body.data, name);
    if (at != NULL)
        v = strtol(at + strlen(name), NULL, 10);
    http_result_release(&r);
    return v;
}

#define HITS    "gazette_cache_lookups_total{result=\"hit\"} "
#define ENTRIES "\ngazette_cache_entries "

START_TEST(answers_are_kept_until_the_data_changes)
{
    static const char *const gz[] = {"Accept-Encoding: gzip", NULL};
    static const char *const csv[] = {"Accept: text/csv", NULL};
    const char *target = "/v1/articles?limit=2&count=true&include=body";
    struct http_result first, again, other;
    char etag[100], inm[140];
    long hits, entries;
    sqlite3 *db;
    struct buf plain;

    /* a full-text query is kept from the second time it is asked for */
    entries = metric(ENTRIES);
    ok("/v1/search?q=port&limit=3", &first);
    ck_assert_int_eq(metric(ENTRIES), entries);
    ok("/v1/search?q=port&limit=3", &again);
    ck_assert_int_eq(metric(ENTRIES), entries + 1);
    ck_assert_str_eq(again.body.data, first.body.data);
    http_result_release(&again);
    http_result_release(&first);
    /* other answers from the first */
    ok(target, &first);
    ck_assert_int_eq(metric(ENTRIES), entries + 2);
    hits = metric(HITS);
    ck_assert_int_ge(hits, 0);
    /* the same answer, headers and all, from the cache */
    ok(target, &again);
    ck_assert_int_eq(metric(HITS), hits + 1);
    ck_assert_uint_eq(again.body.len, first.body.len);
    ck_assert(memcmp(again.body.data, first.body.data, first.body.len) == 0);
    ck_assert_str_eq(http_header(&again, "ETag"), http_header(&first, "ETag"));
    ck_assert_str_eq(http_header(&again, "Link"), http_header(&first, "Link"));
    ck_assert_str_eq(http_header(&again, "Cache-Control"),
                     http_header(&first, "Cache-Control"));
    snprintf(etag, sizeof(etag), "%s", http_header(&first, "ETag"));
    http_result_release(&again);
    /* compressed for a client that takes gzip, the same text inside */
    http_request(fx.port, "GET", target, gz, NULL, &again);
    ck_assert_str_eq(http_header(&again, "Content-Encoding"), "gzip");
    ck_assert_str_ne(http_header(&again, "ETag"), etag);
    buf_init(&plain);
    http_gunzip(&again, &plain);
    ck_assert_uint_eq(plain.len, first.body.len);
    ck_assert(memcmp(plain.data, first.body.data, plain.len) == 0);
    buf_release(&plain);
    http_result_release(&again);
    /* another representation of the same URL is another answer */
    http_request(fx.port, "GET", target, csv, NULL, &other);
    ck_assert_int_eq(other.status, 200);
    ck_assert_str_eq(http_header(&other, "Content-Type"),
                     "text/csv; charset=utf-8; header=present");
    ck_assert(strncmp(other.body.data, "id,slug,", 8) == 0);
    ck_assert_ptr_nonnull(http_header(&other, "X-Total-Count"));
    /* and caches on the way are told that the answer depends on Accept */
    ck_assert_str_eq(http_header(&other, "Vary"), "Accept, Accept-Encoding, Origin");
    http_request(fx.port, "GET", target, csv, NULL, &again);
    ck_assert_str_eq(http_header(&again, "Vary"), "Accept, Accept-Encoding, Origin");
    ck_assert_str_eq(http_header(&again, "X-Total-Count"),
                     http_header(&other, "X-Total-Count"));
    ck_assert_str_eq(again.body.data, other.body.data);
    http_result_release(&again);
    http_result_release(&other);
    /* HEAD and a conditional GET are answered from it too */
    http_request(fx.port, "HEAD", target, NULL, NULL, &other);
    ck_assert_int_eq(other.status, 200);
    ck_assert_uint_eq(other.body.len, 0);
    ck_assert_str_eq(http_header(&other, "ETag"), etag);
    http_result_release(&other);
    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
    http_request(fx.port, "GET", target, (const char *const[]){inm, NULL}, NULL, &other);
    ck_assert_int_eq(other.status, 304);
    http_result_release(&other);
    /* a change by another program: the next answer shows it */
    ck_assert_int_eq(sqlite3_open(fx.db, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "UPDATE articles SET title = 'Changed elsewhere'"
                                  " WHERE id = (SELECT id FROM articles"
                                  " ORDER BY published DESC, id DESC LIMIT 1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    ok(target, &again);
    ck_assert_str_eq(sval(json_array_get(data(&again), 0), "title"), "Changed elsewhere");
    ck_assert_str_ne(http_header(&again, "ETag"), etag);
    http_result_release(&again);
    http_result_release(&first);
    /* what is never kept */
    hits = metric(HITS);
    http_get(fx.port, "/healthz", &other);
    http_result_release(&other);
    http_get(fx.port, "/healthz", &other);
    http_result_release(&other);
    ck_assert_int_eq(metric(HITS), hits);
}
END_TEST

/* An answer kept is served from the cache by every worker thread, also
 * by a thread's first request: a new thread's reader knows of no change
 * since the answer was kept. */
START_TEST(every_thread_serves_answers_kept)
{
    const char *target = "/v1/articles?limit=3&include=themes";
    struct http_result first, again;
    struct err_info ei = {0};
    long hits;

    /* a server with more threads than requests so far, each new */
    server_stop(fx.srv, 1000);
    fx.cfg.threads = 8;
    ck_assert_msg(server_start(&fx.cfg, fx.st, &fx.srv, &ei) == ERR_OK, "server: %s",
                  ei.detail);
    fx.port = server_port(fx.srv);
    ok(target, &first);
    hits = metric(HITS);
    for (int i = 0; i < 40; i++) {
        ok(target, &again);
        ck_assert_str_eq(again.body.data, first.body.data);
        http_result_release(&again);
    }
    ck_assert_int_eq(metric(HITS), hits + 40);
    http_result_release(&first);
}
END_TEST

/* If-Match on a read: the answer only while the resource is in the state
 * the client names (plain or gzip tag, or *), else a 412 without it; for
 * an answer computed, one kept in the cache, and a streamed export. */
START_TEST(reads_with_if_match)
{
    const char *targets[] = {"/v1/articles/1", "/v1/articles?limit=2",
                             "/v1/export/themes"};
    const char *gzip[] = {"Accept-Encoding: gzip", NULL};

    for (size_t t = 0; t < sizeof(targets) / sizeof(*targets); t++) {
        const char *target = targets[t];
        char plain[96], zipped[96], cond[160];
        struct http_result r;

        http_get(fx.port, target, &r);
        ck_assert_int_eq(r.status, 200);
        snprintf(plain, sizeof(plain), "%s", http_header(&r, "ETag"));
        http_result_release(&r);
        http_request(fx.port, "GET", target, gzip, NULL, &r);
        snprintf(zipped, sizeof(zipped), "%s", http_header(&r, "ETag"));
        http_result_release(&r);
        /* twice: the second answer may come from the cache */
        for (int pass = 0; pass < 2; pass++) {
            snprintf(cond, sizeof(cond), "If-Match: \"stale\", %s", plain);
            http_request(fx.port, "GET", target, (const char *const[]){cond, NULL}, NULL,
                         &r);
            ck_assert_msg(r.status == 200, "%s: %ld", target, r.status);
            ck_assert_str_eq(http_header(&r, "ETag"), plain);
            http_result_release(&r);
            snprintf(cond, sizeof(cond), "If-Match: %s", zipped);
            http_request(fx.port, "GET", target, (const char *const[]){cond, NULL}, NULL,
                         &r);
            ck_assert_int_eq(r.status, 200);
            http_result_release(&r);
            http_request(fx.port, "HEAD", target,
                         (const char *const[]){"If-Match: *", NULL}, NULL, &r);
            ck_assert_int_eq(r.status, 200);
            http_result_release(&r);
            snprintf(cond, sizeof(cond), "If-Match: W/%s", plain); /* weak: never */
            http_request(fx.port, "GET", target, (const char *const[]){cond, NULL}, NULL,
                         &r);
            assert_problem(&r, 412, "If-Match names another state");
            ck_assert_ptr_nonnull(
                strstr(json_string_value(json_object_get(r.json, "detail")), plain));
            ck_assert_ptr_null(http_header(&r, "ETag"));
            ck_assert_str_eq(http_header(&r, "Cache-Control"), "no-store");
            http_result_release(&r);
        }
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("http");
    TCase *tc = tcase_create("read-api");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, health);
    tcase_add_test(tc, article_list_envelope);
    tcase_add_test(tc, article_pages);
    tcase_add_test(tc, article_sorts);
    tcase_add_test(tc, article_filters);
    tcase_add_test(tc, article_projection);
    tcase_add_test(tc, one_article);
    tcase_add_test(tc, themes);
    tcase_add_test(tc, officials);
    tcase_add_test(tc, organizations);
    tcase_add_test(tc, quotes);
    tcase_add_test(tc, not_found);
    tcase_add_test(tc, wrong_methods);
    tcase_add_test(tc, bad_parameters);
    tcase_add_test(tc, unknown_parameter_lists_all_allowed);
    tcase_add_test(tc, cursor_of_another_query);
    tcase_add_test(tc, bad_encoding);
    tcase_add_test(tc, long_url);
    tcase_add_test(tc, request_ids);
    tcase_add_test(tc, web_page);
    tcase_add_test(tc, options_and_cors);
    tcase_add_test(tc, answers_are_kept_until_the_data_changes);
    tcase_add_test(tc, every_thread_serves_answers_kept);
    tcase_add_test(tc, reads_with_if_match);
    suite_add_tcase(s, tc);
    return run_suites(&s, 1);
}
