/* textquery.c - the search syntax users type: words, "exact phrases",
 * prefix*, -excluded, NOT excluded, a OR b.  Parsed into terms, never
 * passed on as text. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/query.h"
#include "gazette/xalloc.h"

/* Code points that SQLite's unicode61 tokenizer (under the gazette
 * tokenizer, which reads Chinese and Japanese itself) takes for separators,
 * in the blocks where people type punctuation and symbols: Latin-1's
 * punctuation, general punctuation (dashes, curly quotes, the ellipsis),
 * currency signs, arrows to dingbats, CJK and full-width punctuation, and
 * emoji.  A term of these only gives no token, and such a term ANDed with
 * the others would match no article at all. */
static const uint32_t separators[][2] = {
    {0x80, 0xA9},       {0xAB, 0xB1},       {0xB4, 0xB4},       {0xB6, 0xB8},
    {0xBB, 0xBB},       {0xBF, 0xBF},       {0xD7, 0xD7},       {0xF7, 0xF7},
    {0x2000, 0x2064},   {0x206A, 0x206F},   {0x20A0, 0x20B9},   {0x2190, 0x23F3},
    {0x2400, 0x2426},   {0x2440, 0x244A},   {0x249C, 0x24E9},   {0x2500, 0x26FF},
    {0x2701, 0x2775},   {0x2794, 0x2B4C},   {0x2B50, 0x2B59},   {0x2E00, 0x2E2E},
    {0x2E30, 0x2E3B},   {0x3000, 0x3004},   {0x3008, 0x3020},   {0x3030, 0x3030},
    {0x3036, 0x3037},   {0x303D, 0x303F},   {0xFE10, 0xFE19},   {0xFE30, 0xFE52},
    {0xFE54, 0xFE66},   {0xFE68, 0xFE6B},   {0xFEFF, 0xFEFF},   {0xFF01, 0xFF0F},
    {0xFF1A, 0xFF20},   {0xFF3B, 0xFF40},   {0xFF5B, 0xFF65},   {0xFFE0, 0xFFE6},
    {0xFFE8, 0xFFEE},   {0x1F000, 0x1F02B}, {0x1F030, 0x1F093}, {0x1F0A0, 0x1F0AE},
    {0x1F0B1, 0x1F0BE}, {0x1F0C1, 0x1F0CF}, {0x1F0D1, 0x1F0DF}, {0x1F110, 0x1F12E},
    {0x1F130, 0x1F16B}, {0x1F170, 0x1F19A}, {0x1F1E6, 0x1F202}, {0x1F210, 0x1F23A},
    {0x1F240, 0x1F248}, {0x1F250, 0x1F251}, {0x1F300, 0x1F320}, {0x1F330, 0x1F335},
    {0x1F337, 0x1F37C}, {0x1F380, 0x1F393}, {0x1F3A0, 0x1F3C4}, {0x1F3C6, 0x1F3CA},
    {0x1F3E0, 0x1F3F0}, {0x1F400, 0x1F43E}, {0x1F440, 0x1F440}, {0x1F442, 0x1F4F7},
    {0x1F4F9, 0x1F4FC}, {0x1F500, 0x1F53D}, {0x1F540, 0x1F543}, {0x1F550, 0x1F567},
    {0x1F5FB, 0x1F640}, {0x1F645, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F700, 0x1F773}};

/* Decodes the code point at s[*i] (of n bytes) and moves *i past it; a
 * byte that does not start a valid sequence is U+FFFD, which is no
 * separator, as any non-ASCII byte was taken for part of a word. */
static uint32_t
next_code_point(const unsigned char *s, size_t n, size_t *i)
{
    unsigned char c = s[(*i)++];
    size_t len = c < 0x80 ? 1 : c < 0xC0 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = c & (0x7Fu >> len);

    if (len == 1)
        return c;
    if (len == 0 || *i + len - 1 > n)
        return 0xFFFD;
    for (size_t k = 1; k < len; k++, (*i)++) {
        if ((s[*i] & 0xC0) != 0x80)
            return 0xFFFD;
        cp = (cp << 6) | (s[*i] & 0x3F);
    }
    return cp;
}

