/* names.c - finds runs of capitalized words that may name a person, and
 * reads what the article says about each: a premodifier ("NTC fisheries and
 * ports commissioner Ines Halvorsen"), an "of X" after the name
 * ("Karim el-Masri of Jordan") and an appositive between commas
 * ("Ines Halvorsen, director of the Planning Office of the Port Emberly
 * Harbour Authority,").  Titles are split from organizations
 * here, and acronyms the article spells out are expanded. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gazette/xalloc.h"
#include "internal.h"

#define PREMOD_MAX         12 /* words before a name that may describe the person */
#define APPOSITIVE_MAX     25
#define APPOSITIVE_END_MAX 15 /* one that runs to the end of the sentence */
#define NAMED_TITLE_MAX    20 /* "The general secretary of ..., Edda Roos," */
#define QUOTED_NAME_MAX    10 /* an organization's name in quotation marks */
#define APPOSITIVES_MAX    2  /* further appositives after the first */
#define NAME_MAX_WORDS     5  /* longer capitalized runs are titles of works */

/* ---- tokens that may be part of a name ---- */

/* Roman numerals of regnal names: "Casimir IV". */
static bool
roman(const struct doc *d, size_t i)
{
    static const char *const numerals[] = {"II",  "III",  "IV", "V", "VI",
                                           "VII", "VIII", "IX", "X", "XI"};

    for (size_t k = 0; k < sizeof(numerals) / sizeof(numerals[0]); k++)
        if (tok_is(d, i, numerals[k]) && (d->tok[i].flags & TF_CAP))
            return true;
    return false;
}

/* "el-Sisi", "al-Assad": a lower-case particle joined to a capital. */
static bool
hyphen_particle(const struct doc *d, size_t i)
{
    size_t n;
    const char *s = tok_word(d, i, &n);
    const char *dash = memchr(s, '-', n);

    if (dash == NULL || dash == s || dash + 1 >= s + n)
        return false;
    return (lex_class(s, (size_t)(dash - s)) & WC_PARTICLE) &&
           isupper((unsigned char)dash[1]);
}

static bool
has_digit(const struct doc *d, size_t i)
{
    for (size_t k = d->tok[i].b0; k < d->tok[i].b1; k++)
        if (isdigit((unsigned char)d->text[k]))
            return true;
    return false;
}

static bool
ends_with(const char *w, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);

    return n > k + 2 && strncasecmp(w + n - k, suffix, k) == 0;
}

/* Capitalized words that describe rather than name: plurals of titles
 * ("Vice Presidents"), occupations by their ending ("Cardiologist",
 * "Technician"), ages ("Twelve-year-old"), and a gerund or participle
 * opening a sentence ("Expanding Portvale Harbour ..."). */
static bool
describing_word(const struct doc *d, size_t i)
{
    size_t n;
    const char *w = tok_word(d, i, &n);

    if (n > 3 && (w[n - 1] == 's' || w[n - 1] == 'S') &&
        (lex_class(w, n - 1) & (WC_TITLE | WC_ORG)))
        return true;
    if (ends_with(w, n, "ologist") || ends_with(w, n, "ician") ||
        ends_with(w, n, "year-old"))
        return true;
    return (d->tok[i].flags & TF_SENT) && n > 5 &&
           (ends_with(w, n, "ing") || ends_with(w, n, "ed"));
}

/* Whether token i may be part of a personal name, worked out. */
static bool
name_word(const struct doc *d, size_t i)
{
    const struct tok *t = &d->tok[i];
    size_t n;
    const unsigned never = WC_STOP | WC_TITLE | WC_ORG | WC_HONOR | WC_CALENDAR |
                           WC_PRONOUN | WC_PARTY | WC_PLURAL | WC_ALIAS | WC_MEDIA |
                           WC_PLACE | WC_NONAME;

    if (t->kind != TK_WORD || (t->flags & (TF_INQ | TF_ALLCAPS)))
        return false;
    if (!(t->flags & TF_CAP))
        return hyphen_particle(d, i);
    if (has_digit(d, i) || (lex_tok(d, i) & never) || lex_verb(d, i, &n) ||
        describing_word(d, i) || lex_geo(d, i, &n) != NULL)
        return false;
    /* "Kong" of "Hong Kong", "Wales" of "New South Wales" */
    for (size_t k = 1; k <= 3 && k <= i; k++)
        if (lex_geo(d, i - k, &n) != NULL && n > k)
            return false;
    return true;
}

void
names_mark(struct doc *d)
{
    for (size_t i = 0; i < d->ntok; i++)
        if (name_word(d, i))
            d->tok[i].flags |= TF_NAME;
}

bool
name_token(const struct doc *d, size_t i)
{
    return i < d->ntok && (d->tok[i].flags & TF_NAME);
}

/* Whether a premodifier [lo, hi) shows a person is named: a title, an
 * honorific, a party, or "named" after a word for a person ("a student
 * named Ferrand", not "a town named Kessel"). */
static bool
premod_cues(const struct doc *d, size_t lo, size_t hi)
{
    bool person = false;

    for (size_t i = lo; i < hi; i++) {
        unsigned c = lex_tok(d, i);

        if (c & WC_ALIAS) {
            if (person)
                return true;
            continue;
        }
        person = person || (c & (WC_TITLE | WC_PERSON));
        if (c & (WC_TITLE | WC_HONOR | WC_PARTY | WC_ROYAL))
            return true;
        /* "Twelve-year-old Lotte" */
        size_t n;
        const char *w = tok_word(d, i, &n);

        if (ends_with(w, n, "year-old"))
            return true;
    }
    return false;
}

