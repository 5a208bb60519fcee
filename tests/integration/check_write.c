/* check_write.c - writes through the real daemon: API keys, articles,
 * imports, themes, officials; and the HTTP behaviour around them: ETags,
 * gzip, CORS preflights, media types, sizes, metrics. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "gazette/auth.h"
#include "gazette/util.h"
#include "helpers.h"

static struct fixture fx;
static char *writer, *admin;
static char auth_w[128], auth_a[128];

static void
setup(void)
{
    struct err_info ei = {0};
    json_t *info;

    fixture_start(&fx, true);
    ck_assert_int_eq(auth_key_create(fx.st, "writer", "write", &writer, &info, &ei),
                     ERR_OK);
    json_decref(info);
    ck_assert_int_eq(auth_key_create(fx.st, "admin", "admin", &admin, &info, &ei),
                     ERR_OK);
    json_decref(info);
    snprintf(auth_w, sizeof(auth_w), "Authorization: Bearer %s", writer);
    snprintf(auth_a, sizeof(auth_a), "Authorization: Bearer %s", admin);
}

static void
teardown(void)
{
    free(writer);
    free(admin);
    fixture_stop(&fx);
}

static const char *
sval(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* A request with the writer's key and a JSON body. */
static void
send_json(const char *method, const char *target, const char *body, struct http_result *r)
{
    const char *h[] = {auth_w, "Content-Type: application/json", NULL};

    http_request(fx.port, method, target, h, body, r);
}

#define NEW_ARTICLE                                                                      \
    "{\"title\": \"Council backs tram line\", \"published\": \"2024-05-02\", "           \
    "\"source\": \"Coastal Ledger\", \"url\": \"https://news.example.org/tram\", "       \
    "\"body\": \"The council backed a tram line.\\n\\nWork starts next year.\", "        \
    "\"themes\": [\"transport\"], \"quotes\": [{\"text\": \"backed a tram line\", "      \
    "\"kind\": \"indirect\", \"start\": 12, \"end\": 30, \"official\": {\"name\": "      \
    "\"Ruth Okonkwo\"}, \"title\": \"council leader\"}]}"

START_TEST(article_life_cycle)
{
    struct http_result r;
    char location[128], target[160];

    send_json("POST", "/v1/articles", NEW_ARTICLE, &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    snprintf(location, sizeof(location), "%s", http_header(&r, "Location"));
    ck_assert_str_eq(sval(r.json, "title"), "Council backs tram line");
    ck_assert_str_eq(sval(r.json, "summary"), "The council backed a tram line.");
    ck_assert_str_eq(sval(json_array_get(json_object_get(r.json, "quotes"), 0), "text"),
                     "backed a tram line");
    ck_assert_str_eq(http_header(&r, "Cache-Control"), "no-store");
    http_result_release(&r);
    /* read it back */
    http_get(fx.port, location, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(sval(r.json, "url"), "https://news.example.org/tram");
    http_result_release(&r);
    /* the same article again is a conflict */
    send_json("POST", "/v1/articles", NEW_ARTICLE, &r);
    assert_problem(&r, 409, "already has this url");
    http_result_release(&r);
    /* a merge patch: change the title, remove the source; the quotes stay */
    {
        const char *h[] = {auth_w, "Content-Type: application/merge-patch+json", NULL};

        http_request(fx.port, "PATCH", location, h,
                     "{\"title\": \"Tram line approved\", "
                     "\"source\": null}",
                     &r);
    }
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_str_eq(sval(r.json, "title"), "Tram line approved");
    ck_assert(json_is_null(json_object_get(r.json, "source")));
    http_result_release(&r);
    /* replace the whole of it */
    send_json("PUT", location,
              "{\"title\": \"Tram line\", \"published\": \"2024-05-03\", \"body\": \"New "
              "text.\","
              " \"url\": \"https://news.example.org/tram\", \"quotes\": []}",
              &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_str_eq(sval(r.json, "body"), "New text.");
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "quotes")), 0);
    ck_assert_str_eq(sval(r.json, "published"), "2024-05-03");
    http_result_release(&r);
    /* delete: gone, but its official stays */
    {
        const char *h[] = {auth_w, NULL};

        http_request(fx.port, "DELETE", location, h, NULL, &r);
    }
    ck_assert_int_eq(r.status, 204);
    ck_assert_uint_eq(r.body.len, 0);
    http_result_release(&r);
    http_get(fx.port, location, &r);
    assert_problem(&r, 404, NULL);
    http_result_release(&r);
    http_get(fx.port, "/v1/officials/ruth-okonkwo", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "quote_count")), 0);
    http_result_release(&r);
    snprintf(target, sizeof(target), "%s", location);
    send_json("PUT", target, NEW_ARTICLE, &r);
    assert_problem(&r, 404, NULL);
    http_result_release(&r);
}
END_TEST

/* A slug the client gives is kept as given or refused: taken by another
 * article it is a 409 naming it (POST, PUT, PATCH); one made from the
 * title may still get a suffix. */
