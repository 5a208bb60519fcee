/* import.c - POST /v1/import: NDJSON, raw text or a JSON array of
 * articles, imported record by record as the body arrives.  Each piece of
 * the body is written in its own transaction (the writer is not held while
 * the client sends), each article wholly or not at all.  The answer counts
 * the outcomes and lists each record's. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common.h"
#include "gazette/enrich.h"
#include "gazette/ingest.h"
#include "gazette/xalloc.h"

/* Records listed one by one in the answer; beyond, only counted. */
#define MAX_RESULTS 10000

struct session {
    struct store *st;
    struct enricher *enricher; /* NULL with extract=false */
    struct ingest_push *push;
    struct importer im;
    json_t *results;
    bool extract;
    bool truncated;
    size_t bytes;
};

static const char *const outcome_names[] = {"inserted", "updated", "unchanged"};

static void
report(void *ctx, const char *name, long line, const struct err_info *ei,
       enum put_outcome outcome, int64_t id)
{
    struct session *s = ctx;
    json_t *r;

    (void)name;
    if (json_array_size(s->results) >= MAX_RESULTS) {
        s->truncated = true;
        return;
    }
    /* which record: its line, and its place in the body (all of an
     * array's may be on one line) */
    r = json_pack("{s:I, s:i}", "record", (json_int_t)json_array_size(s->results) + 1,
                  "line", (int)line);
    if (ei->code == ERR_OK) {
        json_object_set_new(r, "status", json_string(outcome_names[outcome]));
        json_object_set_new(r, "id", json_integer(id));
    } else {
        json_object_set_new(r, "status", json_string("failed"));
        json_object_set_new(r, "error", json_string(ei->detail));
        if (ei->nfields > 0) {
            json_t *errors = json_array();

            for (size_t i = 0; i < ei->nfields; i++)
                json_array_append_new(errors, json_pack("{s:s, s:s}", "field",
                                                        ei->fields[i].field, "message",
                                                        ei->fields[i].message));
            json_object_set_new(r, "errors", errors);
        }
    }
    json_array_append_new(s->results, r);
}

static enum err
enrich(void *ctx, json_t *article, struct err_info *ei)
{
    struct session *s = ctx;

    return s->enricher != NULL ? enricher_apply(s->enricher, article, ei) : ERR_OK;
}

/* Runs step on the session's push parser inside a batch. */
static enum err
in_batch(struct session *s, const char *data, size_t len, bool end, struct err_info *ei)
{
    if (store_batch_begin(s->st, 500, &s->im.batch, ei) != ERR_OK)
        return ei->code;
    if (end)
        ingest_push_end(s->push, &s->im, ei);
    else
        ingest_push_feed(s->push, data, len, &s->im, ei);
    store_batch_end(s->im.batch, ei);
    s->im.batch = NULL;
    return ei->code;
}

static enum err
feed(void *ctx, const char *data, size_t len, struct err_info *ei)
{
    struct session *s = ctx;

    s->bytes += len;
    return in_batch(s, data, len, false, ei);
}

static void
session_free(void *ctx)
{
    struct session *s = ctx;

    ingest_push_free(s->push);
    enricher_free(s->enricher);
    json_decref(s->results);
    free(s);
}

/* The outcomes so far: the answer, or what landed before an error (a
 * body over --max-import) stopped the import. */
static json_t *
summary(void *ctx)
{
    struct session *s = ctx;
    const struct import_stats *st = &s->im.stats;
    json_t *out = json_pack("{s:I, s:I, s:I, s:I, s:O}", "inserted",
                            (json_int_t)st->inserted, "updated", (json_int_t)st->updated,
                            "unchanged", (json_int_t)st->unchanged, "failed",
                            (json_int_t)st->failed, "results", s->results);

    if (s->truncated)
        json_object_set_new(out, "results_truncated", json_true());
    return out;
}

enum err
api_import_prepare(struct req *rq)
{
    const char *ct = req_header(rq, "Content-Type");
    enum ingest_format fmt = FMT_NDJSON;
    struct session *s;

    api_check_names(rq, (const char *const[]){"extract", NULL}, 0);
    if (ct != NULL && strncasecmp(ct, "text/plain", 10) == 0)
        fmt = FMT_TEXT;
    else if (ct != NULL && strncasecmp(ct, "application/json", 16) == 0)
        fmt = FMT_JSON;
    s = xcalloc(1, sizeof(*s));
    s->st = rq->store;
    s->extract = api_flag(rq, "extract", true);
    if (s->extract && rq->ei.code == ERR_OK)
        s->enricher = enricher_new(rq->store, &rq->ei);
    s->push = ingest_push_new(fmt, "body");
    s->results = json_array();
    s->im.report = report;
    s->im.enrich = enrich;
    s->im.ctx = s;
    rq->sink.ctx = s;
    rq->sink.feed = feed;
    rq->sink.summary = summary;
    rq->sink.free = session_free;
    return rq->ei.code;
}

enum err
api_import(struct req *rq, struct resp *rs)
{
    struct session *s = rq->sink.ctx;

    if (s->bytes == 0)
        return err_set(&rq->ei, ERR_INVALID,
                       "the body is empty: send NDJSON, raw text or a "
                       "JSON array of articles");
    if (in_batch(s, NULL, 0, true, &rq->ei) != ERR_OK)
        return rq->ei.code;
    rs->body = summary(s);
    return ERR_OK;
}
