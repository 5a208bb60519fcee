/* auth.c - API keys.  A key is "gz_" + 12 hex digits (its lookup, which
 * finds the stored row) + "_" + 43 base64url characters (32 random bytes).
 * The store keeps only SHA-256 of the whole key; a presented key is hashed
 * and compared with the stored hash in constant time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gazette/auth.h"
#include "gazette/buf.h"
#include "gazette/crypto.h"
#include "gazette/util.h"

#define LOOKUP_BYTES 6
#define SECRET_BYTES 32
#define KEY_LEN      (3 + 2 * LOOKUP_BYTES + 1 + 43)

static void
key_hash(const char *key, struct buf *out)
{
    unsigned char h[SHA256_LEN];

    crypto_sha256(key, strlen(key), h);
    hex_encode(out, h, sizeof(h));
}

bool
auth_key_name_ok(const char *name)
{
    size_t len = name != NULL ? strlen(name) : 0;

    if (len == 0 || len > 100 || !utf8_valid(name, len))
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7F)
            return false;
    return true;
}

enum err
auth_key_create(struct store *st, const char *name, const char *scope, char **key,
                json_t **info, struct err_info *ei)
{
    unsigned char lookup[LOOKUP_BYTES], secret[SECRET_BYTES];
    struct buf text, lk, hash;

    *key = NULL;
    *info = NULL;
    if (!auth_key_name_ok(name))
        return err_set(ei, ERR_INVALID, "%s", AUTH_KEY_NAME_RULE);
    if (!crypto_random(lookup, sizeof(lookup)) || !crypto_random(secret, sizeof(secret)))
        return err_set(ei, ERR_STORE, "the system's random generator failed");
    buf_init(&text);
    buf_init(&lk);
    buf_init(&hash);
    hex_encode(&lk, lookup, sizeof(lookup));
    buf_addf(&text, "gz_%s_", lk.data);
    base64url_encode(&text, secret, sizeof(secret));
    key_hash(text.data, &hash);
    if (store_key_create(st, name, scope, lk.data, hash.data, info, ei) == ERR_OK)
        *key = buf_detach(&text, NULL);
    buf_release(&text);
    buf_release(&lk);
    buf_release(&hash);
    return ei->code;
}

static enum err
unauthorized(struct err_info *ei, const char *why)
{
    return err_set(ei, ERR_UNAUTHORIZED, "%s", why);
}

enum err
auth_check(struct store *st, const char *authorization, const char *need,
           struct err_info *ei)
{
    char lookup[2 * LOOKUP_BYTES + 1];
    const char *key;
    struct buf hash;
    json_t *rec = NULL;
    struct err_info lookup_ei = {0};
    bool ok;

    if (authorization == NULL)
        return unauthorized(ei,
                            "this needs an API key: send Authorization: Bearer <key>");
    if (strncasecmp(authorization, "Bearer ", 7) != 0)
        return unauthorized(ei, "the Authorization header must read Bearer <key>");
    key = authorization + 7;
    while (*key == ' ')
        key++;
    if (strlen(key) != KEY_LEN || strncmp(key, "gz_", 3) != 0 || key[3 + 12] != '_')
        return unauthorized(ei, "that is not an API key of this server");
    memcpy(lookup, key + 3, sizeof(lookup) - 1);
    lookup[sizeof(lookup) - 1] = '\0';
    if (store_key_find(st, lookup, &rec, &lookup_ei) != ERR_OK) {
        if (lookup_ei.code != ERR_NOT_FOUND)
            return err_set(ei, lookup_ei.code, "%s", lookup_ei.detail);
        return unauthorized(ei, "the API key is not known");
    }
    buf_init(&hash);
    key_hash(key, &hash);
    const char *stored = json_string_value(json_object_get(rec, "hash"));
    ok = stored != NULL && strlen(stored) == hash.len &&
         crypto_equal(stored, hash.data, hash.len);
    buf_release(&hash);
    if (!ok) {
        json_decref(rec);
        return unauthorized(ei, "the API key is not known");
    }
    if (!json_is_null(json_object_get(rec, "revoked_at"))) {
        json_decref(rec);
        return unauthorized(ei, "the API key was revoked");
    }
    char scope[16];
    snprintf(scope, sizeof(scope), "%s",
             json_string_value(json_object_get(rec, "scope")));
    json_decref(rec);
    if (strcmp(scope, "admin") != 0 && strcmp(scope, need) != 0)
        return err_set(ei, ERR_FORBIDDEN,
                       "the API key's scope (%s) does not allow this; it needs %s", scope,
                       need);
    return ERR_OK;
}
