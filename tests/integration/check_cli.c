/* check_cli.c - the gazette program itself: migrate, import, help. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pty.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gazette/embedded.h"
#include "helpers.h"

static char *db;

static void
setup(void)
{
    db = db_temp();
    unlink(db); /* let gazette create it */
}

static void
teardown(void)
{
    db_remove(db);
    free(db);
}

#define RUN(res, stdin_text, ...)                                                        \
    run_gazette((const char *const[]){__VA_ARGS__, NULL}, stdin_text, res)

static void
assert_has(const struct buf *b, const char *part)
{
    ck_assert_msg(strstr(b->data, part) != NULL, "\"%s\" not in:\n%s", part, b->data);
}

START_TEST(help_and_version)
{
    struct run_result r;

    RUN(&r, NULL, "--version");
    ck_assert_int_eq(r.code, 0);
    assert_has(&r.out, "gazette ");
    run_result_release(&r);
    RUN(&r, NULL, "--help");
    ck_assert_int_eq(r.code, 0);
    assert_has(&r.out, "serve");
    assert_has(&r.out, "import");
    run_result_release(&r);
    RUN(&r, NULL, "serve", "--help");
    ck_assert_int_eq(r.code, 0);
    static const char *const flags[] = {"--db",          "--listen",   "--threads",
                                        "--cors-origin", "GAZETTE_DB", "GAZETTE_LISTEN"};
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
        assert_has(&r.out, flags[i]);
    run_result_release(&r);
    RUN(&r, NULL, "frobnicate");
    ck_assert_int_eq(r.code, 2);
    assert_has(&r.err, "unknown command");
    run_result_release(&r);
    RUN(&r, NULL, "serve", "--listen", "nonsense", "--db", db);
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "HOST:PORT");
    run_result_release(&r);
}
END_TEST

/* A number out of range stops serve, from a flag or from its variable. */
START_TEST(serve_checks_numbers)
{
    static const struct {
        const char *env, *value, *said;
    } cases[] = {
        {"GAZETTE_THREADS", "abc", "GAZETTE_THREADS must be a number from 1 to 256"},
        {"GAZETTE_THREADS", "0", "GAZETTE_THREADS must be a number from 1 to 256"},
        {"GAZETTE_CACHE_SIZE", "-5", "GAZETTE_CACHE_SIZE must be a number of bytes"},
        {"GAZETTE_TIMEOUT", "9999", "GAZETTE_TIMEOUT must be 1 to 3600 seconds"},
        {"GAZETTE_MAX_BODY", "0", "GAZETTE_MAX_BODY must be a number of bytes"},
    };
    struct run_result r;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        setenv(cases[i].env, cases[i].value, 1);
        RUN(&r, NULL, "serve", "--db", db, "--listen", "127.0.0.1:0");
        unsetenv(cases[i].env);
        ck_assert_int_eq(r.code, 1);
        assert_has(&r.err, cases[i].said);
        run_result_release(&r);
    }
    RUN(&r, NULL, "serve", "--db", db, "--threads", "0");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "--threads must be a number from 1 to 256 (got \"0\")");
    run_result_release(&r);
    RUN(&r, NULL, "serve", "--db", db, "--max-connections-per-ip", "x");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "--max-connections-per-ip must be 0 (no limit) to 100000");
    run_result_release(&r);
}
END_TEST

START_TEST(migrate_and_status)
{
    struct run_result r;
    char line[64];

    /* no database yet: said so, and nothing is created */
    RUN(&r, NULL, "migrate", "--status", "--db", db);
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "no such file");
    ck_assert_int_ne(access(db, F_OK), 0);
    run_result_release(&r);
    RUN(&r, NULL, "migrate", "--db", db);
    ck_assert_int_eq(r.code, 0);
    assert_has(&r.out, "applied");
    run_result_release(&r);
    RUN(&r, NULL, "migrate", "--db", db);
    ck_assert_int_eq(r.code, 0);
    assert_has(&r.out, "nothing to do");
    run_result_release(&r);
    RUN(&r, NULL, "migrate", "--status", "--db", db);
    ck_assert_int_eq(r.code, 0);
    snprintf(line, sizeof(line),
             "schema version: %zu; this gazette knows up to %zu (current)",
             gazette_migrations_count, gazette_migrations_count);
    assert_has(&r.out, line);
    assert_has(&r.out, "applied  0001 0001_init.sql");
    run_result_release(&r);
}
END_TEST

START_TEST(newer_database)
{
    struct run_result r;
    sqlite3 *h;

    RUN(&r, NULL, "migrate", "--db", db);
    run_result_release(&r);
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_int_eq(
        sqlite3_exec(h,
                     "INSERT INTO schema_version VALUES (999, '0999_future.sql',"
                     " '2030-01-01T00:00:00Z')",
                     NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
    RUN(&r, NULL, "migrate", "--db", db);
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "newer than this gazette");
    run_result_release(&r);
    RUN(&r, NULL, "import", "--db", db, fixture("articles.ndjson"));
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "newer than this gazette");
    run_result_release(&r);
    RUN(&r, NULL, "migrate", "--status", "--db", db);
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.out, "newer");
    run_result_release(&r);
}
END_TEST

START_TEST(import_reports_bad_records)
{
    struct run_result r;

    RUN(&r, NULL, "import", "--db", db, fixture("bad.ndjson"));
    ck_assert_int_eq(r.code, 1); /* some records failed */
    assert_has(&r.err, "bad.ndjson:3: published must be a date");
    assert_has(&r.err, "bad.ndjson:4: invalid JSON");
    assert_has(&r.err, "bad.ndjson:5: body is required");
    assert_has(&r.err, "bad.ndjson:6: unknown field \"colour\"");
    assert_has(&r.err, "bad.ndjson:7: a record must be a JSON object");
    assert_has(&r.err, "2 inserted, 0 updated, 0 unchanged, 5 failed");
    run_result_release(&r);
    /* the good ones landed, once */
    RUN(&r, NULL, "import", "--db", db, fixture("bad.ndjson"));
    assert_has(&r.err, "0 inserted, 0 updated, 2 unchanged, 5 failed");
    run_result_release(&r);
    /* a folder is not a file of articles, and says so */
    RUN(&r, NULL, "import", "--db", db, fixture("raw"));
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "raw: Is a directory");
    run_result_release(&r);
}
END_TEST

