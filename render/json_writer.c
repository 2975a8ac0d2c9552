/* json_writer.c — the JSON renderer: capture report in, documented JSON out.
 *
 * Built with cJSON one part at a time. 64-bit counters and timestamps are written as raw
 * decimal text, because cJSON keeps numbers as doubles and would round or exponent them
 * (shared/LIBRARIES.md); strings taken from outside are made valid UTF-8 first. */
#include "json_writer.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- values ------------------------------------------------------------------------------- */

static void add_u64(cJSON *o, const char *key, uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    cJSON_AddRawToObject(o, key, buf);
}

/* Seconds with the capture's precision, as exact decimal text: 1700000000.123456 */
static void format_time(char *buf, size_t len, int64_t ns, int digits)
{
    uint64_t mag = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    uint64_t frac = mag % 1000000000u;
    if (digits == 6)
        frac /= 1000;
    snprintf(buf, len, "%s%" PRIu64 ".%0*" PRIu64, ns < 0 ? "-" : "", mag / 1000000000u, digits, frac);
}

static void add_time(cJSON *o, const char *key, int64_t ns, int digits)
{
    char buf[40];
    format_time(buf, sizeof buf, ns, digits);
    cJSON_AddRawToObject(o, key, buf);
}

static void add_time_or_null(cJSON *o, const char *key, int64_t ns, int digits)
{
    if (ns < 0)
        cJSON_AddNullToObject(o, key);
    else
        add_time(o, key, ns, digits);
}

/* Length of the valid UTF-8 sequence at p (RFC 3629: no overlong form, no surrogate, nothing
 * above U+10FFFF), or 0 when p does not start one. p is NUL-terminated, so the checks stop
 * at the terminator. */
static size_t utf8_sequence_length(const unsigned char *p)
{
    unsigned c = p[0], lo = 0x80, hi = 0xbf;
    size_t len;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80; /* overlong */
        hi = c == 0xed ? 0x9f : 0xbf; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        lo = c == 0xf0 ? 0x90 : 0x80; /* overlong */
        hi = c == 0xf4 ? 0x8f : 0xbf; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return len;
}

char *json_utf8_clean(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1), *w = out;
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t len = utf8_sequence_length(p);
        if (len) {
            memcpy(w, p, len);
            w += len;
            p += len;
        } else {
            memcpy(w, "\xef\xbf\xbd", 3);
            w += 3;
            p++;
        }
    }
    *w = '\0';
    return out;
}

static void add_string(cJSON *o, const char *key, const char *s)
{
    char *clean = json_utf8_clean(s);
    cJSON_AddStringToObject(o, key, clean ? clean : "");
    free(clean);
}

static void format_ip(char *buf, size_t len, int version, const uint8_t *addr)
{
    if (!inet_ntop(version == 4 ? AF_INET : AF_INET6, addr, buf, (socklen_t)len))
        snprintf(buf, len, "?");
}

static const char *role_name(int role)
{
    return role == ROLE_CLIENT ? "client" : role == ROLE_SERVER ? "server" : NULL;
}

static void add_role(cJSON *o, const char *key, int role)
{
    const char *name = role_name(role);
    if (name)
        cJSON_AddStringToObject(o, key, name);
    else
        cJSON_AddNullToObject(o, key);
}

/* ---- header parts ------------------------------------------------------------------------- */

