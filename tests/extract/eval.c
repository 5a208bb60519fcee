/* eval.c - measures the extractor against the annotated corpus.
 *
 * usage: extract-eval [--min-speaker-f1 X] [--min-quote-f1 X] [--verbose]
 *                     [--dump ARTICLE_ID] [CORPUS]
 *
 * CORPUS (or $GAZETTE_CORPUS) holds articles.ndjson, raw/000_seed.txt,
 * quotes-dev.ndjson and themes-dev.ndjson.  The annotated articles are
 * extracted with the default theme catalog (the one the migrations
 * install) and scored as the corpus's ANNOTATION.md suggests:
 *   - speakers: (article, speaker) pairs; names compared without case,
 *     diacritics and honorifics; a system name equal to the gold surname
 *     counts;
 *   - quotes: same speaker and one text containing the other or a token
 *     F1 of at least 0.5, greedy one-to-one per article ("strict"); a
 *     system quote may also cover further gold quotes of its speaker that
 *     it contains ("lenient");
 *   - title, organization (ours or its parent) and kind over matched
 *     quotes; themes as micro P/R over (article, label) pairs, our slugs
 *     mapped to the annotation's labels.
 * The seed article is scored apart, as its annotation asks.  Exits 77
 * when the corpus is absent, 1 when a figure is below its floor. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "gazette/buf.h"
#include "gazette/enrich.h"
#include "gazette/extract.h"
#include "gazette/ingest.h"
#include "gazette/query.h"
#include "gazette/store.h"
#include "gazette/util.h"

#define SEED_ID  "seed-000"
#define MATCH_F1 0.5

struct article {
    char *id;
    json_t *gold_quotes; /* array of gold records */
    json_t *gold_themes; /* array of labels, or NULL */
    json_t *sys;         /* extract_article() result */
};

struct counts {
    long tp, sys, gold;
};

struct report {
    struct counts speakers, strict, lenient, themes;
    long matched, title_ok, org_ok, kind_ok, partials, partials_indirect;
};

static bool verbose;
static const char *dump_id; /* --dump ID: print what was found in one article */

/* ---- reading the corpus ---- */

static char *
read_file(const char *dir, const char *name, size_t *len)
{
    char path[4096];
    FILE *f;
    struct buf b;
    char chunk[65536];
    size_t n;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "extract-eval: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    buf_init(&b);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_add(&b, chunk, n);
    fclose(f);
    return buf_detach(&b, len);
}

/* Calls fn for each JSON line of an NDJSON file. */
static bool
each_line(const char *dir, const char *name, void (*fn)(json_t *, void *), void *ctx)
{
    size_t len;
    char *text = read_file(dir, name, &len), *p, *nl;

    if (text == NULL)
        return false;
    for (p = text; p < text + len; p = nl + 1) {
        json_error_t jerr;
        json_t *v;

        nl = memchr(p, '\n', (size_t)(text + len - p));
        if (nl == NULL)
            nl = text + len;
        if (nl == p)
            continue;
        v = json_loadb(p, (size_t)(nl - p), 0, &jerr);
        if (v == NULL) {
            fprintf(stderr, "extract-eval: %s: %s\n", name, jerr.text);
            continue;
        }
        fn(v, ctx);
        json_decref(v);
    }
    free(text);
    return true;
}

struct corpus {
    struct article *a;
    size_t n;
    json_t *bodies; /* id -> {"title","body"} */
};

static struct article *
corpus_article(struct corpus *c, const char *id)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->a[i].id, id) == 0)
            return &c->a[i];
    c->a = realloc(c->a, (c->n + 1) * sizeof(*c->a));
    if (c->a == NULL)
        abort();
    memset(&c->a[c->n], 0, sizeof(c->a[0]));
    c->a[c->n].id = strdup(id);
    c->a[c->n].gold_quotes = json_array();
    return &c->a[c->n++];
}

static void
on_gold_quote(json_t *v, void *ctx)
{
    const char *id = json_string_value(json_object_get(v, "article_id"));

    if (id != NULL)
        json_array_append(corpus_article(ctx, id)->gold_quotes, v);
}

