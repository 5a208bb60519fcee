/* serve.c - gazette serve: the HTTP API until SIGINT or SIGTERM. */
#include <getopt.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "gazette/http.h"
#include "gazette/log.h"
#include "gazette/util.h"
#include "gazette/xalloc.h"

#define MAX_CORS 32

static const char usage[] =
    "usage: gazette serve [OPTIONS]\n"
    "\n"
    "Serves the HTTP API.  Applies pending migrations first.  Stops on SIGINT or\n"
    "SIGTERM after requests in flight have finished.\n"
    "\n"
    "  --db FILE                 database file (GAZETTE_DB, default gazette.db)\n"
    "  --listen HOST:PORT        address to listen on (GAZETTE_LISTEN,\n"
    "                            default 127.0.0.1:8080; port 0 picks a free one)\n"
    "  --threads N               worker threads (GAZETTE_THREADS, default: CPUs)\n"
    "  --cors-origin ORIGIN      allow browser pages from ORIGIN, e.g.\n"
    "                            https://example.org; repeatable; * allows any\n"
    "                            (GAZETTE_CORS_ORIGIN, comma-separated; default none)\n"
    "  --max-body BYTES          largest request body (GAZETTE_MAX_BODY, 1048576)\n"
    "  --max-import BYTES        largest body streamed to POST /v1/import\n"
    "                            (GAZETTE_MAX_IMPORT, default 268435456)\n"
    "  --cache-size BYTES        memory for answers to GET kept until the data\n"
    "                            changes (a search's from its second request);\n"
    "                            0 keeps none (GAZETTE_CACHE_SIZE, default\n"
    "                            25165824)\n"
    "  --timeout SECONDS         close idle or slow connections after this long\n"
    "                            (GAZETTE_TIMEOUT, default 30)\n"
    "  --max-connections N       connections at once (GAZETTE_MAX_CONNECTIONS, 1000)\n"
    "  --max-connections-per-ip N  from one address (GAZETTE_MAX_CONNECTIONS_PER_IP,\n"
    "                            default 500)\n"
    "  --no-access-log           no JSON line per request on stderr\n"
    "                            (GAZETTE_ACCESS_LOG=0 or false)\n"
    "  --log-level LEVEL         debug, info, warn, error or off\n"
    "                            (GAZETTE_LOG_LEVEL, default info)\n";

/* glibc gives the top of a worker thread's heap back to the system as soon
 * as more than 128 KiB of it is free, with madvise(), whose TLB flush stops
 * every other thread too; a search frees that much and asks for it again
 * at once.  Keeping up to 4 MiB a heap (there is one per worker thread)
 * made searches a quarter faster (docs/performance.md). */
static void
keep_freed_memory(void)
{
#ifdef __GLIBC__
    mallopt(M_TRIM_THRESHOLD, 4 << 20);
    mallopt(M_TOP_PAD, 1 << 20);
#endif
}

/* The numeric settings, each given by a flag or its environment variable
 * (the flag wins) and held to the same range either way. */
static const struct number_opt {
    int flag;
    const char *name, *env;
    unsigned long min, max;
    const char *range;
} numbers[] = {
    {'t', "--threads", "GAZETTE_THREADS", 1, 256, "a number from 1 to 256"},
    {'b', "--max-body", "GAZETTE_MAX_BODY", 1, 1ul << 30,
     "a number of bytes up to 1 GiB"},
    {'I', "--max-import", "GAZETTE_MAX_IMPORT", 1, 1ul << 40,
     "a number of bytes up to 1 TiB"},
    {'C', "--cache-size", "GAZETTE_CACHE_SIZE", 0, 1ul << 40,
     "a number of bytes up to 1 TiB"},
    {'T', "--timeout", "GAZETTE_TIMEOUT", 1, 3600, "1 to 3600 seconds"},
    {'m', "--max-connections", "GAZETTE_MAX_CONNECTIONS", 1, 100000, "1 to 100000"},
    {'i', "--max-connections-per-ip", "GAZETTE_MAX_CONNECTIONS_PER_IP", 0, 100000,
     "0 (no limit) to 100000"},
};

/* Sets the setting of o from text, given as name; false (said) if text
 * is not a number in its range. */
static bool
set_number(struct server_config *cfg, const struct number_opt *o, const char *name,
           const char *text)
{
    int64_t v;

    if (!parse_int64(text, &v) || v < (int64_t)o->min || (uint64_t)v > o->max) {
        cli_fail("%s must be %s (got \"%.40s\")", name, o->range, text);
        return false;
    }
    switch (o->flag) {
    case 't':
        cfg->threads = (unsigned)v;
        break;
    case 'b':
        cfg->max_body = (size_t)v;
        break;
    case 'I':
        cfg->max_import = (size_t)v;
        break;
    case 'C':
        cfg->cache_bytes = (size_t)v;
        break;
    case 'T':
        cfg->timeout = (unsigned)v;
        break;
    case 'm':
        cfg->max_conns = (unsigned)v;
        break;
    default:
        cfg->max_conns_ip = (unsigned)v;
        break;
    }
    return true;
}

/* Sets *on from the environment variable name when it is set: 1, true, yes
 * or on, or 0, false, no or off; false (said) for anything else. */
static bool
env_switch(const char *name, bool *on)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    const char *v = cli_env(name, NULL);

    if (v == NULL)
        return true;
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *on = true;
            return true;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *on = false;
            return true;
        }
    }
    cli_fail("%s must be 1 or 0 (or true or false) (got \"%.40s\")", name, v);
    return false;
}

