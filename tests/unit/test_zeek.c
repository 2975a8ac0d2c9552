/* test_zeek.c — Zeek's view (analysis/tcp/zeek.c): conn_state from the two endpoint states
 * and the history, one row per rule of main.zeek's conn_state(); and the letters that are
 * written at the 1st, 10th, 100th ... occurrence. */
#include <criterion/criterion.h>
#include <string.h>

#include "convo.h"
#include "zeek.h"

enum { INACTIVE = ZEEK_INACTIVE, SYN_SENT = ZEEK_SYN_SENT, SYN_ACK_SENT = ZEEK_SYN_ACK_SENT,
       PARTIAL = ZEEK_PARTIAL, ESTAB = ZEEK_ESTABLISHED, CLOSED = ZEEK_CLOSED, RESET = ZEEK_RESET };

struct conn_row {
    uint8_t orig, resp;   /* the client's and the server's Zeek endpoint states */
    const char *history;
    uint64_t payload;     /* bytes each side sent */
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

Test(zeek, conn_state_follows_main_zeek)
{
    for (size_t i = 0; i < sizeof conn_rows / sizeof conn_rows[0]; i++) {
        const struct conn_row *r = &conn_rows[i];
        struct session s;
        memset(&s, 0, sizeof s);
        s.side[ROLE_CLIENT].zeek_state = r->orig;
        s.side[ROLE_SERVER].zeek_state = r->resp;
        s.side[ROLE_CLIENT].payload_bytes = s.side[ROLE_SERVER].payload_bytes = r->payload;
        strcpy(s.zeek_history, r->history);
        cr_expect_str_eq(zeek_conn_state(&s), r->conn_state, "row %zu (%s)", i, r->history);
    }
}

static struct convo cv;
static void setup(void) { convo_init(&cv, 4); }
static void teardown(void) { convo_free(&cv); }

/* T (a data retransmission) at the 1st and 10th, W (a zero window) at the 1st; each comes
 * before the segment's own letter. */
Test(zeek, retransmission_and_zero_window_letters_scale_by_ten, .init = setup, .fini = teardown)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, TCP_PSH | TCP_ACK, 1001, 5001, 100);
    for (int i = 0; i < 10; i++)
        convo_send(&cv, C2S, TCP_PSH | TCP_ACK, 1001, 5001, 100);
    cv.c2s.window = 0;
    convo_send(&cv, S2C, TCP_ACK, 5001, 1101, 0);
    convo_send(&cv, S2C, TCP_ACK, 5001, 1101, 0);
    struct session *s = convo_finish(&cv, 0);
    cr_assert_str_eq(s->zeek_history, "ShADTTwa");
    cr_assert_eq(s->side[ROLE_CLIENT].retransmissions, 10);
    cr_assert_eq(s->side[ROLE_SERVER].zero_windows, 2);
    cr_assert_str_eq(s->conn_state, "S1");
}
