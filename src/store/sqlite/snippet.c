/* snippet.c - a short passage of an article around the words a
 * full-text query found, with those words marked: passages_write() for a
 * search's pages, and articles_snippet(), the same passage from FTS5's
 * hits, an auxiliary function of articles_fts.
 *
 * The passage is the window of tokens that holds the most distinct
 * phrases of the query, then the most hits, in the body rather than the
 * title on a tie; it starts at the beginning of the sentence of its first
 * hit when that leaves room for the others, else it is centred on them.
 *
 * articles_snippet() takes the hits' positions from FTS5 (xInst) and
 * tokenizes the text once, only as far as the end of the passage (FTS5's
 * snippet() tokenizes every column twice).  But to know the hits of a
 * page's rows FTS5 must run the query, which walks every phrase's index
 * between the rows' ids: for a search whose words are common, most of its
 * time.  passages_write() finds the phrases itself: it tokenizes the
 * row's title and body with the table's tokenizer and the query's phrases
 * as FTS5 tokenizes them (a prefix's last token as a prefix), and finds
 * each phrase where its tokens follow one another, as FTS5 does.  Only
 * the words that may match are stemmed (the stemmer is most of the cost).
 *
 * articles_snippet(articles_fts, start mark, end mark, ellipsis, tokens) */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/buf.h"
#include "gazette/query.h"
#include "gazette/xalloc.h"
#include "rank.h"

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
 * question or exclamation mark (also as Chinese and Japanese write them),
 * or a line break. */
