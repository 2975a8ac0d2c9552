/* segment.c — what one segment tells about its session, recorded before any state machine
 * looks at it (segment.h): counters and times, the facts of its SYN, FIN, ACK and RST, and
 * whether it is new data, a retransmission or out of order. */
#include "segment.h"

static void set_anomaly(struct session *s, enum anomaly a) { s->anomalies |= 1u << a; }

/* Its first SYN (or SYN/ACK) gives a side its ISN and options. */
static void record_syn(struct session *s, struct session_side *side, const struct decoded_packet *p,
                       int64_t ts, uint64_t packet_no, bool *repeat)
{
    bool ack = p->flags & TCP_ACK;
    *repeat = side->isn_known && p->seq == side->isn && (ack ? side->synacks : side->syns) > 0;
    if (ack)
        side->synacks++;
    else
        side->syns++;
    if (*repeat)
        set_anomaly(s, ack ? ANOMALY_SYNACK_RETRANSMITTED : ANOMALY_SYN_RETRANSMITTED);
    if (!side->isn_known) {
        side->isn_known = true;
        side->isn = p->seq;
        side->syn_options = p->options;
        side->syn_packet = packet_no;
        side->syn_ts = ts;
        if (p->seq == 0)
            set_anomaly(s, ANOMALY_ISN_ZERO);
    }
    if (ack && side->synacks == 1)
        side->syn_ack = p->ack;
    if (p->payload_len)
        set_anomaly(s, ANOMALY_DATA_ON_SYN);
}

/* Its first FIN: the sequence number the FIN occupies (after the payload, and after the SYN
 * when both ride one segment). */
static void record_fin(struct session *s, struct session_side *side, const struct decoded_packet *p,
                       int64_t ts, uint64_t packet_no, bool *repeat)
{
    uint32_t fin_seq = p->seq + p->payload_len + !!(p->flags & TCP_SYN);
    side->fins++;
    *repeat = false;
    if (!side->fin_seen) {
        side->fin_seen = true;
        side->fin_seq = fin_seq;
        side->fin_packet = packet_no;
        side->fin_ts = ts;
    } else if (fin_seq == side->fin_seq) {
        *repeat = true;
        set_anomaly(s, ANOMALY_FIN_RETRANSMITTED);
    }
}

/* The first segment of a side acknowledging the peer's SYN, and the peer's FIN: the checks
 * and the round-trip times are measured on them. Returns MARK_* bits for the event. */
static uint8_t record_ack(struct session_side *side, const struct session_side *peer,
                          const struct decoded_packet *p, int64_t ts, uint64_t packet_no, bool *key)
{
    uint8_t marks = 0;
    if (!side->first_ack_packet && !(p->flags & (TCP_SYN | TCP_RST)))
        side->first_ack_packet = packet_no;
    /* A RST acknowledging the SYN aborts the handshake: it does not complete it. */
    if (!side->acked_syn && !(p->flags & TCP_RST) && peer->isn_known && seq_geq(p->ack, peer->isn + 1)) {
        side->acked_syn = true;
        side->ack_of_syn = p->ack;
        side->ack_of_syn_packet = packet_no;
        side->ack_of_syn_ts = ts;
        marks |= MARK_HANDSHAKE;
        *key = true;
    }
    if (!side->acked_fin && peer->fin_seen && seq_geq(p->ack, peer->fin_seq + 1)) {
        side->acked_fin = true;
        side->ack_of_fin = p->ack;
        side->ack_of_fin_packet = packet_no;
        side->ack_of_fin_ts = ts;
        marks |= MARK_TEARDOWN;
        *key = true;
    }
    return marks;
}

static void record_rst(struct session *s, int dir, int64_t ts, uint64_t packet_no)
{
    struct session_side *side = &s->side[dir], *peer = &s->side[!dir];
    side->rsts++;
    if (!s->rst_seen) {
        s->rst_seen = true;
        s->rst_sender = (int8_t)(dir == DIR_C2S ? ROLE_CLIENT : ROLE_SERVER);
        s->rst_after_fin = side->fin_seen || peer->fin_seen;
        s->rst_packet = packet_no;
        s->rst_ts = ts;
    }
}

/* Classifies the segment against what this side sent before: new data, a retransmission, or
 * a segment that fills a hole nobody saw filled (out of order). Returns MARK_* bits. */
