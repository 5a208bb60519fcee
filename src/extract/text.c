/* text.c - cuts an article body into word and punctuation tokens (with
 * byte and code-point offsets), pairs double quotation marks into
 * quotations, and finds paragraphs and sentences.  Everything is one pass
 * or two over the text. */
#include <ctype.h>
#include <string.h>

#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "internal.h"

/* ---- characters ---- */

bool
cp_is_upper(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'A' && cp <= 'Z';
    if (cp >= 0xC0 && cp <= 0xDE)
        return cp != 0xD7;
    if (cp >= 0x100 && cp <= 0x137)
        return cp % 2 == 0;
    if (cp >= 0x139 && cp <= 0x148)
        return cp % 2 == 1;
    if (cp >= 0x14A && cp <= 0x177)
        return cp % 2 == 0;
    if (cp == 0x178)
        return true;
    if (cp >= 0x179 && cp <= 0x17E)
        return cp % 2 == 1;
    if (cp >= 0x218 && cp <= 0x21B)
        return cp % 2 == 0;
    return (cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x400 && cp <= 0x42F);
}

bool
cp_is_lower(uint32_t cp)
{
    if (cp < 0x80)
        return cp >= 'a' && cp <= 'z';
    if (cp >= 0xDF && cp <= 0xFF)
        return cp != 0xF7;
    if (cp >= 0x100 && cp <= 0x17F)
        return !cp_is_upper(cp);
    if (cp >= 0x218 && cp <= 0x21B)
        return cp % 2 == 1;
    return (cp >= 0x3B1 && cp <= 0x3C9) || (cp >= 0x430 && cp <= 0x45F);
}

static bool
cp_is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' ||
           cp == '\f' || cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

static bool
ascii_alnum(uint32_t c)
{
    return (c | 0x20) - 'a' < 26 || c - '0' < 10;
}

/* Letters and digits of any script; punctuation, symbols and emoji are
 * not.  Combining marks and joiners continue a word. */
