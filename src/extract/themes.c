/* themes.c - tagging an article with the themes of a catalog.  Each
 * theme has keyword phrases; a phrase matches whole words, ignoring case,
 * plural endings ("industries" = "industry") and hyphens ("high-quality"
 * = "high quality"), and the longest phrase of a theme ending at a word
 * wins ("prime minister" is no "minister").  The score is the evidence:
 * 3 for each phrase in the title, 1 for each occurrence of a phrase of
 * several words in the body and 0.5 for a single word (at most three
 * occurrences of a phrase count).  A theme is tagged when its score
 * reaches 1.5 (a title phrase; a phrase twice; three single words), or one
 * point per 500 words in long texts, where keywords turn up by chance.
 * It lists the phrases that matched, most frequent first. */
#include <stdlib.h>
#include <string.h>

#include "gazette/extract.h"
#include "gazette/xalloc.h"
#include "internal.h"

#define PHRASE_MAX_WORDS 8
#define WORD_MAX         64  /* longer words are cut here */
#define MATCHES_MAX      64  /* phrases ending at one word */
#define TITLE_WEIGHT     3.0 /* a distinct phrase in the title */
#define BODY_WEIGHT      1.0 /* an occurrence of a phrase of words in the body */
#define WORD_WEIGHT      0.5 /* an occurrence of a single word in the body */
#define REPEAT_MAX       3   /* occurrences of one phrase that count */
#define THEME_THRESHOLD  1.5 /* score that tags a theme ... */
#define WORDS_PER_POINT  500 /* ... or one point per this many body words */

struct phrase {
    char *text;               /* as the catalog gives it */
    int id[PHRASE_MAX_WORDS]; /* its normalized words, as word ids */
    size_t nw;
    size_t theme;
    int next; /* next phrase with the same last word, or -1 */
};

struct theme {
    char *slug, *name;
};

/* Phrases are matched by word ids: every normalized word of a phrase has
 * an id, a word of the text is looked up once, and a phrase ends at a
 * word when the ids of the last words read are its ids. */
struct extract_catalog {
    struct theme *theme;
    size_t ntheme;
    struct phrase *ph;
    size_t nph, capph;
    struct strmap words; /* normalized word -> id */
    int *last;           /* per word id: first phrase ending with it, or -1 */
    size_t nwords, capwords;
};

/* ---- words ---- */

/* Singular of an English word, in place: "industries" -> "industry",
 * "taxes" -> "tax", "costs" -> "cost"; "business", "status" stay. */
static void
singular(char *w, size_t *n)
{
    size_t k = *n;

    if (k > 4 && memcmp(w + k - 3, "ies", 3) == 0) {
        memcpy(w + k - 3, "y", 2);
        *n = k - 2;
    } else if (k > 4 &&
               (memcmp(w + k - 4, "sses", 4) == 0 || memcmp(w + k - 4, "ches", 4) == 0 ||
                memcmp(w + k - 4, "shes", 4) == 0 || memcmp(w + k - 3, "xes", 3) == 0 ||
                memcmp(w + k - 3, "zes", 3) == 0)) {
        w[k - 2] = '\0';
        *n = k - 2;
    } else if (k > 3 && w[k - 1] == 's' && w[k - 2] != 's' && w[k - 2] != 'u' &&
               w[k - 2] != 'i') {
        w[k - 1] = '\0';
        *n = k - 1;
    }
}

/* Word reader over text: letters and digits of any script; apostrophes
 * inside a word are kept, a possessive "'s" is dropped; hyphens and other
 * marks separate words.  *brk tells whether a sentence mark came before
 * the word, so that phrases do not match across sentences. */
struct reader {
    const char *p, *end;
};

/* ASCII classes by hand: the C library's go through the locale, and
 * every byte of every article passes here. */
static bool
ascii_alpha(unsigned char c)
{
    return (unsigned)((c | 0x20) - 'a') < 26;
}

static bool
word_byte(unsigned char c)
{
    return ascii_alpha(c) || (unsigned)(c - '0') < 10 || c >= 0x80;
}

/* . , ; : ! ? ( ) and a line break end a phrase. */
static bool
sentence_byte(unsigned char c)
{
    switch (c) {
    case '.':
    case ',':
    case ';':
    case ':':
    case '!':
    case '?':
    case '(':
    case ')':
    case '\n':
        return true;
    default:
        return false;
    }
}

/* Curly quotes and dashes are UTF-8 sequences starting 0xE2 0x80: they
 * separate words rather than belong to them. */
