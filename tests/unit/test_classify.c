/* test_classify.c — every handshake and teardown class of TAXONOMY.md, and the anomalies,
 * from short hand-made segment sequences. */
#include <criterion/criterion.h>
#include <string.h>

#include "convo.h"

#define A TCP_ACK
#define F (TCP_FIN | TCP_ACK)
#define P (TCP_PSH | TCP_ACK)

static struct convo cv;
static void setup(void) { convo_init(&cv, 4); }
static void teardown(void) { convo_free(&cv); }
TestSuite(classify, .init = setup, .fini = teardown);

static void assert_classes(const struct session *s, enum handshake_class hs, enum teardown_class td)
{
    cr_assert_not_null(s);
    cr_assert_str_eq(handshake_class_name(s->handshake), handshake_class_name(hs));
    cr_assert_str_eq(teardown_class_name(s->teardown), teardown_class_name(td));
}

static void assert_anomalies(const struct session *s, uint32_t expected)
{
    cr_assert_eq(s->anomalies, expected, "anomalies 0x%x, expected 0x%x", s->anomalies, expected);
}

#define BIT(a) (1u << (a))

Test(classify, normal_four_way_client_closes)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, P, 1001, 5001, 100);
    convo_send(&cv, S2C, A, 5001, 1101, 0);
    convo_send(&cv, C2S, F, 1101, 5001, 0);
    convo_send(&cv, S2C, A, 5001, 1102, 0);
    convo_send(&cv, S2C, F, 5001, 1102, 0);
    convo_send(&cv, C2S, A, 1102, 5002, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_FOUR_WAY);
    cr_assert_eq(s->active_closer, ROLE_CLIENT);
    assert_anomalies(s, 0);
    cr_assert_str_eq(s->conn_state, "SF");
    cr_assert_str_eq(s->zeek_history, "ShADaFf");
    cr_assert_eq(s->wireshark_completeness, 31);
    cr_assert_eq(s->n_checks, 4);
    for (unsigned i = 0; i < s->n_checks; i++)
        cr_assert(s->checks[i].pass, "check %s", s->checks[i].name);
    cr_assert_eq(s->checks[0].expected, 1001);
    cr_assert_eq(s->checks[1].expected, 5001);
    cr_assert_eq(s->checks[2].expected, 1102);
    cr_assert_eq(s->checks[3].expected, 5002);
    cr_assert_eq(s->side[ROLE_CLIENT].state, TCP_TIME_WAIT);
    cr_assert_eq(s->side[ROLE_SERVER].state, TCP_CLOSED);
    cr_assert_eq(s->rtt_syn_synack, 1000000);
    cr_assert_eq(s->rtt_synack_ack, 1000000);
}

Test(classify, states_follow_rfc9293_through_the_close)
{
    static const uint8_t want[][2] = {
        {TCP_SYN_SENT, TCP_LISTEN}, {TCP_ESTABLISHED, TCP_SYN_RECEIVED},
        {TCP_ESTABLISHED, TCP_ESTABLISHED}, {TCP_FIN_WAIT_1, TCP_CLOSE_WAIT},
        {TCP_FIN_WAIT_2, TCP_CLOSE_WAIT}, {TCP_TIME_WAIT, TCP_LAST_ACK}, {TCP_TIME_WAIT, TCP_CLOSED},
    };
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, F, 1001, 5001, 0);
    convo_send(&cv, S2C, A, 5001, 1002, 0);
    convo_send(&cv, S2C, F, 5001, 1002, 0);
    convo_send(&cv, C2S, A, 1002, 5002, 0);
    struct session *s = convo_finish(&cv, 0);
    cr_assert_eq(s->n_events, 7);
    for (unsigned i = 0; i < 7; i++) {
        cr_assert_eq(s->events[i].state[0], want[i][0], "event %u client %s", i, tcp_state_name(s->events[i].state[0]));
        cr_assert_eq(s->events[i].state[1], want[i][1], "event %u server %s", i, tcp_state_name(s->events[i].state[1]));
    }
}

Test(classify, server_closes_first)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, S2C, F, 5001, 1001, 0);
    convo_send(&cv, C2S, A, 1001, 5002, 0);
    convo_send(&cv, C2S, F, 1001, 5002, 0);
    convo_send(&cv, S2C, A, 5002, 1002, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_FOUR_WAY);
    cr_assert_eq(s->active_closer, ROLE_SERVER);
    cr_assert_eq(s->side[ROLE_SERVER].state, TCP_TIME_WAIT);
}

