/* quotes.c - statements: who said what.  Each reporting verb outside
 * quotation marks ("said", "told", "according to", ", adding") is read
 * with its subject (a named person, a pronoun or "the minister") and its
 * content, which is, in this order of preference:
 *   - the quotation just before the attribution ("“…,” Lam said");
 *   - what follows the verb: a quotation ("said, “…”"), a that-clause or
 *     a plain clause ("said the bid won"), possibly with quoted words;
 *   - the clause before it ("Orders won't leave capacity idle, Maróth said").
 * Quotations nobody is named for continue the last quotation's speaker
 * when they follow it as sentences or paragraphs of their own.  Subjects
 * that are no person (organizations, publications, "officials") give no
 * statement. */
#include <stdlib.h>
#include <string.h>

#include "gazette/xalloc.h"
#include "internal.h"

#define STMT_MAX        2000 /* statements of one article */
#define CLAUSE_MAX      150  /* tokens of reported speech */
#define ADJUNCT_MAX     25   /* "in a statement on Twitter" before the content */
#define AUX_MAX         4    /* "has also repeatedly said" */
#define RECIPIENT_MAX   4    /* "told The Verge" */
#define INTERRUPT_MAX   12   /* "wrote Trump on Twitter," before the rest */
#define CLAUSAL_AUX_MAX 8    /* an auxiliary within this many words makes a clause */
#define INTRO_MAX       4    /* "Longer term, according to X, CLAUSE" */

enum sj_kind { SJ_NONE, SJ_RUN, SJ_PRONOUN, SJ_TITLE };

/* The subject of a reporting verb: tokens [lo, hi) and what they are. */
struct subject {
    enum sj_kind kind;
    size_t lo, hi;
    size_t ref; /* run index, pronoun token or title word */
};

struct finder {
    const struct doc *d;
    const struct names *nm;
    const struct people *pp;
    struct stmts *out;
    int32_t *qowner;  /* per quotation: its statement, or -1 */
    uint8_t *claimed; /* per token: part of a statement's content */
    int last_speaker;
    uint32_t last_para;
};

static size_t
sent_lo(const struct finder *f, size_t i)
{
    return f->d->sent[f->d->tok[i].sent].lo;
}

static size_t
sent_hi(const struct finder *f, size_t i)
{
    return f->d->sent[f->d->tok[i].sent].hi;
}

static bool
is_open(const struct finder *f, size_t i)
{
    return i < f->d->ntok && (f->d->tok[i].flags & TF_QOPEN);
}

static bool
is_ly_adverb(const struct doc *d, size_t i)
{
    size_t n;
    const char *w = tok_word(d, i, &n);

    return d->tok[i].kind == TK_WORD && (d->tok[i].flags & TF_LOWER) && n > 4 &&
           w[n - 2] == 'l' && w[n - 1] == 'y';
}

/* ---- statements ---- */

/* Records a statement of person e over tokens [lo, hi) with text bytes
 * from token lo to token last.  Returns its index, or -1 when it would
 * overlap one already found. */
static int
stmt_push(struct finder *f, int e, size_t lo, size_t hi, size_t last, size_t verb)
{
    const struct doc *d = f->d;
    struct stmts *st = f->out;
    struct stmt *s;

    if (e < 0 || st->n >= STMT_MAX || hi <= lo)
        return -1;
    for (size_t i = lo; i < hi; i++)
        if (f->claimed[i])
            return -1;
    VEC_RESERVE(st->s, st->n, st->cap);
    s = &st->s[st->n];
    memset(s, 0, sizeof(*s));
    s->entity = e;
    s->lo = lo;
    s->hi = hi;
    s->b0 = d->tok[lo].b0;
    s->b1 = d->tok[last].b1;
    s->c0 = d->tok[lo].c0;
    s->c1 = d->tok[last].c1;
    s->quote = -1;
    s->verb = verb;
    for (size_t i = lo; i < hi; i++) {
        f->claimed[i] = 1;
        if (d->tok[i].quote >= 0 && f->qowner[d->tok[i].quote] < 0)
            f->qowner[d->tok[i].quote] = (int32_t)st->n;
        s->direct = s->direct || (d->tok[i].quote >= 0 && d->q[d->tok[i].quote].speech);
    }
    f->last_speaker = e;
    f->last_para = d->tok[verb].para;
    return (int)st->n++;
}

