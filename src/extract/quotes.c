/* quotes.c - statements: who said what.  Each reporting verb outside
 * quotation marks ("said", "told", "according to", ", adding") is read
 * with its subject (a named person, a pronoun or "the minister") and its
 * content (speech.c), which is, in this order of preference:
 *   - a quotation right after the verb ("said, “…”");
 *   - the quotation just before the attribution ("“…,” Holt said");
 *   - what follows the verb: a that-clause or a plain clause ("said the
 *     tender failed"), possibly with quoted words;
 *   - the clause before it ("Freight will not wait for the quay, Brånby said").
 * Quotations nobody is named for continue the last quotation's speaker
 * when they follow it as sentences or paragraphs of their own.  Subjects
 * that are no person (organizations, publications, "officials") give no
 * statement. */
#include <stdlib.h>
#include <string.h>

#include "gazette/xalloc.h"
#include "internal.h"

#define ADJUNCT_MAX   25 /* words of an adjunct after the verb */
#define AUX_MAX       4  /* "has also repeatedly said" */
#define INTERRUPT_MAX 12 /* "wrote Brenner on social media," before the rest */
#define INTRO_MAX     4  /* "By next spring, according to X, CLAUSE" */
#define FRONTED_MIN   6  /* words of a clause before "..., X said." */
#define PHRASE_MAX    5  /* "Lena Marsh from the pro-reform camp said" */

enum sj_kind { SJ_NONE, SJ_RUN, SJ_PRONOUN, SJ_TITLE };

/* The subject of a reporting verb: tokens [lo, hi) and what they are. */
struct subject {
    enum sj_kind kind;
    size_t lo, hi;
    size_t ref; /* run index, pronoun token or title word */
};

/* ---- subjects ---- */

/* Whether the words after a subject end its phrase: punctuation, the end
 * of the sentence, a preposition ("said Okafor per Harbour Radio"). */