START_TEST(import_is_idempotent)
{
    struct run_result r;
    char a[4096], b[4096], c[4096];

    snprintf(a, sizeof(a), "%s", fixture("articles.ndjson"));
    snprintf(b, sizeof(b), "%s", fixture("raw/two.txt"));
    snprintf(c, sizeof(c), "%s", fixture("array.json"));
    RUN(&r, NULL, "import", "--db", db, a, b, c);
    ck_assert_msg(r.code == 0, "%s", r.err.data);
    assert_has(&r.err, "9 inserted, 0 updated, 0 unchanged, 0 failed");
    run_result_release(&r);
    RUN(&r, NULL, "import", "--db", db, c, b, a);
    ck_assert_int_eq(r.code, 0);
    assert_has(&r.err, "0 inserted, 0 updated, 9 unchanged, 0 failed");
    run_result_release(&r);
    RUN(&r, NULL, "import", "--if-empty", "--db", db, a);
    ck_assert_int_eq(r.code, 0);
    assert_has(&r.err, "already has 9 articles");
    run_result_release(&r);
}
END_TEST

START_TEST(import_from_stdin)
{
    struct run_result r;

    RUN(&r,
        " date 2024-04-01 Title: From a pipe\n\nPiped text.\n\nShare this: Facebook\n"
        " date 2024-04-02 Title: Second from a pipe\n\nMore piped text.\n",
        "import", "--db", db, "-");
    ck_assert_msg(r.code == 0, "%s", r.err.data);
    assert_has(&r.err, "2 inserted");
    run_result_release(&r);
    RUN(&r, "{\"title\": \"J\", \"published\": \"2024-04-03\", \"body\": \"j\"}\n",
        "import", "--db", db, "--format", "ndjson", "-");
    assert_has(&r.err, "1 inserted");
    run_result_release(&r);
    RUN(&r, "[]", "import", "--db", db, "--format", "xml", "-");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "--format must be");
    run_result_release(&r);
    RUN(&r, NULL, "import", "--db", db, "/no/such/file.ndjson");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "No such file");
    run_result_release(&r);
}
END_TEST

/* Starts `gazette serve` on a free port with threads worker threads and
 * the flags of extra (NULL-terminated; may be NULL); returns its pid and
 * port. */
static pid_t
start_server_with(const char *dbpath, const char *threads, const char *const *extra,
                  unsigned *port, int *errfd)
{
    const char *bin = getenv("GAZETTE_BIN");
    int fds[2];
    pid_t pid;
    struct buf err;
    char tmp[512];

    ck_assert_int_eq(pipe(fds), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        const char *argv[32] = {bin,        "serve",       "--db",      dbpath,
                                "--listen", "127.0.0.1:0", "--threads", threads};
        size_t n = 8;

        for (size_t i = 0; extra != NULL && extra[i] != NULL && n < 31; i++)
            argv[n++] = extra[i];
        argv[n] = NULL;
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    buf_init(&err);
    /* the "listening" line names the port */
    while (strstr(err.data, "listening") == NULL ||
           strchr(strstr(err.data, "listening"), '\n') == NULL) {
        ssize_t n = read(fds[0], tmp, sizeof(tmp));

        ck_assert_msg(n > 0, "server ended: %s", err.data);
        buf_add(&err, tmp, (size_t)n);
    }
    /* only log lines of its own, none of a library's */
    for (const char *line = err.data; *line != '\0'; line = strchr(line, '\n') + 1) {
        ck_assert_msg(strncmp(line, "time=", 5) == 0, "not a log line: %s", line);
        if (strchr(line, '\n') == NULL)
            break;
    }
    const char *at = strstr(err.data, "url=http://127.0.0.1:");
    ck_assert_ptr_nonnull(at);
    *port = (unsigned)strtoul(at + strlen("url=http://127.0.0.1:"), NULL, 10);
    buf_release(&err);
    *errfd = fds[0];
    return pid;
}

static pid_t
start_server(const char *dbpath, const char *threads, unsigned *port, int *errfd)
{
    return start_server_with(dbpath, threads, NULL, port, errfd);
}

START_TEST(serve_stops_on_sigterm)
{
    struct http_result r;
    struct buf err;
    unsigned port;
    int errfd, status;
    pid_t pid = start_server(db, "1", &port, &errfd);

    http_get(port, "/readyz", &r);
    ck_assert_int_eq(r.status, 200); /* serve migrated the new database */
    http_result_release(&r);
    http_get(port, "/v1/articles", &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "data")), 0);
    http_result_release(&r);
    status = stop_server(pid, errfd, &err);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    assert_has(&err, "\"path\":\"/v1/articles\",\"status\":200"); /* access log */
    assert_has(&err, "signal=SIGTERM");
    assert_has(&err, "msg=\"stopped\"");
    buf_release(&err);
}
END_TEST

/* A second server on a port in use stops with an error rather than
 * sharing the port's connections with the first. */
START_TEST(serve_refuses_a_port_in_use)
{
    struct run_result r;
    unsigned port;
    int errfd, status;
    char listen[64];
    char *other = db_temp();
    pid_t pid = start_server(db, "2", &port, &errfd);

    snprintf(listen, sizeof(listen), "127.0.0.1:%u", port);
    RUN(&r, NULL, "serve", "--db", other, "--listen", listen);
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "cannot listen on 127.0.0.1 port");
    assert_has(&r.err, "in use");
    run_result_release(&r);
    ck_assert_int_eq(kill(pid, SIGTERM), 0);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    close(errfd);
    db_remove(other);
    free(other);
}
END_TEST

struct slow_get {
    unsigned port;
    struct http_result r;
};

static void *
slow_get(void *p)
{
    struct slow_get *g = p;
    /* curl's rate limit is set through the environment of this helper: the
     * transfer takes a few seconds, so the stop arrives while it runs */
    http_request(g->port, "GET", "/v1/export/articles?format=ndjson",
                 (const char *const[]){"X-Test-Slow: 1", NULL}, NULL, &g->r);
    return NULL;
}