/* The words of quotation q as a direct statement of e.  A comma that
 * stands for the full stop before the closing mark is left out. */
static int
quote_add(struct finder *f, int e, int32_t q, size_t verb)
{
    const struct quotation *qu;
    size_t lo, hi, last;
    int k;

    if (q < 0 || f->qowner[q] >= 0)
        return -1;
    qu = &f->d->q[q];
    lo = qu->open + 1;
    hi = qu->close;
    if (hi <= lo)
        return -1;
    last = hi - 1;
    if (tok_punct(f->d, last, ',') && last > lo)
        last--;
    k = stmt_push(f, e, qu->open, qu->closed ? hi + 1 : hi, last, verb);
    if (k < 0)
        return -1;
    struct stmt *s = &f->out->s[k];

    s->b0 = f->d->tok[lo].b0;
    s->c0 = f->d->tok[lo].c0;
    s->direct = true;
    s->quote = q;
    return k;
}

/* Whether [lo, hi) reads as a clause: a subject pronoun first, an
 * auxiliary early on (before any comma: "denied any activity, but ... was"
 * is no clause), or quoted words. */
static bool
looks_clausal(const struct finder *f, size_t lo, size_t hi)
{
    static const char *const subjects[] = {"he", "she", "it",    "they",
                                           "we", "i",   "there", "you"};
    const struct doc *d = f->d;
    bool early = true;

    for (size_t k = 0; k < sizeof(subjects) / sizeof(subjects[0]); k++)
        if (tok_is(d, lo, subjects[k]))
            return true;
    for (size_t i = lo; i < hi; i++) {
        early = early && i < lo + CLAUSAL_AUX_MAX && !tok_punct(d, i, ',');
        if (early && (lex_tok(d, i) & WC_AUX))
            return true;
        if (d->tok[i].quote >= 0 && d->q[d->tok[i].quote].speech)
            return true;
    }
    return false;
}

static bool
has_speech_quote(const struct finder *f, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        if ((f->d->tok[i].flags & TF_QOPEN) && f->d->q[f->d->tok[i].quote].speech)
            return true;
    return false;
}

/* Reported speech over [lo, hi): without a leading "that" or comma and
 * the closing punctuation; a clause that is one whole quotation is that
 * quotation. */
static int
clause_add(struct finder *f, int e, size_t lo, size_t hi, size_t verb)
{
    const struct doc *d = f->d;

    while (lo < hi &&
           (tok_is(d, lo, "that") || tok_is_comma(d, lo) || tok_is_dash(d, lo)))
        lo++;
    while (hi > lo && d->tok[hi - 1].kind == TK_PUNCT &&
           !(d->tok[hi - 1].flags & TF_QCLOSE) && d->tok[hi - 1].cp != ')' &&
           d->tok[hi - 1].cp != ']')
        hi--;
    if (hi < lo + 2)
        return -1;
    if (is_open(f, lo) && (d->tok[hi - 1].flags & TF_QCLOSE) &&
        d->tok[lo].quote == d->tok[hi - 1].quote)
        return quote_add(f, e, d->tok[lo].quote, verb);
    return stmt_push(f, e, lo, hi, hi - 1, verb);
}

/* ---- where reported speech ends ---- */

/* Whether token i starts ", adding ..." (or ", further saying"). */
static bool
participle_at(const struct finder *f, size_t i)
{
    const struct doc *d = f->d;
    size_t len, k = i;

    if (lex_tok(d, k) & WC_ADVERB || is_ly_adverb(d, k))
        k++;
    if (!(lex_verb(d, k, &len) & VB_ING) || i == 0)
        return 0;
    return tok_punct(d, i - 1, ',') || (d->tok[i - 1].flags & TF_QCLOSE) ||
           tok_punct(d, i - 1, ';');
}

/* End of a clause of reported speech starting at lo: the end of the
 * sentence, a semicolon, ", according to", or a participle that reports
 * more (", adding that"). */
