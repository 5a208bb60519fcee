/* check_ingest.c - the raw text parser, the readers of the three formats,
 * and record validation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/extract.h"
#include "gazette/ingest.h"
#include "helpers.h"

static const char *
sget(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

START_TEST(raw_article)
{
    static const char text[] = " date 2023-12-21 Title: A Harbour Opens\n"
                               "\n"
                               "First paragraph, line one\n"
                               "continues here.\n"
                               "\n"
                               "\n"
                               "Second paragraph “quoted”.\n"
                               "\n"
                               "Share this: Facebook\n"
                               "\n"
                               "X\n"
                               "\n";
    struct err_info ei = {0};
    json_t *a = raw_parse(text, strlen(text), &ei);

    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(sget(a, "title"), "A Harbour Opens");
    ck_assert_str_eq(sget(a, "published"), "2023-12-21");
    ck_assert_str_eq(
        sget(a, "body"),
        "First paragraph, line one continues here.\n\nSecond paragraph “quoted”.");
    json_decref(a);
}
END_TEST

START_TEST(raw_boilerplate_only_at_the_end)
{
    static const char text[] =
        "date 2020-01-01 Title: T\n\nShare this idea with friends, "
        "the mayor said.\n\nFacebook\n\nTwitter | LinkedIn\n";
    struct err_info ei = {0};
    json_t *a = raw_parse(text, strlen(text), &ei);

    ck_assert_ptr_nonnull(a);
    /* a sentence that merely starts like a share bar stays */
    ck_assert_str_eq(sget(a, "body"), "Share this idea with friends, the mayor said.");
    json_decref(a);

    /* a blog's whole trailer, down to its "Related" heading */
    static const char blog[] = "date 2020-01-02 Title: U\n\nThe port opened.\n\n"
                               "Share this:\n\nTwitter\n\nFacebook\n\nLike this:\n\n"
                               "Like Loading...\n\nRelated\n";
    a = raw_parse(blog, strlen(blog), &ei);
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(sget(a, "body"), "The port opened.");
    json_decref(a);
}
END_TEST

START_TEST(raw_errors)
{
    static const char *const bad[] = {
        "no header here\n\ntext\n",
        " date 2023-02-30 Title: Impossible date\n\ntext\n",
        " date 2023-02-03 Title:   \n\ntext\n",
        " date 2023-02-03 Title: Only a title\n\nShare this: Facebook\n",
        " date 2023-02-03 Title: Bad bytes\n\n\xff\xfe\n",
        " date 2023-2-3 Title: Short date\n\ntext\n",
    };
    static const char *const why[] = {"first line",     "not a date",
                                      "title is empty", "no text",
                                      "UTF-8",          "\"2023-2-3\" is not a date"};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct err_info ei = {0};

        ck_assert_ptr_null(raw_parse(bad[i], strlen(bad[i]), &ei));
        ck_assert_int_eq(ei.code, ERR_INVALID);
        ck_assert_msg(strstr(ei.detail, why[i]) != NULL, "%zu: %s", i, ei.detail);
    }
}
END_TEST

/* Reads every record of text in format fmt; returns "ok:LINE" or
 * "err:LINE" per record, comma-separated. */
static char *
read_all(const char *text, enum ingest_format fmt, const char *name)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    struct ingest_reader *r = ingest_reader_new(f, name, fmt);
    struct buf out;

    buf_init(&out);
    for (;;) {
        struct err_info ei = {0};
        json_t *rec = NULL;
        long line = 0;
        enum err rc = ingest_next(r, &rec, &line, &ei);

        if (rc == ERR_OK && rec == NULL)
            break;
        buf_addf(&out, "%s%s:%ld", out.len ? "," : "", rc == ERR_OK ? "ok" : "err", line);
        json_decref(rec);
        if (rc == ERR_IO)
            break;
    }
    ingest_reader_free(r);
    fclose(f);
    return buf_detach(&out, NULL);
}

