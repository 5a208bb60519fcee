/* import.c - feeds the records of a reader into a store batch.
 *
 * Each record is prepared (read, normalized and completed by extraction)
 * and then stored.  With im->pipeline, a second thread prepares records
 * while the calling thread stores the ones before them, in order, through
 * a short queue: on two cores, extraction and SQLite then run side by
 * side. */
#include <pthread.h>

#include "gazette/ingest.h"

/* A record on its way: ready to be stored when rc is ERR_OK and article is
 * set, a bad record when rec says so, the end when last. */
struct prepared {
    json_t *raw, *article;
    struct article_digests digests;
    long line;
    uint64_t offset; /* input consumed up to its end */
    struct err_info rec;
    enum err rc;
    bool last;
};

static void
prepare(struct importer *im, struct ingest_reader *r, struct prepared *p)
{
    *p = (struct prepared){0};
    p->rc = ingest_next(r, &p->raw, &p->line, &p->rec);
    p->offset = ingest_offset(r);
    p->last = p->rc == ERR_IO || (p->rc == ERR_OK && p->raw == NULL);
    if (p->last)
        return;
    if (p->rc == ERR_OK)
        p->article = article_normalize(p->raw, &p->rec);
    if (p->article != NULL && im->enrich != NULL)
        im->enrich(im->ctx, p->article, &p->rec);
    if (p->article != NULL && p->rec.code == ERR_OK)
        store_article_digests(p->article, &p->digests);
}

/* Stores a prepared record and reports it; releases what p holds.  Returns
 * ERR_OK while the import can go on. */
static enum err
store(struct importer *im, const char *name, struct prepared *p, struct err_info *ei)
{
    enum put_outcome outcome = PUT_UNCHANGED;
    int64_t id = 0;

    if (p->rc == ERR_IO)
        err_set(ei, ERR_IO, "%s", p->rec.detail);
    if (p->last)
        return ei->code;
    if (p->article != NULL && p->rec.code == ERR_OK)
        store_batch_put(im->batch, p->article, &p->digests, &outcome, &id, &p->rec);
    if (p->rec.code != ERR_OK)
        im->stats.failed++;
    else if (outcome == PUT_INSERTED)
        im->stats.inserted++;
    else if (outcome == PUT_UPDATED)
        im->stats.updated++;
    else
        im->stats.unchanged++;
    im->offset = p->offset;
    if (im->report != NULL)
        im->report(im->ctx, name, p->line, &p->rec, outcome, id);
    json_decref(p->raw);
    json_decref(p->article);
    /* a database that cannot write stops the import; a bad record does not */
    if (p->rec.code == ERR_STORE || p->rec.code == ERR_FULL ||
        p->rec.code == ERR_UNAVAILABLE)
        err_set(ei, p->rec.code, "%s", p->rec.detail);
    return ei->code;
}

#define QUEUE 64

struct pipe {
    struct importer *im;
    struct ingest_reader *r;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct prepared q[QUEUE];
    size_t head, n;
    bool stop; /* the storing side gave up */
};

static void *
producer(void *arg)
{
    struct pipe *pp = arg;
    struct prepared p;

    do {
        prepare(pp->im, pp->r, &p);
        pthread_mutex_lock(&pp->lock);
        while (pp->n == QUEUE && !pp->stop)
            pthread_cond_wait(&pp->changed, &pp->lock);
        if (pp->stop) {
            pthread_mutex_unlock(&pp->lock);
            json_decref(p.raw);
            json_decref(p.article);
            break;
        }
        pp->q[(pp->head + pp->n++) % QUEUE] = p;
        pthread_cond_signal(&pp->changed);
        pthread_mutex_unlock(&pp->lock);
    } while (!p.last);
    return NULL;
}

/* False when the second thread cannot start; nothing was read then. */
static bool
import_pipelined(struct importer *im, struct ingest_reader *r, const char *name,
                 struct err_info *ei)
{
    struct pipe pp = {.im = im, .r = r};
    struct prepared p;
    pthread_t t;

    pthread_mutex_init(&pp.lock, NULL);
    pthread_cond_init(&pp.changed, NULL);
    if (pthread_create(&t, NULL, producer, &pp) != 0) {
        pthread_mutex_destroy(&pp.lock);
        pthread_cond_destroy(&pp.changed);
        return false;
    }
    do {
        pthread_mutex_lock(&pp.lock);
        while (pp.n == 0)
            pthread_cond_wait(&pp.changed, &pp.lock);
        p = pp.q[pp.head];
        pp.head = (pp.head + 1) % QUEUE;
        pp.n--;
        pthread_cond_signal(&pp.changed);
        pthread_mutex_unlock(&pp.lock);
    } while (store(im, name, &p, ei) == ERR_OK && !p.last);
    if (!p.last) { /* stopped early: release what is queued */
        pthread_mutex_lock(&pp.lock);
        pp.stop = true;
        pthread_cond_signal(&pp.changed);
        pthread_mutex_unlock(&pp.lock);
    }
    pthread_join(t, NULL);
    for (; pp.n > 0; pp.n--, pp.head = (pp.head + 1) % QUEUE) {
        json_decref(pp.q[pp.head].raw);
        json_decref(pp.q[pp.head].article);
    }
    pthread_mutex_destroy(&pp.lock);
    pthread_cond_destroy(&pp.changed);
    return true;
}

enum err
import_reader(struct importer *im, struct ingest_reader *r, const char *name,
              struct err_info *ei)
{
    struct prepared p;

    if (im->pipeline && import_pipelined(im, r, name, ei))
        return ei->code;
    do
        prepare(im, r, &p);
    while (store(im, name, &p, ei) == ERR_OK && !p.last);
    return ei->code;
}
