/* convo.c — see convo.h. */
#include "convo.h"

#include <arpa/inet.h>
#include <string.h>

void convo_init(struct convo *cv, int ip_version)
{
    memset(cv, 0, sizeof *cv);
    cv->table = session_table_new(NULL);
    cv->c2s.ip_version = (uint8_t)ip_version;
    if (ip_version == 6) {
        inet_pton(AF_INET6, "2001:db8::1", cv->c2s.src);
        inet_pton(AF_INET6, "2001:db8::2", cv->c2s.dst);
    } else {
        inet_pton(AF_INET, "10.0.0.1", cv->c2s.src);
        inet_pton(AF_INET, "10.0.0.2", cv->c2s.dst);
    }
    cv->c2s.sport = 40000;
    cv->c2s.dport = 80;
    cv->c2s.window = 64240;
    cv->ts = 1700000000LL * 1000000000LL;
    cv->step_ns = 1000000;
}

void convo_free(struct convo *cv)
{
    session_table_free(cv->table);
    cv->table = NULL;
}

struct session *convo_send(struct convo *cv, int dir, uint16_t flags, uint32_t seq, uint32_t ack, uint32_t len)
{
    struct decoded_packet p = cv->c2s;
    if (dir == S2C) {
        memcpy(p.src, cv->c2s.dst, 16);
        memcpy(p.dst, cv->c2s.src, 16);
        p.sport = cv->c2s.dport;
        p.dport = cv->c2s.sport;
    }
    p.flags = flags;
    p.seq = seq;
    p.ack = ack;
    p.payload_len = len;
    cv->ts += cv->step_ns;
    return session_table_add(cv->table, &p, cv->ts, ++cv->packet_no);
}

struct session *convo_finish(struct convo *cv, size_t i)
{
    session_table_finish(cv->table); /* which classifies the sessions too */
    /* The table of a conversation keeps its sessions in memory (no spill_dir): tests may
     * change them, to make a case no segments can. */
    return i < session_table_count(cv->table) ? (struct session *)session_table_get(cv->table, i, NULL) : NULL;
}

void convo_handshake(struct convo *cv, uint32_t cisn, uint32_t sisn)
{
    convo_send(cv, C2S, TCP_SYN, cisn, 0, 0);
    convo_send(cv, S2C, TCP_SYN | TCP_ACK, sisn, cisn + 1, 0);
    convo_send(cv, C2S, TCP_ACK, cisn + 1, sisn + 1, 0);
}