START_TEST(explicit_slugs_are_not_renamed)
{
    struct http_result r;
    char location[128];

    send_json("POST", "/v1/articles",
              "{\"slug\": \"tram-line\", \"title\": \"Tram line\", \"published\": "
              "\"2024-05-02\", \"body\": \"The council backed a tram line.\"}",
              &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    ck_assert_str_eq(sval(r.json, "slug"), "tram-line");
    http_result_release(&r);
    /* another article asking for the same slug */
    send_json("POST", "/v1/articles",
              "{\"slug\": \"tram-line\", \"title\": \"Tram line delayed\", "
              "\"published\": \"2024-06-02\", \"body\": \"The tram is late.\"}",
              &r);
    assert_problem(&r, 409, "tram-line");
    http_result_release(&r);
    /* a slug made from the title gets a suffix, as before */
    send_json("POST", "/v1/articles",
              "{\"title\": \"Tram line\", \"published\": \"2024-07-02\", \"body\": "
              "\"The tram runs.\"}",
              &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    ck_assert_str_eq(sval(r.json, "slug"), "tram-line-2");
    snprintf(location, sizeof(location), "%s", http_header(&r, "Location"));
    http_result_release(&r);
    /* PUT and PATCH onto the taken slug: 409, nothing changed */
    send_json("PUT", location,
              "{\"slug\": \"tram-line\", \"title\": \"Tram line\", \"published\": "
              "\"2024-07-02\", \"body\": \"The tram runs.\"}",
              &r);
    assert_problem(&r, 409, "tram-line");
    http_result_release(&r);
    send_json("PATCH", location, "{\"slug\": \"tram-line\"}", &r);
    assert_problem(&r, 409, "tram-line");
    http_result_release(&r);
    http_get(fx.port, location, &r);
    ck_assert_str_eq(sval(r.json, "slug"), "tram-line-2");
    http_result_release(&r);
    /* its own slug, or a free one, is fine */
    send_json("PATCH", location, "{\"slug\": \"tram-line-2\", \"title\": \"Trams\"}", &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_str_eq(sval(r.json, "slug"), "tram-line-2");
    http_result_release(&r);
    send_json("PATCH", location, "{\"slug\": \"trams-run\"}", &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_str_eq(sval(r.json, "slug"), "trams-run");
    http_result_release(&r);
}
END_TEST

/* The article as GET shows it; its ETag into etag. */
static json_t *
get_article(const char *target, char *etag, size_t etag_size)
{
    struct http_result r;
    json_t *a;

    http_get(fx.port, target, &r);
    ck_assert_msg(r.status == 200, "%s: %s", target, r.body.data);
    snprintf(etag, etag_size, "%s", http_header(&r, "ETag"));
    a = json_incref(r.json);
    http_result_release(&r);
    return a;
}

/* Sends a write whose answer must be the article as it was. */
static void
write_same(const char *method, const char *target, const char *body, const json_t *was)
{
    struct http_result r;

    send_json(method, target, body, &r);
    ck_assert_msg(r.status == 200, "%s %s: %s", method, target, r.body.data);
    ck_assert_msg(json_equal(r.json, (json_t *)was), "%s %s changed it: %s", method,
                  target, r.body.data);
    http_result_release(&r);
}

/* GET, then PUT (or PATCH) what came back, leaves an article as it was:
 * the same quote ids, the same updated_at, the same ETag; so does a PATCH
 * that changes nothing.  Articles whose quotes and themes extraction found
 * (themes with scores and matches, an organization with a parent), given
 * quotes with and without offsets, and the imported fixtures. */
START_TEST(unchanged_writes_change_nothing)
{
    static const char *const made[] = {
        "{\"title\": \"Digital economy deepens\", \"published\": \"2023-12-21\", "
        "\"body\": \"Big data and artificial intelligence met the real economy.\\n\\n"
        "\\u201cThe digital economy will grow,\\u201d said Zhang Yuxian, director of the "
        "Economic Forecast Department of the National Information Center.\"}",
        "{\"title\": \"Port talks\", \"published\": \"2024-02-02\", \"body\": "
        "\"We agreed, she said. Talks go on.\", \"themes\": [\"trade\"], \"quotes\": "
        "[{\"text\": \"Talks go on\", \"start\": 22, \"end\": 33, \"official\": "
        "\"Ines Halvorsen\"}, {\"text\": \"We agreed\", \"official\": \"Ines "
        "Halvorsen\", \"organization\": {\"name\": \"Planning Office\", \"parent\": "
        "\"Port Emberly Harbour Authority\"}}]}",
    };
    char targets[16][64], etags[16][128], etag[128];
    json_t *was[16], *row;
    struct http_result list;
    size_t n = 0, k;

    for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
        struct http_result r;

        send_json("POST", "/v1/articles", made[i], &r);
        ck_assert_msg(r.status == 201, "%s", r.body.data);
        ck_assert_uint_gt(json_array_size(json_object_get(r.json, "quotes")), 0);
        ck_assert_uint_gt(json_array_size(json_object_get(r.json, "themes")), 0);
        http_result_release(&r);
    }
    http_get(fx.port, "/v1/articles?limit=16&fields=id", &list);
    json_array_foreach (json_object_get(list.json, "data"), k, row) {
        snprintf(targets[n], sizeof(targets[n]), "/v1/articles/%lld",
                 (long long)json_integer_value(json_object_get(row, "id")));
        was[n] = get_article(targets[n], etags[n], sizeof(etags[n]));
        n++;
    }
    http_result_release(&list);
    ck_assert_uint_ge(n, 8);
    sleep(1); /* a new updated_at would differ */
    for (size_t i = 0; i < n; i++) {
        char *text = json_dumps(was[i], JSON_COMPACT), patch[1200];
        char *title = json_dumps(json_object_get(was[i], "title"), JSON_ENCODE_ANY);
        json_t *now;

        write_same("PUT", targets[i], text, was[i]);
        write_same("PATCH", targets[i], "{}", was[i]);
        snprintf(patch, sizeof(patch), "{\"title\": %s}", title);
        write_same("PATCH", targets[i], patch, was[i]);
        now = get_article(targets[i], etag, sizeof(etag));
        ck_assert_msg(json_equal(now, was[i]), "%s changed", targets[i]);
        ck_assert_str_eq(etag, etags[i]);
        json_decref(now);
        free(text);
        free(title);
    }
    /* a write that changes something still does */
    {
        struct http_result r;

        send_json("PATCH", targets[n - 1], "{\"summary\": \"Another summary.\"}", &r);
        ck_assert_msg(r.status == 200, "%s", r.body.data);
        ck_assert_str_eq(sval(r.json, "summary"), "Another summary.");
        ck_assert_str_ne(sval(r.json, "updated_at"), sval(was[n - 1], "updated_at"));
        http_result_release(&r);
    }
    for (size_t i = 0; i < n; i++)
        json_decref(was[i]);
}
END_TEST

START_TEST(keys_are_needed)
{
    static const char *const none[] = {"Content-Type: application/json", NULL};
    static const char *const bad[] = {"Content-Type: application/json",
                                      "Authorization: Bearer gz_000000000000_"
                                      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                      NULL};
    static const char *const junk[] = {"Authorization: Basic dXNlcjpwYXNz", NULL};
    struct http_result r;

    http_request(fx.port, "POST", "/v1/articles", none, NEW_ARTICLE, &r);
    assert_problem(&r, 401, "Bearer");
    ck_assert_str_eq(http_header(&r, "WWW-Authenticate"), "Bearer realm=\"gazette\"");
    http_result_release(&r);
    http_request(fx.port, "POST", "/v1/articles", bad, NEW_ARTICLE, &r);
    assert_problem(&r, 401, "not known");
    ck_assert_ptr_nonnull(strstr(http_header(&r, "WWW-Authenticate"), "invalid_token"));
    http_result_release(&r);
    http_request(fx.port, "DELETE", "/v1/articles/1", junk, NULL, &r);
    assert_problem(&r, 401, "Bearer");
    http_result_release(&r);
    /* a write key is not an admin key */
    {
        const char *h[] = {auth_w, NULL};

        http_request(fx.port, "GET", "/v1/keys", h, NULL, &r);
    }
    assert_problem(&r, 403, "scope");
    http_result_release(&r);
    /* reads need no key, and nothing was written */
    http_get(fx.port, "/v1/articles?count=true&limit=1", &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), 8);
    http_result_release(&r);
}
END_TEST

START_TEST(keys_over_http)
{
    const char *a[] = {auth_a, "Content-Type: application/json", NULL};
    const char *aa[] = {auth_a, NULL};
    char auth_new[160], target[64];
    struct http_result r;
    json_t *k;
    size_t i;

    http_request(fx.port, "POST", "/v1/keys", a,
                 "{\"name\": \"ci\", \"scope\": \"write\"}", &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    snprintf(auth_new, sizeof(auth_new), "Authorization: Bearer %s", sval(r.json, "key"));
    snprintf(target, sizeof(target), "/v1/keys/%lld",
             (long long)json_integer_value(json_object_get(r.json, "id")));
    http_result_release(&r);
    /* listed without the key or its hash */
    http_request(fx.port, "GET", "/v1/keys", aa, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    json_array_foreach (json_object_get(r.json, "data"), i, k) {
        ck_assert_ptr_null(json_object_get(k, "key"));
        ck_assert_ptr_null(json_object_get(k, "hash"));
    }
    ck_assert_ptr_null(strstr(r.body.data, auth_new + 22));
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 3);
    /* the list envelope, all keys on one page */
    ck_assert(json_is_null(json_object_get(r.json, "next_cursor")));
    http_result_release(&r);
    /* the Location given names the key, without its secret */
    http_request(fx.port, "GET", target, aa, NULL, &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_str_eq(sval(r.json, "name"), "ci");
    ck_assert_str_eq(sval(r.json, "scope"), "write");
    ck_assert_ptr_null(json_object_get(r.json, "key"));
    ck_assert_ptr_null(strstr(r.body.data, auth_new + 22));
    ck_assert_str_eq(http_header(&r, "Cache-Control"), "no-store");
    http_result_release(&r);
    http_request(fx.port, "GET", "/v1/keys/999999", aa, NULL, &r);
    assert_problem(&r, 404, "no key with id 999999");
    http_result_release(&r);
    http_request(fx.port, "GET", target, NULL, NULL, &r);
    assert_problem(&r, 401, NULL);
    http_result_release(&r);
    {
        const char *h[] = {auth_new, NULL};

        http_request(fx.port, "DELETE", "/v1/articles/999", h, NULL, &r);
        assert_problem(&r, 404, NULL); /* the new key works */
        http_result_release(&r);
        http_request(fx.port, "DELETE", target, aa, NULL, &r);
        ck_assert_int_eq(r.status, 204);
        http_result_release(&r);
        /* revocation takes effect at once */
        http_request(fx.port, "DELETE", "/v1/articles/999", h, NULL, &r);
        assert_problem(&r, 401, "revoked");
        http_result_release(&r);
    }
    http_request(fx.port, "DELETE", target, aa, NULL, &r);
    assert_problem(&r, 404, "no active key");
    http_result_release(&r);
    /* a revoked key is still shown, with when */
    http_request(fx.port, "GET", target, aa, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert(json_is_string(json_object_get(r.json, "revoked_at")));
    http_result_release(&r);
    http_request(fx.port, "POST", "/v1/keys", a, "{\"name\": \"x\", \"scope\": \"root\"}",
                 &r);
    assert_problem(&r, 400, "scope must be");
    http_result_release(&r);
    /* a name is shown one line a key: no line breaks in it */
    http_request(fx.port, "POST", "/v1/keys", a,
                 "{\"name\": \"two\\nlines\", \"scope\": \"write\"}", &r);
    assert_problem(&r, 400, "without control characters");
    http_result_release(&r);
}
END_TEST

START_TEST(bad_writes)
{
    static const struct {
        const char *method, *target, *body;
        long status;
        const char *words;
    } cases[] = {
        {"POST", "/v1/articles", "{\"published\": \"2024-01-01\", \"body\": \"b\"}", 400,
         "title is required"},
        {"POST", "/v1/articles",
         "{\"title\": \"t\", \"published\": \"May 1\", \"body\": \"b\"}", 400,
         "YYYY-MM-DD"},
        {"POST", "/v1/articles",
         "{\"title\": \"t\", \"published\": \"2024-01-01\", \"body\": \"b\", \"color\": "
         "1}",
         400, "unknown field"},
        {"POST", "/v1/articles", "{\"title\": \"t\",", 400, "not valid JSON"},
        /* valid JSON, but not an object (a merge patch of null would
         * remove the whole article) */
        {"PATCH", "/v1/articles/1", "null", 400, "must be a JSON object"},
        {"POST", "/v1/articles", "\"an article\"", 400, "must be a JSON object"},
        {"POST", "/v1/themes", "42", 400, "must be a JSON object"},
        {"POST", "/v1/articles",
         "{\"title\": \"t\\u0000\", \"published\": \"2024-01-01\", \"body\": \"b\"}", 400,
         "a string holds \\u0000 (NUL), which is not accepted"},
        {"POST", "/v1/articles", "[1, 2]", 400, "JSON object"},
        {"POST", "/v1/articles", "", 400, "needs a JSON object"},
        {"POST", "/v1/articles?extract=maybe",
         "{\"title\": \"t\", \"published\": \"2024-01-01\", \"body\": \"b\"}", 400,
         "true or false"},
        {"POST", "/v1/articles",
         "{\"title\": \"t\", \"title\": \"u\", \"published\": \"2024-01-01\", \"body\": "
         "\"b\"}",
         400, "duplicate"},
        {"PATCH", "/v1/articles/1", "{\"published\": \"tomorrow\"}", 400, "YYYY-MM-DD"},
        {"PUT", "/v1/articles/no-such-article",
         "{\"title\": \"t\", \"published\": \"2024-01-01\", \"body\": \"b\"}", 404, NULL},
        {"DELETE", "/v1/articles/424242", NULL, 404, NULL},
        {"POST", "/v1/themes", "{\"slug\": \"Bad Slug\", \"name\": \"x\"}", 400, "slug"},
        {"POST", "/v1/themes", "{\"slug\": \"energy\", \"name\": \"Energy again\"}", 409,
         "exists"},
        {"PATCH", "/v1/themes/energy", "{\"slug\": \"power\"}", 400, "cannot change"},
        {"PATCH", "/v1/themes/nope", "{\"name\": \"N\"}", 404, NULL},
        {"PATCH", "/v1/officials/tomas-brenner", "{\"age\": 5}", 400, "unknown field"},
        {"PATCH", "/v1/officials/tomas-brenner", "{\"name\": \"Ines Halvorsen\"}", 409,
         "merge"},
        {"POST", "/v1/officials/tomas-brenner/merge", "{\"from\": [\"tomas-brenner\"]}",
         400, "itself"},
        {"POST", "/v1/officials/tomas-brenner/merge", "{\"from\": \"x\"}", 400, "from"},
        {"POST", "/v1/officials/tomas-brenner/merge", "{\"from\": [\"nobody\"]}", 404,
         NULL},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct http_result r;

        send_json(cases[i].method, cases[i].target, cases[i].body, &r);
        assert_problem(&r, cases[i].status, cases[i].words);
        http_result_release(&r);
    }
    /* a failed patch leaves the article as it was */
    struct http_result r;
    http_get(fx.port, "/v1/articles/1", &r);
    ck_assert_str_eq(sval(r.json, "published"), "2024-02-12");
    http_result_release(&r);
}
END_TEST

START_TEST(bodies_and_media_types)
{
    const char *text[] = {auth_w, "Content-Type: text/plain", NULL};
    struct http_result r;
    char *big, *deep;

    http_request(fx.port, "POST", "/v1/articles", text, NEW_ARTICLE, &r);
    assert_problem(&r, 415, "application/json");
    http_result_release(&r);
    /* a body over the limit (1 MiB by default) */
    big = malloc(1200000);
    memset(big, 'a', 1199999);
    big[1199999] = '\0';
    memcpy(big, "{\"title\": \"", 11);
    send_json("POST", "/v1/articles", big, &r);
    assert_problem(&r, 413, "larger than");
    http_result_release(&r);
    free(big);
    /* nesting 10,000 deep */
    deep = malloc(20010);
    memset(deep, '[', 10000);
    memset(deep + 10000, ']', 10000);
    deep[20000] = '\0';
    send_json("POST", "/v1/articles", deep, &r);
    assert_problem(&r, 400, NULL);
    http_result_release(&r);
    free(deep);
    /* headers over 16 KiB */
    {
        char *h = malloc(20000);
        const char *hs[] = {h, NULL};

        strcpy(h, "X-Padding: ");
        memset(h + 11, 'p', 17000);
        h[17011] = '\0';
        http_request(fx.port, "GET", "/healthz", hs, NULL, &r);
        assert_problem(&r, 431, "headers");
        http_result_release(&r);
        free(h);
    }
}
END_TEST

START_TEST(bulk_import)
{
    const char *nd[] = {auth_w, "Content-Type: application/x-ndjson", NULL};
    const char *raw[] = {auth_w, "Content-Type: text/plain", NULL};
    const char *arr[] = {auth_w, "Content-Type: application/json", NULL};
    struct http_result r;
    json_t *res;
    struct buf big;

    http_request(
        fx.port, "POST", "/v1/import", nd,
        "{\"title\": \"One\", \"published\": \"2024-06-01\", \"body\": \"First.\"}\n"
        "{\"title\": \"Two\", \"published\": \"2024-13-01\", \"body\": \"Bad date.\"}\n"
        "not json\n"
        "{\"title\": \"Three\", \"published\": \"2024-06-03\", \"body\": \"Third.\"}\n",
        &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "inserted")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "failed")), 2);
    res = json_object_get(r.json, "results");
    ck_assert_uint_eq(json_array_size(res), 4);
    ck_assert_str_eq(sval(json_array_get(res, 1), "status"), "failed");
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(res, 1), "line")),
                     2);
    ck_assert_str_eq(
        sval(json_object_get(json_array_get(res, 1), "errors") != NULL
                 ? json_array_get(json_object_get(json_array_get(res, 1), "errors"), 0)
                 : NULL,
             "field"),
        "published");
    ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(res, 3), "line")),
                     4);
    http_result_release(&r);
    http_request(fx.port, "POST", "/v1/import", raw,
                 " date 2024-06-04 Title: Raw one\n\nText one.\n\n"
                 " date 2024-06-05 Title: Raw two\n\nText two.\n\nShare this: Facebook\n",
                 &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "inserted")), 2);
    http_result_release(&r);
    http_request(
        fx.port, "POST", "/v1/import", arr,
        "[{\"title\": \"A1\", \"published\": \"2024-06-06\", \"body\": \"a\"},"
        " {\"title\": \"One\", \"published\": \"2024-06-01\", \"body\": \"First.\"}]",
        &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "inserted")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "unchanged")), 1);
    http_result_release(&r);
    /* an array on one line: each result says which record it is */
    http_request(fx.port, "POST", "/v1/import", arr,
                 "[{\"title\": \"A2\", \"published\": \"2024-06-07\", \"body\": \"a\"},"
                 " {\"title\": \"A3\", \"published\": \"June\", \"body\": \"b\"},"
                 " {\"title\": \"A4\", \"published\": \"2024-06-08\", \"body\": \"c\"}]",
                 &r);
    for (size_t i = 0; i < 3; i++) {
        json_t *one = json_array_get(json_object_get(r.json, "results"), i);

        ck_assert_int_eq(json_integer_value(json_object_get(one, "record")), (int)i + 1);
        ck_assert_int_eq(json_integer_value(json_object_get(one, "line")), 1);
        ck_assert_str_eq(sval(one, "status"), i == 1 ? "failed" : "inserted");
    }
    http_result_release(&r);
    /* larger than one document may be: streamed, 3 MB */
    buf_init(&big);
    for (int i = 0; i < 3000; i++)
        buf_addf(&big,
                 "{\"title\": \"Bulk %d\", \"published\": \"2023-01-%02d\", \"body\": "
                 "\"%0900d\"}\n",
                 i, 1 + i % 28, i);
    http_request(fx.port, "POST", "/v1/import", nd, big.data, &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "inserted")), 3000);
    http_result_release(&r);
    buf_release(&big);
    http_request(fx.port, "POST", "/v1/import", nd, "", &r);
    assert_problem(&r, 400, "empty");
    http_result_release(&r);
    http_get(fx.port, "/v1/articles?count=true&limit=1", &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")),
                     8 + 2 + 2 + 1 + 2 + 3000);
    http_result_release(&r);

    /* a body sent in chunks that goes over --max-import: the records that
     * arrived before the limit are stored, and the 413 says which */
    const char *chunked[] = {auth_w, "Content-Type: application/x-ndjson",
                             "Transfer-Encoding: chunked", NULL};
    size_t saved = fx.cfg.max_import;
    json_int_t landed;

    buf_init(&big);
    for (int i = 0; i < 200; i++)
        buf_addf(&big,
                 "{\"title\": \"Cut %d\", \"published\": \"2022-02-%02d\", \"source\": "
                 "\"Cut Off\", \"body\": \"%0900d\"}\n",
                 i, 1 + i % 28, i);
    fx.cfg.max_import = 100000;
    http_request(fx.port, "POST", "/v1/import", chunked, big.data, &r);
    fx.cfg.max_import = saved;
    assert_problem(&r, 413, "records before that point were imported");
    landed = json_integer_value(json_object_get(r.json, "inserted"));
    ck_assert_int_gt(landed, 0);
    ck_assert_int_lt(landed, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "results")),
                      (size_t)landed);
    http_result_release(&r);
    buf_release(&big);
    http_get(fx.port, "/v1/articles?source=cut+off&count=true&limit=1", &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), landed);
    http_result_release(&r);
}
END_TEST