Test(classify, merged_fin_three_packet_close)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, S2C, F, 5001, 1001, 0);
    convo_send(&cv, C2S, F, 1001, 5002, 0); /* FIN riding on the ACK of the server's FIN */
    convo_send(&cv, S2C, A, 5002, 1002, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_MERGED_FIN);
    cr_assert_eq(s->active_closer, ROLE_SERVER);
    assert_anomalies(s, 0);
    cr_assert_eq(s->side[ROLE_SERVER].state, TCP_TIME_WAIT);
    cr_assert_eq(s->side[ROLE_CLIENT].state, TCP_CLOSED);
    cr_assert_eq(s->n_events, 6);
    cr_assert_eq(s->events[4].state[ROLE_CLIENT], TCP_LAST_ACK);
    cr_assert_eq(s->events[4].state[ROLE_SERVER], TCP_TIME_WAIT);
}

Test(classify, simultaneous_close)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, F, 1001, 5001, 0);
    convo_send(&cv, S2C, F, 5001, 1001, 0); /* does not acknowledge the client's FIN */
    convo_send(&cv, C2S, A, 1002, 5002, 0);
    convo_send(&cv, S2C, A, 5002, 1002, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_SIMULTANEOUS_CLOSE);
    cr_assert_eq(s->side[ROLE_CLIENT].state, TCP_TIME_WAIT);
    cr_assert_eq(s->side[ROLE_SERVER].state, TCP_TIME_WAIT);
    /* The server never was in CLOSE-WAIT: its FIN crossed the client's. */
    cr_assert_eq(s->events[3].state[ROLE_SERVER], TCP_ESTABLISHED);
    cr_assert_eq(s->events[4].state[ROLE_SERVER], TCP_CLOSING);
    cr_assert_eq(s->events[4].state[ROLE_CLIENT], TCP_CLOSING);
}

Test(classify, simultaneous_open)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, S2C, TCP_SYN, 5000, 0, 0);
    convo_send(&cv, C2S, TCP_SYN | A, 1000, 5001, 0);
    convo_send(&cv, S2C, TCP_SYN | A, 5000, 1001, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_SIMULTANEOUS_OPEN, TEARDOWN_NONE);
    cr_assert_eq(s->side[0].state, TCP_ESTABLISHED);
    cr_assert_eq(s->side[1].state, TCP_ESTABLISHED);
    cr_assert_eq(s->events[0].state[ROLE_SERVER], TCP_CLOSED, "the server never listened");
    cr_assert_eq(s->events[1].state[ROLE_SERVER], TCP_SYN_SENT);
    cr_assert_eq(s->events[1].state[ROLE_CLIENT], TCP_SYN_RECEIVED);
}

Test(classify, refused)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, S2C, TCP_RST | A, 0, 1001, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_REFUSED, TEARDOWN_NONE);
    cr_assert_str_eq(s->conn_state, "REJ");
    cr_assert_str_eq(s->zeek_history, "Sr");
    cr_assert_eq(s->wireshark_completeness, 1 | 4 | 32);
    assert_anomalies(s, 0);
}

Test(classify, syn_only_with_retransmissions)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    struct session *s = convo_finish(&cv, 0);
    cr_assert_eq(session_table_count(cv.table), 1, "a retransmitted SYN is the same session");
    assert_classes(s, HANDSHAKE_SYN_ONLY, TEARDOWN_NONE);
    assert_anomalies(s, BIT(ANOMALY_SYN_RETRANSMITTED));
    cr_assert_str_eq(s->conn_state, "S0");
    cr_assert_str_eq(s->zeek_history, "S");
    cr_assert_eq(s->side[ROLE_CLIENT].syns, 3);
}

Test(classify, no_final_ack)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, S2C, TCP_SYN | A, 5000, 1001, 0);
    convo_send(&cv, S2C, TCP_SYN | A, 5000, 1001, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NO_FINAL_ACK, TEARDOWN_NONE);
    assert_anomalies(s, BIT(ANOMALY_SYNACK_RETRANSMITTED) | BIT(ANOMALY_FINAL_ACK_NOT_CAPTURED));
    cr_assert_str_eq(s->conn_state, "S1");
}

