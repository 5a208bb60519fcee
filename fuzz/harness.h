/* harness.h - what the libFuzzer harnesses of fuzz/ share: a seeded
 * in-memory store and a way to report a broken invariant.
 * docs/fuzzing.md lists the harnesses and what each one checks. */
#ifndef GAZETTE_FUZZ_HARNESS_H
#define GAZETTE_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "gazette/err.h"
#include "gazette/store.h"

/* libFuzzer's entry points, which every harness defines. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints "invariant broken: ..." and aborts, which libFuzzer reports as a
 * crash and saves the input for. */
void harness_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define HARNESS_CHECK(cond, ...)                                                         \
    do {                                                                                 \
        if (!(cond))                                                                     \
            harness_fail(__VA_ARGS__);                                                   \
    } while (0)

/* A migrated ":memory:" store holding a few articles (with the quotes,
 * officials, organizations and themes that extraction finds in them), made
 * on the first call and kept for the life of the process.  Aborts if it
 * cannot be made. */
struct store *harness_store(void);

/* True when an error code is one a client may get for what it sent: a
 * 4xx, never a 5xx. */
int harness_client_error(enum err code);

#endif
