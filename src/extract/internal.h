/* internal.h - what the extractor's files share: the tokenized text, word
 * classes, name mentions, people and statements.  None of it is API.
 *
 * The flow (extract.c): text.c cuts the body into tokens, quotations,
 * sentences and paragraphs; names.c finds capitalized name runs with the
 * title and organization around them; people.c turns them into the
 * article's people and resolves later references ("Halvorsen", "he",
 * "the minister"); quotes.c finds reporting verbs and what they report;
 * orgs.c lists organizations; themes.c tags themes. */
#ifndef GAZETTE_EXTRACT_INTERNAL_H
#define GAZETTE_EXTRACT_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gazette/buf.h"
#include "gazette/xalloc.h"

/* Grows a heap array p of n elements with capacity cap to hold one more. */
#define VEC_RESERVE(p, n, cap)                                                           \
    do {                                                                                 \
        if ((n) == (cap)) {                                                              \
            (cap) = (cap) ? (cap)*2 : 16;                                                \
            (p) = xrealloc((p), (cap) * sizeof(*(p)));                                   \
        }                                                                                \
    } while (0)

/* ---- text.c: tokens, quotations, sentences ---- */

enum tok_kind { TK_WORD, TK_NUM, TK_PUNCT };

#define TF_CAP     0x0001 /* word starts with an upper-case letter */
#define TF_ALLCAPS 0x0002 /* two or more letters, none lower case */
#define TF_LOWER   0x0004 /* word starts with a lower-case letter */
#define TF_SENT    0x0008 /* first token of a sentence */
#define TF_PARA    0x0010 /* first token of a paragraph */
#define TF_QOPEN   0x0020 /* mark that opens a quotation */
#define TF_QCLOSE  0x0040 /* mark that closes one */
#define TF_INQ     0x0080 /* inside a quotation, marks excluded */
#define TF_HYPHEN  0x0100 /* word contains a hyphen or dash */
#define TF_NAME    0x0200 /* word may be part of a personal name */

struct tok {
    size_t b0, b1;  /* bytes [b0, b1) of the text */
    size_t c0, c1;  /* the same in code points */
    uint32_t cp;    /* punctuation: its code point; words: 0 */
    uint32_t cls;   /* word classes (WC_*, lexicon.c) */
    uint8_t vb;     /* reporting verb starting here: VB_* flags ... */
    uint8_t vlen;   /* ... and its length in tokens */
    uint8_t geo;    /* country name or demonym starting here: its tokens */
    uint32_t para;  /* paragraph index */
    uint32_t sent;  /* sentence index */
    int32_t quote;  /* quotation of a mark or of an inner token, else -1 */
    uint16_t flags; /* TF_* */
    uint8_t kind;   /* enum tok_kind */
    uint8_t poss;   /* bytes of a possessive ending ('s, ’s, s'), else 0 */
};

/* Double quotation marks paired within a paragraph.  A quotation that
 * runs over paragraphs is a chain of segments: each paragraph reopens it,
 * and only the last one closes it. */
struct quotation {
    size_t open;  /* token of the opening mark */
    size_t close; /* token of the closing mark; for a segment left open at
                     its paragraph's end, the first token after it */
    int32_t prev; /* segment in the previous paragraph, or -1 */
    bool closed;  /* close is a real mark */
    bool speech;  /* looks like words said, not a name ("5G + Internet") */
};

struct span {
    size_t lo, hi; /* tokens [lo, hi) */
};

struct doc {
    const char *text;
    size_t len;
    struct tok *tok;
    size_t ntok, captok;
    struct quotation *q;
    size_t nq, capq;
    struct span *sent; /* sentences, in order */
    size_t nsent, capsent;
};

/* Cuts text[0..len) (valid UTF-8) into tokens, looks each word up in the
 * lexicon once, pairs quotation marks, finds sentences and marks the words
 * that may be part of a personal name.  Release with doc_release(). */
void doc_init(struct doc *d, const char *text, size_t len);
void doc_release(struct doc *d);

/* Length and start of token i without its possessive ending. */
const char *tok_word(const struct doc *d, size_t i, size_t *len);

/* True when token i is the word w (ASCII, case-insensitive, possessive
 * ending ignored). */
bool tok_is(const struct doc *d, size_t i, const char *w);

/* True when token i is punctuation with code point cp. */
bool tok_punct(const struct doc *d, size_t i, uint32_t cp);

/* True for , ; : and the dashes that set off a phrase. */
bool tok_is_comma(const struct doc *d, size_t i);
bool tok_is_dash(const struct doc *d, size_t i);