/* SYN, SYN/ACK, then a RST from the client (a scanner, an aborted connect): the handshake was
 * aborted, the teardown is that RST, and no final ACK went missing. */
Test(classify, no_final_ack_then_rst)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, S2C, TCP_SYN | A, 5000, 1001, 0);
    convo_send(&cv, C2S, TCP_RST, 1001, 0, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NO_FINAL_ACK, TEARDOWN_RST);
    cr_assert_eq(s->rst_sender, ROLE_CLIENT);
    cr_assert(classify_handshake_aborted(s));
    assert_anomalies(s, BIT(ANOMALY_RST_DURING_HANDSHAKE));
    cr_assert_str_eq(s->conn_state, "RSTO");
    cr_assert_str_eq(s->zeek_history, "ShR");
}

/* The same with a RST/ACK acknowledging the SYN/ACK: a RST aborts, it does not complete. */
Test(classify, rst_ack_acknowledging_the_synack_aborts_the_handshake)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, S2C, TCP_SYN | A, 5000, 1001, 0);
    convo_send(&cv, C2S, TCP_RST | A, 1001, 5001, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NO_FINAL_ACK, TEARDOWN_RST);
    cr_assert_eq(s->rst_sender, ROLE_CLIENT);
    assert_anomalies(s, BIT(ANOMALY_RST_DURING_HANDSHAKE));
}

/* A refusal is its own handshake class: its RST is not a teardown. */
Test(classify, refused_rst_is_not_a_teardown)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, S2C, TCP_RST | A, 0, 1001, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_REFUSED, TEARDOWN_NONE);
    cr_assert(!classify_handshake_aborted(s));
}

/* One-sided capture (only the client's segments): SYN, its ACK of the server's ISN + 1, data,
 * FIN. The ACK proves the SYN/ACK existed: the handshake completed out of view. Zeek, all
 * within its attempt delay, logs SH with history SADF. */
Test(classify, one_sided_client)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, C2S, A, 1001, 5001, 0);
    convo_send(&cv, C2S, P, 1001, 5001, 100);
    convo_send(&cv, C2S, F, 1101, 5001, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_HALF_CLOSED);
    assert_anomalies(s, BIT(ANOMALY_ONE_SIDED));
    cr_assert_eq(s->n_checks, 0, "the server's ISN is unknown: nothing to check");
    cr_assert_str_eq(tcp_state_name(s->side[ROLE_CLIENT].state), "FIN-WAIT-1");
    cr_assert_str_eq(tcp_state_name(s->side[ROLE_SERVER].state), "CLOSE-WAIT");
    cr_assert_str_eq(s->conn_state, "SH");
    cr_assert_str_eq(s->zeek_history, "SADF");
    cr_assert_eq(s->wireshark_completeness, 1 | 4 | 8 | 16);
}

/* One-sided from the server's side: SYN/ACK, data, FIN. */
Test(classify, one_sided_server)
{
    convo_send(&cv, S2C, TCP_SYN | A, 5000, 1001, 0);
    convo_send(&cv, S2C, P, 5001, 1001, 100);
    convo_send(&cv, S2C, F, 5101, 1001, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_HALF_CLOSED);
    assert_anomalies(s, BIT(ANOMALY_ONE_SIDED) | BIT(ANOMALY_SYN_NOT_CAPTURED));
    cr_assert_str_eq(tcp_state_name(s->side[ROLE_SERVER].state), "FIN-WAIT-1");
    cr_assert_str_eq(s->zeek_history, "^hdf");
    cr_assert_str_eq(s->conn_state, "SHR");
}

/* SYNs alone are an unanswered attempt, not a one-sided capture. */
Test(classify, syn_only_is_not_one_sided)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_SYN_ONLY, TEARDOWN_NONE);
    cr_assert(!session_has_anomaly(s, ANOMALY_ONE_SIDED));
}

Test(classify, missing_handshake_mid_stream)
{
    convo_send(&cv, C2S, P, 7000, 9000, 50);
    convo_send(&cv, S2C, A, 9000, 7050, 0);
    convo_send(&cv, C2S, F, 7050, 9000, 0);
    convo_send(&cv, S2C, F, 9000, 7051, 0);
    convo_send(&cv, C2S, A, 7051, 9001, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_MISSING, TEARDOWN_MERGED_FIN);
    cr_assert(s->roles_inferred);
    cr_assert_eq(s->side[ROLE_SERVER].port, 80, "the lower port is the server");
    assert_anomalies(s, BIT(ANOMALY_ROLES_INFERRED));
    cr_assert_str_eq(s->conn_state, "SF");
    cr_assert_eq(s->wireshark_completeness, 4 | 8 | 16);
}