/* Word classes that describe a person before the name. */
static bool
describes(unsigned c)
{
    return (c & (WC_TITLE | WC_HONOR | WC_ALIAS | WC_PARTY | WC_ROYAL)) != 0;
}

static bool
is_det(const struct doc *d, size_t i)
{
    if (!(lex_tok(d, i) & WC_STOP))
        return false;
    return tok_is(d, i, "the") || tok_is(d, i, "a") || tok_is(d, i, "an");
}

/* ---- the words before a name ---- */

/* What premod_start has seen so far, walking left from the name. */
struct premod_state {
    bool titled; /* a title word: lower-case words may describe it */
    bool capped; /* a capitalized word that is no title ("United States") */
    bool stop;   /* a determiner: the phrase starts here */
};

/* One step of premod_start: how many tokens before i (1 or more) belong
 * to the premodifier, 0 to stop there. */
static size_t
premod_step(const struct doc *d, size_t i, struct premod_state *st)
{
    size_t t = i - 1;
    const struct tok *k = &d->tok[t];
    unsigned c = lex_tok(d, t);

    if (tok_punct(d, t, '.') && t > 0 && (lex_tok(d, t - 1) & WC_HONOR))
        return 2; /* "Dr." */
    if (tok_punct(d, t, ')') && t >= 2 && tok_punct(d, t - 2, '(') &&
        (d->tok[t - 1].flags & TF_ALLCAPS)) {
        st->titled = st->titled || (lex_tok(d, t - 1) & WC_TITLE);
        return 3; /* "(MP)" */
    }
    if (k->kind == TK_PUNCT)
        return 0;
    /* "a striker using the pseudonym Vesna" */
    if (st->titled && tok_is(d, t, "the") && t > 0 &&
        (tok_is(d, t - 1, "using") || tok_is(d, t - 1, "under")))
        return 2;
    if (is_det(d, t)) {
        /* "Vice President of the Commission Anton Weiss" goes on */
        if (t >= 2 && tok_is(d, t - 1, "of") &&
            ((d->tok[t - 2].flags & TF_CAP) || (lex_tok(d, t - 2) & WC_TITLE)))
            return 2;
        st->stop = true;
        return 1;
    }
    if (tok_is(d, t, "of"))
        return t > 0 &&
               ((d->tok[t - 1].flags & TF_CAP) || (lex_tok(d, t - 1) & WC_TITLE));
    /* "fisheries and ports commissioner", "analyst and former official",
     * "Minister of Industry and Technology", "President and CEO" */
    if (tok_is(d, t, "and")) {
        bool titles =
            t > 0 && (lex_tok(d, t - 1) & WC_TITLE) && (lex_tok(d, t + 1) & WC_TITLE);

        if (!st->titled || t == 0 ||
            (!titles &&
             (!(d->tok[t - 1].flags & TF_LOWER) || !(d->tok[t + 1].flags & TF_LOWER) ||
              (lex_tok(d, t - 1) & WC_STOP) ||
              (st->capped && !(lex_tok(d, t - 1) & WC_TITLE)))))
            return 0;
        st->capped = false;
        return 1;
    }
    if (c & WC_STOP || c & WC_CALENDAR)
        return 0;
    if (describes(c) || k->poss) {
        st->titled = st->titled || describes(c);
        return 1;
    }
    if (k->flags & (TF_CAP | TF_ALLCAPS)) {
        st->capped = true;
        return 1;
    }
    /* lower-case words only to the left of a title and right of any
     * other capitalized word: "retail expert", not "state of emergency" */
    return st->titled && !st->capped && (k->flags & (TF_LOWER | TF_HYPHEN)) &&
           !lex_verb(d, t, &(size_t){0});
}

/* First token of the words before token lo that describe who is named
 * there; lo if none.  Stays in the sentence. */
static size_t
premod_start(const struct doc *d, size_t lo)
{
    size_t i = lo;
    struct premod_state st = {false, false, false};

    while (i > 0 && lo - i < PREMOD_MAX && d->tok[i - 1].sent == d->tok[lo].sent &&
           !st.stop) {
        size_t n = premod_step(d, i, &st);

        if (n == 0 || n > i)
            break;
        i -= n;
    }
    /* a dangling "of" or "and" at the left edge belongs to something else */
    while (i < lo && (tok_is(d, i, "of") || tok_is(d, i, "and")))
        i++;
    return i;
}

/* ---- organization phrases ---- */

static bool
org_connector(const struct doc *d, size_t i)
{
    static const char *const words[] = {"of",  "and", "the", "for", "de", "du",
                                        "des", "la",  "le",  "für", "on"};
    size_t n;

    if (tok_punct(d, i, '&'))
        return true;
    if (i >= d->ntok || d->tok[i].kind != TK_WORD || (tok_word(d, i, &n), n > 4))
        return false; /* every connector is short: spare long words the list */
    for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
        if (tok_is(d, i, words[k]))
            return true;
    return false;
}

/* A capitalized title word inside an organization's name ("State
 * Department", "Foreign Ministry") is followed by an organization word. */
static bool
title_in_org(const struct doc *d, size_t i, size_t hi)
{
    for (size_t k = i + 1; k < hi && k <= i + 3; k++) {
        if (d->tok[k].kind != TK_WORD || !(d->tok[k].flags & (TF_CAP | TF_ALLCAPS)))
            return false;
        if (lex_tok(d, k) & WC_ORG)
            return true;
    }
    return false;
}

