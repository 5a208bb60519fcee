/* snippet.c - articles_snippet(): a short passage of an article around the
 * words a full-text query found, with those words marked.
 *
 * FTS5's snippet() tokenizes every column twice for each row: once to
 * find sentence boundaries while it chooses a passage, once more to mark
 * it.  The words found are already known by their positions (xInst), so
 * here the passage is chosen from the positions alone, and the text is
 * tokenized once, only as far as the end of the passage.  The passage is
 * the window of tokens that holds the most distinct phrases of the query,
 * then the most hits, in the body rather than the title on a tie; it
 * starts at the beginning of the sentence of its first hit when that
 * leaves room for the others, else it is centred on them.
 *
 * articles_snippet(articles_fts, start mark, end mark, ellipsis, tokens) */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/buf.h"
#include "gazette/xalloc.h"
#include "sqlite.h"

#define MAX_WINDOW 64

struct hit {
    int col, off, size, phrase;
};

/* The byte offsets of a column's tokens, up to the last one needed. */
struct spans {
    int (*at)[2];
    int n, cap, last; /* tokens kept; the index of the last one wanted */
};

static int
keep_token(void *ctx, int flags, const char *token, int ntoken, int start, int end)
{
    struct spans *sp = ctx;

    (void)token;
    (void)ntoken;
    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    if (sp->n == sp->cap) {
        sp->cap = sp->cap ? 2 * sp->cap : 128;
        sp->at = xrealloc(sp->at, (size_t)sp->cap * sizeof(*sp->at));
    }
    sp->at[sp->n][0] = start;
    sp->at[sp->n][1] = end;
    return ++sp->n > sp->last ? SQLITE_DONE : SQLITE_OK; /* the rest is not needed */
}

/* Whether token k begins a sentence: the first, or after a full stop, a
 * question or exclamation mark, or a line break. */
static bool
sentence_start(const char *text, const struct spans *sp, int k)
{
    if (k == 0)
        return true;
    for (int i = sp->at[k - 1][1]; i < sp->at[k][0]; i++)
        if ((text[i] != '\0' && strchr(".!?\n", text[i]) != NULL) ||
            strncmp(text + i, "\xe3\x80\x82", 3) == 0) /* 。 */
            return true;
    return false;
}

/* The window of n tokens over the hits of one column (sorted by
 * position) that holds the most distinct phrases, then the most hits:
 * where its first hit starts and its last one ends. */
struct window {
    long score;
    int from, to;
};

static struct window
best_window(const struct hit *h, int nh, int nphrase, int n)
{
    int *in = xcalloc((size_t)nphrase + 1, sizeof(int));
    struct window best = {-1, 0, 0};
    int distinct = 0, j = 0;

    /* in[] counts the phrases of the hits in [i, j) */
    for (int i = 0; i < nh; i++) {
        if (j < i)
            j = i;
        for (; j < nh && h[j].off + h[j].size <= h[i].off + n; j++)
            if (in[h[j].phrase]++ == 0)
                distinct++;
        if (j == i) { /* a phrase longer than the window */
            if (best.score < 0)
                best = (struct window){0, h[i].off, h[i].off + n};
            continue;
        }
        long score = (long)distinct * 1000 + (j - i);

        if (score > best.score)
            best = (struct window){score, h[i].off, h[j - 1].off + h[j - 1].size};
        if (--in[h[i].phrase] == 0)
            distinct--;
    }
    free(in);
    return best;
}

static int
collect_hits(const Fts5ExtensionApi *api, Fts5Context *fts, struct hit **out, int *n)
{
    int rc = api->xInstCount(fts, n);

    *out = NULL;
    if (rc != SQLITE_OK || *n == 0)
        return rc;
    *out = xcalloc((size_t)*n, sizeof(**out));
    for (int i = 0; rc == SQLITE_OK && i < *n; i++) {
        struct hit *h = &(*out)[i];

        rc = api->xInst(fts, i, &h->phrase, &h->col, &h->off);
        h->size = api->xPhraseSize(fts, h->phrase);
        if (h->size < 1)
            h->size = 1;
    }
    return rc;
}

/* Where the passage starts: at the beginning of the sentence of its first
 * hit when that leaves room for the last one, else with the tokens left
 * over half before the hits and half after. */