Test(classify, roles_inferred_when_the_server_speaks_first)
{
    convo_send(&cv, S2C, P, 9000, 7000, 10);
    struct session *s = convo_finish(&cv, 0);
    cr_assert_eq(s->side[ROLE_CLIENT].port, 40000);
    cr_assert_eq(s->side[ROLE_SERVER].port, 80);
    cr_assert_eq(s->side[ROLE_SERVER].packets, 1);
}

Test(classify, rst_by_server_after_data)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, P, 1001, 5001, 10);
    convo_send(&cv, S2C, TCP_RST | A, 5001, 1011, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_RST);
    cr_assert_eq(s->rst_sender, ROLE_SERVER);
    cr_assert_not(s->rst_after_fin);
    cr_assert_str_eq(s->conn_state, "RSTR");
    cr_assert_eq(s->side[0].state, TCP_CLOSED);
}

Test(classify, rst_after_fin_is_rst_with_after_fin)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, S2C, F, 5001, 1001, 0);
    convo_send(&cv, C2S, P, 1001, 5002, 10);
    convo_send(&cv, S2C, TCP_RST, 5002, 0, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_RST);
    cr_assert(s->rst_after_fin);
    cr_assert_eq(s->active_closer, ROLE_SERVER);
    cr_assert(session_has_anomaly(s, ANOMALY_RST_AFTER_FIN));
}

Test(classify, rst_after_a_complete_close_keeps_the_fin_class)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, F, 1001, 5001, 0);
    convo_send(&cv, S2C, F, 5001, 1002, 0);
    convo_send(&cv, C2S, A, 1002, 5002, 0);
    convo_send(&cv, C2S, TCP_RST, 1002, 0, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_MERGED_FIN);
    cr_assert(session_has_anomaly(s, ANOMALY_RST_AFTER_FIN));
    cr_assert_str_eq(s->conn_state, "SF", "Zeek ignores a RST after both FINs");
}

Test(classify, incomplete_when_the_last_ack_is_missing)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, F, 1001, 5001, 0);
    convo_send(&cv, S2C, A, 5001, 1002, 0);
    convo_send(&cv, S2C, F, 5001, 1002, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_INCOMPLETE);
    cr_assert(session_has_anomaly(s, ANOMALY_FINAL_ACK_NOT_CAPTURED));
}

Test(classify, half_closed_with_data_after_the_fin)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, F, 1001, 5001, 0);
    convo_send(&cv, S2C, A, 5001, 1002, 0);
    convo_send(&cv, S2C, P, 5001, 1002, 500);
    convo_send(&cv, C2S, A, 1002, 5501, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_HALF_CLOSED);
    cr_assert_eq(s->active_closer, ROLE_CLIENT);
    cr_assert_str_eq(s->conn_state, "S2");
    cr_assert_eq(s->side[ROLE_CLIENT].state, TCP_FIN_WAIT_2);
    cr_assert_eq(s->side[ROLE_SERVER].state, TCP_CLOSE_WAIT);
}

Test(classify, open_when_the_capture_ends)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, P, 1001, 5001, 10);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_NONE);
    cr_assert_str_eq(s->conn_state, "S1");
    cr_assert_eq(s->active_closer, ROLE_NONE);
}

Test(classify, bad_ack_in_the_handshake_fails_its_check)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, S2C, TCP_SYN | A, 5000, 1005, 0);
    convo_send(&cv, C2S, A, 1001, 5001, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_NONE);
    cr_assert(session_has_anomaly(s, ANOMALY_BAD_ACK));
    cr_assert_str_eq(s->checks[0].name, "synack-ack");
    cr_assert_not(s->checks[0].pass);
    cr_assert_eq(s->checks[0].expected, 1001);
    cr_assert_eq(s->checks[0].actual, 1005);
    cr_assert(s->events[1].marks & MARK_BAD_ACK);
}