static bool
sentence_start(const char *text, const struct spans *sp, int k)
{
    if (k == 0)
        return true;
    for (int i = sp->at[k - 1][1]; i < sp->at[k][0]; i++)
        if ((text[i] != '\0' && strchr(".!?\n", text[i]) != NULL) ||
            strncmp(text + i, "\xe3\x80\x82", 3) == 0 || /* 。 */
            strncmp(text + i, "\xef\xbc\x81", 3) == 0 || /* ！ */
            strncmp(text + i, "\xef\xbc\x9f", 3) == 0)   /* ？ */
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

/* Appends n bytes of an article's text, escaped for HTML if asked. */
static void
add_text(struct buf *out, const struct marks *m, const char *s, size_t n)
{
    size_t from = 0;

    for (size_t i = 0; m->html && i < n; i++) {
        const char *esc = s[i] == '&'    ? "&amp;"
                          : s[i] == '<'  ? "&lt;"
                          : s[i] == '>'  ? "&gt;"
                          : s[i] == '"'  ? "&quot;"
                          : s[i] == '\'' ? "&#39;"
                                         : NULL;

        if (esc == NULL)
            continue;
        buf_add(out, s + from, i - from);
        buf_adds(out, esc);
        from = i + 1;
    }
    buf_add(out, s + from, n - from);
}

/* Whether only white space is between bytes from and to of text. */
static bool
blank_between(const char *text, int from, int to)
{
    for (int i = from; i < to; i++)
        if (strchr(" \t\r\n", text[i]) == NULL)
            return false;
    return true;
}

/* Appends the tokens [first, first + n) of text with the hits marked.
 * Hits next to each other share a mark ("<mark>budget tariffs</mark>")
 * when only white space parts them, not across other punctuation
 * ("<mark>economy</mark>. <mark>Economy</mark>"); the words of one
 * phrase always share one. */
static void
mark_passage(struct buf *out, const char *text, const struct spans *sp, int first, int n,
             const struct hit *h, int nh, const struct marks *m)
{
    int end = first + n < sp->n ? first + n : sp->n;
    int copied = sp->at[first][0], open_end = -1;

    for (int k = first; k < end; k++) {
        bool hit = false, inside = false; /* inside: a hit that began before k */

        for (int i = 0; i < nh && h[i].off <= k; i++) {
            if (k < h[i].off + h[i].size) {
                hit = true;
                inside = inside || h[i].off < k;
            }
        }
        if (hit && open_end >= 0 && !inside &&
            !blank_between(text, open_end, sp->at[k][0])) {
            add_text(out, m, text + copied, (size_t)(open_end - copied));
            buf_adds(out, m->end);
            copied = open_end;
            open_end = -1;
        }
        if (hit && open_end < 0) {
            if (sp->at[k][0] > copied) {
                add_text(out, m, text + copied, (size_t)(sp->at[k][0] - copied));
                copied = sp->at[k][0];
            }
            buf_adds(out, m->start);
        }
        if (!hit && open_end >= 0) {
            add_text(out, m, text + copied, (size_t)(open_end - copied));
            buf_adds(out, m->end);
            copied = open_end;
            open_end = -1;
        }
        if (hit)
            open_end = sp->at[k][1] > copied ? sp->at[k][1] : copied;
    }
    if (open_end >= 0) {
        add_text(out, m, text + copied, (size_t)(open_end - copied));
        buf_adds(out, m->end);
        copied = open_end;
    }
    if (sp->at[end - 1][1] > copied)
        add_text(out, m, text + copied, (size_t)(sp->at[end - 1][1] - copied));
}

/* The best window over the hits, sorted by column then position: its
 * column, and the hits of that column. */
static struct window
choose_window(const struct hit *hits, int nhits, int nphrase, int n, int *col, int *from,
              int *ncolhits)
{
    struct window best = {-1, 0, 0};

    *col = *from = *ncolhits = 0;
    /* on a tie, the later column (the body rather than the title, which is
     * shown anyway) */
    for (int i = 0; i < nhits;) {
        int j = i;

        while (j < nhits && hits[j].col == hits[i].col)
            j++;
        struct window w = best_window(hits + i, j - i, nphrase, n);
        if (w.score >= best.score) {
            best = w;
            *col = hits[i].col;
            *from = i;
            *ncolhits = j - i;
        }
        i = j;
    }
    return best;
}

/* Appends the passage of n tokens of text around window w, with the hits
 * of text's column marked: sp holds text's tokens, at least up to the
 * window's end plus n. */
static void
write_passage(struct buf *out, const char *text, int len, const struct spans *sp,
              struct window w, int n, const struct hit *h, int nh, const struct marks *m)
{
    int first;

    if (sp->n == 0)
        return;
    first = passage_start(text, sp, w, n);
    if (first > 0)
        buf_adds(out, m->ellipsis);
    else { /* the passage starts the text: what comes before its first token
              (an opening quotation mark, a "<"), but no leading space */
        int lead = 0;

        while (lead < sp->at[0][0] && strchr(" \t\r\n", text[lead]) != NULL)
            lead++;
        add_text(out, m, text + lead, (size_t)(sp->at[0][0] - lead));
    }
    mark_passage(out, text, sp, first, n, h, nh, m);
    if (first + n < sp->n)
        buf_adds(out, m->ellipsis);
    else /* the passage reaches the end: what follows its last token */
        add_text(out, m, text + sp->at[sp->n - 1][1],
                 (size_t)(len - sp->at[sp->n - 1][1]));
}

static int
clamp_window(int n)
{
    return n < 1 ? 1 : n > MAX_WINDOW ? MAX_WINDOW : n;
}

static void
articles_snippet(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
                 int nval, sqlite3_value **vals)
{
    struct hit *hits;
    struct spans sp = {0};
    struct window best;
    const char *text, *arg[3]; /* start, end, ellipsis */
    struct marks m;
    int nhits = 0, col, from, ncolhits, len = 0, n, rc;

    if (nval != 4) {
        sqlite3_result_error(ctx, "articles_snippet: wrong number of arguments", -1);
        return;
    }
    for (int i = 0; i < 3; i++) {
        const char *v = (const char *)sqlite3_value_text(vals[i]);

        arg[i] = v != NULL ? v : "";
    }
    m = (struct marks){arg[0], arg[1], arg[2], false};
    n = clamp_window(sqlite3_value_int(vals[3]));
    rc = collect_hits(api, fts, &hits, &nhits);
    best = choose_window(hits, nhits, api->xPhraseCount(fts), n, &col, &from, &ncolhits);
    if (rc == SQLITE_OK)
        rc = api->xColumnText(fts, col, &text, &len);
    sp.last = best.from + n;
    if (rc == SQLITE_OK)
        rc = api->xTokenize(fts, text, len, &sp, keep_token);
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        sqlite3_result_error_code(ctx, rc);
    } else {
        struct buf out;

        buf_init(&out);
        write_passage(&out, text, len, &sp, best, n, hits + from, ncolhits, &m);
        sqlite3_result_text(ctx, out.len > 0 ? out.data : "", (int)out.len,
                            SQLITE_TRANSIENT);
        buf_release(&out);
    }
    free(sp.at);
    free(hits);
}

