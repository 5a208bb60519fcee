/* check_extract.c - unit tests of the extractor: one test per attribution
 * pattern and per counter-example, names, titles and organizations,
 * themes, the design example (when the corpus is at hand) and hostile
 * input.  The example sentences are made up for these tests. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gazette/buf.h"
#include "gazette/enrich.h"
#include "gazette/extract.h"
#include "gazette/ingest.h"
#include "gazette/query.h"
#include "gazette/store.h"
#include "gazette/util.h"

/* ---- helpers ---- */

/* Extracts text (no catalog), failing the test on an error. */
static json_t *
run(const char *text)
{
    struct err_info ei = {0};
    json_t *out = extract_article(NULL, NULL, text, strlen(text), &ei);

    ck_assert_msg(out != NULL, "extract_article failed: %s", ei.detail);
    return out;
}

static json_t *
quotes(const json_t *res)
{
    return json_object_get(res, "quotes");
}

static const char *
str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Byte offset of code point cp in s. */
static size_t
cp_to_byte(const char *s, size_t cp)
{
    const char *p = s;

    while (cp-- > 0 && *p != '\0')
        utf8_next(&p);
    return (size_t)(p - s);
}

/* Every quote's text is the body between its start and end. */
static void
assert_offsets(const char *body, const json_t *res)
{
    size_t i, n = utf8_count(body, strlen(body));
    json_t *q;

    json_array_foreach (quotes(res), i, q) {
        json_int_t start = json_integer_value(json_object_get(q, "start"));
        json_int_t end = json_integer_value(json_object_get(q, "end"));
        size_t b0, b1;

        ck_assert_int_ge(start, 0);
        ck_assert_int_le(start, end);
        ck_assert_uint_le((size_t)end, n);
        b0 = cp_to_byte(body, (size_t)start);
        b1 = cp_to_byte(body, (size_t)end);
        ck_assert_uint_eq(b1 - b0, strlen(str(q, "text")));
        ck_assert(memcmp(body + b0, str(q, "text"), b1 - b0) == 0);
    }
}

/* The quote of res whose text is text. */
static const json_t *
quote_text(const json_t *res, const char *text)
{
    size_t i;
    json_t *q;

    json_array_foreach (quotes(res), i, q)
        if (strcmp(str(q, "text"), text) == 0)
            return q;
    ck_abort_msg("no quote \"%s\"", text);
    return NULL;
}

static const char *
org_name(const json_t *q)
{
    return str(json_object_get(q, "organization"), "name");
}

static const char *
org_parent(const json_t *q)
{
    return str(json_object_get(json_object_get(q, "organization"), "parent"), "name");
}

/* Checks speaker, title (NULL: none), organization (NULL: none) and kind
 * of the quote whose text is text. */
static void
assert_quote(const json_t *res, const char *text, const char *speaker, const char *title,
             const char *org, const char *kind)
{
    const json_t *q = quote_text(res, text);

    ck_assert_str_eq(str(json_object_get(q, "official"), "name"), speaker);
    if (title == NULL)
        ck_assert(json_is_null(json_object_get(q, "title")));
    else
        ck_assert_str_eq(str(q, "title"), title);
    if (org == NULL)
        ck_assert(json_is_null(json_object_get(q, "organization")));
    else
        ck_assert_str_eq(org_name(q), org);
    ck_assert_str_eq(str(q, "kind"), kind);
}

/* Code-point offset of needle in body. */
static json_int_t
cp_of(const char *body, const char *needle)
{
    const char *p = strstr(body, needle);

    ck_assert_ptr_nonnull(p);
    return (json_int_t)utf8_count(body, (size_t)(p - body));
}

/* ---- attribution patterns ---- */

START_TEST(according_to_name_title_of_org)
{
    const char *body =
        "The port handled record volumes last year, according to Maria "
        "Okafor, director of the Logistics Division of the Harbour Authority.";
    json_t *res = run(body);
    const json_t *q;

    ck_assert_uint_eq(json_array_size(quotes(res)), 1);
    assert_quote(res, "The port handled record volumes last year", "Maria Okafor",
                 "director", "Logistics Division", "indirect");
    q = quote_text(res, "The port handled record volumes last year");
    ck_assert_str_eq(org_parent(q), "Harbour Authority");
    ck_assert_int_eq(json_integer_value(json_object_get(q, "start")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(q, "end")), 41);
    assert_offsets(body, res);
    json_decref(res);
}
END_TEST

START_TEST(name_title_of_org_said_that)
{
    const char *body =
        "Tomas Lindqvist, chief economist of the Nordic Trade Council, said "
        "that exports would recover by spring.";
    json_t *res = run(body);

    ck_assert_uint_eq(json_array_size(quotes(res)), 1);
    assert_quote(res, "exports would recover by spring", "Tomas Lindqvist",
                 "chief economist", "Nordic Trade Council", "indirect");
    ck_assert_int_eq(
        json_integer_value(json_object_get(quote_text(res, "exports would "
                                                           "recover by spring"),
                                           "start")),
        cp_of(body, "exports"));
    assert_offsets(body, res);
    json_decref(res);
}
END_TEST

START_TEST(quote_comma_name_said)
{
    const char *body =
        "Finance Minister Maria Okafor opened the session. “We will not raise "
        "taxes,” Okafor said.";
    json_t *res = run(body);
    const json_t *q;

    ck_assert_uint_eq(json_array_size(quotes(res)), 1);
    assert_quote(res, "We will not raise taxes", "Maria Okafor", "Finance Minister", NULL,
                 "direct");
    q = quote_text(res, "We will not raise taxes");
    ck_assert_int_eq(json_integer_value(json_object_get(q, "start")),
                     cp_of(body, "We will"));
    ck_assert_int_eq(json_integer_value(json_object_get(q, "end")),
                     cp_of(body, ",” Okafor"));
    assert_offsets(body, res);
    json_decref(res);
}
END_TEST

