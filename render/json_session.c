/* json_session.c — one session record as JSON text: the sides, the encapsulation path, the
 * handshake and teardown verdicts with their checks, the anomalies, Zeek's and Wireshark's
 * view, the timeline.
 *
 * Sessions are the bulk of a report (hundreds of megabytes for a big capture), so they are
 * written straight as text rather than built as cJSON trees: a tree costs three allocations
 * per value and cJSON prints every number through sprintf and checks it back with sscanf,
 * which took 10 s for the 500 MB report of a 1.3 GB capture that libpcap reads in 0.6 s
 * (docs/benchmark.md). The text is byte for byte what cJSON_PrintUnformatted gives for the
 * same tree; every write asks for its room (json_text.h). */
#include "json_session.h"

static struct json_at put_role(struct json_buf *b, struct json_at a, int role)
{
    const char *name = session_role_name(role);
    return name ? json_str(b, a, name) : JSON_LIT(b, a, "null");
}

/* An address as a string (an address needs no escaping). */
static struct json_at put_ip(struct json_buf *b, struct json_at a, int version, const uint8_t *addr)
{
    a = json_need(b, a, JSON_ROOM(IP_ADDRESS_STRING_LEN + 2));
    *a.p++ = '"';
    a.p += strlen(ip_address_string(version, addr, a.p));
    *a.p++ = '"';
    return a;
}

static struct json_at time_or_null(struct json_buf *b, struct json_at a, int64_t ns, int digits)
{
    return ns < 0 ? JSON_LIT(b, a, "null") : json_time(b, a, ns, digits);
}

/* The members of an options object whose opening brace the caller has written, and the
 * closing one. */
static struct json_at options_json(struct json_buf *b, struct json_at a, const struct tcp_options *o)
{
    if (o->present & OPT_MSS)
        a = JSON_SEP_LIT_U64(b, a, "\"mss\":", o->mss);
    if (o->present & OPT_WSCALE)
        a = JSON_SEP_LIT_U64(b, a, "\"wscale\":", o->wscale);
    if (o->present & OPT_SACK_PERM)
        a = JSON_SEP_LIT(b, a, "\"sack_permitted\":true");
    if (o->present & OPT_SACK)
        a = JSON_SEP_LIT_U64(b, a, "\"sack_blocks\":", o->sack_blocks);
    if (o->present & OPT_TS) {
        a = JSON_SEP_LIT_U64(b, a, "\"ts_val\":", o->ts_val);
        a = JSON_KEY_U64(b, a, "ts_ecr", o->ts_ecr);
    }
    return JSON_LIT(b, a, "}");
}

static struct json_at side_json(struct json_buf *b, struct json_at a, const struct session *s, int role)
{
    const struct session_side *d = &s->side[role];
    a = put_ip(b, JSON_FIRST_KEY(b, a, "ip"), s->ip_version, d->addr);
    a = JSON_KEY_U64(b, a, "port", d->port);
    a = d->isn_known ? JSON_KEY_U64(b, a, "isn", d->isn) : JSON_LIT(b, a, ",\"isn\":null");
    a = JSON_KEY_U64(b, a, "packets", d->packets);
    a = JSON_KEY_U64(b, a, "payload_bytes", d->payload_bytes);
    a = JSON_KEY_U64(b, a, "retransmissions", d->retransmissions);
    a = JSON_KEY_U64(b, a, "out_of_order", d->out_of_order);
    a = JSON_KEY_U64(b, a, "bad_checksums", d->bad_checksums);
    a = JSON_KEY_U64(b, a, "zero_windows", d->zero_windows);
    a = JSON_KEY_STR(b, a, "final_state", tcp_state_name((enum tcp_state)d->state));
    a = d->isn_known ? options_json(b, JSON_LIT(b, a, ",\"syn_options\":{"), &d->syn_options)
                     : JSON_LIT(b, a, ",\"syn_options\":null");
    return JSON_LIT(b, a, "}");
}

/* What the two SYNs agreed on (RFC 9293 3.7.1, RFC 7323, RFC 2018): an option is in use only
 * when both sides offered it; each side sends at most its peer's MSS. Null without both SYNs. */