size_t
org_phrase_end(const struct doc *d, size_t lo, size_t hi)
{
    size_t i = lo, end = lo;
    bool of = false; /* past an "of": "Ministry of Foreign Affairs" */

    while (i < hi && i < lo + 12) {
        const struct tok *t = &d->tok[i];

        if (t->kind == TK_WORD && (t->flags & (TF_CAP | TF_ALLCAPS))) {
            /* "the Ministry of Finance on Tuesday", "Friday Ford Motor
             * Company", not "USA Today" */
            if ((lex_tok(d, i) & WC_CALENDAR) && (i == lo || org_connector(d, i - 1)))
                break;
            /* "Court of Justice", "State Department", "Ministry of Foreign
             * Affairs", not "Speaker" */
            if ((lex_tok(d, i) & WC_TITLE) && !(lex_tok(d, i) & WC_ORG) &&
                !title_in_org(d, i, hi) && !(i > lo && org_connector(d, i - 1)) &&
                !(of && (lex_tok(d, i) & WC_FIELD)))
                break;
            end = ++i;
            if (t->poss)
                continue;
        } else if (i > lo && org_connector(d, i) && i + 1 < hi &&
                   !(tok_is(d, i, "and") && tok_is(d, i + 1, "the"))) {
            /* "X and the Y" are two organizations */
            of = of || tok_is(d, i, "of");
            i++;
        } else {
            break;
        }
    }
    return end;
}

/* ---- acronyms ---- */

/* Upper-case letters of an acronym-like token ("NT&R" -> "NTR",
 * "EmHA" -> "EHA"); 0 if it is not one. */
static size_t
acronym_letters(const struct doc *d, size_t i, char *out, size_t cap)
{
    size_t n = 0;

    if (d->tok[i].kind != TK_WORD || d->tok[i].b1 - d->tok[i].b0 > 12)
        return 0;
    for (size_t k = d->tok[i].b0; k < d->tok[i].b1; k++) {
        char c = d->text[k];

        if (isupper((unsigned char)c) && n + 1 < cap)
            out[n++] = c;
        else if (c != '&' && c != '.' && !islower((unsigned char)c))
            return 0;
    }
    out[n] = '\0';
    return n >= 2 ? n : 0;
}

/* The spelled-out name before "(" at token paren whose initials fit the
 * acronym's letters: exactly, or with one word more or less. */
static bool
acronym_source(const struct doc *d, size_t paren, const char *letters, size_t *lo)
{
    size_t nl = strlen(letters), best = paren;
    char init[16];
    size_t ni = 0;

    for (size_t s = paren; s > 0 && paren - s < 10;) {
        s--;
        if (org_connector(d, s) || tok_punct(d, s, '-'))
            continue;
        if (d->tok[s].kind != TK_WORD || !(d->tok[s].flags & TF_CAP) ||
            d->tok[s].sent != d->tok[paren].sent || ni + 1 >= sizeof(init))
            break;
        memmove(init + 1, init, ni);
        init[0] = (char)toupper((unsigned char)d->text[d->tok[s].b0]);
        ni++;
        if (ni == nl && memcmp(init, letters, nl) == 0) {
            *lo = s;
            return true;
        }
        if (init[0] == letters[0] && (ni + 1 == nl || ni == nl + 1))
            best = s;
    }
    *lo = best;
    return best < paren;
}

static void append_words(struct buf *b, const struct doc *d, size_t lo, size_t hi);

void
acronyms_scan(struct acronyms *a, const struct doc *d)
{
    memset(a, 0, sizeof(*a));
    strmap_init(&a->map);
    for (size_t i = 1; i + 2 < d->ntok; i++) {
        char letters[16];
        size_t lo;

        if (!tok_punct(d, i, '(') || !tok_punct(d, i + 2, ')') ||
            acronym_letters(d, i + 1, letters, sizeof(letters)) == 0 ||
            !acronym_source(d, i, letters, &lo))
            continue;
        struct buf b;
        const struct tok *t = &d->tok[i + 1];

        if (strmap_get(&a->map, d->text + t->b0, t->b1 - t->b0) >= 0)
            continue;
        buf_init(&b);
        append_words(&b, d, lo, i);
        VEC_RESERVE(a->full, a->n, a->cap);
        a->full[a->n] = buf_detach(&b, NULL);
        strmap_put(&a->map, d->text + t->b0, t->b1 - t->b0, (int)a->n);
        a->n++;
    }
}

void
acronyms_release(struct acronyms *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->full[i]);
    free(a->full);
    strmap_release(&a->map);
    memset(a, 0, sizeof(*a));
}

const char *
acronyms_expand(const struct acronyms *a, const char *s)
{
    int k = strmap_get(&a->map, s, strlen(s));

    return k >= 0 ? a->full[k] : s;
}

/* ---- building role strings ---- */

/* Appends tokens [lo, hi) with single spaces where the text had space,
 * leaving out parenthesized acronyms ("Member of Parliament (MP)"). */
static void
append_words(struct buf *b, const struct doc *d, size_t lo, size_t hi)
{
    size_t start = b->len;

    for (size_t i = lo; i < hi; i++) {
        if (tok_punct(d, i, '(') && i + 2 < hi + 1 && tok_punct(d, i + 2, ')') &&
            (d->tok[i + 1].flags & TF_ALLCAPS)) {
            i += 2;
            continue;
        }
        if (b->len > start && i > lo && d->tok[i].b0 > d->tok[i - 1].b1)
            buf_addc(b, ' ');
        buf_add(b, d->text + d->tok[i].b0, d->tok[i].b1 - d->tok[i].b0);
    }
}

/* An organization's name from tokens [lo, hi): without a leading "the"
 * or a possessor ("Norway's Fjordvik University"), a country for a
 * demonym, the spelled-out form for an acronym.  NULL when empty. */
