/* check_hostile.c - hostile input against the real server process:
 * malformed request lines, huge headers and URLs, bad percent-encoding and
 * UTF-8, NUL bytes, SQL and FTS5 injection in every parameter, JSON nested
 * 10,000 deep, 10 MB strings, wrong Content-Length, slowloris connections
 * and hundreds of concurrent ones.  The server must stay up, answer every
 * complete request with a 4xx (problem+json where the request reaches
 * gazette) and never a 5xx, and exit cleanly (which, in the sanitizer
 * build, also says it leaked nothing). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gazette/auth.h"
#include "helpers.h"

static char *db;
static pid_t pid;
static int errfd;
static unsigned port;
static char key[128];

static void
setup(void)
{
    struct err_info ei = {0};
    struct store *st;
    json_t *info;
    char *k, tmp[512];
    const char *bin = getenv("GAZETTE_BIN");
    const char *at;
    struct buf err;
    int fds[2];
    const char *files[3] = {NULL, NULL, NULL};
    char a[4096];

    db = db_temp();
    ck_assert_int_eq(store_open(db, STORE_READ_WRITE, &st, &ei), ERR_OK);
    ck_assert_int_eq(store_migrate(st, 0, NULL, &ei), ERR_OK);
    snprintf(a, sizeof(a), "%s", fixture("articles.ndjson"));
    files[0] = a;
    ck_assert_int_eq(import_files(st, files, false), 0);
    ck_assert_int_eq(auth_key_create(st, "hostile", "write", &k, &info, &ei), ERR_OK);
    snprintf(key, sizeof(key), "Authorization: Bearer %s", k);
    free(k);
    json_decref(info);
    store_close(st);
    ck_assert_int_eq(pipe(fds), 0);
    pid = fork();
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        /* short timeouts, so that slow clients are let go within the test */
        execl(bin, bin, "serve", "--db", db, "--listen", "127.0.0.1:0", "--no-access-log",
              "--timeout", "3", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    errfd = fds[0];
    buf_init(&err);
    while ((at = strstr(err.data, "url=http://127.0.0.1:")) == NULL ||
           strchr(at + 21, '/') == NULL) {
        ssize_t n = read(errfd, tmp, sizeof(tmp));

        ck_assert_msg(n > 0, "server ended: %s", err.data);
        buf_add(&err, tmp, (size_t)n);
    }
    port = (unsigned)strtoul(at + strlen("url=http://127.0.0.1:"), NULL, 10);
    buf_release(&err);
}

static void
teardown(void)
{
    struct buf err;
    int status;

    /* still up, and it stops cleanly */
    struct http_result r;
    http_get(port, "/healthz", &r);
    ck_assert_int_eq(r.status, 200);
    http_result_release(&r);
    status = stop_server(pid, errfd, &err);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "the server ended badly (%d): %s", status, err.data);
    ck_assert_msg(strstr(err.data, "ERROR: AddressSanitizer") == NULL &&
                      strstr(err.data, "runtime error") == NULL,
                  "%s", err.data);
    buf_release(&err);
    db_remove(db);
    free(db);
}

