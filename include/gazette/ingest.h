/* ingest.h - reading articles from the raw text format, NDJSON and JSON
 * arrays, validating them, and importing them into a store. */
#ifndef GAZETTE_INGEST_H
#define GAZETTE_INGEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "gazette/err.h"
#include "gazette/store.h"

/* Limits on one record. */
#define ARTICLE_MAX_TITLE   1000       /* bytes */
#define ARTICLE_MAX_BODY    (8u << 20) /* bytes */
#define ARTICLE_MAX_SUMMARY 10000      /* bytes */
#define ARTICLE_MAX_URL     2048
#define ARTICLE_MAX_SHORT   200 /* source, language, names, titles */
#define ARTICLE_MAX_QUOTES  2000
#define ARTICLE_MAX_THEMES  200
#define INGEST_MAX_LINE     (ARTICLE_MAX_BODY * 2) /* one NDJSON line */

/* Parses one article in the raw text format:
 *     " date YYYY-MM-DD Title: the title\n\nparagraph\n\nparagraph\n"
 * Lines inside a paragraph are joined with a space, paragraphs with one
 * blank line, and trailing scraped boilerplate ("Share this: ...", lone
 * social network names) is dropped.  Returns a new object {"title",
 * "published", "body"} or NULL with ei set. */
json_t *raw_parse(const char *text, size_t len, struct err_info *ei);

/* True when line (without its newline) is a raw format header line. */
bool raw_is_header(const char *line, size_t len);

/* Checks a decoded record and returns a new object in the shape the store
 * takes: title, published, body, summary, source, url, language and, when
 * the record gave them, slug, themes and quotes (each normalized: themes
 * as [{"slug", "name"?, "matches"?, "score"?}], quotes with "official":
 * {"name"} and "organization": {"name", "parent": {...} | null} | null).
 * A record without "quotes" is one whose quotes are to be found by
 * extraction.  On error returns NULL with ei set, listing each bad field. */
json_t *article_normalize(const json_t *in, struct err_info *ei);

/* An organization as a record gives it (a quote's, an official's): a name,
 * or an object with a "name" and a "parent" that is again either (or
 * null), at most 4 deep.  Returns a new {"name", "parent": {...} | null},
 * or json_null() for null, a blank name or an error; errors name field
 * ("organization.parent", ...) in ei. */
json_t *organization_normalize(const json_t *v, const char *field, struct err_info *ei);

/* True when s is a slug: a-z, 0-9 and inner hyphens, not only digits,
 * at most 120 bytes. */
bool slug_valid(const char *s);

enum ingest_format { FMT_AUTO, FMT_TEXT, FMT_NDJSON, FMT_JSON };

/* Parses "auto", "text", "ndjson" or "json"; -1 if unknown. */
int ingest_format_parse(const char *name);

/* A source of records in one format, read incrementally. */
struct ingest_reader;

/* Reads from f (not closed by the reader) named name in messages.  With
 * FMT_AUTO the format comes from the name's extension, else from the
 * first non-blank byte. */
struct ingest_reader *ingest_reader_new(FILE *f, const char *name,
                                        enum ingest_format fmt);
void ingest_reader_free(struct ingest_reader *r);

/* The next record.  Returns ERR_OK with *out a new object, or ERR_OK with
 * *out NULL at the end; ERR_INVALID for a malformed record that was
 * skipped (reading can go on); ERR_IO when reading cannot go on.  *line is
 * the line where the record starts. */
enum err ingest_next(struct ingest_reader *r, json_t **out, long *line,
                     struct err_info *ei);

/* Bytes consumed so far, for progress. */
uint64_t ingest_offset(const struct ingest_reader *r);

/* Counts lines from base: the reader starts after line base of a longer
 * input. */
void ingest_reader_set_line(struct ingest_reader *r, long base);

/* ---- importing ---- */

struct import_stats {
    long inserted, updated, unchanged, failed;
};

/* Called for each record: code is ERR_OK and id/outcome are set when it
 * was stored, else ei holds why it was not. */
typedef void import_report_fn(void *ctx, const char *name, long line,
                              const struct err_info *ei, enum put_outcome outcome,
                              int64_t id);

/* Hook that completes a normalized record before it is stored (finds
 * quotes and themes by extraction); may be NULL. */
typedef enum err import_enrich_fn(void *ctx, json_t *article, struct err_info *ei);

struct importer {
    struct store_batch *batch;
    import_report_fn *report;
    import_enrich_fn *enrich; /* with pipeline, called from another thread */
    void *ctx;
    bool pipeline; /* prepare records on a second thread while storing */
    struct import_stats stats;
    uint64_t offset; /* input consumed by the records reported so far */
};

/* Reads every record of r into the importer's batch.  Bad records are
 * reported and counted, and the rest goes on.  Returns ERR_OK unless
 * reading or the database failed outright (ei then says why). */
enum err import_reader(struct importer *im, struct ingest_reader *r, const char *name,
                       struct err_info *ei);

/* Records from bytes that arrive in pieces, imported as soon as they are
 * complete.  feed takes a piece; end takes what is left.  The importer's
 * batch must be open during each call. */
struct ingest_push;
struct ingest_push *ingest_push_new(enum ingest_format fmt, const char *name);
enum err ingest_push_feed(struct ingest_push *p, const char *data, size_t len,
                          struct importer *im, struct err_info *ei);
enum err ingest_push_end(struct ingest_push *p, struct importer *im, struct err_info *ei);
void ingest_push_free(struct ingest_push *p);

#endif