static struct json_at negotiated_json(struct json_buf *b, struct json_at a, const struct session *s)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    if (!c->isn_known || !v->isn_known)
        return JSON_LIT(b, a, "null");
    const struct tcp_options *x = &c->syn_options, *y = &v->syn_options;
    a = JSON_FIRST_KEY(b, a, "client_mss");
    a = (x->present & OPT_MSS) ? json_u64(b, a, x->mss) : JSON_LIT(b, a, "null");
    a = JSON_KEY(b, a, "server_mss");
    a = (y->present & OPT_MSS) ? json_u64(b, a, y->mss) : JSON_LIT(b, a, "null");
    bool ws = x->present & y->present & OPT_WSCALE;
    a = json_bool(b, JSON_KEY(b, a, "window_scaling"), ws);
    if (ws) {
        a = JSON_KEY_U64(b, a, "client_wscale", x->wscale);
        a = JSON_KEY_U64(b, a, "server_wscale", y->wscale);
    }
    a = json_bool(b, JSON_KEY(b, a, "sack"), x->present & y->present & OPT_SACK_PERM);
    a = json_bool(b, JSON_KEY(b, a, "timestamps"), x->present & y->present & OPT_TS);
    return JSON_LIT(b, a, "}");
}

static bool is_handshake_check(const struct session_check *c)
{
    return strcmp(c->name, "synack-ack") == 0 || strcmp(c->name, "final-ack") == 0;
}

static struct json_at checks_json(struct json_buf *b, struct json_at a, const struct session *s, bool handshake)
{
    a = JSON_LIT(b, a, "[");
    for (uint32_t i = 0; i < s->n_checks; i++) {
        const struct session_check *c = &s->checks[i];
        if (is_handshake_check(c) != handshake)
            continue;
        a = JSON_SEP_LIT_STR(b, a, "{\"name\":", c->name);
        a = JSON_KEY_U64(b, a, "packet", c->packet);
        a = JSON_KEY_U64(b, a, "expected", c->expected);
        a = JSON_KEY_U64(b, a, "actual", c->actual);
        a = json_bool(b, JSON_KEY(b, a, "pass"), c->pass);
        a = JSON_LIT(b, a, "}");
    }
    return JSON_LIT(b, a, "]");
}

static struct json_at packets_with_mark(struct json_buf *b, struct json_at a, const struct session *s, uint8_t mark)
{
    a = JSON_LIT(b, a, "[");
    for (uint32_t i = 0; i < s->n_events; i++)
        if (s->events[i].marks & mark)
            a = JSON_SEP_U64(b, a, s->events[i].packet);
    return JSON_LIT(b, a, "]");
}

/* One event, after a comma unless it is the first. */
static struct json_at event_json(struct json_buf *b, struct json_at a, const struct session *s,
                                 const struct timeline_event *e, int digits)
{
    static const struct { uint8_t bit; const char *name; } marks[] = {
        {MARK_HANDSHAKE, "handshake"}, {MARK_TEARDOWN, "teardown"},
        {MARK_RETRANSMISSION, "retransmission"}, {MARK_OUT_OF_ORDER, "out-of-order"},
        {MARK_BAD_CHECKSUM, "bad-checksum"}, {MARK_ZERO_WINDOW, "zero-window"},
        {MARK_BAD_ACK, "bad-ack"},
    };
    const struct session_side *snd = &s->side[e->dir], *rcv = &s->side[!e->dir];
    char flags[12];
    a = JSON_SEP_LIT_U64(b, a, "{\"packet\":", e->packet);
    a = JSON_KEY_TIME(b, a, "time", e->ts_ns, digits);
    a = e->dir == DIR_C2S ? JSON_LIT(b, a, ",\"dir\":\"c2s\"") : JSON_LIT(b, a, ",\"dir\":\"s2c\"");
    a = JSON_KEY_STR(b, a, "flags", tcp_flags_string(e->flags, flags));
    a = JSON_KEY_U64(b, a, "seq", e->seq);
    a = JSON_KEY_U64(b, a, "ack", e->ack);
    a = snd->isn_known ? JSON_KEY_U64(b, a, "rel_seq", (uint32_t)(e->seq - snd->isn))
                       : JSON_LIT(b, a, ",\"rel_seq\":null");
    a = (rcv->isn_known && (e->flags & TCP_ACK)) ? JSON_KEY_U64(b, a, "rel_ack", (uint32_t)(e->ack - rcv->isn))
                                                 : JSON_LIT(b, a, ",\"rel_ack\":null");
    a = JSON_KEY_U64(b, a, "len", e->len);
    a = JSON_KEY_U64(b, a, "win", e->window);
    a = options_json(b, JSON_LIT(b, a, ",\"options\":{"), &e->options);
    a = JSON_LIT_STR(b, a, ",\"state\":{\"client\":", tcp_state_name((enum tcp_state)e->state[ROLE_CLIENT]));
    a = JSON_KEY_STR(b, a, "server", tcp_state_name((enum tcp_state)e->state[ROLE_SERVER]));
    a = JSON_LIT(b, a, "},\"marks\":[");
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (e->marks & marks[i].bit)
            a = JSON_SEP_STR(b, a, marks[i].name);
    return JSON_LIT(b, a, "]}");
}

