/* sha256.h — SHA-256, streamed or in one call, through libcrypto's EVP interface.
 *
 * The fingerprints of the program: an input capture's (capture.c), a rubric's and a hand-in's
 * (grading), a PDF's /ID. libcrypto does the rounds (with the SHA instructions where the CPU
 * has them); this wrapper keeps the count of bytes hashed, which the capture reader's helper
 * thread follows, and turns libcrypto's failures into return values: nothing here aborts or
 * prints. */
#ifndef PCAP2REPORT_SHA256_H
#define PCAP2REPORT_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct evp_md_ctx_st; /* libcrypto's EVP_MD_CTX; callers need not include its headers */

struct sha256 {
    struct evp_md_ctx_st *ctx; /* NULL before sha256_init, after the end, or after a failure */
    uint64_t length;           /* bytes given to sha256_update so far (counted even after a failure) */
    bool failed;               /* a step failed: sha256_final_hex will say so */
    unsigned long error;       /* libcrypto's code for the first failure; 0: out of memory */
};

/* Starts a digest. false when libcrypto cannot start one (out of memory, or its configuration
 * offers no SHA-256); c is then marked failed, and sha256_update and sha256_final_hex accept
 * it and say so. */
bool sha256_init(struct sha256 *c);

/* Adds len bytes. false when this or an earlier step failed; the bytes still count in length,
 * so a loop that runs until length reaches a goal ends either way. */
bool sha256_update(struct sha256 *c, const void *data, size_t len);

/* Ends the digest: writes it as 64 lowercase hex digits and a NUL into hex and returns true,
 * or writes "" and returns false when any step failed. Releases c's resources either way. */
bool sha256_final_hex(struct sha256 *c, char hex[65]);

/* Releases a digest abandoned before sha256_final_hex. Accepts a zeroed struct, a failed one,
 * and one already ended. */
void sha256_free(struct sha256 *c);

/* Why c failed, as a phrase for a message ("out of memory", or libcrypto's reason). */
const char *sha256_failure(const struct sha256 *c);

/* The digest of len bytes at data, in one call; false (hex "") when libcrypto failed. */
bool sha256_hex(const void *data, size_t len, char hex[65]);

#endif