static cJSON *input_json(const struct capture_report *r)
{
    cJSON *in = cJSON_CreateObject();
    add_string(in, "file_name", r->file_name);
    add_u64(in, "size_bytes", r->size_bytes);
    cJSON_AddStringToObject(in, "sha256", r->sha256);
    cJSON_AddStringToObject(in, "format", r->format);
    cJSON *lt = cJSON_AddObjectToObject(in, "link_type");
    cJSON_AddNumberToObject(lt, "value", r->link_type);
    cJSON_AddStringToObject(lt, "name", r->link_name);
    cJSON_AddStringToObject(in, "timestamp_precision", r->ts_digits == 9 ? "ns" : "us");

    cJSON *pk = cJSON_AddObjectToObject(in, "packets");
    add_u64(pk, "total", r->counts.total);
    for (int o = 0; o < DECODE_OUTCOMES; o++)
        add_u64(pk, decode_outcome_name((enum decode_outcome)o), r->counts.by_outcome[o]);
    add_u64(pk, "filtered_out", r->counts.filtered_out);
    add_u64(pk, "session_cap", r->counts.session_cap);

    if (r->have_packets) {
        add_time(in, "first_time", r->first_ts, r->ts_digits);
        add_time(in, "last_time", r->last_ts, r->ts_digits);
    } else {
        cJSON_AddNullToObject(in, "first_time");
        cJSON_AddNullToObject(in, "last_time");
    }

    cJSON *ck = cJSON_AddObjectToObject(in, "checksums");
    add_u64(ck, "bad", r->bad_checksums);
    cJSON *hosts = cJSON_AddArrayToObject(ck, "offload_suspected");
    for (size_t i = 0; i < r->n_offload_hosts; i++) {
        char ip[INET6_ADDRSTRLEN];
        format_ip(ip, sizeof ip, r->offload_hosts[i].ip_version, r->offload_hosts[i].addr);
        cJSON_AddItemToArray(hosts, cJSON_CreateString(ip));
    }

    cJSON *ws = cJSON_AddArrayToObject(in, "warnings");
    for (size_t i = 0; i < r->n_warnings; i++) {
        cJSON *w = cJSON_CreateObject();
        cJSON_AddStringToObject(w, "code", r->warnings[i].code);
        if (r->warnings[i].packet)
            add_u64(w, "packet", r->warnings[i].packet);
        else
            cJSON_AddNullToObject(w, "packet");
        add_string(w, "message", r->warnings[i].message);
        cJSON_AddItemToArray(ws, w);
    }
    add_u64(in, "warnings_suppressed", r->warnings_suppressed);
    return in;
}

static cJSON *summary_json(const struct capture_report *r)
{
    cJSON *sm = cJSON_CreateObject();
    add_u64(sm, "sessions", r->n_sessions);
    add_u64(sm, "sessions_dropped", r->sessions_dropped);
    cJSON *hs = cJSON_AddObjectToObject(sm, "handshake");
    for (int c = 0; c < HANDSHAKE_CLASSES; c++)
        cJSON_AddNumberToObject(hs, handshake_class_name((enum handshake_class)c), r->handshake_counts[c]);
    cJSON *td = cJSON_AddObjectToObject(sm, "teardown");
    for (int c = 0; c < TEARDOWN_CLASSES; c++)
        cJSON_AddNumberToObject(td, teardown_class_name((enum teardown_class)c), r->teardown_counts[c]);
    cJSON *an = cJSON_AddObjectToObject(sm, "anomalies");
    for (int a = 0; a < ANOMALIES; a++)
        add_u64(an, anomaly_name((enum anomaly)a), r->anomaly_counts[a]);
    return sm;
}

/* ---- one session -------------------------------------------------------------------------- */

static cJSON *options_json(const struct tcp_options *o)
{
    cJSON *j = cJSON_CreateObject();
    if (o->present & OPT_MSS)
        cJSON_AddNumberToObject(j, "mss", o->mss);
    if (o->present & OPT_WSCALE)
        cJSON_AddNumberToObject(j, "wscale", o->wscale);
    if (o->present & OPT_SACK_PERM)
        cJSON_AddTrueToObject(j, "sack_permitted");
    if (o->present & OPT_SACK)
        cJSON_AddNumberToObject(j, "sack_blocks", o->sack_blocks);
    if (o->present & OPT_TS) {
        cJSON_AddNumberToObject(j, "ts_val", o->ts_val);
        cJSON_AddNumberToObject(j, "ts_ecr", o->ts_ecr);
    }
    return j;
}