static char *
org_name(const struct doc *d, const struct acronyms *a, size_t lo, size_t hi)
{
    struct buf b;
    size_t n;
    const char *geo;

    while (lo < hi && (is_det(d, lo) || org_connector(d, lo)))
        lo++;
    while (hi > lo && (d->tok[hi - 1].flags & TF_QCLOSE)) /* “Safe at Home” */
        hi--;
    for (size_t i = lo; i + 1 < hi; i++)
        if (d->tok[i].poss)
            lo = i + 1;
    if (lo >= hi)
        return NULL;
    geo = lex_geo(d, lo, &n);
    if (geo != NULL && lo + n == hi)
        return xstrdup(geo);
    buf_init(&b);
    append_words(&b, d, lo, hi);
    if (b.len > 2 && d->tok[hi - 1].poss)
        b.len -= d->tok[hi - 1].poss, b.data[b.len] = '\0';
    const char *full = acronyms_expand(a, b.data);

    if (full != b.data) {
        buf_reset(&b);
        buf_adds(&b, full);
    }
    return buf_detach(&b, NULL);
}

/* Sets org (and parent) from an organization phrase [lo, hi):
 * "Planning Office of the Port Emberly Harbour Authority" is a
 * department (the words before "of the", ending in an organization word)
 * of a parent (the words after it, holding one). */
void
role_org_chain(struct role *r, const struct doc *d, const struct acronyms *a, size_t lo,
               size_t hi)
{
    for (size_t k = lo + 1; k + 2 < hi; k++) {
        if (!tok_is(d, k, "of") || !tok_is(d, k + 1, "the") ||
            !(lex_tok(d, k - 1) & WC_ORG))
            continue;
        for (size_t j = k + 2; j < hi; j++) {
            if (lex_tok(d, j) & WC_ORG) {
                r->org = org_name(d, a, lo, k);
                r->parent = org_name(d, a, k + 2, hi);
                return;
            }
        }
    }
    r->org = org_name(d, a, lo, hi);
}

/* The organization a possessor names ("Chile's", "the United Kingdom's",
 * "news site Harbour Daily's"): its last capitalized words, when they are
 * a country, an acronym or hold an organization word.  A person's name
 * ("Karen Holt's spokesperson") gives none. */
static char *
possessor_org(const struct doc *d, const struct acronyms *a, size_t lo, size_t hi)
{
    size_t s = hi, n;
    bool orgish = false;

    while (s > lo && d->tok[s - 1].kind == TK_WORD &&
           ((d->tok[s - 1].flags & (TF_CAP | TF_ALLCAPS)) || org_connector(d, s - 1)))
        s--;
    while (s < hi && org_connector(d, s))
        s++;
    if (s == hi)
        return NULL;
    const char *geo = lex_geo(d, s, &n);

    for (size_t i = s; i < hi; i++)
        orgish = orgish || (d->tok[i].flags & TF_ALLCAPS) ||
                 (lex_tok(d, i) & (WC_ORG | WC_MEDIA));
    if (!orgish && !(geo != NULL && s + n == hi))
        return NULL;
    return org_name(d, a, s, hi);
}

/* End of the title words in [lo, hi): a preposition other than "of",
 * "for" and "to", or a participle, starts what describes the person
 * further ("analyst with long experience advising ..."). */
static size_t
title_cut(const struct doc *d, size_t lo, size_t hi)
{
    bool titled = lex_tok(d, lo) & WC_TITLE;

    for (size_t i = lo + 1; i < hi; i++) {
        size_t n;
        const char *w = tok_word(d, i, &n);
        unsigned c = lex_tok(d, i);

        titled = titled || (c & WC_TITLE);
        if (!(d->tok[i].flags & TF_LOWER) || (c & WC_TITLE))
            continue;
        if ((c & WC_PREP) && !tok_is(d, i, "for") && !tok_is(d, i, "to"))
            return i;
        /* "co-author of a report released in", "spokesperson representing",
         * but not "head of planning" */
        if (titled && !org_connector(d, i - 1) &&
            (ends_with(w, n, "ing") || ends_with(w, n, "ed")))
            return i;
    }
    return hi;
}

/* ---- title phrases ---- */

/* The parts of a title phrase.  Token ranges are empty (lo == hi) when a
 * part is missing. */
struct parts {
    size_t lo, hi;             /* the phrase without determiners and honorifics */
    size_t poss_lo, poss_hi;   /* possessor: "Chile's", "the United Kingdom's" */
    size_t lead_lo, lead_hi;   /* leading organization: "NTC", "Green Party" */
    const char *lead_name;     /* party or country for a one-word lead */
    size_t t_lo, t_hi;         /* the title words */
    size_t of, org_lo, org_hi; /* "director of [Harbour Watch International]" */
    bool titled;               /* a title word among t_lo..t_hi */
};

static const char *
party_name(const struct doc *d, size_t i)
{
    static const char *const parties[][2] = {
        {"labour", "Labour Party"},         {"conservative", "Conservative Party"},
        {"tory", "Conservative Party"},     {"liberal", "Liberal Party"},
        {"democratic", "Democratic Party"}, {"democrat", "Democratic Party"},
        {"republican", "Republican Party"}, {"green", "Green Party"},
        {"socialist", "Socialist Party"},   {"communist", "Communist Party"},
    };

    for (size_t k = 0; k < sizeof(parties) / sizeof(parties[0]); k++)
        if (tok_is(d, i, parties[k][0]))
            return parties[k][1];
    return NULL;
}

