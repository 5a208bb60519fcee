/* tokenizer.c - the "gazette" FTS5 tokenizer: words as the porter stemmer
 * over unicode61 sees them ("industries" and "industry" are one token),
 * and text without spaces (Chinese, Japanese) as overlapping pairs of
 * characters, as Lucene's CJK analyzer does.  SQLite's own trigram
 * tokenizer cannot match the two-character words that most Chinese words
 * are; with bigrams, a query of two characters is one token and a longer
 * one a phrase of consecutive bigrams, which matches exactly the
 * documents that contain the characters in that order. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef GAZETTE_EXTENSION
/* built as a loadable extension, for the sqlite3 shell and other programs
 * that open a gazette database */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#define xcalloc calloc
int tokenizer_register(sqlite3 *db);
fts5_api *fts5_api_of(sqlite3 *db);
#else
#include "gazette/xalloc.h"
#include "sqlite.h"
#endif

struct gz_tokenizer {
    fts5_tokenizer words; /* porter over unicode61, or unicode61 alone */
    Fts5Tokenizer *inner;
};

/* Scripts written without spaces between words. */
static bool
is_cjk(uint32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || /* Hiragana, Katakana */
           (cp >= 0x31F0 && cp <= 0x31FF) || /* Katakana extensions */
           cp == 0x3005 ||                   /* ideographic iteration mark */
           (cp >= 0x3400 && cp <= 0x4DBF) || /* CJK extension A */
           (cp >= 0x4E00 && cp <= 0x9FFF) || /* CJK unified ideographs */
           (cp >= 0xF900 && cp <= 0xFAFF) || /* compatibility ideographs */
           (cp >= 0xFF66 && cp <= 0xFF9F) || /* half-width Katakana */
           (cp >= 0x20000 && cp <= 0x3134F); /* extensions B to G */
}

/* Decodes one code point of s[i..n); returns its length (1 for a bad
 * byte, which is then not CJK). */
static int
decode(const unsigned char *s, int i, int n, uint32_t *cp)
{
    unsigned char c = s[i];
    int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;

    if (i + len > n)
        len = 1;
    *cp = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len; k++) {
        if ((s[i + k] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        *cp = (*cp << 6) | (s[i + k] & 0x3F);
    }
    return len;
}

struct shift {
    void *ctx;
    int offset;
    int (*token)(void *, int, const char *, int, int, int);
};

static int
shifted(void *p, int tflags, const char *tok, int ntok, int start, int end)
{
    struct shift *sh = p;

    return sh->token(sh->ctx, tflags, tok, ntok, start + sh->offset, end + sh->offset);
}

static int
gz_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *text, int n,
            int (*token)(void *, int, const char *, int, int, int))
{
    struct gz_tokenizer *gz = (struct gz_tokenizer *)t;
    const unsigned char *s = (const unsigned char *)text;
    int i = 0, rc = SQLITE_OK;

    while (i < n && rc == SQLITE_OK) {
        uint32_t cp;
        int start = i, len = decode(s, i, n, &cp);

        if (!is_cjk(cp)) {
            /* a stretch of other text goes to the word tokenizer */
            while (i < n && !is_cjk(cp)) {
                i += len;
                if (i < n)
                    len = decode(s, i, n, &cp);
            }
            struct shift sh = {ctx, start, token};

            rc = gz->words.xTokenize(gz->inner, &sh, flags, text + start, i - start,
                                     shifted);
            continue;
        }
        /* a run of CJK characters: every pair, or the lone character */
        int prev = i, prevlen = len, count = 0;

        i += len;
        while (i < n && rc == SQLITE_OK) {
            int l = decode(s, i, n, &cp);

            if (!is_cjk(cp))
                break;
            rc = token(ctx, 0, text + prev, prevlen + l, prev, i + l);
            count++;
            prev = i;
            prevlen = l;
            i += l;
        }
        if (count == 0 && rc == SQLITE_OK)
            rc = token(ctx, 0, text + prev, prevlen, prev, prev + prevlen);
    }
    return rc;
}

/* tokenize='gazette', or 'gazette unstemmed': the same tokens before
 * the porter stemmer, each folded as unicode61 folds it (what snippet.c
 * reads a text with, to stem only the words that may match).
 *
 * Combining marks (M*) are part of a word: unicode61 takes only letters,
 * numbers and private use (L* N* Co) by default, and cut Hindi, Bengali
 * or Arabic words at each vowel sign, so that "हिंदी" was the phrase
 * "ह द" and matched "हिंदू", and "की" matched the first letter of every
 * word that begins with "क".  The accents that remove_diacritics takes
 * off Latin letters, written as combining marks, still go.  Indexes made
 * before are rebuilt by migrations/0010_fts_marks.sql. */
static int
gz_create(void *api_ptr, const char **args, int nargs, Fts5Tokenizer **out)
{
    static const char *inner_args[] = {"unicode61", "remove_diacritics", "2",
                                       "categories", "L* N* Co M*"};
    const int ninner = (int)(sizeof(inner_args) / sizeof(inner_args[0]));
    fts5_api *api = api_ptr;
    bool unstemmed = nargs == 1 && strcmp(args[0], "unstemmed") == 0;
    struct gz_tokenizer *gz;
    void *pctx;
    int rc;

    *out = NULL;
    if (nargs > 0 && !unstemmed)
        return SQLITE_ERROR;
    gz = xcalloc(1, sizeof(*gz));
    if (gz == NULL)
        return SQLITE_NOMEM;
    rc = api->xFindTokenizer(api, unstemmed ? "unicode61" : "porter", &pctx, &gz->words);
    if (rc == SQLITE_OK)
        rc = gz->words.xCreate(pctx, inner_args + unstemmed, ninner - unstemmed,
                               &gz->inner);
    if (rc != SQLITE_OK) {
        free(gz);
        return rc;
    }
    *out = (Fts5Tokenizer *)gz;
    return SQLITE_OK;
}

static void
gz_delete(Fts5Tokenizer *t)
{
    struct gz_tokenizer *gz = (struct gz_tokenizer *)t;

    if (gz == NULL)
        return;
    gz->words.xDelete(gz->inner);
    free(gz);
}

fts5_api *
fts5_api_of(sqlite3 *db)
{
    fts5_api *api = NULL;
    sqlite3_stmt *st;

    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    return sqlite3_finalize(st) == SQLITE_OK ? api : NULL;
}

int
tokenizer_register(sqlite3 *db)
{
    static fts5_tokenizer tok = {gz_create, gz_delete, gz_tokenize};
    fts5_api *api = fts5_api_of(db);
    int rc;

    if (api == NULL)
        return SQLITE_ERROR;
    rc = api->xCreateTokenizer(api, "gazette", api, &tok, NULL);
#ifndef GAZETTE_EXTENSION
    if (rc == SQLITE_OK)
        rc = rank_register(db, api);
    if (rc == SQLITE_OK)
        rc = snippet_register(api);
#endif
    return rc;
}

#ifdef GAZETTE_EXTENSION
/* The entry point: `.load ./gazette_fts` in the shell, or
 * sqlite3_load_extension(db, "gazette_fts", NULL, ...). */
int sqlite3_gazettefts_init(sqlite3 *db, char **err, const sqlite3_api_routines *api);

int
sqlite3_gazettefts_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
    (void)err;
    SQLITE_EXTENSION_INIT2(api);
    return tokenizer_register(db);
}
#endif