/* True when token i ends a sentence (. ! ? or the end of a paragraph
 * follows it). */
bool tok_sentence_end(const struct doc *d, size_t i);

/* Appends the text of tokens [lo, hi) as printed. */
void tok_text(const struct doc *d, size_t lo, size_t hi, struct buf *b);

/* Unicode letter case for the scripts news is written in. */
bool cp_is_upper(uint32_t cp);
bool cp_is_lower(uint32_t cp);

/* ---- lexicon.c: word classes ---- */

#define WC_STOP     0x0001    /* function word: no part of a name phrase */
#define WC_TITLE    0x0002    /* office, occupation, or a modifier of one */
#define WC_ORG      0x0004    /* head noun of an organization's name */
#define WC_HONOR    0x0008    /* Mr, Dr, Prof: dropped from names */
#define WC_PARTICLE 0x0010    /* de, van, bin: inside names */
#define WC_PRONOUN  0x0020    /* he, she: a person spoken of before */
#define WC_CALENDAR 0x0040    /* days, months, today: never a name */
#define WC_ADVERB   0x0080    /* may stand between a subject and its verb */
#define WC_PARTY    0x0100    /* Labour, Republican: party adjectives */
#define WC_ROYAL    0x0200    /* king, queen, pope: part of a regnal name */
#define WC_ABBREV   0x0400    /* a period after it ends no sentence */
#define WC_PLURAL   0x0800    /* officials, critics: unnamed groups */
#define WC_ALIAS    0x1000    /* named, pseudonym: introduce a name */
#define WC_PREP     0x2000    /* preposition that starts an adjunct */
#define WC_AUX      0x4000    /* is, has, will: marks a finite clause */
#define WC_PASSIVE  0x8000    /* was, been: "was announced" is no statement */
#define WC_NEG      0x10000   /* not, never */
#define WC_MEDIA    0x20000   /* newspaper, agency: a publication, not a person */
#define WC_GEO      0x40000   /* first word of a country name or demonym */
#define WC_PLACE    0x80000   /* county, airport: heads a place's name */
#define WC_NONAME   0x100000  /* north, central: no part of a personal name */
#define WC_PERSON   0x200000  /* man, student, resident: a person, unnamed */
#define WC_FIELD    0x400000  /* finance, foreign affairs: what an office is for */
#define WC_MALE     0x800000  /* mr, chairman, son: a man */
#define WC_FEMALE   0x1000000 /* ms, chairwoman, daughter: a woman */

/* Word classes (WC_*) of the ASCII word w[0..n), case-insensitive. */
unsigned lex_class(const char *w, size_t n);

/* Looks every word of d up once: sets cls, vb, vlen and geo. */
void lex_annotate(struct doc *d);

/* Word classes of token i (0 for punctuation and past the end). */
unsigned lex_tok(const struct doc *d, size_t i);

/* Reporting verbs. */
#define VB_CLAUSE 0x01 /* its object is what was said (said, added) */
#define VB_NEEDS  0x02 /* the object may be a plain noun: content must be a clause */
#define VB_INVERT 0x04 /* may come before its subject: "said Okafor" */
#define VB_ING    0x08 /* participle: ", adding that ..." */
#define VB_RECIP  0x10 /* takes a listener first: told X, urged X */
#define VB_REST   0x20 /* everything after it is the content: called for X */
#define VB_ALL    0x3F

/* VB_* flags of the reporting verb at token i (0 if none); *len is the
 * number of tokens it spans ("pointed out", "went on to say"). */
unsigned lex_verb(const struct doc *d, size_t i, size_t *len);

/* Country for a country name or demonym of up to four words starting at
 * token i ("Iranian" -> "Iran", "United States"), NULL if none; *len is
 * the number of tokens matched. */
const char *lex_geo(const struct doc *d, size_t i, size_t *len);

/* ---- strmap.c: string -> int map ---- */

struct strmap {
    char **key;
    size_t *len; /* of each key, so that probes compare lengths first */
    int *val;
    size_t cap, n;
};

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);
/* Value stored under key[0..n), or -1. */
int strmap_get(const struct strmap *m, const char *key, size_t n);
/* Stores val under key[0..n) (copied), replacing any value. */
void strmap_put(struct strmap *m, const char *key, size_t n, int val);

/* ---- names.c: name runs, titles, organizations ---- */

/* A title and organization as an article states them; strings owned. */
struct role {
    char *title;
    char *org;
    char *parent;
};

