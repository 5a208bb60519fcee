/* check_api.c - the route table and cursors, without a network. */
#include <stdlib.h>
#include <string.h>

#include "gazette/api.h"
#include "gazette/cursor.h"
#include "gazette/embedded.h"
#include "gazette/ingest.h"
#include "gazette/query.h"
#include "gazette/router.h"
#include "gazette/xalloc.h"
#include "helpers.h"

static enum err
route(enum method m, const char *path, const struct route **h, unsigned *allow,
      struct req *rq)
{
    memset(rq, 0, sizeof(*rq));
    rq->method = m;
    rq->path = xstrdup(path);
    return router_match(rq, h, allow);
}

static void
unroute(struct req *rq)
{
    free(rq->path);
    free(rq->argbuf);
}

START_TEST(routes_match)
{
    const struct route *h;
    unsigned allow;
    struct req rq;

    ck_assert_int_eq(route(M_GET, "/v1/articles", &h, &allow, &rq), ERR_OK);
    ck_assert_ptr_eq(h->handler, api_articles_list);
    unroute(&rq);
    ck_assert_int_eq(route(M_HEAD, "/v1/articles/china-focuses", &h, &allow, &rq),
                     ERR_OK);
    ck_assert_ptr_eq(h->handler, api_articles_get);
    ck_assert_uint_eq(rq.nargs, 1);
    ck_assert_str_eq(rq.args[0], "china-focuses");
    ck_assert_str_eq(rq.route, "/v1/articles/{id}");
    unroute(&rq);
    ck_assert_int_eq(route(M_GET, "/v1/officials/7/quotes", &h, &allow, &rq), ERR_OK);
    ck_assert_ptr_eq(h->handler, api_official_quotes);
    ck_assert_str_eq(rq.args[0], "7");
    unroute(&rq);
}
END_TEST

START_TEST(routes_refuse)
{
    const struct route *h;
    unsigned allow;
    struct req rq;
    struct buf b;

    ck_assert_int_eq(route(M_DELETE, "/v1/quotes", &h, &allow, &rq), ERR_METHOD);
    ck_assert_ptr_null(h);
    buf_init(&b);
    router_allow_text(&b, allow);
    ck_assert_str_eq(b.data, "GET, HEAD");
    buf_release(&b);
    unroute(&rq);
    ck_assert_int_eq(route(M_GET, "/v1/nothing", &h, &allow, &rq), ERR_NOT_FOUND);
    unroute(&rq);
    ck_assert_int_eq(route(M_GET, "/v1/articles/1/2", &h, &allow, &rq), ERR_NOT_FOUND);
    unroute(&rq);
    ck_assert_int_eq(route(M_GET, "/v1/officials//quotes", &h, &allow, &rq),
                     ERR_NOT_FOUND);
    unroute(&rq);
}
END_TEST

START_TEST(every_route_has_a_handler)
{
    size_t n;
    const struct route *r = router_routes(&n);

    ck_assert_uint_ge(n, 12);
    for (size_t i = 0; i < n; i++) {
        ck_assert_ptr_nonnull(r[i].handler);
        ck_assert(r[i].pattern[0] == '/');
        ck_assert_uint_ne(r[i].methods, 0);
    }
}
END_TEST

static const unsigned char key[32] = "0123456789abcdef0123456789abcde";

START_TEST(cursor_round_trip)
{
    struct err_info ei = {0};
    json_t *pos = json_pack("[s, i]", "2023-12-21", 42), *back;
    char *c = cursor_encode(key, "articles|1|1", pos);

    ck_assert_uint_lt(strlen(c), CURSOR_MAX_LEN);
    ck_assert(
        strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") ==
        strlen(c));
    back = cursor_decode(key, "articles|1|1", c, &ei);
    ck_assert_ptr_nonnull(back);
    ck_assert(json_equal(pos, back));
    json_decref(back);
    json_decref(pos);
    free(c);
}
END_TEST

