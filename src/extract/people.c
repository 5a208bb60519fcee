/* people.c - the people of one article.  A name of two or more words
 * ("Ines Halvorsen") makes a person; a one-word name ("Halvorsen", "Ms
 * Halvorsen")
 * is the first person named with that word anywhere in the article (its
 * surname; any of its words for a titled person), else a person of its
 * own when a title or an honorific shows it is one ("President Valcourt").
 * A person keeps the fullest form of the name and the first title and
 * organization stated.  Pronouns and "the minister" are resolved here too. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "internal.h"

#define TITLE_LOOKBACK   300 /* mentions searched for "the minister" */
#define PRONOUN_LOOKBACK 50  /* mentions searched for "he" in a paragraph */
#define INTRO_WORDS      14  /* "On Monday, X" still has X as subject */

/* Appends the matching key of token i's word ("Brånby" -> "branby"). */
static void
word_key(const struct doc *d, size_t i, struct buf *b)
{
    size_t n;
    const char *s = tok_word(d, i, &n);
    char *w = xstrndup(s, n);

    name_normalize(b, w);
    free(w);
}

/* Whether token i of a run is a word of the name (not "." of an initial,
 * not a particle). */
static bool
key_word(const struct doc *d, size_t i)
{
    return d->tok[i].kind == TK_WORD && !(lex_tok(d, i) & WC_PARTICLE) &&
           !(lex_tok(d, i) & WC_ROYAL);
}

static size_t
run_words(const struct doc *d, const struct run *r)
{
    size_t n = 0;

    for (size_t i = r->lo; i < r->hi; i++)
        n += key_word(d, i);
    return n;
}

static int
entity_new(struct people *pp, const struct doc *d, const struct run *r, const char *key)
{
    struct entity *e;
    struct buf b;

    VEC_RESERVE(pp->ent, pp->n, pp->cap);
    e = &pp->ent[pp->n];
    memset(e, 0, sizeof(*e));
    buf_init(&b);
    tok_text(d, r->lo, r->hi, &b);
    if (d->tok[r->hi - 1].poss)
        b.len -= d->tok[r->hi - 1].poss, b.data[b.len] = '\0';
    e->name = buf_detach(&b, NULL);
    e->key = xstrdup(key);
    e->ntok = run_words(d, r);
    e->first = r->lo;
    strmap_put(&pp->by_key, key, strlen(key), (int)pp->n);
    return (int)pp->n++;
}

/* The key of a run's name, and the same without initials (so that
 * "Anton J. Weiss" meets "Anton Weiss", but "Lena Marsh Holt" stays
 * apart from "Lena Holt"). */
static void
run_keys(const struct doc *d, const struct run *r, struct buf *key, struct buf *ends)
{
    for (size_t i = r->lo; i < r->hi; i++) {
        struct buf w;

        if (!key_word(d, i))
            continue;
        buf_init(&w);
        word_key(d, i, &w);
        if (key->len > 0)
            buf_addc(key, ' ');
        buf_add(key, w.data, w.len);
        if (w.len > 1) {
            if (ends->len > 0)
                buf_addc(ends, ' ');
            buf_add(ends, w.data, w.len);
        }
        buf_release(&w);
    }
}

/* A run that may name a person: it heads its phrase (or is a possessive),
 * is not "the X", and is not inside the description of someone else. */
static bool
person_run(const struct run *r, size_t covered)
{
    return (r->head || r->poss) && !r->definite && r->lo >= covered;
}

/* The words one-word mentions may refer to people by: the last word of a
 * name ("Holt" of "Karen Holt") and its other words ("Liang" of "Liang
 * Mingde", "Karim" of "Karim bin Yusuf Al Hadi").  A word stays with
 * the first person recorded under it. */
struct words {
    struct strmap last, other;
    struct strmap titled; /* last words of titled people */
};

static void
index_words(struct words *w, const struct doc *d, const struct run *r, int e, bool titled)
{
    size_t last = r->hi;

    for (size_t i = r->lo; i < r->hi; i++)
        if (key_word(d, i))
            last = i;
    for (size_t i = r->lo; i < r->hi; i++) {
        struct strmap *map = i == last ? &w->last : &w->other;
        struct buf key;

        if (!key_word(d, i))
            continue;
        buf_init(&key);
        word_key(d, i, &key);
        if (strmap_get(map, key.data, key.len) < 0)
            strmap_put(map, key.data, key.len, e);
        if (i == last && titled && strmap_get(&w->titled, key.data, key.len) < 0)
            strmap_put(&w->titled, key.data, key.len, e);
        buf_release(&key);
    }
}

/* The person named by a run of two or more words, new or seen before. */
static int
people_full_one(struct people *pp, const struct doc *d, const struct run *r,
                struct strmap *by_ends)
{
    struct buf key, ends;
    int e;