START_TEST(quote_said_name_title)
{
    const char *body =
        "“The harbour is full,” said Piet de Vries, a spokesman for the port.";
    json_t *res = run(body);

    ck_assert_uint_eq(json_array_size(quotes(res)), 1);
    assert_quote(res, "The harbour is full", "Piet de Vries", "spokesman for the port",
                 NULL, "direct");
    assert_offsets(body, res);
    json_decref(res);
}
END_TEST

START_TEST(straight_quotes)
{
    const char *body = "\"We are ready for the season,\" Ana Silva told reporters.";
    json_t *res = run(body);

    ck_assert_uint_eq(json_array_size(quotes(res)), 1);
    assert_quote(res, "We are ready for the season", "Ana Silva", NULL, NULL, "direct");
    assert_offsets(body, res);
    json_decref(res);
}
END_TEST

START_TEST(name_said_clause)
{
    const char *body = "Ana Silva said the budget would be balanced next year.";
    json_t *res = run(body);

    ck_assert_uint_eq(json_array_size(quotes(res)), 1);
    assert_quote(res, "the budget would be balanced next year", "Ana Silva", NULL, NULL,
                 "indirect");
    assert_offsets(body, res);
    json_decref(res);
}
END_TEST

START_TEST(name_told_listener_that)
{
    const char *body = "Ana Silva told the committee that the deal was signed in March.";
    json_t *res = run(body);

    ck_assert_uint_eq(json_array_size(quotes(res)), 1);
    assert_quote(res, "the deal was signed in March", "Ana Silva", NULL, NULL,
                 "indirect");
    json_decref(res);
}
END_TEST

/* Every reporting verb of the issue, with a that-clause. */
START_TEST(speech_verbs)
{
    static const char *const verbs[] = {
        "said",      "added",     "continued", "noted",       "stated",   "explained",
        "remarked",  "commented", "announced", "claimed",     "insisted", "maintained",
        "indicated", "alleged",   "estimated", "wrote",       "tweeted",  "argued",
        "warned",    "confirmed", "suggested", "pointed out", "has said", "also noted"};

    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
        char body[200];
        json_t *res;

        snprintf(body, sizeof(body), "Ana Silva %s that the port will reopen in June.",
                 verbs[i]);
        res = run(body);
        ck_assert_msg(json_array_size(quotes(res)) == 1, "no statement with \"%s\"",
                      verbs[i]);
        assert_quote(res, "the port will reopen in June", "Ana Silva", NULL, NULL,
                     "indirect");
        json_decref(res);
    }
}
END_TEST

/* A clause before an attribution that closes the sentence is reported
 * even without an auxiliary; an adjunct before one that goes on is not. */
START_TEST(clause_before_closing_attribution)
{
    json_t *res = run("In a two-year trial at the harbour clinic, the scanner found 94 "
                      "per cent of the fractures, Karen Holt said.\n\n"
                      "In remarks to the Emberly Courier, Ana Silva wrote: “We are "
                      "ready.”");

    ck_assert_uint_eq(json_array_size(quotes(res)), 2);
    assert_quote(res,
                 "In a two-year trial at the harbour clinic, the scanner found 94 per "
                 "cent of the fractures",
                 "Karen Holt", NULL, NULL, "indirect");
    assert_quote(res, "We are ready.", "Ana Silva", NULL, NULL, "direct");
    json_decref(res);
}
END_TEST

START_TEST(urged_and_called_for)
{
    json_t *res = run("Ana Silva urged the council to approve the plan. Tomas Lindqvist "
                      "called for lower tariffs on steel.");

    ck_assert_uint_eq(json_array_size(quotes(res)), 2);
    assert_quote(res, "the council to approve the plan", "Ana Silva", NULL, NULL,
                 "indirect");
    assert_quote(res, "lower tariffs on steel", "Tomas Lindqvist", NULL, NULL,
                 "indirect");
    json_decref(res);
}
END_TEST

START_TEST(titles_before_names)
{
    json_t *res =
        run("Premier Li Qiang said the economy grew steadily. Finance Minister "
            "Karen Holt said revenue rose. NTC trade commissioner Joseph Banda said "
            "tariffs would fall.");

    ck_assert_uint_eq(json_array_size(quotes(res)), 3);
    assert_quote(res, "the economy grew steadily", "Li Qiang", "Premier", NULL,
                 "indirect");
    assert_quote(res, "revenue rose", "Karen Holt", "Finance Minister", NULL, "indirect");
    assert_quote(res, "tariffs would fall", "Joseph Banda", "trade commissioner", "NTC",
                 "indirect");
    json_decref(res);
}
END_TEST

START_TEST(quotation_over_paragraphs)
{
    const char *body = "Karen Holt presented the plan on Monday.\n\n"
                       "“The first stage is ready and funded.\n\n"
                       "“The second stage will follow next year,” she said.";
    json_t *res = run(body);

    ck_assert_uint_eq(json_array_size(quotes(res)), 2);
    assert_quote(res, "The first stage is ready and funded.", "Karen Holt", NULL, NULL,
                 "direct");
    assert_quote(res, "The second stage will follow next year", "Karen Holt", NULL, NULL,
                 "direct");
    assert_offsets(body, res);
    json_decref(res);
}
END_TEST

START_TEST(follow_ups)
{
    const char *body =
        "Liang Mingde, head of the Data Bureau, opened the forum.\n\n"
        "Liang said the rules would change. Mr Liang added that fines would "
        "rise. He said inspections would start in May.";
    json_t *res = run(body);

    ck_assert_uint_eq(json_array_size(quotes(res)), 3);
    assert_quote(res, "the rules would change", "Liang Mingde", "head", "Data Bureau",
                 "indirect");
    assert_quote(res, "fines would rise", "Liang Mingde", "head", "Data Bureau",
                 "indirect");
    assert_quote(res, "inspections would start in May", "Liang Mingde", "head",
                 "Data Bureau", "indirect");
    json_decref(res);
}
END_TEST