START_TEST(cursor_forgeries)
{
    struct err_info ei = {0};
    json_t *pos = json_pack("[s, i]", "2023-12-21", 42);
    char *c = cursor_encode(key, "scope", pos);
    unsigned char other[32] = {1};

    /* another query */
    ck_assert_ptr_null(cursor_decode(key, "other scope", c, &ei));
    ck_assert_msg(strstr(ei.detail, "another query") != NULL, "%s", ei.detail);
    /* another database's key */
    err_clear(&ei);
    ck_assert_ptr_null(cursor_decode(other, "scope", c, &ei));
    ck_assert_msg(strstr(ei.detail, "altered") != NULL, "%s", ei.detail);
    /* every single changed character is noticed */
    for (size_t i = 0; c[i] != '\0'; i++) {
        char saved = c[i];
        json_t *v;

        c[i] = saved == 'A' ? 'B' : 'A';
        err_clear(&ei);
        v = cursor_decode(key, "scope", c, &ei);
        ck_assert_msg(v == NULL, "change at %zu accepted", i);
        ck_assert_int_eq(ei.code, ERR_INVALID);
        c[i] = saved;
    }
    static const char *const junk[] = {"", ".", "abc", "a.b.c", "!!!.???", "eyJ9.AAAA"};
    for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
        err_clear(&ei);
        ck_assert_ptr_null(cursor_decode(key, "scope", junk[i], &ei));
        ck_assert_int_eq(ei.code, ERR_INVALID);
        ck_assert_str_eq(ei.fields[0].field, "cursor");
    }
    json_decref(pos);
    free(c);
}
END_TEST

/* The longest position a list makes: after an article whose title has
 * the most bytes a title may have (found by fuzz_cursor: cursors longer
 * than 1024 characters, made for titles of some 750 bytes, were refused,
 * so the pages after a long title could not be reached). */
START_TEST(cursor_after_the_longest_title)
{
    static const char *const units[] = {"\xe6\x95\xb0", "\"", "\x01", "a"};
    struct err_info ei = {0};

    for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
        struct buf title;
        json_t *pos, *back;
        char *c;

        buf_init(&title);
        while (title.len + strlen(units[u]) <= ARTICLE_MAX_TITLE)
            buf_adds(&title, units[u]);
        pos = json_pack("[s, I]", title.data, (json_int_t)INT64_MAX);
        c = cursor_encode(key, "articles|2|1||||||||q|", pos);
        ck_assert_uint_le(strlen(c), CURSOR_MAX_LEN);
        back = cursor_decode(key, "articles|2|1||||||||q|", c, &ei);
        ck_assert_msg(back != NULL, "a cursor of %zu characters: %s", strlen(c),
                      ei.detail);
        ck_assert(json_equal(pos, back));
        json_decref(back);
        json_decref(pos);
        free(c);
        buf_release(&title);
    }
}
END_TEST

/* Renders a parsed query compactly: groups in [], negated with !, phrases
 * in "", prefixes with *. */
static char *
parsed(const char *q, struct err_info *ei)
{
    struct text_query tq;
    struct buf b;

    buf_init(&b);
    if (text_query_parse(q, "q", &tq, ei) != ERR_OK) {
        buf_release(&b);
        return NULL;
    }
    for (size_t i = 0; i < tq.n; i++) {
        const struct tq_term *t = &tq.terms[i];

        buf_addf(&b, "%s%s%s%s%s%s", i ? " " : "", t->negated ? "!" : "",
                 t->phrase ? "\"" : "", t->text, t->phrase ? "\"" : "",
                 t->prefix ? "*" : "");
        if (!t->negated)
            buf_addf(&b, "@%d", t->group);
    }
    text_query_release(&tq);
    return buf_detach(&b, NULL);
}

