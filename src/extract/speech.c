/* speech.c - what a reporting verb reports: a quotation, a that-clause or
 * a plain clause ("said the tender failed"), possibly with quoted words, after
 * adjuncts ("said in a note on Monday, “…”") and listeners ("told
 * the council, “…”").  Statements are recorded here; a token belongs to
 * one statement at most. */
#include <string.h>

#include "internal.h"

#define STMT_MAX        2000 /* statements of one article */
#define CLAUSE_MAX      150  /* tokens of reported speech */
#define ADJUNCT_MAX     25   /* "in a statement on Twitter" before the content */
#define RECIPIENT_MAX   4    /* "told The Emberly Courier" */
#define CLAUSAL_AUX_MAX 12   /* an auxiliary within this many words makes a clause */
#define FOLLOW_ON_MAX   3    /* "said “A” and “B”": words between the two */

/* The sentence of token i, as [lo, hi).  Like tok_is() and the other
 * token tests, these take any index: past the last token is an empty
 * sentence at the end, so that "said that" as the last words has a clause
 * with nothing in it after it. */
size_t
sent_lo(const struct finder *f, size_t i)
{
    return i < f->d->ntok ? f->d->sent[f->d->tok[i].sent].lo : f->d->ntok;
}

size_t
sent_hi(const struct finder *f, size_t i)
{
    return i < f->d->ntok ? f->d->sent[f->d->tok[i].sent].hi : f->d->ntok;
}

bool
is_open(const struct finder *f, size_t i)
{
    return i < f->d->ntok && (f->d->tok[i].flags & TF_QOPEN);
}

/* "publicly", "firmly": any i, as tok_is() takes (after the last token
 * there is no adverb). */
bool
is_ly_adverb(const struct doc *d, size_t i)
{
    size_t n;
    const char *w;

    if (i >= d->ntok)
        return false;
    w = tok_word(d, i, &n);
    return d->tok[i].kind == TK_WORD && (d->tok[i].flags & TF_LOWER) && n > 4 &&
           w[n - 2] == 'l' && w[n - 1] == 'y';
}

static bool
is_any(const struct doc *d, size_t i, const char *const *words, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (tok_is(d, i, words[k]))
            return true;
    return false;
}

#define IS_ANY(d, i, words) is_any((d), (i), (words), sizeof(words) / sizeof((words)[0]))

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
    *s = (struct stmt){.entity = e, .lo = lo, .hi = hi, .quote = -1, .verb = verb};
    s->b0 = d->tok[lo].b0;
    s->c0 = d->tok[lo].c0;
    s->b1 = d->tok[last].b1;
    s->c1 = d->tok[last].c1;
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

int
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
    /* a comma standing for the full stop before the closing mark */
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

int
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
    /* a clause that is one whole quotation is that quotation */
    if (is_open(f, lo) && (d->tok[hi - 1].flags & TF_QCLOSE) &&
        d->tok[lo].quote == d->tok[hi - 1].quote)
        return quote_add(f, e, d->tok[lo].quote, verb);
    return stmt_push(f, e, lo, hi, hi - 1, verb);
}

/* ---- clauses ---- */

static bool
has_speech_quote(const struct finder *f, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        if ((f->d->tok[i].flags & TF_QOPEN) && f->d->q[f->d->tok[i].quote].speech)
            return true;
    return false;
}

/* "stated an intention to ...", "announced a plan to ...": an infinitive
 * after a noun of intention states what someone will do. */
static bool
intention_at(const struct doc *d, size_t i)
{
    static const char *const dets[] = {"his", "her", "their", "its", "the", "a"};
    static const char *const nouns[] = {"intent",      "intention",     "intentions",
                                        "plan",        "plans",         "readiness",
                                        "willingness", "determination", "commitment"};

    if (IS_ANY(d, i, dets))
        i++;
    return IS_ANY(d, i, nouns) && tok_is(d, i + 1, "to");
}

/* A comma before "but", "and", "while" ... or a relative pronoun ends the
 * words that decide whether a clause follows a verb ("denied any
 * delay, but ... was", "restated the terms of X, which are"). */
