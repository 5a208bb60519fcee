/* orgs.c - the organizations an article names: those people speak for
 * (from their titles) and capitalized names with an organization word
 * ("Nordic Grocers Association", "Ministry of Defence"), with the
 * parent the text gives ("... Office of the Port Emberly Harbour
 * Authority"). */
#include <stdlib.h>
#include <string.h>

#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "internal.h"

#define ORGS_MAX 200

void
orgs_add(struct orgs *out, const char *name, const char *parent)
{
    struct buf key;
    int k;

    if (name == NULL || name[0] == '\0')
        return;
    buf_init(&key);
    name_normalize(&key, name);
    k = strmap_get(&out->seen, key.data, key.len);
    if (key.len == 0) {
        /* nothing but punctuation: no name */
    } else if (k >= 0) {
        struct org *o = &out->o[k];

        if (o->parent == NULL && parent != NULL)
            o->parent = xstrdup(parent);
    } else if (out->n < ORGS_MAX) {
        VEC_RESERVE(out->o, out->n, out->cap);
        out->o[out->n].name = xstrdup(name);
        out->o[out->n].parent = parent != NULL ? xstrdup(parent) : NULL;
        strmap_put(&out->seen, key.data, key.len, (int)out->n);
        out->n++;
    }
    buf_release(&key);
}

/* An organization phrase starting at token i, trimmed to its last
 * organization word unless it ends "... of X" ("Ministry of Defence");
 * returns its end, or i when there is none. */
static size_t
org_at(const struct doc *d, size_t i)
{
    size_t e = org_phrase_end(d, i, d->ntok), last = i, words = 0;
    bool of_after = false;

    for (size_t k = i; k < e; k++) {
        if (d->tok[k].kind != TK_WORD)
            continue;
        if (tok_is(d, k, "of") && last > i)
            of_after = true;
        else if ((lex_tok(d, k) & WC_ORG) && (d->tok[k].flags & TF_CAP))
            last = k + 1, of_after = false;
        words += !(lex_tok(d, k) & WC_STOP);
    }
    if (last == i || words < 2)
        return i;
    return of_after ? e : last;
}

/* Where the name of the organization in [i, e) starts: after "of (the)"
 * when the words before it hold no organization word ("Dana Whitfield of
 * the Green Party"). */
static size_t
org_start(const struct doc *d, size_t i, size_t e)
{
    for (size_t k = i; k < e; k++) {
        if (lex_tok(d, k) & WC_ORG)
            return i;
        if (tok_is(d, k, "of"))
            return tok_is(d, k + 1, "the") ? k + 2 : k + 1;
    }
    return i;
}

/* Capitalized organization names anywhere outside quotations. */
static void
orgs_in_text(struct orgs *out, const struct doc *d, const struct acronyms *a)
{
    for (size_t i = 0; i < d->ntok; i++) {
        size_t e;

        if (d->tok[i].kind != TK_WORD || !(d->tok[i].flags & (TF_CAP | TF_ALLCAPS)) ||
            (d->tok[i].flags & TF_INQ))
            continue;
        e = org_at(d, i);
        if (e == i)
            continue;
        struct role r = {0};

        role_org_chain(&r, d, a, org_start(d, i, e), e);
        orgs_add(out, r.org, r.parent);
        orgs_add(out, r.parent, NULL);
        role_release(&r);
        i = e - 1;
    }
}

/* ---- organizations a title implies ---- */

#define TITLE_WORDS_MAX 24

/* The normalized words of s ("Ministry of Foreign Affairs" -> "ministry",
 * "of", "foreign", "affairs"), pointing into b. */
struct wordlist {
    struct buf b;
    const char *w[TITLE_WORDS_MAX];
    size_t n;
};

static void
wordlist_init(struct wordlist *wl, const char *s)
{
    buf_init(&wl->b);
    name_normalize(&wl->b, s);
    buf_addc(&wl->b, '\0'); /* room for the cuts below on an empty name */
    wl->n = 0;
    for (char *p = wl->b.data; *p != '\0' && wl->n < TITLE_WORDS_MAX;) {
        wl->w[wl->n++] = p;
        while (*p != '\0' && *p != ' ')
            p++;
        if (*p == ' ')
            *p++ = '\0';
    }
}

static bool
wordlist_has(const struct wordlist *wl, const char *w)
{
    for (size_t i = 0; i < wl->n; i++)
        if (strcmp(wl->w[i], w) == 0)
            return true;
    return false;
}

static bool
word_in(const char *w, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(w, list[i]) == 0)
            return true;
    return false;
}

#define WORD_IN(w, list) word_in((w), (list), sizeof(list) / sizeof((list)[0]))

/* The ministry a minister's title names among the organizations the
 * article names: "Finance Minister", "deputy minister of industry and
 * technology" -> "Ministry of Finance", "Ministry of Industry and
 * Technology"; "Foreign Minister" -> "Ministry of Foreign Affairs".  Only
 * a ministry the article states; NULL for a prime minister or none. */