static void
on_gold_themes(json_t *v, void *ctx)
{
    const char *id = json_string_value(json_object_get(v, "article_id"));

    if (id != NULL)
        corpus_article(ctx, id)->gold_themes = json_incref(json_object_get(v, "themes"));
}

static void
on_article(json_t *v, void *ctx)
{
    struct corpus *c = ctx;
    const char *id = json_string_value(json_object_get(v, "id"));

    for (size_t i = 0; id != NULL && i < c->n; i++)
        if (strcmp(c->a[i].id, id) == 0)
            json_object_set(c->bodies, id, v);
}

static bool
load_seed(struct corpus *c, const char *dir)
{
    size_t len;
    char *text = read_file(dir, "raw/000_seed.txt", &len);
    struct err_info ei = {0};
    json_t *art;

    if (text == NULL)
        return false;
    art = raw_parse(text, len, &ei);
    free(text);
    if (art == NULL) {
        fprintf(stderr, "extract-eval: seed: %s\n", ei.detail);
        return false;
    }
    json_object_set_new(c->bodies, SEED_ID, art);
    return true;
}

/* The default catalog: the themes the embedded migrations install. */
static struct extract_catalog *
default_catalog(void)
{
    struct err_info ei = {0};
    struct extract_catalog *cat = enricher_default_catalog(&ei);

    if (cat == NULL)
        fprintf(stderr, "extract-eval: theme catalog: %s\n", ei.detail);
    return cat;
}

/* ---- comparing ---- */

