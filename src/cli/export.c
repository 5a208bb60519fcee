/* export.c - gazette export: a whole table as NDJSON, CSV or a JSON
 * array on stdout (or a file), row by row. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../api/common.h"
#include "cli.h"
#include "gazette/render.h"

static const char usage[] =
    "usage: gazette export [--db FILE] [--table TABLE] [--format FORMAT] [--output "
    "FILE]\n"
    "\n"
    "Writes a whole table, row by row, in the shapes of the API.  Exported\n"
    "articles carry their body, themes and quotes, so that `gazette import`\n"
    "takes an NDJSON export back.\n"
    "\n"
    "  --db FILE        database file (GAZETTE_DB, default gazette.db)\n"
    "  --table TABLE    articles (default), themes, officials, organizations or quotes\n"
    "  --format FORMAT  ndjson (default), csv or json\n"
    "  --output FILE    write to FILE instead of stdout\n";

static int
write_rows(struct store *st, const struct list_rules *rules, enum out_format fmt,
           FILE *out)
{
    struct api_query aq = {0};
    struct err_info ei = {0};
    struct exporter *x;
    struct buf b;
    json_t *columns, *row;
    long n = 0;
    int rc = 0;

    aq.pg.include = export_include(rules->res);
    columns = api_csv_columns(rules, &aq);
    x = exporter_new(st, rules->res, aq.pg.include);
    buf_init(&b);
    if (fmt == OUT_CSV)
        render_csv_header(&b, columns);
    else if (fmt == OUT_JSON)
        buf_addc(&b, '[');
    while ((row = exporter_next(x, &ei)) != NULL) {
        if (fmt == OUT_JSON && n > 0)
            buf_adds(&b, ",\n");
        render_row(&b, row, fmt == OUT_JSON ? OUT_NDJSON : fmt, columns);
        if (fmt == OUT_JSON)
            b.len--; /* the NDJSON newline */
        json_decref(row);
        n++;
        if (b.len > 64 * 1024) {
            fwrite(b.data, 1, b.len, out);
            buf_reset(&b);
        }
    }
    if (fmt == OUT_JSON)
        buf_adds(&b, "]\n");
    fwrite(b.data, 1, b.len, out);
    if (ei.code != ERR_OK)
        rc = cli_fail("export failed: %s", ei.detail);
    else if (fflush(out) != 0 || ferror(out))
        rc = cli_fail("writing the export failed: %s", strerror(errno));
    else
        fprintf(stderr, "export: %ld rows\n", n);
    buf_release(&b);
    exporter_free(x);
    json_decref(columns);
    return rc;
}

/* Whether path is the database db or one of its companion files, which
 * opening it for writing would empty. */
static bool
is_database(const char *path, const char *db)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    struct stat out, sb;
    char name[4096];

    if (stat(path, &out) != 0)
        return false;
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(name, sizeof(name), "%s%s", db, suffixes[i]);
        if (stat(name, &sb) == 0 && sb.st_dev == out.st_dev && sb.st_ino == out.st_ino)
            return true;
    }
    return false;
}

int
cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"table", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = cli_env("GAZETTE_DB", "gazette.db"), *table = "articles";
    const char *output = NULL;
    const struct list_rules *rules;
    enum out_format fmt = OUT_NDJSON;
    struct err_info ei = {0};
    struct store *st = NULL;
    FILE *out = stdout;
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 't':
            table = optarg;
            break;
        case 'f':
            if (format_parse(optarg) < 0)
                return cli_fail("--format must be ndjson, csv or json");
            fmt = (enum out_format)format_parse(optarg);
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            return cli_bad_option("export", c, argv, opts);
        }
    }
    if (!cli_env_log_level())
        return 1;
    if (optind < argc)
        return cli_usage_fail("export", "unexpected argument \"%s\"", argv[optind]);
    rules = export_rules(table);
    if (rules == NULL)
        return cli_fail(
            "--table must be articles, themes, officials, organizations or quotes");
    if (cli_db_usable(db, true) != 0)
        return 1;
    if (store_open(db, STORE_READ_ONLY, &st, &ei) != ERR_OK ||
        store_ready(st, &ei) != ERR_OK) {
        store_close(st);
        return cli_fail("%s: %s", db, ei.detail);
    }
    if (output != NULL && is_database(output, db)) {
        store_close(st);
        return cli_fail("--output %s is the database itself; name another file", output);
    }
    if (output != NULL && (out = fopen(output, "w")) == NULL) {
        int e = errno; /* store_close() may set it */

        store_close(st);
        return cli_fail("%s: %s", output, strerror(e));
    }
    rc = write_rows(st, rules, fmt, out);
    if (out != stdout && fclose(out) != 0 && rc == 0)
        rc = cli_fail("%s: %s", output, strerror(errno));
    store_close(st);
    return rc;
}