START_TEST(ndjson_lines)
{
    char *s = read_all("{\"a\":1}\n\n  \nnot json\n{\"b\":2}\n[3]\n{\"a\":1,\"a\":2}\n",
                       FMT_NDJSON, "x");

    ck_assert_str_eq(s, "ok:1,err:4,ok:5,err:6,err:7");
    free(s);
}
END_TEST

START_TEST(json_arrays)
{
    char *s = read_all("[\n {\"a\": \"x ] y\"},\n {\"b\": [1, {\"c\": \"\\\"\"}]},\n 7,\n"
                       " {\"d\": 1}\n]\n",
                       FMT_JSON, "x");

    ck_assert_str_eq(s, "ok:2,ok:3,err:4,ok:5");
    free(s);
    s = read_all("  {\"single\": true}\n", FMT_JSON, "x");
    ck_assert_str_eq(s, "ok:1");
    free(s);
    s = read_all("[{\"a\":1}, {\"b\":", FMT_JSON, "x");
    ck_assert_str_eq(s, "ok:1,err:1");
    free(s);
    s = read_all("[]", FMT_JSON, "x");
    ck_assert_str_eq(s, "");
    free(s);
    s = read_all("\"just a string\"", FMT_JSON, "x");
    ck_assert_str_eq(s, "err:1");
    free(s);
}
END_TEST

START_TEST(text_stream)
{
    char *s = read_all(" date 2020-01-01 Title: One\n\nBody one.\n\n"
                       " date 2020-01-02 Title: Two\n\nBody two.\n"
                       " date 2020-13-02 Title: Three\n\nBody three.\n"
                       "date 2020-1-4 Title: Four, its date mistyped\n\nBody four.\n"
                       "The date 2020 Title: is a line of the body.\n",
                       FMT_TEXT, "x");

    /* a header with a mistyped date is a record of its own, reported */
    ck_assert_str_eq(s, "ok:1,ok:5,err:8,err:11");
    free(s);
}
END_TEST

START_TEST(format_detection)
{
    char *s;

    s = read_all("[{\"a\":1}]", FMT_AUTO, "stdin");
    ck_assert_str_eq(s, "ok:1");
    free(s);
    s = read_all("{\"a\":1}\n{\"a\":2}\n", FMT_AUTO, "stdin");
    ck_assert_str_eq(s, "ok:1,ok:2");
    free(s);
    s = read_all(" date 2020-01-01 Title: T\n\nB\n", FMT_AUTO, "stdin");
    ck_assert_str_eq(s, "ok:1");
    free(s);
    /* the name's extension wins over the content */
    s = read_all("{\"a\":1}\n", FMT_AUTO, "file.txt");
    ck_assert_str_eq(s, "err:1");
    free(s);
    ck_assert_int_eq(ingest_format_parse("ndjson"), FMT_NDJSON);
    ck_assert_int_eq(ingest_format_parse("xml"), -1);
}
END_TEST

static json_t *
norm(const char *json, struct err_info *ei)
{
    json_t *in = json_loads(json, 0, NULL), *out;

    ck_assert_ptr_nonnull(in);
    out = article_normalize(in, ei);
    json_decref(in);
    return out;
}

