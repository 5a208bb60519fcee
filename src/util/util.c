/* util.c - dates, timestamps, slugs, name keys, UTF-8 and base64url. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/util.h"

void
timestamp_now(char out[TIMESTAMP_LEN])
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, TIMESTAMP_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int
days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : dm[m - 1];
}

/* Parses YYYY-MM-DD at the start of s; returns false if not a real date. */
static bool
date_parts(const char *s, int *y, int *m, int *d)
{
    if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
        return false;
    *y = digits(s, 4);
    *m = digits(s + 5, 2);
    *d = digits(s + 8, 2);
    if (*y < 1000 || *m < 1 || *m > 12 || *d < 1)
        return false;
    return *d <= days_in_month(*y, *m);
}

bool
date_valid(const char *s)
{
    int y, m, d;

    return strlen(s) == 10 && date_parts(s, &y, &m, &d);
}

/* Days since the epoch of a proleptic Gregorian date (civil calendar
 * arithmetic on 400-year eras). */
static int64_t
civil_days(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

int64_t
date_to_days(const char *s)
{
    int y, m, d;

    if (!date_parts(s, &y, &m, &d))
        return 0;
    return civil_days(y, m, d);
}

void
days_to_date(int64_t z, char out[11])
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);

    y += m <= 2;
    if (y < 0 || y > 9999)
        y = 0;
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", (int)y, m, d);
    memcpy(out, tmp, 11);
}

bool
timestamp_normalize(const char *s, char out[TIMESTAMP_LEN])
{
    int y, mo, d, h = 0, mi = 0, sec = 0, off = 0;
    const char *p = s + 10;

    if (!date_parts(s, &y, &mo, &d))
        return false;
    if (*p != '\0') {
        if (*p != 'T' && *p != 't' && *p != ' ')
            return false;
        p++;
        if (strlen(p) < 8 || p[2] != ':' || p[5] != ':')
            return false;
        h = digits(p, 2);
        mi = digits(p + 3, 2);
        sec = digits(p + 6, 2);
        if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
            return false;
        p += 8;
        if (*p == '.') {
            p++;
            if (!isdigit((unsigned char)*p))
                return false;
            while (isdigit((unsigned char)*p))
                p++;
        }
        if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
            off = 0;
        } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
            int oh = digits(p + 1, 2), om = digits(p + 4, 2);

            if (oh < 0 || oh > 23 || om < 0 || om > 59)
                return false;
            off = (oh * 60 + om) * 60 * (*p == '+' ? 1 : -1);
        } else {
            return false;
        }
    }
    if (sec == 60)
        sec = 59; /* a leap second sorts with the second before it */
    int64_t t = civil_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t rem = t - days * 86400;
    char date[11];

    days_to_date(days, date);
    char tmp[48];
    snprintf(tmp, sizeof(tmp), "%.10sT%02d:%02d:%02dZ", date, (int)(rem / 3600),
             (int)(rem / 60 % 60), (int)(rem % 60));
    memcpy(out, tmp, TIMESTAMP_LEN);
    return true;
}

/* ASCII spelling of Latin letters with diacritics, U+00C0 to U+017F. */
static const char *
fold_latin(uint32_t cp)
{
    static const struct {
        uint16_t lo, hi;
        const char *ascii;
    } ranges[] = {
        {0xC0, 0xC5, "a"},    {0xC6, 0xC6, "ae"},  {0xC7, 0xC7, "c"},
        {0xC8, 0xCB, "e"},    {0xCC, 0xCF, "i"},   {0xD0, 0xD0, "d"},
        {0xD1, 0xD1, "n"},    {0xD2, 0xD6, "o"},   {0xD8, 0xD8, "o"},
        {0xD9, 0xDC, "u"},    {0xDD, 0xDD, "y"},   {0xDE, 0xDE, "th"},
        {0xDF, 0xDF, "ss"},   {0xE0, 0xE5, "a"},   {0xE6, 0xE6, "ae"},
        {0xE7, 0xE7, "c"},    {0xE8, 0xEB, "e"},   {0xEC, 0xEF, "i"},
        {0xF0, 0xF0, "d"},    {0xF1, 0xF1, "n"},   {0xF2, 0xF6, "o"},
        {0xF8, 0xF8, "o"},    {0xF9, 0xFC, "u"},   {0xFD, 0xFD, "y"},
        {0xFE, 0xFE, "th"},   {0xFF, 0xFF, "y"},   {0x100, 0x105, "a"},
        {0x106, 0x10D, "c"},  {0x10E, 0x111, "d"}, {0x112, 0x11B, "e"},
        {0x11C, 0x123, "g"},  {0x124, 0x127, "h"}, {0x128, 0x131, "i"},
        {0x132, 0x133, "ij"}, {0x134, 0x135, "j"}, {0x136, 0x138, "k"},
        {0x139, 0x142, "l"},  {0x143, 0x14B, "n"}, {0x14C, 0x151, "o"},
        {0x152, 0x153, "oe"}, {0x154, 0x159, "r"}, {0x15A, 0x161, "s"},
        {0x162, 0x167, "t"},  {0x168, 0x173, "u"}, {0x174, 0x175, "w"},
        {0x176, 0x178, "y"},  {0x179, 0x17E, "z"}, {0x17F, 0x17F, "s"},
        {0x218, 0x219, "s"},  {0x21A, 0x21B, "t"},
    };

    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
        if (cp >= ranges[i].lo && cp <= ranges[i].hi)
            return ranges[i].ascii;
    return NULL;
}