START_TEST(theme_catalog)
{
    const char *h[] = {auth_w, NULL};
    struct http_result r;

    send_json("POST", "/v1/themes",
              "{\"slug\": \"ports\", \"name\": \"Ports\", \"description\": \"Harbours.\","
              " \"keywords\": [\"harbour\", \"container terminal\"]}",
              &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    ck_assert_str_eq(http_header(&r, "Location"), "/v1/themes/ports");
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "keywords")), 2);
    http_result_release(&r);
    send_json("PATCH", "/v1/themes/ports", "{\"name\": \"Ports and harbours\"}", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(sval(r.json, "name"), "Ports and harbours");
    ck_assert_str_eq(sval(r.json, "description"), "Harbours.");
    http_result_release(&r);
    /* deleting a theme unlinks its articles */
    http_request(fx.port, "DELETE", "/v1/themes/energy", h, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    http_result_release(&r);
    http_get(fx.port, "/v1/articles?theme=energy", &r);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 0);
    http_result_release(&r);
    http_get(fx.port, "/v1/themes/energy", &r);
    assert_problem(&r, 404, NULL);
    http_result_release(&r);
}
END_TEST

/* In a merge patch null removes a member: a theme's description and
 * keywords go back to their defaults, an empty text and no phrases. */
START_TEST(theme_patch_with_nulls)
{
    struct http_result r;

    send_json(
        "POST", "/v1/themes",
        "{\"slug\": \"ports\", \"name\": \"Ports\", \"description\": \"Harbours.\", "
        "\"keywords\": [\"port\"]}",
        &r);
    ck_assert_int_eq(r.status, 201);
    http_result_release(&r);
    send_json("PATCH", "/v1/themes/ports", "{\"description\": null, \"keywords\": null}",
              &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_str_eq(sval(r.json, "description"), "");
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "keywords")), 0);
    ck_assert_str_eq(sval(r.json, "name"), "Ports");
    http_result_release(&r);
    /* a name is required: null is no name */
    send_json("PATCH", "/v1/themes/ports", "{\"name\": null}", &r);
    assert_problem(&r, 400, "name");
    http_result_release(&r);
}
END_TEST