static const char *
stated_ministry(const struct wordlist *title, const struct orgs *named)
{
    static const char *const rank[] = {
        "minister", "deputy",   "vice",      "acting", "interim", "former",
        "junior",   "senior",   "assistant", "shadow", "state",   "of",
        "for",      "and",      "the",       "first",  "cabinet", "ex",
        "incoming", "outgoing", "designate"};
    const char *best = NULL;
    size_t subject = 0;

    if (!wordlist_has(title, "minister") || wordlist_has(title, "prime"))
        return NULL;
    for (size_t i = 0; i < title->n; i++)
        subject += !WORD_IN(title->w[i], rank);
    if (subject == 0)
        return NULL;
    for (size_t k = 0; k < named->n; k++) {
        struct wordlist org;
        bool all = true;

        wordlist_init(&org, named->o[k].name);
        for (size_t i = 0; all && i < title->n; i++)
            all = WORD_IN(title->w[i], rank) || wordlist_has(&org, title->w[i]);
        /* "Ministry of Finance" before "Finance Ministry" */
        if (all && wordlist_has(&org, "ministry") &&
            (best == NULL || (strncmp(named->o[k].name, "Ministry", 8) == 0 &&
                              strncmp(best, "Ministry", 8) != 0)))
            best = named->o[k].name;
        buf_release(&org.b);
    }
    return best;
}

/* The legislature a title holds ("Senate Minority Leader", "Member of
 * Parliament", "MP"): titles that contain their body keep it. */
static const char *
body_in_title(const char *title, const struct wordlist *words)
{
    static const char *const bodies[][2] = {
        {"parliament", "Parliament"},   {"senate", "Senate"},
        {"congress", "Congress"},       {"assembly", "Assembly"},
        {"legislature", "Legislature"}, {"mp", "Parliament"},
        {"mps", "Parliament"},          {"mep", "European Parliament"}};

    for (size_t i = 0; i < words->n; i++)
        for (size_t k = 0; k < sizeof(bodies) / sizeof(bodies[0]); k++)
            if (strcmp(words->w[i], bodies[k][0]) == 0)
                return bodies[k][1];
    /* "House Speaker", not "house" in lower case */
    for (const char *p = strstr(title, "House"); p != NULL; p = strstr(p + 1, "House"))
        if ((p == title || p[-1] == ' ') && (p[5] == '\0' || p[5] == ' '))
            return "House";
    return NULL;
}

/* A body named in lower case at the end of a title ("deputy governor of
 * the central bank"): the organization the article names with those
 * words ("Central Bank of Valdoria"), if its last word is an
 * organization word.  Cuts the title before " of" on success. */
static const char *
body_in_lower_case(char *title, const struct orgs *named)
{
    static const char *const preps[] = {" of the ", " at the ", " for the ", " of ",
                                        " at "};

    for (size_t k = 0; k < sizeof(preps) / sizeof(preps[0]); k++) {
        char *at = strstr(title, preps[k]);
        const char *rest = at != NULL ? at + strlen(preps[k]) : NULL;
        struct wordlist want;
        const char *found = NULL;

        if (rest == NULL || *rest == '\0')
            continue;
        for (const char *p = rest; *p != '\0'; p++)
            if (*p >= 'A' && *p <= 'Z')
                rest = NULL;
        if (rest == NULL)
            continue;
        wordlist_init(&want, rest);
        if (want.n > 0 &&
            (lex_class(want.w[want.n - 1], strlen(want.w[want.n - 1])) & WC_ORG)) {
            for (size_t o = 0; found == NULL && o < named->n; o++) {
                struct wordlist org;

                wordlist_init(&org, named->o[o].name);
                for (size_t s = 0; found == NULL && s + want.n <= org.n; s++) {
                    size_t j = 0;

                    while (j < want.n && strcmp(org.w[s + j], want.w[j]) == 0)
                        j++;
                    if (j == want.n)
                        found = named->o[o].name;
                }
                buf_release(&org.b);
            }
        }
        buf_release(&want.b);
        if (found != NULL) {
            *at = '\0';
            return found;
        }
    }
    return NULL;
}

/* Fills the organization of a titled person who has none from what the
 * title implies and the article names (named): a stated ministry for a
 * minister, the legislature a title holds, a body named in lower case. */
static void
role_complete(struct role *r, const struct orgs *named)
{
    struct wordlist words;
    const char *org;

    if (r->title == NULL || r->org != NULL)
        return;
    wordlist_init(&words, r->title);
    org = stated_ministry(&words, named);
    if (org == NULL)
        org = body_in_title(r->title, &words);
    if (org == NULL)
        org = body_in_lower_case(r->title, named);
    if (org != NULL)
        r->org = xstrdup(org);
    buf_release(&words.b);
}

void
orgs_collect(struct orgs *out, const struct doc *d, const struct acronyms *a,
             struct people *pp)
{
    struct orgs named;

    memset(&named, 0, sizeof(named));
    strmap_init(&named.seen);
    orgs_in_text(&named, d, a);
    for (size_t k = 0; k < pp->n; k++)
        role_complete(&pp->ent[k].role, &named);
    memset(out, 0, sizeof(*out));
    strmap_init(&out->seen);
    for (size_t k = 0; k < pp->n; k++) {
        orgs_add(out, pp->ent[k].role.org, pp->ent[k].role.parent);
        orgs_add(out, pp->ent[k].role.parent, NULL);
    }
    for (size_t k = 0; k < named.n; k++)
        orgs_add(out, named.o[k].name, named.o[k].parent);
    orgs_release(&named);
}

void
orgs_release(struct orgs *out)
{
    for (size_t i = 0; i < out->n; i++) {
        free(out->o[i].name);
        free(out->o[i].parent);
    }
    free(out->o);
    strmap_release(&out->seen);
    memset(out, 0, sizeof(*out));
}
