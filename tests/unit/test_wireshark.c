/* test_wireshark.c — tcp.completeness as tshark 4.0 shows it with -2, one row per rule of
 * analysis/tcp/wireshark.c (packet-tcp.c, dissect_tcp()), and the tcp.stream splits that
 * decide which segments a session holds. make test-peers checks the same against tshark. */
#include <criterion/criterion.h>

#include "convo.h"
#include "wireshark.h"

enum { A = TCP_ACK, S = TCP_SYN, F = TCP_FIN, R = TCP_RST, P = TCP_PSH };

struct seg {
    int dir;
    uint16_t flags;
    uint32_t seq, ack, len;
};

struct row {
    const char *rule;
    struct seg segs[8];
    uint8_t completeness[3]; /* of each session, in order */
    size_t sessions;
};

/* Client ISN 1000, server ISN 5000. */
static const struct row rows[] = {
    {"a stream of one pure SYN is 1", {{C2S, S, 1000, 0, 0}}, {1}, 1},
    {"a SYN with payload as first segment adds DATA", {{C2S, S, 1000, 0, 20}}, {9}, 1},
    {"a stream of one data segment is 0 (its bits count only in the second pass)",
     {{C2S, P | A, 1001, 5001, 100}}, {0}, 1},
    {"a stream of one pure ACK is 0", {{C2S, A, 1001, 5001, 0}}, {0}, 1},
    {"a stream of one RST is 0", {{C2S, R, 1001, 0, 0}}, {0}, 1},
    {"two data segments: DATA, not ACK", {{C2S, P | A, 1001, 5001, 100}, {C2S, P | A, 1101, 5001, 100}}, {8}, 1},
    {"the first segment's bits count once a second segment exists",
     {{S2C, A, 5001, 1001, 0}, {C2S, P | A, 1001, 5001, 10}}, {4 | 8}, 1},
    {"a bare FIN sets nothing", {{C2S, F, 1001, 0, 0}, {C2S, F, 1001, 0, 0}}, {0}, 1},
    {"FIN counts only with ACK", {{C2S, F | A, 1001, 5001, 0}, {S2C, A, 5001, 1002, 0}}, {16 | 4}, 1},
    {"data without the ACK flag sets nothing", {{C2S, 0, 1001, 0, 50}, {C2S, 0, 1051, 0, 50}}, {0}, 1},
    {"flagless data, then data with ACK", {{C2S, 0, 1001, 0, 50}, {C2S, P | A, 1051, 5001, 50}}, {8}, 1},
    {"a RST without ACK sets only RST", {{C2S, P | A, 1001, 5001, 10}, {C2S, R, 1011, 0, 0}}, {8 | 32}, 1},
    {"a stream that begins with a SYN-ACK has no SYN bit",
     {{S2C, S | A, 5000, 1001, 0}, {C2S, A, 1001, 5001, 0}}, {2 | 4}, 1},
    {"SYN, SYN-ACK, RST-ACK", {{C2S, S, 1000, 0, 0}, {S2C, S | A, 5000, 1001, 0}, {C2S, R | A, 1001, 5001, 0}},
     {1 | 2 | 4 | 32}, 1},
    {"SYN with payload, then the handshake",
     {{C2S, S, 1000, 0, 20}, {S2C, S | A, 5000, 1021, 0}, {C2S, A, 1021, 5001, 0}}, {1 | 8 | 2 | 4}, 1},
    {"a SYN with a new ISN is a new stream, starting at SYN",
     {{C2S, S, 1000, 0, 0}, {S2C, S | A, 5000, 1001, 0}, {C2S, A, 1001, 5001, 0}, {C2S, R, 1001, 0, 0},
      {C2S, S, 9000, 0, 0}},
     {1 | 2 | 4 | 32, 1}, 2},
    {"on a reused 4-tuple, data on the SYN does not count",
     {{C2S, S, 1000, 0, 0}, {C2S, S, 9000, 0, 20}, {S2C, S | A, 7000, 9021, 0}}, {1, 1 | 2}, 2},
    {"a SYN with the same ISN is a retransmission, even after a RST",
     {{C2S, S, 1000, 0, 0}, {S2C, R | A, 0, 1001, 0}, {C2S, S, 1000, 0, 0}}, {1 | 4 | 32}, 1},
    {"a side's base comes from its first segment, minus one without SYN",
     {{C2S, P | A, 1001, 5001, 10}, {C2S, S, 1000, 0, 0}}, {8}, 1},
    {"... so another SYN there is a new stream", {{C2S, P | A, 1001, 5001, 10}, {C2S, S, 3000, 0, 0}}, {0, 1}, 2},
    {"a silent side's base is the peer's first ack minus one",
     {{C2S, A, 1001, 5001, 0}, {S2C, S, 5000, 0, 0}, {S2C, S, 6000, 0, 0}}, {4, 1}, 2},
    {"a SYN-ACK with another sequence number moves its side's base",
     {{C2S, S, 1000, 0, 0}, {S2C, S | A, 5000, 1001, 0}, {S2C, S | A, 6000, 1001, 0}, {S2C, S, 6000, 0, 0}},
     {1 | 2}, 1},
    {"the peer's SYN in a simultaneous open is no new stream (its base is unset)",
     {{C2S, S, 1000, 0, 0}, {S2C, S, 5000, 0, 0}, {C2S, S | A, 1000, 5001, 0}}, {1 | 2}, 1},
};

Test(peers, wireshark_completeness_rule_by_rule)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct row *r = &rows[i];
        struct convo cv;
        convo_init(&cv, 4);
        for (size_t k = 0; k < 8 && (r->segs[k].flags || r->segs[k].len); k++)
            convo_send(&cv, r->segs[k].dir, r->segs[k].flags, r->segs[k].seq, r->segs[k].ack, r->segs[k].len);
        convo_finish(&cv, 0);
        cr_expect_eq(session_table_count(cv.table), r->sessions, "%s: %zu sessions", r->rule,
                     session_table_count(cv.table));
        for (size_t k = 0; k < r->sessions && k < session_table_count(cv.table); k++) {
            uint8_t got = session_table_get(cv.table, k, NULL)->wireshark_completeness;
            cr_expect_eq(got, r->completeness[k], "%s: session %zu: %u, expected %u", r->rule, k + 1, got,
                         r->completeness[k]);
        }
        convo_free(&cv);
    }
}

Test(peers, wireshark_segment_bits)
{
    cr_expect_eq(wireshark_segment_bits(TCP_SYN, 0), 0);
    cr_expect_eq(wireshark_segment_bits(TCP_SYN | TCP_ACK, 10), WS_SYNACK);
    cr_expect_eq(wireshark_segment_bits(TCP_ACK, 0), WS_ACK);
    cr_expect_eq(wireshark_segment_bits(TCP_ACK | TCP_PSH, 1), WS_DATA);
    cr_expect_eq(wireshark_segment_bits(TCP_FIN, 0), 0);
    cr_expect_eq(wireshark_segment_bits(TCP_FIN | TCP_ACK, 5), WS_FIN | WS_DATA);
    cr_expect_eq(wireshark_segment_bits(TCP_RST, 0), WS_RST);
    cr_expect_eq(wireshark_segment_bits(TCP_RST | TCP_ACK, 0), WS_RST | WS_ACK);
    cr_expect_eq(wireshark_segment_bits(TCP_SYN | TCP_FIN, 0), 0);
    cr_expect_eq(wireshark_segment_bits(0, 100), 0);
}
