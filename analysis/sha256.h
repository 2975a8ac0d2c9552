/* sha256.h — SHA-256 (FIPS 180-4), streamed, for the input file's fingerprint. */
#ifndef PCAP2REPORT_SHA256_H
#define PCAP2REPORT_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];
    uint64_t length; /* bytes hashed so far */
    uint8_t block[64];
    size_t used;     /* bytes waiting in block */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
/* Writes the digest as 64 lowercase hex digits and a NUL into hex. */
void sha256_final_hex(struct sha256 *c, char hex[65]);

#endif
