/* session.c — the names of states, classes and anomalies, as the schema spells them, and the
 * text of addresses, flags and options as tcpdump writes them. */
#include "session.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

const char *tcp_state_name(enum tcp_state s)
{
    static const char *const names[TCP_STATES] = {
        [TCP_STATE_UNKNOWN] = "UNKNOWN", [TCP_CLOSED] = "CLOSED", [TCP_LISTEN] = "LISTEN",
        [TCP_SYN_SENT] = "SYN-SENT", [TCP_SYN_RECEIVED] = "SYN-RECEIVED",
        [TCP_ESTABLISHED] = "ESTABLISHED", [TCP_FIN_WAIT_1] = "FIN-WAIT-1",
        [TCP_FIN_WAIT_2] = "FIN-WAIT-2", [TCP_CLOSE_WAIT] = "CLOSE-WAIT", [TCP_CLOSING] = "CLOSING",
        [TCP_LAST_ACK] = "LAST-ACK", [TCP_TIME_WAIT] = "TIME-WAIT",
    };
    return (unsigned)s < TCP_STATES ? names[s] : "UNKNOWN";
}

const char *handshake_class_name(enum handshake_class c)
{
    static const char *const names[HANDSHAKE_CLASSES] = {
        [HANDSHAKE_NORMAL] = "normal", [HANDSHAKE_SIMULTANEOUS_OPEN] = "simultaneous-open",
        [HANDSHAKE_REFUSED] = "refused", [HANDSHAKE_SYN_ONLY] = "syn-only",
        [HANDSHAKE_NO_FINAL_ACK] = "no-final-ack", [HANDSHAKE_MISSING] = "missing",
    };
    return (unsigned)c < HANDSHAKE_CLASSES ? names[c] : "unknown";
}

const char *teardown_class_name(enum teardown_class c)
{
    static const char *const names[TEARDOWN_CLASSES] = {
        [TEARDOWN_FOUR_WAY] = "four-way", [TEARDOWN_MERGED_FIN] = "merged-fin",
        [TEARDOWN_SIMULTANEOUS_CLOSE] = "simultaneous-close", [TEARDOWN_RST] = "rst",
        [TEARDOWN_INCOMPLETE] = "incomplete", [TEARDOWN_HALF_CLOSED] = "half-closed",
        [TEARDOWN_NONE] = "none",
    };
    return (unsigned)c < TEARDOWN_CLASSES ? names[c] : "unknown";
}

const char *anomaly_name(enum anomaly a)
{
    static const char *const names[ANOMALIES] = {
        [ANOMALY_SYN_RETRANSMITTED] = "syn-retransmitted",
        [ANOMALY_SYNACK_RETRANSMITTED] = "synack-retransmitted",
        [ANOMALY_FIN_RETRANSMITTED] = "fin-retransmitted",
        [ANOMALY_RETRANSMISSION] = "retransmission", [ANOMALY_OUT_OF_ORDER] = "out-of-order",
        [ANOMALY_BAD_ACK] = "bad-ack", [ANOMALY_RST_AFTER_FIN] = "rst-after-fin",
        [ANOMALY_DATA_ON_SYN] = "data-on-syn", [ANOMALY_ZERO_WINDOW] = "zero-window",
        [ANOMALY_ISN_ZERO] = "isn-zero", [ANOMALY_FINAL_ACK_NOT_CAPTURED] = "final-ack-not-captured",
        [ANOMALY_ROLES_INFERRED] = "roles-inferred", [ANOMALY_TRUNCATED] = "truncated",
        [ANOMALY_BAD_CHECKSUM] = "bad-checksum",
        [ANOMALY_RST_DURING_HANDSHAKE] = "rst-during-handshake",
        [ANOMALY_SYN_NOT_CAPTURED] = "syn-not-captured",
        [ANOMALY_MALFORMED_OPTIONS] = "malformed-options",
        [ANOMALY_DATA_AFTER_FIN] = "data-after-fin",
        [ANOMALY_ONE_SIDED] = "one-sided",
    };
    return (unsigned)a < ANOMALIES ? names[a] : "unknown";
}

char *tcp_flags_string(uint16_t flags, char *buf)
{
    /* tcpdump's tcp_flag_values order (print-tcp.c). */
    static const struct { uint16_t bit; char c; } order[] = {
        {TCP_FIN, 'F'}, {TCP_SYN, 'S'}, {TCP_RST, 'R'}, {TCP_PSH, 'P'},
        {TCP_ACK, '.'}, {TCP_URG, 'U'}, {TCP_ECE, 'E'}, {TCP_CWR, 'W'},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (flags & order[i].bit)
            buf[n++] = order[i].c;
    if (!n) {
        memcpy(buf, "none", 5);
        return buf;
    }
    buf[n] = '\0';
    return buf;
}

char *tcp_options_string(const struct tcp_options *o, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
#define APPEND(...) do { if (n < len) { int k = snprintf(buf + n, len - n, __VA_ARGS__); if (k > 0) n += (size_t)k; } } while (0)
    if (o->present & OPT_MSS)
        APPEND("%smss %u", n ? "," : "", o->mss);
    if (o->present & OPT_SACK_PERM)
        APPEND("%ssackOK", n ? "," : "");
    if (o->present & OPT_SACK)
        APPEND("%ssack %u", n ? "," : "", o->sack_blocks);
    if (o->present & OPT_TS)
        APPEND("%sTS val %u ecr %u", n ? "," : "", o->ts_val, o->ts_ecr);
    if (o->present & OPT_WSCALE)
        APPEND("%swscale %u", n ? "," : "", o->wscale);
#undef APPEND
    return buf;
}

char *ip_address_string(int ip_version, const uint8_t *addr, char *buf)
{
    if (ip_version == 6) {
        if (!inet_ntop(AF_INET6, addr, buf, IP_ADDRESS_STRING_LEN))
            memcpy(buf, "?", 2);
        return buf;
    }
    /* IPv4 by hand, as inet_ntop writes it: glibc's goes through sprintf, which cost the
     * renderers as much as the rest of a session's endpoint. */
    char *w = buf;
    for (int i = 0; i < 4; i++) {
        unsigned v = addr[i];
        if (i)
            *w++ = '.';
        if (v >= 100)
            *w++ = (char)('0' + v / 100);
        if (v >= 10)
            *w++ = (char)('0' + v / 10 % 10);
        *w++ = (char)('0' + v % 10);
    }
    *w = '\0';
    return buf;
}

const char *session_role_name(int role)
{
    return role == ROLE_CLIENT ? "client" : role == ROLE_SERVER ? "server" : NULL;
}

char *session_endpoint_string(const struct session *s, int role, char *buf)
{
    const struct session_side *d = &s->side[role];
    char *w = buf;
    if (s->ip_version == 6)
        *w++ = '[';
    ip_address_string(s->ip_version, d->addr, w);
    w += strlen(w);
    if (s->ip_version == 6)
        *w++ = ']';
    *w++ = ':';
    char digits[5];
    int n = 0;
    unsigned port = d->port;
    do /* by hand, like the address: the renderers write one per session */
        digits[n++] = (char)('0' + port % 10);
    while ((port /= 10) && n < 5);
    while (n)
        *w++ = digits[--n];
    *w = '\0';
    return buf;
}