Test(classify, isn_zero_and_data_on_syn)
{
    convo_send(&cv, C2S, TCP_SYN, 0, 0, 20);
    convo_send(&cv, S2C, TCP_SYN | A, 0, 21, 0);
    convo_send(&cv, C2S, A, 21, 1, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_NONE);
    cr_assert(session_has_anomaly(s, ANOMALY_ISN_ZERO));
    cr_assert(session_has_anomaly(s, ANOMALY_DATA_ON_SYN));
    cr_assert(session_has_anomaly(s, ANOMALY_BAD_ACK), "SYN/ACK ack should be ISN + 1 even with data");
}

Test(classify, synack_without_syn)
{
    convo_send(&cv, S2C, TCP_SYN | A, 5000, 1001, 0);
    convo_send(&cv, C2S, A, 1001, 5001, 0);
    struct session *s = convo_finish(&cv, 0);
    cr_assert_not(s->roles_inferred, "the receiver of a SYN/ACK is the client");
    cr_assert_eq(s->side[ROLE_CLIENT].port, 40000);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_NONE);
    cr_assert(session_has_anomaly(s, ANOMALY_SYN_NOT_CAPTURED));
}

Test(classify, retransmission_and_out_of_order)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, P, 1001, 5001, 100);
    convo_send(&cv, C2S, P, 1001, 5001, 100);  /* the same bytes again */
    convo_send(&cv, C2S, P, 1201, 5001, 100);  /* skips 1101..1200 */
    convo_send(&cv, C2S, P, 1101, 5001, 100);  /* fills the hole: never seen before */
    struct session *s = convo_finish(&cv, 0);
    cr_assert_eq(s->side[ROLE_CLIENT].retransmissions, 1);
    cr_assert_eq(s->side[ROLE_CLIENT].out_of_order, 1);
    cr_assert(s->events[4].marks & MARK_RETRANSMISSION);
    cr_assert(s->events[6].marks & MARK_OUT_OF_ORDER);
    assert_anomalies(s, BIT(ANOMALY_RETRANSMISSION) | BIT(ANOMALY_OUT_OF_ORDER));
    cr_assert_str_eq(s->zeek_history, "ShADT");
}

Test(classify, fin_retransmitted)
{
    convo_handshake(&cv, 1000, 5000);
    convo_send(&cv, C2S, F, 1001, 5001, 0);
    convo_send(&cv, C2S, F, 1001, 5001, 0);
    convo_send(&cv, S2C, F, 5001, 1002, 0);
    convo_send(&cv, C2S, A, 1002, 5002, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_MERGED_FIN);
    assert_anomalies(s, BIT(ANOMALY_FIN_RETRANSMITTED));
    cr_assert_eq(s->side[ROLE_CLIENT].retransmissions, 0, "a FIN is not data");
}

Test(classify, zero_window)
{
    convo_handshake(&cv, 1000, 5000);
    cv.c2s.window = 0;
    convo_send(&cv, C2S, A, 1001, 5001, 0);
    struct session *s = convo_finish(&cv, 0);
    cr_assert(session_has_anomaly(s, ANOMALY_ZERO_WINDOW));
    cr_assert_eq(s->side[ROLE_CLIENT].zero_windows, 1);
    cr_assert_str_eq(s->zeek_history, "ShAW");
}

Test(classify, sequence_wraparound_is_not_a_retransmission)
{
    uint32_t c = 0xffffff00u;
    convo_handshake(&cv, c, 5000);
    convo_send(&cv, C2S, P, c + 1, 5001, 200); /* crosses 2^32 */
    convo_send(&cv, C2S, P, c + 201, 5001, 200);
    convo_send(&cv, S2C, A, 5001, c + 401, 0);
    convo_send(&cv, C2S, F, c + 401, 5001, 0);
    convo_send(&cv, S2C, F, 5001, c + 402, 0);
    convo_send(&cv, C2S, A, c + 402, 5002, 0);
    struct session *s = convo_finish(&cv, 0);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_MERGED_FIN);
    assert_anomalies(s, 0);
    cr_assert_eq(s->checks[2].expected, (uint32_t)(c + 402));
    cr_assert(s->checks[2].pass);
}