START_TEST(serve_drains_on_sigterm)
{
    struct run_result run;
    struct slow_get g = {0};
    struct buf in;
    pthread_t t;
    unsigned port;
    int errfd, status, lines = 0;
    char tmp[512];
    ssize_t n;
    pid_t pid;

    buf_init(&in);
    for (int i = 0; i < 2000; i++)
        buf_addf(&in,
                 "{\"title\": \"Item %d\", \"published\": \"2024-01-%02d\", \"body\": "
                 "\"%0800d\", \"quotes\": []}\n",
                 i, 1 + i % 28, i);
    RUN(&run, in.data, "import", "--db", db, "--quiet", "-");
    ck_assert_msg(run.code == 0, "%s", run.err.data);
    run_result_release(&run);
    buf_release(&in);
    pid = start_server(db, "2", &port, &errfd);
    g.port = port;
    setenv("GAZETTE_TEST_RATE", "600000", 1);
    ck_assert_int_eq(pthread_create(&t, NULL, slow_get, &g), 0);
    usleep(500 * 1000);
    ck_assert_int_eq(kill(pid, SIGTERM), 0);
    pthread_join(t, NULL);
    unsetenv("GAZETTE_TEST_RATE");
    /* the request in flight was answered whole */
    ck_assert_int_eq(g.r.status, 200);
    for (const char *p = g.r.body.data; (p = strchr(p, '\n')) != NULL; p++)
        lines++;
    ck_assert_int_eq(lines, 2000);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    /* the access log counts the bytes the stream sent */
    buf_init(&in);
    while ((n = read(errfd, tmp, sizeof(tmp))) > 0)
        buf_add(&in, tmp, (size_t)n);
    close(errfd);
    snprintf(tmp, sizeof(tmp), "\"status\":200,\"bytes\":%zu,", g.r.body.len);
    ck_assert_msg(strstr(strstr(in.data, "\"path\":\"/v1/export/articles"), tmp) != NULL,
                  "no %s in %s", tmp, in.data);
    buf_release(&in);
    http_result_release(&g.r);
}
END_TEST

/* Answers are kept in the server's cache until the data changes, also
 * when another process changes it. */
START_TEST(kept_answers_follow_other_writers)
{
    static const char *const gz[] = {"Accept-Encoding: gzip", NULL};
    struct run_result run;
    struct http_result a, b, c;
    unsigned port;
    int errfd, status;
    pid_t pid;

    RUN(&run,
        "{\"title\": \"First\", \"published\": \"2024-01-01\", \"body\": \"one\"}\n",
        "import", "--db", db, "--quiet", "-");
    run_result_release(&run);
    pid = start_server(db, "2", &port, &errfd);
    http_get(port, "/v1/articles?count=true&fields=title", &a);
    http_get(port, "/v1/articles?count=true&fields=title", &b); /* from the cache */
    ck_assert_int_eq(json_integer_value(json_object_get(b.json, "total")), 1);
    ck_assert_str_eq(a.body.data, b.body.data);
    char etag[100];
    snprintf(etag, sizeof(etag), "%s", http_header(&a, "ETag"));
    ck_assert_str_eq(etag, http_header(&b, "ETag"));
    http_result_release(&a);
    http_result_release(&b);
    /* a kept answer, compressed */
    http_request(port, "GET", "/v1/articles?count=true&fields=title", gz, NULL, &c);
    ck_assert_int_eq(c.status, 200);
    http_result_release(&c);
    RUN(&run,
        "{\"title\": \"Second\", \"published\": \"2024-01-02\", \"body\": \"two\"}\n",
        "import", "--db", db, "--quiet", "-");
    ck_assert_int_eq(run.code, 0);
    run_result_release(&run);
    http_get(port, "/v1/articles?count=true&fields=title", &a);
    ck_assert_int_eq(json_integer_value(json_object_get(a.json, "total")), 2);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_array_get(json_object_get(a.json, "data"), 0), "title")),
                     "Second");
    ck_assert_str_ne(etag, http_header(&a, "ETag"));
    http_result_release(&a);
    kill(pid, SIGTERM);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    close(errfd);
}
END_TEST

START_TEST(ready_only_when_migrated)
{
    struct err_info ei = {0};
    struct server_config cfg;
    struct http_result r;
    struct server *srv;
    struct store *st;

    /* a database nobody migrated */
    ck_assert_int_eq(store_open(db, STORE_READ_WRITE, &st, &ei), ERR_OK);
    server_config_init(&cfg);
    cfg.port = 0;
    cfg.access_log = false;
    ck_assert_int_eq(server_start(&cfg, st, &srv, &ei), ERR_OK);
    http_get(server_port(srv), "/readyz", &r);
    assert_problem(&r, 503, "pending");
    http_result_release(&r);
    http_get(server_port(srv), "/healthz", &r);
    ck_assert_int_eq(r.status, 200); /* alive all the same */
    http_result_release(&r);
    ck_assert_int_eq(store_migrate(st, 0, NULL, &ei), ERR_OK);
    http_get(server_port(srv), "/readyz", &r);
    ck_assert_int_eq(r.status, 200);
    http_result_release(&r);
    /* the file goes away under a running server */
    db_remove(db);
    http_get(server_port(srv), "/readyz", &r);
    assert_problem(&r, 503, "cannot open");
    http_result_release(&r);
    server_stop(srv, 1000);
    store_close(st);
}
END_TEST

START_TEST(extraction_on_import)
{
    struct run_result r;
    char raw[4096];

    snprintf(raw, sizeof(raw), "%s", fixture("raw/lighthouse.txt"));
    RUN(&r, NULL, "import", "--db", db, "--quiet", raw);
    ck_assert_msg(r.code == 0, "%s", r.err.data);
    run_result_release(&r);
    RUN(&r, NULL, "export", "--db", db, "--table", "quotes", "--format", "csv");
    assert_has(&r.out, ",direct,It is the oldest building we have,");
    assert_has(&r.out, ",ruth-okonkwo,Ruth Okonkwo,council leader,");
    run_result_release(&r);
    /* --no-extract: stored as given */
    RUN(&r,
        " date 2024-09-01 Title: Quiet day\n\n\"Nothing happened,\" said Ada Quist.\n",
        "import", "--db", db, "--quiet", "--no-extract", "-");
    ck_assert_int_eq(r.code, 0);
    run_result_release(&r);
    RUN(&r, NULL, "export", "--db", db, "--table", "officials", "--format", "csv");
    ck_assert_ptr_null(strstr(r.out.data, "Ada Quist"));
    run_result_release(&r);
    /* an --output that cannot be made is told as such */
    RUN(&r, NULL, "export", "--db", db, "--output", "/nonexistent/folder/out.ndjson");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "/nonexistent/folder/out.ndjson: No such file or directory");
    run_result_release(&r);
}
END_TEST