static cJSON *side_json(const struct session *s, int role)
{
    const struct session_side *d = &s->side[role];
    char ip[INET6_ADDRSTRLEN];
    cJSON *j = cJSON_CreateObject();
    format_ip(ip, sizeof ip, s->ip_version, d->addr);
    cJSON_AddStringToObject(j, "ip", ip);
    cJSON_AddNumberToObject(j, "port", d->port);
    if (d->isn_known)
        cJSON_AddNumberToObject(j, "isn", d->isn);
    else
        cJSON_AddNullToObject(j, "isn");
    add_u64(j, "packets", d->packets);
    add_u64(j, "payload_bytes", d->payload_bytes);
    add_u64(j, "retransmissions", d->retransmissions);
    add_u64(j, "out_of_order", d->out_of_order);
    add_u64(j, "bad_checksums", d->bad_checksums);
    add_u64(j, "zero_windows", d->zero_windows);
    cJSON_AddStringToObject(j, "final_state", tcp_state_name((enum tcp_state)d->state));
    if (d->isn_known)
        cJSON_AddItemToObject(j, "syn_options", options_json(&d->syn_options));
    else
        cJSON_AddNullToObject(j, "syn_options");
    return j;
}

/* What the two SYNs agreed on (RFC 9293 3.7.1, RFC 7323, RFC 2018): an option is in use only
 * when both sides offered it; each side sends at most its peer's MSS. Null without both SYNs. */
static cJSON *negotiated_json(const struct session *s)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    if (!c->isn_known || !v->isn_known)
        return cJSON_CreateNull();
    const struct tcp_options *a = &c->syn_options, *b = &v->syn_options;
    cJSON *j = cJSON_CreateObject();
    if (a->present & OPT_MSS)
        cJSON_AddNumberToObject(j, "client_mss", a->mss);
    else
        cJSON_AddNullToObject(j, "client_mss");
    if (b->present & OPT_MSS)
        cJSON_AddNumberToObject(j, "server_mss", b->mss);
    else
        cJSON_AddNullToObject(j, "server_mss");
    bool ws = a->present & b->present & OPT_WSCALE;
    cJSON_AddBoolToObject(j, "window_scaling", ws);
    if (ws) {
        cJSON_AddNumberToObject(j, "client_wscale", a->wscale);
        cJSON_AddNumberToObject(j, "server_wscale", b->wscale);
    }
    cJSON_AddBoolToObject(j, "sack", a->present & b->present & OPT_SACK_PERM);
    cJSON_AddBoolToObject(j, "timestamps", a->present & b->present & OPT_TS);
    return j;
}

static bool is_handshake_check(const struct session_check *c)
{
    return strcmp(c->name, "synack-ack") == 0 || strcmp(c->name, "final-ack") == 0;
}

static cJSON *checks_json(const struct session *s, bool handshake)
{
    cJSON *arr = cJSON_CreateArray();
    for (uint32_t i = 0; i < s->n_checks; i++) {
        const struct session_check *c = &s->checks[i];
        if (is_handshake_check(c) != handshake)
            continue;
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "name", c->name);
        add_u64(j, "packet", c->packet);
        cJSON_AddNumberToObject(j, "expected", c->expected);
        cJSON_AddNumberToObject(j, "actual", c->actual);
        cJSON_AddBoolToObject(j, "pass", c->pass);
        cJSON_AddItemToArray(arr, j);
    }
    return arr;
}

static cJSON *packets_with_mark(const struct session *s, uint8_t mark)
{
    cJSON *arr = cJSON_CreateArray();
    for (uint32_t i = 0; i < s->n_events; i++) {
        if (s->events[i].marks & mark) {
            char buf[24];
            snprintf(buf, sizeof buf, "%" PRIu64, s->events[i].packet);
            cJSON_AddItemToArray(arr, cJSON_CreateRaw(buf));
        }
    }
    return arr;
}