static int
connect_to(void)
{
    struct sockaddr_in sa = {0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

/* Sends raw bytes and returns the status of the answer (0 if none). */
static int
raw(const char *data, size_t len, struct buf *answer)
{
    int fd = connect_to();
    char tmp[4096];
    ssize_t n;
    struct timeval tv = {10, 0};

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    for (size_t off = 0; off < len;) {
        n = send(fd, data + off, len - off, MSG_NOSIGNAL);
        if (n <= 0)
            break;
        off += (size_t)n;
    }
    shutdown(fd, SHUT_WR);
    buf_reset(answer);
    while ((n = recv(fd, tmp, sizeof(tmp), 0)) > 0)
        buf_add(answer, tmp, (size_t)n);
    close(fd);
    if (strncmp(answer->data, "HTTP/1.", 7) != 0)
        return 0;
    return atoi(answer->data + 9);
}

START_TEST(malformed_requests)
{
    static const char *const cases[] = {
        "GARBAGE\r\n\r\n",
        "GET\r\n\r\n",
        "GET /v1/articles HTTP/1.1\r\nNo colon here\r\n\r\n",
        "GET /v1/articles HTTP/1.1\r\nHost: x\r\nHost: y\r\nContent-Length: -5\r\n\r\n",
        "GET /v1/articles HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
        "chunked\r\n\r\nzz\r\n\r\n",
        "GET  /v1/articles  HTTP/1.1\r\nHost: x\r\n\r\n",
        "\r\n\r\n\r\n",
        "GET /v1/articles?q=%00 HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /v1/articles/%c3%28 HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /v1/articles?theme=%zz&limit=%% HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /v1/articles HTTP/1.1\r\nHost: x\r\nContent-Length: "
        "5\r\n\r\n12345678901234567890",
    };
    struct buf answer;

    buf_init(&answer);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int status = raw(cases[i], strlen(cases[i]), &answer);

        ck_assert_msg(status == 0 || (status >= 400 && status < 500),
                      "case %zu: %d: %.200s", i, status, answer.data);
    }
    /* an unknown protocol version is the one 5xx HTTP itself prescribes */
    static const char version[] = "GET /v1/articles HTTP/9.9\r\nHost: x\r\n\r\n";
    ck_assert_int_eq(raw(version, sizeof(version) - 1, &answer), 505);
    /* a NUL byte inside the request line */
    static const char nul[] = "GET /v1/art\0icles HTTP/1.1\r\nHost: x\r\n\r\n";
    int status = raw(nul, sizeof(nul) - 1, &answer);
    ck_assert_msg(status == 0 || (status >= 400 && status < 500), "NUL: %d", status);
    /* the answers gazette itself gives are problem+json */
    status = raw(cases[7], strlen(cases[7]), &answer);
    ck_assert_int_eq(status, 400);
    ck_assert_ptr_nonnull(strstr(answer.data, "application/problem+json"));
    buf_release(&answer);
}
END_TEST

START_TEST(huge_headers_and_urls)
{
    struct buf req, answer;
    int status;

    buf_init(&req);
    buf_init(&answer);
    for (size_t size = 20000; size <= 320000; size *= 4) {
        buf_reset(&req);
        buf_adds(&req, "GET /v1/articles?theme=");
        for (size_t i = 0; i < size; i++)
            buf_addc(&req, 'a');
        buf_adds(&req, " HTTP/1.1\r\nHost: x\r\n\r\n");
        status = raw(req.data, req.len, &answer);
        ck_assert_msg(status == 414 || status == 431 || status == 400 || status == 0,
                      "url of %zu: %d", size, status);
        buf_reset(&req);
        buf_adds(&req, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ");
        for (size_t i = 0; i < size; i++)
            buf_addc(&req, 'b');
        buf_adds(&req, "\r\n\r\n");
        status = raw(req.data, req.len, &answer);
        ck_assert_msg(status == 431 || status == 400 || status == 413 || status == 0,
                      "header of %zu: %d", size, status);
        buf_reset(&req);
        buf_adds(&req, "GET /healthz HTTP/1.1\r\nHost: x\r\n");
        for (size_t i = 0; i < size / 20; i++)
            buf_addf(&req, "X-H%zu: v\r\n", i);
        buf_adds(&req, "\r\n");
        status = raw(req.data, req.len, &answer);
        ck_assert_msg(status == 431 || status == 400 || status == 200 || status == 0,
                      "%zu headers: %d", size / 20, status);
    }
    buf_release(&req);
    buf_release(&answer);
}
END_TEST

START_TEST(injection_in_every_parameter)
{
    static const char *const evil[] = {
        "'",
        "\"",
        "' OR 1=1 --",
        "1; DROP TABLE articles",
        "%27%20OR%20%271%27%3D%271",
        "NEAR(a b)",
        "a AND",
        "col:title",
        "*",
        "\"\"\"",
        "^x",
        "a OR OR b",
        "(((((",
        "x\" OR \"1",
        "%C0%AF",
        "%EF%BF%BF",
        "%F4%90%80%80",
        "../../etc/passwd",
        "<script>",
        "1e309",
        "-1",
        "99999999999999999999999",
        "%E2%80%AE",
        "\\x00",
    };
    static const char *const targets[] = {
        "/v1/articles",      "/v1/search", "/v1/quotes", "/v1/officials",
        "/v1/organizations", "/v1/themes", "/v1/facets", "/v1/timeline",
        "/v1/articles/",     "/v1/export/"};
    static const char *const params[] = {"q",
                                         "theme",
                                         "official",
                                         "organization",
                                         "source",
                                         "language",
                                         "from",
                                         "to",
                                         "limit",
                                         "cursor",
                                         "sort",
                                         "fields",
                                         "include",
                                         "count",
                                         "updated_since",
                                         "field",
                                         "interval",
                                         "of",
                                         "format",
                                         "highlight_start",
                                         "highlight_end",
                                         "extract"};

    for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
        for (size_t e = 0; e < sizeof(evil) / sizeof(evil[0]); e++) {
            char enc[256] = "", url[1024];
            struct http_result r;

            /* percent-encode what curl would not send raw, keep % escapes */
            for (const char *c = evil[e]; *c != '\0' && strlen(enc) < 200; c++)
                snprintf(enc + strlen(enc), sizeof(enc) - strlen(enc),
                         (*c >= 'a' && *c <= 'z') || *c == '%' ? "%c" : "%%%02X",
                         (unsigned char)*c);
            if (targets[t][strlen(targets[t]) - 1] == '/') {
                snprintf(url, sizeof(url), "%s%s", targets[t], enc);
                http_get(port, url, &r);
                ck_assert_msg(r.status < 500, "%s: %ld", url, r.status);
                http_result_release(&r);
                continue;
            }
            for (size_t p = 0; p < sizeof(params) / sizeof(params[0]); p++) {
                snprintf(url, sizeof(url), "%s?%s=%s&field=theme&q=x", targets[t],
                         params[p], enc);
                http_get(port, url, &r);
                ck_assert_msg(r.status < 500, "%s: %ld %s", url, r.status, r.body.data);
                if (r.status >= 400)
                    assert_problem(&r, r.status, NULL);
                http_result_release(&r);
            }
        }
    }
    /* and the data is as it was */
    struct http_result r;
    http_get(port, "/v1/articles?count=true&limit=1", &r);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "total")), 5);
    http_result_release(&r);
}
END_TEST