START_TEST(extract_command)
{
    struct run_result r;
    json_t *out, *q;

    RUN(&r,
        " date 2024-09-02 Title: Wind farm approved\n\n"
        "The offshore wind farm was approved, according to Bram Oyelaran, director of "
        "the "
        "Energy Office of the Coastal Planning Agency.\n\n"
        "\"It will power every home in the region,\" Oyelaran added.\n",
        "extract", "-");
    ck_assert_msg(r.code == 0, "%s", r.err.data);
    out = json_loads(r.out.data, 0, NULL);
    ck_assert_ptr_nonnull(out);
    ck_assert_str_eq(json_string_value(json_object_get(out, "published")), "2024-09-02");
    ck_assert_uint_eq(json_array_size(json_object_get(out, "quotes")), 2);
    q = json_array_get(json_object_get(out, "quotes"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(q, "kind")), "indirect");
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(q, "official"), "name")),
        "Bram Oyelaran");
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(q, "organization"), "name")),
        "Energy Office");
    q = json_array_get(json_object_get(out, "quotes"), 1);
    ck_assert_str_eq(
        json_string_value(json_object_get(json_object_get(q, "official"), "name")),
        "Bram Oyelaran");
    ck_assert_ptr_nonnull(json_object_get(out, "organizations"));
    ck_assert_ptr_nonnull(json_object_get(out, "themes"));
    json_decref(out);
    run_result_release(&r);
    /* nothing was stored anywhere: no database was named */
    RUN(&r,
        "{\"id\": \"x-1\", \"title\": \"T\", \"published\": \"2024-09-03\", "
        "\"body\": \"b\"}\nnot json\n",
        "extract", "--format", "ndjson", "-");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.out, "\"id\":\"x-1\"");
    assert_has(&r.err, "<stdin>:2: invalid JSON");
    run_result_release(&r);
}
END_TEST

START_TEST(keys_command)
{
    struct run_result r;
    char key[128];

    /* not into a database that is not there (a mistyped path) */
    RUN(&r, NULL, "keys", "create", "--db", db, "--name", "robot", "--scope", "admin");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "no such file");
    ck_assert_int_ne(access(db, F_OK), 0);
    run_result_release(&r);
    RUN(&r, NULL, "migrate", "--db", db);
    run_result_release(&r);
    RUN(&r, NULL, "keys", "create", "--db", db, "--name", "robot", "--scope", "admin");
    ck_assert_msg(r.code == 0, "%s", r.err.data);
    ck_assert_int_eq(strncmp(r.out.data, "gz_", 3), 0);
    ck_assert_int_eq(strlen(r.out.data), 60); /* the key and a newline */
    snprintf(key, sizeof(key), "%.59s", r.out.data);
    assert_has(&r.err, "shown only this once");
    run_result_release(&r);
    RUN(&r, NULL, "keys", "list", "--db", db);
    ck_assert_int_eq(r.code, 0);
    assert_has(&r.out, "robot");
    assert_has(&r.out, "admin");
    ck_assert_ptr_null(strstr(r.out.data, key + 16)); /* never the secret part */
    run_result_release(&r);
    RUN(&r, NULL, "keys", "revoke", "--db", db, "robot");
    ck_assert_int_eq(r.code, 0);
    assert_has(&r.err, "revoked 1 key");
    run_result_release(&r);
    RUN(&r, NULL, "keys", "revoke", "--db", db, "robot");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "no active key");
    run_result_release(&r);
    RUN(&r, NULL, "keys", "create", "--db", db, "--name", "x", "--scope", "root");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "--scope write or --scope admin");
    run_result_release(&r);
    RUN(&r, NULL, "keys", "create", "--db", db, "--scope", "write");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "--name");
    run_result_release(&r);
    RUN(&r, NULL, "keys", "frob", "--db", db);
    ck_assert_int_eq(r.code, 2);
    run_result_release(&r);
    /* a name that would break the list (or the JSON of GET /v1/keys) */
    static const char *const bad_names[] = {"two\nlines", "caf\xe9", "tab\there"};
    for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
        RUN(&r, NULL, "keys", "create", "--db", db, "--name", bad_names[i], "--scope",
            "write");
        ck_assert_int_eq(r.code, 1);
        assert_has(&r.err, "UTF-8 text without control characters");
        ck_assert_uint_eq(r.out.len, 0);
        run_result_release(&r);
    }
}
END_TEST

/* Output that cannot be written (a full disk here) is a failure, not a
 * success with nothing to show; a key nobody could see is revoked. */
START_TEST(stdout_that_cannot_be_written)
{
    struct run_result r;

    RUN(&r, NULL, "migrate", "--db", db);
    run_result_release(&r);
#define RUN_FULL(res, ...)                                                               \
    run_gazette_to((const char *const[]){__VA_ARGS__, NULL}, NULL, "/dev/full", res)
    RUN_FULL(&r, "keys", "create", "--db", db, "--name", "lost", "--scope", "write");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "could not be written to standard output (No space left on "
                       "device), so it was revoked");
    run_result_release(&r);
    RUN(&r, NULL, "keys", "list", "--db", db);
    ck_assert_ptr_null(strstr(r.out.data, "  -\n")); /* none active */
    assert_has(&r.out, "lost");
    run_result_release(&r);
    RUN_FULL(&r, "keys", "list", "--db", db);
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "gazette: cannot write to standard output: No space left");
    run_result_release(&r);
    RUN_FULL(&r, "migrate", "--status", "--db", db);
    ck_assert_int_eq(r.code, 1);
    run_result_release(&r);
    RUN_FULL(&r, "--version");
    ck_assert_int_eq(r.code, 1);
    run_result_release(&r);
    run_gazette_to((const char *const[]){"extract", "-", NULL},
                   " date 2024-09-02 Title: T\n\nBody.\n", "/dev/full", &r);
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "cannot write to standard output");
    run_result_release(&r);
#undef RUN_FULL
}
END_TEST

/* A flag wins over its variable, which is then not looked at: a bad value
 * in the environment is overridden, not fatal; one that is used is named
 * as the variable. */
