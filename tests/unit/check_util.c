/* check_util.c - dates, timestamps, slugs, names, UTF-8, base64url,
 * buffers and error info. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gazette/err.h"
#include "gazette/log.h"
#include "gazette/util.h"
#include "helpers.h"

static char *
slug_of(const char *text, size_t max)
{
    struct buf b;

    buf_init(&b);
    slugify(&b, text, max);
    return buf_detach(&b, NULL);
}

START_TEST(slugs)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"China Focuses on High-Quality Development",
         "china-focuses-on-high-quality-development"},
        {"  Gdańsk mayor: Łukasz Vázquez & Erdoğan!  ",
         "gdansk-mayor-lukasz-vazquez-erdogan"},
        {"Xi's plan", "xis-plan"},
        {"Straße", "strasse"},
        {"中国经济", ""},
        {"---", ""},
        {"5G + Industrial Internet", "5g-industrial-internet"},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *s = slug_of(cases[i].in, 80);

        ck_assert_str_eq(s, cases[i].out);
        free(s);
    }
    /* cut at a word boundary */
    char *s = slug_of("alpha beta gamma delta", 12);
    ck_assert_str_eq(s, "alpha-beta");
    free(s);
}
END_TEST

START_TEST(names)
{
    struct buf b;

    buf_init(&b);
    name_normalize(&b, "  Zhang   Yuxian ");
    ck_assert_str_eq(b.data, "zhang yuxian");
    buf_reset(&b);
    name_normalize(&b, "Recep Tayyip Erdoğan");
    ck_assert_str_eq(b.data, "recep tayyip erdogan");
    buf_reset(&b);
    name_normalize(&b, "Jean-Claude O'Brien");
    ck_assert_str_eq(b.data, "jean claude obrien");
    buf_release(&b);
}
END_TEST

START_TEST(dates)
{
    char out[11];

    ck_assert(date_valid("2023-12-21"));
    ck_assert(date_valid("2024-02-29"));
    ck_assert(!date_valid("2023-02-29"));
    ck_assert(!date_valid("2023-13-01"));
    ck_assert(!date_valid("2023-1-01"));
    ck_assert(!date_valid("2023-12-21x"));
    ck_assert(!date_valid(""));
    ck_assert_int_eq(date_to_days("1970-01-01"), 0);
    ck_assert_int_eq(date_to_days("2000-03-01"), 11017);
    days_to_date(date_to_days("2024-02-29") + 1, out);
    ck_assert_str_eq(out, "2024-03-01");
    days_to_date(-1, out);
    ck_assert_str_eq(out, "1969-12-31");
}
END_TEST

START_TEST(timestamps)
{
    char out[TIMESTAMP_LEN];

    ck_assert(timestamp_normalize("2024-01-02T03:04:05Z", out));
    ck_assert_str_eq(out, "2024-01-02T03:04:05Z");
    ck_assert(timestamp_normalize("2024-01-02T01:30:00+02:00", out));
    ck_assert_str_eq(out, "2024-01-01T23:30:00Z");
    ck_assert(timestamp_normalize("2024-12-31T23:00:00.123-01:30", out));
    ck_assert_str_eq(out, "2025-01-01T00:30:00Z");
    ck_assert(timestamp_normalize("2024-05-06", out));
    ck_assert_str_eq(out, "2024-05-06T00:00:00Z");
    ck_assert(!timestamp_normalize("2024-01-02T03:04Z", out));
    ck_assert(!timestamp_normalize("2024-01-02T25:00:00Z", out));
    ck_assert(!timestamp_normalize("2024-01-02T03:04:05", out));
    ck_assert(!timestamp_normalize("yesterday", out));
    timestamp_now(out);
    ck_assert_int_eq(strlen(out), 20);
    ck_assert(timestamp_normalize(out, out));
}
END_TEST

