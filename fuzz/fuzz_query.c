/* fuzz_query.c - the request target and the list parameters: the input
 * (up to its first newline) is a GET request target such as
 * "/v1/articles?theme=digital-economy&limit=2&sort=-published".
 * req_parse_target() splits and decodes it; the route it names, if it is
 * one of the public reads, runs on a request built by hand (no
 * connection, so no headers) against the seeded in-memory store; the rows
 * are rendered in the format asked for; and when the answer has a next
 * page, its Link is followed.
 *
 * Invariants: a malformed target is a 4xx with a reason; decoded names and
 * values are UTF-8 without NUL; a handler answers OK or a 4xx, never a
 * 5xx (a store error would mean a parameter reached SQL unchecked); a list
 * has "data" and "next_cursor"; NDJSON rows read back as the rows; and the
 * Link to the next page is a target that parses and answers OK. */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "gazette/render.h"
#include "gazette/router.h"
#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "harness.h"
#include "internal.h"

/* The public reads, and whether each answers with the list envelope. */
static const struct {
    handler_fn *handler;
    bool list;
} public_reads[] = {
    {api_index, false},
    {api_articles_list, true},
    {api_articles_get, false},
    {api_themes_list, true},
    {api_themes_get, false},
    {api_officials_list, true},
    {api_officials_get, false},
    {api_official_quotes, true},
    {api_organizations_list, true},
    {api_organizations_get, false},
    {api_quotes_list, true},
    {api_search, true},
    {api_facets, false},
    {api_timeline, false},
    {api_export, false},
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    harness_store();
    return 0;
}

static struct req *
req_new(const char *target, size_t len)
{
    struct req *rq = xcalloc(1, sizeof(*rq));

    rq->method = M_GET;
    rq->method_name = "GET";
    rq->target = xstrndup(target, len);
    rq->store = harness_store();
    buf_init(&rq->body);
    strcpy(rq->request_id, "fuzz");
    return rq;
}

/* The index of r in public_reads, or -1. */
static int
public_read(const struct route *r)
{
    for (size_t i = 0; i < sizeof(public_reads) / sizeof(public_reads[0]); i++)
        if (r->handler == public_reads[i].handler && r->scope == NULL)
            return (int)i;
    return -1;
}

static void
check_params(const struct req *rq)
{
    HARNESS_CHECK(rq->path != NULL && rq->path[0] == '/', "the path starts with /");
    HARNESS_CHECK(rq->nparams <= REQ_MAX_PARAMS, "too many parameters kept");
    for (size_t i = 0; i < rq->nparams; i++) {
        const char *n = rq->params[i].name, *v = rq->params[i].value;

        HARNESS_CHECK(utf8_valid(n, strlen(n)) && utf8_valid(v, strlen(v)),
                      "a parameter is not UTF-8");
    }
}

/* The rows as the client would get them in the format it asked for. */
static void
render(const struct resp *rs)
{
    json_t *data = json_object_get(rs->body, "data"), *row;
    struct buf out;
    size_t i;

    if (rs->format == OUT_JSON || !json_is_array(data))
        return;
    buf_init(&out);
    if (rs->format == OUT_CSV && rs->columns != NULL)
        render_csv_header(&out, rs->columns);
    json_array_foreach (data, i, row) {
        size_t at = out.len;

        render_row(&out, row, rs->format, rs->columns);
        if (rs->format == OUT_NDJSON) {
            json_t *back = json_loadb(out.data + at, out.len - at, 0, NULL);

            HARNESS_CHECK(json_equal(back, row), "an NDJSON row does not read back");
            json_decref(back);
        }
    }
    HARNESS_CHECK(utf8_valid(out.data, out.len), "rendered rows are not UTF-8");
    buf_release(&out);
}

/* The streamed rows of an export, as far as a few of them. */
static void
drain(struct resp *rs)
{
    for (int n = 0; n < 20; n++) {
        struct err_info ei = {0};
        json_t *row = rs->stream.next(rs->stream.ctx, &ei);

        HARNESS_CHECK(ei.code == ERR_OK, "an export row failed: %s", ei.detail);
        if (row == NULL)
            break;
        json_decref(row);
    }
}

/* The target of the Link header's next page, or NULL. */
static char *
next_target(const struct resp *rs)
{
    for (size_t i = 0; i < rs->nheaders; i++) {
        const char *v = rs->headers[i].value, *end;

        if (strcmp(rs->headers[i].name, "Link") != 0)
            continue;
        end = strstr(v, ">; rel=\"next\"");
        HARNESS_CHECK(v[0] == '<' && end != NULL, "Link \"%s\"", v);
        return xstrndup(v + 1, (size_t)(end - v - 1));
    }
    return NULL;
}

/* Runs one request; depth > 0 for a followed Link, which must succeed. */
static void
run(const char *target, size_t len, int depth)
{
    struct req *rq = req_new(target, len);
    struct resp rs = {.status = 200};
    const struct route *route;
    unsigned allow;
    int read;
    enum err rc;
    char *next;

    req_parse_target(rq);
    HARNESS_CHECK(depth == 0 || rq->ei.code == ERR_OK, "the next Link %s is refused: %s",
                  rq->target, rq->ei.detail);
    if (rq->ei.code != ERR_OK) {
        HARNESS_CHECK(harness_client_error(rq->ei.code) && rq->ei.detail[0] != '\0',
                      "a bad target gets a 4xx with a reason");
        goto out;
    }
    check_params(rq);
    if (router_match(rq, &route, &allow) != ERR_OK || (read = public_read(route)) < 0)
        goto out;
    rc = route->handler(rq, &rs);
    HARNESS_CHECK(rc == ERR_OK || harness_client_error(rc), "%s answers %u: %s",
                  rq->target, err_http_status(rc), rq->ei.detail);
    HARNESS_CHECK(depth == 0 || rc == ERR_OK, "the next page %s fails: %s", rq->target,
                  rq->ei.detail);
    if (rc != ERR_OK) {
        HARNESS_CHECK(rq->ei.detail[0] != '\0', "an error without a reason");
        goto out;
    }
    if (rs.stream.next != NULL)
        drain(&rs);
    if (public_reads[read].list)
        HARNESS_CHECK(json_is_array(json_object_get(rs.body, "data")) &&
                          json_object_get(rs.body, "next_cursor") != NULL,
                      "a list has data and next_cursor");
    render(&rs);
    next = next_target(&rs);
    if (next != NULL && depth < 3)
        run(next, strlen(next), depth + 1);
    free(next);
out:
    resp_release(&rs);
    req_free(rq);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size);

    run((const char *)data, nl != NULL ? (size_t)(nl - (const char *)data) : size, 0);
    return 0;
}
