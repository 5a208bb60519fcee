/* main.c - the gazette command: picks the subcommand. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "gazette/log.h"
#include "gazette/version.h"

static const char usage[] =
    "gazette " GAZETTE_VERSION " - a small, fast HTTP JSON API for policy documents\n"
    "\n"
    "usage: gazette COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  serve    serve the HTTP API (migrates the database first)\n"
    "  import   import articles from raw text, NDJSON or JSON files, or stdin\n"
    "  extract  print what extraction finds in articles (quotes, themes);"
    " stores nothing\n"
    "  export   write a whole table as NDJSON, CSV or JSON\n"
    "  migrate  apply pending schema migrations, or show them with --status\n"
    "  keys     create, list and revoke API keys for writes\n"
    "\n"
    "Run 'gazette COMMAND --help' for the options of a command.\n"
    "--db has the environment variable GAZETTE_DB in every command, and each\n"
    "option of serve has one (gazette serve --help lists them).\n";

const char *
cli_env(const char *name, const char *dflt)
{
    const char *v = getenv(name);

    return v != NULL && *v != '\0' ? v : dflt;
}

int
cli_fail(const char *fmt, ...)
{
    va_list ap;

    fputs("gazette: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

int
cli_usage_fail(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "gazette %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (gazette %s --help shows the usage)\n", cmd);
    return 2;
}

int
cli_bad_option(const char *cmd, int c, char **argv, const struct option *opts)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "?";

    /* optopt is 0 for a long option getopt does not know, the option's
     * value for a known one given a value it takes none of, and the
     * letter for a short one (whose element optind may not have left) */
    if (c == ':')
        return cli_usage_fail(cmd, "%s needs a value", arg);
    if (optopt == 0)
        return cli_usage_fail(cmd, "unknown or ambiguous option %s", arg);
    if (strncmp(arg, "--", 2) == 0 && strchr(arg, '=') != NULL) {
        size_t len = strcspn(arg + 2, "=");

        for (const struct option *o = opts; o->name != NULL; o++)
            if (o->val == optopt && o->has_arg == no_argument &&
                strncmp(o->name, arg + 2, len) == 0)
                return cli_usage_fail(cmd, "--%s takes no value", o->name);
    }
    return cli_usage_fail(cmd, "unknown option -%c", optopt);
}

bool
cli_log_level(const char *name)
{
    int lvl = log_level_parse(name);

    if (lvl < 0)
        return false;
    log_threshold = (enum log_level)lvl;
    return true;
}

int
cli_db_usable(const char *db, bool must_exist)
{
    struct stat sb;

    /* SQLite would make a temporary database of "", gone at the end */
    if (*db == '\0')
        return cli_fail("--db must name a file (it is empty)");
    /* SQLite's own names (":memory:", "file:" URIs) are its to check */
    if (strcmp(db, ":memory:") == 0 || strncmp(db, "file:", 5) == 0)
        return 0;
    if (stat(db, &sb) != 0) {
        const char *slash = strrchr(db, '/');
        char dir[4096];

        if (errno != ENOENT)
            return cli_fail("%s: %s", db, strerror(errno));
        /* a new file needs its folder */
        snprintf(dir, sizeof(dir), "%.*s", slash != NULL ? (int)(slash - db) + 1 : 1,
                 slash != NULL ? db : ".");
        if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
            return cli_fail("%s: no such file, and no folder %s to make it in", db, dir);
        if (must_exist)
            return cli_fail("%s: no such file (gazette migrate creates it)", db);
        return 0;
    }
    if (S_ISDIR(sb.st_mode))
        return cli_fail("%s: is a folder, not a database file", db);
    if (!S_ISREG(sb.st_mode)) /* a device, a pipe: SQLite's answers mislead */
        return cli_fail("%s: is not a regular file, so not a database file", db);
    return 0;
}

int
cli_open_migrated(const char *db, struct store **out)
{
    struct err_info ei = {0};

    *out = NULL;
    if (cli_db_usable(db, false) != 0)
        return 1;
    if (store_open(db, STORE_READ_WRITE, out, &ei) != ERR_OK ||
        store_migrate(*out, 0, NULL, &ei) != ERR_OK) {
        store_close(*out);
        *out = NULL;
        return cli_fail("%s: %s", db, ei.detail);
    }
    return 0;
}

bool
cli_env_log_level(void)
{
    if (cli_log_level(cli_env("GAZETTE_LOG_LEVEL", "info")))
        return true;
    cli_fail("GAZETTE_LOG_LEVEL must be debug, info, warn, error or off (got \"%.40s\")",
             getenv("GAZETTE_LOG_LEVEL"));
    return false;
}

FILE *
cli_open_input(const char *path, const char **name)
{
    struct stat sb;
    FILE *f;

    if (strcmp(path, "-") == 0) {
        *name = "<stdin>";
        return stdin;
    }
    *name = path;
    f = fopen(path, "r");
    if (f == NULL) {
        cli_fail("%s: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        cli_fail("%s: %s", path, strerror(EISDIR));
        return NULL;
    }
    return f;
}

bool
cli_stdout_ok(void)
{
    if (fflush(stdout) == 0 && !ferror(stdout))
        return true;
    cli_fail("cannot write to standard output: %s",
             errno != 0 ? strerror(errno) : "write error");
    return false;
}

/* Runs the command argv names; returns its exit status. */
static int
run(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } commands[] = {
        {"serve", cmd_serve},   {"import", cmd_import}, {"migrate", cmd_migrate},
        {"export", cmd_export}, {"keys", cmd_keys},     {"extract", cmd_extract},
    };

    /* a bad value is told by the command, once its options are read:
     * --help and --version work whatever the environment says */
    cli_log_level(cli_env("GAZETTE_LOG_LEVEL", "info"));
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
        printf("gazette %s\n", GAZETTE_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "gazette: unknown command \"%s\" (gazette --help lists them)\n",
            argv[1]);
    return 2;
}

int
main(int argc, char **argv)
{
    int rc;

    opterr = 0; /* the commands say what is wrong with an option, in one line */
    rc = run(argc, argv);

    /* what a command printed may still sit in stdio's buffer: a full disk
     * or a closed pipe must not pass for success */
    errno = 0;
    if (rc == 0 && !cli_stdout_ok())
        rc = 1;
    return rc;
}