static bool
phrase_ends(const struct finder *f, size_t e, size_t hi)
{
    const struct doc *d = f->d;

    return e >= hi || d->tok[e].kind == TK_PUNCT || (lex_tok(d, e) & WC_PREP) ||
           tok_is(d, e, "who") || (e > 0 && tok_punct(d, e - 1, ','));
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

/* A person run whose mention ends at token k; not one after "of"
 * ("Allies of Brenner alleged", "the mayor of Kessel said"). */
static bool
run_ending(const struct finder *f, size_t k, struct subject *sj)
{
    int32_t r = f->nm->at_end[k];

    if (r < 0 || !f->nm->run[r].head || f->nm->run[r].poss ||
        (f->nm->run[r].pre == f->nm->run[r].lo &&
         tok_is(f->d, f->nm->run[r].lo - 1, "of")))
        return false;
    *sj = (struct subject){SJ_RUN, f->nm->run[r].pre, k, (size_t)r};
    return true;
}

/* "Lena Marsh from the pro-reform camp said", "Ruth Adeyemi of the
 * Kessel Valley water conservation board told": a name,
 * then a preposition or an "of X" that a few lower-case words go on,
 * before the verb at k. */
static bool
run_before_phrase(const struct finder *f, size_t k, size_t lo, struct subject *sj)
{
    const struct doc *d = f->d;

    for (size_t j = k; j > lo && k - j <= PHRASE_MAX; j--) {
        size_t t = j - 1;
        int32_t r = f->nm->at_end[j];

        if (j < k && r >= 0 && f->nm->run[r].post > f->nm->run[r].hi)
            return run_ending(f, j, sj);
        if (tok_is(d, t, "from") || tok_is(d, t, "of") || tok_is(d, t, "at") ||
            tok_is(d, t, "with"))
            return j < k && run_ending(f, t, sj);
        if (!(d->tok[t].flags & TF_LOWER))
            return false;
        if ((lex_tok(d, t) & WC_STOP) && !tok_is(d, t, "the") && !tok_is(d, t, "a"))
            return false;
    }
    return false;
}

/* Skips auxiliaries, adverbs and a time phrase back from the verb at v
 * ("has also said", "on Monday told"); returns where the subject ends,
 * or (size_t)-1 for a passive or negated verb or an infinitive ("declined
 * to say"), which report nothing. */
static size_t
skip_aux(const struct finder *f, size_t v, size_t lo)
{
    const struct doc *d = f->d;
    size_t k = v;

    for (int steps = 0; k > lo && steps < AUX_MAX; steps++) {
        unsigned c = lex_tok(d, k - 1);

        if ((c & WC_NEG) || tok_is(d, k - 1, "to") ||
            ((c & WC_PASSIVE) && !(c & WC_ADVERB)))
            return (size_t)-1;
        if ((c & WC_CALENDAR) && k >= lo + 2 && (lex_tok(d, k - 2) & WC_PREP)) {
            k -= 2;
            continue;
        }
        if (!(c & WC_ADVERB) && !is_ly_adverb(d, k - 1))
            break;
        k--;
    }
    return k;
}

/* The subject before the verb at v: a pronoun, a named person ("Holt
 * has said", "Oskar Brenner who said") or "the minister". */
static bool
subject_before(const struct finder *f, size_t v, struct subject *sj)
{
    const struct doc *d = f->d;
    size_t lo = sent_lo(f, v), k = skip_aux(f, v, lo), t;

    if (k == (size_t)-1 || k == lo)
        return false;
    t = k - 1;
    if (lex_tok(d, t) & WC_PRONOUN) {
        *sj = (struct subject){SJ_PRONOUN, t, k, t};
        return true;
    }
    if (tok_is(d, t, "who"))
        k = t;
    return run_ending(f, k, sj) || run_before_phrase(f, k, lo, sj) ||
           title_ref_before(f, t, lo, sj);
}

/* The subject right after token p: "said Tomas Okafor per Harbour Radio",
 * "according to Ines Halvorsen, director of ...". */
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

/* The person the pronoun at pos stands for; what it says of their gender
 * is remembered for the pronouns after it. */
static int
pronoun_person(const struct finder *f, size_t pos)
{
    int e = people_pronoun(f->pp, f->d, pos, f->last_speaker, f->last_para, f->gender);

    if (e >= 0 && f->gender[e] == G_UNKNOWN)
        f->gender[e] = pronoun_gender(f->d, pos);
    return e;
}

static int32_t quote_before(const struct finder *f, size_t i);

/* Where a pronoun at pos is read from: after a quotation that runs over
 * paragraphs ("“…¶“…,” she said"), from where the quotation began. */
static size_t
pronoun_anchor(const struct finder *f, size_t pos)
{
    int32_t q = quote_before(f, pos);

    if (q < 0 || f->d->q[q].prev < 0)
        return pos;
    while (f->d->q[q].prev >= 0)
        q = f->d->q[q].prev;
    return f->d->q[q].open;
}

static int
resolve(const struct finder *f, const struct subject *sj)
{
    switch (sj->kind) {
    case SJ_RUN:
        return f->nm->run[sj->ref].entity;
    case SJ_PRONOUN:
        return pronoun_person(f, pronoun_anchor(f, sj->lo));
    case SJ_TITLE:
        return people_by_title(f->pp, f->d, sj->ref, sj->lo);
    default:
        return -1;
    }
}

/* The speaker of the last statement if it was made in the sentence of
 * token i, or -1. */
static int
sentence_speaker(const struct finder *f, size_t i)
{
    const struct stmts *st = f->out;

    if (st->n == 0 || f->d->tok[st->s[st->n - 1].verb].sent != f->d->tok[i].sent)
        return -1;
    return st->s[st->n - 1].entity;
}

/* ---- content before the attribution ---- */

/* The quotation that ends just before token i in its paragraph ("“…,”
 * Holt said" or "“…”, Okafor said"), or -1. */
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

/* Whether quotation q closes a sentence of its own ("“… on time.”"),
 * rather than handing over to its attribution with a comma. */
static bool
sentence_closed(const struct finder *f, int32_t q)
{
    const struct doc *d = f->d;
    size_t close = d->q[q].close;

    return d->q[q].closed && close > 0 && tok_punct(d, close - 1, '.') &&
           !tok_punct(d, close + 1, ',');
}

/* Whether nothing but adjuncts follows the verb ending before after
 * ("“It is done.” Holt said in a statement."), so that the verb can
 * attribute the quotation before it; "“…” Brenner repeated the party's
 * slogan" reports something else. */
static bool
attribution_only(const struct finder *f, size_t v, size_t after, unsigned vb)
{
    const struct doc *d = f->d;
    size_t hi = sent_hi(f, v);

    (void)vb;
    while (after < hi && d->tok[after].kind == TK_PUNCT)
        after++;
    if (after >= hi || (lex_tok(d, after) & (WC_PREP | WC_ADVERB | WC_CALENDAR)))
        return true;
    /* "Holt told the council." */
    return (vb & VB_RECIP) && skip_listener(f, after) >= hi;
}

/* After "“A,” wrote Brenner on social media," the quotation that goes on. */
static void
interrupted(struct finder *f, int e, size_t p, size_t verb)
{
    const struct doc *d = f->d;
    size_t hi = sent_hi(f, verb), len;

    /* "“We are ready” tweeted Holt “to help ...”" */
    if (is_open(f, p) && p < hi) {
        quote_add(f, e, d->tok[p].quote, verb);
        return;
    }
    for (size_t k = p; k < hi && k < p + INTERRUPT_MAX; k++) {
        if (tok_is_comma(d, k) && is_open(f, k + 1)) {
            quote_add(f, e, d->tok[k + 1].quote, verb);
            return;
        }
        if ((d->tok[k].kind == TK_PUNCT && !tok_is_comma(d, k)) || lex_verb(d, k, &len))
            return;
    }
}

/* Whether [lo, comma) is reported by an attribution that closes its
 * sentence at after ("In a trial, the system found 94 per cent of cases,
 * Brånby said."): a clause even without an auxiliary, if it is long
 * enough and, when it opens with a preposition, goes on past a comma
 * ("In comments to the press, X wrote:" reports no clause). */
static bool
closing_clause(const struct finder *f, size_t lo, size_t comma, size_t after)
{
    const struct doc *d = f->d;
    size_t hi = sent_hi(f, comma);
    bool inner = false;

    if (comma < lo + FRONTED_MIN)
        return false;
    for (size_t i = after; i < hi; i++)
        if (d->tok[i].kind != TK_PUNCT || tok_is_comma(d, i))
            return false;
    for (size_t i = lo + 1; i < comma; i++)
        inner = inner || tok_punct(d, i, ',');
    return !(lex_tok(d, lo) & WC_PREP) || inner;
}

/* "Freight will not wait for the quay, Brånby said, and the second crane
 * arrives in May": the clause before the attribution (ending at
 * the comma at token comma) and one joined after it with ", and". */
static void
fronted(struct finder *f, int e, size_t comma, size_t after, size_t verb)
{
    const struct doc *d = f->d;
    size_t lo = sent_lo(f, verb), end;

    for (size_t i = lo; i < comma; i++)
        if (tok_punct(d, i, ';'))
            lo = i + 1;
    if (comma < lo + 3 ||
        !(looks_clausal(f, lo, comma) || closing_clause(f, lo, comma, after)))
        return;
    if (clause_add(f, e, lo, comma, verb) < 0)
        return;
    while (after < sent_hi(f, verb) && after < verb + ADJUNCT_MAX &&
           d->tok[after].kind == TK_WORD)
        after++;
    if (!tok_punct(d, after, ',') || !tok_is(d, after + 1, "and"))
        return;
    end = clause_end(f, after + 2);
    if (end >= after + 5)
        clause_add(f, e, after + 2, end, verb);
}

/* ---- reporting verbs ---- */

/* The subject of the verb at v: before it, after it when it follows a
 * comma or a quotation ("“…,” said Vesna"), or the speaker of the
 * sentence's last statement when joined by "and"/"but" ("said X, but
 * said Y").  Sets *inverted for a subject after the verb. */
static int
verb_subject(const struct finder *f, size_t v, size_t vlen, unsigned vb,
             struct subject *sj, bool *inverted)
{
    const struct doc *d = f->d;
    size_t k = v;

    *inverted = false;
    if (subject_before(f, v, sj))
        return resolve(f, sj);
    if ((vb & VB_INVERT) && v > 0 &&
        (tok_punct(d, v - 1, ',') || (d->tok[v - 1].flags & TF_QCLOSE)) &&
        subject_after(f, v + vlen, sj)) {
        *inverted = true;
        return resolve(f, sj);
    }
    if (k > 0 && (lex_tok(d, k - 1) & WC_ADVERB))
        k--;
    if (k > 0 && (tok_is(d, k - 1, "and") || tok_is(d, k - 1, "but"))) {
        *sj = (struct subject){SJ_NONE, v, v, 0};
        return sentence_speaker(f, v);
    }
    return -1;
}

/* A reporting verb of vlen tokens at v with flags vb. */
static void
on_verb(struct finder *f, size_t v, size_t vlen, unsigned vb)
{
    const struct doc *d = f->d;
    struct subject sj;
    bool inverted;
    size_t after = v + vlen;
    int e;

    if (f->claimed[v] || (e = verb_subject(f, v, vlen, vb, &sj, &inverted)) < 0)
        return;
    /* "said, “…”" and "said, in remarks to Harbour Radio, “…”" first: the quotation
     * before may be someone else's */
    int32_t q = sj.kind == SJ_NONE ? -1 : quote_before(f, inverted ? v : sj.lo);

    if (!inverted && quote_ahead(f, after, vb) &&
        content_after(f, e, after, vb, v) >= 0) {
        if (q >= 0 && !sentence_closed(f, q)) /* "“A,” he said, “B”" */
            quote_add(f, e, q, v);
        return;
    }
    if (q >= 0 && (!sentence_closed(f, q) || attribution_only(f, v, after, vb)) &&
        quote_add(f, e, q, v) >= 0) {
        interrupted(f, e, inverted ? sj.hi : v + vlen, v);
        return;
    }
    if (!inverted && content_after(f, e, v + vlen, vb, v) >= 0)
        return;
    size_t comma = inverted ? v - 1 : sj.lo - 1;

    if (sj.kind != SJ_NONE && sj.lo > 0 && tok_punct(d, comma, ','))
        fronted(f, e, comma, inverted ? sj.hi : v + vlen, v);
}

/* The speaker of the sentence that a participle at its start belongs to
 * ("Saying “…”, President Valcourt elaborated, “…”"): the subject of the
 * sentence's first reporting verb. */
static int
main_verb_speaker(const struct finder *f, size_t v, size_t *subject)
{
    const struct doc *d = f->d;
    size_t hi = sent_hi(f, v), len;
    struct subject sj;
    bool inverted;

    for (size_t j = v + 1; j < hi; j++) {
        unsigned vb = lex_verb(d, j, &len);
        int e;

        if (vb == 0 || (vb & VB_ING))
            continue;
        e = verb_subject(f, j, len, vb, &sj, &inverted);
        *subject = inverted || sj.kind == SJ_NONE ? j : sj.lo;
        return e;
    }
    return -1;
}

/* The person run a sentence starting at lo opens with, before token v,
 * possibly after a short introduction ("On Monday, Ruth Adeyemi, ...,
 * addressed reporters, calling for ..."); -1 if none. */
static int32_t
opening_run(const struct finder *f, size_t lo, size_t v)
{
    for (size_t i = lo; i < v && i <= lo + INTRO_MAX * 3; i++) {
        int32_t r = f->nm->at_start[i];

        if (r >= 0 && (size_t)f->nm->run[r].pre == i &&
            (i == lo || tok_punct(f->d, i - 1, ',')))
            return f->nm->run[r].head && !f->nm->run[r].poss ? r : -1;
        if (tok_is_comma(f->d, i) && i > lo + INTRO_MAX * 3)
            break;
    }
    return -1;
}

/* The speaker of a participle at v: the sentence's last statement's
 * (", further saying"), the person the sentence opens with ("Brenner
 * congratulated Holt, saying"), the one it is about ("with Okafor
 * describing"), or the subject of the verb it introduces. */
static int
participle_speaker(const struct finder *f, size_t v, size_t k, size_t *stop)
{
    const struct doc *d = f->d;
    size_t lo = sent_lo(f, v);
    struct subject sj;
    int e = -1;
    int32_t r;

    if (k == lo)
        return main_verb_speaker(f, v, stop);
    if (run_ending(f, k, &sj) && tok_is(d, sj.lo - 1, "with"))
        return resolve(f, &sj);
    if (!(tok_punct(d, k - 1, ',') || (d->tok[k - 1].flags & TF_QCLOSE)))
        return -1;
    e = sentence_speaker(f, v);
    r = opening_run(f, lo, v);
    if (e < 0 && r >= 0)
        e = f->nm->run[r].entity;
    if (e < 0 && (lex_tok(d, lo) & WC_PRONOUN))
        e = pronoun_person(f, lo);
    return e;
}

/* ", adding ...", "further saying, “…”", "Calling it ..., X said": a
 * participle opening the sentence reports up to the subject of the
 * sentence's verb. */
static void
on_participle(struct finder *f, size_t v, size_t vlen, unsigned vb)
{
    const struct doc *d = f->d;
    size_t k = v, lo = sent_lo(f, v), stop = 0;
    int e;

    if (f->claimed[v])
        return;
    if (k > lo && ((lex_tok(d, k - 1) & WC_ADVERB) || is_ly_adverb(d, k - 1)))
        k--;
    e = participle_speaker(f, v, k, &stop);
    if (e < 0)
        return;
    f->stop = stop;
    content_after(f, e, v + vlen, vb, v);
    f->stop = 0;
}

/* "According to NAME, CLAUSE", "CLAUSE, according to NAME, TITLE",
 * "By next spring, according to NAME, CLAUSE". */
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

/* The person a sentence opens with ("Former port deputy director Hugo
 * Ferrand praised Marsh on social media: “…”"), or -1. */
static int
sentence_subject(const struct finder *f, size_t i)
{
    size_t lo = sent_lo(f, i);
    int32_t r = f->nm->at_start[lo];

    if (r >= 0 && f->nm->run[r].head && !f->nm->run[r].poss)
        return f->nm->run[r].entity;
    if (lex_tok(f->d, lo) & WC_PRONOUN)
        return pronoun_person(f, lo);
    return -1;
}

/* A quotation after a colon, in a sentence that opens with a person, is
 * that person's. */
static void
after_colons(struct finder *f)
{
    const struct doc *d = f->d;

    for (size_t k = 0; k < d->nq; k++) {
        size_t open = d->q[k].open;
        int e;

        if (f->qowner[k] >= 0 || open == 0 || !tok_punct(d, open - 1, ':') ||
            d->tok[open - 1].sent != d->tok[open].sent || f->turn[d->tok[open].para])
            continue;
        e = sentence_subject(f, open);
        if (e >= 0)
            quote_add(f, e, (int32_t)k, open - 1);
    }
}

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
        int e;

        if (f->qowner[k] >= 0 || f->turn[d->tok[q->open].para])
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

/* Per paragraph: whether it belongs to an interview printed as turns,
 * "((Reporter)) question" / "((Name)) answer", from the first turn on (an
 * answer may run over paragraphs).  A turn is its speaker's own words,
 * not speech the article reports, so it gives no statements. */
static uint8_t *
interview_turns(const struct doc *d)
{
    size_t npara = d->ntok > 0 ? d->tok[d->ntok - 1].para + 1 : 0;
    uint8_t *turn = xcalloc(npara + 1, 1);
    bool seen = false;

    for (size_t i = 0; i < d->ntok; i++) {
        if (i > 0 && !(d->tok[i].flags & TF_PARA))
            continue;
        seen = seen || (tok_punct(d, i, '(') && tok_punct(d, i + 1, '('));
        turn[d->tok[i].para] = seen;
    }
    return turn;
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
    struct finder f = {d, nm, pp, out, NULL, NULL, -1, 0, 0, NULL, NULL};

    memset(out, 0, sizeof(*out));
    f.gender = xcalloc(pp->n + 1, 1);
    for (size_t k = 0; k < pp->n; k++)
        f.gender[k] = pp->ent[k].gender;
    f.qowner = xmalloc((d->nq + 1) * sizeof(*f.qowner));
    for (size_t k = 0; k < d->nq; k++)
        f.qowner[k] = -1;
    f.claimed = xcalloc(d->ntok + 1, 1);
    f.turn = interview_turns(d);
    for (size_t i = 0; i < d->ntok; i++) {
        size_t len;
        unsigned vb;

        if (d->tok[i].kind != TK_WORD || (d->tok[i].flags & TF_INQ) ||
            f.turn[d->tok[i].para])
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
    after_colons(&f);
    continuations(&f);
    if (out->n > 1)
        qsort(out->s, out->n, sizeof(out->s[0]), cmp_stmt);
    free(f.qowner);
    free(f.claimed);
    free(f.gender);
    free(f.turn);
}

void
stmts_release(struct stmts *st)
{
    free(st->s);
    memset(st, 0, sizeof(*st));
}
