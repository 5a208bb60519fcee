/* cursor.c - keyset positions signed with HMAC-SHA-256.
 * Text form: base64url(payload) "." base64url(first 16 bytes of the MAC),
 * payload being the JSON array [scope digest, position]. */
#include <stdlib.h>
#include <string.h>

#include "gazette/buf.h"
#include "gazette/crypto.h"
#include "gazette/cursor.h"
#include "gazette/ingest.h"
#include "gazette/util.h"

#define MAC_LEN 16

/* The payload ["16 hex digits", [title, id]] of the longest position, in
 * base64url, then "." and the MAC. */
#define LONGEST_PAYLOAD (ARTICLE_MAX_TITLE * 6 + 64)
_Static_assert((LONGEST_PAYLOAD + 2) / 3 * 4 + 1 + (MAC_LEN + 2) / 3 * 4 <=
                   CURSOR_MAX_LEN,
               "the cursor after the longest title must be accepted");

static void
scope_digest(const char *scope, struct buf *out)
{
    unsigned char h[SHA256_LEN];

    crypto_sha256(scope, strlen(scope), h);
    hex_encode(out, h, 8);
}

char *
cursor_encode(const unsigned char key[32], const char *scope, const json_t *pos)
{
    unsigned char mac[SHA256_LEN];
    struct buf digest, out;
    json_t *payload;
    char *text;

    buf_init(&digest);
    buf_init(&out);
    scope_digest(scope, &digest);
    payload = json_pack("[s, O]", digest.data, pos);
    text = json_dumps(payload, JSON_COMPACT);
    json_decref(payload);
    crypto_hmac_sha256(key, 32, text, strlen(text), mac);
    base64url_encode(&out, text, strlen(text));
    buf_addc(&out, '.');
    base64url_encode(&out, mac, MAC_LEN);
    free(text);
    buf_release(&digest);
    return buf_detach(&out, NULL);
}

json_t *
cursor_decode(const unsigned char key[32], const char *scope, const char *text,
              struct err_info *ei)
{
    const char *dot = strchr(text, '.');
    unsigned char mac[SHA256_LEN];
    struct buf payload, given, digest;
    json_t *v = NULL, *pos = NULL;

    buf_init(&payload);
    buf_init(&given);
    buf_init(&digest);
    if (strlen(text) > CURSOR_MAX_LEN || dot == NULL ||
        !base64url_decode(&payload, text, (size_t)(dot - text)) ||
        !base64url_decode(&given, dot + 1, strlen(dot + 1)) || given.len != MAC_LEN) {
        err_field(ei, "cursor", "cursor is not one this server made");
        goto out;
    }
    crypto_hmac_sha256(key, 32, payload.data, payload.len, mac);
    if (!crypto_equal(mac, given.data, MAC_LEN)) {
        err_field(ei, "cursor", "cursor was altered or comes from another database");
        goto out;
    }
    v = json_loadb(payload.data, payload.len, 0, NULL);
    scope_digest(scope, &digest);
    if (!json_is_array(v) || json_array_size(v) != 2 ||
        !json_is_string(json_array_get(v, 0))) {
        err_field(ei, "cursor", "cursor is not one this server made");
        goto out;
    }
    if (strcmp(json_string_value(json_array_get(v, 0)), digest.data) != 0) {
        err_field(ei, "cursor",
                  "cursor belongs to another query; keep sort and filters as they were "
                  "on the first page");
        goto out;
    }
    pos = json_incref(json_array_get(v, 1));
out:
    json_decref(v);
    buf_release(&payload);
    buf_release(&given);
    buf_release(&digest);
    return pos;
}
