/* cache.c - rendered answers to GET, kept for as long as the data they
 * were made from has not changed.  An entry is tagged with the store's
 * data epoch seen before it was computed; an entry of another epoch is
 * never served.  Bodies are kept gzip-compressed (sent as they are to
 * clients that take gzip, inflated for the others), and the cache holds at
 * most a configured number of bytes, dropping the least recently used.
 *
 * The answer to a full-text query (a q parameter) is kept from the second
 * time it is asked for: such queries are seldom repeated word for word,
 * and compressing and storing every answer cost searches a sixth of their
 * speed (bench/run's R3) while pushing out answers that are asked again.
 * Other answers are kept from the first time: an article or a theme's
 * page is asked for again and again, and the second request would be
 * computed too (R1 a fifth slower with every answer kept from the second
 * time).  The full-text queries asked for recently are remembered by
 * their hash in a bitmap, emptied when an eighth of its bits are set so
 * that it remembers only the recent ones. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gazette/router.h"
#include "gazette/store.h"
#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "internal.h"

#define NBUCKETS  4096
#define SEEN_BITS (1u << 20) /* 128 KiB */

struct cache {
    pthread_mutex_t lock;
    size_t max_bytes, bytes, entries;
    uint64_t hits, misses;
    struct cached *buckets[NBUCKETS];
    struct cached *newest, *oldest; /* LRU list */
    uint64_t *seen;                 /* SEEN_BITS bits: keys asked for */
    size_t nseen;                   /* bits set */
};

struct cache *
cache_new(size_t max_bytes)
{
    struct cache *c;

    if (max_bytes == 0)
        return NULL;
    c = xcalloc(1, sizeof(*c));
    pthread_mutex_init(&c->lock, NULL);
    c->max_bytes = max_bytes;
    c->seen = xcalloc(SEEN_BITS / 64, sizeof(*c->seen));
    return c;
}

void
cached_release(struct cached *e)
{
    if (e == NULL || atomic_fetch_sub(&e->refs, 1) != 1)
        return;
    free(e->key);
    free(e->body);
    free(e->link);
    free(e->total);
    free(e);
}

static void
unlink_lru(struct cache *c, struct cached *e)
{
    if (e->newer != NULL)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older != NULL)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void
push_newest(struct cache *c, struct cached *e)
{
    e->older = c->newest;
    e->newer = NULL;
    if (c->newest != NULL)
        c->newest->newer = e;
    c->newest = e;
    if (c->oldest == NULL)
        c->oldest = e;
}

/* Takes e out of the table and the list; the caller holds the lock. */
static void
drop(struct cache *c, struct cached *e)
{
    struct cached **p = &c->buckets[e->hash % NBUCKETS];

    while (*p != e)
        p = &(*p)->next;
    *p = e->next;
    unlink_lru(c, e);
    c->bytes -= e->size;
    c->entries--;
    cached_release(e);
}

void
cache_free(struct cache *c)
{
    if (c == NULL)
        return;
    while (c->oldest != NULL)
        drop(c, c->oldest);
    pthread_mutex_destroy(&c->lock);
    free(c->seen);
    free(c);
}

/* Whether the key of hash h was asked for recently; it is from now on.
 * The caller holds the lock. */
static bool
seen_before(struct cache *c, size_t h)
{
    size_t bit = (h >> 12) % SEEN_BITS; /* the low bits choose the bucket */
    uint64_t mask = (uint64_t)1 << (bit % 64);

    if (c->seen[bit / 64] & mask)
        return true;
    if (++c->nseen > SEEN_BITS / 8) {
        memset(c->seen, 0, SEEN_BITS / 8);
        c->nseen = 1;
    }
    c->seen[bit / 64] |= mask;
    return false;
}

struct cached *
cache_get(struct cache *c, const char *key, uint64_t epoch, bool once, bool *keep)
{
    size_t h = (size_t)hash_fnv1a(key, strlen(key));
    struct cached *e;

    *keep = false;
    if (c == NULL)
        return NULL;
    pthread_mutex_lock(&c->lock);
    for (e = c->buckets[h % NBUCKETS]; e != NULL; e = e->next)
        if (e->hash == h && strcmp(e->key, key) == 0)
            break;
    if (e != NULL && e->epoch != epoch) {
        if (e->epoch < epoch)
            drop(c, e); /* made from data that has changed since */
        e = NULL;       /* else made after the caller looked at the data */
    }
    if (e != NULL) {
        unlink_lru(c, e);
        push_newest(c, e);
        atomic_fetch_add(&e->refs, 1);
        c->hits++;
    } else {
        c->misses++;
        *keep = !once || seen_before(c, h);
    }
    pthread_mutex_unlock(&c->lock);
    return e;
}

