/* import.c - gazette import: articles from files or stdin into the
 * database, with a progress bar on a terminal and a summary at the end. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "gazette/enrich.h"
#include "gazette/ingest.h"
#include "gazette/util.h"

/* Articles a transaction.  Every commit writes each index page the chunk
 * changed, and the hash and slug indexes take new keys all over: with
 * fewer, larger commits an import ran 2,517 against 1,744 articles/s at
 * 200,000 than with 500 and 15 % faster at 20,000, for a writer holding
 * the lock about 2 s at a time (other writers wait up to 5 s) and a peak
 * of 115 against 86 MB of memory (docs/performance.md). */
#define DEFAULT_CHUNK 5000

static const char usage[] =
    "usage: gazette import [OPTIONS] FILE... | -\n"
    "\n"
    "Imports articles from raw text files (\" date YYYY-MM-DD Title: ...\"),\n"
    "NDJSON (one article object a line) or JSON arrays; - reads stdin.\n"
    "Re-importing an article changes nothing: articles are matched by url, or\n"
    "by title, date and body.  A malformed record is reported as FILE:LINE and\n"
    "skipped, as is a FILE that cannot be opened; the rest is imported.\n"
    "Exits 1 if any record failed or any FILE could not be read.\n"
    "\n"
    "  --db FILE          database file (GAZETTE_DB, default gazette.db)\n"
    "  --format FORMAT    auto, text, ndjson or json (default auto: from the\n"
    "                     file name, else from the first byte)\n"
    "  --chunk N          articles per transaction (default 5000)\n"
    "  --if-empty         import only into a database without articles\n"
    "  --no-extract       store records as given: find no quotes or themes in the\n"
    "                     text of records that give none\n"
    "  --quiet            no progress, only errors and the summary\n";

struct progress {
    bool tty, quiet;
    const char *name;
    uint64_t size; /* of the current file, 0 if unknown */
    struct importer *im;
    double t0, last;
    long records;
    long failed0; /* failures before the current file */
    struct enricher *enricher;
};

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
draw(struct progress *p, bool final)
{
    const struct import_stats *s = &p->im->stats;
    double t = now_s();

    if (p->quiet || (!final && t - p->last < (p->tty ? 0.1 : 5.0)))
        return;
    p->last = t;
    if (p->tty && p->size == 0) {
        /* a pipe: how much is left is not known, so no bar */
        fprintf(stderr, "\r\033[K%s: %ld records, %ld failed", p->name, p->records,
                s->failed - p->failed0);
        if (final)
            fputc('\n', stderr);
    } else if (p->tty) {
        char bar[31];
        double frac = p->size > 0 ? (double)p->im->offset / (double)p->size : 0;
        int fill = (int)(frac * 30);

        if (frac > 1)
            frac = 1, fill = 30;
        memset(bar, '#', (size_t)fill);
        memset(bar + fill, '.', (size_t)(30 - fill));
        bar[30] = '\0';
        fprintf(stderr, "\r\033[K%s [%s] %3.0f%% %ld records, %ld failed", p->name, bar,
                frac * 100, p->records, s->failed - p->failed0);
        if (final)
            fputc('\n', stderr);
    } else {
        fprintf(stderr, "import: %s: %ld records read, %ld failed%s\n", p->name,
                p->records, s->failed - p->failed0, final ? " (done)" : "");
    }
    fflush(stderr);
}

static void
report(void *ctx, const char *name, long line, const struct err_info *ei,
       enum put_outcome outcome, int64_t id)
{
    struct progress *p = ctx;

    (void)outcome;
    (void)id;
    p->records++;
    if (ei->code != ERR_OK) {
        if (p->tty && !p->quiet)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "%s:%ld: %s\n", name, line, ei->detail);
        for (size_t i = 1; i < ei->nfields; i++)
            fprintf(stderr, "%s:%ld: %s\n", name, line, ei->fields[i].message);
    }
    draw(p, false);
}

static enum err
enrich(void *ctx, json_t *article, struct err_info *ei)
{
    struct progress *p = ctx;

    return enricher_apply(p->enricher, article, ei);
}

/* Imports the articles of path ("-": stdin); 1 when the import must stop
 * (said), -1 when the file could not be opened (said; the next ones may
 * be), 0 otherwise. */
