/* test_zeek.c — Zeek's view (analysis/tcp/zeek.c, zeek_conn.c): conn_state one row per rule of
 * main.zeek's conn_state(); then conversations, one row each, with the conn.log records Zeek
 * would write for them as its source has it: letters and endpoint states
 * (TCPSessionAdapter::Process), timers (attempt, close, reset, inactivity), reuse (IsReuse)
 * and role flips (WantConnection, SYN/SYN-ACK reversal, PR #2191). */
#include <criterion/criterion.h>
#include <string.h>

#include "convo.h"
#include "zeek.h"

enum { INACTIVE = ZEEK_INACTIVE, SYN_SENT = ZEEK_SYN_SENT, SYN_ACK_SENT = ZEEK_SYN_ACK_SENT,
       PARTIAL = ZEEK_PARTIAL, ESTAB = ZEEK_ESTABLISHED, CLOSED = ZEEK_CLOSED, RESET = ZEEK_RESET };

struct conn_row {
    uint8_t orig, resp; /* Zeek's endpoint states */
    const char *history;
    uint64_t size;      /* each endpoint's Size() */
    const char *conn_state;
};

static const struct conn_row conn_rows[] = {
    {SYN_SENT, INACTIVE, "S", 0, "S0"},
    {ESTAB, ESTAB, "ShAD", 10, "S1"},
    {CLOSED, CLOSED, "ShADFf", 10, "SF"},
    {SYN_SENT, RESET, "Sr", 0, "REJ"},
    {SYN_ACK_SENT, RESET, "Hr", 0, "REJ"},
    {RESET, RESET, "ShRr", 0, "REJ"},
    {RESET, RESET, "ShADRr", 10, "RSTR"},
    {ESTAB, RESET, "ShADr", 10, "RSTR"},
    {INACTIVE, RESET, "r", 0, "RSTRH"},
    {PARTIAL, RESET, "Dr", 10, "RSTRH"},
    {RESET, ESTAB, "ShADR", 10, "RSTO"},
    {RESET, INACTIVE, "SR", 0, "RSTOS0"},
    {RESET, INACTIVE, "^SR", 0, "RSTOS0"},
    {RESET, INACTIVE, "SAR", 0, "OTH"},
    {CLOSED, INACTIVE, "SF", 0, "SH"},
    {CLOSED, ESTAB, "ShADF", 10, "S2"},
    {INACTIVE, CLOSED, "f", 0, "SHR"},
    {ESTAB, CLOSED, "ShADf", 10, "S3"},
    {INACTIVE, INACTIVE, "", 0, "OTH"},
    {PARTIAL, PARTIAL, "Dd", 10, "OTH"},
};

Test(peers, zeek_conn_state_follows_main_zeek)
{
    for (size_t i = 0; i < sizeof conn_rows / sizeof conn_rows[0]; i++) {
        const struct conn_row *r = &conn_rows[i];
        cr_expect_str_eq(zeek_conn_state_of(r->orig, r->resp, r->size, r->size, r->history), r->conn_state,
                         "row %zu (%s)", i, r->history);
    }
}

Test(peers, zeek_likely_server_ports)
{
    cr_expect(zeek_likely_server_port(80));
    cr_expect(zeek_likely_server_port(443));
    cr_expect(zeek_likely_server_port(22));
    cr_expect(zeek_likely_server_port(20000));
    cr_expect(!zeek_likely_server_port(40000));
    cr_expect(!zeek_likely_server_port(0));
    cr_expect(!zeek_likely_server_port(8081));
}

/* ---- conversations ---------------------------------------------------------------------------- */

enum { A = TCP_ACK, S = TCP_SYN, F = TCP_FIN, R = TCP_RST, P = TCP_PSH };
enum { C = 0x100 }; /* client: 10.0.0.1:40000, server: 10.0.0.2:80 (a likely server port) */

