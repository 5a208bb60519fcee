/* speed.c - measures how fast the extractor runs, on one core.
 *
 * usage: extract-speed [--repeat N] [--themes-only] [--dump] FILE...
 *
 * Each FILE is NDJSON, one article a line with "title" and "body" (such as
 * bench/gen.py writes, or the corpus's articles.ndjson).  All articles are
 * read into memory first; then each is extracted N times (default 1) with
 * the default theme catalog, the one the migrations install, and the
 * extraction alone is timed in CPU time of the process (other work on a
 * shared machine disturbs it less than wall time): articles/s and
 * microseconds per article of the fastest pass, and of the median one.
 * --themes-only times extract_themes() instead.  --dump prints every
 * result as one JSON line (keys sorted) instead of timing, so that two
 * builds can be compared byte for byte.  Built by the tests, not run by
 * them. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gazette/buf.h"
#include "gazette/enrich.h"
#include "gazette/extract.h"
#include "gazette/query.h"
#include "gazette/store.h"

struct text {
    char *title; /* may be NULL */
    char *body;
    size_t len;
};

struct texts {
    struct text *t;
    size_t n, cap;
    size_t bytes;
};

static void
texts_add(struct texts *ts, const json_t *art)
{
    const char *title = json_string_value(json_object_get(art, "title"));
    const json_t *body = json_object_get(art, "body");

    if (!json_is_string(body))
        return;
    if (ts->n == ts->cap) {
        ts->cap = ts->cap ? ts->cap * 2 : 1024;
        ts->t = realloc(ts->t, ts->cap * sizeof(*ts->t));
        if (ts->t == NULL)
            abort();
    }
    ts->t[ts->n].title = title != NULL ? strdup(title) : NULL;
    ts->t[ts->n].len = json_string_length(body);
    ts->t[ts->n].body = malloc(ts->t[ts->n].len + 1);
    if (ts->t[ts->n].body == NULL)
        abort();
    memcpy(ts->t[ts->n].body, json_string_value(body), ts->t[ts->n].len + 1);
    ts->bytes += ts->t[ts->n].len;
    ts->n++;
}

static bool
texts_read(struct texts *ts, const char *path)
{
    FILE *f = fopen(path, "rb");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;

    if (f == NULL) {
        fprintf(stderr, "extract-speed: %s: %s\n", path, strerror(errno));
        return false;
    }
    while ((n = getline(&line, &cap, f)) > 0) {
        json_error_t jerr;
        json_t *art = json_loadb(line, (size_t)n, 0, &jerr);

        if (art == NULL)
            continue;
        texts_add(ts, art);
        json_decref(art);
    }
    free(line);
    fclose(f);
    return true;
}

/* The default catalog: the themes the embedded migrations install. */
static struct extract_catalog *
default_catalog(void)
{
    struct err_info ei = {0};
    struct extract_catalog *cat = enricher_default_catalog(&ei);

    if (cat == NULL)
        fprintf(stderr, "extract-speed: theme catalog: %s\n", ei.detail);
    return cat;
}

static double
cpu_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static void
report(const char *what, const struct texts *ts, double secs)
{
    printf("%-7s %.3f s CPU: %.0f articles/s, %.1f us/article, %.1f MB/s\n", what, secs,
           (double)ts->n / secs, secs * 1e6 / (double)ts->n,
           (double)ts->bytes / 1e6 / secs);
}

static json_t *
extract_one(const struct extract_catalog *cat, const struct text *t, bool themes_only)
{
    struct err_info ei = {0};
    json_t *res = themes_only ? extract_themes(cat, t->title, t->body, t->len, &ei)
                              : extract_article(cat, t->title, t->body, t->len, &ei);

    if (res == NULL)
        fprintf(stderr, "extract-speed: %s\n", ei.detail);
    return res;
}

int
main(int argc, char **argv)
{
    struct texts ts = {0};
    struct extract_catalog *cat;
    bool dump = false, themes_only = false;
    long repeat = 1;
    double *secs;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            repeat = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--dump") == 0)
            dump = true;
        else if (strcmp(argv[i], "--themes-only") == 0)
            themes_only = true;
        else if (!texts_read(&ts, argv[i]))
            return 1;
    }
    if (ts.n == 0 || repeat < 1) {
        fprintf(stderr, "usage: extract-speed [--repeat N] [--themes-only] [--dump] "
                        "FILE...\n");
        return 2;
    }
    if ((cat = default_catalog()) == NULL)
        return 1;
    if (dump) {
        for (size_t i = 0; i < ts.n; i++) {
            json_t *res = extract_one(cat, &ts.t[i], themes_only);

            json_dumpf(res, stdout, JSON_SORT_KEYS | JSON_COMPACT);
            putchar('\n');
            json_decref(res);
        }
    } else {
        secs = calloc((size_t)repeat, sizeof(*secs));
        if (secs == NULL)
            abort();
        for (long r = 0; r < repeat; r++) {
            double t0 = cpu_now();

            for (size_t i = 0; i < ts.n; i++)
                json_decref(extract_one(cat, &ts.t[i], themes_only));
            secs[r] = cpu_now() - t0;
        }
        qsort(secs, (size_t)repeat, sizeof(*secs), cmp_double);
        printf("%s: %zu articles (%.1f MB), %ld passes\n",
               themes_only ? "extract_themes" : "extract_article", ts.n,
               (double)ts.bytes / 1e6, repeat);
        report("fastest", &ts, secs[0]);
        report("median", &ts, secs[repeat / 2]);
        free(secs);
    }
    for (size_t i = 0; i < ts.n; i++) {
        free(ts.t[i].title);
        free(ts.t[i].body);
    }
    free(ts.t);
    extract_catalog_free(cat);
    return 0;
}
