/* sha256.c — FIPS 180-4 SHA-256, compressing whole blocks straight from the input.
 *
 * Every byte of every capture goes through here, so speed matters: the portable C rounds run
 * at about 300 MB/s, slower than libpcap reads a file from the page cache. x86 processors with
 * the SHA extensions (Intel since Goldmont/Ice Lake, AMD since Zen) do the rounds in
 * hardware, about 6 times faster; compress_blocks() picks that path at run time when the CPU
 * has it, and the portable one otherwise. Both give the same digest; bench/sha256-check
 * compares each against sha256sum. Defining SHA256_PORTABLE_ONLY leaves the hardware path out. */
#include "sha256.h"

#include <stdbool.h>
#include <string.h>

#if !defined(SHA256_PORTABLE_ONLY) && (defined(__x86_64__) || defined(__i386__)) && \
    (defined(__GNUC__) || defined(__clang__))
#define SHA256_HAVE_SHANI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress_portable(uint32_t h[8], const uint8_t *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

#ifdef SHA256_HAVE_SHANI
/* The SHA extensions (Intel's "SHA-NI"): SHA256RNDS2 does two rounds on the state held as
 * two vectors, ABEF and CDGH; SHA256MSG1/MSG2 compute the message schedule four words at a
 * time. Layout and shuffles as in Intel's white paper "Intel SHA Extensions" (2013). */
__attribute__((target("sha,sse4.1")))
static void compress_shani(uint32_t h[8], const uint8_t *p, size_t blocks)
{
    /* Byte order: the message words are big-endian. */
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1); /* CDAB */
    __m128i state1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B); /* EFGH */
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);    /* ABEF */
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);         /* CDGH */

    for (; blocks > 0; blocks--, p += 64) {
        __m128i abef = state0, cdgh = state1, m[4];
        /* 16 groups of four rounds. Group g uses message words 4g..4g+3, kept in m[g % 4];
         * from g = 4 on they are W[t-16] + s0(W[t-15]) (MSG1) + W[t-7] (the alignr) +
         * s1(W[t-2]) (MSG2). Fully unrolled, m[] stays in registers. */
#pragma GCC unroll 16
        for (int g = 0; g < 16; g++) {
            if (g < 4) {
                m[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
            } else {
                __m128i t = _mm_sha256msg1_epu32(m[g % 4], m[(g + 1) % 4]);
                t = _mm_add_epi32(t, _mm_alignr_epi8(m[(g + 3) % 4], m[(g + 2) % 4], 4));
                m[g % 4] = _mm_sha256msg2_epu32(t, m[(g + 3) % 4]);
            }
            __m128i msg = _mm_add_epi32(m[g % 4], _mm_loadu_si128((const __m128i *)&K[4 * g]));
            state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
            state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(msg, 0x0E));
        }
        state0 = _mm_add_epi32(state0, abef);
        state1 = _mm_add_epi32(state1, cdgh);
    }

    tmp = _mm_shuffle_epi32(state0, 0x1B);               /* FEBA */
    state1 = _mm_shuffle_epi32(state1, 0xB1);            /* DCHG */
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);         /* DCBA */
    state1 = _mm_alignr_epi8(state1, tmp, 8);            /* ABEF */
    _mm_storeu_si128((__m128i *)&h[0], state0);
    _mm_storeu_si128((__m128i *)&h[4], state1);
}

/* CPUID leaf 7 EBX bit 29 (SHA) and leaf 1 ECX bits 9 (SSSE3) and 19 (SSE4.1). Asked once;
 * the answer is cached in a relaxed atomic (0 unknown, 1 no, 2 yes), as any thread may ask. */
static bool have_shani(void)
{
    static int cached;
    int v = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (v == 0) {
        unsigned a, b, c, d;
        bool sse = __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 9)) && (c & (1u << 19));
        bool sha = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
        v = sse && sha ? 2 : 1;
        __atomic_store_n(&cached, v, __ATOMIC_RELAXED);
    }
    return v == 2;
}
#endif

/* Compresses n whole 64-byte blocks from p into h. */
static void compress_blocks(uint32_t h[8], const uint8_t *p, size_t n)
{
#ifdef SHA256_HAVE_SHANI
    if (have_shani()) {
        compress_shani(h, p, n);
        return;
    }
#endif
    for (; n > 0; n--, p += 64)
        compress_portable(h, p);
}

void sha256_init(struct sha256 *c)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, iv, sizeof iv);
    c->length = 0;
    c->used = 0;
}

void sha256_update(struct sha256 *c, const void *data, size_t len)
{
    const uint8_t *p = data;
    c->length += len;
    if (c->used) {
        size_t take = 64 - c->used < len ? 64 - c->used : len;
        memcpy(c->block + c->used, p, take);
        c->used += take;
        p += take;
        len -= take;
        if (c->used < 64)
            return;
        compress_blocks(c->h, c->block, 1);
        c->used = 0;
    }
    compress_blocks(c->h, p, len / 64);
    p += len / 64 * 64;
    len %= 64;
    memcpy(c->block, p, len);
    c->used = len;
}

void sha256_final_hex(struct sha256 *c, char hex[65])
{
    uint64_t bits = c->length * 8;
    uint8_t pad[72] = {0x80};
    size_t padlen = (c->used < 56 ? 56 : 120) - c->used;
    for (int i = 0; i < 8; i++)
        pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
    uint64_t saved = c->length;
    sha256_update(c, pad, padlen + 8);
    c->length = saved;
    for (int i = 0; i < 32; i++) {
        uint8_t byte = (uint8_t)(c->h[i / 4] >> (24 - 8 * (i % 4)));
        hex[2 * i] = "0123456789abcdef"[byte >> 4];
        hex[2 * i + 1] = "0123456789abcdef"[byte & 15];
    }
    hex[64] = '\0';
}