struct seg {
    int dir;          /* C2S or S2C */
    uint16_t flags;
    uint32_t seq, ack, len;
    int64_t after_ms; /* time since the previous segment (1 ms when 0) */
    uint16_t window;  /* 0: 64240 */
};

struct rec {
    uint64_t first;
    int orig;         /* ROLE_* */
    const char *conn_state, *history;
};

struct scenario {
    const char *name;
    struct seg segs[16];
    struct rec recs[4];
};

/* ISNs: client 1000, server 5000. */
#define HS {C2S, S, 1000, 0, 0, 0, 0}, {S2C, S | A, 5000, 1001, 0, 0, 0}, {C2S, A, 1001, 5001, 0, 0, 0}

static const struct scenario scenarios[] = {
    {"full close",
     {HS, {C2S, P | A, 1001, 5001, 10, 0, 0}, {S2C, P | A, 5001, 1011, 20, 0, 0}, {C2S, F | A, 1011, 5021, 0, 0, 0},
      {S2C, F | A, 5021, 1012, 0, 0, 0}, {C2S, A, 1012, 5022, 0, 0, 0}},
     {{1, ROLE_CLIENT, "SF", "ShADdFf"}}},
    {"SYN retransmitted within tcp_attempt_delay",
     {{C2S, S, 1000, 0, 0, 0, 0}, {C2S, S, 1000, 0, 0, 1000, 0}, {C2S, S, 1000, 0, 0, 2000, 0}},
     {{1, ROLE_CLIENT, "S0", "S"}}},
    {"SYN retransmitted after tcp_attempt_delay: a new record",
     {{C2S, S, 1000, 0, 0, 0, 0}, {C2S, S, 1000, 0, 0, 3000, 0}, {C2S, S, 1000, 0, 0, 6000, 0}},
     {{1, ROLE_CLIENT, "S0", "S"}, {3, ROLE_CLIENT, "S0", "S"}}},
    {"one-sided client, all within 5 s",
     {{C2S, S, 1000, 0, 0, 0, 0}, {C2S, A, 1001, 5001, 0, 0, 0}, {C2S, P | A, 1001, 5001, 10, 0, 0},
      {C2S, F | A, 1011, 5001, 0, 0, 0}},
     {{1, ROLE_CLIENT, "SH", "SADF"}}},
    {"one-sided client, FIN after the attempt timer",
     {{C2S, S, 1000, 0, 0, 0, 0}, {C2S, A, 1001, 5001, 0, 0, 0}, {C2S, P | A, 1001, 5001, 10, 0, 0},
      {C2S, F | A, 1011, 5001, 0, 6000, 0}},
     {{1, ROLE_CLIENT, "S0", "SAD"}, {4, ROLE_CLIENT, "SH", "F"}}},
    {"stray data 16 s after a RST: a new record, and the RST it draws is the responder's",
     {HS, {C2S, P | A, 1001, 5001, 10, 0, 0}, {S2C, P | A, 5001, 1011, 20, 0, 0}, {C2S, R, 1011, 0, 0, 0, 0},
      {C2S, P | A, 1011, 5021, 10, 16000, 0}, {S2C, R, 5021, 0, 0, 0, 0}},
     {{1, ROLE_CLIENT, "RSTO", "ShADdR"}, {7, ROLE_CLIENT, "RSTRH", "Dr"}}},
    {"stray data 1 s after a RST: the same record",
     {HS, {C2S, P | A, 1001, 5001, 10, 0, 0}, {S2C, P | A, 5001, 1011, 20, 0, 0}, {C2S, R, 1011, 0, 0, 0, 0},
      {C2S, P | A, 1011, 5021, 10, 1000, 0}, {S2C, R, 5021, 0, 0, 0, 0}},
     {{1, ROLE_CLIENT, "RSTR", "ShADdRr"}}},
    {"refused, the SYN retried with the same ISN: one record per SYN",
     {{C2S, S, 1000, 0, 0, 0, 0}, {S2C, R | A, 0, 1001, 0, 0, 0}, {C2S, S, 1000, 0, 0, 1000, 0},
      {S2C, R | A, 0, 1001, 0, 0, 0}},
     {{1, ROLE_CLIENT, "REJ", "Sr"}, {3, ROLE_CLIENT, "REJ", "Sr"}}},
    {"RST from the client during the handshake",
     {{C2S, S, 1000, 0, 0, 0, 0}, {S2C, S | A, 5000, 1001, 0, 0, 0}, {C2S, R, 1001, 0, 0, 0, 0}},
     {{1, ROLE_CLIENT, "RSTO", "ShR"}}},
    {"simultaneous open: the second SYN is a reuse (IsReuse compares with the originator's ISN)",
     {{C2S, S, 1000, 0, 0, 0, 0}, {S2C, S, 5000, 0, 0, 0, 0}, {C2S, S | A, 1000, 5001, 0, 0, 0},
      {S2C, S | A, 5000, 1001, 0, 0, 0}, {C2S, A, 1001, 5001, 0, 0, 0}},
     {{1, ROLE_CLIENT, "S0", "S"}, {2, ROLE_SERVER, "S1", "Sha"}}},
    {"SYN-ACK after the attempt timer: a new record, flipped by the likely server port",
     {{C2S, S, 1000, 0, 0, 0, 0}, {S2C, S | A, 5000, 1001, 0, 6000, 0}, {C2S, A, 1001, 5001, 0, 0, 0}},
     {{1, ROLE_CLIENT, "S0", "S"}, {2, ROLE_CLIENT, "S1", "^hA"}}},
    {"mid-stream from the server's side: flipped by the likely server port",
     {{S2C, P | A, 5001, 1001, 20, 0, 0}, {C2S, A, 1001, 5021, 0, 0, 0}, {S2C, F | A, 5021, 1001, 0, 0, 0},
      {C2S, F | A, 1001, 5022, 0, 0, 0}},
     {{1, ROLE_CLIENT, "SF", "^dAfF"}}},
    {"idle for tcp_inactivity_timeout: a new record",
     {HS, {C2S, P | A, 1001, 5001, 10, 0, 0}, {C2S, P | A, 1011, 5001, 10, 301000, 0}},
     {{1, ROLE_CLIENT, "S1", "ShAD"}, {5, ROLE_CLIENT, "OTH", "D"}}},
    {"idle less than tcp_inactivity_timeout: the same record",
     {HS, {C2S, P | A, 1001, 5001, 10, 0, 0}, {C2S, P | A, 1011, 5001, 10, 299000, 0}},
     {{1, ROLE_CLIENT, "S1", "ShAD"}}},
    {"a closed connection lingers tcp_close_delay: a late ACK 6 s after it starts a record",
     {HS, {C2S, F | A, 1001, 5001, 0, 0, 0}, {S2C, F | A, 5001, 1002, 0, 0, 0}, {C2S, A, 1002, 5002, 0, 6000, 0}},
     {{1, ROLE_CLIENT, "SF", "ShAFf"}, {6, ROLE_CLIENT, "OTH", "A"}}},
    {"zero window: W after the segment's own letter; T at the 1st retransmission",
     {HS, {C2S, P | A, 1001, 5001, 10, 0, 0}, {C2S, P | A, 1001, 5001, 10, 0, 0}, {S2C, A, 5001, 1011, 0, 0, 0xffff},
      {S2C, A, 5001, 1011, 0, 0, 0xffff}},
     {{1, ROLE_CLIENT, "S1", "ShADTaw"}}},
    {"SYN+FIN is Q, FIN+RST is I",
     {{C2S, S | F, 1000, 0, 0, 0, 0}, {S2C, F | R | A, 5000, 1002, 0, 0, 0}},
     {{1, ROLE_CLIENT, "RSTR", "Qi"}}},
};