static struct json_at timeline_json(struct json_buf *b, struct json_at a, const struct session *s, int digits)
{
    a = JSON_LIT_U64(b, a, "{\"kept\":", s->n_events);
    a = JSON_KEY_U64(b, a, "omitted", s->omitted_packets);
    a = JSON_LIT(b, a, ",\"events\":[");
    for (uint32_t i = 0; i < s->n_events; i++)
        a = event_json(b, a, s, &s->events[i], digits);
    a = JSON_LIT(b, a, "],\"gaps\":[");
    for (uint32_t i = 0; i < s->n_gaps; i++) {
        const struct timeline_gap *g = &s->gaps[i];
        a = JSON_SEP_LIT_U64(b, a, "{\"before_event\":", g->before);
        a = JSON_KEY_U64(b, a, "packets_c2s", g->packets[DIR_C2S]);
        a = JSON_KEY_U64(b, a, "bytes_c2s", g->bytes[DIR_C2S]);
        a = JSON_KEY_U64(b, a, "packets_s2c", g->packets[DIR_S2C]);
        a = JSON_KEY_U64(b, a, "bytes_s2c", g->bytes[DIR_S2C]);
        a = JSON_LIT(b, a, "}");
    }
    return JSON_LIT(b, a, "]}");
}

/* One layer of an encapsulation path, after a comma unless it is the first: its kind, the
 * outer addresses and UDP ports of a tunnel over IP, its id (VNI, TEID, key, session, I-SID,
 * tag or FTag), an MPLS label stack. */
static struct json_at layer_json(struct json_buf *b, struct json_at a, const struct encap_layer *l)
{
    a = JSON_SEP_LIT_STR(b, a, "{\"kind\":", encap_kind_name((enum encap_kind)l->kind));
    if (l->ip_version) {
        a = put_ip(b, JSON_KEY(b, a, "src"), l->ip_version, l->src);
        a = put_ip(b, JSON_KEY(b, a, "dst"), l->ip_version, l->dst);
    }
    if (l->sport || l->dport) {
        a = JSON_KEY_U64(b, a, "sport", l->sport);
        a = JSON_KEY_U64(b, a, "dport", l->dport);
    }
    if (l->kind == ENCAP_MPLS) {
        a = JSON_KEY_U64(b, a, "stack_depth", l->n_labels);
        a = JSON_LIT(b, a, ",\"labels\":[");
        for (int i = 0; i < l->n_labels && i < ENCAP_MAX_LABELS; i++)
            a = JSON_SEP_U64(b, a, l->labels[i]);
        a = JSON_LIT(b, a, "]");
    } else if (l->has_id) {
        a = JSON_KEY_U64(b, a, "id", l->id);
    }
    return JSON_LIT(b, a, "}");
}

/* The path of each direction's first segment: null for a direction without segments, [] for
 * one that travelled bare; the whole is null for a session without any encapsulation. */
static struct json_at encapsulation_json(struct json_buf *b, struct json_at a, const struct session *s)
{
    if (!s->encap)
        return JSON_LIT(b, a, "null");
    for (int dir = 0; dir < 2; dir++) {
        a = dir == DIR_C2S ? JSON_LIT(b, a, "{\"c2s\":") : JSON_LIT(b, a, ",\"s2c\":");
        if (!s->encap->seen[dir]) {
            a = JSON_LIT(b, a, "null");
            continue;
        }
        size_t n;
        const struct encap_layer *l = session_encap_path(s, dir, &n);
        a = JSON_LIT(b, a, "[");
        for (size_t i = 0; i < n; i++)
            a = layer_json(b, a, &l[i]);
        a = JSON_LIT(b, a, "]");
    }
    return JSON_LIT(b, a, "}");
}

static struct json_at zeek_record_json(struct json_buf *b, struct json_at a, uint64_t first, uint64_t last,
                                       int64_t ts, int orig, const char *conn_state, const char *history,
                                       int digits)
{
    a = JSON_SEP_LIT_U64(b, a, "{\"first_packet\":", first);
    a = JSON_KEY_U64(b, a, "last_packet", last);
    a = JSON_KEY_TIME(b, a, "ts", ts, digits);
    a = put_role(b, JSON_KEY(b, a, "orig"), orig);
    a = JSON_KEY_STR(b, a, "conn_state", conn_state);
    a = JSON_KEY_STR(b, a, "history", history);
    return JSON_LIT(b, a, "}");
}