/* A write that finds the database locked by another program for longer
 * than the busy timeout is a 503 that says when to try again. */
START_TEST(busy_database)
{
    struct http_result r;
    sqlite3 *db;

    ck_assert_int_eq(sqlite3_open(fx.db, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    send_json("POST", "/v1/articles",
              "{\"title\": \"Locked out\", \"published\": \"2024-09-01\", \"body\": "
              "\"Wait.\"}",
              &r);
    assert_problem(&r, 503, "busy");
    ck_assert_ptr_nonnull(http_header(&r, "Retry-After"));
    http_result_release(&r);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    send_json("POST", "/v1/articles",
              "{\"title\": \"Locked out\", \"published\": \"2024-09-01\", \"body\": "
              "\"Wait.\"}",
              &r);
    ck_assert_int_eq(r.status, 201);
    http_result_release(&r);
}
END_TEST

/* The newest article deleted, its id is not given to the next one: a
 * client that kept a copy by id cannot take one article for another. */
START_TEST(deleted_ids_are_not_given_again)
{
    const char *h[] = {auth_w, NULL};
    struct http_result r;
    json_int_t gone, next;
    char target[64];

    send_json("POST", "/v1/articles",
              "{\"title\": \"Short lived\", \"published\": \"2024-09-01\", \"body\": "
              "\"Gone soon.\"}",
              &r);
    ck_assert_int_eq(r.status, 201);
    gone = json_integer_value(json_object_get(r.json, "id"));
    http_result_release(&r);
    snprintf(target, sizeof(target), "/v1/articles/%lld", (long long)gone);
    http_request(fx.port, "DELETE", target, h, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    http_result_release(&r);
    send_json("POST", "/v1/articles",
              "{\"title\": \"Next one\", \"published\": \"2024-09-02\", \"body\": "
              "\"Here to stay.\"}",
              &r);
    ck_assert_int_eq(r.status, 201);
    next = json_integer_value(json_object_get(r.json, "id"));
    http_result_release(&r);
    ck_assert_int_gt(next, gone);
    http_get(fx.port, target, &r);
    assert_problem(&r, 404, NULL);
    http_result_release(&r);
}
END_TEST

/* The slug of the official of an article's first quote. */
static const char *
first_speaker(const struct http_result *r)
{
    const json_t *q = json_array_get(json_object_get(r->json, "quotes"), 0);

    return sval(json_object_get(q, "official"), "slug");
}

START_TEST(official_corrections)
{
    struct http_result r;

    send_json("PATCH", "/v1/officials/tomas-brenner",
              "{\"title\": \"Minister of Energy\", \"organization\": {\"name\": \"Energy "
              "Ministry\"}}",
              &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_str_eq(sval(r.json, "title"), "Minister of Energy");
    ck_assert_str_eq(sval(json_object_get(r.json, "organization"), "name"),
                     "Energy Ministry");
    http_result_release(&r);
    /* a duplicate spelling, then merged */
    send_json("POST", "/v1/articles",
              "{\"title\": \"Brenner again\", \"published\": \"2024-07-01\", \"body\": "
              "\"He spoke.\", \"quotes\": [{\"text\": \"spoke\", \"official\": \"T. "
              "Brenner\"}]}",
              &r);
    ck_assert_int_eq(r.status, 201);
    http_result_release(&r);
    send_json("POST", "/v1/officials/tomas-brenner/merge", "{\"from\": [\"t-brenner\"]}",
              &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "quote_count")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "article_count")), 3);
    ck_assert_str_eq(sval(r.json, "last_seen"), "2024-07-01");
    http_result_release(&r);
    http_get(fx.port, "/v1/officials/t-brenner", &r);
    assert_problem(&r, 404, NULL);
    http_result_release(&r);
    /* the merged spelling now finds the kept official */
    send_json(
        "POST", "/v1/articles",
        "{\"title\": \"Brenner once more\", \"published\": \"2024-07-02\", \"body\": "
        "\"He spoke again.\", \"quotes\": [{\"text\": \"spoke again\", \"official\": "
        "\"T. Brenner\"}]}",
        &r);
    ck_assert_int_eq(r.status, 201);
    ck_assert_str_eq(first_speaker(&r), "tomas-brenner");
    http_result_release(&r);
}
END_TEST

/* A title corrected by hand stands against articles of the day the
 * official was last seen (the one sent again, say); a later article that
 * states another title replaces it. */
START_TEST(a_correction_stands)
{
    struct http_result r;
    char name[128], last[16], body[512];

    send_json("PATCH", "/v1/officials/tomas-brenner",
              "{\"title\": \"Minister of Energy\"}", &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    snprintf(name, sizeof(name), "%s", sval(r.json, "name"));
    snprintf(last, sizeof(last), "%s", sval(r.json, "last_seen"));
    http_result_release(&r);
    for (int later = 0; later < 2; later++) {
        snprintf(
            body, sizeof(body),
            "{\"title\": \"Brenner on %s %d\", \"published\": \"%s\", \"body\": "
            "\"He spoke.\", \"quotes\": [{\"text\": \"spoke\", \"official\": \"%s\", "
            "\"title\": \"%s\"}]}",
            last, later, later ? "2099-01-01" : last, name,
            later ? "Senator" : "Deputy Mayor");
        send_json("POST", "/v1/articles", body, &r);
        ck_assert_msg(r.status == 201, "%s", r.body.data);
        http_result_release(&r);
        http_get(fx.port, "/v1/officials/tomas-brenner", &r);
        ck_assert_str_eq(sval(r.json, "title"), later ? "Senator" : "Minister of Energy");
        http_result_release(&r);
    }
}
END_TEST

/* The title and organization of an official named name, as
 * "title/organization" ("-" for null) in out. */
static void
title_of(const char *slug, char *out, size_t size)
{
    char target[128];
    struct http_result r;
    const json_t *org;

    snprintf(target, sizeof(target), "/v1/officials/%s", slug);
    http_get(fx.port, target, &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    org = json_object_get(r.json, "organization");
    snprintf(out, size, "%s/%s",
             json_is_string(json_object_get(r.json, "title")) ? sval(r.json, "title")
                                                              : "-",
             json_is_object(org) ? sval(org, "name") : "-");
    http_result_release(&r);
}

/* An official's title and organization are those of the latest article
 * that states them: after that article is deleted or rewritten, those of
 * the latest one left (and a later article can still change them); after
 * a merge, the latest of both officials'. */
START_TEST(title_follows_the_articles)
{
    char was[256], now[256];
    struct http_result r;

    title_of("tomas-brenner", was, sizeof(was));
    /* an article dated wrongly, then deleted */
    send_json("POST", "/v1/articles?extract=false",
              "{\"title\": \"Brenner in 2099\", \"published\": \"2099-01-10\", "
              "\"body\": \"He spoke.\", \"quotes\": [{\"text\": \"spoke\", "
              "\"official\": \"Tomas Brenner\", \"title\": \"chief\", "
              "\"organization\": \"Mining Board\"}]}",
              &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    http_result_release(&r);
    title_of("tomas-brenner", now, sizeof(now));
    ck_assert_str_eq(now, "chief/Mining Board");
    send_json("DELETE", "/v1/articles/brenner-in-2099", NULL, &r);
    ck_assert_int_eq(r.status, 204);
    http_result_release(&r);
    title_of("tomas-brenner", now, sizeof(now));
    ck_assert_str_eq(now, was);
    /* a later article still gives another title */
    send_json("POST", "/v1/articles?extract=false",
              "{\"title\": \"Brenner in 2025\", \"published\": \"2025-01-10\", "
              "\"body\": \"He spoke.\", \"quotes\": [{\"text\": \"spoke\", "
              "\"official\": \"Tomas Brenner\", \"title\": \"premier\"}]}",
              &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    http_result_release(&r);
    title_of("tomas-brenner", now, sizeof(now));
    ck_assert_str_eq(now, "premier/-");
    /* that article rewritten without him */
    send_json("PATCH", "/v1/articles/brenner-in-2025",
              "{\"body\": \"Nobody spoke.\", \"quotes\": []}", &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    http_result_release(&r);
    title_of("tomas-brenner", now, sizeof(now));
    ck_assert_str_eq(now, was);
    /* a duplicate quoted later, merged */
    send_json("POST", "/v1/articles?extract=false",
              "{\"title\": \"T. Brenner in 2026\", \"published\": \"2026-01-10\", "
              "\"body\": \"He spoke.\", \"quotes\": [{\"text\": \"spoke\", "
              "\"official\": \"T. Brenner\", \"title\": \"governor\", "
              "\"organization\": \"Northern Province\"}]}",
              &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    http_result_release(&r);
    send_json("POST", "/v1/officials/tomas-brenner/merge", "{\"from\": [\"t-brenner\"]}",
              &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    http_result_release(&r);
    title_of("tomas-brenner", now, sizeof(now));
    ck_assert_str_eq(now, "governor/Northern Province");
}
END_TEST

/* A corrected name keeps the one it replaces as an alias: an article that
 * still spells it so finds the official rather than making a new one. */
START_TEST(renamed_officials_keep_their_old_name)
{
    struct http_result r;

    send_json("PATCH", "/v1/officials/tomas-brenner", "{\"name\": \"Tomas Brennert\"}",
              &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    http_result_release(&r);
    send_json("POST", "/v1/articles?extract=false",
              "{\"title\": \"Brenner, old spelling\", \"published\": \"2024-07-01\", "
              "\"body\": \"He spoke.\", \"quotes\": [{\"text\": \"spoke\", "
              "\"official\": \"Tomas Brenner\"}]}",
              &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    ck_assert_str_eq(first_speaker(&r), "tomas-brenner");
    http_result_release(&r);
    http_get(fx.port, "/v1/officials/tomas-brenner", &r);
    ck_assert_str_eq(sval(r.json, "name"), "Tomas Brennert");
    http_result_release(&r);
    /* and the name can be given back */
    send_json("PATCH", "/v1/officials/tomas-brenner", "{\"name\": \"Tomas Brenner\"}",
              &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    http_result_release(&r);
}
END_TEST

/* An official named twice in from (by id and by slug) is merged once,
 * and the answer is the one a single mention gives. */
START_TEST(merge_names_an_official_twice)
{
    char body[128];
    struct http_result r;
    json_int_t zoe, quotes;

    http_get(fx.port, "/v1/officials/zoe-marin", &r);
    ck_assert_int_eq(r.status, 200);
    zoe = json_integer_value(json_object_get(r.json, "id"));
    quotes = json_integer_value(json_object_get(r.json, "quote_count"));
    http_result_release(&r);
    http_get(fx.port, "/v1/officials/tomas-brenner", &r);
    ck_assert_int_eq(r.status, 200);
    quotes += json_integer_value(json_object_get(r.json, "quote_count"));
    http_result_release(&r);

    snprintf(body, sizeof(body), "{\"from\": [%lld, \"zoe-marin\", \"%lld\"]}",
             (long long)zoe, (long long)zoe);
    send_json("POST", "/v1/officials/tomas-brenner/merge", body, &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_str_eq(sval(r.json, "slug"), "tomas-brenner");
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "quote_count")), quotes);
    http_result_release(&r);
    http_get(fx.port, "/v1/officials/zoe-marin", &r);
    assert_problem(&r, 404, NULL);
    http_result_release(&r);
    /* the merged name now finds the kept official */
    send_json("POST", "/v1/articles",
              "{\"title\": \"Marin again\", \"published\": \"2024-08-01\", \"body\": "
              "\"She spoke.\", \"quotes\": [{\"text\": \"spoke\", \"official\": "
              "\"Zo\u00eb Mar\u00edn\"}]}",
              &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    ck_assert_str_eq(first_speaker(&r), "tomas-brenner");
    http_result_release(&r);
}
END_TEST

/* An official's organization takes the forms a quote's does in POST
 * /v1/articles: a name, or {"name", "parent"} whose parent is a name or
 * such an object; any other form is a 400 naming the field. */
static long
total_of(const char *target)
{
    struct http_result r;
    long n;

    http_get(fx.port, target, &r);
    ck_assert_msg(r.status == 200, "%s: %ld %s", target, r.status, r.body.data);
    n = (long)json_integer_value(json_object_get(r.json, "total"));
    http_result_release(&r);
    return n;
}

/* An organization's filter takes in its departments, and theirs. */
START_TEST(departments_of_departments)
{
    static const char *const orgs[] = {"survey-unit", "statistics-department",
                                       "lowland-planning-agency"};
    struct http_result r;
    const json_t *row;
    bool counted = false;
    size_t i;

    send_json("POST", "/v1/articles?extract=false",
              "{\"title\": \"Survey finds more ferries\", \"published\": "
              "\"2024-06-01\", \"body\": \"Ferry use grew.\", \"quotes\": "
              "[{\"text\": \"Ferry use grew\", \"kind\": \"indirect\", "
              "\"official\": \"Mirela Santos\", \"organization\": {\"name\": "
              "\"Survey Unit\", \"parent\": {\"name\": \"Statistics Department\", "
              "\"parent\": \"Lowland Planning Agency\"}}}]}",
              &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    http_result_release(&r);
    for (i = 0; i < sizeof(orgs) / sizeof(orgs[0]); i++) {
        char url[160];

        snprintf(url, sizeof(url), "/v1/quotes?count=true&organization=%s", orgs[i]);
        ck_assert_msg(total_of(url) == 1, "%s", url);
        snprintf(url, sizeof(url), "/v1/articles?count=true&organization=%s", orgs[i]);
        ck_assert_msg(total_of(url) == 1, "%s", url);
        snprintf(url, sizeof(url), "/v1/officials?count=true&organization=%s", orgs[i]);
        ck_assert_msg(total_of(url) == 1, "%s", url);
    }
    /* the facet counts what the filter selects */
    http_get(fx.port, "/v1/facets?field=organization&limit=1000", &r);
    ck_assert_int_eq(r.status, 200);
    json_array_foreach (json_object_get(r.json, "data"), i, row) {
        if (strcmp(sval(row, "value"), "lowland-planning-agency") == 0) {
            ck_assert_int_eq(json_integer_value(json_object_get(row, "count")), 1);
            counted = true;
        }
    }
    ck_assert_msg(counted, "%s", r.body.data);
    http_result_release(&r);
}
END_TEST

START_TEST(official_organization_forms)
{
    static const char *const bodies[] = {
        "{\"organization\": {\"name\": \"Forecast Department\", \"parent\": "
        "\"National Planning Agency\"}}",
        "{\"organization\": {\"name\": \"Forecast Department\", \"parent\": "
        "{\"name\": \"National Planning Agency\"}}}",
    };
    struct http_result r;
    const json_t *org, *errors;

    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        send_json("PATCH", "/v1/officials/tomas-brenner", bodies[i], &r);
        ck_assert_msg(r.status == 200, "%s", r.body.data);
        org = json_object_get(r.json, "organization");
        ck_assert_str_eq(sval(org, "name"), "Forecast Department");
        ck_assert_msg(json_is_object(json_object_get(org, "parent")), "%s", r.body.data);
        ck_assert_str_eq(sval(json_object_get(org, "parent"), "name"),
                         "National Planning Agency");
        http_result_release(&r);
    }
    /* a name alone, as in a quote */
    send_json("PATCH", "/v1/officials/tomas-brenner",
              "{\"organization\": \"Energy Ministry\"}", &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_str_eq(sval(json_object_get(r.json, "organization"), "name"),
                     "Energy Ministry");
    http_result_release(&r);
    /* a number is no organization: 400, the field named, nothing changed */
    send_json("PATCH", "/v1/officials/tomas-brenner",
              "{\"organization\": {\"name\": \"Forecast Department\", \"parent\": "
              "42}}",
              &r);
    assert_problem(&r, 400, "organization.parent must be a name or an object");
    errors = json_object_get(r.json, "errors");
    ck_assert_uint_eq(json_array_size(errors), 1);
    ck_assert_str_eq(sval(json_array_get(errors, 0), "field"), "organization.parent");
    ck_assert_ptr_nonnull(sval(json_array_get(errors, 0), "message"));
    http_result_release(&r);
    send_json("PATCH", "/v1/officials/tomas-brenner", "{\"organization\": 7}", &r);
    assert_problem(&r, 400, "organization must be");
    ck_assert_str_eq(sval(json_array_get(json_object_get(r.json, "errors"), 0), "field"),
                     "organization");
    http_result_release(&r);
    http_get(fx.port, "/v1/officials/tomas-brenner", &r);
    ck_assert_str_eq(sval(json_object_get(r.json, "organization"), "name"),
                     "Energy Ministry");
    http_result_release(&r);
}
END_TEST

/* The slugs, by id, of the organizations /v1/organizations lists as
 * changed at or after since, comma-separated, into out. */
/* The ids of the rows of a list (articles, quotes, ...) changed since
 * then, in id order, comma-separated in out. */
static void
ids_since(const char *list, const char *since, char *out, size_t size)
{
    char target[160];
    struct http_result r;
    const json_t *row;
    size_t i, len = 0;

    snprintf(target, sizeof(target),
             "/v1/%s?updated_since=%s&sort=id&limit=100&fields=id", list, since);
    http_get(fx.port, target, &r);
    ck_assert_msg(r.status == 200, "%s: %s", target, r.body.data);
    out[0] = '\0';
    json_array_foreach (json_object_get(r.json, "data"), i, row)
        len +=
            (size_t)snprintf(out + len, size - len, "%s%lld", i ? "," : "",
                             (long long)json_integer_value(json_object_get(row, "id")));
    ck_assert_uint_lt(len, size);
    http_result_release(&r);
}

static void
orgs_since(const char *since, char *out, size_t size)
{
    char target[128];
    struct http_result r;
    const json_t *row;
    size_t i, len = 0;

    snprintf(target, sizeof(target),
             "/v1/organizations?updated_since=%s&sort=id&limit=100&fields=slug", since);
    http_get(fx.port, target, &r);
    ck_assert_msg(r.status == 200, "%s: %s", target, r.body.data);
    out[0] = '\0';
    json_array_foreach (json_object_get(r.json, "data"), i, row)
        len += (size_t)snprintf(out + len, size - len, "%s%s", i ? "," : "",
                                sval(row, "slug"));
    ck_assert_uint_lt(len, size);
    http_result_release(&r);
}

/* The time of the next write: a second after the writes so far, so that
 * updated_since lists only what changes from now on. */
static void
since_now(char t[TIMESTAMP_LEN])
{
    char slugs[512];

    sleep(1);
    timestamp_now(t);
    orgs_since(t, slugs, sizeof(slugs));
    ck_assert_str_eq(slugs, "");
}

/* official_count is counted from the officials, so an official joining
 * or leaving an organization changes the organization: its updated_at
 * moves and updated_since finds it, the one left and the one joined, for
 * a correction, a merge and a newer article. */
START_TEST(organizations_follow_their_officials)
{
    char t[TIMESTAMP_LEN], slugs[512];
    struct http_result r;

    since_now(t);
    send_json("PATCH", "/v1/officials/zoe-marin",
              "{\"organization\": \"Ministry of Industry\"}", &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_str_eq(sval(json_object_get(r.json, "organization"), "slug"),
                     "ministry-of-industry");
    http_result_release(&r);
    orgs_since(t, slugs, sizeof(slugs));
    ck_assert_str_eq(slugs, "ministry-of-industry,universite-de-selestat");

    /* zoe-marin was the Ministry's only official */
    since_now(t);
    send_json("POST", "/v1/officials/ines-halvorsen/merge", "{\"from\": [\"zoe-marin\"]}",
              &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    http_result_release(&r);
    http_get(fx.port, "/v1/organizations/ministry-of-industry", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "official_count")), 0);
    http_result_release(&r);
    orgs_since(t, slugs, sizeof(slugs));
    ck_assert_str_eq(slugs, "ministry-of-industry");

    /* a newer article gives ines-halvorsen another organization */
    since_now(t);
    send_json("POST", "/v1/articles",
              "{\"title\": \"Halvorsen moves\", \"published\": \"2025-01-10\", "
              "\"body\": \"She spoke.\", \"quotes\": [{\"text\": \"spoke\", "
              "\"official\": \"Ines Halvorsen\", \"title\": \"adviser\", "
              "\"organization\": \"Ministry of Industry\"}]}",
              &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    http_result_release(&r);
    orgs_since(t, slugs, sizeof(slugs));
    ck_assert_str_eq(slugs, "planning-office,ministry-of-industry");
}
END_TEST

/* An article whose theme links or quotes change by a write to another
 * resource (a retag, a theme deleted, officials merged) has changed, and
 * so has a quote moved to another official: updated_since lists them. */
START_TEST(updated_since_follows_links)
{
    const char *h[] = {auth_w, NULL};
    char t[TIMESTAMP_LEN], ids[512], want[64];
    struct http_result r;
    json_int_t quote;

    /* the lighthouse article (6) is found by the new theme's keyword */
    send_json(
        "POST", "/v1/themes",
        "{\"slug\": \"museums\", \"name\": \"Museums\", \"keywords\": [\"museum\"]}", &r);
    ck_assert_int_eq(r.status, 201);
    http_result_release(&r);
    since_now(t);
    http_request(fx.port, "POST", "/v1/themes/museums/retag", h, NULL, &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    http_result_release(&r);
    ids_since("articles", t, ids, sizeof(ids));
    ck_assert_str_eq(ids, "6");
    /* tagging again what is tagged changes no article */
    since_now(t);
    http_request(fx.port, "POST", "/v1/themes/museums/retag", h, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    http_result_release(&r);
    ids_since("articles", t, ids, sizeof(ids));
    ck_assert_str_eq(ids, "");
    /* other keywords: 6 loses the theme */
    send_json("PATCH", "/v1/themes/museums", "{\"keywords\": [\"planetarium\"]}", &r);
    ck_assert_int_eq(r.status, 200);
    http_result_release(&r);
    since_now(t);
    http_request(fx.port, "POST", "/v1/themes/museums/retag", h, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    http_result_release(&r);
    ids_since("articles", t, ids, sizeof(ids));
    ck_assert_str_eq(ids, "6");
    /* a theme deleted: its articles lose it */
    since_now(t);
    http_request(fx.port, "DELETE", "/v1/themes/transport", h, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    http_result_release(&r);
    ids_since("articles", t, ids, sizeof(ids));
    ck_assert_str_eq(ids, "1");
    /* zoe-marin's quote (article 5) moves to tomas-brenner */
    http_get(fx.port, "/v1/officials/zoe-marin/quotes?fields=id", &r);
    ck_assert_int_eq(r.status, 200);
    quote = json_integer_value(
        json_object_get(json_array_get(json_object_get(r.json, "data"), 0), "id"));
    http_result_release(&r);
    since_now(t);
    send_json("POST", "/v1/officials/tomas-brenner/merge", "{\"from\": [\"zoe-marin\"]}",
              &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    http_result_release(&r);
    ids_since("articles", t, ids, sizeof(ids));
    ck_assert_str_eq(ids, "5");
    ids_since("quotes", t, ids, sizeof(ids));
    snprintf(want, sizeof(want), "%lld", (long long)quote);
    ck_assert_str_eq(ids, want);
}
END_TEST

START_TEST(etags)
{
    char inm[160];
    const char *h[] = {inm, NULL};
    struct http_result r;
    char etag[100];

    http_get(fx.port, "/v1/themes?limit=50", &r);
    snprintf(etag, sizeof(etag), "%s", http_header(&r, "ETag"));
    ck_assert(etag[0] == '"' && etag[strlen(etag) - 1] == '"');
    ck_assert_str_eq(http_header(&r, "Cache-Control"), "public, max-age=60");
    http_result_release(&r);
    snprintf(inm, sizeof(inm), "If-None-Match: W/\"other\", %s", etag);
    http_request(fx.port, "GET", "/v1/themes?limit=50", h, NULL, &r);
    ck_assert_int_eq(r.status, 304);
    ck_assert_uint_eq(r.body.len, 0);
    ck_assert_str_eq(http_header(&r, "ETag"), etag);
    http_result_release(&r);
    /* a write changes the representation, and its validator */
    send_json("PATCH", "/v1/themes/energy", "{\"description\": \"Power.\"}", &r);
    http_result_release(&r);
    http_request(fx.port, "GET", "/v1/themes?limit=50", h, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_ne(http_header(&r, "ETag"), etag);
    http_result_release(&r);
    /* streamed exports carry one too */
    http_get(fx.port, "/v1/export/themes?format=ndjson", &r);
    snprintf(etag, sizeof(etag), "%s", http_header(&r, "ETag"));
    http_result_release(&r);
    snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
    http_request(fx.port, "GET", "/v1/export/themes?format=ndjson", h, NULL, &r);
    ck_assert_int_eq(r.status, 304);
    http_result_release(&r);
}
END_TEST

/* A write with If-Match happens only while the resource is as the client
 * read it (plain or gzip), so that it cannot undo another's write. */
static void
conditional(const char *method, const char *target, const char *cond, const char *body,
            struct http_result *r)
{
    const char *h[] = {auth_w, "Content-Type: application/json", cond, NULL};

    http_request(fx.port, method, target, h, body, r);
}

START_TEST(writes_with_preconditions)
{
    static const char *const gz[] = {"Accept-Encoding: gzip", NULL};
    char plain[100], zipped[100], cond[160];
    struct http_result r;

    http_get(fx.port, "/v1/articles/1", &r);
    snprintf(plain, sizeof(plain), "%s", http_header(&r, "ETag"));
    http_result_release(&r);
    http_request(fx.port, "GET", "/v1/articles/1", gz, NULL, &r);
    ck_assert_str_eq(http_header(&r, "Content-Encoding"), "gzip");
    snprintf(zipped, sizeof(zipped), "%s", http_header(&r, "ETag"));
    http_result_release(&r);

    conditional("PATCH", "/v1/articles/1", "If-Match: \"stale\"",
                "{\"source\": \"Harbour Gazette\"}", &r);
    assert_problem(&r, 412, "has changed");
    http_result_release(&r);
    snprintf(cond, sizeof(cond), "If-Match: W/%s", plain); /* weak: never */
    conditional("DELETE", "/v1/articles/1", cond, NULL, &r);
    assert_problem(&r, 412, NULL);
    http_result_release(&r);
    http_get(fx.port, "/v1/articles/1", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(http_header(&r, "ETag"), plain); /* untouched */
    http_result_release(&r);

    /* the tag of the gzip form names the same state */
    snprintf(cond, sizeof(cond), "If-Match: \"other\", %s", zipped);
    conditional("PATCH", "/v1/articles/1", cond, "{\"source\": \"Harbour Gazette\"}", &r);
    ck_assert_int_eq(r.status, 200);
    http_result_release(&r);
    /* a second client still holding the first tag is refused */
    snprintf(cond, sizeof(cond), "If-Match: %s", plain);
    conditional("PATCH", "/v1/articles/1", cond, "{\"source\": \"Other Paper\"}", &r);
    assert_problem(&r, 412, NULL);
    http_result_release(&r);
    http_get(fx.port, "/v1/articles/1", &r);
    ck_assert_str_eq(sval(r.json, "source"), "Harbour Gazette");
    snprintf(plain, sizeof(plain), "%s", http_header(&r, "ETag"));
    http_result_release(&r);
    conditional("PATCH", "/v1/articles/1", "If-None-Match: *", "{\"source\": \"X\"}", &r);
    assert_problem(&r, 412, NULL);
    http_result_release(&r);
    conditional("PATCH", "/v1/themes/energy", "If-Match: \"stale\"",
                "{\"description\": \"Power.\"}", &r);
    assert_problem(&r, 412, NULL);
    http_result_release(&r);

    /* with the current tag, or *, the write goes through */
    snprintf(cond, sizeof(cond), "If-Match: %s", plain);
    conditional("DELETE", "/v1/articles/1", cond, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    http_result_release(&r);
    /* an unknown id is a 404 whatever the condition */
    conditional("DELETE", "/v1/articles/1", "If-Match: *", NULL, &r);
    assert_problem(&r, 404, NULL);
    http_result_release(&r);
}
END_TEST

/* An export's validator changes with the data, also when another program
 * changed it (the theme catalog may be edited by hand). */
START_TEST(export_etags_follow_other_programs)
{
    char inm[160];
    const char *h[] = {inm, NULL};
    struct http_result r;
    sqlite3 *db;

    http_get(fx.port, "/v1/export/themes?format=csv", &r);
    ck_assert_int_eq(r.status, 200);
    snprintf(inm, sizeof(inm), "If-None-Match: %s", http_header(&r, "ETag"));
    http_result_release(&r);
    http_request(fx.port, "GET", "/v1/export/themes?format=csv", h, NULL, &r);
    ck_assert_int_eq(r.status, 304);
    http_result_release(&r);
    ck_assert_int_eq(sqlite3_open(fx.db, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "UPDATE themes SET description = 'Edited by hand'"
                                  " WHERE slug = 'energy'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    http_request(fx.port, "GET", "/v1/export/themes?format=csv", h, NULL, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_ptr_nonnull(strstr(r.body.data, "Edited by hand"));
    ck_assert_str_ne(http_header(&r, "ETag"), inm + strlen("If-None-Match: "));
    snprintf(inm, sizeof(inm), "If-None-Match: %s", http_header(&r, "ETag"));
    http_result_release(&r);
    /* and then stays put, whichever worker thread answers */
    send_json("PATCH", "/v1/themes/energy", "{\"description\": \"Power.\"}", &r);
    ck_assert_int_eq(r.status, 200);
    http_result_release(&r);
    http_get(fx.port, "/v1/export/themes?format=csv", &r);
    snprintf(inm, sizeof(inm), "If-None-Match: %s", http_header(&r, "ETag"));
    http_result_release(&r);
    for (int i = 0; i < 8; i++) {
        http_request(fx.port, "GET", "/v1/export/themes?format=csv", h, NULL, &r);
        ck_assert_int_eq(r.status, 304);
        http_result_release(&r);
    }
}
END_TEST

START_TEST(gzip_round_trip)
{
    static const char *const gz[] = {"Accept-Encoding: br;q=1, gzip;q=0.8", NULL};
    static const char *const no[] = {"Accept-Encoding: gzip;q=0", NULL};
    struct http_result plain, zipped;
    struct buf out;

    http_get(fx.port, "/v1/articles?include=body", &plain);
    http_request(fx.port, "GET", "/v1/articles?include=body", gz, NULL, &zipped);
    ck_assert_str_eq(http_header(&zipped, "Content-Encoding"), "gzip");
    ck_assert_str_eq(http_header(&zipped, "Vary"), "Accept, Accept-Encoding, Origin");
    ck_assert_uint_lt(zipped.body.len, plain.body.len);
    buf_init(&out);
    http_gunzip(&zipped, &out);
    ck_assert_uint_eq(out.len, plain.body.len);
    ck_assert(memcmp(out.data, plain.body.data, plain.body.len) == 0);
    buf_release(&out);
    /* the two representations have different validators */
    char etag[100];
    snprintf(etag, sizeof(etag), "%s", http_header(&zipped, "ETag"));
    ck_assert_str_ne(etag, http_header(&plain, "ETag"));
    http_result_release(&plain);
    http_result_release(&zipped);
    http_request(fx.port, "GET", "/v1/articles?include=body", no, NULL, &plain);
    ck_assert_ptr_null(http_header(&plain, "Content-Encoding"));
    http_result_release(&plain);
    /* small bodies are not worth it */
    http_request(fx.port, "GET", "/healthz", gz, NULL, &plain);
    ck_assert_ptr_null(http_header(&plain, "Content-Encoding"));
    http_result_release(&plain);
}
END_TEST

START_TEST(preflight_for_writes)
{
    static const char *const pre[] = {"Origin: http://app.example",
                                      "Access-Control-Request-Method: PATCH",
                                      "Access-Control-Request-Headers: Authorization, "
                                      "Content-Type",
                                      NULL};
    struct http_result r;

    http_request(fx.port, "OPTIONS", "/v1/articles/1", pre, NULL, &r);
    ck_assert_int_eq(r.status, 204);
    ck_assert_str_eq(http_header(&r, "Access-Control-Allow-Methods"),
                     "GET, HEAD, PUT, PATCH, DELETE, OPTIONS");
    ck_assert_ptr_nonnull(
        strstr(http_header(&r, "Access-Control-Allow-Headers"), "Authorization"));
    http_result_release(&r);
}
END_TEST

START_TEST(metrics)
{
    struct http_result r;

    http_get(fx.port, "/v1/articles", &r);
    http_result_release(&r);
    http_get(fx.port, "/v1/articles/999999", &r);
    http_result_release(&r);
    http_get(fx.port, "/metrics", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(http_header(&r, "Content-Type"),
                     "text/plain; version=0.0.4; charset=utf-8");
    ck_assert_ptr_nonnull(strstr(r.body.data,
                                 "gazette_http_requests_total{route=\"/v1/"
                                 "articles\",method=\"GET\",status=\"200\"} 1\n"));
    ck_assert_ptr_nonnull(strstr(r.body.data,
                                 "route=\"/v1/articles/{id}\",method=\"GET\","
                                 "status=\"404\"} 1\n"));
    /* what the latency measures: not the sending, which the client's pace sets */
    ck_assert_ptr_nonnull(strstr(r.body.data,
                                 "# HELP gazette_http_request_duration_seconds Time from "
                                 "the request line until the answer was ready to send"));
    ck_assert_ptr_nonnull(strstr(r.body.data,
                                 "gazette_http_request_duration_seconds_bucket{"
                                 "route=\"/v1/articles\",method=\"GET\",le=\"+Inf\"} 1"));
    /* this request at least; the one before may still be finishing */
    const char *inflight = strstr(r.body.data, "\ngazette_http_requests_in_flight ");
    ck_assert_ptr_nonnull(inflight);
    long n = strtol(inflight + strlen("\ngazette_http_requests_in_flight "), NULL, 10);
    ck_assert_msg(n >= 1 && n <= 3, "%ld in flight", n);
    ck_assert_ptr_nonnull(strstr(r.body.data, "gazette_rows{table=\"articles\"} 8\n"));
    ck_assert_ptr_nonnull(strstr(r.body.data, "gazette_database_size_bytes "));
    ck_assert_ptr_nonnull(strstr(r.body.data, "gazette_database_up 1\n"));
    http_result_release(&r);
}
END_TEST

#define PLAIN(url)                                                                       \
    "{\"title\": \"Port dredging plan for larger shipping\", \"published\": "            \
    "\"2024-08-01\", \"url\": \"" url "\", \"body\": \"The harbour will be dredged "     \
    "next spring to let larger container ships "                                         \
    "in.\\n\\n\\u201cThe channel is too shallow for the ships that trade here "          \
    "now,\\u201d said "                                                                  \
    "Ines Halvorsen, director of the Planning Office of the Port Emberly Harbour "       \
    "Authority.\"}"

START_TEST(writes_find_quotes_and_themes)
{
    struct http_result r;
    json_t *q;
    char location[128];

    send_json("POST", "/v1/articles", PLAIN("https://news.example.org/dredge"), &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    snprintf(location, sizeof(location), "%s", http_header(&r, "Location"));
    q = json_array_get(json_object_get(r.json, "quotes"), 0);
    ck_assert_ptr_nonnull(q);
    ck_assert_str_eq(sval(json_object_get(q, "official"), "slug"), "ines-halvorsen");
    ck_assert_str_eq(sval(q, "kind"), "direct");
    ck_assert_str_eq(sval(q, "title"), "director");
    ck_assert_str_eq(sval(json_object_get(q, "organization"), "name"), "Planning Office");
    ck_assert_str_eq(sval(q, "text"),
                     "The channel is too shallow for the ships that trade here now");
    /* the catalog's transport theme: "port" and "shipping" in the title */
    bool transport = false;
    size_t i;
    json_t *t;
    json_array_foreach (json_object_get(r.json, "themes"), i, t) {
        transport = transport || strcmp(sval(t, "slug"), "transport") == 0;
    }
    ck_assert(transport);
    http_result_release(&r);
    /* a new body is read again */
    {
        const char *h[] = {auth_w, "Content-Type: application/merge-patch+json", NULL};

        http_request(
            fx.port, "PATCH", location, h,
            "{\"body\": \"The dredging was postponed, the harbour authority said.\"}",
            &r);
    }
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "quotes")), 0);
    http_result_release(&r);
    /* extract=false stores the record as given */
    send_json("POST", "/v1/articles?extract=false",
              PLAIN("https://news.example.org/dredge-2"), &r);
    ck_assert_int_eq(r.status, 201);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "quotes")), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "themes")), 0);
    http_result_release(&r);
    /* so does a bulk import, which extracts by default */
    {
        const char *raw[] = {auth_w, "Content-Type: text/plain", NULL};

        http_request(
            fx.port, "POST", "/v1/import", raw,
            " date 2024-08-02 Title: Ferry fares rise\n\n"
            "Tomas Brenner, the transport minister, said that fares would rise by a "
            "tenth.\n",
            &r);
    }
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "inserted")), 1);
    http_result_release(&r);
    http_get(fx.port,
             "/v1/quotes?official=tomas-brenner&from=2024-08-01&fields=text,kind", &r);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 1);
    ck_assert_str_eq(sval(json_array_get(json_object_get(r.json, "data"), 0), "kind"),
                     "indirect");
    http_result_release(&r);
}
END_TEST

START_TEST(retag_a_theme)
{
    const char *h[] = {auth_w, NULL};
    struct http_result r;

    send_json("POST", "/v1/themes",
              "{\"slug\": \"museums\", \"name\": \"Museums\", \"keywords\": [\"museum\", "
              "\"research centre\"]}",
              &r);
    ck_assert_int_eq(r.status, 201);
    http_result_release(&r);
    http_request(fx.port, "POST", "/v1/themes/museums/retag", h, NULL, &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    ck_assert_str_eq(sval(r.json, "theme"), "museums");
    /* the lighthouse museum (its title) and the research centre */
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "tagged")), 2);
    http_result_release(&r);
    http_get(fx.port, "/v1/articles?theme=museums&fields=slug", &r);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 2);
    http_result_release(&r);
    http_get(fx.port, "/v1/themes/museums", &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "article_count")), 2);
    http_result_release(&r);
    /* a theme given by hand stays through a retag, even when the keywords
     * no longer find anything */
    send_json("PATCH", "/v1/articles/1", "{\"themes\": [\"museums\"]}", &r);
    ck_assert_msg(r.status == 200, "%s", r.body.data);
    http_result_release(&r);
    http_get(fx.port, "/v1/themes/museums", &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "article_count")), 3);
    http_result_release(&r);
    send_json("PATCH", "/v1/themes/museums", "{\"keywords\": [\"planetarium\"]}", &r);
    ck_assert_int_eq(r.status, 200);
    http_result_release(&r);
    http_request(fx.port, "POST", "/v1/themes/museums/retag", h, NULL, &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "tagged")), 0);
    http_result_release(&r);
    http_get(fx.port, "/v1/articles?theme=museums&fields=id", &r);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(
                         json_array_get(json_object_get(r.json, "data"), 0), "id")),
                     1);
    http_result_release(&r);
    http_get(fx.port, "/v1/themes/museums", &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "article_count")), 1);
    http_result_release(&r);
    http_request(fx.port, "POST", "/v1/themes/nothing-here/retag", h, NULL, &r);
    assert_problem(&r, 404, NULL);
    http_result_release(&r);
}
END_TEST