/* The window field: 0xffff in a row means a zero window. */
static void run_scenario(const struct scenario *sc)
{
    struct convo cv;
    convo_init(&cv, 4);
    for (size_t i = 0; i < 16 && sc->segs[i].flags; i++) {
        const struct seg *g = &sc->segs[i];
        cv.step_ns = (g->after_ms ? g->after_ms : 1) * 1000000LL;
        cv.c2s.window = g->window == 0xffff ? 0 : 64240;
        convo_send(&cv, g->dir, g->flags, g->seq, g->ack, g->len);
    }
    struct session *s = convo_finish(&cv, 0);
    cr_assert_not_null(s, "%s", sc->name);
    cr_expect_eq(session_table_count(cv.table), 1, "%s: one session", sc->name);
    size_t n = 0;
    while (n < 4 && sc->recs[n].conn_state)
        n++;
    cr_expect_eq(1 + s->n_zeek_more, n, "%s: %u records", sc->name, 1 + s->n_zeek_more);
    for (size_t k = 0; k < n && k <= s->n_zeek_more; k++) {
        const struct rec *want = &sc->recs[k];
        uint64_t first = k ? s->zeek_more[k - 1].first_packet : s->first_packet;
        int orig = k ? s->zeek_more[k - 1].orig : s->zeek_orig;
        const char *state = k ? s->zeek_more[k - 1].conn_state : s->conn_state;
        const char *history = k ? s->zeek_more[k - 1].history : s->zeek_history;
        cr_expect_eq(first, want->first, "%s: record %zu first packet %lu", sc->name, k, (unsigned long)first);
        cr_expect_eq(orig, want->orig, "%s: record %zu orig", sc->name, k);
        cr_expect_str_eq(state, want->conn_state, "%s: record %zu conn_state", sc->name, k);
        cr_expect_str_eq(history, want->history, "%s: record %zu history", sc->name, k);
    }
    convo_free(&cv);
}