START_TEST(title_follow_up)
{
    json_t *res =
        run("Finance Minister Karen Holt presented the budget. The minister said "
            "spending would fall.");

    ck_assert_uint_eq(json_array_size(quotes(res)), 1);
    assert_quote(res, "spending would fall", "Karen Holt", "Finance Minister", NULL,
                 "indirect");
    json_decref(res);
}
END_TEST

START_TEST(interrupted_quotation)
{
    const char *body = "“Trade will grow,” wrote Karen Holt, “and jobs will follow.”";
    json_t *res = run(body);

    ck_assert_uint_eq(json_array_size(quotes(res)), 2);
    assert_quote(res, "Trade will grow", "Karen Holt", NULL, NULL, "direct");
    assert_quote(res, "and jobs will follow.", "Karen Holt", NULL, NULL, "direct");
    assert_offsets(body, res);
    json_decref(res);
}
END_TEST

START_TEST(interrupted_without_comma_and_adverb)
{
    const char *body =
        "“We are ready” tweeted Karen Holt “to help the harbour.” Ana Silva "
        "has said openly the port should stay open.";
    json_t *res = run(body);

    ck_assert_uint_eq(json_array_size(quotes(res)), 3);
    assert_quote(res, "We are ready", "Karen Holt", NULL, NULL, "direct");
    assert_quote(res, "to help the harbour.", "Karen Holt", NULL, NULL, "direct");
    assert_quote(res, "the port should stay open", "Ana Silva", NULL, NULL, "indirect");
    assert_offsets(body, res);
    json_decref(res);
}
END_TEST

START_TEST(quoted_fragment_is_direct)
{
    json_t *res =
        run("Ana Silva called the proposal a “reckless gamble” with public money.");

    ck_assert_uint_eq(json_array_size(quotes(res)), 1);
    assert_quote(res, "the proposal a “reckless gamble” with public money", "Ana Silva",
                 NULL, NULL, "direct");
    json_decref(res);
}
END_TEST

START_TEST(quoted_name_stays_indirect)
{
    json_t *res = run("The “Green Corridor” programme has doubled freight, according to "
                      "Ana Silva, head of planning.");

    ck_assert_uint_eq(json_array_size(quotes(res)), 1);
    assert_quote(res, "The “Green Corridor” programme has doubled freight", "Ana Silva",
                 "head of planning", NULL, "indirect");
    json_decref(res);
}
END_TEST

/* ---- counter-examples ---- */

START_TEST(pronoun_without_antecedent)
{
    json_t *res = run("He said the plan was ready. She added that it was funded.");

    ck_assert_uint_eq(json_array_size(quotes(res)), 0);
    json_decref(res);
}
END_TEST

START_TEST(organization_is_no_person)
{
    json_t *res =
        run("The ministry said exports rose. The Harbour Authority said the port "
            "was closed. Nordic Shipping Company announced that it would merge.");

    ck_assert_uint_eq(json_array_size(quotes(res)), 0);
    json_decref(res);
}
END_TEST

START_TEST(publication_is_no_person)
{
    json_t *res = run("Nordwire reported that the talks failed. According to The Emberly "
                      "Courier, the talks failed. Calloway said the talks failed.");

    ck_assert_uint_eq(json_array_size(quotes(res)), 0);
    json_decref(res);
}
END_TEST

START_TEST(unnamed_people)
{
    json_t *res = run("Officials said the bridge was unsafe. A spokesperson said repairs "
                      "would start soon. Critics claimed the delay was avoidable.");

    ck_assert_uint_eq(json_array_size(quotes(res)), 0);
    json_decref(res);
}
END_TEST

START_TEST(negated_and_passive_verbs)
{
    json_t *res = run("Ana Silva did not say whether the port would reopen. The plan was "
                      "announced by Ana Silva. Ana Silva declined to say more.");

    ck_assert_uint_eq(json_array_size(quotes(res)), 0);
    json_decref(res);
}
END_TEST

START_TEST(bare_noun_object)
{
    json_t *res =
        run("Ana Silva announced her resignation. Tomas Lindqvist commented on the "
            "agreement.");

    ck_assert_uint_eq(json_array_size(quotes(res)), 0);
    json_decref(res);
}
END_TEST

/* ---- names, titles, organizations ---- */

START_TEST(honorifics_dropped)
{
    json_t *res =
        run("Dr. Helen Park said the vaccine was safe. Prof Omar Haddad said the "
            "trial was large.");

    assert_quote(res, "the vaccine was safe", "Helen Park", NULL, NULL, "indirect");
    assert_quote(res, "the trial was large", "Omar Haddad", NULL, NULL, "indirect");
    json_decref(res);
}
END_TEST

START_TEST(fullest_name_wins)
{
    json_t *res =
        run("Holt said costs fell in the spring. Finance Minister Karen Holt later "
            "said that they fell further.");

    ck_assert_uint_eq(json_array_size(quotes(res)), 2);
    assert_quote(res, "costs fell in the spring", "Karen Holt", "Finance Minister", NULL,
                 "indirect");
    json_decref(res);
}
END_TEST

START_TEST(acronym_expanded)
{
    json_t *res =
        run("The African Trade Union (ATU) met on Monday. ATU trade commissioner "
            "Joseph Banda announced that tariffs would fall.");

    assert_quote(res, "tariffs would fall", "Joseph Banda", "trade commissioner",
                 "African Trade Union", "indirect");
    json_decref(res);
}
END_TEST