static bool
cp_is_word(uint32_t cp)
{
    if (cp < 0x80)
        return ascii_alnum(cp);
    if (cp < 0xC0)
        return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
    if (cp == 0xD7 || cp == 0xF7)
        return false;
    if (cp >= 0x2000 && cp <= 0x2BFF)
        return cp == 0x200C || cp == 0x200D;
    if ((cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
        (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
        (cp >= 0xE000 && cp <= 0xF8FF) || (cp >= 0x1F000 && cp <= 0x1FAFF))
        return false;
    return true;
}

static bool
cp_is_hyphen(uint32_t cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == 0x2013;
}

static bool
cp_is_apostrophe(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019;
}

static bool
cp_is_dquote(uint32_t cp)
{
    return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0x201E || cp == 0x201F ||
           cp == 0xAB || cp == 0xBB;
}

/* Code point at p without advancing, 0 at the end.  Most text is
 * ASCII: one byte is one code point. */
static uint32_t
peek(const char *p, const char *end)
{
    if (p >= end)
        return 0;
    if ((unsigned char)*p < 0x80)
        return (unsigned char)*p;
    return utf8_next(&p);
}

/* ---- tokens ---- */

struct lexer {
    struct doc *d;
    const char *p, *end;
    size_t cpos;     /* code points before p */
    uint32_t para;   /* current paragraph */
    bool para_start; /* the next token starts a paragraph */
};

/* Consumes one code point, counting it. */
static uint32_t
lx_take(struct lexer *lx)
{
    uint32_t cp;

    lx->cpos++;
    if ((unsigned char)*lx->p < 0x80)
        return (unsigned char)*lx->p++;
    cp = utf8_next(&lx->p);
    return cp;
}

/* Whether the word being read continues with the joiner at lx->p:
 * "don't", "el-Masri", "3.4", "U.S.", "NT&R", "Emberly.com.au", "24/7". */
static bool
lx_joins(const struct lexer *lx, const char *wstart)
{
    const char *q = lx->p;
    uint32_t c = utf8_next(&q), next = peek(q, lx->end);
    uint32_t prev = (unsigned char)lx->p[-1];

    if (!cp_is_word(next))
        return false;
    if (cp_is_apostrophe(c) || cp_is_hyphen(c))
        return true;
    if (c == '.' || c == ',' || c == '/')
        return (isdigit((int)prev) && next < 0x80 && isdigit((int)next)) ||
               (c == '.' && (cp_is_lower(next) || lx->p - wstart == 1 ||
                             (lx->p - wstart >= 3 && lx->p[-2] == '.')));
    if (c == '&')
        return cp_is_upper(prev) && cp_is_upper(next);
    return false;
}

/* Case flags and the possessive ending of the word just read. */
static void
word_finish(struct doc *d, struct tok *t)
{
    const char *s = d->text + t->b0, *p = s, *end = d->text + t->b1;
    size_t n = t->b1 - t->b0;
    int upper = 0, lower = 0;
    uint32_t first = peek(s, end);

    if (n > 2 && (s[n - 2] == '\'') && (s[n - 1] == 's' || s[n - 1] == 'S'))
        t->poss = 2;
    else if (n > 4 && memcmp(s + n - 4, "\xE2\x80\x99", 3) == 0 &&
             (s[n - 1] == 's' || s[n - 1] == 'S'))
        t->poss = 4;
    else if (n > 2 && s[n - 1] == '\'' && (s[n - 2] == 's' || s[n - 2] == 'S'))
        t->poss = 1; /* "Kessel Falls' selectman" */
    else if (n > 4 && memcmp(s + n - 3, "\xE2\x80\x99", 3) == 0 &&
             (s[n - 4] == 's' || s[n - 4] == 'S'))
        t->poss = 3;
    while (p < end - t->poss) {
        uint32_t cp = (unsigned char)*p < 0x80 ? (unsigned char)*p++ : utf8_next(&p);

        upper += cp_is_upper(cp);
        lower += cp_is_lower(cp);
        if (cp_is_hyphen(cp))
            t->flags |= TF_HYPHEN;
    }
    t->kind = first < 0x80 && isdigit((int)first) ? TK_NUM : TK_WORD;
    if (cp_is_upper(first))
        t->flags |= TF_CAP;
    else if (cp_is_lower(first))
        t->flags |= TF_LOWER;
    if (upper >= 2 && lower == 0)
        t->flags |= TF_ALLCAPS;
}

static struct tok *
lx_push(struct lexer *lx, size_t b0, size_t c0)
{
    struct doc *d = lx->d;
    struct tok *t;

    VEC_RESERVE(d->tok, d->ntok, d->captok);
    t = &d->tok[d->ntok++];
    memset(t, 0, sizeof(*t));
    t->b0 = b0;
    t->c0 = c0;
    t->quote = -1;
    t->para = lx->para;
    if (lx->para_start)
        t->flags |= TF_PARA;
    lx->para_start = false;
    return t;
}

/* Skips white space; a blank line (two or more newlines) starts a new
 * paragraph. */
static void
lx_space(struct lexer *lx)
{
    int newlines = 0;

    while (lx->p < lx->end) {
        uint32_t cp = peek(lx->p, lx->end);

        if (!cp_is_space(cp))
            break;
        newlines += cp == '\n';
        lx_take(lx);
    }
    if (newlines >= 2 && lx->d->ntok > 0) {
        lx->para++;
        lx->para_start = true;
    }
}

static void
lx_word(struct lexer *lx)
{
    const char *start = lx->p;
    struct tok *t = lx_push(lx, (size_t)(lx->p - lx->d->text), lx->cpos);

    lx_take(lx);
    while (lx->p < lx->end) {
        uint32_t cp = peek(lx->p, lx->end);

        if (cp_is_word(cp)) {
            lx_take(lx);
            continue;
        }
        if (!lx_joins(lx, start))
            break;
        lx_take(lx);
    }
    /* "U.S." keeps its final period */
    if (lx->p < lx->end && *lx->p == '.' && lx->p - start >= 3 && lx->p[-2] == '.')
        lx_take(lx);
    /* a plural's possessive apostrophe: "the protesters' demands" */
    if (lx->p - start > 1 && (lx->p[-1] == 's' || lx->p[-1] == 'S') &&
        cp_is_apostrophe(peek(lx->p, lx->end))) {
        const char *q = lx->p;

        utf8_next(&q);
        if (!cp_is_word(peek(q, lx->end)))
            lx_take(lx);
    }
    t->b1 = (size_t)(lx->p - lx->d->text);
    t->c1 = lx->cpos;
    word_finish(lx->d, t);
}

static void
tokenize(struct doc *d)
{
    struct lexer lx = {d, d->text, d->text + d->len, 0, 0, true};

    /* room for a token every four bytes saves most regrowing */
    d->captok = d->len / 4 + 16;
    d->tok = xmalloc(d->captok * sizeof(*d->tok));

    while (lx.p < lx.end) {
        uint32_t cp;

        lx_space(&lx);
        if (lx.p >= lx.end)
            break;
        cp = peek(lx.p, lx.end);
        if (cp_is_word(cp)) {
            lx_word(&lx);
            continue;
        }
        struct tok *t = lx_push(&lx, (size_t)(lx.p - d->text), lx.cpos);

        t->cp = lx_take(&lx);
        t->kind = TK_PUNCT;
        t->b1 = (size_t)(lx.p - d->text);
        t->c1 = lx.cpos;
    }
}

/* ---- quotations ---- */

/* Code point before byte pos of the text (0 at the start). */
static uint32_t
cp_before(const struct doc *d, size_t pos)
{
    size_t k = pos;

    if (pos == 0)
        return 0;
    do
        k--;
    while (k > 0 && ((unsigned char)d->text[k] & 0xC0) == 0x80);
    return peek(d->text + k, d->text + pos);
}

/* Whether the straight or curly mark at token i opens (1) or closes (0) a
 * quotation, from the glyph and the spacing around it; -1 if unclear. */
static int
mark_role(const struct doc *d, size_t i)
{
    const struct tok *t = &d->tok[i];
    uint32_t l = cp_before(d, t->b0), r = peek(d->text + t->b1, d->text + d->len);
    bool before = l == 0 || cp_is_space(l) || (t->flags & TF_PARA) ||
                  (l < 0x80 && strchr("([{-", (int)l) != NULL) || l == 0x2014 ||
                  l == 0x2013;
    bool after = r == 0 || cp_is_space(r) ||
                 (r < 0x80 && strchr(",.;:!?)]}-", (int)r) != NULL) || r == 0x2014 ||
                 r == 0x2013;

    if (t->cp == 0x201C || t->cp == 0x201E || t->cp == 0x201F || t->cp == 0xAB)
        return 1;
    if (t->cp == 0x201D || t->cp == 0xBB)
        return before && !after ? -1 : 0;
    if (before && !after)
        return 1;
    if (after && !before)
        return 0;
    return -1;
}

/* Words in a quotation that are all capitalized ("5G + Industrial
 * Internet", a bill's name) name something; lower-case words are speech. */
static bool
quotation_is_speech(const struct doc *d, size_t lo, size_t hi)
{
    static const char *const minor[] = {"of",  "and", "the", "a",  "an", "for", "in",
                                        "on",  "to",  "at",  "by", "or", "de",  "la",
                                        "del", "von", "van", "y",  "e",  "with"};

    for (size_t i = lo; i < hi; i++) {
        const struct tok *t = &d->tok[i];
        bool is_minor = false;

        if (t->kind != TK_WORD || !(t->flags & TF_LOWER))
            continue;
        for (size_t k = 0; k < sizeof(minor) / sizeof(minor[0]); k++)
            is_minor = is_minor || tok_is(d, i, minor[k]);
        if (!is_minor)
            return true;
    }
    return false;
}

static void
quotation_add(struct doc *d, size_t open, size_t close, bool closed, int32_t prev)
{
    struct quotation *q;
    int32_t idx = (int32_t)d->nq;

    VEC_RESERVE(d->q, d->nq, d->capq);
    q = &d->q[d->nq++];
    q->open = open;
    q->close = close;
    q->closed = closed;
    q->prev = prev;
    q->speech = quotation_is_speech(d, open + 1, close);
    d->tok[open].flags |= TF_QOPEN;
    d->tok[open].quote = idx;
    if (closed) {
        d->tok[close].flags |= TF_QCLOSE;
        d->tok[close].quote = idx;
    }
    for (size_t i = open + 1; i < close; i++) {
        d->tok[i].flags |= TF_INQ;
        d->tok[i].quote = idx;
    }
}

/* Pairs the marks of one paragraph, tokens [lo, hi).  Double marks nest
 * at most one level: an inner pair stays inside the outer quotation.
 * Returns the token of an opening mark left unclosed at the end, or
 * (size_t)-1. */
static size_t
pair_paragraph(struct doc *d, size_t lo, size_t hi)
{
    size_t open = (size_t)-1;
    int depth = 0;

    for (size_t i = lo; i < hi; i++) {
        if (d->tok[i].kind != TK_PUNCT || !cp_is_dquote(d->tok[i].cp))
            continue;
        int role = mark_role(d, i);

        if (role < 0)
            role = depth == 0;
        if (role == 1) {
            if (depth == 0)
                open = i;
            depth += depth < 2;
        } else if (depth == 2) {
            depth = 1;
        } else if (depth == 1) {
            quotation_add(d, open, i, true, -1);
            depth = 0;
            open = (size_t)-1;
        }
    }
    return depth > 0 ? open : (size_t)-1;
}

/* Pairs marks paragraph by paragraph.  A paragraph that ends inside a
 * quotation continues it when the next paragraph opens with a mark, as
 * printed quotations running over paragraphs do; otherwise the stray mark
 * quotes nothing.  An unclosed mark in the last paragraph still quotes. */
static void
pair_quotes(struct doc *d)
{
    size_t lo = 0;

    while (lo < d->ntok) {
        size_t hi = lo + 1;

        while (hi < d->ntok && !(d->tok[hi].flags & TF_PARA))
            hi++;
        size_t open = pair_paragraph(d, lo, hi);

        if (open != (size_t)-1) {
            bool goes_on = hi < d->ntok && d->tok[hi].kind == TK_PUNCT &&
                           cp_is_dquote(d->tok[hi].cp) && mark_role(d, hi) != 0;

            if (goes_on || hi == d->ntok)
                quotation_add(d, open, hi, false, -1);
        }
        lo = hi;
    }
    /* link each segment that starts a paragraph to the open one before it */
    for (size_t k = 1; k < d->nq; k++)
        if (!d->q[k - 1].closed && d->q[k - 1].close == d->q[k].open)
            d->q[k].prev = (int32_t)(k - 1);
}

/* ---- sentences ---- */

static bool
starts_sentence(const struct doc *d, size_t j)
{
    const struct tok *t = &d->tok[j];

    if (t->kind == TK_NUM || (t->kind == TK_WORD && (t->flags & TF_CAP)))
        return true;
    return t->kind == TK_PUNCT && ((t->flags & TF_QOPEN) || t->cp == '(' || t->cp == '[');
}

/* Whether a sentence ends after token i; *next is where the next one
 * starts (closing marks and brackets stay with this one). */
static bool
boundary_after(const struct doc *d, size_t i, size_t *next)
{
    const struct tok *t = &d->tok[i];
    size_t j = i + 1;

    if (t->kind != TK_PUNCT || (t->flags & TF_INQ))
        return false;
    if (t->flags & TF_QCLOSE) {
        const struct tok *in = &d->tok[i - 1];

        /* "... on the way[.]" ends as a full stop does */
        if (in->cp == ']' && i >= 3 && tok_punct(d, i - 2, '.'))
            in = &d->tok[i - 2];
        if (in->kind != TK_PUNCT || (in->cp != '.' && in->cp != '!' && in->cp != '?'))
            return false;
    } else if (t->cp != '.' && t->cp != '!' && t->cp != '?' && t->cp != 0x2026) {
        return false;
    } else if (t->cp == '.' && i > 0 && d->tok[i - 1].b1 == t->b0) {
        const struct tok *w = &d->tok[i - 1];

        /* "Mr.", "Oct.", an initial; lower-case "no." may end a sentence */
        if (w->kind == TK_WORD && (w->flags & TF_CAP) &&
            ((lex_tok(d, i - 1) & WC_ABBREV) || w->b1 - w->b0 == 1))
            return false;
    }
    while (j < d->ntok && d->tok[j].kind == TK_PUNCT &&
           (d->tok[j].cp == ')' || d->tok[j].cp == ']' || (d->tok[j].flags & TF_QCLOSE)))
        j++;
    *next = j;
    return j < d->ntok && !(d->tok[j].flags & TF_PARA) && starts_sentence(d, j);
}

static void
sentence_add(struct doc *d, size_t lo, size_t hi)
{
    if (hi <= lo)
        return;
    VEC_RESERVE(d->sent, d->nsent, d->capsent);
    d->sent[d->nsent].lo = lo;
    d->sent[d->nsent].hi = hi;
    for (size_t i = lo; i < hi; i++)
        d->tok[i].sent = (uint32_t)d->nsent;
    d->tok[lo].flags |= TF_SENT;
    d->nsent++;
}

static void
split_sentences(struct doc *d)
{
    size_t lo = 0;

    for (size_t i = 0; i < d->ntok; i++) {
        size_t next;

        if (i > lo && (d->tok[i].flags & TF_PARA)) {
            sentence_add(d, lo, i);
            lo = i;
        }
        if (boundary_after(d, i, &next)) {
            sentence_add(d, lo, next);
            lo = next;
            i = next - 1;
        }
    }
    sentence_add(d, lo, d->ntok);
}

void
doc_init(struct doc *d, const char *text, size_t len)
{
    memset(d, 0, sizeof(*d));
    d->text = text;
    d->len = len;
    tokenize(d);
    lex_annotate(d);
    pair_quotes(d);
    split_sentences(d);
    names_mark(d);
}

void
doc_release(struct doc *d)
{
    free(d->tok);
    free(d->q);
    free(d->sent);
    memset(d, 0, sizeof(*d));
}

/* ---- token helpers ---- */

const char *
tok_word(const struct doc *d, size_t i, size_t *len)
{
    const struct tok *t = &d->tok[i];

    *len = t->b1 - t->b0 - t->poss;
    return d->text + t->b0;
}

/* Whether two bytes are the same, ignoring ASCII case. */
static bool
ascii_same(unsigned char a, unsigned char b)
{
    return a == b || ((a | 0x20) == (b | 0x20) && (unsigned)((a | 0x20) - 'a') < 26);
}

bool
tok_is(const struct doc *d, size_t i, const char *w)
{
    size_t n;
    const char *s;

    if (i >= d->ntok || d->tok[i].kind == TK_PUNCT)
        return false;
    s = tok_word(d, i, &n);
    /* ASCII case folding by hand: most calls fail on the first letter */
    for (size_t k = 0; k < n; k++)
        if (w[k] == '\0' || !ascii_same((unsigned char)s[k], (unsigned char)w[k]))
            return false;
    return w[n] == '\0';
}

bool
tok_punct(const struct doc *d, size_t i, uint32_t cp)
{
    return i < d->ntok && d->tok[i].kind == TK_PUNCT && d->tok[i].cp == cp;
}

bool
tok_is_comma(const struct doc *d, size_t i)
{
    return tok_punct(d, i, ',') || tok_punct(d, i, ';') || tok_punct(d, i, ':');
}

bool
tok_is_dash(const struct doc *d, size_t i)
{
    return tok_punct(d, i, 0x2014) || tok_punct(d, i, 0x2013) || tok_punct(d, i, '-');
}

bool
tok_sentence_end(const struct doc *d, size_t i)
{
    return i + 1 >= d->ntok || d->tok[i + 1].sent != d->tok[i].sent;
}

void
tok_text(const struct doc *d, size_t lo, size_t hi, struct buf *b)
{
    if (hi > lo)
        buf_add(b, d->text + d->tok[lo].b0, d->tok[hi - 1].b1 - d->tok[lo].b0);
}
