/* crypto.h - the few cryptographic primitives gazette needs, from libcrypto. */
#ifndef GAZETTE_CRYPTO_H
#define GAZETTE_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define SHA256_LEN 32

/* Fills out with n bytes from the operating system's generator.
 * Returns false if the generator failed. */
bool crypto_random(void *out, size_t n);

void crypto_sha256(const void *data, size_t len, unsigned char out[SHA256_LEN]);

void crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
                        unsigned char out[SHA256_LEN]);

/* Compares two equally long byte strings in time independent of content. */
bool crypto_equal(const void *a, const void *b, size_t n);

#endif