static size_t
clause_end(const struct finder *f, size_t lo)
{
    const struct doc *d = f->d;
    size_t hi = sent_hi(f, lo), i = lo;

    for (size_t n = 0; i < hi && n < CLAUSE_MAX; n++) {
        if (is_open(f, i)) {
            const struct quotation *q = &d->q[d->tok[i].quote];

            i = q->closed ? q->close + 1 : q->close;
            continue;
        }
        if (tok_punct(d, i, ';') || (i > lo && participle_at(f, i)))
            break;
        if (tok_punct(d, i, ',') && tok_is(d, i + 1, "according") &&
            tok_is(d, i + 2, "to"))
            break;
        i++;
    }
    return i < hi ? i : hi;
}

/* Adds the clause at lo reported by a verb with flags vb, when it is one. */
static int
clause_at(struct finder *f, int e, size_t lo, unsigned vb, size_t verb)
{
    size_t hi = clause_end(f, lo);

    if ((vb & VB_NEEDS) && (vb & VB_REST)) {
        if (!has_speech_quote(f, lo, hi)) /* "called the police" */
            return -1;
    } else if ((vb & VB_NEEDS) && !looks_clausal(f, lo, hi)) {
        return -1; /* "announced his resignation" */
    }
    return clause_add(f, e, lo, hi, verb);
}

/* ---- subjects ---- */

/* Skips a listener after "told": "the public", "The Verge", "reporters". */
static size_t
skip_recipient(const struct finder *f, size_t p)
{
    static const char *const dets[] = {"the",   "a",   "an",  "his", "her",
                                       "their", "our", "its", "my",  "your"};
    static const char *const objs[] = {"him",         "her",       "them",
                                       "us",          "me",        "reporters",
                                       "journalists", "lawmakers", "supporters"};
    const struct doc *d = f->d;
    size_t k = p, hi = sent_hi(f, p), n = 0;

    if (p >= hi || tok_is(d, p, "that") || d->tok[p].kind == TK_PUNCT)
        return p;
    for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++)
        if (tok_is(d, p, objs[i]))
            return p + 1;
    for (size_t i = 0; i < sizeof(dets) / sizeof(dets[0]) && k == p; i++)
        if (tok_is(d, p, dets[i]))
            k++;
    while (k < hi && n < RECIPIENT_MAX && d->tok[k].kind == TK_WORD &&
           (d->tok[k].flags & (TF_CAP | TF_ALLCAPS)))
        k++, n++;
    /* "the public", "local media" */
    while (n == 0 && k < hi && k < p + 3 && d->tok[k].kind == TK_WORD &&
           (d->tok[k].flags & TF_LOWER) && !(lex_tok(d, k) & WC_STOP) &&
           !(d->tok[k - 1].kind == TK_WORD && (d->tok[k - 1].flags & TF_LOWER) && k > p &&
             !(lex_tok(d, k - 1) & WC_STOP) && (lex_tok(d, k) & WC_AUX)))
        k++;
    return k;
}

/* Whether the words after a subject end its phrase: punctuation, the end
 * of the sentence, a preposition ("said Zimmerman per ABC News"). */
static bool
phrase_ends(const struct finder *f, size_t e, size_t hi)
{
    const struct doc *d = f->d;

    return e >= hi || d->tok[e].kind == TK_PUNCT || (lex_tok(d, e) & WC_PREP) ||
           tok_is(d, e, "who");
}

/* "the commissioner", "the prime minister" ending at token t. */
static bool
title_ref_before(const struct finder *f, size_t t, size_t lo, struct subject *sj)
{
    const struct doc *d = f->d;
    size_t j = t;

    if (d->tok[t].kind != TK_WORD || !(lex_tok(d, t) & WC_TITLE))
        return false;
    while (j > lo && (lex_tok(d, j - 1) & WC_TITLE) && d->tok[j - 1].kind == TK_WORD)
        j--;
    if (j == lo || !tok_is(d, j - 1, "the"))
        return false;
    *sj = (struct subject){SJ_TITLE, j - 1, t + 1, t};
    return true;
}

/* The subject before the verb at v, with auxiliaries and adverbs between
 * ("Pelosi has said", "He also noted").  Passive and negated verbs and
 * infinitives ("declined to say") report nothing. */