static bool
coordination_at(const struct doc *d, size_t i)
{
    static const char *const conj[] = {"but",     "and",      "or",    "while",
                                       "whereas", "although", "though"};
    static const char *const relative[] = {"which", "who", "whom", "whose", "where"};

    return (tok_punct(d, i, ',') && IS_ANY(d, i + 1, conj)) || IS_ANY(d, i, relative);
}

bool
looks_clausal(const struct finder *f, size_t lo, size_t hi)
{
    static const char *const subjects[] = {"he", "she", "it",    "they",
                                           "we", "i",   "there", "you"};
    const struct doc *d = f->d;
    bool early = true;

    if (IS_ANY(d, lo, subjects) || intention_at(d, lo))
        return true;
    for (size_t i = lo; i < hi; i++) {
        early = early && i < lo + CLAUSAL_AUX_MAX && !coordination_at(d, i);
        if (early && (lex_tok(d, i) & WC_AUX))
            return true;
        if (d->tok[i].quote >= 0 && d->q[d->tok[i].quote].speech)
            return true;
    }
    return false;
}

bool
participle_at(const struct finder *f, size_t i)
{
    const struct doc *d = f->d;
    size_t len, k = i;

    if (i == 0)
        return false;
    if (lex_tok(d, k) & WC_ADVERB || is_ly_adverb(d, k))
        k++;
    if (!(lex_verb(d, k, &len) & VB_ING))
        return false;
    return tok_punct(d, i - 1, ',') || (d->tok[i - 1].flags & TF_QCLOSE) ||
           tok_punct(d, i - 1, ';');
}

/* "said X, but said Y", "noted A and stated B": a second report of the
 * same speaker starts at token i. */
static bool
second_report_at(const struct finder *f, size_t i)
{
    const struct doc *d = f->d;
    size_t len, k = i + 1;

    if (!tok_is(d, i, "and") && !tok_is(d, i, "but"))
        return false;
    if (lex_tok(d, k) & WC_ADVERB || is_ly_adverb(d, k))
        k++;
    unsigned vb = lex_verb(d, k, &len);

    return vb != 0 && !(vb & VB_ING);
}

/* End of a clause of reported speech starting at lo: the end of the
 * sentence, a semicolon, ", according to", a participle that reports
 * more (", adding that") or a second reporting verb ("but said"). */
size_t
clause_end(const struct finder *f, size_t lo)
{
    const struct doc *d = f->d;
    size_t hi = sent_hi(f, lo), i = lo;

    if (f->stop > lo && f->stop < hi)
        hi = f->stop;
    for (size_t n = 0; i < hi && n < CLAUSE_MAX; n++) {
        if (is_open(f, i)) {
            const struct quotation *q = &d->q[d->tok[i].quote];

            i = q->closed ? q->close + 1 : q->close;
            continue;
        }
        if (tok_punct(d, i, ';') || (i > lo && participle_at(f, i)) ||
            (i > lo && second_report_at(f, i)))
            break;
        if (tok_punct(d, i, ',') && tok_is(d, i + 1, "according") &&
            tok_is(d, i + 2, "to"))
            break;
        i++;
    }
    return i < hi ? i : hi;
}

/* "called it “dead on arrival”", "called the plan a “costly detour”":
 * a characterization needs quoted words or a pronoun object. */
static bool
characterizes(const struct finder *f, size_t lo, size_t hi)
{
    static const char *const objects[] = {"it",  "this", "that",  "them",
                                          "him", "her",  "these", "those"};

    return has_speech_quote(f, lo, hi) || IS_ANY(f->d, lo, objects);
}

/* Adds the clause at lo reported by a verb with flags vb, when it is one;
 * after "that" it always is. */
static int
clause_at(struct finder *f, int e, size_t lo, unsigned vb, size_t verb, bool that)
{
    size_t hi = clause_end(f, lo);

    if (tok_is(f->d, lo, "and") || tok_is(f->d, lo, "but") || tok_is(f->d, lo, "or"))
        return -1; /* "had decided and informed ...": another verb's object */
    if (!that && (vb & VB_NEEDS) && (vb & VB_REST) && !characterizes(f, lo, hi))
        return -1; /* "called the police" */
    if (!that && (vb & VB_NEEDS) && !(vb & VB_REST) && !looks_clausal(f, lo, hi))
        return -1; /* "announced his resignation" */
    return clause_add(f, e, lo, hi, verb);
}