START_TEST(normalize_defaults)
{
    struct err_info ei = {0};
    json_t *a = norm("{\"id\": \"x-1\", \"title\": \"  T  \", \"published\": "
                     "\"2024-01-02T23:30:00-02:00\", \"body\": \"P one.\\n\\nP two.\"}",
                     &ei);

    ck_assert_msg(a != NULL, "%s", ei.detail);
    ck_assert_str_eq(sget(a, "title"), "T");
    ck_assert_str_eq(sget(a, "published"), "2024-01-03");
    ck_assert_str_eq(sget(a, "summary"), "P one.");
    ck_assert_str_eq(sget(a, "language"), "en");
    ck_assert(json_is_null(json_object_get(a, "url")));
    ck_assert_ptr_null(json_object_get(a, "quotes")); /* left to extraction */
    ck_assert_ptr_null(json_object_get(a, "id"));
    json_decref(a);

    /* a language tag in BCP 47's conventional case, so that one language
     * is one value in filters and facets */
    static const char *const tags[][2] = {
        {"EN", "en"},
        {"ZH-hans", "zh-Hans"},
        {"pt-br", "pt-BR"},
        {"es-419", "es-419"},
        {"SR-LATN-rs", "sr-Latn-RS"},
        {"en-x-TWAIN", "en-x-twain"},
        {"de-CH-1996", "de-CH-1996"},
    };
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
        char json[200];

        snprintf(json, sizeof(json),
                 "{\"title\": \"T\", \"published\": \"2024-01-02\", \"body\": \"b\", "
                 "\"language\": \"%s\"}",
                 tags[i][0]);
        a = norm(json, &ei);
        ck_assert_msg(a != NULL, "%s", ei.detail);
        ck_assert_str_eq(sget(a, "language"), tags[i][1]);
        json_decref(a);
    }
}
END_TEST

/* A summary taken from the body is trimmed as a given one is, so that a
 * normalized record normalizes to itself: an exported article imported
 * again is unchanged (found by fuzz_ndjson: "] , [ \" \n\n}" kept its
 * trailing space as summary, and a second pass trimmed it). */
START_TEST(normalize_summary_from_the_body)
{
    static const char *const bodies[] = {"  Lead paragraph.  \n\nMore.",
                                         "\n\n \t\n\nLead paragraph.\n\nMore.",
                                         "Lead paragraph. \n\n", "Lead paragraph.\t"};
    struct err_info ei = {0};

    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        json_t *in = json_pack("{s:s, s:s, s:s}", "title", "T", "published", "2024-01-02",
                               "body", bodies[i]);
        json_t *a = article_normalize(in, &ei), *again;

        ck_assert_msg(a != NULL, "%s", ei.detail);
        ck_assert_str_eq(sget(a, "summary"), "Lead paragraph.");
        ck_assert_str_eq(sget(a, "body"), bodies[i]); /* kept exactly */
        again = article_normalize(a, &ei);
        ck_assert_msg(again != NULL, "%s", ei.detail);
        ck_assert(json_equal(a, again));
        json_decref(again);
        json_decref(a);
        json_decref(in);
    }
}
END_TEST

/* Quotes given without their place get it where their words are in the
 * body, counted in characters as the offsets are. */
START_TEST(normalize_finds_quotes_in_the_body)
{
    struct err_info ei = {0};
    json_t *a =
        norm("{\"title\": \"T\", \"published\": \"2024-01-02\", \"body\": "
             "\"Zoë said: “we shall prevail.” Then: we shall prevail.\", "
             "\"quotes\": [{\"text\": \"we shall prevail\", \"official\": \"Zoë\"}, "
             "{\"text\": \"not in the text\", \"official\": \"Zoë\"}, "
             "{\"text\": \"Then\", \"official\": \"Zoë\", \"start\": 1, \"end\": 2}]}",
             &ei);
    json_t *q;

    ck_assert_msg(a != NULL, "%s", ei.detail);
    q = json_array_get(json_object_get(a, "quotes"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(q, "start")), 11);
    ck_assert_int_eq(json_integer_value(json_object_get(q, "end")), 27);
    q = json_array_get(json_object_get(a, "quotes"), 1);
    ck_assert_ptr_null(json_object_get(q, "start"));
    ck_assert_ptr_null(json_object_get(q, "end"));
    /* a place given is kept as given */
    q = json_array_get(json_object_get(a, "quotes"), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(q, "start")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(q, "end")), 2);
    json_decref(a);
}
END_TEST