static bool
subject_before(const struct finder *f, size_t v, struct subject *sj)
{
    const struct doc *d = f->d;
    size_t lo = sent_lo(f, v), k = v, t;
    int32_t r;

    for (int steps = 0; k > lo && steps < AUX_MAX; steps++) {
        unsigned c = lex_tok(d, k - 1);

        if ((c & WC_NEG) || tok_is(d, k - 1, "to") ||
            ((c & WC_PASSIVE) && !(c & WC_ADVERB)))
            return false;
        /* "Damang, a security official, on Tuesday told ..." */
        if ((c & WC_CALENDAR) && k >= lo + 2 && (lex_tok(d, k - 2) & WC_PREP)) {
            k -= 2;
            continue;
        }
        if (!(c & WC_ADVERB) && !is_ly_adverb(d, k - 1))
            break;
        k--;
    }
    if (k == lo)
        return false;
    t = k - 1;
    if (lex_tok(d, t) & WC_PRONOUN) {
        *sj = (struct subject){SJ_PRONOUN, t, k, t};
        return true;
    }
    if (tok_is(d, t, "who"))
        k = t; /* "Alex Greenwich who said" */
    r = f->nm->at_end[k];
    if (r >= 0 && f->nm->run[r].head && !f->nm->run[r].poss) {
        *sj = (struct subject){SJ_RUN, f->nm->run[r].pre, k, (size_t)r};
        return true;
    }
    return title_ref_before(f, t, lo, sj);
}

/* The subject right after token p: "said Russell Zimmerman per ABC News",
 * "according to Zhang Yuxian, director of ...". */
static bool
subject_after(const struct finder *f, size_t p, struct subject *sj)
{
    const struct doc *d = f->d;
    size_t hi, j;
    int32_t r;

    if (p >= d->ntok)
        return false;
    hi = sent_hi(f, p);
    if ((lex_tok(d, p) & WC_PRONOUN) && phrase_ends(f, p + 1, hi)) {
        *sj = (struct subject){SJ_PRONOUN, p, p + 1, p};
        return true;
    }
    r = f->nm->at_start[p];
    if (r >= 0) {
        const struct run *run = &f->nm->run[r];

        if (run->head && !run->poss && (run->pre == p || run->lo == p) &&
            phrase_ends(f, run->end, hi)) {
            *sj = (struct subject){SJ_RUN, p, run->end, (size_t)r};
            return true;
        }
    }
    if (!tok_is(d, p, "the"))
        return false;
    for (j = p + 1; j < hi && (lex_tok(d, j) & WC_TITLE) && d->tok[j].kind == TK_WORD;
         j++)
        ;
    if (j == p + 1 || !phrase_ends(f, j, hi))
        return false;
    *sj = (struct subject){SJ_TITLE, p, j, j - 1};
    return true;
}

static int
resolve(const struct finder *f, const struct subject *sj)
{
    switch (sj->kind) {
    case SJ_RUN:
        return f->nm->run[sj->ref].entity;
    case SJ_PRONOUN:
        return people_pronoun(f->pp, f->d, sj->lo, f->last_speaker, f->last_para);
    case SJ_TITLE:
        return people_by_title(f->pp, f->d, sj->ref, sj->lo);
    default:
        return -1;
    }
}

/* ---- content ---- */

/* The quotation that ends just before token i ("“…,” Lam said" or
 * "“…”, Johnson said"), or -1. */
static int32_t
quote_before(const struct finder *f, size_t i)
{
    const struct doc *d = f->d;
    size_t at = i;

    if (i > 0 && tok_punct(d, i - 1, ','))
        i--;
    if (i > 0 && (d->tok[i - 1].flags & TF_QCLOSE) &&
        d->tok[i - 1].para == d->tok[at].para)
        return d->tok[i - 1].quote;
    return -1;
}

/* Whether [lo, hi) is a time phrase ("in May", "on Friday"). */
static bool
time_phrase(const struct finder *f, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        if ((lex_tok(f->d, i) & WC_CALENDAR) || f->d->tok[i].kind == TK_NUM ||
            (tok_is(f->d, i, "may") && (f->d->tok[i].flags & TF_CAP)))
            return hi - lo <= 3;
    return false;
}

/* Content after an adjunct that starts at p ("said in a statement, “…”",
 * "commented on the matter — … — “…”", "said in May the bloc might ..."). */
