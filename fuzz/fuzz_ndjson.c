/* fuzz_ndjson.c - the JSON article decoder: the NDJSON and JSON-array
 * readers, then article_normalize() on every record they give.  The first
 * byte of the input picks the format (NDJSON, JSON array, or detection
 * from the content); the rest is the stream.
 *
 * Invariants: the readers give objects or ERR_INVALID (never ERR_IO on a
 * memory stream) and come to an end; article_normalize() either refuses
 * with ERR_INVALID and names a field, or returns the store's shape: trimmed
 * title, valid date, the body exactly as given, a summary, a language, and
 * themes and quotes whose offsets lie within the body; and normalizing that
 * again changes nothing. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/ingest.h"
#include "gazette/util.h"
#include "harness.h"

static int
trimmed_text(const json_t *v)
{
    const char *s = json_string_value(v);
    size_t n;

    if (s == NULL || (n = strlen(s)) == 0)
        return 0;
    return !isspace((unsigned char)s[0]) && !isspace((unsigned char)s[n - 1]);
}

static void
check_org(const json_t *org, int depth)
{
    if (json_is_null(org))
        return;
    HARNESS_CHECK(json_is_object(org) && trimmed_text(json_object_get(org, "name")),
                  "an organization is null or has a trimmed name");
    HARNESS_CHECK(depth < 6, "organizations nest too deep");
    check_org(json_object_get(org, "parent"), depth + 1);
}

static void
check_quotes(const json_t *quotes, const char *body)
{
    size_t i, chars = utf8_count(body, strlen(body));
    json_t *q;

    HARNESS_CHECK(json_is_array(quotes), "quotes is an array");
    json_array_foreach (quotes, i, q) {
        const char *kind = json_string_value(json_object_get(q, "kind"));
        const json_t *start = json_object_get(q, "start"),
                     *end = json_object_get(q, "end");
        const json_t *title = json_object_get(q, "title");

        HARNESS_CHECK(json_is_string(json_object_get(q, "text")), "quote text");
        HARNESS_CHECK(kind != NULL &&
                          (strcmp(kind, "direct") == 0 || strcmp(kind, "indirect") == 0),
                      "quote kind");
        HARNESS_CHECK(
            trimmed_text(json_object_get(json_object_get(q, "official"), "name")),
            "a quote's official has a trimmed name");
        HARNESS_CHECK(json_is_null(title) || trimmed_text(title), "quote title");
        check_org(json_object_get(q, "organization"), 0);
        HARNESS_CHECK((start == NULL) == (end == NULL), "start and end go together");
        if (start != NULL)
            HARNESS_CHECK(json_is_integer(start) && json_is_integer(end) &&
                              json_integer_value(start) >= 0 &&
                              json_integer_value(start) <= json_integer_value(end) &&
                              (size_t)json_integer_value(end) <= chars,
                          "quote offsets outside the body");
    }
}

static void
check_normalized(const json_t *in, const json_t *a)
{
    const char *body = json_string_value(json_object_get(a, "body"));
    const char *date = json_string_value(json_object_get(a, "published"));
    const char *slug = json_string_value(json_object_get(a, "slug"));
    const json_t *url = json_object_get(a, "url"), *source = json_object_get(a, "source");
    struct err_info ei = {0};
    size_t i;
    json_t *t, *again;

    HARNESS_CHECK(trimmed_text(json_object_get(a, "title")), "title is trimmed text");
    HARNESS_CHECK(date != NULL && date_valid(date), "published is a date");
    HARNESS_CHECK(body != NULL &&
                      json_equal(json_object_get(in, "body"), json_object_get(a, "body")),
                  "the body is kept exactly");
    HARNESS_CHECK(json_is_string(json_object_get(a, "summary")), "summary");
    HARNESS_CHECK(json_is_string(json_object_get(a, "language")), "language");
    HARNESS_CHECK(json_is_null(source) || trimmed_text(source), "source");
    HARNESS_CHECK(json_is_null(url) ||
                      (json_is_string(url) &&
                       (strncmp(json_string_value(url), "http://", 7) == 0 ||
                        strncmp(json_string_value(url), "https://", 8) == 0)),
                  "url");
    HARNESS_CHECK(slug == NULL || slug_valid(slug), "slug");
    json_array_foreach (json_object_get(a, "themes"), i, t)
        HARNESS_CHECK(slug_valid(json_string_value(json_object_get(t, "slug"))),
                      "theme slug");
    if (json_object_get(a, "quotes") != NULL)
        check_quotes(json_object_get(a, "quotes"), body);

    again = article_normalize(a, &ei);
    HARNESS_CHECK(again != NULL, "a normalized article is refused: %s", ei.detail);
    HARNESS_CHECK(json_equal(a, again), "normalizing twice changes the article");
    json_decref(again);
}

static void
check_record(const json_t *rec)
{
    struct err_info ei = {0};
    json_t *a;

    HARNESS_CHECK(json_is_object(rec), "a record is an object");
    a = article_normalize(rec, &ei);
    if (a == NULL) {
        HARNESS_CHECK(ei.code == ERR_INVALID && ei.nfields + (ei.detail[0] != '\0') > 0,
                      "a refused record without ERR_INVALID and a reason");
        return;
    }
    check_normalized(rec, a);
    json_decref(a);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const enum ingest_format formats[] = {FMT_NDJSON, FMT_JSON, FMT_AUTO};
    struct ingest_reader *r;
    FILE *f;

    if (size < 2)
        return 0;
    f = fmemopen((void *)(data + 1), size - 1, "r");
    if (f == NULL)
        return 0;
    r = ingest_reader_new(f, "fuzz", formats[data[0] % 3]);
    for (size_t calls = 0;; calls++) {
        struct err_info ei = {0};
        json_t *rec = NULL;
        long line = 0;
        enum err rc = ingest_next(r, &rec, &line, &ei);

        HARNESS_CHECK(calls <= size + 1, "the reader does not come to an end");
        HARNESS_CHECK(rc == ERR_OK || rc == ERR_INVALID, "ingest_next: %s", ei.detail);
        HARNESS_CHECK(line >= 1, "a record on line %ld", line);
        if (rc == ERR_OK && rec == NULL)
            break;
        if (rec != NULL)
            check_record(rec);
        json_decref(rec);
    }
    ingest_reader_free(r);
    fclose(f);
    return 0;
}
