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

void
orgs_collect(struct orgs *out, const struct doc *d, const struct acronyms *a,
             const struct people *pp)
{
    memset(out, 0, sizeof(*out));
    strmap_init(&out->seen);
    for (size_t k = 0; k < pp->n; k++) {
        orgs_add(out, pp->ent[k].role.org, pp->ent[k].role.parent);
        orgs_add(out, pp->ent[k].role.parent, NULL);
    }
    orgs_in_text(out, d, a);
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
