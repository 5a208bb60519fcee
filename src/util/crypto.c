/* crypto.c - random bytes, SHA-256 and HMAC from OpenSSL's libcrypto. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "gazette/crypto.h"

bool
crypto_random(void *out, size_t n)
{
    return RAND_bytes(out, (int)n) == 1;
}

void
crypto_sha256(const void *data, size_t len, unsigned char out[SHA256_LEN])
{
    unsigned int n = SHA256_LEN;

    EVP_Digest(data, len, out, &n, EVP_sha256(), NULL);
}

void
crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
                   unsigned char out[SHA256_LEN])
{
    unsigned int n = SHA256_LEN;

    HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &n);
}

bool
crypto_equal(const void *a, const void *b, size_t n)
{
    return CRYPTO_memcmp(a, b, n) == 0;
}
