/* import.c - feeds the records of a reader into a store batch. */
#include "gazette/ingest.h"

static void
report(struct importer *im, const char *name, long line, const struct err_info *ei,
       enum put_outcome outcome, int64_t id)
{
    if (ei->code != ERR_OK)
        im->stats.failed++;
    else if (outcome == PUT_INSERTED)
        im->stats.inserted++;
    else if (outcome == PUT_UPDATED)
        im->stats.updated++;
    else
        im->stats.unchanged++;
    if (im->report != NULL)
        im->report(im->ctx, name, line, ei, outcome, id);
}

enum err
import_reader(struct importer *im, struct ingest_reader *r, const char *name,
              struct err_info *ei)
{
    for (;;) {
        struct err_info rec = {0};
        enum put_outcome outcome = PUT_UNCHANGED;
        json_t *raw = NULL, *article = NULL;
        int64_t id = 0;
        long line;
        enum err rc = ingest_next(r, &raw, &line, &rec);

        if (rc == ERR_IO)
            return err_set(ei, ERR_IO, "%s", rec.detail);
        if (rc == ERR_OK && raw == NULL)
            return ERR_OK;
        if (rc == ERR_OK)
            article = article_normalize(raw, &rec);
        if (article != NULL && im->enrich != NULL)
            im->enrich(im->ctx, article, &rec);
        if (article != NULL && rec.code == ERR_OK)
            store_batch_put(im->batch, article, &outcome, &id, &rec);
        report(im, name, line, &rec, outcome, id);
        json_decref(raw);
        json_decref(article);
        /* a database that cannot write stops the import; a bad record does not */
        if (rec.code == ERR_STORE || rec.code == ERR_FULL || rec.code == ERR_UNAVAILABLE)
            return err_set(ei, rec.code, "%s", rec.detail);
    }
}