void
cache_counts(struct cache *c, uint64_t *hits, uint64_t *misses, size_t *bytes,
             size_t *entries)
{
    *hits = *misses = 0;
    *bytes = *entries = 0;
    if (c == NULL)
        return;
    pthread_mutex_lock(&c->lock);
    *hits = c->hits;
    *misses = c->misses;
    *bytes = c->bytes;
    *entries = c->entries;
    pthread_mutex_unlock(&c->lock);
}

struct cached *
cache_lookup(struct req *rq)
{
    struct cache *c = rq->srv->cache;
    struct err_info ei = {0};
    const char *accept = req_header(rq, "Accept");
    struct cached *e;
    struct buf key;
    bool keep;

    if (c == NULL || !rq->matched->cached ||
        (rq->method != M_GET && rq->method != M_HEAD) ||
        store_data_epoch(rq->store, &rq->cache_epoch, &ei) != ERR_OK)
        return NULL;
    /* the answer depends on the target and, through format negotiation, on
     * Accept; compression and CORS headers are added as it is sent */
    buf_init(&key);
    buf_addf(&key, "%s\n%s", rq->target, accept != NULL ? accept : "");
    e = cache_get(c, key.data, rq->cache_epoch, req_param(rq, "q") != NULL, &keep);
    if (keep)
        rq->cache_key = buf_detach(&key, NULL);
    else
        buf_release(&key);
    return e;
}

void
cache_put(struct cache *c, const char *key, uint64_t epoch, const char *text, size_t len,
          const char *gz, size_t gz_len, const char *ctype, const char *etag,
          const char *cache_control, const char *link, const char *total)
{
    struct cached *e, *old;
    size_t h;

    if (c == NULL || len > c->max_bytes / 16)
        return;
    e = xcalloc(1, sizeof(*e));
    atomic_init(&e->refs, 1);
    e->key = xstrdup(key);
    e->hash = h = (size_t)hash_fnv1a(key, strlen(key));
    e->epoch = epoch;
    e->plain_len = len;
    e->gz = gz != NULL;
    e->body_len = e->gz ? gz_len : len;
    e->body = xmalloc(e->body_len + 1);
    memcpy(e->body, e->gz ? gz : text, e->body_len);
    e->ctype = ctype;
    e->cache_control = cache_control;
    snprintf(e->etag, sizeof(e->etag), "%s", etag);
    e->link = link != NULL ? xstrdup(link) : NULL;
    e->total = total != NULL ? xstrdup(total) : NULL;
    e->size = sizeof(*e) + strlen(key) + e->body_len + (link ? strlen(link) : 0);
    pthread_mutex_lock(&c->lock);
    for (old = c->buckets[h % NBUCKETS]; old != NULL; old = old->next)
        if (old->hash == h && strcmp(old->key, key) == 0)
            break;
    if (old != NULL && old->epoch > epoch) { /* a newer answer is kept already */
        pthread_mutex_unlock(&c->lock);
        cached_release(e);
        return;
    }
    if (old != NULL)
        drop(c, old);
    e->next = c->buckets[h % NBUCKETS];
    c->buckets[h % NBUCKETS] = e;
    push_newest(c, e);
    c->bytes += e->size;
    c->entries++;
    while (c->bytes > c->max_bytes && c->oldest != NULL)
        drop(c, c->oldest);
    pthread_mutex_unlock(&c->lock);
}

char *
cached_inflate(const struct cached *e)
{
    z_stream z = {0};
    char *out = xmalloc(e->plain_len + 1);

    if (inflateInit2(&z, 15 + 16) != Z_OK) {
        free(out);
        return NULL;
    }
    z.next_in = (Bytef *)e->body;
    z.avail_in = (uInt)e->body_len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)e->plain_len;
    if (inflate(&z, Z_FINISH) != Z_STREAM_END || z.total_out != e->plain_len) {
        inflateEnd(&z);
        free(out);
        return NULL;
    }
    inflateEnd(&z);
    return out;
}