START_TEST(normalize_links)
{
    struct err_info ei = {0};
    json_t *a =
        norm("{\"title\": \"T\", \"published\": \"2024-01-02\", \"body\": "
             "\"Zoë said hello.\", \"themes\": [\"energy\", {\"slug\": \"trade\", "
             "\"name\": \"Trade\"}], \"quotes\": [{\"text\": \"hello\", \"kind\": "
             "\"indirect\", \"start\": 9, \"end\": 14, \"official\": \"Zoë Marín\", "
             "\"organization\": {\"name\": \"Dept\", \"parent\": \"Agency\"}}]}",
             &ei);
    json_t *q;

    ck_assert_msg(a != NULL, "%s", ei.detail);
    ck_assert_str_eq(sget(json_array_get(json_object_get(a, "themes"), 0), "slug"),
                     "energy");
    ck_assert_str_eq(sget(json_array_get(json_object_get(a, "themes"), 1), "name"),
                     "Trade");
    q = json_array_get(json_object_get(a, "quotes"), 0);
    ck_assert_str_eq(sget(json_object_get(q, "official"), "name"), "Zoë Marín");
    ck_assert_str_eq(
        sget(json_object_get(json_object_get(q, "organization"), "parent"), "name"),
        "Agency");
    ck_assert(json_is_null(json_object_get(q, "title")));
    json_decref(a);
}
END_TEST