static int
after_adjunct(struct finder *f, int e, size_t p, unsigned vb, size_t verb)
{
    const struct doc *d = f->d;
    size_t hi = sent_hi(f, p);

    for (size_t k = p; k < hi && k < p + ADJUNCT_MAX; k++) {
        if (is_open(f, k)) {
            if (tok_is_comma(d, k - 1) || tok_is_dash(d, k - 1) || time_phrase(f, p, k))
                return quote_add(f, e, d->tok[k].quote, verb);
            return -1;
        }
        if (tok_is(d, k, "that"))
            return clause_at(f, e, k + 1, vb, verb);
        if (tok_punct(d, k, ',')) {
            if (is_open(f, k + 1))
                return quote_add(f, e, d->tok[k + 1].quote, verb);
            if (participle_at(f, k + 1) || tok_is(d, k + 1, "and"))
                return -1;
            if (lex_tok(d, k + 1) & WC_PREP)
                continue; /* "told a guard at the door, in French, “…”" */
            return clause_at(f, e, k + 1, vb | VB_NEEDS, verb);
        }
        if (k > p && time_phrase(f, p, k) && (d->tok[k].flags & (TF_CAP | TF_LOWER)) &&
            !(lex_tok(d, k) & (WC_CALENDAR | WC_PREP)))
            return clause_at(f, e, k, vb | VB_NEEDS, verb);
    }
    return -1;
}

/* What the verb ending before p reports, if it says it. */
static int
content_after(struct finder *f, int e, size_t p, unsigned vb, size_t verb)
{
    const struct doc *d = f->d;
    size_t hi = sent_hi(f, verb);

    if (p >= hi)
        return -1;
    if (tok_punct(d, p, ',') || tok_punct(d, p, ':')) {
        if (participle_at(f, p + 1) || tok_is(d, p + 1, "and") || tok_is(d, p + 1, "but"))
            return -1;
        p++;
    }
    if (vb & VB_RECIP)
        p = skip_recipient(f, p);
    if (p >= hi)
        return -1;
    if (tok_is(d, p, "that"))
        return clause_at(f, e, p + 1, vb, verb);
    if (is_open(f, p))
        return quote_add(f, e, d->tok[p].quote, verb);
    if (!(vb & VB_REST) &&
        ((lex_tok(d, p) & (WC_PREP | WC_CALENDAR)) || tok_is_dash(d, p) ||
         tok_is(d, p, "of") || tok_punct(d, p, ',') || tok_punct(d, p, ':')))
        return after_adjunct(f, e, p, vb, verb);
    return clause_at(f, e, p, vb, verb);
}

/* After "“A,” wrote Trump on Twitter," the quotation that goes on. */
static void
interrupted(struct finder *f, int e, size_t p, size_t verb)
{
    const struct doc *d = f->d;
    size_t hi = sent_hi(f, verb);

    for (size_t k = p; k < hi && k < p + INTERRUPT_MAX; k++) {
        if (d->tok[k].kind == TK_PUNCT && !tok_punct(d, k, ',')) {
            if (is_open(f, k) && k > p)
                quote_add(f, e, d->tok[k].quote, verb);
            return;
        }
        if (tok_punct(d, k, ',') && is_open(f, k + 1)) {
            quote_add(f, e, d->tok[k + 1].quote, verb);
            return;
        }
    }
}

/* "Orders won't leave capacity idle, Maróth said, and paying back this
 * loan seems realistic": the clause before the attribution (ending at
 * the comma at token comma) and one joined after it with ", and". */
static void
fronted(struct finder *f, int e, size_t comma, size_t after, size_t verb)
{
    const struct doc *d = f->d;
    size_t lo = sent_lo(f, verb);

    if (comma < lo + 3 || !looks_clausal(f, lo, comma))
        return;
    if (clause_add(f, e, lo, comma, verb) < 0)
        return;
    while (after < sent_hi(f, verb) && after < verb + ADJUNCT_MAX &&
           d->tok[after].kind == TK_WORD)
        after++;
    if (tok_punct(d, after, ',') && tok_is(d, after + 1, "and") &&
        clause_end(f, after + 2) >= after + 5)
        clause_add(f, e, after + 2, clause_end(f, after + 2), verb);
}

