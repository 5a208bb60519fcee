/* harness.c - the seeded store the harnesses share, and failure reports.
 * The articles are invented for the fuzzers; they give lists, search,
 * facets and cursors rows to work on (in English, French and Chinese, so
 * that both the word and the bigram tokenizers see text). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gazette/enrich.h"
#include "gazette/ingest.h"
#include "gazette/log.h"
#include "harness.h"

static const char *const seed_articles[] = {
    "{\"title\": \"Port Authority Expands the Eastern Container Terminal\","
    " \"published\": \"2023-03-14\", \"source\": \"Harbour Daily\","
    " \"body\": \"The port authority of Belmora approved a second quay on Monday, "
    "adding six cranes and a rail siding to the eastern terminal.\\n\\n"
    "\\u201cThe expansion will double our capacity by 2026,\\u201d said Mira Olsen, "
    "director of the Logistics Department of the Ministry of Transport.\\n\\n"
    "Olsen added that the works would be paid for by harbour dues rather than "
    "taxes, and that digital economy services would follow.\"}",

    "{\"title\": \"Ministry Sets Rules for Artificial Intelligence in Public Services\","
    " \"published\": \"2023-07-02\", \"source\": \"Civic Ledger\","
    " \"url\": \"https://news.example.org/2023/ai-rules\","
    " \"body\": \"Public agencies will have to publish a register of the algorithms "
    "they use, according to Tomas Varga, deputy minister of the Ministry of Digital "
    "Affairs.\\n\\nVarga said that artificial intelligence could shorten waiting times "
    "for permits, but that every decision must remain open to appeal.\\n\\n"
    "The rules cover big data, cloud computing and the industrial internet.\"}",

    "{\"title\": \"Central Bank Holds Rates as Inflation Eases\","
    " \"published\": \"2024-01-10\", \"source\": \"Harbour Daily\","
    " \"body\": \"Governor Elena Brandt said the bank would keep its main rate at 4 per "
    "cent until prices settle.\\n\\n\\u201cWe are not yet where we want to be,\\u201d "
    "Brandt said. She added that high-quality development needed stable money.\"}",

    "{\"title\": "
    "\"\\u6570\\u5b57\\u7ecf\\u6d4e\\u89c4\\u6a21\\u7ee7\\u7eed\\u6269\\u5927\","
    " \"published\": \"2024-02-05\", \"language\": \"zh\", \"source\": \"Dongshan "
    "Herald\","
    " \"body\": \"\\u62a5\\u544a\\u663e\\u793a\\uff0c\\u6570\\u5b57\\u7ecf\\u6d4e\\u89c4"
    "\\u6a21\\u7ee7\\u7eed\\u6269\\u5927\\u3002\\n\\n\\u4eba\\u5de5\\u667a\\u80fd\\u4e0e"
    "\\u5b9e\\u4f53\\u7ecf\\u6d4e\\u878d\\u5408\\u52a0\\u6df1\\u3002\"}",

    "{\"title\": \"Le port de Lune investit dans l\\u2019\\u00e9nergie \\u00e9olienne\","
    " \"published\": \"2022-11-30\", \"language\": \"fr\", \"source\": \"Gazette du "
    "Sud\","
    " \"body\": \"La r\\u00e9gion financera douze \\u00e9oliennes au large du port.\\n\\n"
    "\\u00ab Nous visons l\\u2019autonomie \\u00e9nerg\\u00e9tique \\u00bb, a "
    "d\\u00e9clar"
    "\\u00e9 Claire Dupas, pr\\u00e9sidente du conseil r\\u00e9gional.\"}",

    "{\"title\": \"Rail Link Opens Between the Northern Cities\","
    " \"published\": \"2024-05-20\", \"source\": \"Civic Ledger\","
    " \"url\": \"https://news.example.org/2024/rail-link\","
    " \"body\": \"The first trains ran on Sunday between Kessel and Arnhal, cutting the "
    "journey to forty minutes.\\n\\nMira Olsen, director of the Logistics Department of "
    "the Ministry of Transport, said freight would follow in the autumn.\\n\\n"
    "\\u201cThis is new infrastructure for a modern industrial system,\\u201d she "
    "said.\"}",
};

void
harness_fail(const char *fmt, ...)
{
    va_list ap;

    fputs("invariant broken: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

int
harness_client_error(enum err code)
{
    unsigned status = err_http_status(code);

    return status >= 400 && status < 500;
}

static void
seed(struct store *st, struct enricher *en)
{
    for (size_t i = 0; i < sizeof(seed_articles) / sizeof(seed_articles[0]); i++) {
        struct err_info ei = {0};
        json_error_t jerr;
        enum put_outcome outcome;
        int64_t id;
        json_t *in = json_loads(seed_articles[i], 0, &jerr), *a;

        if (in == NULL)
            harness_fail("seed article %zu: %s", i, jerr.text);
        a = article_normalize(in, &ei);
        if (a == NULL || enricher_apply(en, a, &ei) != ERR_OK ||
            store_article_save(st, a, NULL, &outcome, &id, &ei) != ERR_OK)
            harness_fail("seed article %zu: %s", i, ei.detail);
        json_decref(a);
        json_decref(in);
    }
}

struct store *
harness_store(void)
{
    static struct store *st;
    struct err_info ei = {0};
    struct enricher *en;

    if (st != NULL)
        return st;
    /* the store reports what it refuses at LL_WARN; a fuzzer makes many
     * such requests, and only a crash or a broken invariant is news */
    log_threshold = LL_ERROR;
    if (store_open(":memory:", STORE_READ_WRITE, &st, &ei) != ERR_OK ||
        store_migrate(st, 0, NULL, &ei) != ERR_OK || (en = enricher_new(st, &ei)) == NULL)
        harness_fail("cannot make the in-memory store: %s", ei.detail);
    seed(st, en);
    enricher_free(en);
    return st;
}