/* ---- quotations after the verb ---- */

/* After “A” claimed for e: “B” joined by "and" or a comma ("said “A”
 * and “B”") is said too. */
static void
follow_on(struct finder *f, int e, int32_t q, size_t verb)
{
    const struct doc *d = f->d;
    size_t k;

    if (q < 0 || !d->q[q].closed)
        return;
    for (k = d->q[q].close + 1; k < d->ntok && k <= d->q[q].close + FOLLOW_ON_MAX; k++) {
        if (is_open(f, k)) {
            if (k > d->q[q].close + 1 && d->tok[k].sent == d->tok[verb].sent)
                quote_add(f, e, d->tok[k].quote, verb);
            return;
        }
        if (!tok_is(d, k, "and") && !tok_punct(d, k, ','))
            return;
    }
}

static int
quote_after(struct finder *f, int e, size_t k, size_t verb)
{
    int s = quote_add(f, e, f->d->tok[k].quote, verb);

    if (s >= 0)
        follow_on(f, e, f->d->tok[k].quote, verb);
    return s;
}

/* ---- listeners and adjuncts ---- */

size_t
skip_listener(const struct finder *f, size_t p)
{
    static const char *const dets[] = {"the",   "a",   "an",  "his", "her",
                                       "their", "our", "its", "my",  "your"};
    static const char *const objs[] = {"him", "her", "them", "us", "me"};
    static const char *const listeners[] = {
        "media",      "press",    "reporters",  "journalists", "lawmakers", "supporters",
        "parliament", "congress", "crowd",      "audience",    "viewers",   "listeners",
        "followers",  "students", "colleagues", "residents",   "members",   "delegates"};
    const struct doc *d = f->d;
    size_t k = p, hi = sent_hi(f, p), n = 0;

    if (p >= hi || d->tok[p].kind == TK_PUNCT || tok_is(d, p, "that"))
        return p;
    if (IS_ANY(d, p, objs) || IS_ANY(d, p, listeners))
        return p + 1;
    if (IS_ANY(d, p + 1, listeners) && (d->tok[p].flags & TF_LOWER) &&
        !(lex_tok(d, p) & WC_STOP))
        return p + 2;
    if (IS_ANY(d, p, dets)) {
        k++;
        while (k < hi && k < p + 3 && (d->tok[k].flags & TF_LOWER) &&
               !(lex_tok(d, k) & (WC_STOP | WC_AUX | WC_PRONOUN)))
            k++;
    }
    while (k < hi && n < RECIPIENT_MAX && d->tok[k].kind == TK_WORD &&
           (d->tok[k].flags & (TF_CAP | TF_ALLCAPS)))
        k++, n++;
    return k;
}

/* Whether quotation q is words said that end its sentence, as a quotation
 * after "told Harbour Radio after the vote" does, unlike a term in quotation
 * marks inside an adjunct ("in the “urgent” review that ..."). */
static bool
quote_ends_sentence(const struct finder *f, int32_t q)
{
    const struct quotation *qu = &f->d->q[q];
    size_t k = qu->closed ? qu->close + 1 : qu->close;

    while (k < sent_hi(f, qu->open) && f->d->tok[k].kind == TK_PUNCT)
        k++;
    return qu->speech && k >= sent_hi(f, qu->open);
}

/* Whether token i may open a clause: a determiner, a subject pronoun, a
 * capitalized word or a number ("the council might", "Chile was"). */
static bool
clause_opener(const struct finder *f, size_t i)
{
    static const char *const words[] = {"the",   "a",  "an",   "this", "these",
                                        "those", "he", "she",  "it",   "they",
                                        "we",    "i",  "there"};
    const struct tok *t = &f->d->tok[i];

    if (t->kind == TK_NUM || (t->kind == TK_WORD && (t->flags & TF_CAP) &&
                              !(lex_tok(f->d, i) & (WC_CALENDAR | WC_PREP))))
        return true;
    return IS_ANY(f->d, i, words);
}