/* The themes of a new article, as a comma-separated list of slugs. */
static void
themes_of_new(const char *title, char *out, size_t size)
{
    struct http_result r;
    char body[512];
    size_t i, n = 0;
    json_t *t;

    snprintf(
        body, sizeof(body),
        "{\"title\": \"%s\", \"published\": \"2024-09-01\", \"body\": \"%s today.\"}",
        title, title);
    send_json("POST", "/v1/articles", body, &r);
    ck_assert_msg(r.status == 201, "%s", r.body.data);
    out[0] = '\0';
    json_array_foreach (json_object_get(r.json, "themes"), i, t) {
        n += (size_t)snprintf(out + n, n < size ? size - n : 0, "%s,", sval(t, "slug"));
    }
    http_result_release(&r);
}

START_TEST(writes_follow_the_catalog)
{
    struct http_result r;
    char themes[512];
    sqlite3 *db;

    /* the catalog compiled for one write is kept for the next */
    themes_of_new("Zeppelin hangar reopens", themes, sizeof(themes));
    ck_assert_ptr_null(strstr(themes, "airships"));
    send_json("POST", "/v1/themes",
              "{\"slug\": \"airships\", \"name\": \"Airships\", \"keywords\": "
              "[\"zeppelin\"]}",
              &r);
    ck_assert_int_eq(r.status, 201);
    http_result_release(&r);
    themes_of_new("Zeppelin mooring mast approved", themes, sizeof(themes));
    ck_assert_msg(strstr(themes, "airships,") != NULL, "%s", themes);
    /* new keywords through the API */
    send_json("PATCH", "/v1/themes/airships", "{\"keywords\": [\"dirigible\"]}", &r);
    ck_assert_int_eq(r.status, 200);
    http_result_release(&r);
    themes_of_new("Zeppelin flights resume", themes, sizeof(themes));
    ck_assert_msg(strstr(themes, "airships,") == NULL, "%s", themes);
    themes_of_new("Dirigible flights resume", themes, sizeof(themes));
    ck_assert_msg(strstr(themes, "airships,") != NULL, "%s", themes);
    /* and a change made by hand in the database */
    ck_assert_int_eq(sqlite3_open(fx.db, &db), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(db,
                                  "UPDATE themes SET keywords = '[\"blimp\"]'"
                                  " WHERE slug = 'airships'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    themes_of_new("Blimp flights resume", themes, sizeof(themes));
    ck_assert_msg(strstr(themes, "airships,") != NULL, "%s", themes);
    themes_of_new("Dirigible hangar closes", themes, sizeof(themes));
    ck_assert_msg(strstr(themes, "airships,") == NULL, "%s", themes);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("write");
    TCase *tc = tcase_create("write");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, article_life_cycle);
    tcase_add_test(tc, explicit_slugs_are_not_renamed);
    tcase_add_test(tc, unchanged_writes_change_nothing);
    tcase_add_test(tc, keys_are_needed);
    tcase_add_test(tc, keys_over_http);
    tcase_add_test(tc, bad_writes);
    tcase_add_test(tc, bodies_and_media_types);
    tcase_add_test(tc, bulk_import);
    tcase_add_test(tc, theme_catalog);
    tcase_add_test(tc, theme_patch_with_nulls);
    tcase_add_test(tc, busy_database);
    tcase_add_test(tc, official_corrections);
    tcase_add_test(tc, deleted_ids_are_not_given_again);
    tcase_add_test(tc, a_correction_stands);
    tcase_add_test(tc, merge_names_an_official_twice);
    tcase_add_test(tc, title_follows_the_articles);
    tcase_add_test(tc, renamed_officials_keep_their_old_name);
    tcase_add_test(tc, official_organization_forms);
    tcase_add_test(tc, organizations_follow_their_officials);
    tcase_add_test(tc, updated_since_follows_links);
    tcase_add_test(tc, etags);
    tcase_add_test(tc, writes_with_preconditions);
    tcase_add_test(tc, export_etags_follow_other_programs);
    tcase_add_test(tc, gzip_round_trip);
    tcase_add_test(tc, preflight_for_writes);
    tcase_add_test(tc, metrics);
    tcase_add_test(tc, writes_find_quotes_and_themes);
    tcase_add_test(tc, retag_a_theme);
    tcase_add_test(tc, writes_follow_the_catalog);
    tcase_add_test(tc, departments_of_departments);
    suite_add_tcase(s, tc);
    return run_suites(&s, 1);
}