START_TEST(search_syntax)
{
    static const struct {
        const char *in, *out;
    } good[] = {
        {"digital economy", "digital@0 economy@1"},
        {"\"digital economy\" -tariffs", "\"digital economy\"@0 !tariffs"},
        {"grid OR tariff steel", "grid@0 tariff@0 steel@1"},
        {"econ* NOT china", "econ*@0 !china"},
        {"\"digital econ\"* -\"a b\"*", "\"digital econ\"*@0 !\"a b\"*"},
        {"a AND b", "a@0 b@1"},
        {"  spaced   out  ", "spaced@0 out@1"},
        {"经济 , !", "经济@0"},
        /* punctuation beyond ASCII is skipped as well: no term of it
         * alone, which would match no article at all */
        {"tariff \u2014 steel \u2026", "tariff@0 steel@1"},     /* — … */
        {"经济 \u3002 发展 \uff0c", "经济@0 发展@1"},           /* 。， */
        {"\u00ab tariff \u00bb \u201c \U0001F4C8", "tariff@0"}, /* « » “ 📈 */
        {"\u201ctariff\u201d", "\u201ctariff\u201d@0"},
        {"\u00b2 \u3007 \u30fb", "\u00b2@0 \u3007@1 \u30fb@2"}, /* ² 〇 ・ */
        /* a "-" standing alone is a dash, not an exclusion */
        {"tariff - steel -", "tariff@0 steel@1"},
        {"tariff -- steel -- -\u3001", "tariff@0 steel@1"},
        {"- steel --iron", "steel@0 !-iron"},
        {"\"quote \"\" mark\"", "\"quote \"@0 \" mark\"@1"},
    };
    static const struct {
        const char *in, *why;
    } bad[] = {
        {"", "no words"},
        {"   ", "no words"},
        {"-a", "only excluded"},
        {"\"open", "not closed"},
        {"OR a", "OR needs"},
        {"a OR", "OR needs"},
        {"a OR OR b", "OR needs"},
        {"a -b OR c", "excluded"},
        {"a NOT", "needs a term"},
        {"\"!!\" a", "no letters"},
        {"\u2014 \u3002", "no words"},
        {"\"\u2014\" a", "no letters"},
        {"a -*", "no letters"},
        {"a b c d e f g h i j k l m n o p q r s t u v w x y z A B C "
         "D E F G",
         "more than 32"},
    };
    struct err_info ei = {0};

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        char *s = parsed(good[i].in, &ei);

        ck_assert_msg(s != NULL, "%s: %s", good[i].in, ei.detail);
        ck_assert_str_eq(s, good[i].out);
        free(s);
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err_clear(&ei);
        ck_assert_ptr_null(parsed(bad[i].in, &ei));
        ck_assert_int_eq(ei.code, ERR_INVALID);
        ck_assert_msg(strstr(ei.detail, bad[i].why) != NULL, "%s: %s", bad[i].in,
                      ei.detail);
    }
}
END_TEST

/* The description and the route table name the same paths and methods. */
START_TEST(openapi_matches_routes)
{
    static const struct {
        unsigned bit;
        const char *name;
    } methods[] = {{M_GET, "get"},
                   {M_POST, "post"},
                   {M_PUT, "put"},
                   {M_PATCH, "patch"},
                   {M_DELETE, "delete"}};
    json_error_t jerr;
    json_t *doc = json_loadb(gazette_openapi[0].data, gazette_openapi[0].len, 0, &jerr);
    json_t *paths = json_object_get(doc, "paths"), *item;
    const struct route *r;
    const char *path;
    size_t n;

    ck_assert_msg(doc != NULL, "%s", jerr.text);
    ck_assert_str_eq(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    r = router_routes(&n);
    for (size_t i = 0; i < n; i++)
        for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
            if (r[i].methods & methods[m].bit)
                ck_assert_msg(json_object_get(json_object_get(paths, r[i].pattern),
                                              methods[m].name) != NULL,
                              "%s %s is served but not described", methods[m].name,
                              r[i].pattern);
    json_object_foreach (paths, path, item) {
        const char *method;
        json_t *o;

        json_object_foreach (item, method, o) {
            const struct route *found = NULL;

            for (size_t i = 0; i < n; i++)
                for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++)
                    if (strcmp(r[i].pattern, path) == 0 &&
                        strcmp(methods[m].name, method) == 0 &&
                        (r[i].methods & methods[m].bit))
                        found = &r[i];
            ck_assert_msg(found != NULL, "%s %s is described but not served", method,
                          path);
            /* the key scope a route needs is the one described */
            const char *scope = json_string_value(json_object_get(o, "x-scope"));
            ck_assert_msg((scope == NULL && found->scope == NULL) ||
                              (scope != NULL && found->scope != NULL &&
                               strcmp(scope, found->scope) == 0),
                          "%s %s: scope %s described, %s served", method, path,
                          scope ? scope : "none", found->scope ? found->scope : "none");
        }
    }
    json_decref(doc);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("api");
    TCase *r = tcase_create("router"), *c = tcase_create("cursor");

    tcase_add_test(r, routes_match);
    tcase_add_test(r, routes_refuse);
    tcase_add_test(r, every_route_has_a_handler);
    tcase_add_test(r, openapi_matches_routes);
    tcase_add_test(c, cursor_round_trip);
    tcase_add_test(c, cursor_forgeries);
    tcase_add_test(c, cursor_after_the_longest_title);
    tcase_add_test(c, search_syntax);
    suite_add_tcase(s, r);
    suite_add_tcase(s, c);
    return run_suites(&s, 1);
}