/* Zeek's view: the session's own record, then every record Zeek would write for its segments
 * (the first being the session's own, docs/json.md). */
static struct json_at zeek_json(struct json_buf *b, struct json_at a, const struct session *s, int digits)
{
    a = JSON_LIT_STR(b, a, "{\"conn_state\":", s->conn_state);
    a = JSON_KEY_STR(b, a, "history", s->zeek_history);
    a = put_role(b, JSON_KEY(b, a, "orig"), s->zeek_orig);
    a = JSON_LIT(b, a, ",\"records\":[");
    a = zeek_record_json(b, a, s->first_packet, s->zeek_last_packet, s->first_ts, s->zeek_orig, s->conn_state,
                         s->zeek_history, digits);
    for (uint32_t i = 0; i < s->n_zeek_more; i++) {
        const struct zeek_record *r = &s->zeek_more[i];
        a = zeek_record_json(b, a, r->first_packet, r->last_packet, r->ts, r->orig, r->conn_state, r->history,
                             digits);
    }
    return JSON_LIT(b, a, "]}");
}

struct json_at json_session(struct json_buf *b, struct json_at a, const struct session *s, int digits)
{
    a = JSON_LIT_U64(b, a, "{\"id\":", s->id);
    a = JSON_KEY_U64(b, a, "generation", s->generation);
    a = JSON_KEY_U64(b, a, "ip_version", s->ip_version);
    a = side_json(b, JSON_KEY(b, a, "client"), s, ROLE_CLIENT);
    a = side_json(b, JSON_KEY(b, a, "server"), s, ROLE_SERVER);
    a = json_bool(b, JSON_KEY(b, a, "roles_inferred"), s->roles_inferred);
    a = encapsulation_json(b, JSON_KEY(b, a, "encapsulation"), s);
    a = JSON_KEY_U64(b, a, "first_packet", s->first_packet);
    a = JSON_KEY_U64(b, a, "last_packet", s->last_packet);
    a = JSON_KEY_TIME(b, a, "start", s->first_ts, digits);
    a = JSON_KEY_TIME(b, a, "end", s->last_ts, digits);
    a = JSON_KEY_TIME(b, a, "duration", s->last_ts - s->first_ts, digits);

    a = JSON_LIT_STR(b, a, ",\"handshake\":{\"class\":", handshake_class_name(s->handshake));
    a = packets_with_mark(b, JSON_KEY(b, a, "packets"), s, MARK_HANDSHAKE);
    a = time_or_null(b, JSON_LIT(b, a, ",\"rtt\":{\"syn_to_synack\":"), s->rtt_syn_synack, digits);
    a = time_or_null(b, JSON_KEY(b, a, "synack_to_ack"), s->rtt_synack_ack, digits);
    a = checks_json(b, JSON_LIT(b, a, "},\"checks\":"), s, true);
    a = negotiated_json(b, JSON_KEY(b, a, "negotiated"), s);

    a = JSON_LIT_STR(b, a, "},\"teardown\":{\"class\":", teardown_class_name(s->teardown));
    a = put_role(b, JSON_KEY(b, a, "active_closer"), s->active_closer);
    a = put_role(b, JSON_KEY(b, a, "rst_sender"), s->teardown == TEARDOWN_RST ? s->rst_sender : ROLE_NONE);
    a = json_bool(b, JSON_KEY(b, a, "rst_after_fin"), s->rst_seen && s->rst_after_fin);
    a = packets_with_mark(b, JSON_KEY(b, a, "packets"), s, MARK_TEARDOWN);
    a = checks_json(b, JSON_KEY(b, a, "checks"), s, false);

    a = JSON_LIT(b, a, "},\"anomalies\":[");
    for (int x = 0; x < ANOMALIES; x++)
        if (session_has_anomaly(s, (enum anomaly)x))
            a = JSON_SEP_STR(b, a, anomaly_name((enum anomaly)x));

    a = zeek_json(b, JSON_LIT(b, a, "],\"zeek\":"), s, digits);
    a = JSON_LIT_U64(b, a, ",\"wireshark\":{\"completeness\":", s->wireshark_completeness);
    a = timeline_json(b, JSON_LIT(b, a, "},\"timeline\":"), s, digits);
    return JSON_LIT(b, a, "}");
}