static cJSON *event_json(const struct session *s, const struct timeline_event *e, int digits)
{
    static const struct { uint8_t bit; const char *name; } marks[] = {
        {MARK_HANDSHAKE, "handshake"}, {MARK_TEARDOWN, "teardown"},
        {MARK_RETRANSMISSION, "retransmission"}, {MARK_OUT_OF_ORDER, "out-of-order"},
        {MARK_BAD_CHECKSUM, "bad-checksum"}, {MARK_ZERO_WINDOW, "zero-window"},
        {MARK_BAD_ACK, "bad-ack"},
    };
    const struct session_side *snd = &s->side[e->dir], *rcv = &s->side[!e->dir];
    char flags[12];
    cJSON *j = cJSON_CreateObject();
    add_u64(j, "packet", e->packet);
    add_time(j, "time", e->ts_ns, digits);
    cJSON_AddStringToObject(j, "dir", e->dir == DIR_C2S ? "c2s" : "s2c");
    cJSON_AddStringToObject(j, "flags", tcp_flags_string(e->flags, flags));
    cJSON_AddNumberToObject(j, "seq", e->seq);
    cJSON_AddNumberToObject(j, "ack", e->ack);
    if (snd->isn_known)
        cJSON_AddNumberToObject(j, "rel_seq", (uint32_t)(e->seq - snd->isn));
    else
        cJSON_AddNullToObject(j, "rel_seq");
    if (rcv->isn_known && (e->flags & TCP_ACK))
        cJSON_AddNumberToObject(j, "rel_ack", (uint32_t)(e->ack - rcv->isn));
    else
        cJSON_AddNullToObject(j, "rel_ack");
    cJSON_AddNumberToObject(j, "len", e->len);
    cJSON_AddNumberToObject(j, "win", e->window);
    cJSON_AddItemToObject(j, "options", options_json(&e->options));
    cJSON *st = cJSON_AddObjectToObject(j, "state");
    cJSON_AddStringToObject(st, "client", tcp_state_name((enum tcp_state)e->state[ROLE_CLIENT]));
    cJSON_AddStringToObject(st, "server", tcp_state_name((enum tcp_state)e->state[ROLE_SERVER]));
    cJSON *mk = cJSON_AddArrayToObject(j, "marks");
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (e->marks & marks[i].bit)
            cJSON_AddItemToArray(mk, cJSON_CreateString(marks[i].name));
    return j;
}

static cJSON *timeline_json(const struct session *s, int digits)
{
    cJSON *t = cJSON_CreateObject();
    add_u64(t, "kept", s->n_events);
    add_u64(t, "omitted", s->omitted_packets);
    cJSON *ev = cJSON_AddArrayToObject(t, "events");
    for (uint32_t i = 0; i < s->n_events; i++)
        cJSON_AddItemToArray(ev, event_json(s, &s->events[i], digits));
    cJSON *gaps = cJSON_AddArrayToObject(t, "gaps");
    for (uint32_t i = 0; i < s->n_gaps; i++) {
        const struct timeline_gap *g = &s->gaps[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "before_event", g->before);
        add_u64(j, "packets_c2s", g->packets[DIR_C2S]);
        add_u64(j, "bytes_c2s", g->bytes[DIR_C2S]);
        add_u64(j, "packets_s2c", g->packets[DIR_S2C]);
        add_u64(j, "bytes_s2c", g->bytes[DIR_S2C]);
        cJSON_AddItemToArray(gaps, j);
    }
    return t;
}