static int
passage_start(const char *text, const struct spans *sp, struct window w, int n)
{
    int first;

    for (int k = w.from < sp->n ? w.from : sp->n - 1; k >= 0 && k >= w.to - n; k--)
        if (sentence_start(text, sp, k))
            return k;
    first = w.from - (n - (w.to - w.from)) / 2;
    if (first + n > sp->n)
        first = sp->n - n;
    return first > 0 ? first : 0;
}

/* Appends the tokens [first, first + n) of text with the hits marked. */
static void
mark_passage(struct buf *out, const char *text, const struct spans *sp, int first, int n,
             const struct hit *h, int nh, const char *const marks[3])
{
    int end = first + n < sp->n ? first + n : sp->n;
    int copied = sp->at[first][0], open_end = -1;

    for (int k = first; k < end; k++) {
        bool hit = false;

        for (int i = 0; i < nh && h[i].off <= k && !hit; i++)
            hit = k < h[i].off + h[i].size;
        if (hit && open_end < 0) {
            if (sp->at[k][0] > copied) {
                buf_add(out, text + copied, (size_t)(sp->at[k][0] - copied));
                copied = sp->at[k][0];
            }
            buf_adds(out, marks[0]);
        }
        if (!hit && open_end >= 0) {
            buf_add(out, text + copied, (size_t)(open_end - copied));
            buf_adds(out, marks[1]);
            copied = open_end;
            open_end = -1;
        }
        if (hit)
            open_end = sp->at[k][1] > copied ? sp->at[k][1] : copied;
    }
    if (open_end >= 0) {
        buf_add(out, text + copied, (size_t)(open_end - copied));
        buf_adds(out, marks[1]);
        copied = open_end;
    }
    if (sp->at[end - 1][1] > copied)
        buf_add(out, text + copied, (size_t)(sp->at[end - 1][1] - copied));
}

static void
articles_snippet(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                 int nval, sqlite3_value **vals)
{
    struct hit *hits;
    struct spans sp = {0};
    struct buf out;
    struct window best = {-1, 0, 0};
    const char *text, *marks[3]; /* start, end, ellipsis */
    int nhits = 0, col = 0, from = 0, ncolhits = 0, len = 0, n, first, rc;
    int nphrase = api->xPhraseCount(fts);

    if (nval != 4) {
        sqlite3_result_error(ctx, "articles_snippet: wrong number of arguments", -1);
        return;
    }
    for (int i = 0; i < 3; i++) {
        const char *v = (const char *)sqlite3_value_text(vals[i]);

        marks[i] = v != NULL ? v : "";
    }
    n = sqlite3_value_int(vals[3]);
    n = n < 1 ? 1 : n > MAX_WINDOW ? MAX_WINDOW : n;
    rc = collect_hits(api, fts, &hits, &nhits);
    /* xInst lists the hits by column, then position; on a tie, the later
     * column (the body rather than the title, which is shown anyway) */
    for (int i = 0; rc == SQLITE_OK && i < nhits;) {
        int j = i;

        while (j < nhits && hits[j].col == hits[i].col)
            j++;
        struct window w = best_window(hits + i, j - i, nphrase, n);
        if (w.score >= best.score) {
            best = w;
            col = hits[i].col;
            from = i;
            ncolhits = j - i;
        }
        i = j;
    }
    if (rc == SQLITE_OK)
        rc = api->xColumnText(fts, col, &text, &len);
    sp.last = best.from + n;
    if (rc == SQLITE_OK)
        rc = api->xTokenize(fts, text, len, &sp, keep_token);
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        sqlite3_result_error_code(ctx, rc);
    } else if (sp.n == 0) {
        sqlite3_result_text(ctx, "", 0, SQLITE_STATIC);
    } else {
        buf_init(&out);
        first = passage_start(text, &sp, best, n);
        if (first > 0)
            buf_adds(&out, marks[2]);
        mark_passage(&out, text, &sp, first, n, hits + from, ncolhits, marks);
        if (first + n < sp.n)
            buf_adds(&out, marks[2]);
        else /* the passage reaches the end: what follows its last token */
            buf_add(&out, text + sp.at[sp.n - 1][1], (size_t)(len - sp.at[sp.n - 1][1]));
        sqlite3_result_text(ctx, out.data, (int)out.len, SQLITE_TRANSIENT);
        buf_release(&out);
    }
    free(sp.at);
    free(hits);
}

int
snippet_register(fts5_api *api)
{
    return api->xCreateFunction(api, "articles_snippet", NULL, articles_snippet, NULL);
}