START_TEST(acronym_is_no_function_word)
{
    json_t *res = run("US Trade Representative Karen Holt said the talks would resume. "
                      "WHO Director-General Omar Haddad said the outbreak was over.");

    assert_quote(res, "the talks would resume", "Karen Holt", "Trade Representative",
                 "US", "indirect");
    assert_quote(res, "the outbreak was over", "Omar Haddad", "Director-General", "WHO",
                 "indirect");
    json_decref(res);
}
END_TEST

START_TEST(title_word_heads_department)
{
    json_t *res = run("“We are open,” said Tomas Lindqvist, director of the Trade "
                      "Remedies Department of the Ministry of Commerce.");
    const json_t *q;

    assert_quote(res, "We are open", "Tomas Lindqvist", "director",
                 "Trade Remedies Department", "direct");
    q = quote_text(res, "We are open");
    ck_assert_str_eq(org_parent(q), "Ministry of Commerce");
    json_decref(res);
}
END_TEST

/* A minister's ministry only when the article names it; a prime minister
 * has none. */
START_TEST(stated_ministry)
{
    json_t *res =
        run("The Ministry of Foreign Affairs on Monday published its review. "
            "Foreign Minister Ana Silva said the embassy would reopen. Defence "
            "Minister Tomas Lindqvist said the base would close. Prime Minister "
            "Karen Holt said both were right.");
    json_t *orgs = json_object_get(res, "organizations"), *o;
    size_t i;

    assert_quote(res, "the embassy would reopen", "Ana Silva", "Foreign Minister",
                 "Ministry of Foreign Affairs", "indirect");
    assert_quote(res, "the base would close", "Tomas Lindqvist", "Defence Minister", NULL,
                 "indirect");
    assert_quote(res, "both were right", "Karen Holt", "Prime Minister", NULL,
                 "indirect");
    /* "on Monday" is no part of the name */
    json_array_foreach (orgs, i, o)
        ck_assert(strstr(str(o, "name"), "Monday") == NULL);
    json_decref(res);
}
END_TEST

START_TEST(body_in_title)
{
    json_t *res = run("Senate Majority Leader Karen Holt said the vote would be held. "
                      "MP Ana Silva said she would vote against. Member of Parliament "
                      "Tomas Lindqvist said he would abstain.");

    assert_quote(res, "the vote would be held", "Karen Holt", "Senate Majority Leader",
                 "Senate", "indirect");
    assert_quote(res, "she would vote against", "Ana Silva", "MP", "Parliament",
                 "indirect");
    assert_quote(res, "he would abstain", "Tomas Lindqvist", "Member of Parliament",
                 "Parliament", "indirect");
    json_decref(res);
}
END_TEST

/* "governor of the central bank" is the Central Bank the article names. */
/* A quotation after "of" and a gerund is no organization's name. */
START_TEST(of_gerund_is_no_organization)
{
    json_t *res = run("Karen Holt accused Tomas Lindqvist of ignoring “the facts on the "
                      "quay”. Lindqvist said the port was safe.");

    assert_quote(res, "the port was safe", "Tomas Lindqvist", NULL, NULL, "indirect");
    json_decref(res);
}
END_TEST

START_TEST(coordinated_titles)
{
    json_t *res = run("Deputy Minister of Industry and Technology Ana Silva said the "
                      "licences would be renewed.");

    assert_quote(res, "the licences would be renewed", "Ana Silva",
                 "Deputy Minister of Industry and Technology", NULL, "indirect");
    json_decref(res);
}
END_TEST

START_TEST(body_in_lower_case)
{
    json_t *res =
        run("The Central Bank of Emberly kept its rate at 3 per cent. Ana Silva, "
            "deputy governor of the central bank, said inflation had peaked.");

    assert_quote(res, "inflation had peaked", "Ana Silva", "deputy governor",
                 "Central Bank of Emberly", "indirect");
    json_decref(res);
}
END_TEST

/* Whether res lists an organization named name. */
static bool
lists_org(const json_t *res, const char *name)
{
    size_t i;
    json_t *o;

    json_array_foreach (json_object_get(res, "organizations"), i, o)
        if (strcmp(str(o, "name"), name) == 0)
            return true;
    return false;
}

START_TEST(organizations_end_and_split)
{
    json_t *res =
        run("The Ministry of Transport and the Ministry of Foreign Affairs met. The "
            "Emberly Energy Regulator on Friday fined the Kessel Power Company.");

    ck_assert(lists_org(res, "Ministry of Transport"));
    ck_assert(lists_org(res, "Ministry of Foreign Affairs"));
    ck_assert(lists_org(res, "Emberly Energy Regulator"));
    ck_assert(lists_org(res, "Kessel Power Company"));
    ck_assert_uint_eq(json_array_size(json_object_get(res, "organizations")), 4);
    json_decref(res);
}
END_TEST

START_TEST(organizations_listed)
{
    json_t *res = run("Maria Okafor, director of the Logistics Division of the Harbour "
                      "Authority, said the port was full.");
    json_t *orgs = json_object_get(res, "organizations"), *o;
    size_t i;
    bool division = false, authority = false;

    json_array_foreach (orgs, i, o) {
        const char *parent = str(json_object_get(o, "parent"), "name");

        if (strcmp(str(o, "name"), "Logistics Division") == 0)
            division = parent != NULL && strcmp(parent, "Harbour Authority") == 0;
        if (strcmp(str(o, "name"), "Harbour Authority") == 0)
            authority = json_is_null(json_object_get(o, "parent"));
    }
    ck_assert(division && authority);
    json_decref(res);
}
END_TEST

/* ---- themes ---- */

