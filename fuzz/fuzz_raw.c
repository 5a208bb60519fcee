/* fuzz_raw.c - the raw text format: raw_parse() on the whole input, and
 * the text reader (ingest_reader_new/ingest_next) on it as a stream.
 *
 * Invariants: an accepted article has a valid date, a one-line title with
 * no blank at either end, and a body of paragraphs separated by exactly
 * one blank line, each non-empty, trimmed and on one line; parsing the
 * article written back in the raw format gives the same article; the
 * reader gives only such articles or ERR_INVALID, with line numbers that
 * grow, and always comes to an end. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/buf.h"
#include "gazette/ingest.h"
#include "gazette/util.h"
#include "harness.h"

static void
check_article(const json_t *a)
{
    const char *title = json_string_value(json_object_get(a, "title"));
    const char *date = json_string_value(json_object_get(a, "published"));
    const char *body = json_string_value(json_object_get(a, "body"));
    size_t tlen, blen;

    HARNESS_CHECK(json_object_size(a) == 3 && title != NULL && date != NULL &&
                      body != NULL,
                  "an article is {title, published, body}");
    HARNESS_CHECK(date_valid(date), "published \"%s\" is not a date", date);
    tlen = strlen(title);
    HARNESS_CHECK(tlen > 0 && strchr(title, '\n') == NULL, "title empty or not one line");
    HARNESS_CHECK(title[0] != ' ' && title[0] != '\t' &&
                      !isspace((unsigned char)title[tlen - 1]),
                  "title \"%s\" is not trimmed", title);
    HARNESS_CHECK(utf8_valid(title, tlen), "title is not UTF-8");
    blen = strlen(body);
    HARNESS_CHECK(blen > 0 && utf8_valid(body, blen), "body empty or not UTF-8");
    /* paragraphs: "p\n\np\n\np", each trimmed and on one line */
    for (const char *p = body;;) {
        const char *end = strstr(p, "\n\n");
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);

        HARNESS_CHECK(n > 0 && !isspace((unsigned char)p[0]) &&
                          !isspace((unsigned char)p[n - 1]),
                      "a paragraph is empty or not trimmed");
        HARNESS_CHECK(memchr(p, '\n', n) == NULL, "a paragraph spans lines");
        if (end == NULL)
            break;
        p = end + 2;
    }
}

/* The article written back in the raw format parses to itself. */
static void
check_round_trip(const json_t *a)
{
    struct err_info ei = {0};
    struct buf text;
    json_t *again;

    buf_init(&text);
    buf_addf(&text, " date %s Title: %s\n\n%s\n\nShare this: Facebook\n",
             json_string_value(json_object_get(a, "published")),
             json_string_value(json_object_get(a, "title")),
             json_string_value(json_object_get(a, "body")));
    again = raw_parse(text.data, text.len, &ei);
    HARNESS_CHECK(again != NULL, "the article written back is refused: %s", ei.detail);
    HARNESS_CHECK(json_equal(a, again), "the article written back parses differently");
    json_decref(again);
    buf_release(&text);
}

static void
read_stream(const uint8_t *data, size_t size)
{
    FILE *f = fmemopen((void *)data, size, "r");
    struct ingest_reader *r;
    long last = 0;

    if (f == NULL) /* a size of 0 */
        return;
    r = ingest_reader_new(f, "fuzz.txt", FMT_TEXT);
    /* each record takes at least one line, and a last call says "end" */
    for (size_t calls = 0;; calls++) {
        struct err_info ei = {0};
        json_t *rec = NULL;
        long line = 0;
        enum err rc = ingest_next(r, &rec, &line, &ei);

        HARNESS_CHECK(calls <= size + 1, "the reader does not come to an end");
        HARNESS_CHECK(rc == ERR_OK || rc == ERR_INVALID, "ingest_next: %s", ei.detail);
        if (rc == ERR_OK && rec == NULL)
            break;
        HARNESS_CHECK(line > last, "record lines do not grow (%ld after %ld)", line,
                      last);
        last = line;
        if (rec != NULL) {
            check_article(rec);
            json_decref(rec);
        } else {
            HARNESS_CHECK(ei.detail[0] != '\0', "a refused record without a reason");
        }
    }
    ingest_reader_free(r);
    fclose(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct err_info ei = {0};
    json_t *a = raw_parse((const char *)data, size, &ei);

    if (a != NULL) {
        check_article(a);
        check_round_trip(a);
        json_decref(a);
    } else {
        HARNESS_CHECK(ei.code == ERR_INVALID && ei.detail[0] != '\0',
                      "raw_parse failed without ERR_INVALID and a reason");
    }
    read_stream(data, size);
    return 0;
}
