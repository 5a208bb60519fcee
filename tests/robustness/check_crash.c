/* check_crash.c - crash safety: the server killed (SIGKILL) while it
 * writes, an import killed while it runs, at random moments, again and
 * again; then the database must pass SQLite's integrity check, hold every
 * article wholly or not at all, still have everything that was
 * acknowledged, and serve again.  And a full disk: a 507 (or 503) for the
 * write that does not fit, and nothing committed lost. */
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gazette/auth.h"
#include "helpers.h"

#define ROUNDS 12 /* server kills; as many import kills again */

static char *db;
static char key[128];

/* Every article the tests write has 3 quotes and 2 themes, and its
 * title says which round and number it is. */
static void
article_json(struct buf *b, const char *tag, int n)
{
    buf_addf(
        b,
        "{\"title\": \"Crash %s %d\", \"published\": \"2024-03-%02d\", \"body\": "
        "\"Report %s %d on the harbour. %0400d\", \"themes\": [\"transport\", "
        "\"trade\"], \"quotes\": [{\"text\": \"one\", \"official\": \"Ada Quist\"}, "
        "{\"text\": \"two\", \"official\": \"Bram Oyelaran %d\"}, {\"text\": \"three\", "
        "\"official\": \"Cleo Vance\"}]}",
        tag, n, 1 + n % 28, tag, n, n, n % 7);
}

static void
setup(void)
{
    struct err_info ei = {0};
    struct store *st;
    json_t *info;
    char *k;

    db = db_temp();
    ck_assert_int_eq(store_open(db, STORE_READ_WRITE, &st, &ei), ERR_OK);
    ck_assert_int_eq(store_migrate(st, 0, NULL, &ei), ERR_OK);
    ck_assert_int_eq(auth_key_create(st, "crash", "write", &k, &info, &ei), ERR_OK);
    snprintf(key, sizeof(key), "Authorization: Bearer %s", k);
    free(k);
    json_decref(info);
    store_close(st);
}

static void
teardown(void)
{
    db_remove(db);
    free(db);
}

static pid_t
spawn(const char *const *args, int *errfd)
{
    const char *bin = getenv("GAZETTE_BIN");
    const char *argv[32];
    size_t n = 0;
    int fds[2];
    pid_t pid;

    argv[n++] = bin;
    for (size_t i = 0; args[i] != NULL && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    ck_assert_int_eq(pipe(fds), 0);
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fds[1], 2);
        close(fds[0]);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(fds[1]);
    *errfd = fds[0];
    return pid;
}

/* Starts the server on path; waits until it listens; returns its port. */
static pid_t
serve(const char *path, unsigned *port, int *errfd)
{
    struct buf err;
    char tmp[512];
    const char *at;
    pid_t pid = spawn((const char *const[]){"serve", "--db", path, "--listen",
                                            "127.0.0.1:0", "--no-access-log", NULL},
                      errfd);

    buf_init(&err);
    while ((at = strstr(err.data, "url=http://127.0.0.1:")) == NULL ||
           strchr(at, '/') == NULL || strchr(at + 21, '/') == NULL) {
        ssize_t n = read(*errfd, tmp, sizeof(tmp));

        ck_assert_msg(n > 0, "server ended: %s", err.data);
        buf_add(&err, tmp, (size_t)n);
    }
    *port = (unsigned)strtoul(at + strlen("url=http://127.0.0.1:"), NULL, 10);
    buf_release(&err);
    return pid;
}

static void
reap(pid_t pid, int errfd, bool killed)
{
    int status;

    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    if (killed)
        ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    else
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %d", status);
    close(errfd);
}