/* Leading capitalized words that are not title words: "NTC", "Green
 * Party", "Hong Kong", "Nordic Export–Import Bank".  Kept as an
 * organization only when they clearly are one. */
static void
parts_lead(struct parts *p, const struct doc *d)
{
    size_t j = p->t_lo, caps = 0, n;
    bool acronym = false, orgword = false;

    while (j < p->t_hi) {
        const struct tok *t = &d->tok[j];

        if (t->kind == TK_WORD && (t->flags & (TF_CAP | TF_ALLCAPS)) &&
            !(lex_tok(d, j) & WC_TITLE)) {
            caps++;
            acronym = acronym || (t->flags & TF_ALLCAPS);
            orgword = orgword || (lex_tok(d, j) & WC_ORG);
            j++;
        } else if (j > p->t_lo && org_connector(d, j) && j + 2 < p->t_hi &&
                   (d->tok[j + 1].flags & TF_CAP)) {
            /* "Emberly Department of Ports official" */
            caps++;
            orgword = orgword || (lex_tok(d, j + 1) & WC_ORG);
            j += 2;
        } else {
            break;
        }
    }
    if (j == p->t_lo || j >= p->t_hi)
        return; /* no lead, or nothing after it to be the title */
    const char *geo = lex_geo(d, p->t_lo, &n);

    if (caps == 1 && party_name(d, p->t_lo) != NULL)
        p->lead_name = party_name(d, p->t_lo);
    else if (geo != NULL && p->t_lo + n == j)
        p->lead_name = geo;
    else if (!acronym && !(orgword && caps >= 2) && caps < 2)
        return;
    p->lead_lo = p->t_lo;
    p->lead_hi = j;
}

/* "director of the Port Emberly Harbour Authority", "vice president
 * at NT&R", "expert from Fjordvik University": the organization after the
 * title.  "member of parliament" is a title as a whole. */
static void
parts_of(struct parts *p, const struct doc *d)
{
    bool titled = false;

    for (size_t k = p->lead_hi > p->t_lo ? p->lead_hi : p->t_lo; k + 1 < p->t_hi; k++) {
        size_t o = k + 1;

        titled = titled || (lex_tok(d, k) & WC_TITLE);
        if (!titled || !(tok_is(d, k, "of") || tok_is(d, k, "at") ||
                         tok_is(d, k, "from") || tok_is(d, k, "with")))
            continue;
        if (k > p->t_lo && tok_is(d, k - 1, "member"))
            return;
        if (tok_is(d, o, "the") && o + 1 < p->t_hi)
            o++;
        /* "of State" names no body; "of the Trade Remedies Department" does */
        if (!(d->tok[o].flags & (TF_CAP | TF_ALLCAPS)) ||
            ((lex_tok(d, o) & WC_TITLE) && !title_in_org(d, o, p->t_hi)))
            return;
        size_t e = org_phrase_end(d, o, p->t_hi);

        if (e > o) {
            p->of = k;
            p->org_lo = o;
            p->org_hi = e;
        }
        return;
    }
}

/* Splits tokens [lo, hi) of a title phrase into its parts. */
static void
parts_split(struct parts *p, const struct doc *d, size_t lo, size_t hi)
{
    memset(p, 0, sizeof(*p));
    while (lo < hi &&
           (is_det(d, lo) || (lex_tok(d, lo) & WC_HONOR) || tok_punct(d, lo, '.')))
        lo++;
    /* the title ends where an alias begins: "a student named", "using the pseudonym" */
    for (size_t i = lo; i < hi; i++) {
        if ((lex_tok(d, i) & WC_ALIAS) || tok_is(d, i, "using") ||
            tok_is(d, i, "under")) {
            hi = i;
            break;
        }
    }
    p->lo = p->t_lo = lo;
    p->hi = p->t_hi = hi;
    for (size_t i = lo; i < hi && !(lex_tok(d, i) & WC_TITLE); i++) {
        if (d->tok[i].poss) {
            p->poss_lo = lo;
            p->poss_hi = i + 1;
            p->t_lo = i + 1;
        }
    }
    parts_lead(p, d);
    p->of = p->org_lo = p->org_hi = p->t_hi;
    parts_of(p, d);
    /* a title word before any preposition: not "attended a service at the
     * Saint Aldric Cathedral" */
    for (size_t i = p->t_lo; i < p->of; i++) {
        if ((lex_tok(d, i) & WC_PREP) && !tok_is(d, i, "for") && !tok_is(d, i, "to"))
            break;
        p->titled = p->titled || (lex_tok(d, i) & WC_TITLE);
    }
}

static char *
words_dup(const struct doc *d, size_t lo, size_t hi)
{
    struct buf b;

    if (lo >= hi)
        return NULL;
    buf_init(&b);
    append_words(&b, d, lo, hi);
    if (b.len == 0) {
        buf_release(&b);
        return NULL;
    }
    return buf_detach(&b, NULL);
}

/* Fills r's empty fields from parts: the organization after "of" first,
 * then a possessor, then a leading organization (when allow_lead), and
 * the title words that remain once the chosen organization is taken out
 * ("Oslo director of Harbour Watch International" -> "Oslo director" of
 * "Harbour Watch International"). */