static const struct number_opt *
number_of(int flag)
{
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
        if (numbers[i].flag == flag)
            return &numbers[i];
    return NULL;
}

/* Adds the comma-separated origins of list to origins. */
static bool
add_origins(const char *list, const char **origins, size_t *n, char **owned)
{
    char *copy = xstrdup(list), *tok, *save = NULL;

    *owned = copy;
    for (tok = strtok_r(copy, ",", &save); tok != NULL;
         tok = strtok_r(NULL, ",", &save)) {
        while (*tok == ' ')
            tok++;
        if (*tok == '\0')
            continue;
        if (*n == MAX_CORS)
            return false;
        origins[(*n)++] = tok;
    }
    return true;
}

int
cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"cors-origin", required_argument, NULL, 'c'},
        {"max-body", required_argument, NULL, 'b'},
        {"max-import", required_argument, NULL, 'I'},
        {"cache-size", required_argument, NULL, 'C'},
        {"timeout", required_argument, NULL, 'T'},
        {"max-connections", required_argument, NULL, 'm'},
        {"max-connections-per-ip", required_argument, NULL, 'i'},
        {"no-access-log", no_argument, NULL, 'n'},
        {"log-level", required_argument, NULL, 'L'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = cli_env("GAZETTE_DB", "gazette.db");
    const char *listen = NULL, *listen_name = "--listen";
    const char *env_cors = cli_env("GAZETTE_CORS_ORIGIN", NULL);
    const char *origins[MAX_CORS];
    char *owned[MAX_CORS + 1];
    size_t norigins = 0, nowned = 0;
    struct server_config cfg;
    struct err_info ei = {0};
    char host[256];
    struct server *srv = NULL;
    struct store *st = NULL;
    const struct number_opt *opt;
    unsigned given = 0; /* the numbers set by a flag, a bit each */
    bool log_level_given = false;
    sigset_t sigs;
    int c, sig, rc = 1;

    server_config_init(&cfg);
    /* flags first: a flag wins over its variable, which is then not
     * looked at (a bad value in the environment is overridden, not fatal) */
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            db = optarg;
            break;
        case 'l':
            listen = optarg;
            break;
        case 't':
        case 'b':
        case 'I':
        case 'C':
        case 'T':
        case 'm':
        case 'i':
            opt = number_of(c);
            if (!set_number(&cfg, opt, opt->name, optarg))
                goto out;
            given |= 1u << (opt - numbers);
            break;
        case 'c':
            if (nowned == MAX_CORS ||
                !add_origins(optarg, origins, &norigins, &owned[nowned++]))
                goto toomany;
            break;
        case 'n':
            cfg.access_log = false;
            break;
        case 'L':
            if (!cli_log_level(optarg)) {
                cli_fail("--log-level must be debug, info, warn, error or off");
                goto out;
            }
            log_level_given = true;
            break;
        case 'h':
            fputs(usage, stdout);
            rc = 0;
            goto out;
        default:
            rc = cli_bad_option("serve", c, argv, opts);
            goto out;
        }
    }
    if (optind < argc) {
        rc = cli_usage_fail("serve", "unexpected argument \"%s\"", argv[optind]);
        goto out;
    }
    for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
        const char *text = cli_env(numbers[i].env, NULL);

        if ((given & (1u << i)) == 0 && text != NULL &&
            !set_number(&cfg, &numbers[i], numbers[i].env, text))
            goto out;
    }
    if (!log_level_given && !cli_env_log_level())
        goto out;
    if (cfg.access_log && !env_switch("GAZETTE_ACCESS_LOG", &cfg.access_log))
        goto out;
    if (norigins == 0 && nowned == 0 && env_cors != NULL &&
        !add_origins(env_cors, origins, &norigins, &owned[nowned++]))
        goto toomany;
    if (listen == NULL) {
        listen = cli_env("GAZETTE_LISTEN", "127.0.0.1:8080");
        if (getenv("GAZETTE_LISTEN") != NULL && *getenv("GAZETTE_LISTEN") != '\0')
            listen_name = "GAZETTE_LISTEN";
    }
    if (!server_parse_listen(&cfg, listen, host, sizeof(host))) {
        cli_fail("%s must be HOST:PORT, such as 127.0.0.1:8080 (got \"%s\")", listen_name,
                 listen);
        goto out;
    }
    cfg.cors_origins = origins;
    cfg.ncors = norigins;

    /* Signals are taken by sigwait() below; the server's threads inherit
     * the blocked mask and never see them. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    keep_freed_memory();
    if (cli_open_migrated(db, &st) != 0)
        goto out;
    if (server_start(&cfg, st, &srv, &ei) != ERR_OK) {
        cli_fail("%s", ei.detail);
        goto out;
    }
    log_at(LL_INFO, "msg=\"listening\" url=http://%s%s%s:%u/ db=\"%s\" threads=%u",
           strchr(cfg.host, ':') ? "[" : "", cfg.host, strchr(cfg.host, ':') ? "]" : "",
           server_port(srv), db, cfg.threads);
    sigwait(&sigs, &sig);
    log_at(LL_INFO, "msg=\"stopping\" signal=%s", sig == SIGINT ? "SIGINT" : "SIGTERM");
    server_stop(srv, 10000);
    log_at(LL_INFO, "msg=\"stopped\"");
    rc = 0;
out:
    store_close(st);
    for (size_t i = 0; i < nowned; i++)
        free(owned[i]);
    return rc;
toomany:
    for (size_t i = 0; i < nowned; i++)
        free(owned[i]);
    return cli_fail("at most %d CORS origins", MAX_CORS);
}