/* ---- passages found without FTS5's query ---- */

/* Tokens as the tokenizer gives them: where each is in the text, and its
 * own text (folded, stemmed) in chars. */
struct words {
    struct spans sp;
    int (*word)[2]; /* offset in chars, length */
    struct buf chars;
};

static int
keep_word(void *ctx, int flags, const char *token, int ntoken, int start, int end)
{
    struct words *w = ctx;
    int n = w->sp.n;

    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    if (n == w->sp.cap) {
        w->sp.cap = w->sp.cap ? 2 * w->sp.cap : 128;
        w->sp.at = xrealloc(w->sp.at, (size_t)w->sp.cap * sizeof(*w->sp.at));
        w->word = xrealloc(w->word, (size_t)w->sp.cap * sizeof(*w->word));
    }
    w->sp.at[n][0] = start;
    w->sp.at[n][1] = end;
    w->word[n][0] = (int)w->chars.len;
    w->word[n][1] = ntoken;
    buf_add(&w->chars, token, (size_t)ntoken);
    w->sp.n++;
    return SQLITE_OK;
}

static void
words_release(struct words *w)
{
    free(w->sp.at);
    free(w->word);
    buf_release(&w->chars);
    memset(w, 0, sizeof(*w));
}

struct passages {
    fts5_tokenizer api;
    Fts5Tokenizer *tok, *unstemmed;
    int nphrase;
    struct words phrase[TQ_MAX_TERMS];
    bool prefix[TQ_MAX_TERMS];
    bool first[256]; /* the first bytes of the phrases' tokens */
};

/* A text's tokens, stemmed only when they may match a phrase.  The
 * porter stemmer rewrites only a word's end and always leaves its first
 * character, so a word whose folded first byte starts none of the
 * phrases' tokens cannot match; it is kept with no text, which matches
 * nothing.  The others are stemmed alone, as the whole text would have
 * stemmed them (folding twice is folding once). */
struct candidates {
    struct passages *p;
    struct words *w;
    int start, end, stemmed;
};

static int
keep_stem(void *ctx, int flags, const char *token, int ntoken, int start, int end)
{
    struct candidates *cd = ctx;

    (void)start;
    (void)end;
    if (cd->stemmed++ > 0)
        return SQLITE_DONE;
    return keep_word(cd->w, flags, token, ntoken, cd->start, cd->end);
}

