/* util.h - small text helpers: dates, timestamps, slugs, UTF-8, base64url. */
#ifndef GAZETTE_UTIL_H
#define GAZETTE_UTIL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "gazette/buf.h"

/* "YYYY-MM-DDTHH:MM:SSZ" plus NUL */
#define TIMESTAMP_LEN 21

/* Writes the current UTC time as an RFC 3339 timestamp into out. */
void timestamp_now(char out[TIMESTAMP_LEN]);

/* True when s is a real calendar date written YYYY-MM-DD (years 1000-9999). */
bool date_valid(const char *s);

/* Parses an RFC 3339 date-time ("2024-01-02T03:04:05Z", "...+02:00",
 * fractional seconds allowed) or a plain date, and writes it normalized
 * to UTC as "YYYY-MM-DDTHH:MM:SSZ".  Returns false if s is not one. */
bool timestamp_normalize(const char *s, char out[TIMESTAMP_LEN]);

/* Days since 1970-01-01 of a valid YYYY-MM-DD date, and back. */
int64_t date_to_days(const char *s);
void days_to_date(int64_t days, char out[11]);

/* Appends a URL-safe slug of text to b: ASCII lower-case letters, digits
 * and single hyphens; common Latin letters with diacritics are folded;
 * other characters separate words.  At most max bytes are appended, cut
 * at a hyphen where possible.  Appends nothing if text has no letters or
 * digits. */
void slugify(struct buf *b, const char *text, size_t max);

/* Appends a matching key for a person's or organization's name: lower
 * case, diacritics folded, punctuation dropped, spaces collapsed. */
void name_normalize(struct buf *b, const char *name);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates)
 * and contains no NUL byte. */
bool utf8_valid(const char *s, size_t len);

/* Number of code points in s[0..len) (assumed valid UTF-8). */
size_t utf8_count(const char *s, size_t len);

/* Decodes the code point at *p (valid UTF-8 assumed), advancing *p. */
uint32_t utf8_next(const char **p);

/* Appends base64url (no padding) of data to b. */
void base64url_encode(struct buf *b, const void *data, size_t len);

/* Decodes base64url (no padding) text; returns false on a bad character
 * or length.  Appends the bytes to out. */
bool base64url_decode(struct buf *out, const char *text, size_t len);

/* Appends lower-case hex of data to b. */
void hex_encode(struct buf *b, const void *data, size_t len);

/* Parses a decimal integer that fills the whole of s; false otherwise. */
bool parse_int64(const char *s, int64_t *out);

/* True when s consists only of ASCII digits and is non-empty. */
bool all_digits(const char *s);

/* The 64-bit FNV-1a hash of s[0..n), for hash tables. */
uint64_t hash_fnv1a(const void *s, size_t n);

/* Applies an RFC 7396 JSON merge patch to target (an object, changed in
 * place): members of patch replace those of target, null removes them,
 * objects merge recursively. */
void json_merge_patch(json_t *target, const json_t *patch);

/* What a JSON parse error tells a client: jansson's text, in the client's
 * terms where that text names an option of jansson's own. */
const char *json_error_said(const json_error_t *e);

#endif