/* ---- reporting verbs ---- */

/* A verb of vlen tokens at v with flags vb. */
static void
on_verb(struct finder *f, size_t v, size_t vlen, unsigned vb)
{
    const struct doc *d = f->d;
    struct subject sj;
    bool inverted = false;
    int e;

    if (f->claimed[v])
        return;
    if (!subject_before(f, v, &sj)) {
        if (!(vb & VB_INVERT) || v == 0 ||
            !(tok_punct(d, v - 1, ',') || (d->tok[v - 1].flags & TF_QCLOSE)) ||
            !subject_after(f, v + vlen, &sj))
            return;
        inverted = true;
    }
    e = resolve(f, &sj);
    if (e < 0)
        return;
    int32_t q = quote_before(f, inverted ? v : sj.lo);

    if (q >= 0 && quote_add(f, e, q, v) >= 0) {
        interrupted(f, e, inverted ? sj.hi : v + vlen, v);
        return;
    }
    if (!inverted && content_after(f, e, v + vlen, vb, v) >= 0)
        return;
    size_t comma = inverted ? v - 1 : sj.lo - 1;

    if (sj.lo > 0 && tok_punct(d, comma, ','))
        fronted(f, e, comma, inverted ? sj.hi : v + vlen, v);
}

/* ", adding ...", "further saying, “…”": the speaker is the one of the
 * sentence's last statement, else the person the sentence starts with. */
static void
on_participle(struct finder *f, size_t v, size_t vlen, unsigned vb)
{
    const struct doc *d = f->d;
    size_t k = v, lo = sent_lo(f, v);
    int e = -1;
    int32_t r;

    if (f->claimed[v])
        return;
    if (k > lo && ((lex_tok(d, k - 1) & WC_ADVERB) || is_ly_adverb(d, k - 1)))
        k--;
    if (k == lo || !(tok_punct(d, k - 1, ',') || (d->tok[k - 1].flags & TF_QCLOSE)))
        return;
    if (f->out->n > 0 && d->tok[f->out->s[f->out->n - 1].verb].sent == d->tok[v].sent)
        e = f->out->s[f->out->n - 1].entity;
    r = f->nm->at_start[lo];
    if (e < 0 && r >= 0 && f->nm->run[r].head && !f->nm->run[r].poss)
        e = f->nm->run[r].entity;
    if (e < 0 && (lex_tok(d, lo) & WC_PRONOUN))
        e = people_pronoun(f->pp, d, lo, f->last_speaker, f->last_para);
    if (e >= 0)
        content_after(f, e, v + vlen, vb, v);
}

/* "According to NAME, CLAUSE", "CLAUSE, according to NAME, TITLE". */
static void
on_according(struct finder *f, size_t i)
{
    const struct doc *d = f->d;
    struct subject sj;
    size_t lo = sent_lo(f, i), e;
    int who;

    if (!subject_after(f, i + 2, &sj) || (who = resolve(f, &sj)) < 0)
        return;
    e = sj.hi;
    if (sj.kind == SJ_RUN && !f->nm->run[sj.ref].app_titled)
        e = f->nm->run[sj.ref].post;
    /* "According to X, CLAUSE" and "Longer term, according to X, CLAUSE" */
    if (i == lo ||
        (i <= lo + INTRO_MAX && tok_punct(d, i - 1, ',') && tok_punct(d, e, ','))) {
        if (tok_punct(d, e, ','))
            e++;
        clause_add(f, who, e, clause_end(f, e), i);
    } else {
        clause_add(f, who, lo, tok_punct(d, i - 1, ',') ? i - 1 : i, i);
    }
}

/* ---- quotations nobody is named for ---- */

/* Per sentence: whether a reporting verb stands outside its quotations. */
static uint8_t *
sentences_with_verbs(const struct doc *d)
{
    uint8_t *has = xcalloc(d->nsent + 1, 1);

    for (size_t i = 0; i < d->ntok; i++) {
        size_t len;

        if (lex_verb(d, i, &len) || (tok_is(d, i, "according") && tok_is(d, i + 1, "to")))
            has[d->tok[i].sent] = 1;
    }
    return has;
}

/* Prefix counts of statement verbs, so "was anyone else quoted between
 * these tokens" is one subtraction. */
