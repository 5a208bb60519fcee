/* check_corpus.c - the shared corpus imports whole, and the design example
 * comes back intact.  Skips when this checkout has no corpus beside it. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/util.h"
#include "helpers.h"

static struct fixture fx;

static void
setup(void)
{
    const char *dir = corpus_dir();
    char nd[4096], raw[4096];
    const char *files[64];
    static char paths[40][4400];
    size_t n = 0;
    DIR *d;
    struct dirent *e;

    fixture_start(&fx, false);
    snprintf(nd, sizeof(nd), "%s/articles.ndjson", dir);
    files[n++] = nd;
    snprintf(raw, sizeof(raw), "%s/raw", dir);
    d = opendir(raw);
    ck_assert_ptr_nonnull(d);
    while ((e = readdir(d)) != NULL && n < 41) {
        if (strstr(e->d_name, ".txt") == NULL)
            continue;
        snprintf(paths[n - 1], sizeof(paths[0]), "%s/%s", raw, e->d_name);
        files[n] = paths[n - 1];
        n++;
    }
    closedir(d);
    files[n] = NULL;
    ck_assert_uint_ge(n, 21);
    ck_assert_int_eq(import_files(fx.st, files, true), 0);
}

static void
teardown(void)
{
    fixture_stop(&fx);
}

START_TEST(everything_imports)
{
    struct http_result r;

    http_get(fx.port, "/v1/articles?count=true&limit=1", &r);
    ck_assert_int_eq(r.status, 200);
    /* 293 articles and the seed; the raw copies of corpus articles are the
     * same articles */
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), 294);
    http_result_release(&r);
}
END_TEST

START_TEST(seed_comes_back_intact)
{
    struct http_result list, r;
    char target[256], path[4096];
    const char *body;
    FILE *f;
    char *text;
    long size;

    http_get(fx.port, "/v1/articles?from=2023-12-21&to=2023-12-21", &list);
    ck_assert_int_eq(list.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(list.json, "data")), 1);
    snprintf(target, sizeof(target), "/v1/articles/%lld",
             (long long)json_integer_value(json_object_get(
                 json_array_get(json_object_get(list.json, "data"), 0), "id")));
    http_result_release(&list);
    http_get(fx.port, target, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "published")),
                     "2023-12-21");
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "title")),
                     "China Focuses on Implementing High-Quality Development and Modern "
                     "Industrial System");
    body = json_string_value(json_object_get(r.json, "body"));
    ck_assert_ptr_null(strstr(body, "Share this"));
    ck_assert(body[strlen(body) - 1] != 'X');
    /* every paragraph of the file is in the body, in order and intact */
    snprintf(path, sizeof(path), "%s/raw/000_seed.txt", corpus_dir());
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    text = calloc(1, (size_t)size + 1);
    ck_assert_int_eq(fread(text, 1, (size_t)size, f), size);
    fclose(f);
    const char *at = body;
    int paras = 0;
    for (char *line = strtok(strchr(text, '\n'), "\n"); line != NULL;
         line = strtok(NULL, "\n")) {
        if (strncmp(line, "Share this", 10) == 0)
            break;
        at = strstr(at, line);
        ck_assert_msg(at != NULL, "paragraph missing: %.60s", line);
        paras++;
    }
    ck_assert_int_eq(paras, 7);
    free(text);
    /* what extraction found in it: the quoted official, the title and the
     * organizations as the text gives them, the statement, the themes */
    json_t *q = json_array_get(json_object_get(r.json, "quotes"), 0);
    ck_assert_ptr_nonnull(q);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(q, "official"), "name")),
        "Zhang Yuxian");
    ck_assert_str_eq(json_string_value(json_object_get(q, "title")), "director");
    ck_assert_str_eq(json_string_value(json_object_get(q, "kind")), "indirect");
    json_t *org = json_object_get(q, "organization");
    ck_assert_str_eq(json_string_value(json_object_get(org, "name")),
                     "Economic Forecast Department");
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(org, "parent"), "name")),
        "National Information Center");
    /* the statement is the body's text at its offsets, and it is the one
     * about the integration with the economy having deepened */
    const char *said = json_string_value(json_object_get(q, "text"));
    json_int_t start = json_integer_value(json_object_get(q, "start"));
    json_int_t end = json_integer_value(json_object_get(q, "end"));
    const char *quoted = body;
    for (json_int_t i = 0; i < start; i++)
        utf8_next(&quoted);
    ck_assert_int_eq(strncmp(quoted, said, strlen(said)), 0);
    ck_assert_int_eq(end - start, (json_int_t)utf8_count(said, strlen(said)));
    ck_assert_ptr_nonnull(strstr(said, "integration"));
    ck_assert_ptr_nonnull(strstr(said, "artificial intelligence"));
    ck_assert_ptr_nonnull(strstr(said, "deepened"));
    static const char *const themes[] = {"digital-economy", "artificial-intelligence",
                                         "new-industrialization",
                                         "technological-innovation"};
    for (size_t i = 0; i < sizeof(themes) / sizeof(themes[0]); i++) {
        bool found = false;
        size_t k;
        json_t *t;

        json_array_foreach (json_object_get(r.json, "themes"), k, t) {
            found = found ||
                    strcmp(json_string_value(json_object_get(t, "slug")), themes[i]) == 0;
        }
        ck_assert_msg(found, "the seed is not tagged %s", themes[i]);
    }
    http_result_release(&r);
    /* one official, with the title the article gives */
    http_get(fx.port, "/v1/officials/zhang-yuxian", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_str_eq(json_string_value(json_object_get(r.json, "title")), "director");
    http_result_release(&r);
}
END_TEST

int
main(void)
{
    Suite *s;
    TCase *tc;

    if (corpus_dir() == NULL) {
        printf("1..0 # SKIP the shared corpus (../shared/corpus) is not beside this "
               "checkout\n");
        return 0;
    }
    s = suite_create("corpus");
    tc = tcase_create("corpus");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, everything_imports);
    tcase_add_test(tc, seed_comes_back_intact);
    suite_add_tcase(s, tc);
    return run_suites(&s, 1);
}