/* Lower-case words of a name without honorifics and diacritics. */
static void
name_key(const char *name, struct buf *out)
{
    static const char *const honorifics[] = {
        "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "monsenor", "monsignor"};
    struct buf norm;
    char *save = NULL, *w;

    buf_init(&norm);
    name_normalize(&norm, name != NULL ? name : "");
    for (w = strtok_r(norm.data, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
        bool skip = false;

        for (size_t i = 0; i < sizeof(honorifics) / sizeof(honorifics[0]); i++)
            skip = skip || strcmp(w, honorifics[i]) == 0;
        if (skip)
            continue;
        if (out->len > 0)
            buf_addc(out, ' ');
        buf_adds(out, w);
    }
    buf_release(&norm);
}

static bool
same_speaker(const char *sys, const char *gold)
{
    struct buf s, g;
    bool ok;
    const char *surname;

    buf_init(&s);
    buf_init(&g);
    name_key(sys, &s);
    name_key(gold, &g);
    surname = strrchr(g.data, ' ');
    surname = surname != NULL ? surname + 1 : g.data;
    ok = s.len > 0 && (strcmp(s.data, g.data) == 0 || strcmp(s.data, surname) == 0);
    buf_release(&s);
    buf_release(&g);
    return ok;
}

/* Lower-case words of a quote, separated by single spaces, with
 * quotation marks, brackets and punctuation of every kind removed. */
static void
quote_norm(const char *text, struct buf *out)
{
    const char *p = text;
    bool space = true;

    while (p != NULL && *p != '\0') {
        const char *q = p;
        uint32_t cp = utf8_next(&p);
        bool word =
            (cp < 0x80 && ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
                           (cp >= 'A' && cp <= 'Z'))) ||
            (cp >= 0xC0 && !(cp >= 0x2000 && cp <= 0x2BFF) && cp != 0xD7 && cp != 0xF7);

        if (!word) {
            space = true;
            continue;
        }
        if (space && out->len > 0)
            buf_addc(out, ' ');
        space = false;
        if (cp < 0x80)
            buf_addc(out, (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
        else
            buf_add(out, q, (size_t)(p - q));
    }
}

/* Whether a's words contain b's words as a sequence. */
static bool
contains(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    const char *p = a;

    if (nb == 0)
        return false;
    while ((p = strstr(p, b)) != NULL) {
        if ((p == a || p[-1] == ' ') && (p[nb] == '\0' || p[nb] == ' '))
            return true;
        p++;
    }
    (void)na;
    return false;
}

/* Token F1 of two normalized texts (multisets of words). */
static double
token_f1(const char *a, const char *b)
{
    char *x = strdup(a), *y = strdup(b), *save = NULL;
    char *wa[4096], *wb[4096];
    size_t na = 0, nb = 0, common = 0;
    bool used[4096] = {false};

    for (char *w = strtok_r(x, " ", &save); w != NULL && na < 4096;
         w = strtok_r(NULL, " ", &save))
        wa[na++] = w;
    for (char *w = strtok_r(y, " ", &save); w != NULL && nb < 4096;
         w = strtok_r(NULL, " ", &save))
        wb[nb++] = w;
    for (size_t i = 0; i < na; i++) {
        for (size_t j = 0; j < nb; j++) {
            if (!used[j] && strcmp(wa[i], wb[j]) == 0) {
                used[j] = true;
                common++;
                break;
            }
        }
    }
    free(x);
    free(y);
    if (common == 0)
        return 0;
    double p = (double)common / (double)na, r = (double)common / (double)nb;

    return 2 * p * r / (p + r);
}

/* Score of a system quote against a gold quote: 1 for containment, the
 * token F1 otherwise; 0 if the texts do not match. */
static double
quote_score(const char *sys, const char *gold)
{
    struct buf s, g;
    double score;

    buf_init(&s);
    buf_init(&g);
    quote_norm(sys, &s);
    quote_norm(gold, &g);
    if (contains(s.data, g.data) || contains(g.data, s.data))
        score = 1;
    else
        score = token_f1(s.data, g.data);
    buf_release(&s);
    buf_release(&g);
    return score >= MATCH_F1 ? score : 0;
}

static bool
text_contains(const char *sys, const char *gold)
{
    struct buf s, g;
    bool ok;

    buf_init(&s);
    buf_init(&g);
    quote_norm(sys, &s);
    quote_norm(gold, &g);
    ok = contains(s.data, g.data);
    buf_release(&s);
    buf_release(&g);
    return ok;
}

static const char *
sys_speaker(const json_t *q)
{
    return json_string_value(json_object_get(json_object_get(q, "official"), "name"));
}

static const char *
str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Whether hay contains needle, ignoring ASCII case. */
static bool
icontains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);

    if (n == 0)
        return false; /* an empty title states nothing */
    for (const char *p = hay; *p != '\0'; p++)
        if (strncasecmp(p, needle, n) == 0)
            return true;
    return false;
}

/* Case-insensitive containment either way; both missing is agreement. */
static bool
loosely_equal(const char *sys, const char *gold)
{
    if (sys == NULL || gold == NULL)
        return sys == NULL && gold == NULL;
    return icontains(sys, gold) || icontains(gold, sys);
}

static bool
org_ok(const json_t *sys_org, const char *gold)
{
    if (json_is_null(sys_org) || sys_org == NULL)
        return gold == NULL;
    for (const json_t *o = sys_org; json_is_object(o); o = json_object_get(o, "parent"))
        if (loosely_equal(str(o, "name"), gold))
            return true;
    return false;
}

/* ---- scoring one article ---- */

static void
score_speakers(const struct article *a, struct counts *c)
{
    json_t *sys = json_object(), *gold = json_object(), *q, *v, *w, *tmp;
    size_t i;
    const char *g, *s;

    json_array_foreach (json_object_get(a->sys, "quotes"), i, q)
        json_object_set_new(sys, sys_speaker(q), json_true());
    json_array_foreach (a->gold_quotes, i, q)
        json_object_set_new(gold, str(q, "speaker"), json_true());
    c->sys += (long)json_object_size(sys);
    c->gold += (long)json_object_size(gold);
    json_object_foreach (gold, g, v) {
        bool found = false;

        json_object_foreach_safe (sys, tmp, s, w) {
            if (same_speaker(s, g)) {
                found = true;
                json_object_del(sys, s);
                break;
            }
        }
        c->tp += found;
        if (verbose && !found)
            printf("  missed speaker: %s\n", g);
    }
    json_object_foreach (sys, s, w) {
        if (verbose)
            printf("  extra speaker: %s\n", s);
    }
    json_decref(sys);
    json_decref(gold);
}

/* Greedy one-to-one matching of system to gold quotes, best score first;
 * match[gold] = system index or -1. */
static void
match_quotes(const json_t *sysq, const json_t *goldq, int *match)
{
    size_t ns = json_array_size(sysq), ng = json_array_size(goldq);
    bool *sys_used = calloc(ns + 1, sizeof(*sys_used));

    for (size_t g = 0; g < ng; g++)
        match[g] = -1;
    for (;;) {
        double best = 0;
        size_t bs = 0, bg = 0;

        for (size_t s = 0; s < ns; s++) {
            const json_t *sq = json_array_get(sysq, s);

            for (size_t g = 0; !sys_used[s] && g < ng; g++) {
                const json_t *gq = json_array_get(goldq, g);

                if (match[g] >= 0 || !same_speaker(sys_speaker(sq), str(gq, "speaker")))
                    continue;
                double sc = quote_score(str(sq, "text"), str(gq, "quote"));

                if (sc > best)
                    best = sc, bs = s, bg = g;
            }
        }
        if (best == 0)
            break;
        match[bg] = (int)bs;
        sys_used[bs] = true;
    }
    free(sys_used);
}

/* The name of a system quote's organization (or of its parent), or
 * "(null)". */
static const char *
org_str(const json_t *sq, bool parent)
{
    const json_t *o = json_object_get(sq, "organization");

    if (parent)
        o = json_object_get(o, "parent");
    return str(o, "name") != NULL ? str(o, "name") : "(null)";
}

static void
score_attributes(const json_t *sq, const json_t *gq, struct report *r)
{
    bool partial = json_is_true(json_object_get(gq, "partial"));
    const char *kind = str(sq, "kind");

    r->matched++;
    r->title_ok += loosely_equal(str(sq, "title"), str(gq, "title"));
    r->org_ok += org_ok(json_object_get(sq, "organization"), str(gq, "organization"));
    r->kind_ok += kind != NULL && strcmp(kind, str(gq, "kind")) == 0;
    r->partials += partial;
    r->partials_indirect += partial && kind != NULL && strcmp(kind, "indirect") == 0;
    if (verbose && !loosely_equal(str(sq, "title"), str(gq, "title")))
        printf("  title: %s: ours \"%s\", gold \"%s\"\n", str(gq, "speaker"),
               str(sq, "title") ? str(sq, "title") : "(null)",
               str(gq, "title") ? str(gq, "title") : "(null)");
    if (verbose && !org_ok(json_object_get(sq, "organization"), str(gq, "organization")))
        printf("  organization: %s: ours \"%s\" (parent \"%s\"), gold \"%s\"\n",
               str(gq, "speaker"), org_str(sq, false), org_str(sq, true),
               str(gq, "organization") ? str(gq, "organization") : "(null)");
}

static void
score_quotes(const struct article *a, struct report *r)
{
    const json_t *sysq = json_object_get(a->sys, "quotes");
    size_t ns = json_array_size(sysq), ng = json_array_size(a->gold_quotes);
    int *match = calloc(ng + 1, sizeof(*match));
    bool *sys_hit = calloc(ns + 1, sizeof(*sys_hit));

    match_quotes(sysq, a->gold_quotes, match);
    r->strict.sys += (long)ns;
    r->strict.gold += (long)ng;
    r->lenient.sys += (long)ns;
    r->lenient.gold += (long)ng;
    for (size_t g = 0; g < ng; g++) {
        const json_t *gq = json_array_get(a->gold_quotes, g);

        if (match[g] < 0)
            continue;
        r->strict.tp++;
        sys_hit[match[g]] = true;
        score_attributes(json_array_get(sysq, (size_t)match[g]), gq, r);
    }
    /* lenient: a matched system quote also covers gold quotes of its
     * speaker that it contains */
    for (size_t g = 0; g < ng; g++) {
        const json_t *gq = json_array_get(a->gold_quotes, g);
        bool covered = match[g] >= 0;

        for (size_t s = 0; !covered && s < ns; s++) {
            const json_t *sq = json_array_get(sysq, s);

            covered = sys_hit[s] && same_speaker(sys_speaker(sq), str(gq, "speaker")) &&
                      text_contains(str(sq, "text"), str(gq, "quote"));
        }
        r->lenient.tp += covered;
        if (verbose && !covered)
            printf("  missed: %s: %.100s\n", str(gq, "speaker"), str(gq, "quote"));
    }
    for (size_t s = 0; verbose && s < ns; s++)
        if (!sys_hit[s])
            printf("  extra: %s: %.100s\n", sys_speaker(json_array_get(sysq, s)),
                   str(json_array_get(sysq, s), "text"));
    free(match);
    free(sys_hit);
}

/* The annotation's label for one of our theme slugs. */
static const char *
theme_label(const char *slug)
{
    static const char *const map[][2] = {
        {"public-finance", "economy"},
        {"digital-economy", "digital economy"},
        {"artificial-intelligence", "artificial intelligence"},
        {"new-industrialization", "industry"},
        {"technological-innovation", "technology"},
        {"high-quality-development", "economy"},
        {"modern-industrial-system", "industry"},
        {"new-productivity", "economy"},
        {"industrial-internet", "technology"},
        {"law-and-justice", "law"},
        {"climate-change", "environment"},
    };

    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(slug, map[i][0]) == 0)
            return map[i][1];
    return slug;
}