/* A run of capitalized words that may be a person's name, with the words
 * around it that say who the person is. */
struct run {
    size_t lo, hi;         /* name tokens [lo, hi) */
    size_t pre;            /* first token of the premodifier ("NTC trade ...") */
    size_t post;           /* first token after the name and its "of X" */
    size_t app_lo, app_hi; /* appositive between commas (app_lo == app_hi: none) */
    size_t end;            /* first token after the whole mention */
    bool poss;             /* the name is a possessive ("Halvorsen's critics") */
    bool head;             /* heads its phrase (not "Harbour Lights drummer") */
    bool cued;             /* a title, honorific or "named" marks a person */
    bool app_titled;       /* the appositive states a title */
    bool definite;         /* "the" before it without a title between */
    bool weak;             /* after a preposition: an unlikely antecedent */
    int entity;            /* person it names (people.c), or -1 */
    struct role role;
};

/* Acronyms the article spells out: "Nordic Trade Council (NTC)". */
struct acronyms {
    struct strmap map; /* acronym -> index in full */
    char **full;
    size_t n, cap;
};

void acronyms_scan(struct acronyms *a, const struct doc *d);
void acronyms_release(struct acronyms *a);
/* The spelled-out form of s, or s itself. */
const char *acronyms_expand(const struct acronyms *a, const char *s);

struct names {
    struct run *run;
    size_t n, cap;
    int32_t *at_start; /* per token: run whose premodifier or name starts here */
    int32_t *at_end;   /* per token: run whose mention ends just before it */
};

/* Finds the name runs of d outside quotations, with their roles. */
void names_scan(struct names *nm, const struct doc *d, const struct acronyms *a);
void names_release(struct names *nm);

/* Parses tokens [lo, hi) as a title phrase ("director of the X Department
 * of the Y Center", "NTC fisheries and ports commissioner") into r, keeping
 * fields r already has. */
void role_parse(struct role *r, const struct doc *d, const struct acronyms *a, size_t lo,
                size_t hi);
void role_release(struct role *r);
/* Sets r's org (and parent) from an organization phrase [lo, hi):
 * "X Department of the Y Center" is a department of a parent. */
void role_org_chain(struct role *r, const struct doc *d, const struct acronyms *a,
                    size_t lo, size_t hi);
/* Fills r's empty fields from src (copies). */
void role_merge(struct role *r, const struct role *src);

/* Sets TF_NAME on the tokens of d that may be part of a personal name. */
void names_mark(struct doc *d);

/* True when token i may be part of a personal name (TF_NAME). */
bool name_token(const struct doc *d, size_t i);

/* ---- people.c: the people of an article ---- */

enum gender { G_UNKNOWN, G_MALE, G_FEMALE };

struct entity {
    char *name; /* fullest form seen, honorifics dropped */
    char *key;  /* name_normalize() of name */
    size_t ntok;
    size_t first; /* token of the first mention */
    bool cued;
    struct role role;
    uint8_t gender; /* enum gender, from "Mr", "Ms", "chairwoman" ... */
};

/* A person referred to at token pos, in text order. */
struct mention {
    size_t pos;
    uint32_t para;
    int entity;
    bool weak;    /* after a preposition ("ferries entered Kessel Bay") */
    bool subject; /* opens its sentence or clause: "Brenner had one sister" */
};

struct people {
    struct entity *ent;
    size_t n, cap;
    struct strmap by_key; /* full name -> entity */
    struct mention *men;
    size_t nmen, capmen;
};

/* Builds the people of the article from the name runs and records where
 * each is mentioned; sets run->entity. */
void people_build(struct people *pp, struct names *nm, const struct doc *d);
void people_release(struct people *pp);

/* The person a pronoun at token pos refers to: the last speaker in its
 * paragraph, else the last person there who was the subject of a
 * sentence, else the last one with a title there, else the same for the
 * paragraph before; -1 if none.  last_speaker/last_para describe the
 * statements found so far; gender (per person, enum gender) rules out
 * people of the other gender ("he" is not "Ines Halvorsen"). */
int people_pronoun(const struct people *pp, const struct doc *d, size_t pos,
                   int last_speaker, uint32_t last_para, const uint8_t *gender);

/* The gender a pronoun at token pos refers to (enum gender). */
uint8_t pronoun_gender(const struct doc *d, size_t pos);

/* The last person before pos whose title contains the word at token
 * head ("the minister"), or -1. */
int people_by_title(const struct people *pp, const struct doc *d, size_t head,
                    size_t pos);