static int
import_one(struct progress *p, const char *path, enum ingest_format fmt)
{
    struct err_info ei = {0};
    struct ingest_reader *r;
    struct stat sb;
    FILE *f;
    int rc = 0;

    f = cli_open_input(path, &p->name);
    if (f == NULL)
        return -1;
    p->size =
        fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
    p->records = 0;
    p->failed0 = p->im->stats.failed;
    r = ingest_reader_new(f, p->name, fmt);
    p->im->offset = 0;
    if (import_reader(p->im, r, p->name, &ei) != ERR_OK)
        rc = cli_fail("%s: %s", p->name, ei.detail);
    draw(p, true);
    ingest_reader_free(r);
    if (f != stdin)
        fclose(f);
    return rc;
}

int
cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},    {"format", required_argument, NULL, 'f'},
        {"chunk", required_argument, NULL, 'c'}, {"if-empty", no_argument, NULL, 'e'},
        {"quiet", no_argument, NULL, 'q'},       {"no-extract", no_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const char *db = cli_env("GAZETTE_DB", "gazette.db");
    enum ingest_format fmt = FMT_AUTO;
    struct progress p = {0};
    struct importer im = {0};
    struct err_info ei = {0};
    struct store *st = NULL;
    struct enricher *en = NULL;
    bool if_empty = false, extract = true;
    int64_t chunk = DEFAULT_CHUNK;
    long lost = 0;
    int c, rc = 1, unread = 0;

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
        case 'c':
            if (!parse_int64(optarg, &chunk) || chunk < 1 || chunk > 100000)
                return cli_fail("--chunk must be a number from 1 to 100000");
            break;
        case 'e':
            if_empty = true;
            break;
        case 'q':
            p.quiet = true;
            break;
        case 'x':
            extract = false;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            return cli_bad_option("import", c, argv, opts);
        }
    }
    if (!cli_env_log_level())
        return 1;
    if (optind >= argc)
        return cli_usage_fail("import", "no FILE given (- reads stdin)");
    if (cli_open_migrated(db, &st) != 0)
        return 1;
    if (if_empty) {
        int64_t n;

        if (store_article_count(st, &n, &ei) != ERR_OK) {
            rc = cli_fail("%s: %s", db, ei.detail);
            goto out;
        }
        if (n > 0) {
            fprintf(stderr, "import: %s already has %lld articles; nothing imported\n",
                    db, (long long)n);
            rc = 0;
            goto out;
        }
    }
    if (extract && (en = enricher_new(st, &ei)) == NULL) {
        rc = cli_fail("%s: %s", db, ei.detail);
        goto out;
    }
    if (store_batch_begin(st, (int)chunk, &im.batch, &ei) != ERR_OK) {
        rc = cli_fail("%s: %s", db, ei.detail);
        goto out;
    }
    im.report = report;
    im.enrich = en != NULL ? enrich : NULL;
    im.pipeline = true;
    im.ctx = &p;
    p.enricher = en;
    p.im = &im;
    p.tty = isatty(STDERR_FILENO);
    p.t0 = now_s();
    p.last = p.t0;
    rc = 0;
    /* a file that cannot be opened is skipped, as a bad record is: the
     * other files are imported all the same */
    for (int i = optind; i < argc && rc <= 0; i++) {
        int one = import_one(&p, argv[i], fmt);

        if (one < 0)
            unread++;
        else
            rc = one;
    }
    long uncommitted = store_batch_uncommitted(im.batch);
    if (store_batch_end(im.batch, &ei) != ERR_OK) {
        rc = cli_fail("%s: %s", db, ei.detail);
        lost = uncommitted;
    }
    double secs = now_s() - p.t0;
    long total =
        im.stats.inserted + im.stats.updated + im.stats.unchanged + im.stats.failed;
    fprintf(stderr,
            "import: %ld inserted, %ld updated, %ld unchanged, %ld failed"
            " (%ld records in %.2f s, %.0f/s)",
            im.stats.inserted, im.stats.updated, im.stats.unchanged, im.stats.failed,
            total, secs, secs > 0 ? (double)total / secs : 0.0);
    if (unread > 0)
        fprintf(stderr, "; %d file%s not read", unread, unread > 1 ? "s" : "");
    fputc('\n', stderr);
    if (lost > 0)
        fprintf(stderr,
                "import: the last %ld articles stored were taken back when the import"
                " stopped; importing again finishes the job\n",
                lost);
    if (rc == 0 && (im.stats.failed > 0 || unread > 0))
        rc = 1;
out:
    enricher_free(en);
    store_close(st);
    return rc;
}
