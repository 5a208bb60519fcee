/* fuzz_cursor.c - the keyset cursor: cursor_decode() on hostile text, and
 * cursor_encode() followed by decoding, altered and not.  Input: the scope
 * (the canonical text of a query) up to the first newline, then the rest,
 * used both as a cursor a client sends and as the JSON of a position.
 *
 * Invariant: nothing but a cursor made by cursor_encode() with the same
 * key and scope is accepted, and that one gives back its position.  So:
 * hostile text is refused (or is, byte for byte, the cursor of what it
 * decodes to); a position the server makes ([sort value, id], the value
 * at most a title long) comes back equal; the same cursor is refused with
 * another key, another scope, one character changed, or cut short. */
#include <stdlib.h>
#include <string.h>

#include "gazette/buf.h"
#include "gazette/cursor.h"
#include "gazette/ingest.h"
#include "gazette/util.h"
#include "gazette/xalloc.h"
#include "harness.h"

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
static unsigned char key[32], other_key[32];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (int i = 0; i < 32; i++) {
        key[i] = (unsigned char)(i * 7 + 1);
        other_key[i] = key[i];
    }
    other_key[31] ^= 1;
    return 0;
}

static void
refused(const unsigned char *k, const char *scope, const char *text, const char *what)
{
    struct err_info ei = {0};
    json_t *pos = cursor_decode(k, scope, text, &ei);

    HARNESS_CHECK(pos == NULL, "a cursor is accepted %s", what);
    HARNESS_CHECK(ei.code == ERR_INVALID && ei.nfields == 1 &&
                      strcmp(ei.fields[0].field, "cursor") == 0,
                  "a refused cursor names the cursor parameter");
}

/* Hostile text: refused, unless it is exactly the cursor of what it gives. */
static void
hostile(const char *scope, const char *text)
{
    struct err_info ei = {0};
    json_t *pos = cursor_decode(key, scope, text, &ei);
    char *again;

    if (pos == NULL) {
        refused(key, scope, text, "and refused at once");
        return;
    }
    again = cursor_encode(key, scope, pos);
    HARNESS_CHECK(strcmp(again, text) == 0,
                  "a cursor the server did not make is accepted");
    free(again);
    json_decref(pos);
}

/* A position such as the store makes (read.c's keyset): [sort value,
 * integer id], the value a number or a text no longer than a title. */
static bool
server_position(const json_t *pos)
{
    const json_t *v = json_array_get(pos, 0);

    return json_is_array(pos) && json_array_size(pos) == 2 &&
           json_is_integer(json_array_get(pos, 1)) &&
           (json_is_number(v) ||
            (json_is_string(v) && json_string_length(v) <= ARTICLE_MAX_TITLE &&
             strlen(json_string_value(v)) == json_string_length(v)));
}

static void
round_trip(const char *scope, const json_t *pos, size_t seed)
{
    struct err_info ei = {0};
    char *c = cursor_encode(key, scope, pos), *changed;
    json_t *back = cursor_decode(key, scope, c, &ei);
    struct buf other;
    size_t len = strlen(c), at = seed % len;

    if (server_position(pos))
        HARNESS_CHECK(back != NULL,
                      "a cursor of %zu bytes the server made is refused: %s", len,
                      ei.detail);
    HARNESS_CHECK(back == NULL || json_equal(back, pos),
                  "a cursor gives another position");
    json_decref(back);

    refused(other_key, scope, c, "with another key");
    buf_init(&other);
    buf_addf(&other, "%s|", scope);
    refused(key, other.data, c, "for another scope");
    buf_release(&other);

    changed = xstrdup(c);
    changed[at] = b64url[(seed / len) % (sizeof(b64url) - 1)];
    if (strcmp(changed, c) != 0)
        refused(key, scope, changed, "with a character changed");
    changed[len - 1 - seed % 3] = '\0'; /* a cursor is longer than 3 */
    refused(key, scope, changed, "cut short");
    free(changed);
    free(c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data, *nl = memchr(data, '\n', size);
    size_t slen = nl != NULL ? (size_t)(nl - text) : 0, rlen = size - slen - (nl != NULL);
    char *scope = xstrndup(text, slen), *rest = xstrndup(text + size - rlen, rlen);
    json_t *pos = json_loadb(text + size - rlen, rlen, JSON_DECODE_ANY, NULL);
    size_t seed = 0;

    hostile(scope, rest);
    for (size_t i = 0; i < size; i++)
        seed = seed * 31 + data[i];
    if (pos == NULL) {
        /* not JSON: the bytes as the text of a sort value */
        struct buf hex;

        buf_init(&hex);
        if (utf8_valid(rest, strlen(rest)))
            buf_adds(&hex, rest);
        else
            hex_encode(&hex, rest, strlen(rest));
        pos = json_pack("[s, I]", hex.data, (json_int_t)size);
        buf_release(&hex);
    }
    round_trip(scope, pos, seed);
    json_decref(pos);
    free(scope);
    free(rest);
    return 0;
}