/* Whether token i names a time: "Friday", "May", "2019", "morning". */
static bool
time_word(const struct finder *f, size_t i)
{
    return (lex_tok(f->d, i) & WC_CALENDAR) || f->d->tok[i].kind == TK_NUM ||
           (tok_is(f->d, i, "may") && (f->d->tok[i].flags & TF_CAP));
}

/* Whether [lo, hi) is a time phrase ("in May", "on Friday"). */
static bool
time_phrase(const struct finder *f, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        if (time_word(f, i))
            return hi - lo <= 3;
    return false;
}

/* Content after an adjunct that starts at p ("said in a note, “…”",
 * "spoke on the subject — … — “…”", "said in March the council would ..."). */
static int
after_adjunct(struct finder *f, int e, size_t p, unsigned vb, size_t verb)
{
    const struct doc *d = f->d;
    size_t hi = sent_hi(f, p);

    for (size_t k = p; k < hi && k < p + ADJUNCT_MAX; k++) {
        if (is_open(f, k)) {
            if (tok_is_comma(d, k - 1) || tok_is_dash(d, k - 1) || time_phrase(f, p, k) ||
                quote_ends_sentence(f, d->tok[k].quote))
                return quote_after(f, e, k, verb);
            return -1;
        }
        if (tok_is(d, k, "that"))
            return clause_at(f, e, k + 1, vb, verb, true);
        if (tok_punct(d, k, ',')) {
            if (is_open(f, k + 1))
                return quote_after(f, e, k + 1, verb);
            if (participle_at(f, k + 1) || tok_is(d, k + 1, "and"))
                return -1;
            if (lex_tok(d, k + 1) & WC_PREP)
                continue; /* "told a clerk at the gate, in Danish, “…”" */
            return clause_at(f, e, k + 1, vb | VB_NEEDS, verb, false);
        }
        /* "said in March the council would ...": the clause right after the date */
        if (k > p && time_phrase(f, p, k) && time_word(f, k - 1) && clause_opener(f, k))
            return clause_at(f, e, k, vb | VB_NEEDS, verb, false);
    }
    return -1;
}

/* Whether the content at p starts with an adjunct to skip. */
static bool
adjunct_at(const struct doc *d, size_t p)
{
    static const char *const when[] = {"earlier",    "later",    "yesterday", "today",
                                       "again",      "also",     "then",      "once",
                                       "previously", "recently", "initially"};

    return (lex_tok(d, p) & (WC_PREP | WC_CALENDAR)) || is_ly_adverb(d, p) ||
           IS_ANY(d, p, when) || tok_is_dash(d, p) || tok_is(d, p, "of") ||
           tok_punct(d, p, ',') || tok_punct(d, p, ':');
}

bool
quote_ahead(const struct finder *f, size_t p, unsigned vb)
{
    const struct doc *d = f->d;
    size_t hi = p < d->ntok ? sent_hi(f, p) : p;

    if (p >= hi)
        return false;
    if (tok_punct(d, p, ',') || tok_punct(d, p, ':'))
        p++;
    if (vb & VB_RECIP)
        p = skip_listener(f, p);
    if (is_open(f, p))
        return true;
    if ((vb & VB_REST) || p >= hi || !adjunct_at(d, p))
        return false;
    for (size_t k = p; k < hi && k < p + ADJUNCT_MAX; k++) {
        size_t len;

        if (is_open(f, k))
            return tok_is_comma(d, k - 1) || tok_is_dash(d, k - 1) ||
                   time_phrase(f, p, k) || quote_ends_sentence(f, d->tok[k].quote);
        if (tok_is(d, k, "that") || lex_verb(d, k, &len))
            return false;
    }
    return false;
}

int
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
        p = skip_listener(f, p);
    /* "has said openly the quay should be extended" */
    if (p + 1 < hi && is_ly_adverb(d, p) && !tok_punct(d, p + 1, ','))
        p++;
    if (p >= hi)
        return -1;
    if (tok_is(d, p, "that"))
        return clause_at(f, e, p + 1, vb, verb, true);
    if (is_open(f, p))
        return quote_after(f, e, p, verb);
    if (!(vb & VB_REST) && adjunct_at(d, p))
        return after_adjunct(f, e, p, vb, verb);
    return clause_at(f, e, p, vb, verb, false);
}