static bool
is_separator(uint32_t cp)
{
    size_t lo = 0, hi = sizeof(separators) / sizeof(separators[0]);

    if (cp < 0x80)
        return !isalnum((int)cp);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;

        if (cp < separators[mid][0])
            hi = mid;
        else if (cp > separators[mid][1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

/* True when s[0..n) has a letter or digit (any character but ASCII
 * punctuation and the separators above), so that the term can match
 * something. */
static bool
has_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n;)
        if (!is_separator(next_code_point((const unsigned char *)s, n, &i)))
            return true;
    return false;
}

void
text_query_release(struct text_query *tq)
{
    for (size_t i = 0; i < tq->n; i++)
        free(tq->terms[i].text);
    tq->n = 0;
}

static enum err
fail(struct text_query *tq, struct err_info *ei, const char *field, const char *msg)
{
    text_query_release(tq);
    return err_field(ei, field, "%s: %s", field, msg);
}

enum err
text_query_parse(const char *q, const char *field, struct text_query *tq,
                 struct err_info *ei)
{
    const char *p = q;
    bool negate = false, or_next = false, positive = false, last_negated = false;
    int group = -1;

    memset(tq, 0, sizeof(*tq));
    if (strlen(q) > TQ_MAX_LEN)
        return fail(tq, ei, field, "the query is longer than 512 bytes");
    for (;;) {
        const char *start, *end;
        bool phrase = false, prefix = false;

        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0')
            break;
        if (*p == '"') {
            start = ++p;
            end = strchr(p, '"');
            if (end == NULL)
                return fail(tq, ei, field, "a quotation mark is not closed");
            p = end + 1;
            phrase = true;
            if (*p == '*') { /* "digital econ"*: its last word a prefix */
                prefix = true;
                p++;
            }
        } else {
            /* a "-" excludes the term it is attached to; standing alone
             * ("tariffs - steel", "tariffs -- steel") it is punctuation,
             * as a dash is */
            if (*p == '-' && !negate) {
                const char *w = p + 1, *e = w;

                while (*e != '\0' && !isspace((unsigned char)*e) && *e != '"')
                    e++;
                if (*w == '"' || has_word(w, (size_t)(e - w))) {
                    negate = true;
                    p++;
                    continue;
                }
            }
            start = p;
            while (*p != '\0' && !isspace((unsigned char)*p) && *p != '"')
                p++;
            end = p;
            if (!negate && end - start == 2 && memcmp(start, "OR", 2) == 0) {
                if (group < 0 || or_next)
                    return fail(tq, ei, field, "OR needs a term on each side");
                if (last_negated)
                    return fail(tq, ei, field, "OR cannot join an excluded term");
                or_next = true;
                continue;
            }
            if (!negate && end - start == 3 && memcmp(start, "NOT", 3) == 0) {
                negate = true;
                continue;
            }
            if (!negate && end - start == 3 && memcmp(start, "AND", 3) == 0)
                continue; /* terms are AND'd anyway */
            if (end > start && end[-1] == '*') {
                prefix = true;
                end--;
            }
        }
        if (!has_word(start, (size_t)(end - start))) {
            if (phrase || prefix || negate)
                return fail(tq, ei, field, "a term has no letters or digits");
            continue; /* stray punctuation between words */
        }
        if (tq->n == TQ_MAX_TERMS)
            return fail(tq, ei, field, "the query has more than 32 terms");
        if (or_next && negate)
            return fail(tq, ei, field, "OR cannot join an excluded term");
        if (!negate && !or_next)
            group = tq->ngroups++;
        struct tq_term *t = &tq->terms[tq->n++];

        t->text = xstrndup(start, (size_t)(end - start));
        t->phrase = phrase;
        t->prefix = prefix;
        t->negated = negate;
        t->group = negate ? -1 : group;
        positive = positive || !negate;
        last_negated = negate;
        negate = false;
        or_next = false;
    }
    if (or_next)
        return fail(tq, ei, field, "OR needs a term on each side");
    if (negate)
        return fail(tq, ei, field, "- or NOT needs a term after it");
    if (!positive)
        return fail(tq, ei, field,
                    tq->n == 0
                        ? "the query has no words to look for"
                        : "the query has only excluded terms; add one to look for");
    return ERR_OK;
}