static void
role_from_parts(struct role *r, const struct doc *d, const struct acronyms *a,
                const struct parts *p)
{
    size_t t_lo = p->t_lo, t_hi = p->t_hi;

    /* "Chile's Rafael Quintero": the possessor alone says where he belongs */
    if (!p->titled && r->org == NULL && p->poss_hi > p->poss_lo && p->t_lo == p->t_hi)
        r->org = possessor_org(d, a, p->poss_lo, p->poss_hi);
    if (!p->titled)
        return;
    if (r->org == NULL && p->org_hi > p->org_lo) {
        role_org_chain(r, d, a, p->org_lo, p->org_hi);
        t_hi = p->of;
    } else if (r->org == NULL && p->poss_hi > p->poss_lo &&
               (r->org = possessor_org(d, a, p->poss_lo, p->poss_hi)) != NULL) {
        /* the title is what follows the possessor */
    } else if (r->org == NULL && p->lead_hi > p->lead_lo) {
        r->org = p->lead_name != NULL ? xstrdup(p->lead_name)
                                      : org_name(d, a, p->lead_lo, p->lead_hi);
        t_lo = p->lead_hi;
    }
    t_hi = title_cut(d, t_lo, t_hi);
    while (t_hi > t_lo &&
           (tok_is_comma(d, t_hi - 1) || tok_punct(d, t_hi - 1, '.') ||
            org_connector(d, t_hi - 1) || (lex_tok(d, t_hi - 1) & WC_HONOR)))
        t_hi--;
    if (r->title == NULL)
        r->title = words_dup(d, t_lo, t_hi);
}

void
role_parse(struct role *r, const struct doc *d, const struct acronyms *a, size_t lo,
           size_t hi)
{
    struct parts p;

    parts_split(&p, d, lo, hi);
    role_from_parts(r, d, a, &p);
}

void
role_release(struct role *r)
{
    free(r->title);
    free(r->org);
    free(r->parent);
    memset(r, 0, sizeof(*r));
}

void
role_merge(struct role *r, const struct role *src)
{
    if (r->title == NULL && src->title != NULL)
        r->title = xstrdup(src->title);
    if (r->org == NULL && src->org != NULL) {
        r->org = xstrdup(src->org);
        free(r->parent);
        r->parent = src->parent != NULL ? xstrdup(src->parent) : NULL;
    }
}

/* ---- after the name ---- */

/* Whether token i is a lower-case word ending in "-ing" ("ignoring"). */
static bool
gerund(const struct doc *d, size_t i)
{
    size_t n;
    const char *w = tok_word(d, i, &n);

    return ends_with(w, n, "ing");
}

/* "of Jordan", "of the Green Party", "of tenants' group Fair Rents
 * Now", "at Saint Aldric" right after a name: the first token after
 * it, or hi when there is none; *org_lo is where the organization starts. */
static size_t
postmod_end(const struct doc *d, size_t hi, size_t *org_lo)
{
    size_t o = hi + 1, e;
    bool of = tok_is(d, hi, "of");

    *org_lo = hi;
    if (!(of || tok_is(d, hi, "at") || tok_is(d, hi, "from")) || d->tok[hi - 1].poss)
        return hi;
    if (tok_is(d, o, "the"))
        o++;
    /* "of victim group X", but not "accused X of ignoring “…”" */
    while (of && o < hi + 5 && o < d->ntok && (d->tok[o].flags & TF_LOWER) &&
           !(lex_tok(d, o) & WC_STOP) && !gerund(d, o))
        o++;
    /* "Lotte Brink of “Safe at Home”, a tenants' support charity" */
    if (of && o < d->ntok && (d->tok[o].flags & TF_QOPEN) &&
        d->q[d->tok[o].quote].closed &&
        d->q[d->tok[o].quote].close < o + QUOTED_NAME_MAX &&
        !tok_punct(d, d->q[d->tok[o].quote].close - 1, '.')) {
        *org_lo = o + 1;
        return d->q[d->tok[o].quote].close + 1;
    }
    if (o >= d->ntok || d->tok[o].sent != d->tok[hi].sent)
        return hi;
    e = org_phrase_end(d, o, d->sent[d->tok[hi].sent].hi);
    if (e == o)
        return hi;
    /* "Dana Whitfield of Ohio and Marcus Lowe": a place
     * ends the phrase unless an organization's name goes on */
    size_t n;

    if (lex_geo(d, o, &n) != NULL && o + n < e && !(d->tok[o + n].flags & TF_CAP))
        e = o + n;
    *org_lo = o;
    return e;
}

/* Whether token i may begin an appositive: a determiner, a title, a
 * number, a relative pronoun, a preposition ("Okafor, in remarks to
 * Harbour Radio, said"), but no other function word ("According to
 * Okafor, this ..."). */
static bool
appositive_opener(const struct doc *d, size_t i)
{
    static const char *const ok[] = {
        "the",     "a",       "an",   "who", "which",    "whose",  "when",   "while",
        "in",      "on",      "at",   "as",  "after",    "before", "during", "himself",
        "herself", "another", "also", "now", "formerly", "both",   "of",     "his",
        "her",     "their",   "its",  "not", "then",     "still"};

    if (d->tok[i].kind == TK_PUNCT)
        return false;
    if (!(lex_tok(d, i) & WC_STOP))
        return !(lex_tok(d, i) & WC_PRONOUN);
    for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++)
        if (tok_is(d, i, ok[k]))
            return true;
    return false;
}

/* A phrase set off by commas after a name, starting after the comma at
 * token k: [*lo, *hi), with *end the first token after its closing
 * comma.  One that runs to the end of the sentence is returned with
 * *to_end set.  Phrases that begin like a new clause are not appositives. */