static uint8_t track_sequence(struct session *s, struct session_side *side, struct seq_tracker *trk,
                              const struct decoded_packet *p, bool repeat)
{
    uint32_t span = p->payload_len + !!(p->flags & TCP_SYN) + !!(p->flags & TCP_FIN);
    uint32_t start = p->seq, end = p->seq + span;
    if (!trk->valid) {
        trk->valid = true;
        trk->next = end;
        return 0;
    }
    if (span == 0 || p->flags & TCP_RST)
        return 0;
    if (seq_gt(end, trk->next)) {
        if (seq_gt(start, trk->next)) {
            trk->hole = true; /* bytes skipped: lost before the capture point, or reordered */
            trk->hole_start = trk->next;
            trk->hole_end = start;
        }
        bool overlap = seq_lt(start, trk->next);
        trk->next = end;
        if (overlap && p->payload_len) {
            side->retransmissions++;
            set_anomaly(s, ANOMALY_RETRANSMISSION);
            return MARK_RETRANSMISSION;
        }
        return 0;
    }
    if (repeat)
        return MARK_RETRANSMISSION; /* counted as syn/fin-retransmitted, not as data */
    if ((p->flags & TCP_SYN) && !p->payload_len)
        return 0; /* a simultaneous open's SYN/ACK repeats the side's SYN by design */
    if (trk->hole && seq_geq(start, trk->hole_start) && seq_leq(end, trk->hole_end)) {
        if (start == trk->hole_start)
            trk->hole_start = end;
        else if (end == trk->hole_end)
            trk->hole_end = start;
        if (!seq_lt(trk->hole_start, trk->hole_end))
            trk->hole = false;
        side->out_of_order++;
        set_anomaly(s, ANOMALY_OUT_OF_ORDER);
        return MARK_OUT_OF_ORDER;
    }
    side->retransmissions++;
    set_anomaly(s, ANOMALY_RETRANSMISSION);
    return MARK_RETRANSMISSION;
}

void segment_record(struct session *s, struct seq_tracker *trk, int dir, const struct decoded_packet *p,
                    int64_t ts, uint64_t packet_no, struct segment_facts *f)
{
    struct session_side *side = &s->side[dir], *peer = &s->side[!dir];
    struct timeline_event *ev = &f->ev;
    *ev = (struct timeline_event){
        .ts_ns = ts, .packet = packet_no, .seq = p->seq, .ack = p->ack, .len = p->payload_len,
        .flags = p->flags, .window = p->window, .options = p->options, .dir = (uint8_t)dir,
    };
    f->key = false;

    /* Timestamps can go backwards (merged captures, clock steps): a session spans its
     * earliest to its latest, so its duration is never negative. */
    if (ts > s->last_ts)
        s->last_ts = ts;
    if (ts < s->first_ts)
        s->first_ts = ts;
    s->last_packet = packet_no;
    side->packets++;
    side->payload_bytes += p->payload_len;

    if (p->checksum == CHECKSUM_BAD) {
        side->bad_checksums++;
        ev->marks |= MARK_BAD_CHECKSUM;
        set_anomaly(s, ANOMALY_BAD_CHECKSUM);
    }
    if (p->options_truncated)
        set_anomaly(s, ANOMALY_TRUNCATED);
    if (p->options_malformed)
        set_anomaly(s, ANOMALY_MALFORMED_OPTIONS);

    bool syn_repeat = false, fin_repeat = false;
    if (p->flags & TCP_SYN) {
        record_syn(s, side, p, ts, packet_no, &syn_repeat);
        ev->marks |= MARK_HANDSHAKE;
        f->key = true;
    }
    if (p->flags & TCP_FIN) {
        record_fin(s, side, p, ts, packet_no, &fin_repeat);
        ev->marks |= MARK_TEARDOWN;
        f->key = true;
    } else if (side->fin_seen && p->payload_len && seq_gt(p->seq + p->payload_len, side->fin_seq)) {
        set_anomaly(s, ANOMALY_DATA_AFTER_FIN);
    }
    if (p->flags & TCP_ACK)
        ev->marks |= record_ack(side, peer, p, ts, packet_no, &f->key);
    if (p->flags & TCP_RST) {
        record_rst(s, dir, ts, packet_no);
        ev->marks |= MARK_TEARDOWN;
        f->key = true;
    }
    f->repeat = syn_repeat || fin_repeat;
    ev->marks |= track_sequence(s, side, trk, p, f->repeat);
    if (p->window == 0 && !(p->flags & (TCP_RST | TCP_SYN))) {
        side->zero_windows++;
        ev->marks |= MARK_ZERO_WINDOW;
        set_anomaly(s, ANOMALY_ZERO_WINDOW);
    }
}