/* ---- quotes.c: statements ---- */

struct stmt {
    int entity;
    size_t lo, hi; /* content tokens [lo, hi) */
    size_t b0, b1; /* text bytes */
    size_t c0, c1; /* the same in code points */
    bool direct;   /* in quotation marks, wholly or partly */
    int32_t quote; /* the quotation it is, or -1 */
    size_t verb;   /* token of the reporting verb */
};

struct stmts {
    struct stmt *s;
    size_t n, cap;
};

/* Finds the statements of d made by people of pp. */
void quotes_find(struct stmts *out, const struct doc *d, const struct names *nm,
                 const struct people *pp);
void stmts_release(struct stmts *st);

/* ---- speech.c: what was said (shared by quotes.c) ---- */

/* The state of quotes_find(): statements so far and what they cover. */
struct finder {
    const struct doc *d;
    const struct names *nm;
    const struct people *pp;
    struct stmts *out;
    int32_t *qowner;  /* per quotation: its statement, or -1 */
    uint8_t *claimed; /* per token: part of a statement's content */
    int last_speaker; /* speaker of the last statement, or -1 */
    uint32_t last_para;
    size_t stop;     /* clause_end() stops here when set (a sentence's subject) */
    uint8_t *gender; /* per person: enum gender, learnt as pronouns resolve */
    uint8_t *turn;   /* per paragraph: an interview turn ("((Reporter)) ...") */
};

/* Bounds [lo, hi) of the sentence of token i; any i, one past the last
 * token giving the empty sentence at the end. */
size_t sent_lo(const struct finder *f, size_t i);
size_t sent_hi(const struct finder *f, size_t i);
bool is_open(const struct finder *f, size_t i);
bool is_ly_adverb(const struct doc *d, size_t i);

/* Quotation q as a direct statement of person e reported by the verb at
 * token verb; -1 if q is taken or empty.  Returns the statement. */
int quote_add(struct finder *f, int e, int32_t q, size_t verb);

/* Reported speech over [lo, hi) (trimmed of "that" and punctuation); -1
 * if it overlaps a statement or is too short. */
int clause_add(struct finder *f, int e, size_t lo, size_t hi, size_t verb);

/* End of a clause of reported speech starting at lo. */
size_t clause_end(const struct finder *f, size_t lo);

/* Whether [lo, hi) reads as a clause rather than a bare noun phrase. */
bool looks_clausal(const struct finder *f, size_t lo, size_t hi);

/* What a reporting verb with flags vb, ending before token p, reports,
 * added as a statement of e; -1 if it reports nothing there. */
int content_after(struct finder *f, int e, size_t p, unsigned vb, size_t verb);

/* Skips a listener after "told" at token p: "the public", "The Emberly Courier",
 * "reporters", "local media"; returns the token after it. */
size_t skip_listener(const struct finder *f, size_t p);

/* Whether what a verb with flags vb ending before token p reports is a
 * quotation ("said, “…”", "said in remarks to Harbour Radio, “…”"). */
bool quote_ahead(const struct finder *f, size_t p, unsigned vb);

/* Whether token i starts ", adding ..." (or ", further saying"). */
bool participle_at(const struct finder *f, size_t i);

/* ---- orgs.c ---- */

struct org {
    char *name;
    char *parent; /* may be NULL */
};

struct orgs {
    struct org *o;
    size_t n, cap;
    struct strmap seen;
};

/* Lists the organizations named in d: in people's roles and as
 * capitalized names with an organization word ("... Department").  First
 * completes the role of each titled person without an organization from
 * what the title implies and the article names: a stated ministry for a
 * minister ("Finance Minister" -> "Ministry of Finance"), the legislature
 * a title holds ("Member of Parliament" -> "Parliament"), a body named in
 * lower case ("governor of the central bank" -> "Central Bank of X"). */
void orgs_collect(struct orgs *out, const struct doc *d, const struct acronyms *a,
                  struct people *pp);
void orgs_add(struct orgs *out, const char *name, const char *parent);
void orgs_release(struct orgs *out);

/* Tokens [lo, hi) that look like an organization name end here: the
 * first token after it (== lo if none).  Stops before a title word. */
size_t org_phrase_end(const struct doc *d, size_t lo, size_t hi);

/* ---- themes.c ---- */

struct extract_catalog;

/* The themes of cat an article's title (may be NULL) and body show, as
 * the new JSON array extract_article() returns. */
json_t *themes_match(const struct extract_catalog *cat, const char *title,
                     const char *body, size_t len);

#endif