static void
score_themes(const struct article *a, struct counts *c)
{
    json_t *labels = json_object(), *t;
    size_t i;
    const char *k;
    json_t *v;

    json_array_foreach (json_object_get(a->sys, "themes"), i, t)
        json_object_set_new(labels, theme_label(str(t, "slug")), json_true());
    c->sys += (long)json_object_size(labels);
    c->gold += (long)json_array_size(a->gold_themes);
    json_array_foreach (a->gold_themes, i, t)
        c->tp += json_object_get(labels, json_string_value(t)) != NULL;
    if (verbose) {
        printf("  themes:");
        json_object_foreach (labels, k, v)
            printf(" %s", k);
        printf("  (gold:");
        json_array_foreach (a->gold_themes, i, t)
            printf(" %s", json_string_value(t));
        printf(")\n");
    }
    json_decref(labels);
}

/* ---- report ---- */

static double
ratio(long a, long b)
{
    return b > 0 ? (double)a / (double)b : 0;
}

static double
f1(const struct counts *c)
{
    double p = ratio(c->tp, c->sys), r = ratio(c->tp, c->gold);

    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

static void
print_prf(const char *what, const struct counts *c, long gold_tp)
{
    printf("%-16s P=%.3f R=%.3f F1=%.3f  (tp %ld, system %ld, gold %ld)\n", what,
           ratio(c->tp, c->sys), ratio(gold_tp, c->gold), f1(c), c->tp, c->sys, c->gold);
}

static void
print_report(const struct report *r, size_t articles)
{
    printf("articles         %zu annotated (seed scored apart)\n", articles);
    print_prf("speakers", &r->speakers, r->speakers.tp);
    print_prf("quotes strict", &r->strict, r->strict.tp);
    print_prf("quotes lenient", &r->lenient, r->lenient.tp);
    printf("title accuracy   %.3f  organization accuracy %.3f  kind accuracy %.3f  "
           "(over %ld matched; partial quotes called indirect: %ld of %ld)\n",
           ratio(r->title_ok, r->matched), ratio(r->org_ok, r->matched),
           ratio(r->kind_ok, r->matched), r->matched, r->partials_indirect, r->partials);
    print_prf("themes", &r->themes, r->themes.tp);
}

/* The seed: the design example must give its annotated statement. */
static bool
score_seed(const struct article *a)
{
    struct report r = {0};

    if (a == NULL || a->sys == NULL)
        return false;
    printf("seed:\n");
    score_speakers(a, &r.speakers);
    score_quotes(a, &r);
    score_themes(a, &r.themes);
    printf("  speaker %s, quote %s, title %s, organization %s, themes %ld of %ld "
           "labels\n",
           r.speakers.tp == r.speakers.gold ? "found" : "MISSED",
           r.strict.tp == r.strict.gold ? "found" : "MISSED",
           r.title_ok == r.matched && r.matched > 0 ? "ok" : "wrong",
           r.org_ok == r.matched && r.matched > 0 ? "ok" : "wrong", r.themes.tp,
           r.themes.gold);
    return r.speakers.tp == r.speakers.gold && r.strict.tp == r.strict.gold;
}

static bool
corpus_present(const char *dir)
{
    struct stat sb;

    return dir != NULL && stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static void
run_all(struct corpus *c, const struct extract_catalog *cat, struct report *r)
{
    for (size_t i = 0; i < c->n; i++) {
        struct article *a = &c->a[i];
        json_t *art = json_object_get(c->bodies, a->id);
        const char *body = str(art, "body");
        struct err_info ei = {0};

        if (body == NULL) {
            fprintf(stderr, "extract-eval: no text for %s\n", a->id);
            continue;
        }
        a->sys = extract_article(cat, str(art, "title"), body, strlen(body), &ei);
        if (a->sys == NULL) {
            fprintf(stderr, "extract-eval: %s: %s\n", a->id, ei.detail);
            continue;
        }
        if (dump_id != NULL && strcmp(a->id, dump_id) == 0)
            json_dumpf(a->sys, stdout, JSON_INDENT(1)), printf("\n");
        if (strcmp(a->id, SEED_ID) == 0)
            continue;
        if (verbose)
            printf("%s\n", a->id);
        score_speakers(a, &r->speakers);
        score_quotes(a, r);
        score_themes(a, &r->themes);
    }
}

int
main(int argc, char **argv)
{
    double min_speaker = 0, min_quote = 0;
    const char *dir = getenv("GAZETTE_CORPUS");
    struct corpus c = {0};
    struct report r = {0};
    struct extract_catalog *cat;
    bool seed_ok;
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--min-speaker-f1") == 0 && i + 1 < argc)
            min_speaker = strtod(argv[++i], NULL);
        else if (strcmp(argv[i], "--min-quote-f1") == 0 && i + 1 < argc)
            min_quote = strtod(argv[++i], NULL);
        else if (strcmp(argv[i], "--verbose") == 0)
            verbose = true;
        else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
            dump_id = argv[++i];
        else
            dir = argv[i];
    }
    if (!corpus_present(dir)) {
        printf("SKIP: annotated corpus not found (%s); set GAZETTE_CORPUS or pass its "
               "directory\n",
               dir != NULL ? dir : "GAZETTE_CORPUS unset");
        return 77;
    }
    c.bodies = json_object();
    if (!each_line(dir, "quotes-dev.ndjson", on_gold_quote, &c) ||
        !each_line(dir, "themes-dev.ndjson", on_gold_themes, &c) ||
        !each_line(dir, "articles.ndjson", on_article, &c) || !load_seed(&c, dir) ||
        (cat = default_catalog()) == NULL)
        return 1;
    run_all(&c, cat, &r);
    print_report(&r, c.n - 1);
    seed_ok = score_seed(corpus_article(&c, SEED_ID));
    if (f1(&r.speakers) < min_speaker || f1(&r.strict) < min_quote || !seed_ok) {
        printf("FAIL: below the floor (speaker F1 >= %.3f, strict quote F1 >= %.3f, seed "
               "found)\n",
               min_speaker, min_quote);
        rc = 1;
    }
    for (size_t i = 0; i < c.n; i++) {
        free(c.a[i].id);
        json_decref(c.a[i].gold_quotes);
        json_decref(c.a[i].gold_themes);
        json_decref(c.a[i].sys);
    }
    free(c.a);
    json_decref(c.bodies);
    extract_catalog_free(cat);
    return rc;
}