static int
keep_candidate(void *ctx, int flags, const char *token, int ntoken, int start, int end)
{
    struct candidates *cd = ctx;
    int rc = SQLITE_OK;

    if (flags & FTS5_TOKEN_COLOCATED)
        return SQLITE_OK;
    cd->start = start;
    cd->end = end;
    cd->stemmed = 0;
    if (ntoken > 0 && cd->p->first[(unsigned char)token[0]])
        rc = cd->p->api.xTokenize(cd->p->tok, cd, FTS5_TOKENIZE_DOCUMENT, token, ntoken,
                                  keep_stem);
    if (cd->stemmed == 0) {
        keep_word(cd->w, 0, "", 0, start, end);
        cd->w->word[cd->w->sp.n - 1][1] = -1;
    }
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

struct passages *
passages_new(fts5_api *api, const char *match)
{
    static const char *unstemmed[] = {"unstemmed"};
    struct passages *p = xcalloc(1, sizeof(*p));
    const char *at = match, *start, *end;
    void *ud = NULL;
    struct buf text;

    if (api == NULL || api->xFindTokenizer(api, "gazette", &ud, &p->api) != SQLITE_OK ||
        p->api.xCreate(ud, NULL, 0, &p->tok) != SQLITE_OK ||
        p->api.xCreate(ud, unstemmed, 1, &p->unstemmed) != SQLITE_OK) {
        if (p->tok != NULL)
            p->api.xDelete(p->tok);
        free(p);
        return NULL;
    }
    buf_init(&text);
    /* each phrase as FTS5 reads it: the quoted text, quotes doubled, with
     * its last token a prefix when " *" follows */
    while (p->nphrase < TQ_MAX_TERMS && (end = next_phrase(at, &start)) != NULL) {
        const char *q = start + 1;
        struct words *w = &p->phrase[p->nphrase];

        text.len = 0;
        for (; *q != '\0'; q++) {
            if (*q == '"' && q[1] != '"')
                break;
            if (*q == '"')
                q++;
            buf_addc(&text, *q);
        }
        p->prefix[p->nphrase] = end - start >= 2 && strncmp(end - 2, " *", 2) == 0;
        buf_init(&w->chars);
        p->api.xTokenize(p->tok, w,
                         FTS5_TOKENIZE_QUERY |
                             (p->prefix[p->nphrase] ? FTS5_TOKENIZE_PREFIX : 0),
                         text.len > 0 ? text.data : "", (int)text.len, keep_word);
        for (int j = 0; j < w->sp.n; j++) {
            if (w->word[j][1] > 0)
                p->first[(unsigned char)w->chars.data[w->word[j][0]]] = true;
            else
                memset(p->first, true, sizeof(p->first));
        }
        p->nphrase++;
        at = end;
    }
    buf_release(&text);
    return p;
}

void
passages_free(struct passages *p)
{
    if (p == NULL)
        return;
    for (int i = 0; i < p->nphrase; i++)
        words_release(&p->phrase[i]);
    p->api.xDelete(p->tok);
    p->api.xDelete(p->unstemmed);
    free(p);
}

/* Whether phrase i is found at token k of w. */
static bool
found_at(const struct passages *p, int i, const struct words *w, int k)
{
    const struct words *ph = &p->phrase[i];

    if (ph->sp.n == 0 || k + ph->sp.n > w->sp.n)
        return false;
    for (int j = 0; j < ph->sp.n; j++) {
        const char *want = ph->chars.data + ph->word[j][0];
        const char *got = w->chars.data + w->word[k + j][0];
        int nwant = ph->word[j][1], ngot = w->word[k + j][1];
        bool prefix = p->prefix[i] && j == ph->sp.n - 1;

        if (prefix ? ngot < nwant : ngot != nwant)
            return false;
        if (memcmp(want, got, (size_t)nwant) != 0)
            return false;
    }
    return true;
}

void
passages_write(struct passages *p, struct buf *out, const char *const text[],
               const int len[], int ncol, const struct marks *m, int n)
{
    struct words w[ARTICLES_COLUMNS] = {0};
    struct hit *hits = NULL;
    int nhits = 0, cap = 0, col, from, ncolhits;
    struct window best;

    n = clamp_window(n);
    ncol = ncol < ARTICLES_COLUMNS ? ncol : ARTICLES_COLUMNS;
    for (int c = 0; c < ncol; c++) {
        struct candidates cd = {p, &w[c], 0, 0, 0};

        buf_init(&w[c].chars);
        p->api.xTokenize(p->unstemmed, &cd, FTS5_TOKENIZE_DOCUMENT, text[c], len[c],
                         keep_candidate);
        for (int k = 0; k < w[c].sp.n; k++) {
            for (int i = 0; i < p->nphrase; i++) {
                if (!found_at(p, i, &w[c], k))
                    continue;
                if (nhits == cap) {
                    cap = cap ? 2 * cap : 16;
                    hits = xrealloc(hits, (size_t)cap * sizeof(*hits));
                }
                hits[nhits++] = (struct hit){c, k, p->phrase[i].sp.n, i};
            }
        }
    }
    best = choose_window(hits, nhits, p->nphrase, n, &col, &from, &ncolhits);
    if (col < ncol)
        write_passage(out, text[col], len[col], &w[col].sp, best, n, hits + from,
                      ncolhits, m);
    for (int c = 0; c < ncol; c++)
        words_release(&w[c]);
    free(hits);
}

int
snippet_register(fts5_api *api)
{
    return api->xCreateFunction(api, "articles_snippet", NULL, articles_snippet, NULL);
}