START_TEST(utf8)
{
    ck_assert(utf8_valid("plain", 5));
    ck_assert(utf8_valid("Gdańsk 中国 😀", strlen("Gdańsk 中国 😀")));
    ck_assert(!utf8_valid("\xC3\x28", 2));         /* bad continuation */
    ck_assert(!utf8_valid("\xC0\xAF", 2));         /* overlong */
    ck_assert(!utf8_valid("\xED\xA0\x80", 3));     /* surrogate */
    ck_assert(!utf8_valid("\xF4\x90\x80\x80", 4)); /* beyond U+10FFFF */
    ck_assert(!utf8_valid("a\0b", 3));
    ck_assert(!utf8_valid("\xE4\xB8", 2)); /* truncated */
    ck_assert_uint_eq(utf8_count("Gdańsk", strlen("Gdańsk")), 6);
}
END_TEST

START_TEST(base64url)
{
    static const char *const samples[] = {"",     "f",     "fo",    "foo",
                                          "foob", "fooba", "foobar"};
    struct buf enc, dec;

    buf_init(&enc);
    buf_init(&dec);
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        buf_reset(&enc);
        buf_reset(&dec);
        base64url_encode(&enc, samples[i], strlen(samples[i]));
        ck_assert(base64url_decode(&dec, enc.data, enc.len));
        ck_assert_str_eq(dec.data, samples[i]);
    }
    buf_reset(&enc);
    base64url_encode(&enc, "\xfb\xff", 2);
    ck_assert_str_eq(enc.data, "-_8");
    buf_reset(&dec);
    ck_assert(!base64url_decode(&dec, "ab+c", 4));
    ck_assert(!base64url_decode(&dec, "abcde", 5));
    ck_assert(!base64url_decode(&dec, "Zh", 2)); /* non-zero padding bits */
    buf_release(&enc);
    buf_release(&dec);
}
END_TEST

START_TEST(buffers)
{
    struct buf b;
    size_t len;
    char *s;

    buf_init(&b);
    ck_assert_str_eq(b.data, "");
    for (int i = 0; i < 1000; i++)
        buf_addf(&b, "%d,", i);
    ck_assert_uint_eq(b.len, strlen(b.data));
    ck_assert(strncmp(b.data, "0,1,2,", 6) == 0);
    s = buf_detach(&b, &len);
    ck_assert_uint_eq(len, strlen(s));
    ck_assert_str_eq(b.data, "");
    free(s);
    buf_release(&b);
}
END_TEST

START_TEST(errors_keep_the_first)
{
    struct err_info ei = {0};

    ck_assert_int_eq(err_set(&ei, ERR_NOT_FOUND, "no %s", "thing"), ERR_NOT_FOUND);
    ck_assert_int_eq(err_set(&ei, ERR_STORE, "later"), ERR_NOT_FOUND);
    ck_assert_str_eq(ei.detail, "no thing");
    ck_assert_uint_eq(err_http_status(ei.code), 404);
    ck_assert_str_eq(err_title(ERR_METHOD), "Method Not Allowed");
    err_clear(&ei);
    err_field(&ei, "limit", "bad limit");
    err_field(&ei, "sort", "bad sort");
    ck_assert_int_eq(ei.code, ERR_INVALID);
    ck_assert_str_eq(ei.detail, "bad limit");
    ck_assert_uint_eq(ei.nfields, 2);
    ck_assert_str_eq(ei.fields[1].field, "sort");
}
END_TEST

/* A log line goes out in one write(2) with its newline, however long
 * (an access-log line of a long URL): a packet socket shows each write
 * as one message. */
START_TEST(a_long_log_line_is_one_write)
{
    static char line[9000], got[10000];
    int sv[2], saved = dup(2);

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    memset(line, 'x', sizeof(line));
    dup2(sv[0], 2);
    log_raw(line, sizeof(line));
    dup2(saved, 2);
    close(saved);
    ssize_t n = read(sv[1], got, sizeof(got));
    ck_assert_int_eq(n, (ssize_t)sizeof(line) + 1);
    ck_assert_int_eq(got[n - 1], '\n');
    close(sv[0]);
    close(sv[1]);
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("util");

    tcase_add_test(tc, slugs);
    tcase_add_test(tc, names);
    tcase_add_test(tc, dates);
    tcase_add_test(tc, timestamps);
    tcase_add_test(tc, utf8);
    tcase_add_test(tc, base64url);
    tcase_add_test(tc, buffers);
    tcase_add_test(tc, errors_keep_the_first);
    tcase_add_test(tc, a_long_log_line_is_one_write);
    suite_add_tcase(s, tc);
    return run_suites(&s, 1);
}
