/* sha256.c — SHA-256 through libcrypto's EVP interface (OpenSSL 3).
 *
 * libcrypto picks the fastest code for the CPU itself (SHA-NI on most x86 processors); it
 * hashed the 239 MB benchmark capture as fast as the hand-written SHA-NI code this file held
 * before (docs/benchmark.md). A failure is remembered in the struct with libcrypto's error
 * code, taken from the queue of the thread where it happened (the capture reader's helper
 * thread hashes too), and the queue is then cleared so no stale error is left behind. */
#include "sha256.h"

#include <openssl/err.h>
#include <openssl/evp.h>

static const char HEX[] = "0123456789abcdef";

/* Marks c failed with the calling thread's libcrypto error, and drops its context. */
static bool fail(struct sha256 *c)
{
    if (!c->failed) {
        c->failed = true;
        c->error = ERR_peek_last_error();
    }
    ERR_clear_error();
    EVP_MD_CTX_free(c->ctx);
    c->ctx = NULL;
    return false;
}

static void to_hex(const unsigned char *md, char hex[65])
{
    for (int i = 0; i < 32; i++) {
        hex[2 * i] = HEX[md[i] >> 4];
        hex[2 * i + 1] = HEX[md[i] & 15];
    }
    hex[64] = '\0';
}

bool sha256_init(struct sha256 *c)
{
    *c = (struct sha256){.ctx = EVP_MD_CTX_new()};
    if (!c->ctx || EVP_DigestInit_ex(c->ctx, EVP_sha256(), NULL) != 1)
        return fail(c);
    return true;
}

bool sha256_update(struct sha256 *c, const void *data, size_t len)
{
    c->length += len;
    if (c->failed)
        return false;
    if (EVP_DigestUpdate(c->ctx, data, len) != 1)
        return fail(c);
    return true;
}

bool sha256_final_hex(struct sha256 *c, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    hex[0] = '\0';
    if (c->failed || !c->ctx)
        return false;
    if (EVP_DigestFinal_ex(c->ctx, md, &n) != 1 || n != 32)
        return fail(c);
    to_hex(md, hex);
    sha256_free(c);
    return true;
}

void sha256_free(struct sha256 *c)
{
    EVP_MD_CTX_free(c->ctx); /* accepts NULL */
    c->ctx = NULL;
}

const char *sha256_failure(const struct sha256 *c)
{
    const char *why = c->error ? ERR_reason_error_string(c->error) : NULL;
    return why ? why : c->error ? "libcrypto failed" : "out of memory";
}

bool sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    hex[0] = '\0';
    if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32) {
        ERR_clear_error();
        return false;
    }
    to_hex(md, hex);
    return true;
}