static cJSON *session_json(const struct session *s, int digits)
{
    cJSON *j = cJSON_CreateObject();
    add_u64(j, "id", s->id);
    cJSON_AddNumberToObject(j, "generation", s->generation);
    cJSON_AddNumberToObject(j, "ip_version", s->ip_version);
    cJSON_AddItemToObject(j, "client", side_json(s, ROLE_CLIENT));
    cJSON_AddItemToObject(j, "server", side_json(s, ROLE_SERVER));
    cJSON_AddBoolToObject(j, "roles_inferred", s->roles_inferred);
    add_u64(j, "first_packet", s->first_packet);
    add_u64(j, "last_packet", s->last_packet);
    add_time(j, "start", s->first_ts, digits);
    add_time(j, "end", s->last_ts, digits);
    add_time(j, "duration", s->last_ts - s->first_ts, digits);

    cJSON *hs = cJSON_AddObjectToObject(j, "handshake");
    cJSON_AddStringToObject(hs, "class", handshake_class_name(s->handshake));
    cJSON_AddItemToObject(hs, "packets", packets_with_mark(s, MARK_HANDSHAKE));
    cJSON *rtt = cJSON_AddObjectToObject(hs, "rtt");
    add_time_or_null(rtt, "syn_to_synack", s->rtt_syn_synack, digits);
    add_time_or_null(rtt, "synack_to_ack", s->rtt_synack_ack, digits);
    cJSON_AddItemToObject(hs, "checks", checks_json(s, true));
    cJSON_AddItemToObject(hs, "negotiated", negotiated_json(s));

    cJSON *td = cJSON_AddObjectToObject(j, "teardown");
    cJSON_AddStringToObject(td, "class", teardown_class_name(s->teardown));
    add_role(td, "active_closer", s->active_closer);
    add_role(td, "rst_sender", s->teardown == TEARDOWN_RST ? s->rst_sender : ROLE_NONE);
    cJSON_AddBoolToObject(td, "rst_after_fin", s->rst_seen && s->rst_after_fin);
    cJSON_AddItemToObject(td, "packets", packets_with_mark(s, MARK_TEARDOWN));
    cJSON_AddItemToObject(td, "checks", checks_json(s, false));

    cJSON *an = cJSON_AddArrayToObject(j, "anomalies");
    for (int a = 0; a < ANOMALIES; a++)
        if (session_has_anomaly(s, (enum anomaly)a))
            cJSON_AddItemToArray(an, cJSON_CreateString(anomaly_name((enum anomaly)a)));

    cJSON *z = cJSON_AddObjectToObject(j, "zeek");
    cJSON_AddStringToObject(z, "conn_state", s->conn_state);
    cJSON_AddStringToObject(z, "history", s->zeek_history);
    cJSON *w = cJSON_AddObjectToObject(j, "wireshark");
    cJSON_AddNumberToObject(w, "completeness", s->wireshark_completeness);
    cJSON_AddItemToObject(j, "timeline", timeline_json(s, digits));
    return j;
}

/* ---- the document ------------------------------------------------------------------------- */

/* Prints one part without its braces' surroundings; returns false when out of memory. */
static bool put_json(FILE *out, cJSON *item)
{
    char *text = item ? cJSON_PrintUnformatted(item) : NULL;
    cJSON_Delete(item);
    if (!text)
        return false;
    fputs(text, out);
    cJSON_free(text);
    return true;
}

static cJSON *tool_json(const struct json_provenance *prov)
{
    cJSON *tool = cJSON_CreateObject();
    cJSON_AddStringToObject(tool, "name", "pcap2report");
    cJSON_AddStringToObject(tool, "version", prov->tool_version);
    cJSON *opts = cJSON_AddObjectToObject(tool, "options");
    if (prov->filter)
        add_string(opts, "filter", prov->filter);
    else
        cJSON_AddNullToObject(opts, "filter");
    add_u64(opts, "max_sessions", prov->max_sessions);
    add_u64(opts, "idle_timeout_s", (uint64_t)prov->idle_timeout_s);
    return tool;
}

static cJSON *schema_json(void)
{
    cJSON *schema = cJSON_CreateObject();
    cJSON_AddStringToObject(schema, "name", PCAP2REPORT_SCHEMA_NAME);
    cJSON_AddStringToObject(schema, "version", PCAP2REPORT_SCHEMA_VERSION);
    return schema;
}

int json_write_header(FILE *out, const struct json_provenance *prov)
{
    bool ok = true;
    fputs("{\"schema\":", out);
    ok &= put_json(out, schema_json());
    fputs(",\"tool\":", out);
    ok &= put_json(out, tool_json(prov));
    return ok ? 0 : -1;
}

int json_write_report(FILE *out, const struct capture_report *r, const struct json_provenance *prov,
                      char *err, size_t errlen)
{
    bool ok = json_write_header(out, prov) == 0;
    fputs(",\n\"input\":", out);
    ok &= put_json(out, input_json(r));
    fputs(",\n\"summary\":", out);
    ok &= put_json(out, summary_json(r));
    fputs(",\n\"sessions\":[", out);
    for (size_t i = 0; ok && i < r->n_sessions; i++) {
        fputs(i ? ",\n" : "\n", out);
        ok &= put_json(out, session_json(capture_session(r, i), r->ts_digits));
    }
    fputs("\n]}\n", out);
    if (!ok) {
        snprintf(err, errlen, "out of memory while writing JSON");
        return -1;
    }
    if (ferror(out)) {
        snprintf(err, errlen, "write error");
        return -1;
    }
    return 0;
}