Test(classify, port_reuse_starts_a_new_generation)
{
    for (uint32_t g = 0; g < 3; g++) {
        uint32_t c = 1000 + g * 100000, v = 5000 + g * 100000;
        convo_handshake(&cv, c, v);
        convo_send(&cv, C2S, F, c + 1, v + 1, 0);
        convo_send(&cv, S2C, F, v + 1, c + 2, 0);
        convo_send(&cv, C2S, A, c + 2, v + 2, 0);
    }
    convo_finish(&cv, 0);
    cr_assert_eq(session_table_count(cv.table), 3);
    for (uint32_t g = 0; g < 3; g++) {
        const struct session *s = session_table_get(cv.table, g, NULL);
        cr_assert_eq(s->generation, g);
        cr_assert_eq(s->id, g + 1);
        cr_assert_eq(s->side[ROLE_CLIENT].isn, 1000 + g * 100000);
        assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_MERGED_FIN);
        cr_assert_eq(s->side[0].packets + s->side[1].packets, 6);
    }
}

Test(classify, new_syn_on_an_unanswered_attempt_is_a_new_session)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, C2S, TCP_SYN, 777777, 0, 0);
    convo_finish(&cv, 0);
    cr_assert_eq(session_table_count(cv.table), 2);
}

Test(classify, timeline_is_bounded_and_counts_what_it_left_out)
{
    convo_handshake(&cv, 1000, 5000);
    uint32_t seq = 1001;
    for (int i = 0; i < 100000; i++, seq += 10)
        convo_send(&cv, C2S, P, seq, 5001, 10);
    convo_send(&cv, C2S, F, seq, 5001, 0);
    convo_send(&cv, S2C, F, 5001, seq + 1, 0);
    convo_send(&cv, C2S, A, seq + 1, 5002, 0);
    struct session *s = convo_finish(&cv, 0);
    cr_assert_eq(s->n_events, 3 + 4 + 4 + 3);
    cr_assert_eq(s->omitted_packets, 100000 - 8);
    cr_assert_eq(s->n_gaps, 1);
    cr_assert_eq(s->gaps[0].before, 7);
    cr_assert_eq(s->gaps[0].packets[DIR_C2S], 100000 - 8);
    cr_assert_eq(s->gaps[0].bytes[DIR_C2S], (100000 - 8) * 10);
    cr_assert_eq(s->side[ROLE_CLIENT].payload_bytes, 1000000);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_MERGED_FIN);
}

Test(classify, ipv6_session)
{
    convo_free(&cv);
    convo_init(&cv, 6);
    convo_handshake(&cv, 1000, 5000);
    struct session *s = convo_finish(&cv, 0);
    cr_assert_eq(s->ip_version, 6);
    assert_classes(s, HANDSHAKE_NORMAL, TEARDOWN_NONE);
}

Test(classify, conn_state_rules)
{
    /* SYN then FIN with no reply: SH. */
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, C2S, TCP_FIN, 1001, 0, 0);
    struct session *s = convo_finish(&cv, 0);
    cr_assert_str_eq(s->conn_state, "SH");
    cr_assert_str_eq(s->zeek_history, "SF");
}

Test(classify, rstos0_when_the_originator_resets_its_own_attempt)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, C2S, TCP_RST, 1001, 0, 0);
    struct session *s = convo_finish(&cv, 0);
    cr_assert_str_eq(s->conn_state, "RSTOS0");
    assert_classes(s, HANDSHAKE_SYN_ONLY, TEARDOWN_RST);
    cr_assert_eq(s->rst_sender, ROLE_CLIENT);
    cr_assert(session_has_anomaly(s, ANOMALY_RST_DURING_HANDSHAKE));
}

Test(classify, simultaneous_open_synack_is_not_a_retransmission)
{
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, S2C, TCP_SYN, 5000, 0, 0);
    convo_send(&cv, C2S, TCP_SYN | A, 1000, 5001, 0);
    convo_send(&cv, S2C, TCP_SYN | A, 5000, 1001, 0);
    convo_send(&cv, C2S, P, 1001, 5001, 10);
    struct session *s = convo_finish(&cv, 0);
    assert_anomalies(s, 0);
    /* Zeek: the server's SYN is a reuse (its ISN is not the originator's), so the first record
     * is the client's lone SYN and the second has the server as originator. */
    cr_assert_str_eq(s->zeek_history, "S");
    cr_assert_eq(s->n_zeek_more, 1);
    cr_assert_str_eq(s->zeek_more[0].history, "Shd");
    cr_assert_eq(s->side[ROLE_CLIENT].retransmissions, 0);
}