    buf_init(&key);
    buf_init(&ends);
    run_keys(d, r, &key, &ends);
    e = strmap_get(&pp->by_key, key.data, key.len);
    if (e < 0)
        e = strmap_get(by_ends, ends.data, ends.len);
    if (e < 0) {
        e = entity_new(pp, d, r, key.data);
        strmap_put(by_ends, ends.data, ends.len, e);
    } else if (run_words(d, r) > pp->ent[e].ntok) {
        struct buf b;

        buf_init(&b);
        tok_text(d, r->lo, r->hi, &b);
        free(pp->ent[e].name);
        pp->ent[e].name = buf_detach(&b, NULL);
        pp->ent[e].ntok = run_words(d, r);
    }
    pp->ent[e].cued = pp->ent[e].cued || r->cued;
    buf_release(&key);
    buf_release(&ends);
    return e;
}

/* Pass one: a person for each name of two or more words, and the words
 * one-word mentions may refer to them by. */
static void
people_full(struct people *pp, struct names *nm, const struct doc *d,
            struct strmap *by_ends, struct words *words)
{
    size_t covered = 0;

    for (size_t k = 0; k < nm->n; k++) {
        struct run *r = &nm->run[k];

        if (!person_run(r, covered))
            continue;
        covered = r->end;
        if (run_words(d, r) >= 2)
            r->entity = people_full_one(pp, d, r, by_ends);
    }
    for (size_t k = 0; k < nm->n; k++)
        if (nm->run[k].entity >= 0)
            index_words(words, d, &nm->run[k], nm->run[k].entity,
                        pp->ent[nm->run[k].entity].cued);
}

/* Whether a mention opens its sentence, or its clause after a short
 * introduction ("On Monday, Karen Holt ..."). */
static bool
mention_is_subject(const struct doc *d, const struct run *r)
{
    size_t lo = d->sent[d->tok[r->pre].sent].lo;

    if (r->poss)
        return false;
    return r->pre == lo ||
           (r->pre > lo && tok_punct(d, r->pre - 1, ',') && r->pre - lo <= INTRO_WORDS);
}

static void
mention_add(struct people *pp, const struct doc *d, const struct run *r)
{
    VEC_RESERVE(pp->men, pp->nmen, pp->capmen);
    pp->men[pp->nmen].pos = r->lo;
    pp->men[pp->nmen].para = d->tok[r->lo].para;
    pp->men[pp->nmen].entity = r->entity;
    pp->men[pp->nmen].weak = r->weak;
    pp->men[pp->nmen].subject = mention_is_subject(d, r);
    pp->nmen++;
}

/* The person a one-word name refers to, or -1: the first person with a
 * title whose name ends with that word, else the first such person at all
 * (an article introduces its subject before the subject's relatives);
 * else one whose name holds it elsewhere, if titled or named before
 * ("Norvik" before "Norvik Foods" is no person); else a one-word person
 * named before, or a new one when a title shows it is. */
static int
people_word(struct people *pp, const struct doc *d, struct run *r,
            const struct words *words)
{
    struct buf w;
    int e;

    buf_init(&w);
    word_key(d, r->lo, &w);
    e = strmap_get(&words->titled, w.data, w.len);
    if (e < 0)
        e = strmap_get(&words->last, w.data, w.len);
    if (e < 0) {
        e = strmap_get(&words->other, w.data, w.len);
        if (e >= 0 && !pp->ent[e].cued && pp->ent[e].first > r->lo)
            e = -1;
    }
    if (e < 0)
        e = strmap_get(&pp->by_key, w.data, w.len);
    if (e < 0 && r->cued)
        e = entity_new(pp, d, r, w.data);
    buf_release(&w);
    return e;
}

/* The gender words around a mention state: "Mr", "Ms", "chairwoman",
 * "Queen" (enum gender). */
static uint8_t
run_gender(const struct doc *d, const struct run *r)
{
    size_t hi = r->app_hi > r->app_lo ? r->app_hi : r->lo + (r->lo < r->hi);

    for (size_t i = r->pre; i < hi; i++) {
        if (lex_tok(d, i) & WC_MALE)
            return G_MALE;
        if (lex_tok(d, i) & WC_FEMALE)
            return G_FEMALE;
    }
    return G_UNKNOWN;
}

/* Pass two, in text order: resolves one-word names, merges what each
 * mention says about the person, and records the mentions. */
static void
people_mentions(struct people *pp, struct names *nm, const struct doc *d,
                const struct words *words)
{
    size_t covered = 0;

    for (size_t k = 0; k < nm->n; k++) {
        struct run *r = &nm->run[k];

        if (!person_run(r, covered))
            continue;
        covered = r->end;
        if (r->entity < 0 && run_words(d, r) == 1)
            r->entity = people_word(pp, d, r, words);
        if (r->entity < 0)
            continue;
        struct entity *e = &pp->ent[r->entity];

        role_merge(&e->role, &r->role);
        e->cued = e->cued || r->cued;
        if (e->gender == G_UNKNOWN)
            e->gender = run_gender(d, r);
        mention_add(pp, d, r);
    }
}