static size_t *
verb_prefix(const struct finder *f)
{
    size_t *pre = xcalloc(f->d->ntok + 1, sizeof(*pre));

    for (size_t k = 0; k < f->out->n; k++)
        pre[f->out->s[k].verb + 1]++;
    for (size_t i = 1; i <= f->d->ntok; i++)
        pre[i] += pre[i - 1];
    return pre;
}

/* The speaker that quotation k continues, or -1: the speaker of the
 * quotation before it when k opens a sentence of its own in the same
 * paragraph, or opens the next paragraph, with nobody else quoted
 * between. */
static int
continues(const struct finder *f, size_t k, const uint8_t *verbs, const size_t *pre)
{
    const struct doc *d = f->d;
    const struct quotation *q = &d->q[k], *p;
    const struct stmt *s;
    size_t from, to;

    if (k == 0 || f->qowner[k - 1] < 0 || !q->speech || verbs[d->tok[q->open].sent])
        return -1;
    p = &d->q[k - 1];
    s = &f->out->s[f->qowner[k - 1]];
    if (!(d->tok[q->open].flags & TF_SENT))
        return -1;
    if (d->tok[q->open].para != d->tok[p->open].para &&
        !((d->tok[q->open].flags & TF_PARA) &&
          d->tok[q->open].para == d->tok[p->open].para + 1 && s->verb < q->open &&
          d->tok[s->verb].sent + 1 >= d->tok[q->open].sent))
        return -1;
    from = p->close < s->verb ? p->close : s->verb;
    to = q->open;
    if (pre[to] - pre[from + 1] > (s->verb > from && s->verb < to))
        return -1;
    return s->entity;
}

static void
continuations(struct finder *f)
{
    const struct doc *d = f->d;
    uint8_t *verbs = sentences_with_verbs(d);
    size_t *pre = verb_prefix(f);

    for (size_t k = 0; k < d->nq; k++) {
        const struct quotation *q = &d->q[k];
        int e = -1;

        if (f->qowner[k] >= 0)
            continue;
        if (q->prev >= 0 && f->qowner[q->prev] >= 0)
            e = f->out->s[f->qowner[q->prev]].entity;
        else
            e = continues(f, k, verbs, pre);
        if (e >= 0)
            quote_add(f, e, (int32_t)k, q->open);
    }
    /* the opening paragraphs of a quotation attributed at its end */
    for (size_t k = d->nq; k-- > 1;)
        if (d->q[k].prev == (int32_t)k - 1 && f->qowner[k] >= 0 && f->qowner[k - 1] < 0)
            quote_add(f, f->out->s[f->qowner[k]].entity, (int32_t)k - 1,
                      d->q[k - 1].open);
    free(verbs);
    free(pre);
}

static int
cmp_stmt(const void *a, const void *b)
{
    const struct stmt *x = a, *y = b;

    return (x->b0 > y->b0) - (x->b0 < y->b0);
}

void
quotes_find(struct stmts *out, const struct doc *d, const struct names *nm,
            const struct people *pp)
{
    struct finder f = {d, nm, pp, out, NULL, NULL, -1, 0};

    memset(out, 0, sizeof(*out));
    f.qowner = xmalloc((d->nq + 1) * sizeof(*f.qowner));
    for (size_t k = 0; k < d->nq; k++)
        f.qowner[k] = -1;
    f.claimed = xcalloc(d->ntok + 1, 1);
    for (size_t i = 0; i < d->ntok; i++) {
        size_t len;
        unsigned vb;

        if (d->tok[i].kind != TK_WORD || (d->tok[i].flags & TF_INQ))
            continue;
        if (tok_is(d, i, "according") && tok_is(d, i + 1, "to")) {
            on_according(&f, i);
        } else if ((vb = lex_verb(d, i, &len)) != 0) {
            if (vb & VB_ING)
                on_participle(&f, i, len, vb);
            else
                on_verb(&f, i, len, vb);
        }
    }
    continuations(&f);
    qsort(out->s, out->n, sizeof(out->s[0]), cmp_stmt);
    free(f.qowner);
    free(f.claimed);
}

void
stmts_release(struct stmts *st)
{
    free(st->s);
    memset(st, 0, sizeof(*st));
}