START_TEST(flags_win_over_the_environment)
{
    struct run_result r;

    setenv("GAZETTE_LOG_LEVEL", "loud", 1);
    RUN(&r, NULL, "--version");
    ck_assert_int_eq(r.code, 0);
    assert_has(&r.out, "gazette ");
    run_result_release(&r);
    RUN(&r, NULL, "import", "--help");
    ck_assert_int_eq(r.code, 0);
    run_result_release(&r);
    RUN(&r, NULL, "migrate", "--db", db);
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "GAZETTE_LOG_LEVEL must be debug, info, warn, error or off");
    run_result_release(&r);
    /* serve goes past the level (and the numbers) to the bad --listen */
    setenv("GAZETTE_THREADS", "0", 1);
    RUN(&r, NULL, "serve", "--db", db, "--log-level", "warn", "--threads", "2",
        "--listen", "nonsense");
    unsetenv("GAZETTE_LOG_LEVEL");
    unsetenv("GAZETTE_THREADS");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "gazette: --listen must be HOST:PORT");
    ck_assert_ptr_null(strstr(r.err.data, "GAZETTE_"));
    run_result_release(&r);
    setenv("GAZETTE_LISTEN", "nonsense", 1);
    RUN(&r, NULL, "serve", "--db", db);
    unsetenv("GAZETTE_LISTEN");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "GAZETTE_LISTEN must be HOST:PORT");
    run_result_release(&r);
}
END_TEST

/* --cors-origin replaces GAZETTE_CORS_ORIGIN rather than adding to it. */
START_TEST(cors_flag_replaces_the_variable)
{
    static const char *const flags[] = {"--cors-origin", "https://b.example", NULL};
    struct http_result h;
    unsigned port;
    int errfd, status;
    pid_t pid;

    setenv("GAZETTE_CORS_ORIGIN", "https://a.example", 1);
    pid = start_server_with(db, "1", flags, &port, &errfd);
    unsetenv("GAZETTE_CORS_ORIGIN");
    http_request(port, "GET", "/healthz",
                 (const char *const[]){"Origin: https://b.example", NULL}, NULL, &h);
    ck_assert_str_eq(http_header(&h, "Access-Control-Allow-Origin"), "https://b.example");
    http_result_release(&h);
    http_request(port, "GET", "/healthz",
                 (const char *const[]){"Origin: https://a.example", NULL}, NULL, &h);
    ck_assert_ptr_null(http_header(&h, "Access-Control-Allow-Origin"));
    http_result_release(&h);
    kill(pid, SIGTERM);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    close(errfd);
}
END_TEST

/* Sends request as it is on a new connection to port; reads the answer
 * until the server closes. */
static void
send_raw(unsigned port, const char *request)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    char tmp[4096];
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    ck_assert_int_ge(fd, 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    /* a server that answers before the end of a large request may close
     * while it is being sent: no SIGPIPE, and what was sent is enough */
    ck_assert_int_gt(send(fd, request, strlen(request), MSG_NOSIGNAL), 0);
    while (read(fd, tmp, sizeof(tmp)) > 0)
        ;
    close(fd);
}

/* Every request has its access-log line, a valid JSON one, also when its
 * target or method has bytes that are not UTF-8 (written as %XX). */
START_TEST(access_log_of_bytes_not_utf8)
{
    struct buf err;
    unsigned port;
    int errfd, lines = 0;
    pid_t pid = start_server(db, "1", &port, &errfd);

    send_raw(port, "GET /v1/articles/caf\xc3\xa9\xff\xfe HTTP/1.1\r\nHost: x\r\n"
                   "Connection: close\r\n\r\n");
    send_raw(port, "G\xffT /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    send_raw(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    stop_server(pid, errfd, &err);
    for (char *line = err.data, *end; *line != '\0'; line = end + 1) {
        json_t *j;

        end = strchr(line, '\n');
        ck_assert_ptr_nonnull(end);
        *end = '\0';
        if (*line != '{')
            continue;
        j = json_loads(line, 0, NULL);
        ck_assert_msg(j != NULL, "not JSON: %s", line);
        const char *path = json_string_value(json_object_get(j, "path"));
        const char *method = json_string_value(json_object_get(j, "method"));
        if (lines == 0) {
            ck_assert_str_eq(path, "/v1/articles/caf\xc3\xa9%FF%FE");
        } else if (lines == 1) {
            ck_assert_str_eq(method, "G%FFT");
            ck_assert_int_eq(json_integer_value(json_object_get(j, "status")), 405);
        } else {
            ck_assert_str_eq(path, "/healthz");
        }
        json_decref(j);
        lines++;
    }
    ck_assert_int_eq(lines, 3);
    buf_release(&err);
}
END_TEST

/* migrate --to goes up to a version this gazette knows, never down, and
 * says where the schema stands. */
START_TEST(migrate_to_a_version)
{
    struct run_result r;
    char arg[32];

    RUN(&r, NULL, "migrate", "--db", db, "--to", "3");
    ck_assert_int_eq(r.code, 0);
    assert_has(&r.out, "applied 3 migration(s)");
    run_result_release(&r);
    RUN(&r, NULL, "migrate", "--db", db, "--to", "2");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "schema version 3 is past 2; migrations are not undone");
    ck_assert_ptr_null(strstr(r.out.data, "current"));
    run_result_release(&r);
    RUN(&r, NULL, "migrate", "--db", db, "--to", "3");
    ck_assert_int_eq(r.code, 0);
    assert_has(&r.out, "schema is at version 3; nothing to do");
    run_result_release(&r);
    snprintf(arg, sizeof(arg), "%zu", gazette_migrations_count + 1);
    RUN(&r, NULL, "migrate", "--db", db, "--to", arg);
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "--to must be at most");
    run_result_release(&r);
    RUN(&r, NULL, "migrate", "--status", "--db", db);
    assert_has(&r.out, "schema version: 3;"); /* the refused ones changed nothing */
    run_result_release(&r);
}
END_TEST

/* An SQLite file another program made (tables, no schema_version) is
 * refused, and left as it was, rather than given gazette's schema. */
