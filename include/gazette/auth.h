/* auth.h - API keys: making them, and checking the Authorization header
 * of a request against them. */
#ifndef GAZETTE_AUTH_H
#define GAZETTE_AUTH_H

#include <jansson.h>

#include "gazette/store.h"

#define AUTH_KEY_NAME_RULE                                                               \
    "a key's name must be 1 to 100 bytes of UTF-8 text without control characters"

/* Whether name can name a key: AUTH_KEY_NAME_RULE (it is shown in lists,
 * one line a key). */
bool auth_key_name_ok(const char *name);

/* Makes a key with a name and a scope ("write" or "admin") from the
 * system's random generator and stores its hash.  *key gets the key text
 * (free() it; it is never stored), *info the key's record. */
enum err auth_key_create(struct store *st, const char *name, const char *scope,
                         char **key, json_t **info, struct err_info *ei);

/* Checks "Bearer KEY": ERR_UNAUTHORIZED when it is missing, malformed,
 * unknown or revoked; ERR_FORBIDDEN when the key's scope is below need
 * ("admin" includes "write"). */
enum err auth_check(struct store *st, const char *authorization, const char *need,
                    struct err_info *ei);

#endif