static struct extract_catalog *
test_catalog(void)
{
    struct err_info ei = {0};
    json_t *themes =
        json_pack("[{s:s, s:s, s:[s, s]}, {s:s, s:s, s:s}, {s:s, s:s, s:[s]}, {s:s, s:s, "
                  "s:[s, s]}]",
                  "slug", "industry", "name", "Industry", "keywords", "industry",
                  "high-quality development", "slug", "trade", "name", "Trade",
                  "keywords", "[\"trade\", \"tariff\"]", "slug", "energy", "name",
                  "Energy", "keywords", "electricity", "slug", "government", "name",
                  "Government", "keywords", "minister", "prime minister");
    struct extract_catalog *cat = extract_catalog_new(themes, &ei);

    ck_assert_msg(cat != NULL, "%s", ei.detail);
    json_decref(themes);
    return cat;
}

/* The theme of res with slug, or NULL. */
static const json_t *
theme(const json_t *res, const char *slug)
{
    size_t i;
    json_t *t;

    json_array_foreach (json_object_get(res, "themes"), i, t)
        if (strcmp(str(t, "slug"), slug) == 0)
            return t;
    return NULL;
}

START_TEST(themes_plurals_hyphens_and_evidence)
{
    struct extract_catalog *cat = test_catalog();
    struct err_info ei = {0};
    const char *body =
        "Traditional industries grew. Officials want high quality "
        "development. The trademark dispute and the electricity bill went on.";
    json_t *res = extract_article(cat, "A plan for industry", body, strlen(body), &ei);
    const json_t *t;

    ck_assert_ptr_nonnull(res);
    t = theme(res, "industry");
    ck_assert_ptr_nonnull(t);
    /* title 3, the word "industries" 0.5, the phrase "high quality development" 1 */
    ck_assert_double_eq_tol(json_real_value(json_object_get(t, "score")), 4.5, 1e-9);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(t, "matches"), 0)),
                     "industry");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(t, "matches"), 1)),
                     "high-quality development");
    /* "trademark" is no "trade"; one body hit of "electricity" is too weak */
    ck_assert_ptr_null(theme(res, "trade"));
    ck_assert_ptr_null(theme(res, "energy"));
    json_decref(res);
    extract_catalog_free(cat);
}
END_TEST

START_TEST(themes_need_enough_evidence)
{
    struct extract_catalog *cat = test_catalog();
    struct err_info ei = {0};
    const char *weak = "New tariffs hit trade.";
    const char *strong = "New tariffs hit trade. Trade fell as tariffs rose.";
    json_t *res = extract_article(cat, NULL, weak, strlen(weak), &ei);

    ck_assert_ptr_null(theme(res, "trade")); /* two single words: 1.0 */
    json_decref(res);
    res = extract_article(cat, NULL, strong, strlen(strong), &ei);
    ck_assert_ptr_nonnull(theme(res, "trade")); /* four: 2.0 */
    json_decref(res);
    extract_catalog_free(cat);
}
END_TEST

START_TEST(themes_longest_phrase)
{
    struct extract_catalog *cat = test_catalog();
    struct err_info ei = {0};
    const char *body = "The prime minister spoke. Later the prime minister left.";
    json_t *res = extract_article(cat, NULL, body, strlen(body), &ei);
    const json_t *t = theme(res, "government");
    json_t *matches;

    ck_assert_ptr_nonnull(t);
    /* "prime minister" twice, and no "minister" inside it */
    ck_assert_double_eq_tol(json_real_value(json_object_get(t, "score")), 2.0, 1e-9);
    matches = json_object_get(t, "matches");
    ck_assert_uint_eq(json_array_size(matches), 1);
    ck_assert_str_eq(json_string_value(json_array_get(matches, 0)), "prime minister");
    json_decref(res);
    extract_catalog_free(cat);
}
END_TEST

/* Whether extract_themes() gives what extract_article() gives as
 * "themes" for the same text. */
static void
assert_same_themes(const struct extract_catalog *cat, const char *title, const char *body,
                   size_t len)
{
    struct err_info ei = {0};
    json_t *full = extract_article(cat, title, body, len, &ei);
    json_t *only = extract_themes(cat, title, body, len, &ei);

    ck_assert_ptr_nonnull(full);
    ck_assert_ptr_nonnull(only);
    ck_assert_msg(json_equal(json_object_get(full, "themes"), only),
                  "themes differ for \"%.60s\"", body);
    json_decref(full);
    json_decref(only);
}

static struct extract_catalog *default_catalog(void);

START_TEST(themes_only)
{
    static const char *const bodies[] = {
        "Traditional industries grew. Officials want high quality development.",
        "New tariffs hit trade. Trade fell as tariffs rose.",
        "The prime minister spoke. Later the prime minister left.",
        "",
        "The Port Emberly Harbour Authority expects container traffic to grow, as "
        "digital customs checks and artificial intelligence cut waiting times. "
        "“The digital economy is changing how a port works,” Ines Halvorsen said.",
    };
    struct extract_catalog *cat = test_catalog(), *dflt = default_catalog();
    struct err_info ei = {0};
    json_t *res;

    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        assert_same_themes(cat, "A plan for industry", bodies[i], strlen(bodies[i]));
        assert_same_themes(dflt, "Digital customs at the port", bodies[i],
                           strlen(bodies[i]));
        assert_same_themes(dflt, NULL, bodies[i], strlen(bodies[i]));
        assert_same_themes(NULL, NULL, bodies[i], strlen(bodies[i]));
    }
    res = extract_themes(cat, "Industry", "Industry and trade.", 19, &ei);
    ck_assert(json_is_array(res));
    ck_assert_uint_eq(json_array_size(res), 1);
    json_decref(res);
    res = extract_themes(NULL, NULL, NULL, 0, &ei);
    ck_assert(json_is_array(res) && json_array_size(res) == 0);
    json_decref(res);
    ck_assert_ptr_null(extract_themes(cat, NULL, "Trade \xC3\x28 fell.", 15, &ei));
    ck_assert_int_eq(ei.code, ERR_INVALID);
    err_clear(&ei);
    ck_assert_ptr_null(extract_themes(cat, "Bad \xFF title", "Trade.", 6, &ei));
    ck_assert_int_eq(ei.code, ERR_INVALID);
    extract_catalog_free(cat);
    extract_catalog_free(dflt);
}
END_TEST