START_TEST(database_of_another_program)
{
    static const char *const cmds[][5] = {
        {"migrate", NULL}, {"migrate", "--status", NULL}, {"keys", "list", NULL},
        {"export", NULL},  {"import", "-", NULL},         {"extract", "-", NULL},
    };
    struct run_result r;
    sqlite3 *h;
    sqlite3_stmt *st;

    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_int_eq(
        sqlite3_exec(h, "CREATE TABLE bookmarks (url TEXT)", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(h);
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        const char *args[8];
        size_t n = 0;

        for (size_t k = 0; cmds[i][k] != NULL; k++)
            args[n++] = cmds[i][k];
        args[n++] = "--db";
        args[n++] = db;
        args[n] = NULL;
        run_gazette(args, "[]", &r);
        ck_assert_msg(r.code == 1, "%s: %d", cmds[i][0], r.code);
        assert_has(&r.err, "an SQLite database that gazette did not make");
        run_result_release(&r);
    }
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_int_eq(
        sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_master", -1, &st, NULL),
        SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_int_eq(sqlite3_column_int(st, 0), 1); /* only its own table */
    sqlite3_finalize(st);
    sqlite3_close(h);
}
END_TEST

/* A file of the batch that cannot be opened is told and skipped, as a bad
 * record is: the files after it are imported all the same. */
START_TEST(import_goes_on_past_a_missing_file)
{
    struct run_result r;
    char a[4096], c[4096];

    snprintf(a, sizeof(a), "%s", fixture("articles.ndjson"));
    snprintf(c, sizeof(c), "%s", fixture("array.json"));
    RUN(&r, NULL, "import", "--db", db, "--quiet", a, "/no/such/file.ndjson",
        fixture("raw"), c);
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "gazette: /no/such/file.ndjson: No such file or directory");
    assert_has(&r.err, "raw: Is a directory");
    assert_has(&r.err, "import: 7 inserted, 0 updated, 0 unchanged, 0 failed");
    assert_has(&r.err, "; 2 files not read");
    run_result_release(&r);
}
END_TEST

/* extract takes the theme catalog of GAZETTE_DB, as of --db. */
START_TEST(extract_reads_gazette_db)
{
    static const char text[] = " date 2024-01-01 Title: The digital economy\n\n"
                               "The digital economy grew, and e-commerce with it.\n";
    struct run_result r;
    sqlite3 *h;

    RUN(&r, text, "extract", "-");
    assert_has(&r.out, "\"slug\":\"digital-economy\""); /* the catalog shipped */
    run_result_release(&r);
    RUN(&r, NULL, "migrate", "--db", db);
    run_result_release(&r);
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_exec(h, "DELETE FROM themes", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);
    setenv("GAZETTE_DB", db, 1);
    RUN(&r, text, "extract", "-");
    unsetenv("GAZETTE_DB");
    ck_assert_int_eq(r.code, 0);
    assert_has(&r.out, "\"themes\":[]"); /* that database's catalog: empty */
    run_result_release(&r);
}
END_TEST

/* A --db that is a folder, or a file that is not there where one must
 * be, is told in one line naming it, by every command. */
START_TEST(database_paths_told_plainly)
{
    static const char *const cmds[][4] = {
        {"migrate", NULL},
        {"migrate", "--status", NULL},
        {"import", "-", NULL},
        {"export", NULL},
        {"keys", "list", NULL},
        {"extract", "-", NULL},
        {"serve", "--listen", "127.0.0.1:0", NULL},
    };
    char folder[4096], missing[4096], nofolder[4096], said[4200];
    struct run_result r;

    snprintf(folder, sizeof(folder), "%s", fixture("raw"));
    snprintf(missing, sizeof(missing), "%s", db); /* not made yet */
    snprintf(nofolder, sizeof(nofolder), "%s.d/new.db", db);
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        const char *args[8];
        size_t n = 0;

        for (size_t k = 0; cmds[i][k] != NULL; k++)
            args[n++] = cmds[i][k];
        args[n++] = "--db";
        args[n++] = folder;
        args[n] = NULL;
        run_gazette(args, "[]", &r);
        ck_assert_msg(r.code == 1, "%s: %d", cmds[i][0], r.code);
        snprintf(said, sizeof(said), "gazette: %s: is a folder, not a database file\n",
                 folder);
        ck_assert_str_eq(r.err.data, said);
        run_result_release(&r);
    }
    /* export and extract --db read a database: one that is not there is
     * said so, alone */
    RUN(&r, NULL, "export", "--db", missing);
    ck_assert_int_eq(r.code, 1);
    snprintf(said, sizeof(said),
             "gazette: %s: no such file (gazette migrate creates it)\n", missing);
    ck_assert_str_eq(r.err.data, said);
    run_result_release(&r);
    RUN(&r, "[]", "extract", "--db", missing, "-");
    ck_assert_int_eq(r.code, 1);
    ck_assert_str_eq(r.err.data, said);
    run_result_release(&r);
    ck_assert_int_ne(access(missing, F_OK), 0);
    RUN(&r, NULL, "export", "--db", "/dev/zero");
    ck_assert_int_eq(r.code, 1);
    ck_assert_str_eq(
        r.err.data,
        "gazette: /dev/zero: is not a regular file, so not a database file\n");
    run_result_release(&r);
    /* a new file needs a folder to be made in */
    RUN(&r, NULL, "migrate", "--db", nofolder);
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "no such file, and no folder");
    run_result_release(&r);
    /* an empty name would be SQLite's temporary database, gone at the end */
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
        const char *args[8];
        size_t n = 0;

        for (size_t k = 0; cmds[i][k] != NULL; k++)
            args[n++] = cmds[i][k];
        args[n++] = "--db";
        args[n++] = "";
        args[n] = NULL;
        run_gazette(args, "[]", &r);
        ck_assert_msg(r.code == 1, "%s: %d", cmds[i][0], r.code);
        ck_assert_str_eq(r.err.data, "gazette: --db must name a file (it is empty)\n");
        run_result_release(&r);
    }
}
END_TEST

/* Runs gazette with args, stderr on a terminal and stdin_text through a
 * pipe; collects what the terminal showed. */