static bool
mark_at(const char *p, const char *end)
{
    return end - p >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80;
}

static bool
next_word(struct reader *rd, char *out, size_t *n, bool *brk)
{
    *brk = false;
    while (rd->p < rd->end &&
           (!word_byte((unsigned char)*rd->p) || mark_at(rd->p, rd->end))) {
        if (sentence_byte((unsigned char)*rd->p))
            *brk = true;
        rd->p += mark_at(rd->p, rd->end) ? 3 : 1;
    }
    if (rd->p >= rd->end)
        return false;
    *n = 0;
    while (rd->p < rd->end) {
        unsigned char c = (unsigned char)*rd->p;

        if (c == 0xE2 && mark_at(rd->p, rd->end)) {
            /* a curly apostrophe between letters is part of the word */
            if ((unsigned char)rd->p[2] == 0x99 && rd->end - rd->p > 3 &&
                ascii_alpha((unsigned char)rd->p[3]) && *n > 0) {
                rd->p += 3;
                if (*n + 1 < WORD_MAX)
                    out[(*n)++] = '\'';
                continue;
            }
            break;
        }
        if (c == '\'' && *n > 0 && rd->end - rd->p > 1 &&
            ascii_alpha((unsigned char)rd->p[1])) {
            rd->p++;
            if (*n + 1 < WORD_MAX)
                out[(*n)++] = '\'';
            continue;
        }
        if (!word_byte(c))
            break;
        if (*n + 1 < WORD_MAX)
            out[(*n)++] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        rd->p++;
    }
    out[*n] = '\0';
    if (*n > 2 && out[*n - 2] == '\'' && out[*n - 1] == 's')
        out[ *n -= 2] = '\0';
    singular(out, n);
    return true;
}

/* ---- catalog ---- */

/* The id of a normalized word of a phrase, new if unseen. */
static int
word_id(struct extract_catalog *cat, const char *w, size_t n)
{
    int id = strmap_get(&cat->words, w, n);

    if (id >= 0)
        return id;
    VEC_RESERVE(cat->last, cat->nwords, cat->capwords);
    cat->last[cat->nwords] = -1;
    strmap_put(&cat->words, w, n, (int)cat->nwords);
    return (int)cat->nwords++;
}

static void
catalog_add_phrase(struct extract_catalog *cat, size_t theme, const char *text)
{
    struct reader rd = {text, text + strlen(text)};
    struct phrase ph = {.theme = theme};
    char w[WORD_MAX];
    size_t n;
    bool brk;

    while (ph.nw < PHRASE_MAX_WORDS && next_word(&rd, w, &n, &brk))
        ph.id[ph.nw++] = word_id(cat, w, n);
    if (ph.nw == 0)
        return;
    ph.text = xstrdup(text);
    /* the chain of phrases with this last word, newest first */
    ph.next = cat->last[ph.id[ph.nw - 1]];
    cat->last[ph.id[ph.nw - 1]] = (int)cat->nph;
    VEC_RESERVE(cat->ph, cat->nph, cat->capph);
    cat->ph[cat->nph++] = ph;
}

/* The keywords of theme i: an array of strings, or its JSON text. */
static json_t *
theme_keywords(const json_t *t, size_t i, struct err_info *ei)
{
    json_t *kw = json_object_get(t, "keywords");

    if (kw == NULL)
        return json_array();
    if (json_is_string(kw))
        kw = json_loads(json_string_value(kw), 0, NULL);
    else
        json_incref(kw);
    if (!json_is_array(kw)) {
        json_decref(kw);
        err_set(ei, ERR_INVALID, "themes[%zu].keywords must be an array of phrases", i);
        return NULL;
    }
    return kw;
}

static bool
catalog_add_theme(struct extract_catalog *cat, const json_t *t, size_t i,
                  struct err_info *ei)
{
    const char *slug = json_string_value(json_object_get(t, "slug"));
    const char *name = json_string_value(json_object_get(t, "name"));
    json_t *kw, *phrase;
    size_t k;

    if (!json_is_object(t) || slug == NULL || slug[0] == '\0') {
        err_set(ei, ERR_INVALID, "themes[%zu] must be an object with a \"slug\"", i);
        return false;
    }
    kw = theme_keywords(t, i, ei);
    if (kw == NULL)
        return false;
    json_array_foreach (kw, k, phrase) {
        if (!json_is_string(phrase)) {
            err_set(ei, ERR_INVALID, "themes[%zu].keywords[%zu] must be a string", i, k);
            json_decref(kw);
            return false;
        }
        catalog_add_phrase(cat, cat->ntheme, json_string_value(phrase));
    }
    json_decref(kw);
    cat->theme[cat->ntheme].slug = xstrdup(slug);
    cat->theme[cat->ntheme].name = xstrdup(name != NULL ? name : slug);
    cat->ntheme++;
    return true;
}

