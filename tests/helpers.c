/* helpers.c - shared test code: databases, servers, HTTP, the binary. */
#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gazette/enrich.h"
#include "gazette/ingest.h"
#include "gazette/log.h"
#include "gazette/xalloc.h"
#include <zlib.h>

#include "helpers.h"

char *
db_temp(void)
{
    const char *dir = getenv("TMPDIR");
    char *path;
    int fd;

    if (dir == NULL || *dir == '\0')
        dir = "/tmp";
    path = xmalloc(strlen(dir) + 32);
    sprintf(path, "%s/gazette-test-XXXXXX", dir);
    fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    return path;
}

void
db_remove(const char *path)
{
    char other[4096];

    if (path == NULL)
        return;
    unlink(path);
    snprintf(other, sizeof(other), "%s-wal", path);
    unlink(other);
    snprintf(other, sizeof(other), "%s-shm", path);
    unlink(other);
}

const char *
fixture(const char *name)
{
    static char path[4096];
    const char *root = getenv("GAZETTE_SOURCE_ROOT");

    snprintf(path, sizeof(path), "%s/tests/fixtures/%s", root != NULL ? root : ".", name);
    return path;
}

const char *
corpus_dir(void)
{
    const char *dir = getenv("GAZETTE_CORPUS");
    struct stat sb;

    if (dir == NULL || stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return NULL;
    return dir;
}

static enum err
enrich(void *ctx, json_t *article, struct err_info *ei)
{
    return enricher_apply(ctx, article, ei);
}

long
import_files(struct store *st, const char *const *files, bool extract)
{
    struct err_info ei = {0};
    struct importer im = {0};

    if (extract) {
        im.ctx = enricher_new(st, &ei);
        ck_assert_msg(im.ctx != NULL, "%s", ei.detail);
        im.enrich = enrich;
    }
    ck_assert_int_eq(store_batch_begin(st, 100, &im.batch, &ei), ERR_OK);
    for (size_t i = 0; files[i] != NULL; i++) {
        FILE *f = fopen(files[i], "r");
        struct ingest_reader *r;

        ck_assert_msg(f != NULL, "cannot open %s", files[i]);
        r = ingest_reader_new(f, files[i], FMT_AUTO);
        ck_assert_int_eq(import_reader(&im, r, files[i], &ei), ERR_OK);
        ingest_reader_free(r);
        fclose(f);
    }
    ck_assert_int_eq(store_batch_end(im.batch, &ei), ERR_OK);
    enricher_free(im.ctx);
    return im.stats.failed;
}

/* browsers from this origin may use the test servers */
static const char *const test_origins[] = {"http://app.example"};

void
fixture_start(struct fixture *fx, bool with_data)
{
    struct err_info ei = {0};

    memset(fx, 0, sizeof(*fx));
    fx->db = db_temp();
    ck_assert_int_eq(store_open(fx->db, STORE_READ_WRITE, &fx->st, &ei), ERR_OK);
    ck_assert_msg(store_migrate(fx->st, 0, NULL, &ei) == ERR_OK, "migrate: %s",
                  ei.detail);
    if (with_data) {
        char a[4096], b[4096], c[4096];
        const char *files[4];

        snprintf(a, sizeof(a), "%s", fixture("articles.ndjson"));
        snprintf(b, sizeof(b), "%s", fixture("raw/lighthouse.txt"));
        snprintf(c, sizeof(c), "%s", fixture("raw/two.txt"));
        files[0] = a;
        files[1] = b;
        files[2] = c;
        files[3] = NULL;
        ck_assert_int_eq(import_files(fx->st, files, false), 0);
    }
    server_config_init(&fx->cfg);
    fx->cfg.port = 0;
    fx->cfg.threads = 2;
    fx->cfg.access_log = false;
    fx->cfg.cors_origins = test_origins;
    fx->cfg.ncors = 1;
    ck_assert_msg(server_start(&fx->cfg, fx->st, &fx->srv, &ei) == ERR_OK, "server: %s",
                  ei.detail);
    fx->port = server_port(fx->srv);
    ck_assert_uint_gt(fx->port, 0);
}

void
fixture_stop(struct fixture *fx)
{
    server_stop(fx->srv, 1000);
    store_close(fx->st);
    db_remove(fx->db);
    free(fx->db);
    memset(fx, 0, sizeof(*fx));
}

static size_t
on_data(char *p, size_t size, size_t n, void *ud)
{
    buf_add(ud, p, size * n);
    return size * n;
}

static CURLcode perform(unsigned port, const char *method, const char *target,
                        const char *const *headers, const char *body,
                        struct http_result *out);

void
http_request(unsigned port, const char *method, const char *target,
             const char *const *headers, const char *body, struct http_result *out)
{
    CURLcode rc = perform(port, method, target, headers, body, out);

    ck_assert_msg(rc == CURLE_OK, "%s %s: %s", method, target, curl_easy_strerror(rc));
}

bool
http_try(unsigned port, const char *method, const char *target,
         const char *const *headers, const char *body, struct http_result *out)
{
    if (perform(port, method, target, headers, body, out) == CURLE_OK)
        return true;
    http_result_release(out);
    return false;
}

static CURLcode
perform(unsigned port, const char *method, const char *target, const char *const *headers,
        const char *body, struct http_result *out)
{
    struct curl_slist *hl = NULL;
    char url[16384];
    CURLcode rc;
    CURL *c = curl_easy_init();

    memset(out, 0, sizeof(*out));
    buf_init(&out->body);
    buf_init(&out->headers);
    ck_assert_ptr_nonnull(c);
    /* a target that is not a path (OPTIONS *) is sent as it is */
    snprintf(url, sizeof(url), "http://127.0.0.1:%u%s", port,
             target[0] == '/' ? target : "/");
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (target[0] != '/')
        curl_easy_setopt(c, CURLOPT_REQUEST_TARGET, target);
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out->body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &out->headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    if (getenv("GAZETTE_TEST_RATE") != NULL) /* a slow reader, for drain tests */
        curl_easy_setopt(c, CURLOPT_MAX_RECV_SPEED_LARGE,
                         (curl_off_t)strtol(getenv("GAZETTE_TEST_RATE"), NULL, 10));
    for (size_t i = 0; headers != NULL && headers[i] != NULL; i++)
        hl = curl_slist_append(hl, headers[i]);
    if (body != NULL) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    if (rc == CURLE_OK && out->body.len > 0)
        out->json = json_loadb(out->body.data, out->body.len, 0, NULL);
    return rc;
}

void
http_get(unsigned port, const char *target, struct http_result *out)
{
    http_request(port, "GET", target, NULL, NULL, out);
}

void
http_result_release(struct http_result *r)
{
    json_decref(r->json);
    buf_release(&r->body);
    buf_release(&r->headers);
}

const char *
http_header(const struct http_result *r, const char *name)
{
    static char value[8192];
    const char *line = r->headers.data;
    size_t n = strlen(name);

    while (line != NULL && *line != '\0') {
        const char *end = strstr(line, "\r\n");
        size_t len = end != NULL ? (size_t)(end - line) : strlen(line);

        if (len > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;

            while (*v == ' ')
                v++;
            len -= (size_t)(v - line);
            if (len >= sizeof(value))
                len = sizeof(value) - 1;
            memcpy(value, v, len);
            value[len] = '\0';
            return value;
        }
        line = end != NULL ? end + 2 : NULL;
    }
    return NULL;
}

void
assert_problem(const struct http_result *r, long status, const char *detail_part)
{
    const char *ctype = http_header(r, "Content-Type");
    const char *detail;

    ck_assert_msg(r->status == status, "status %ld, expected %ld: %s", r->status, status,
                  r->body.data);
    ck_assert_ptr_nonnull(ctype);
    ck_assert_str_eq(ctype, "application/problem+json");
    ck_assert_ptr_nonnull(r->json);
    ck_assert_int_eq(json_integer_value(json_object_get(r->json, "status")), status);
    ck_assert_str_eq(json_string_value(json_object_get(r->json, "type")), "about:blank");
    ck_assert_ptr_nonnull(json_string_value(json_object_get(r->json, "title")));
    detail = json_string_value(json_object_get(r->json, "detail"));
    ck_assert_ptr_nonnull(detail);
    if (detail_part != NULL)
        ck_assert_msg(strstr(detail, detail_part) != NULL, "detail \"%s\" lacks \"%s\"",
                      detail, detail_part);
}

static void
drain(int fd, struct buf *b)
{
    char tmp[4096];
    ssize_t n;

    while ((n = read(fd, tmp, sizeof(tmp))) > 0)
        buf_add(b, tmp, (size_t)n);
}

int
stop_server(pid_t pid, int errfd, struct buf *err)
{
    int status;

    ck_assert_int_eq(kill(pid, SIGTERM), 0);
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    buf_init(err);
    drain(errfd, err);
    close(errfd);
    return status;
}

void
run_gazette(const char *const *args, const char *stdin_text, struct run_result *out)
{
    run_gazette_to(args, stdin_text, NULL, out);
}

void
run_gazette_to(const char *const *args, const char *stdin_text, const char *stdout_path,
               struct run_result *out)
{
    const char *bin = getenv("GAZETTE_BIN");
    char *outp = db_temp(), *errp = db_temp(), *inp = db_temp();
    const char *argv[64];
    size_t n = 0;
    pid_t pid;
    int status, fd;

    ck_assert_ptr_nonnull(bin);
    memset(out, 0, sizeof(*out));
    buf_init(&out->out);
    buf_init(&out->err);
    fd = open(inp, O_WRONLY | O_TRUNC);
    if (stdin_text != NULL)
        ck_assert_int_eq(write(fd, stdin_text, strlen(stdin_text)),
                         (ssize_t)strlen(stdin_text));
    close(fd);
    argv[n++] = bin;
    for (size_t i = 0; args[i] != NULL && n < 63; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int in = open(inp, O_RDONLY),
            o = open(stdout_path != NULL ? stdout_path : outp, O_WRONLY | O_TRUNC),
            e = open(errp, O_WRONLY | O_TRUNC);

        dup2(in, 0);
        dup2(o, 1);
        dup2(e, 2);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    out->code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    fd = open(outp, O_RDONLY);
    drain(fd, &out->out);
    close(fd);
    fd = open(errp, O_RDONLY);
    drain(fd, &out->err);
    close(fd);
    unlink(outp);
    unlink(errp);
    unlink(inp);
    free(outp);
    free(errp);
    free(inp);
}

void
run_result_release(struct run_result *r)
{
    buf_release(&r->out);
    buf_release(&r->err);
}

int
run_suites(Suite *const *suites, size_t n)
{
    SRunner *sr = srunner_create(suites[0]);
    int failed;

    log_threshold = LL_WARN; /* the tests' own output, not the info lines */
    for (size_t i = 1; i < n; i++)
        srunner_add_suite(sr, suites[i]);
    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    failed = srunner_ntests_failed(sr);
    /* Check's own summary, as a TAP comment so that the log shows it */
    int errors = 0;
    TestResult **res = srunner_failures(sr);
    for (int i = 0; i < failed; i++)
        if (tr_rtype(res[i]) == CK_ERROR)
            errors++;
    free(res);
    /* on stderr too, which the runner shows, and in Check's own words */
    printf("# Checks: %d, Failures: %d, Errors: %d\n", srunner_ntests_run(sr),
           failed - errors, errors);
    fprintf(stderr, "%d%%: Checks: %d, Failures: %d, Errors: %d\n",
            srunner_ntests_run(sr)
                ? 100 * (srunner_ntests_run(sr) - failed) / srunner_ntests_run(sr)
                : 100,
            srunner_ntests_run(sr), failed - errors, errors);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}

void
http_gunzip(const struct http_result *r, struct buf *out)
{
    z_stream z = {0};
    char chunk[16384];
    int rc;

    ck_assert_int_eq(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = (Bytef *)r->body.data;
    z.avail_in = (uInt)r->body.len;
    do {
        z.next_out = (Bytef *)chunk;
        z.avail_out = sizeof(chunk);
        rc = inflate(&z, Z_NO_FLUSH);
        ck_assert_msg(rc == Z_OK || rc == Z_STREAM_END, "not gzip: %d", rc);
        buf_add(out, chunk, sizeof(chunk) - z.avail_out);
    } while (rc != Z_STREAM_END);
    inflateEnd(&z);
}