/* The same over every article of the corpus, when it is at hand. */
START_TEST(themes_only_corpus)
{
    const char *dir = getenv("GAZETTE_CORPUS");
    char path[4096], *line = NULL;
    size_t cap = 0, n = 0;
    struct extract_catalog *cat;
    FILE *f;

    if (dir == NULL)
        return;
    snprintf(path, sizeof(path), "%s/articles.ndjson", dir);
    if ((f = fopen(path, "rb")) == NULL) {
        fprintf(stderr, "# themes over the corpus skipped: no %s\n", path);
        return;
    }
    cat = default_catalog();
    while (getline(&line, &cap, f) > 0) {
        json_t *art = json_loads(line, 0, NULL);
        const char *body = str(art, "body");

        if (body != NULL) {
            assert_same_themes(cat, str(art, "title"), body, strlen(body));
            n++;
        }
        json_decref(art);
    }
    ck_assert_uint_gt(n, 0);
    free(line);
    fclose(f);
    extract_catalog_free(cat);
}
END_TEST

START_TEST(catalog_errors)
{
    struct err_info ei = {0};
    json_t *bad = json_pack("{s:s}", "slug", "x");

    ck_assert_ptr_null(extract_catalog_new(bad, &ei));
    ck_assert_int_eq(ei.code, ERR_INVALID);
    json_decref(bad);
    err_clear(&ei);
    bad = json_pack("[{s:s}]", "name", "No slug");
    ck_assert_ptr_null(extract_catalog_new(bad, &ei));
    ck_assert_int_eq(ei.code, ERR_INVALID);
    json_decref(bad);
    err_clear(&ei);
    bad = json_pack("[{s:s, s:[i]}]", "slug", "x", "keywords", 3);
    ck_assert_ptr_null(extract_catalog_new(bad, &ei));
    ck_assert_int_eq(ei.code, ERR_INVALID);
    json_decref(bad);
    extract_catalog_free(NULL);
}
END_TEST

/* ---- the design example ---- */

/* The default catalog, as the migrations install it. */
static struct extract_catalog *
default_catalog(void)
{
    struct err_info ei = {0};
    json_t *themes = enricher_default_themes(&ei);
    struct extract_catalog *cat;

    ck_assert_msg(themes != NULL, "%s", ei.detail);
    ck_assert_uint_eq(json_array_size(themes), 33);
    cat = extract_catalog_new(themes, &ei);
    ck_assert_ptr_nonnull(cat);
    json_decref(themes);
    return cat;
}

/* Reads the corpus's seed file, or returns NULL when there is no corpus. */
static json_t *
seed_article(void)
{
    const char *dir = getenv("GAZETTE_CORPUS");
    char path[4096];
    struct buf b;
    char chunk[4096];
    size_t n;
    FILE *f;
    struct err_info ei = {0};
    json_t *art;

    if (dir == NULL)
        return NULL;
    snprintf(path, sizeof(path), "%s/raw/000_seed.txt", dir);
    if ((f = fopen(path, "rb")) == NULL)
        return NULL;
    buf_init(&b);
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        buf_add(&b, chunk, n);
    fclose(f);
    art = raw_parse(b.data, b.len, &ei);
    buf_release(&b);
    ck_assert_msg(art != NULL, "%s", ei.detail);
    return art;
}

/* The corpus's annotation of the seed's statement (quotes-dev.ndjson), or
 * NULL when there is none. */
static json_t *
seed_gold(void)
{
    const char *dir = getenv("GAZETTE_CORPUS");
    char path[4096], *line = NULL;
    size_t cap = 0;
    json_t *gold = NULL;
    FILE *f;

    if (dir == NULL)
        return NULL;
    snprintf(path, sizeof(path), "%s/quotes-dev.ndjson", dir);
    if ((f = fopen(path, "rb")) == NULL)
        return NULL;
    while (gold == NULL && getline(&line, &cap, f) > 0) {
        json_t *rec = json_loads(line, 0, NULL);

        if (rec != NULL &&
            strcmp(str(rec, "article_id") ? str(rec, "article_id") : "", "seed-000") == 0)
            gold = json_incref(rec);
        json_decref(rec);
    }
    free(line);
    fclose(f);
    return gold;
}

/* The design example gives the annotated statement: the same speaker,
 * text and offsets; the title without its department, which becomes the
 * organization, with the annotated organization as its parent.  The
 * expected values are read from the corpus, never copied here. */
START_TEST(design_example)
{
    json_t *art = seed_article(), *gold = seed_gold(), *res;
    struct extract_catalog *cat;
    struct err_info ei = {0};
    const char *body, *gold_title;
    const json_t *q;
    static const char *const themes[] = {"digital-economy", "artificial-intelligence",
                                         "new-industrialization",
                                         "technological-innovation"};

    if (art == NULL || gold == NULL) {
        fprintf(stderr, "# design example skipped: no corpus at $GAZETTE_CORPUS\n");
        json_decref(art);
        json_decref(gold);
        return;
    }
    cat = default_catalog();
    body = str(art, "body");
    res = extract_article(cat, str(art, "title"), body, strlen(body), &ei);
    ck_assert_ptr_nonnull(res);
    ck_assert_uint_eq(json_array_size(quotes(res)), 1);
    q = json_array_get(quotes(res), 0);
    ck_assert_str_eq(str(json_object_get(q, "official"), "name"), str(gold, "speaker"));
    ck_assert_str_eq(str(q, "text"), str(gold, "quote"));
    ck_assert_int_eq(json_integer_value(json_object_get(q, "start")),
                     json_integer_value(json_object_get(gold, "start")));
    ck_assert_int_eq(json_integer_value(json_object_get(q, "end")),
                     json_integer_value(json_object_get(gold, "end")));
    ck_assert_str_eq(str(q, "kind"), str(gold, "kind"));
    /* gold title "TITLE of the DEPARTMENT", organization the parent */
    gold_title = str(gold, "title");
    ck_assert(strncmp(gold_title, str(q, "title"), strlen(str(q, "title"))) == 0);
    ck_assert_ptr_nonnull(strstr(gold_title, org_name(q)));
    ck_assert_str_eq(org_parent(q), str(gold, "organization"));
    assert_offsets(body, res);
    for (size_t i = 0; i < sizeof(themes) / sizeof(themes[0]); i++)
        ck_assert_msg(theme(res, themes[i]) != NULL, "theme %s missing", themes[i]);
    json_decref(res);
    json_decref(art);
    json_decref(gold);
    extract_catalog_free(cat);
}
END_TEST

