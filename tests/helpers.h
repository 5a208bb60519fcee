/* helpers.h - what the tests share: temporary databases, a real server on
 * an ephemeral loopback port, and an HTTP client (libcurl). */
#ifndef GAZETTE_TEST_HELPERS_H
#define GAZETTE_TEST_HELPERS_H

#include <check.h>
#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "gazette/buf.h"
#include "gazette/http.h"
#include "gazette/store.h"

/* A new empty file name in the temporary folder (free() it); db_remove()
 * deletes the database and its -wal and -shm files. */
char *db_temp(void);
void db_remove(const char *path);

/* A path under the source tree's tests/fixtures/ (static buffer). */
const char *fixture(const char *name);

/* The shared corpus folder, or NULL when this checkout has none. */
const char *corpus_dir(void);

/* Imports files (NULL-terminated) into st, finding quotes and themes by
 * extraction when extract; fails the test on error.  Returns the number
 * of records that failed. */
long import_files(struct store *st, const char *const *files, bool extract);

/* A migrated database with the fixtures imported, served on 127.0.0.1. */
/* Registers the gazette FTS5 tokenizer (as the store does on its own
 * connections) with a database the test opened itself. */
struct sqlite3;
int tokenizer_register(struct sqlite3 *db);

struct fixture {
    char *db;
    struct store *st;
    struct server *srv;
    struct server_config cfg;
    unsigned port;
};

void fixture_start(struct fixture *fx, bool with_data);
void fixture_stop(struct fixture *fx);

struct http_result {
    long status;
    struct buf body;
    struct buf headers; /* raw header lines */
    json_t *json;       /* parsed body when it is JSON, else NULL */
};

/* Sends a request to 127.0.0.1:port.  headers is NULL-terminated (may be
 * NULL); body may be NULL.  Fails the test if the connection fails. */
void http_request(unsigned port, const char *method, const char *target,
                  const char *const *headers, const char *body, struct http_result *out);
void http_get(unsigned port, const char *target, struct http_result *out);
/* As http_request, but returns false instead of failing when the
 * connection fails (a server being killed). */
bool http_try(unsigned port, const char *method, const char *target,
              const char *const *headers, const char *body, struct http_result *out);
void http_result_release(struct http_result *r);

/* The value of a response header (case-insensitive name) in a static
 * buffer, or NULL. */
const char *http_header(const struct http_result *r, const char *name);
/* The gzip body of r inflated into out (initialized by the caller). */
void http_gunzip(const struct http_result *r, struct buf *out);

/* Checks that r is a problem+json response with this status whose detail
 * contains detail_part (if not NULL). */
void assert_problem(const struct http_result *r, long status, const char *detail_part);

/* Runs the gazette binary with args (NULL-terminated) and stdin_text (may
 * be NULL); collects its exit code, stdout and stderr. */
struct run_result {
    int code;
    struct buf out, err;
};
/* Stops the server pid (a child) with SIGTERM, waits for it, and reads
 * into err (made here) what it wrote to errfd, which is closed; returns its
 * wait status. */
int stop_server(pid_t pid, int errfd, struct buf *err);
void run_gazette(const char *const *args, const char *stdin_text, struct run_result *out);
/* run_gazette() with the program's stdout written to stdout_path (e.g.
 * /dev/full) instead of out->out. */
void run_gazette_to(const char *const *args, const char *stdin_text,
                    const char *stdout_path, struct run_result *out);
void run_result_release(struct run_result *r);

/* Runs the suites with TAP output; returns the exit code for main(). */
int run_suites(Suite *const *suites, size_t n);

#endif
