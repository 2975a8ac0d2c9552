/* table_fixtures.h — a mix of many interleaved connections for the session table's tests
 * (test_table.c, test_spill.c), and a check that two tables built the same session. */
#ifndef PCAP2REPORT_TABLE_FIXTURES_H
#define PCAP2REPORT_TABLE_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

#include "table.h"

/* Segments of many interleaved connections: handshakes, data both ways with a retransmission
 * now and then, all three closes, RSTs, and 4-tuples reused after a close; step_ns apart. */
struct mix {
    struct decoded_packet *segs;
    int64_t *ts;
    size_t n;
};

/* At most cap segments of conns connections (at most 256), from seed; 1 us apart. */
void make_mix(struct mix *m, size_t cap, int conns, uint32_t seed);
void mix_free(struct mix *m);

/* Asserts that a and b hold the same record, field by field (timeline included). */
void assert_same_session(const struct session *a, const struct session *b);

#endif