START_TEST(normalize_errors)
{
    static const struct {
        const char *json, *field, *words;
    } cases[] = {
        {"{\"published\": \"2024-01-02\", \"body\": \"b\"}", "title", "required"},
        {"{\"title\": 5, \"published\": \"2024-01-02\", \"body\": \"b\"}", "title",
         "string"},
        {"{\"title\": \"t\", \"published\": \"02/01/2024\", \"body\": \"b\"}",
         "published", "YYYY-MM-DD"},
        {"{\"title\": \"t\", \"published\": \"2024-01-02\", \"body\": \"  \"}", "body",
         "empty"},
        {"{\"title\": \"t\", \"published\": \"2024-01-02\", \"body\": \"b\", \"url\": "
         "\"ftp://x\"}",
         "url", "http"},
        {"{\"title\": \"t\", \"published\": \"2024-01-02\", \"body\": \"b\", "
         "\"language\": "
         "\"english!\"}",
         "language", "BCP 47"},
        {"{\"title\": \"t\", \"published\": \"2024-01-02\", \"body\": \"b\", \"slug\": "
         "\"123\"}",
         "slug", "digits"},
        {"{\"title\": \"t\", \"published\": \"2024-01-02\", \"body\": \"b\", \"extra\": "
         "1}",
         "extra", "unknown field"},
        {"{\"title\": \"t\", \"published\": \"2024-01-02\", \"body\": \"b\", \"themes\": "
         "[\"Not A Slug\"]}",
         "themes[0]", "slug"},
        {"{\"title\": \"t\", \"published\": \"2024-01-02\", \"body\": \"b\", \"quotes\": "
         "[{\"text\": \"x\", \"kind\": \"loud\", \"official\": \"A\"}]}",
         "quotes[0].kind", "direct"},
        {"{\"title\": \"t\", \"published\": \"2024-01-02\", \"body\": \"b\", \"quotes\": "
         "[{\"text\": \"x\", \"official\": {}}]}",
         "quotes[0].official", "name"},
        {"{\"title\": \"t\", \"published\": \"2024-01-02\", \"body\": \"bb\", "
         "\"quotes\": "
         "[{\"text\": \"x\", \"official\": \"A\", \"start\": 1, \"end\": 9}]}",
         "quotes[0].start", "within the body"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct err_info ei = {0};
        json_t *a = norm(cases[i].json, &ei);

        ck_assert_msg(a == NULL, "case %zu accepted", i);
        ck_assert_int_eq(ei.code, ERR_INVALID);
        ck_assert_uint_ge(ei.nfields, 1);
        ck_assert_msg(strcmp(ei.fields[0].field, cases[i].field) == 0,
                      "case %zu: field %s", i, ei.fields[0].field);
        ck_assert_msg(strstr(ei.fields[0].message, cases[i].words) != NULL,
                      "case %zu: %s", i, ei.fields[0].message);
    }
}
END_TEST

START_TEST(normalize_reports_every_field)
{
    struct err_info ei = {0};

    ck_assert_ptr_null(norm("{\"title\": 1, \"published\": \"x\"}", &ei));
    ck_assert_uint_eq(ei.nfields, 3); /* title, published, body */
    /* a quote's mistake is told with the article's, not in a second round */
    err_clear(&ei);
    ck_assert_ptr_null(
        norm("{\"title\": \"T\", \"published\": \"2025-01-01\", \"body\": "
             "\"x\", \"url\": \"ftp://a\", \"themes\": [7], \"quotes\": "
             "[{\"kind\": \"said\", \"text\": \"a\", \"official\": \"X Y\"}]}",
             &ei));
    ck_assert_uint_eq(ei.nfields, 3);
    ck_assert_str_eq(ei.fields[0].field, "url");
    ck_assert_str_eq(ei.fields[2].field, "quotes[0].kind");
}
END_TEST

/* What extraction finds is storable: an article with the quotes and themes
 * extraction gave it passes article_normalize(), so that it can be saved,
 * exported and imported again (found by fuzz_extract: a word of 240 letters
 * made a title, or a name, longer than a stored quote may have). */
START_TEST(extracted_quotes_normalize)
{
    static const char *const units[] = {"deputy", "Brandt", "Central"};
    struct err_info ei = {0};

    for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
        struct buf body, word;
        json_t *found, *a, *n;

        buf_init(&word);
        for (int k = 0; k < 40; k++)
            buf_adds(&word, units[u]);
        buf_init(&body);
        if (u == 0)
            buf_addf(&body,
                     "Elena Brandt, %s governor of the Central Bank, said the "
                     "rate would stay at 4 per cent.",
                     word.data);
        else if (u == 1)
            buf_addf(&body,
                     "Elena %s, governor of the Central Bank, said the rate "
                     "would stay at 4 per cent.",
                     word.data);
        else
            buf_addf(&body,
                     "Elena Brandt, governor of the %s Bank, said the rate "
                     "would stay at 4 per cent.",
                     word.data);
        found = extract_article(NULL, "T", body.data, body.len, &ei);
        ck_assert_msg(found != NULL, "%s", ei.detail);
        a = json_pack("{s:s, s:s, s:s, s:O, s:O}", "title", "T", "published",
                      "2024-01-01", "body", body.data, "quotes",
                      json_object_get(found, "quotes"), "themes",
                      json_object_get(found, "themes"));
        n = article_normalize(a, &ei);
        ck_assert_msg(n != NULL, "%s: %s", units[u], ei.detail);
        json_decref(n);
        json_decref(a);
        json_decref(found);
        buf_release(&body);
        buf_release(&word);
    }
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("ingest");
    TCase *raw = tcase_create("raw"), *rd = tcase_create("readers"),
          *nm = tcase_create("normalize");

    tcase_add_test(raw, raw_article);
    tcase_add_test(raw, raw_boilerplate_only_at_the_end);
    tcase_add_test(raw, raw_errors);
    tcase_add_test(rd, ndjson_lines);
    tcase_add_test(rd, json_arrays);
    tcase_add_test(rd, text_stream);
    tcase_add_test(rd, format_detection);
    tcase_add_test(nm, normalize_defaults);
    tcase_add_test(nm, normalize_summary_from_the_body);
    tcase_add_test(nm, extracted_quotes_normalize);
    tcase_add_test(nm, normalize_finds_quotes_in_the_body);
    tcase_add_test(nm, normalize_links);
    tcase_add_test(nm, normalize_errors);
    tcase_add_test(nm, normalize_reports_every_field);
    suite_add_tcase(s, raw);
    suite_add_tcase(s, rd);
    suite_add_tcase(s, nm);
    return run_suites(&s, 1);
}
