/* raw.c - the raw text format: a " date YYYY-MM-DD Title: ..." line, then
 * paragraphs separated by blank lines, perhaps followed by the share
 * buttons of the page it was scraped from. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gazette/buf.h"
#include "gazette/ingest.h"
#include "gazette/util.h"

static const char *
skip_blank(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/* On success *date and *date_len give the word after "date" (a date or
 * not: a header with a mistyped date is still a header, to be reported),
 * and *title and *title_len the title (trimmed). */
static bool
parse_header(const char *line, size_t len, const char **date, size_t *date_len,
             const char **title, size_t *title_len)
{
    const char *p = line, *end = line + len;

    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) /* byte order mark */
        p += 3;
    p = skip_blank(p, end);
    if (end - p < 5 || strncasecmp(p, "date ", 5) != 0)
        return false;
    p = skip_blank(p + 5, end);
    *date = p;
    while (p < end && *p != ' ' && *p != '\t')
        p++;
    *date_len = (size_t)(p - *date);
    p = skip_blank(p, end);
    if (*date_len == 0 || end - p < 6 || strncasecmp(p, "Title:", 6) != 0)
        return false;
    p = skip_blank(p + 6, end);
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    *title = p;
    *title_len = (size_t)(end - p);
    return true;
}

bool
raw_is_header(const char *line, size_t len)
{
    const char *date, *title;
    size_t dlen, tlen;

    return parse_header(line, len, &date, &dlen, &title, &tlen);
}

/* Share buttons and their labels as scraped from the bottom of a page,
 * down to a blog's "Related" heading. */
static bool
social_word(const char *w, size_t n)
{
    static const char *const words[] = {
        "facebook", "x",          "twitter", "linkedin",  "whatsapp",  "telegram",
        "reddit",   "email",      "e-mail",  "print",     "pinterest", "tumblr",
        "pocket",   "wechat",     "weibo",   "more",      "mastodon",  "threads",
        "bluesky",  "line",       "skype",   "messenger", "share",     "tweet",
        "like",     "loading...", "loading", "vk",        "xing",      "flipboard",
        "related",
    };

    while (n > 0 && (w[n - 1] == ':' || w[n - 1] == ','))
        n--;
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i]) == n && strncasecmp(w, words[i], n) == 0)
            return true;
    return false;
}

/* True when a paragraph is page furniture rather than article text:
 * "Share this: Facebook", "Like this:", or nothing but network names. */
static bool
is_boilerplate(const char *p, size_t n)
{
    static const char *const labels[] = {"Share this:", "Share on ",
                                         "Like this:", "Share:"};

    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        if (n >= strlen(labels[i]) && strncasecmp(p, labels[i], strlen(labels[i])) == 0)
            return true;
    const char *end = p + n;
    int words = 0;

    while (p < end) {
        while (p < end && (isspace((unsigned char)*p) || *p == '|' || *p == ','))
            p++;
        const char *w = p;
        while (p < end && !isspace((unsigned char)*p) && *p != '|')
            p++;
        if (p > w) {
            if (!social_word(w, (size_t)(p - w)))
                return false;
            words++;
        }
    }
    return words > 0 && words <= 12;
}

struct para {
    size_t start, len; /* in the joined body */
};

json_t *
raw_parse(const char *text, size_t len, struct err_info *ei)
{
    const char *p = text, *end = text + len, *nl, *date, *title;
    size_t date_len, title_len, npara = 0, cap = 16;
    struct para *paras = NULL;
    struct buf body;
    bool in_para = false;
    json_t *out = NULL;

    if (!utf8_valid(text, len)) {
        err_set(ei, ERR_INVALID, "the text is not valid UTF-8 (or contains NUL bytes)");
        return NULL;
    }
    while (p < end && (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t'))
        p++;
    nl = memchr(p, '\n', (size_t)(end - p));
    if (nl == NULL)
        nl = end;
    if (!parse_header(p, (size_t)(nl - p), &date, &date_len, &title, &title_len)) {
        err_set(ei, ERR_INVALID,
                "the first line should read \" date YYYY-MM-DD Title: the title\"");
        return NULL;
    }
    char datebuf[11] = "";
    if (date_len == 10) {
        memcpy(datebuf, date, 10);
        datebuf[10] = '\0';
    }
    if (!date_valid(datebuf)) {
        err_set(ei, ERR_INVALID, "\"%.*s\" is not a date written YYYY-MM-DD",
                (int)(date_len < 40 ? date_len : 40), date);
        return NULL;
    }
    if (title_len == 0) {
        err_set(ei, ERR_INVALID, "the title is empty");
        return NULL;
    }
    buf_init(&body);
    paras = malloc(cap * sizeof(*paras));
    if (paras == NULL)
        abort();
    for (p = nl < end ? nl + 1 : end; p < end; p = nl < end ? nl + 1 : end) {
        const char *s, *e;

        nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL)
            nl = end;
        s = p;
        e = nl;
        while (s < e && isspace((unsigned char)*s))
            s++;
        while (e > s && isspace((unsigned char)e[-1]))
            e--;
        if (s == e) {
            in_para = false;
            continue;
        }
        if (in_para) {
            buf_addc(&body, ' ');
            paras[npara - 1].len += 1 + (size_t)(e - s);
        } else {
            if (npara > 0)
                buf_adds(&body, "\n\n");
            if (npara == cap) {
                cap *= 2;
                paras = realloc(paras, cap * sizeof(*paras));
                if (paras == NULL)
                    abort();
            }
            paras[npara].start = body.len;
            paras[npara].len = (size_t)(e - s);
            npara++;
            in_para = true;
        }
        buf_add(&body, s, (size_t)(e - s));
    }
    /* drop trailing boilerplate, paragraph by paragraph */
    while (npara > 0 &&
           is_boilerplate(body.data + paras[npara - 1].start, paras[npara - 1].len)) {
        npara--;
        body.len = npara > 0 ? paras[npara].start - 2 : 0;
        body.data[body.len] = '\0';
    }
    if (body.len == 0) {
        err_set(ei, ERR_INVALID, "the article has no text after its title line");
        goto out;
    }
    out = json_pack("{s:s%, s:s, s:s%}", "title", title, title_len, "published", datebuf,
                    "body", body.data, body.len);
out:
    free(paras);
    buf_release(&body);
    return out;
}