static void
run_on_terminal(const char *const *args, const char *stdin_text, struct buf *shown)
{
    const char *bin = getenv("GAZETTE_BIN");
    const char *argv[32] = {bin};
    int in[2], master, status;
    char tmp[4096];
    ssize_t n;
    size_t k = 1;
    pid_t pid;

    for (size_t i = 0; args[i] != NULL && k < 31; i++)
        argv[k++] = args[i];
    argv[k] = NULL;
    ck_assert_int_eq(pipe(in), 0);
    pid = forkpty(&master, NULL, NULL, NULL);
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(in[0], 0);
        close(in[0]);
        close(in[1]);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(in[0]);
    ck_assert_int_eq(write(in[1], stdin_text, strlen(stdin_text)),
                     (ssize_t)strlen(stdin_text));
    close(in[1]);
    buf_init(shown);
    /* the terminal ends (EIO) when the program has exited */
    while ((n = read(master, tmp, sizeof(tmp))) > 0 || (n < 0 && errno == EINTR))
        if (n > 0)
            buf_add(shown, tmp, (size_t)n);
    close(master);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_int_eq(WEXITSTATUS(status), 0);
}

/* On a terminal the import shows its progress; from a pipe, whose length
 * is not known, without a bar that would stay at 0 %. */
START_TEST(progress_on_a_terminal)
{
    struct buf shown, in;

    buf_init(&in);
    for (int i = 0; i < 50; i++)
        buf_addf(&in,
                 "{\"title\": \"P %d\", \"published\": \"2024-02-01\", "
                 "\"body\": \"b %d\"}\n",
                 i, i);
    run_on_terminal((const char *const[]){"import", "--db", db, "-", NULL}, in.data,
                    &shown);
    assert_has(&shown, "\r\033[K<stdin>: 50 records, 0 failed");
    ck_assert_msg(strstr(shown.data, "%") == NULL, "a bar: %s", shown.data);
    assert_has(&shown, "import: 50 inserted");
    buf_release(&shown);
    buf_release(&in);
}
END_TEST

/* A UTF-8 byte order mark before the first record (as some editors
 * write) is skipped in every format, also when the format is guessed. */
START_TEST(import_skips_a_byte_order_mark)
{
    static const struct {
        const char *format, *text;
    } cases[] = {
        {"auto", "\xEF\xBB\xBF{\"title\": \"A\", \"published\": \"2024-03-01\", "
                 "\"body\": \"a\"}\n"},
        {"ndjson", "\xEF\xBB\xBF{\"title\": \"B\", \"published\": \"2024-03-02\", "
                   "\"body\": \"b\"}\n"},
        {"auto", "\xEF\xBB\xBF[{\"title\": \"C\", \"published\": \"2024-03-03\", "
                 "\"body\": \"c\"}]"},
        {"json", "\xEF\xBB\xBF[{\"title\": \"D\", \"published\": \"2024-03-04\", "
                 "\"body\": \"d\"}]"},
        {"auto", "\xEF\xBB\xBF date 2024-03-05 Title: E\n\ne\n"},
    };
    struct run_result r;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        RUN(&r, cases[i].text, "import", "--db", db, "--quiet", "--format",
            cases[i].format, "-");
        ck_assert_msg(r.code == 0, "%zu: %s", i, r.err.data);
        assert_has(&r.err, "1 inserted");
        run_result_release(&r);
    }
}
END_TEST

/* export --output naming the database (a slip for --db) is refused: the
 * database is not emptied. */
START_TEST(export_never_writes_over_the_database)
{
    struct run_result r;
    char link[4200];

    RUN(&r, NULL, "import", "--db", db, "--quiet", fixture("articles.ndjson"));
    ck_assert_int_eq(r.code, 0);
    run_result_release(&r);
    snprintf(link, sizeof(link), "%s.link", db);
    ck_assert_int_eq(symlink(db, link), 0);
    RUN(&r, NULL, "export", "--db", db, "--output", db);
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "is the database itself; name another file");
    run_result_release(&r);
    RUN(&r, NULL, "export", "--db", db, "--output", link);
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "is the database itself");
    run_result_release(&r);
    unlink(link);
    RUN(&r, NULL, "export", "--db", db, "--table", "articles");
    ck_assert_int_eq(r.code, 0);
    assert_has(&r.err, "export: 5 rows");
    run_result_release(&r);
}
END_TEST

/* GAZETTE_ACCESS_LOG takes false as well as 0, and a value it does not
 * know stops serve rather than being ignored. */
START_TEST(access_log_switch_from_the_environment)
{
    struct run_result r;
    struct http_result h;
    struct buf err;
    unsigned port;
    int errfd;
    pid_t pid;

    setenv("GAZETTE_ACCESS_LOG", "maybe", 1);
    /* told before the address is looked at */
    RUN(&r, NULL, "serve", "--db", db, "--listen", "nonsense");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "GAZETTE_ACCESS_LOG must be 1 or 0");
    run_result_release(&r);
    setenv("GAZETTE_ACCESS_LOG", "false", 1);
    pid = start_server(db, "1", &port, &errfd);
    unsetenv("GAZETTE_ACCESS_LOG");
    http_get(port, "/healthz", &h);
    ck_assert_int_eq(h.status, 200);
    http_result_release(&h);
    stop_server(pid, errfd, &err);
    ck_assert_msg(strstr(err.data, "\"msg\":\"request\"") == NULL, "%s", err.data);
    buf_release(&err);
}
END_TEST

/* A command line not understood is told in one line on stderr, naming
 * what is wrong, with exit status 2 and nothing on stdout. */
START_TEST(usage_errors_in_one_line)
{
    static const struct {
        const char *args[4];
        const char *said;
    } cases[] = {
        {{"frob"}, "gazette: unknown command \"frob\""},
        {{"serve", "--bogus"}, "gazette serve: unknown or ambiguous option --bogus"},
        {{"serve", "--db"}, "gazette serve: --db needs a value"},
        {{"serve", "stray"}, "gazette serve: unexpected argument \"stray\""},
        {{"import", "-q"}, "gazette import: unknown option -q"},
        {{"import", "--format"}, "gazette import: --format needs a value"},
        {{"import"}, "gazette import: no FILE given"},
        {{"extract", "--quiet=1", "-"}, "gazette extract: unknown or ambiguous option"},
        {{"export", "--help=1"}, "gazette export: --help takes no value"},
        {{"serve", "--no-access-log", "-vx"}, "gazette serve: unknown option -v"},
        {{"serve", "--db=x", "-vx"}, "gazette serve: unknown option -v"},
        {{"export", "stray"}, "gazette export: unexpected argument \"stray\""},
        {{"migrate", "--to"}, "gazette migrate: --to needs a value"},
        {{"keys"}, "gazette keys: no action given"},
        {{"keys", "frob"}, "gazette keys: unknown action \"frob\""},
        {{"keys", "revoke"}, "gazette keys: revoke takes one ID or NAME"},
    };
    struct run_result r;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run_gazette(cases[i].args, NULL, &r);
        ck_assert_msg(r.code == 2, "%s: %d", cases[i].said, r.code);
        ck_assert_msg(strncmp(r.err.data, cases[i].said, strlen(cases[i].said)) == 0,
                      "\"%s\" does not start with \"%s\"", r.err.data, cases[i].said);
        ck_assert_msg(strchr(r.err.data, '\n') == r.err.data + r.err.len - 1,
                      "more than one line: %s", r.err.data);
        assert_has(&r.err, "--help ");
        ck_assert_uint_eq(r.out.len, 0);
        run_result_release(&r);
    }
}
END_TEST