/* ---- hostile input ---- */

START_TEST(empty_text)
{
    struct err_info ei = {0};
    json_t *res = extract_article(NULL, NULL, "", 0, &ei);

    ck_assert_ptr_nonnull(res);
    ck_assert_uint_eq(json_array_size(quotes(res)), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(res, "organizations")), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(res, "themes")), 0);
    json_decref(res);
    res = extract_article(NULL, NULL, NULL, 0, &ei);
    ck_assert_ptr_nonnull(res);
    json_decref(res);
}
END_TEST

START_TEST(unbalanced_quotes)
{
    static const char *const bodies[] = {
        "Ana Silva said, “the port is open.\n\nNothing else happened.",
        "“”“”\"\"\" said Ana Silva, \"",
        "Ana Silva said \"",
        "”Backwards,“ Ana Silva said. “",
        "\"\n\n\"\n\n\"",
    };

    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        json_t *res = run(bodies[i]);

        assert_offsets(bodies[i], res);
        json_decref(res);
    }
}
END_TEST

/* A reporting verb, "that", a comma, an attribution or "and" as the very
 * last token: the clause after it starts past the text, and must be found
 * empty rather than looked up in the sentence of a token that does not
 * exist (found by fuzz_extract with "D E said that", and with a clause
 * ending in "and": reads past the token array, a crash or garbage
 * depending on what lay there).  After a paragraph of every length up to
 * a few token-array sizes, so that the last token also fills the array
 * exactly once, and AddressSanitizer sees the read. */
START_TEST(attribution_at_the_end)
{
    static const char *const ends[] = {"Ana Silva said that",
                                       "Ana Silva said,",
                                       "Ana Silva told,",
                                       "Ana Silva said in Rome, and",
                                       "The port is open, according to Ana Silva,",
                                       "Ana Silva said the port was open and"};

    for (size_t k = 0; k < sizeof(ends) / sizeof(ends[0]); k++) {
        struct buf body;

        buf_init(&body);
        buf_adds(&body, "Rain");
        for (int n = 0; n < 140; n++) {
            size_t len = body.len;
            json_t *res;

            buf_addf(&body, "\n\n%s", ends[k]);
            res = run(body.data);
            assert_offsets(body.data, res);
            json_decref(res);
            body.len = len;
            body.data[len] = '\0';
            buf_adds(&body, " a"); /* short words: more tokens than bytes / 4 */
        }
        buf_release(&body);
    }
}
END_TEST