static bool
appositive(const struct doc *d, size_t k, size_t *lo, size_t *hi, size_t *end,
           bool *to_end)
{
    size_t first = k + 1, m, vlen, sent_hi;

    if (!tok_punct(d, k, ',') || first >= d->ntok || d->tok[first].sent != d->tok[k].sent)
        return false;
    if (!appositive_opener(d, first) || lex_verb(d, first, &vlen))
        return false;
    sent_hi = d->sent[d->tok[k].sent].hi;
    for (m = first; m < sent_hi && m - first <= APPOSITIVE_MAX; m++) {
        if (tok_punct(d, m, ','))
            break;
        if ((d->tok[m].flags & (TF_QOPEN | TF_QCLOSE)) || tok_punct(d, m, ';') ||
            tok_punct(d, m, ':') || tok_punct(d, m, '('))
            return false;
    }
    if (m - first > APPOSITIVE_MAX)
        return false;
    *to_end = m == sent_hi || !tok_punct(d, m, ',');
    if (*to_end && m - first > APPOSITIVE_END_MAX)
        return false;
    *hi = m;
    while (*to_end && *hi > first && d->tok[*hi - 1].kind == TK_PUNCT)
        (*hi)--;
    *lo = first;
    *end = *to_end ? *hi : m + 1;
    return *hi > first;
}

/* ---- runs ---- */

/* End of a name run starting at lo: name words, inner particles ("van"),
 * initials ("W."), and a final regnal numeral. */
static size_t
run_end(const struct doc *d, size_t lo)
{
    size_t hi = lo + 1;

    while (hi < d->ntok && !d->tok[hi - 1].poss && d->tok[hi].sent == d->tok[lo].sent &&
           hi - lo < NAME_MAX_WORDS + 2) {
        if (name_token(d, hi)) {
            hi++;
        } else if ((lex_tok(d, hi) & WC_PARTICLE) && (d->tok[hi].flags & TF_LOWER) &&
                   hi + 1 < d->ntok && name_token(d, hi + 1)) {
            hi += 2;
        } else if (tok_punct(d, hi, '.') && d->tok[hi - 1].b1 - d->tok[hi - 1].b0 == 1 &&
                   hi + 1 < d->ntok && name_token(d, hi + 1)) {
            hi += 2;
        } else if (roman(d, hi)) {
            hi++;
            break;
        } else {
            break;
        }
    }
    return hi;
}

static void
names_push(struct names *nm, const struct run *r)
{
    VEC_RESERVE(nm->run, nm->n, nm->cap);
    nm->run[nm->n++] = *r;
}

/* The premodifier of run r: its start, the regnal title it may lend the
 * name ("King Casimir IV"), and whether it says the run is a person
 * (a title, an honorific, "named") or an organization ("newspaper"). */
static void
run_premod(struct run *r, const struct doc *d, bool *media)
{
    *media = false;
    /* "the mayor of Kessel": the name after "of" is no one described */
    if (r->lo > 0 && tok_is(d, r->lo - 1, "of")) {
        r->pre = r->lo;
        r->weak = true;
        return;
    }
    r->pre = premod_start(d, r->lo);
    r->weak =
        r->pre > 0 && ((lex_tok(d, r->pre - 1) & WC_PREP) || tok_is(d, r->pre - 1, "of"));
    if (r->pre < r->lo) {
        unsigned last = lex_tok(d, r->lo - 1);

        if (roman(d, r->hi - 1) && (last & WC_ROYAL))
            r->lo--;
        *media = (last & (WC_MEDIA | WC_PLACE)) && !(last & WC_TITLE);
        r->cued = premod_cues(d, r->pre, r->lo);
        r->definite = tok_is(d, r->pre, "the") && !r->cued;
        for (size_t i = r->pre; i < r->lo; i++)
            r->definite = r->definite && !d->tok[i].poss;
    }
}

/* Start of the phrase that ends before token end: back to the previous
 * comma, quotation mark or the start of the sentence, passing over a
 * parenthesis ("the DWU union (Dock Workers' Union of Emberly, ...)"). */
static size_t
phrase_start(const struct doc *d, size_t end)
{
    size_t ps = end;

    while (ps > 0 && end - ps < NAMED_TITLE_MAX && !(d->tok[ps].flags & TF_SENT)) {
        if (tok_punct(d, ps - 1, ')')) {
            size_t open = ps - 1;

            while (open > 0 && ps - open < NAMED_TITLE_MAX && !tok_punct(d, open, '('))
                open--;
            if (!tok_punct(d, open, '('))
                break;
            ps = open;
            continue;
        }
        if (tok_punct(d, ps - 1, ',') || (d->tok[ps - 1].flags & (TF_QOPEN | TF_QCLOSE)))
            break;
        ps--;
    }
    return ps;
}

/* "The Senate Majority Whip, Dana Whitfield, said", "The report's lead
 * author, doctoral candidate Noor Qasimi, said": a name (with its own
 * premodifier, if any) set off by commas after a title.  The title phrase
 * becomes part of the run's premodifier, ending at *comma. */
static bool
run_named_title(struct run *r, const struct doc *d, size_t *comma)
{
    size_t s = r->pre, ps;
    bool titled = false;

    if (s < 2 || !tok_punct(d, s - 1, ',') || !tok_punct(d, r->hi, ','))
        return false;
    ps = phrase_start(d, s - 1);
    if (ps >= s - 1 || !((d->tok[ps].flags & TF_SENT) || tok_punct(d, ps - 1, ',')) ||
        ((lex_tok(d, ps) & WC_STOP) && !is_det(d, ps)))
        return false;
    /* "Director of North Emberly Tourism Partnership, Hugo Ferrand," */
    for (size_t i = ps; i < s - 1; i++)
        titled = titled || (lex_tok(d, i) & WC_TITLE);
    if (!titled ||
        !((lex_tok(d, s - 2) & (WC_TITLE | WC_ORG)) || (d->tok[s - 2].flags & TF_CAP)))
        return false;
    r->pre = ps;
    r->cued = true;
    *comma = s - 1;
    return true;
}