/* Requests that libmicrohttpd answers by itself, before gazette sees them
 * (no Host; a head larger than a connection's memory), and those whose
 * head never came whole, have their access-log line and are counted in
 * /metrics too. */
START_TEST(access_log_of_answers_before_gazette)
{
    struct http_result m;
    struct buf err, big;
    unsigned port;
    int errfd;
    pid_t pid = start_server_with(db, "1", (const char *const[]){"--timeout", "1", NULL},
                                  &port, &errfd);

    send_raw(port, "GET /no-host HTTP/1.1\r\nConnection: close\r\n\r\n");
    /* a head that never ends: closed after --timeout, unanswered */
    send_raw(port, "GET /slow-head HTTP/1.1\r\nHost: x\r\nX-Slow: ");
    buf_init(&big);
    buf_adds(&big, "GET /big-head HTTP/1.1\r\nHost: x\r\nX-Big: ");
    for (int i = 0; i < 70000; i++)
        buf_addc(&big, 'a');
    buf_adds(&big, "\r\nConnection: close\r\n\r\n");
    send_raw(port, big.data);
    buf_release(&big);
    http_get(port, "/metrics", &m);
    ck_assert_msg(
        strstr(m.body.data, "route=\"unmatched\",method=\"ANY\",status=\"400\"} 1\n") !=
            NULL,
        "%s", m.body.data);
    ck_assert_ptr_nonnull(
        strstr(m.body.data, "route=\"unmatched\",method=\"ANY\",status=\"431\"} 1\n"));
    ck_assert_ptr_nonnull(
        strstr(m.body.data, "route=\"unmatched\",method=\"ANY\",status=\"499\"} 1\n"));
    http_result_release(&m);
    stop_server(pid, errfd, &err);
    assert_has(&err, "\"path\":\"/no-host\",\"status\":400,");
    assert_has(&err, "\"path\":\"/big-head\",\"status\":431,");
    assert_has(&err, "\"method\":\"-\",\"path\":\"/slow-head\",\"status\":499,");
    buf_release(&err);
}
END_TEST

/* JSON input as objects one after another (NDJSON, or pretty-printed
 * objects, in a file named .json) is read object by object, a bad one
 * skipped; text after an array's end is reported, not ignored. */
START_TEST(import_json_objects_one_after_another)
{
    struct run_result r;

    RUN(&r,
        "{\"title\": \"O1\", \"published\": \"2024-05-01\", \"body\": \"a\"}\n"
        "{\n  \"title\": \"O2\",\n  \"published\": \"2024-05-02\",\n  \"body\": "
        "\"b\"\n}\n"
        "not an object\n"
        "{\"title\": \"O3\", \"published\": \"2024-05-03\", \"body\": \"c\"}\n",
        "import", "--db", db, "--quiet", "--format", "json", "-");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "<stdin>:7: a JSON import must be objects, or an array of them");
    assert_has(&r.err, "import: 3 inserted, 0 updated, 0 unchanged, 1 failed");
    run_result_release(&r);
    RUN(&r,
        "[{\"title\": \"A1\", \"published\": \"2024-05-04\", \"body\": \"d\"}]\n"
        "{\"title\": \"lost\"}\n",
        "import", "--db", db, "--quiet", "--format", "json", "-");
    ck_assert_int_eq(r.code, 1);
    assert_has(&r.err, "<stdin>:2: text after the end of the JSON array");
    assert_has(&r.err, "import: 1 inserted");
    run_result_release(&r);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, help_and_version);
    tcase_add_test(tc, migrate_and_status);
    tcase_add_test(tc, newer_database);
    tcase_add_test(tc, import_reports_bad_records);
    tcase_add_test(tc, import_is_idempotent);
    tcase_add_test(tc, import_from_stdin);
    tcase_add_test(tc, serve_checks_numbers);
    tcase_add_test(tc, serve_stops_on_sigterm);
    tcase_add_test(tc, serve_refuses_a_port_in_use);
    tcase_add_test(tc, serve_drains_on_sigterm);
    tcase_add_test(tc, ready_only_when_migrated);
    tcase_add_test(tc, kept_answers_follow_other_writers);
    tcase_add_test(tc, keys_command);
    tcase_add_test(tc, extraction_on_import);
    tcase_add_test(tc, extract_command);
    tcase_add_test(tc, stdout_that_cannot_be_written);
    tcase_add_test(tc, flags_win_over_the_environment);
    tcase_add_test(tc, cors_flag_replaces_the_variable);
    tcase_add_test(tc, access_log_of_bytes_not_utf8);
    tcase_add_test(tc, migrate_to_a_version);
    tcase_add_test(tc, database_of_another_program);
    tcase_add_test(tc, import_goes_on_past_a_missing_file);
    tcase_add_test(tc, extract_reads_gazette_db);
    tcase_add_test(tc, database_paths_told_plainly);
    tcase_add_test(tc, progress_on_a_terminal);
    tcase_add_test(tc, import_skips_a_byte_order_mark);
    tcase_add_test(tc, export_never_writes_over_the_database);
    tcase_add_test(tc, access_log_switch_from_the_environment);
    tcase_add_test(tc, usage_errors_in_one_line);
    tcase_add_test(tc, access_log_of_answers_before_gazette);
    tcase_add_test(tc, import_json_objects_one_after_another);
    suite_add_tcase(s, tc);
    return run_suites(&s, 1);
}