/* The invariants: integrity, every article whole, acknowledged ones there. */
static void
check_database(const char *path, const int *acked, int nacked)
{
    sqlite3 *h;
    sqlite3_stmt *st;

    ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL),
                     SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    /* the full-text indexes agree with what they index */
    ck_assert_int_eq(tokenizer_register(h), SQLITE_OK);
    ck_assert_msg(sqlite3_exec(h,
                               "INSERT INTO articles_fts (articles_fts, rank)"
                               " VALUES ('integrity-check', 1);"
                               "INSERT INTO quotes_fts (quotes_fts, rank)"
                               " VALUES ('integrity-check', 1)",
                               NULL, NULL, NULL) == SQLITE_OK,
                  "full-text index: %s", sqlite3_errmsg(h));
    /* an article is there with its 3 quotes, its 2 themes and its body,
     * or not at all */
    ck_assert_int_eq(
        sqlite3_prepare_v2(h,
                           "SELECT a.id, a.title,"
                           " (SELECT count(*) FROM quotes WHERE article_id = a.id),"
                           " (SELECT count(*) FROM article_themes"
                           "  WHERE article_id = a.id),"
                           " (SELECT count(*) FROM article_bodies"
                           "  WHERE article_id = a.id)"
                           " FROM articles a WHERE a.title LIKE 'Crash %'",
                           -1, &st, NULL),
        SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW)
        ck_assert_msg(sqlite3_column_int(st, 2) == 3 && sqlite3_column_int(st, 3) == 2 &&
                          sqlite3_column_int(st, 4) == 1,
                      "article %s is half-written", sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    for (int i = 0; i < nacked; i++) {
        ck_assert_int_eq(sqlite3_prepare_v2(h,
                                            "SELECT count(*) FROM articles WHERE id = ?1",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_int(st, 1, acked[i]);
        ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
        ck_assert_msg(sqlite3_column_int(st, 0) == 1, "acknowledged article %d is lost",
                      acked[i]);
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
}

struct writer {
    unsigned port;
    int round;
    volatile bool stop;
    int acked[4096];
    int nacked;
};

static void *
write_loop(void *p)
{
    struct writer *w = p;
    char tag[32];

    snprintf(tag, sizeof(tag), "r%d", w->round);
    for (int n = 0; !w->stop && w->nacked < 4096; n++) {
        const char *h[] = {key, "Content-Type: application/json", NULL};
        struct http_result r;
        struct buf b;

        buf_init(&b);
        article_json(&b, tag, n);
        if (!http_try(w->port, "POST", "/v1/articles", h, b.data, &r)) {
            buf_release(&b);
            break; /* the server is gone */
        }
        if (r.status == 201)
            w->acked[w->nacked++] =
                (int)json_integer_value(json_object_get(r.json, "id"));
        http_result_release(&r);
        buf_release(&b);
    }
    return NULL;
}

START_TEST(server_killed_while_writing)
{
    static int acked[ROUNDS * 4096];
    int nacked = 0;

    srand((unsigned)time(NULL));
    for (int round = 0; round < ROUNDS; round++) {
        struct writer w = {.round = round};
        pthread_t t;
        unsigned port;
        int errfd;
        pid_t pid = serve(db, &port, &errfd);

        w.port = port;
        ck_assert_int_eq(pthread_create(&t, NULL, write_loop, &w), 0);
        usleep((useconds_t)(50000 + rand() % 350000));
        kill(pid, SIGKILL);
        pthread_join(t, NULL);
        reap(pid, errfd, true);
        memcpy(acked + nacked, w.acked, (size_t)w.nacked * sizeof(int));
        nacked += w.nacked;
        check_database(db, acked, nacked);
    }
    ck_assert_int_gt(nacked, ROUNDS); /* the kills came while it wrote */
    /* it starts again and serves what it acknowledged */
    unsigned port;
    int errfd;
    struct http_result r;
    char target[64];
    pid_t pid = serve(db, &port, &errfd);

    http_get(port, "/readyz", &r);
    ck_assert_int_eq(r.status, 200);
    http_result_release(&r);
    snprintf(target, sizeof(target), "/v1/articles/%d", acked[nacked - 1]);
    http_get(port, target, &r);
    ck_assert_int_eq(r.status, 200);
    ck_assert_uint_eq(json_array_size(json_object_get(r.json, "quotes")), 3);
    http_result_release(&r);
    kill(pid, SIGTERM);
    reap(pid, errfd, false);
}
END_TEST

START_TEST(import_killed_while_running)
{
    char *file = db_temp();
    FILE *f = fopen(file, "w");
    struct buf b;
    const int total = 3000;

    buf_init(&b);
    for (int n = 0; n < total; n++) {
        buf_reset(&b);
        article_json(&b, "import", n);
        fprintf(f, "%s\n", b.data);
    }
    buf_release(&b);
    fclose(f);
    srand((unsigned)time(NULL) + 1);
    for (int round = 0; round < ROUNDS; round++) {
        int errfd;
        pid_t pid =
            spawn((const char *const[]){"import", "--db", db, "--format", "ndjson",
                                        "--quiet", "--chunk", "100", file, NULL},
                  &errfd);

        usleep((useconds_t)(20000 + rand() % 400000));
        kill(pid, SIGKILL);
        int status;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        close(errfd);
        check_database(db, NULL, 0);
    }
    /* run to the end: everything lands, once */
    struct run_result r;
    run_gazette((const char *const[]){"import", "--db", db, "--quiet", file, NULL}, NULL,
                &r);
    ck_assert_msg(r.code == 0, "%s", r.err.data);
    run_result_release(&r);
    check_database(db, NULL, 0);
    sqlite3 *h;
    sqlite3_stmt *st;
    ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_prepare_v2(h,
                       "SELECT count(*) FROM articles WHERE title LIKE 'Crash import %'",
                       -1, &st, NULL);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    ck_assert_int_eq(sqlite3_column_int(st, 0), total);
    sqlite3_finalize(st);
    sqlite3_close(h);
    unlink(file);
    free(file);
}
END_TEST

/* Mounts a 3 MB file system at dir (a template for mkdtemp); false, with
 * a note, where that takes privileges the test does not have. */
static bool
small_disk(char *dir)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
    if (mount("tmpfs", dir, "tmpfs", 0, "size=3m") != 0) {
        rmdir(dir);
        printf("# SKIP full disk: cannot mount a small tmpfs here (needs root)\n");
        return false;
    }
    return true;
}

static int
count_titled(const char *file, const char *like)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    int n;

    ck_assert_int_eq(sqlite3_open(file, &h), SQLITE_OK);
    sqlite3_prepare_v2(h, "SELECT count(*) FROM articles WHERE title LIKE ?1", -1, &st,
                       NULL);
    sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
    n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

START_TEST(import_on_a_full_disk)
{
    char dir[] = "/tmp/gazette-full-XXXXXX", path[64];
    struct run_result run;
    struct buf in;
    long inserted = -1, lost = 0;
    const char *at;

    if (!small_disk(dir))
        return;
    snprintf(path, sizeof(path), "%s/db", dir);
    buf_init(&in);
    for (int n = 0; n < 200; n++)
        buf_addf(&in,
                 "{\"title\": \"Bulk %d\", \"published\": \"2024-01-01\", \"body\": "
                 "\"%030000d\"}\n",
                 n, n);
    run_gazette((const char *const[]){"import", "--db", path, "--chunk", "7",
                                      "--no-extract", "-", NULL},
                in.data, &run);
    ck_assert_int_eq(run.code, 1);
    ck_assert_msg(strstr(run.err.data, "disk is full") != NULL, "%s", run.err.data);
    at = strstr(run.err.data, "import: ");
    while (at != NULL && sscanf(at, "import: %ld inserted", &inserted) != 1)
        at = strstr(at + 1, "import: ");
    ck_assert_int_ge(inserted, 7);
    if ((at = strstr(run.err.data, "the last ")) != NULL)
        lost = strtol(at + strlen("the last "), NULL, 10);
    /* what the summary counts as kept is what the database holds */
    ck_assert_msg(count_titled(path, "Bulk %") == inserted - lost, "%d stored: %s",
                  count_titled(path, "Bulk %"), run.err.data);
    check_database(path, NULL, 0);
    run_result_release(&run);
    buf_release(&in);
    umount(dir);
    rmdir(dir);
}
END_TEST

START_TEST(full_disk)
{
    char dir[] = "/tmp/gazette-full-XXXXXX", path[64];
    int acked[512], nacked = 0, refused = 0;
    struct http_result r;
    unsigned port;
    int errfd;
    pid_t pid;

    if (!small_disk(dir))
        return;
    snprintf(path, sizeof(path), "%s/db", dir);
    /* a database in the small file system, with the key of the fixture */
    struct run_result run;
    run_gazette((const char *const[]){"migrate", "--db", path, NULL}, NULL, &run);
    run_result_release(&run);
    {
        struct err_info ei = {0};
        struct store *st;
        json_t *info;
        char *k;

        ck_assert_int_eq(store_open(path, STORE_READ_WRITE, &st, &ei), ERR_OK);
        ck_assert_int_eq(auth_key_create(st, "full", "write", &k, &info, &ei), ERR_OK);
        snprintf(key, sizeof(key), "Authorization: Bearer %s", k);
        free(k);
        json_decref(info);
        store_close(st);
    }
    pid = serve(path, &port, &errfd);
    for (int n = 0; n < 500 && refused < 3; n++) {
        const char *h[] = {key, "Content-Type: application/json", NULL};
        struct buf b;

        buf_init(&b);
        buf_addf(&b,
                 "{\"title\": \"Full %d\", \"published\": \"2024-01-01\", \"body\": "
                 "\"%060000d\"}",
                 n, n);
        http_request(port, "POST", "/v1/articles?extract=false", h, b.data, &r);
        buf_release(&b);
        if (r.status == 201) {
            acked[nacked++] = (int)json_integer_value(json_object_get(r.json, "id"));
        } else {
            ck_assert_msg(r.status == 507 || r.status == 503, "status %ld: %s", r.status,
                          r.body.data);
            assert_problem(&r, r.status, NULL);
            refused++;
        }
        http_result_release(&r);
    }
    ck_assert_int_gt(refused, 0);
    ck_assert_int_gt(nacked, 0);
    /* reads go on, and everything acknowledged is there */
    for (int i = 0; i < nacked; i++) {
        char target[64];

        snprintf(target, sizeof(target), "/v1/articles/%d?fields=id", acked[i]);
        http_get(port, target, &r);
        ck_assert_int_eq(r.status, 200);
        http_result_release(&r);
    }
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    close(errfd);
    check_database(path, acked, nacked);
    umount(dir);
    rmdir(dir);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("crash");
    TCase *tc = tcase_create("crash");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, server_killed_while_writing);
    tcase_add_test(tc, import_killed_while_running);
    tcase_add_test(tc, full_disk);
    tcase_add_test(tc, import_on_a_full_disk);
    suite_add_tcase(s, tc);
    return run_suites(&s, 1);
}