void
people_build(struct people *pp, struct names *nm, const struct doc *d)
{
    struct strmap by_ends;
    struct words words;

    memset(pp, 0, sizeof(*pp));
    strmap_init(&pp->by_key);
    strmap_init(&by_ends);
    strmap_init(&words.last);
    strmap_init(&words.other);
    strmap_init(&words.titled);
    people_full(pp, nm, d, &by_ends, &words);
    people_mentions(pp, nm, d, &words);
    strmap_release(&by_ends);
    strmap_release(&words.last);
    strmap_release(&words.other);
    strmap_release(&words.titled);
}

void
people_release(struct people *pp)
{
    for (size_t i = 0; i < pp->n; i++) {
        free(pp->ent[i].name);
        free(pp->ent[i].key);
        role_release(&pp->ent[i].role);
    }
    free(pp->ent);
    free(pp->men);
    strmap_release(&pp->by_key);
    memset(pp, 0, sizeof(*pp));
}

/* Index of the first mention at or after pos. */
static size_t
mention_after(const struct people *pp, size_t pos)
{
    size_t lo = 0, hi = pp->nmen;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (pp->men[mid].pos < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Which mentions may stand for a pronoun, from the most likely. */
enum antecedent { ANT_SUBJECT, ANT_TITLED, ANT_ANY };

/* What a pronoun looks for: its gender and the genders known so far. */
struct pronoun_query {
    const struct people *pp;
    const uint8_t *gender;
    uint8_t want;
};

static bool
gender_fits(const struct pronoun_query *pq, int e)
{
    return e >= 0 && (pq->want == G_UNKNOWN || pq->gender[e] == G_UNKNOWN ||
                      pq->gender[e] == pq->want);
}

static bool
antecedent_is(const struct pronoun_query *pq, const struct mention *mn,
              enum antecedent want)
{
    if (!gender_fits(pq, mn->entity))
        return false;
    switch (want) {
    case ANT_SUBJECT:
        return mn->subject;
    case ANT_TITLED:
        return !mn->weak && pq->pp->ent[mn->entity].cued;
    default:
        return true;
    }
}

/* The last mention of the wanted kind before index m in paragraph para,
 * or -1. */
static int
mention_in_para(const struct pronoun_query *pq, size_t m, uint32_t para,
                enum antecedent want)
{
    const struct people *pp = pq->pp;

    for (size_t seen = 0; m > 0 && pp->men[m - 1].para == para && seen < PRONOUN_LOOKBACK;
         m--, seen++)
        if (antecedent_is(pq, &pp->men[m - 1], want))
            return pp->men[m - 1].entity;
    return -1;
}

/* The best antecedent in paragraph para before mention index m. */
static int
antecedent_in_para(const struct pronoun_query *pq, size_t m, uint32_t para)
{
    int e = mention_in_para(pq, m, para, ANT_SUBJECT);

    if (e < 0)
        e = mention_in_para(pq, m, para, ANT_TITLED);
    return e;
}

uint8_t
pronoun_gender(const struct doc *d, size_t pos)
{
    if (tok_is(d, pos, "he") || tok_is(d, pos, "him") || tok_is(d, pos, "his"))
        return G_MALE;
    if (tok_is(d, pos, "she") || tok_is(d, pos, "her") || tok_is(d, pos, "hers"))
        return G_FEMALE;
    return G_UNKNOWN;
}

int
people_pronoun(const struct people *pp, const struct doc *d, size_t pos, int last_speaker,
               uint32_t last_para, const uint8_t *gender)
{
    struct pronoun_query pq = {pp, gender, pronoun_gender(d, pos)};
    uint32_t para = d->tok[pos].para;
    size_t m = mention_after(pp, pos), prev = m;
    int e;

    if (last_para == para && gender_fits(&pq, last_speaker))
        return last_speaker;
    if ((e = antecedent_in_para(&pq, m, para)) >= 0 ||
        (e = mention_in_para(&pq, m, para, ANT_ANY)) >= 0 || para == 0)
        return e;
    if (last_para + 1 == para && gender_fits(&pq, last_speaker))
        return last_speaker;
    while (prev > 0 && pp->men[prev - 1].para == para)
        prev--;
    return antecedent_in_para(&pq, prev, para - 1);
}

/* Whether title contains the word w[0..n) (case-insensitive). */
static bool
has_word(const char *title, const char *w, size_t n)
{
    for (const char *p = title; *p != '\0'; p++) {
        bool start = p == title || p[-1] == ' ' || p[-1] == '-';

        if (start && strncasecmp(p, w, n) == 0 &&
            (p[n] == '\0' || p[n] == ' ' || p[n] == '-' || p[n] == ','))
            return true;
    }
    return false;
}

int
people_by_title(const struct people *pp, const struct doc *d, size_t head, size_t pos)
{
    size_t n, m = mention_after(pp, pos), seen = 0;
    const char *w = tok_word(d, head, &n);

    while (m > 0 && seen++ < TITLE_LOOKBACK) {
        const struct entity *e = &pp->ent[pp->men[--m].entity];

        if (e->role.title != NULL && has_word(e->role.title, w, n))
            return pp->men[m].entity;
    }
    return -1;
}