struct extract_catalog *
extract_catalog_new(const json_t *themes, struct err_info *ei)
{
    struct extract_catalog *cat;
    const json_t *t;
    size_t i;

    if (!json_is_array(themes)) {
        err_set(ei, ERR_INVALID, "themes must be an array");
        return NULL;
    }
    cat = xcalloc(1, sizeof(*cat));
    strmap_init(&cat->words);
    cat->theme = xcalloc(json_array_size(themes) + 1, sizeof(*cat->theme));
    json_array_foreach (themes, i, t) {
        if (!catalog_add_theme(cat, t, i, ei)) {
            extract_catalog_free(cat);
            return NULL;
        }
    }
    return cat;
}

void
extract_catalog_free(struct extract_catalog *cat)
{
    if (cat == NULL)
        return;
    for (size_t i = 0; i < cat->ntheme; i++) {
        free(cat->theme[i].slug);
        free(cat->theme[i].name);
    }
    for (size_t i = 0; i < cat->nph; i++)
        free(cat->ph[i].text);
    free(cat->theme);
    free(cat->ph);
    free(cat->last);
    strmap_release(&cat->words);
    free(cat);
}

/* ---- matching ---- */

/* The ids of the last PHRASE_MAX_WORDS words read, newest at pos - 1
 * (mod); -1 for a word in no phrase. */
struct window {
    int id[PHRASE_MAX_WORDS];
    size_t pos, len;
};

static bool
window_ends_with(const struct window *win, const struct phrase *ph)
{
    if (ph->nw > win->len)
        return false;
    for (size_t i = 0; i < ph->nw; i++) {
        size_t slot = (win->pos + PHRASE_MAX_WORDS - ph->nw + i) % PHRASE_MAX_WORDS;

        if (win->id[slot] != ph->id[i])
            return false;
    }
    return true;
}

/* Phrase counts of one text: per phrase, and the phrases met, in the
 * order first met. */
struct counts {
    unsigned *n; /* per phrase */
    int *met;    /* phrases with n > 0 */
    size_t nmet;
};

static void
counts_add(struct counts *c, int k)
{
    if (c->n[k]++ == 0)
        c->met[c->nmet++] = k;
}

/* Counts the phrases of the chain from k that end at the newest word of
 * win, leaving out any a longer phrase of the same theme covers ("prime
 * minister" is no second "minister"). */
static void
count_longest(const struct extract_catalog *cat, const struct window *win, int k,
              struct counts *c)
{
    int hit[MATCHES_MAX];
    size_t n = 0;

    for (; k >= 0 && n < MATCHES_MAX; k = cat->ph[k].next)
        if (window_ends_with(win, &cat->ph[k]))
            hit[n++] = k;
    for (size_t a = 0; a < n; a++) {
        bool covered = false;

        for (size_t b = 0; b < n && !covered; b++)
            covered = cat->ph[hit[b]].theme == cat->ph[hit[a]].theme &&
                      cat->ph[hit[b]].nw > cat->ph[hit[a]].nw;
        if (!covered)
            counts_add(c, hit[a]);
    }
}

/* Adds to c every phrase occurrence in text[0..len); returns the number
 * of words read. */
static size_t
count_phrases(const struct extract_catalog *cat, const char *text, size_t len,
              struct counts *c)
{
    struct reader rd = {text, text + len};
    struct window win = {.pos = 0, .len = 0};
    char w[WORD_MAX];
    size_t n, words = 0;
    bool brk;

    while (next_word(&rd, w, &n, &brk)) {
        int id = strmap_get(&cat->words, w, n);

        words++;
        if (brk) {
            /* a sentence mark: earlier words start no phrase with this one */
            win.pos = 0;
            win.len = 0;
        }
        win.id[win.pos] = id;
        win.pos = (win.pos + 1) % PHRASE_MAX_WORDS;
        win.len += win.len < PHRASE_MAX_WORDS;
        if (id >= 0 && cat->last[id] >= 0)
            count_longest(cat, &win, cat->last[id], c);
    }
    return words;
}

/* Evidence for a phrase counted in_title times in the title and in_body
 * times in the body.  Scores are sums of halves, exact in any order. */
