/* check_corpus.c - the shared corpus imports whole, and the design example
 * comes back intact.  Skips when this checkout has no corpus beside it. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    ck_assert_int_eq(import_files(fx.st, files), 0);
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
    ck_assert_ptr_nonnull(strstr(body,
                                 "according to Zhang Yuxian, director of the Economic "
                                 "Forecast Department of the National Information "
                                 "Center."));
    free(text);
    http_result_release(&r);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("corpus");
    TCase *tc = tcase_create("corpus");

    if (corpus_dir() == NULL) {
        printf("1..0 # SKIP the shared corpus (../shared/corpus) is not beside this "
               "checkout\n");
        return 0;
    }
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, everything_imports);
    tcase_add_test(tc, seed_comes_back_intact);
    suite_add_tcase(s, tc);
    return run_suites(&s, 1);
}