uint32_t
utf8_next(const char **pp)
{
    const unsigned char *p = (const unsigned char *)*pp;
    uint32_t cp;
    int n;

    if (p[0] < 0x80) {
        cp = p[0];
        n = 1;
    } else if ((p[0] & 0xE0) == 0xC0) {
        cp = p[0] & 0x1F;
        n = 2;
    } else if ((p[0] & 0xF0) == 0xE0) {
        cp = p[0] & 0x0F;
        n = 3;
    } else {
        cp = p[0] & 0x07;
        n = 4;
    }
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) { /* truncated: stop before the bad byte */
            *pp = (const char *)p + i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *pp = (const char *)p + n;
    return cp;
}

void
slugify(struct buf *b, const char *text, size_t max)
{
    size_t start = b->len, last_hyphen = 0;
    bool pending = false;
    const char *p = text;

    while (*p != '\0') {
        uint32_t cp = utf8_next(&p);
        const char *fold = NULL;
        char one[2] = {0, 0};

        if (cp < 0x80 && isalnum((int)cp)) {
            one[0] = (char)tolower((int)cp);
            fold = one;
        } else if (cp == '\'' || cp == 0x2019) {
            continue; /* "Xi's" -> "xis", not "xi-s" */
        } else {
            fold = fold_latin(cp);
        }
        if (fold == NULL) {
            pending = b->len > start;
            continue;
        }
        size_t need = strlen(fold) + (pending ? 1 : 0);
        if (b->len - start + need > max)
            break;
        if (pending) {
            last_hyphen = b->len;
            buf_addc(b, '-');
            pending = false;
        }
        buf_adds(b, fold);
    }
    /* cut at a word boundary when the text was longer than max */
    if (*p != '\0' && last_hyphen > start) {
        b->len = last_hyphen;
        b->data[b->len] = '\0';
    }
}

void
name_normalize(struct buf *b, const char *name)
{
    size_t start = b->len;
    bool space = false;
    const char *p = name;

    while (*p != '\0') {
        const char *q = p;
        uint32_t cp = utf8_next(&p);
        const char *fold;

        if (cp < 0x80) {
            if (isalnum((int)cp)) {
                if (space && b->len > start)
                    buf_addc(b, ' ');
                space = false;
                buf_addc(b, (char)tolower((int)cp));
            } else if (cp == ' ' || cp == '-' || cp == '\t' || cp == '\n') {
                space = true;
            }
            continue; /* other punctuation is dropped */
        }
        if (cp == 0x2019 || cp == 0x2018 || cp == 0x00B7)
            continue;
        if (cp == 0x2010 || cp == 0x2011 || cp == 0x00A0) {
            space = true;
            continue;
        }
        if (space && b->len > start)
            buf_addc(b, ' ');
        space = false;
        fold = fold_latin(cp);
        if (fold != NULL)
            buf_adds(b, fold);
        else
            buf_add(b, q, (size_t)(p - q));
    }
}

bool
utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;

    while (p < end) {
        unsigned char c = *p;

        if (c == 0)
            return false;
        if (c < 0x80) {
            p++;
            continue;
        }
        int n;
        uint32_t cp, min;

        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
            min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            n = 2;
            cp = c & 0x0F;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return false;
        }
        if (end - p <= n)
            return false;
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += n + 1;
    }
    return true;
}

size_t
utf8_count(const char *s, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void
base64url_encode(struct buf *b, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t i;

    for (i = 0; i + 2 < len; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

        buf_addc(b, b64url[v >> 18]);
        buf_addc(b, b64url[(v >> 12) & 63]);
        buf_addc(b, b64url[(v >> 6) & 63]);
        buf_addc(b, b64url[v & 63]);
    }
    if (len - i == 1) {
        uint32_t v = (uint32_t)p[i] << 16;

        buf_addc(b, b64url[v >> 18]);
        buf_addc(b, b64url[(v >> 12) & 63]);
    } else if (len - i == 2) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;

        buf_addc(b, b64url[v >> 18]);
        buf_addc(b, b64url[(v >> 12) & 63]);
        buf_addc(b, b64url[(v >> 6) & 63]);
    }
}

static int
b64url_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

bool
base64url_decode(struct buf *out, const char *text, size_t len)
{
    uint32_t acc = 0;
    int bits = 0;

    if (len % 4 == 1)
        return false;
    for (size_t i = 0; i < len; i++) {
        int v = b64url_value(text[i]);

        if (v < 0)
            return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf_addc(out, (char)((acc >> bits) & 0xFF));
        }
    }
    /* leftover bits must be zero, so that each byte string has one spelling */
    return (acc & ((1u << bits) - 1)) == 0;
}

void
hex_encode(struct buf *b, const void *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = data;

    for (size_t i = 0; i < len; i++) {
        buf_addc(b, hex[p[i] >> 4]);
        buf_addc(b, hex[p[i] & 15]);
    }
}

bool
all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s != '\0'; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

bool
parse_int64(const char *s, int64_t *out)
{
    char *end;
    long long v;

    if (*s == '\0' || isspace((unsigned char)*s))
        return false;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = v;
    return true;
}

void
json_merge_patch(json_t *target, const json_t *patch)
{
    const char *key;
    json_t *v;

    json_object_foreach ((json_t *)patch, key, v) {
        json_t *cur = json_object_get(target, key);

        if (json_is_null(v)) {
            json_object_del(target, key);
        } else if (json_is_object(v)) {
            if (!json_is_object(cur)) {
                cur = json_object();
                json_object_set_new(target, key, cur);
            }
            json_merge_patch(cur, v);
        } else {
            json_object_set(target, key, v);
        }
    }
}

uint64_t
hash_fnv1a(const void *s, size_t n)
{
    const unsigned char *p = s;
    uint64_t h = 1469598103934665603ULL;

    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h;
}

const char *
json_error_said(const json_error_t *e)
{
    if (json_error_code(e) == json_error_null_character)
        return "a string holds \\u0000 (NUL), which is not accepted";
    return e->text;
}
