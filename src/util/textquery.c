/* textquery.c - the search syntax users type: words, "exact phrases",
 * prefix*, -excluded, NOT excluded, a OR b.  Parsed into terms, never
 * passed on as text. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/query.h"
#include "gazette/xalloc.h"

/* True when s[0..n) has a letter or digit (any non-ASCII byte counts as
 * part of a letter), so that the term can match something. */
static bool
has_word(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
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
        } else {
            if (*p == '-' && !negate) {
                negate = true;
                p++;
                continue;
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