static double
seconds_since(const struct timespec *t0)
{
    struct timespec t1;

    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A text of at least len bytes repeating piece, in one paragraph. */
static char *
repeated(const char *piece, size_t len)
{
    struct buf b;

    buf_init(&b);
    while (b.len < len)
        buf_adds(&b, piece);
    return buf_detach(&b, NULL);
}

START_TEST(megabyte_paragraphs)
{
    static const char *const pieces[] = {
        "Ana Silva said the plan \"works\" and Karen Holt added, \"it does\", he said ",
        "\"said, \"said, \"said \"",
        "said said said Ana Silva Karen Holt Mr Liang ",
        "(((A B C D E F G H I J K L M N O P Q R S T U V W X Y Z ",
        "according to Ana Silva, director of the Office of the Board of the Agency of ",
        "x",
    };

    for (size_t i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++) {
        char *body = repeated(pieces[i], 1 << 20);
        struct timespec t0;
        json_t *res;

        clock_gettime(CLOCK_MONOTONIC, &t0);
        res = run(body);
        /* well under a second in an optimized build; sanitizers are slower */
        ck_assert_msg(seconds_since(&t0) < 5.0, "piece %zu took %.2fs", i,
                      seconds_since(&t0));
        json_decref(res);
        free(body);
    }
}
END_TEST

START_TEST(invalid_utf8)
{
    struct err_info ei = {0};
    static const char bad[] = "Ana Silva said \xC3\x28 the port is open.";
    static const char nul[] = "Ana Silva said\0 the port is open.";

    ck_assert_ptr_null(extract_article(NULL, NULL, bad, sizeof(bad) - 1, &ei));
    ck_assert_int_eq(ei.code, ERR_INVALID);
    ck_assert(strstr(ei.detail, "UTF-8") != NULL);
    err_clear(&ei);
    ck_assert_ptr_null(extract_article(NULL, NULL, nul, sizeof(nul) - 1, &ei));
    ck_assert_int_eq(ei.code, ERR_INVALID);
    err_clear(&ei);
    ck_assert_ptr_null(extract_article(NULL, "Bad \xFF title", "Text.", 5, &ei));
    ck_assert_int_eq(ei.code, ERR_INVALID);
}
END_TEST

/* Random texts from fragments that stress the rules: no crash, offsets
 * always inside the text and matching it. */
START_TEST(random_texts)
{
    static const char *const frags[] = {
        "Ana",
        "Silva",
        "said",
        ",",
        ".",
        " ",
        "\"",
        "“",
        "”",
        "\n\n",
        "the",
        "Mr",
        "according to",
        "of the",
        "Ministry",
        "director",
        "he",
        "she",
        "told",
        "(",
        ")",
        "'s",
        "—",
        "é",
        "Ł",
        "中文",
        "added",
        "that",
        "Dr.",
        "U.S.",
        ":",
        ";",
        "and",
    };
    unsigned seed = 12345;

    for (int round = 0; round < 2000; round++) {
        struct buf b;
        int words;

        buf_init(&b);
        seed = seed * 1103515245u + 12345u;
        words = (int)(seed >> 16) % 60;
        for (int w = 0; w < words; w++) {
            seed = seed * 1103515245u + 12345u;
            buf_adds(&b, frags[(seed >> 16) % (sizeof(frags) / sizeof(frags[0]))]);
            if ((seed >> 8) % 3)
                buf_addc(&b, ' ');
        }
        json_t *res = run(b.data);

        assert_offsets(b.data, res);
        json_decref(res);
        buf_release(&b);
    }
}
END_TEST

struct thread_job {
    const struct extract_catalog *cat;
    const char *body;
    char *dump;
};

static void *
thread_run(void *arg)
{
    struct thread_job *job = arg;
    struct err_info ei = {0};
    json_t *res = NULL;

    for (int i = 0; i < 50; i++) {
        json_decref(res);
        res = extract_article(job->cat, "Industry", job->body, strlen(job->body), &ei);
    }
    job->dump = json_dumps(res, JSON_SORT_KEYS);
    json_decref(res);
    return NULL;
}

START_TEST(threads_share_a_catalog)
{
    struct extract_catalog *cat = test_catalog();
    const char *body =
        "Karen Holt said industry and trade would grow. “Tariffs fall,” she "
        "added.";
    struct thread_job jobs[4];
    pthread_t th[4];

    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct thread_job){cat, body, NULL};
        ck_assert_int_eq(pthread_create(&th[i], NULL, thread_run, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 1; i < 4; i++)
        ck_assert_str_eq(jobs[i].dump, jobs[0].dump);
    for (int i = 0; i < 4; i++)
        free(jobs[i].dump);
    extract_catalog_free(cat);
}
END_TEST

static Suite *
extract_suite(void)
{
    Suite *s = suite_create("extract");
    TCase *patterns = tcase_create("patterns"), *against = tcase_create("counter");
    TCase *names = tcase_create("names"), *themes = tcase_create("themes");
    TCase *safety = tcase_create("safety");

    tcase_add_test(patterns, according_to_name_title_of_org);
    tcase_add_test(patterns, name_title_of_org_said_that);
    tcase_add_test(patterns, quote_comma_name_said);
    tcase_add_test(patterns, quote_said_name_title);
    tcase_add_test(patterns, straight_quotes);
    tcase_add_test(patterns, name_said_clause);
    tcase_add_test(patterns, name_told_listener_that);
    tcase_add_test(patterns, speech_verbs);
    tcase_add_test(patterns, urged_and_called_for);
    tcase_add_test(patterns, clause_before_closing_attribution);
    tcase_add_test(patterns, titles_before_names);
    tcase_add_test(patterns, quotation_over_paragraphs);
    tcase_add_test(patterns, follow_ups);
    tcase_add_test(patterns, title_follow_up);
    tcase_add_test(patterns, interrupted_quotation);
    tcase_add_test(patterns, interrupted_without_comma_and_adverb);
    tcase_add_test(patterns, quoted_fragment_is_direct);
    tcase_add_test(patterns, quoted_name_stays_indirect);
    tcase_add_test(patterns, design_example);
    tcase_add_test(against, pronoun_without_antecedent);
    tcase_add_test(against, organization_is_no_person);
    tcase_add_test(against, publication_is_no_person);
    tcase_add_test(against, unnamed_people);
    tcase_add_test(against, negated_and_passive_verbs);
    tcase_add_test(against, bare_noun_object);
    tcase_add_test(names, honorifics_dropped);
    tcase_add_test(names, fullest_name_wins);
    tcase_add_test(names, acronym_expanded);
    tcase_add_test(names, organizations_listed);
    tcase_add_test(names, acronym_is_no_function_word);
    tcase_add_test(names, title_word_heads_department);
    tcase_add_test(names, stated_ministry);
    tcase_add_test(names, body_in_title);
    tcase_add_test(names, body_in_lower_case);
    tcase_add_test(names, coordinated_titles);
    tcase_add_test(names, of_gerund_is_no_organization);
    tcase_add_test(names, organizations_end_and_split);
    tcase_add_test(themes, themes_plurals_hyphens_and_evidence);
    tcase_add_test(themes, themes_need_enough_evidence);
    tcase_add_test(themes, themes_longest_phrase);
    tcase_add_test(themes, catalog_errors);
    tcase_add_test(themes, themes_only);
    tcase_add_test(themes, themes_only_corpus);
    tcase_add_test(safety, empty_text);
    tcase_add_test(safety, unbalanced_quotes);
    tcase_add_test(safety, attribution_at_the_end);
    tcase_add_test(safety, megabyte_paragraphs);
    tcase_add_test(safety, invalid_utf8);
    tcase_add_test(safety, random_texts);
    tcase_add_test(safety, threads_share_a_catalog);
    tcase_set_timeout(safety, 120);
    tcase_set_timeout(patterns, 30);
    suite_add_tcase(s, patterns);
    suite_add_tcase(s, against);
    suite_add_tcase(s, names);
    suite_add_tcase(s, themes);
    suite_add_tcase(s, safety);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(extract_suite());
    int failed;

    srunner_set_tap(sr, "-");
    srunner_run_all(sr, CK_SILENT);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