static double
phrase_score(const struct phrase *ph, unsigned in_title, unsigned in_body)
{
    return (in_title > 0 ? TITLE_WEIGHT : 0) +
           (ph->nw > 1 ? BODY_WEIGHT : WORD_WEIGHT) *
               (in_body < REPEAT_MAX ? in_body : REPEAT_MAX);
}

/* What sorts the phrases of a theme in "matches": most frequent first
 * (a title occurrence weighs a hundred), then catalog order. */
struct ranked {
    unsigned weight;
    int k;
};

static int
cmp_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;

    if (x->weight != y->weight)
        return x->weight < y->weight ? 1 : -1;
    return (x->k > y->k) - (x->k < y->k);
}

/* The phrases of theme t that matched, most frequent first. */
static json_t *
theme_matches(const struct extract_catalog *cat, size_t t, const struct counts *title,
              const struct counts *body, struct ranked *scratch)
{
    json_t *arr = json_array();
    size_t n = 0;

    for (int pass = 0; pass < 2; pass++) {
        const struct counts *c = pass == 0 ? title : body;

        for (size_t i = 0; i < c->nmet; i++) {
            int k = c->met[i];

            /* a phrase in both lists is ranked once, from the title's */
            if (cat->ph[k].theme != t || (pass == 1 && title->n[k] > 0))
                continue;
            scratch[n++] = (struct ranked){title->n[k] * 100 + body->n[k], k};
        }
    }
    qsort(scratch, n, sizeof(*scratch), cmp_ranked);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_string_nocheck(cat->ph[scratch[i].k].text));
    return arr;
}

struct scored {
    double score;
    size_t theme;
};

static int
cmp_scored(const void *a, const void *b)
{
    const struct scored *x = a, *y = b;

    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->theme > y->theme) - (x->theme < y->theme);
}

json_t *
themes_match(const struct extract_catalog *cat, const char *title, const char *body,
             size_t len)
{
    json_t *out = json_array();
    struct counts in_title, in_body;
    struct ranked *scratch;
    struct scored *tagged;
    double *score, threshold;
    size_t n = 0;

    if (cat == NULL || cat->nph == 0)
        return out;
    /* one allocation for the counts, the phrases met and the scores */
    in_title.n = xcalloc(2 * cat->nph, sizeof(*in_title.n));
    in_body.n = in_title.n + cat->nph;
    in_title.met = xmalloc(2 * cat->nph * sizeof(*in_title.met));
    in_body.met = in_title.met + cat->nph;
    in_title.nmet = in_body.nmet = 0;
    score = xcalloc(cat->ntheme + 1, sizeof(*score));
    tagged = xmalloc((cat->ntheme + 1) * sizeof(*tagged));
    if (title != NULL)
        count_phrases(cat, title, strlen(title), &in_title);
    threshold = (double)count_phrases(cat, body, len, &in_body) / WORDS_PER_POINT;
    if (threshold < THEME_THRESHOLD)
        threshold = THEME_THRESHOLD;
    /* each phrase met once, from the title's list first */
    for (int pass = 0; pass < 2; pass++) {
        const struct counts *c = pass == 0 ? &in_title : &in_body;

        for (size_t i = 0; i < c->nmet; i++) {
            int k = c->met[i];

            if (pass == 1 && in_title.n[k] > 0)
                continue;
            score[cat->ph[k].theme] +=
                phrase_score(&cat->ph[k], in_title.n[k], in_body.n[k]);
        }
    }
    for (size_t t = 0; t < cat->ntheme; t++)
        if (score[t] > 0 && score[t] >= threshold)
            tagged[n++] = (struct scored){score[t], t};
    qsort(tagged, n, sizeof(*tagged), cmp_scored);
    scratch = xmalloc((in_title.nmet + in_body.nmet + 1) * sizeof(*scratch));
    for (size_t i = 0; i < n; i++) {
        size_t t = tagged[i].theme;
        json_t *o = json_object();

        /* the catalog's strings were checked as JSON when it was built */
        json_object_set_new_nocheck(o, "slug", json_string_nocheck(cat->theme[t].slug));
        json_object_set_new_nocheck(o, "name", json_string_nocheck(cat->theme[t].name));
        json_object_set_new_nocheck(o, "matches",
                                    theme_matches(cat, t, &in_title, &in_body, scratch));
        json_object_set_new_nocheck(
            o, "score",
            json_real((double)(long long)(tagged[i].score * 100 + 0.5) / 100));
        json_array_append_new(out, o);
    }
    free(scratch);
    free(tagged);
    free(score);
    free(in_title.n);
    free(in_title.met);
    return out;
}
