/* strmap.c - a small open-addressing map from byte strings to ints, so
 * that looking up names and phrases stays constant-time however large an
 * article is. */
#include <stdlib.h>
#include <string.h>

#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "internal.h"

void
strmap_init(struct strmap *m)
{
    memset(m, 0, sizeof(*m));
}

void
strmap_release(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->key[i]);
    free(m->key);
    free(m->len);
    free(m->val);
    memset(m, 0, sizeof(*m));
}

/* Slot of key, or of the empty slot where it would go; cap > 0. */
static size_t
slot_of(const struct strmap *m, const char *key, size_t n)
{
    size_t i = (size_t)hash_fnv1a(key, n) & (m->cap - 1);

    while (m->key[i] != NULL && (m->len[i] != n || memcmp(m->key[i], key, n) != 0))
        i = (i + 1) & (m->cap - 1);
    return i;
}

static void
grow(struct strmap *m)
{
    struct strmap old = *m;

    m->cap = old.cap ? old.cap * 2 : 64;
    m->key = xcalloc(m->cap, sizeof(*m->key));
    m->len = xcalloc(m->cap, sizeof(*m->len));
    m->val = xcalloc(m->cap, sizeof(*m->val));
    for (size_t i = 0; i < old.cap; i++) {
        if (old.key[i] == NULL)
            continue;
        size_t s = slot_of(m, old.key[i], old.len[i]);

        m->key[s] = old.key[i];
        m->len[s] = old.len[i];
        m->val[s] = old.val[i];
    }
    free(old.key);
    free(old.len);
    free(old.val);
}

int
strmap_get(const struct strmap *m, const char *key, size_t n)
{
    if (m->cap == 0)
        return -1;
    size_t s = slot_of(m, key, n);

    return m->key[s] != NULL ? m->val[s] : -1;
}

void
strmap_put(struct strmap *m, const char *key, size_t n, int val)
{
    size_t s;

    if ((m->n + 1) * 2 > m->cap)
        grow(m);
    s = slot_of(m, key, n);
    if (m->key[s] == NULL) {
        m->key[s] = xstrndup(key, n);
        m->len[s] = n;
        m->n++;
    }
    m->val[s] = val;
}