Test(peers, zeek_records_as_zeek_writes_them)
{
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
        run_scenario(&scenarios[i]);
}

/* A connection that began with a SYN-ACK between two unlikely server ports is flipped when an
 * ACK follows (zeek PR #2191): "H" becomes "^h". */
Test(peers, zeek_synack_then_ack_flips_roles)
{
    struct convo cv;
    convo_init(&cv, 4);
    cv.c2s.dport = 40001;
    convo_send(&cv, S2C, TCP_SYN | TCP_ACK, 5000, 1001, 0);
    convo_send(&cv, C2S, TCP_ACK, 1001, 5001, 0);
    struct session *s = convo_finish(&cv, 0);
    cr_assert_str_eq(s->zeek_history, "^hA");
    cr_assert_eq(s->zeek_orig, ROLE_CLIENT);
    cr_assert_str_eq(s->conn_state, "OTH");
    convo_free(&cv);
}

/* Without the ACK the SYN-ACK's sender stays the originator (a stealth scan's answer). */
Test(peers, zeek_lone_synack_is_not_flipped)
{
    struct convo cv;
    convo_init(&cv, 4);
    cv.c2s.dport = 40001;
    convo_send(&cv, S2C, TCP_SYN | TCP_ACK, 5000, 1001, 0);
    struct session *s = convo_finish(&cv, 0);
    cr_assert_str_eq(s->zeek_history, "H");
    cr_assert_eq(s->zeek_orig, ROLE_SERVER);
    convo_free(&cv);
}

/* T (a data retransmission) at the 1st and 10th occurrence. */
Test(peers, zeek_retransmission_letters_scale_by_ten)
{
    struct convo cv;
    convo_init(&cv, 4);
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, TCP_PSH | TCP_ACK, 1001, 5001, 100);
    for (int i = 0; i < 10; i++)
        convo_send(&cv, C2S, TCP_PSH | TCP_ACK, 1001, 5001, 100);
    struct session *s = convo_finish(&cv, 0);
    cr_assert_str_eq(s->zeek_history, "ShADTT");
    cr_assert_str_eq(s->conn_state, "S1");
    convo_free(&cv);
}
