/* digest.c - the digests by which an import finds a stored article again
 * and tells whether a record would change it.
 *
 * Both depend on the record alone (but for a record that leaves out its
 * source or url, see store_record_digest), so an import works them out on
 * the thread that prepares records, not on the one that writes. */
#include <stdlib.h>
#include <string.h>

#include "gazette/buf.h"
#include "gazette/crypto.h"
#include "gazette/store.h"
#include "gazette/util.h"

static void
sha256_hex(const void *data, size_t len, char out[DIGEST_HEX_LEN + 1])
{
    unsigned char h[SHA256_LEN];
    struct buf hex;

    crypto_sha256(data, len, h);
    buf_init(&hex);
    hex_encode(&hex, h, sizeof(h));
    memcpy(out, hex.data, DIGEST_HEX_LEN + 1);
    buf_release(&hex);
}

static const char *
text_of(const json_t *article, const char *key)
{
    const char *s = json_string_value(json_object_get(article, key));

    return s != NULL ? s : "";
}

/* The digest of what storing the record would leave in the database: the
 * body counts through the content digest rather than written out again. */
void
store_record_digest(const json_t *article, const char *content, const char *keep_source,
                    const char *keep_url, char out[DIGEST_HEX_LEN + 1])
{
    json_t *merged = json_copy((json_t *)article);
    char *text;

    json_object_set_new(merged, "body", json_string(content));
    if (keep_source != NULL && json_is_null(json_object_get(article, "source")))
        json_object_set_new(merged, "source", json_string(keep_source));
    if (keep_url != NULL && json_is_null(json_object_get(article, "url")))
        json_object_set_new(merged, "url", json_string(keep_url));
    text = json_dumps(merged, JSON_COMPACT | JSON_SORT_KEYS);
    sha256_hex(text, strlen(text), out);
    free(text);
    json_decref(merged);
}

void
store_article_digests(const json_t *article, struct article_digests *out)
{
    struct buf content;

    buf_init(&content);
    buf_adds(&content, text_of(article, "title"));
    buf_addc(&content, '\n');
    buf_adds(&content, text_of(article, "published"));
    buf_addc(&content, '\n');
    buf_adds(&content, text_of(article, "body"));
    sha256_hex(content.data, content.len, out->content);
    buf_release(&content);
    store_record_digest(article, out->content, NULL, NULL, out->record);
}