/* "Felix Arnaud, of Harbour Radio, one of Brenner's three sons, stated": a
 * second or third appositive extends the mention. */
static void
run_more_appositives(struct run *r, const struct doc *d)
{
    size_t alo, ahi, aend;
    bool to_end;

    for (int k = 0; k < APPOSITIVES_MAX && r->end > 0 && tok_punct(d, r->end - 1, ',') &&
                    appositive(d, r->end - 1, &alo, &ahi, &aend, &to_end) && !to_end;
         k++)
        r->end = aend;
}

/* Everything around the name run [lo, hi): premodifier, "of X", an
 * appositive, and the role they state. */
static void
run_describe(struct run *r, const struct doc *d, const struct acronyms *a)
{
    size_t org_lo, alo, ahi, aend, comma = 0;
    bool to_end, media, named_title;
    struct parts app = {0}, pre;

    run_premod(r, d, &media);
    r->post = postmod_end(d, r->hi, &org_lo);
    r->end = r->post;
    r->poss = d->tok[r->hi - 1].poss > 0;
    named_title = run_named_title(r, d, &comma);
    if (named_title) {
        r->end = r->hi + 1;
    } else if (!r->poss && !tok_is(d, r->lo - 1, "of") &&
               appositive(d, r->post, &alo, &ahi, &aend, &to_end) &&
               !(name_token(d, alo) && run_end(d, alo) >= ahi)) {
        /* an appositive that is only a name ("Speaking to Emberly.news,
         * Oskar Brenner, ...") is a mention of its own */
        /* only "the chief executive of ..." describes; "in remarks to
         * Harbour Radio", "who drafted the bill" merely stand between */
        bool describes_app = is_det(d, alo) || !(lex_tok(d, alo) & WC_STOP);

        parts_split(&app, d, alo, ahi);
        app.titled = app.titled && describes_app;
        if (app.titled || !to_end) {
            r->app_lo = alo;
            r->app_hi = ahi;
            r->end = aend;
            r->app_titled = app.titled;
            role_from_parts(&r->role, d, a, &app);
            r->cued = r->cued || app.titled;
            run_more_appositives(r, d);
        }
    }
    if (named_title) { /* the name's own title first, then the phrase's */
        parts_split(&pre, d, comma + 1, r->lo);
        role_from_parts(&r->role, d, a, &pre);
    }
    parts_split(&pre, d, r->pre, named_title ? comma : r->lo);
    if (r->role.org == NULL && r->post > r->hi && pre.org_hi == pre.org_lo &&
        pre.poss_hi == pre.poss_lo && pre.lead_hi == pre.lead_lo)
        r->role.org = org_name(d, a, org_lo, r->post);
    role_from_parts(&r->role, d, a, &pre);
    if (r->role.title == NULL && (lex_tok(d, r->lo) & WC_ROYAL))
        r->role.title = words_dup(d, r->lo, r->lo + 1);
    r->head = r->post >= d->ntok || d->tok[r->post].kind != TK_WORD ||
              !(lex_tok(d, r->post) & (WC_TITLE | WC_ORG | WC_MEDIA));
    if (media)
        r->head = false; /* "daily newspaper Nordvik Posten" is no person */
}

static void
names_index(struct names *nm, size_t ntok)
{
    nm->at_start = xmalloc((ntok + 1) * sizeof(*nm->at_start));
    nm->at_end = xmalloc((ntok + 1) * sizeof(*nm->at_end));
    for (size_t i = 0; i <= ntok; i++)
        nm->at_start[i] = nm->at_end[i] = -1;
    for (size_t k = 0; k < nm->n; k++) {
        const struct run *r = &nm->run[k];

        if (nm->at_start[r->pre] < 0)
            nm->at_start[r->pre] = (int32_t)k;
        if (nm->at_start[r->lo] < 0)
            nm->at_start[r->lo] = (int32_t)k;
        if (nm->at_end[r->end] < 0)
            nm->at_end[r->end] = (int32_t)k;
        if (r->end != r->post && nm->at_end[r->post] < 0)
            nm->at_end[r->post] = (int32_t)k;
    }
}

void
names_scan(struct names *nm, const struct doc *d, const struct acronyms *a)
{
    size_t i = 0;

    memset(nm, 0, sizeof(*nm));
    while (i < d->ntok) {
        struct run r = {0};

        if (!name_token(d, i)) {
            i++;
            continue;
        }
        r.lo = i;
        r.hi = run_end(d, i);
        r.entity = -1;
        i = r.hi;
        /* "Kessel Motor Company", "Harbour Watch International", "Center
         * for Coastal Studies": part of an organization's name */
        if (r.hi - r.lo > NAME_MAX_WORDS ||
            (r.hi < d->ntok && !d->tok[r.hi - 1].poss &&
             (lex_tok(d, r.hi) & (WC_ORG | WC_PLACE)) && (d->tok[r.hi].flags & TF_CAP)) ||
            (r.lo >= 2 && org_connector(d, r.lo - 1) && (lex_tok(d, r.lo - 2) & WC_ORG) &&
             (d->tok[r.lo - 2].flags & TF_CAP)))
            continue;
        run_describe(&r, d, a);
        names_push(nm, &r);
    }
    names_index(nm, d->ntok);
}

void
names_release(struct names *nm)
{
    for (size_t k = 0; k < nm->n; k++)
        role_release(&nm->run[k].role);
    free(nm->run);
    free(nm->at_start);
    free(nm->at_end);
    memset(nm, 0, sizeof(*nm));
}