START_TEST(hostile_bodies)
{
    const char *h[] = {key, "Content-Type: application/json", NULL};
    struct http_result r;
    struct buf b;

    buf_init(&b);
    for (int i = 0; i < 10000; i++)
        buf_addc(&b, '[');
    for (int i = 0; i < 10000; i++)
        buf_addc(&b, ']');
    http_request(port, "POST", "/v1/articles", h, b.data, &r);
    assert_problem(&r, 400, NULL);
    http_result_release(&r);
    buf_reset(&b);
    buf_adds(&b, "{\"title\": \"x\", \"published\": \"2024-01-01\", \"body\": \"");
    for (int i = 0; i < 10 * 1024 * 1024; i++)
        buf_addc(&b, 'z');
    buf_adds(&b, "\"}");
    http_request(port, "POST", "/v1/articles", h, b.data, &r);
    assert_problem(&r, 413, NULL);
    http_result_release(&r);
    /* 10 MB in a streamed import: refused per record, not a crash */
    const char *nd[] = {key, "Content-Type: application/x-ndjson", NULL};
    buf_addc(&b, '\n');
    http_request(port, "POST", "/v1/import", nd, b.data, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_int_eq(json_integer_value(json_object_get(r.json, "failed")), 1);
    http_result_release(&r);
    buf_release(&b);
    /* JSON with NUL escapes and lone surrogates */
    http_request(port, "POST", "/v1/articles", h,
                 "{\"title\": \"a\\u0000b\", \"published\": \"2024-01-01\", \"body\": "
                 "\"\\ud800\"}",
                 &r);
    assert_problem(&r, 400, NULL);
    http_result_release(&r);
    /* a Content-Length larger than the body: the connection times out */
    struct buf answer;
    buf_init(&answer);
    char req[512];
    snprintf(req, sizeof(req),
             "POST /v1/articles HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: "
             "application/json\r\n"
             "Content-Length: 100\r\n\r\n{\"title\"",
             key);
    int status = raw(req, strlen(req), &answer);
    ck_assert_msg(status == 0 || (status >= 400 && status < 500), "%d", status);
    buf_release(&answer);
}
END_TEST

struct slow {
    int fds[100];
    int n;
};

static void *
trickle(void *p)
{
    struct slow *s = p;

    /* a byte a second on each connection, never finishing the headers,
     * for longer than the server's timeout (3 s) */
    for (int sec = 0; sec < 5; sec++) {
        for (int i = 0; i < s->n; i++)
            send(s->fds[i], "X", 1, MSG_NOSIGNAL);
        sleep(1);
    }
    return NULL;
}

START_TEST(slowloris_and_many_connections)
{
    struct slow s = {.n = 100};
    pthread_t t;

    for (int i = 0; i < s.n; i++) {
        s.fds[i] = connect_to();
        send(s.fds[i], "GET /v1/articles HTTP/1.1\r\nHost: x\r\n", 37, MSG_NOSIGNAL);
    }
    pthread_create(&t, NULL, trickle, &s);
    /* meanwhile, ordinary requests are answered */
    for (int i = 0; i < 20; i++) {
        struct http_result r;

        http_get(port, "/v1/articles?limit=2", &r);
        ck_assert_int_eq(r.status, 200);
        http_result_release(&r);
    }
    pthread_join(t, NULL);
    /* each was let go once the timeout passed without a whole request,
     * though it was never idle for that long */
    for (int i = 0; i < s.n; i++) {
        struct timeval tv = {2, 0};
        char tmp[256];
        ssize_t n;

        setsockopt(s.fds[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        n = recv(s.fds[i], tmp, sizeof(tmp), 0);
        ck_assert_msg(n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK),
                      "connection %d still open (%zd, %s)", i, n, strerror(errno));
        close(s.fds[i]);
    }
    /* 300 connections at once, each with a request */
    enum { N = 300 };
    static int fds[N];
    static const char get[] = "GET /v1/themes?limit=3 HTTP/1.1\r\nHost: x\r\n"
                              "Connection: close\r\n\r\n";
    for (int i = 0; i < N; i++) {
        fds[i] = connect_to();
        ck_assert_int_eq(send(fds[i], get, sizeof(get) - 1, MSG_NOSIGNAL),
                         (ssize_t)(sizeof(get) - 1));
    }
    int ok = 0;
    for (int i = 0; i < N; i++) {
        char tmp[8192];
        struct timeval tv = {20, 0};
        ssize_t n;

        setsockopt(fds[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        n = recv(fds[i], tmp, sizeof(tmp) - 1, 0);
        if (n > 12) {
            tmp[n] = '\0';
            ck_assert_msg(strncmp(tmp + 9, "200", 3) == 0, "%.40s", tmp);
            ok++;
        }
        close(fds[i]);
    }
    ck_assert_int_eq(ok, N);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("hostile");

    signal(SIGPIPE, SIG_IGN);
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, malformed_requests);
    tcase_add_test(tc, huge_headers_and_urls);
    tcase_add_test(tc, injection_in_every_parameter);
    tcase_add_test(tc, hostile_bodies);
    tcase_add_test(tc, slowloris_and_many_connections);
    suite_add_tcase(s, tc);
    return run_suites(&s, 1);
}
