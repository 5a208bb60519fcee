/* extract.c - gazette extract: what extraction finds in articles, printed
 * as NDJSON; nothing is stored. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gazette/enrich.h"
#include "gazette/extract.h"
#include "gazette/ingest.h"
#include "gazette/log.h"

static const char usage[] =
    "usage: gazette extract [--db FILE] [--format FORMAT] FILE... | -\n"
    "\n"
    "Prints what extraction finds in each article of the files (raw text,\n"
    "NDJSON or JSON; - reads stdin), one JSON object a line: the quotes with\n"
    "their speakers, titles and organizations, the organizations named, and\n"
    "the themes with the phrases that matched.  Stores nothing.\n"
    "\n"
    "  --db FILE        take the theme catalog from this database (GAZETTE_DB;\n"
    "                   default: the catalog gazette ships)\n"
    "  --format FORMAT  auto, text, ndjson or json (as for import)\n";

/* The catalog of db, or the default one from a database made in memory. */
static struct enricher *
catalog(const char *db, struct err_info *ei)
{
    struct store *st = NULL;
    struct enricher *e = NULL;
    enum log_level saved = log_threshold;

    log_threshold = LL_WARN; /* the database made in memory is not news */
    /* a database named must be a gazette one, at this gazette's schema */
    if (store_open(db != NULL ? db : ":memory:",
                   db != NULL ? STORE_READ_ONLY : STORE_READ_WRITE, &st, ei) == ERR_OK &&
        (db != NULL ? store_ready(st, ei) : store_migrate(st, 0, NULL, ei)) == ERR_OK)
        e = enricher_new(st, ei);
    store_close(st);
    log_threshold = saved;
    return e;
}

static json_t *
result(const json_t *in, const json_t *article, json_t *found)
{
    json_t *out = json_object();
    const json_t *id = json_object_get(in, "id");

    if (id != NULL)
        json_object_set(out, "id", (json_t *)id);
    json_object_set(out, "title", json_object_get(article, "title"));
    json_object_set(out, "published", json_object_get(article, "published"));
    json_object_update(out, found);
    return out;
}

static long
extract_file(const struct enricher *e, const char *path, enum ingest_format fmt)
{
    const char *name;
    FILE *f = cli_open_input(path, &name);
    struct ingest_reader *r;
    long failed = 0;

    if (f == NULL)
        return 1;
    r = ingest_reader_new(f, name, fmt);
    for (;;) {
        struct err_info ei = {0};
        json_t *in = NULL, *article = NULL, *found = NULL;
        long line;
        enum err rc = ingest_next(r, &in, &line, &ei);

        if (rc == ERR_IO) {
            cli_fail("%s", ei.detail);
            failed++;
            break;
        }
        if (rc == ERR_OK && in == NULL)
            break;
        if (rc == ERR_OK && (article = article_normalize(in, &ei)) != NULL) {
            const json_t *body = json_object_get(article, "body");

            found = extract_article(
                enricher_catalog(e), json_string_value(json_object_get(article, "title")),
                json_string_value(body), json_string_length(body), &ei);
        }
        if (found != NULL) {
            json_t *out = result(in, article, found);
            char *text = json_dumps(out, JSON_COMPACT);

            puts(text);
            free(text);
            json_decref(out);
        } else {
            fprintf(stderr, "%s:%ld: %s\n", name, line, ei.detail);
            failed++;
        }
        json_decref(found);
        json_decref(article);
        json_decref(in);
    }
    ingest_reader_free(r);
    if (f != stdin)
        fclose(f);
    return failed;
}

int
cmd_extract(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    enum ingest_format fmt = FMT_AUTO;
    struct err_info ei = {0};
    struct enricher *e;
    const char *db = cli_env("GAZETTE_DB", NULL);
    long failed = 0;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'f':
            if (ingest_format_parse(optarg) < 0)
                return cli_fail("--format must be auto, text, ndjson or json");
            fmt = (enum ingest_format)ingest_format_parse(optarg);
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            return cli_bad_option("extract", c, argv, opts);
        }
    }
    if (!cli_env_log_level())
        return 1;
    if (optind >= argc)
        return cli_usage_fail("extract", "no FILE given (- reads stdin)");
    if (db != NULL && cli_db_usable(db, true) != 0)
        return 1;
    e = catalog(db, &ei);
    if (e == NULL)
        return cli_fail("%s: %s", db != NULL ? db : "catalog", ei.detail);
    for (int i = optind; i < argc; i++)
        failed += extract_file(e, argv[i], fmt);
    enricher_free(e);
    fflush(stdout);
    return failed > 0 ? 1 : 0;
}
