/* capfile_fixtures.h — what the capfile tests (test_capfile.c, test_capfile_damage.c) share:
 * a crafted file read whole, packet by packet, and frames and files to read. */
#ifndef PCAP2REPORT_CAPFILE_FIXTURES_H
#define PCAP2REPORT_CAPFILE_FIXTURES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capbuild.h"
#include "capfile.h"

/* What reading a file gave: the first 64 packets (without their data, but for the first
 * byte), how many in all, and how it ended. */
struct got {
    unsigned n;
    struct capfile_packet p[64];
    uint8_t first_byte[64];
    enum capfile_status end;
    char why[256];
};

/* b[0, n) as a stream (an empty one for n 0); asserts it opened. */
FILE *mem_file(const uint8_t *b, size_t n);

/* Reads every packet of b[0, n) into g; false with err set when capfile_open refused it. */
bool read_all(const uint8_t *b, size_t n, struct got *g, char *err, size_t errlen);

/* Reads c whole; asserts it opened and ended without damage. */
void read_ok(const struct capbuild *c, struct got *g);

/* Fills d[0, n) with tag, tag + 1, ... */
void frame(uint8_t *d, size_t n, uint8_t tag);

/* Two sections of different byte order, each with its own interfaces; where each packet and
 * each block ends. */
void build_two_sections(struct capbuild *c, size_t *packet_ends, size_t *block_ends, size_t *n_blocks);

#endif
