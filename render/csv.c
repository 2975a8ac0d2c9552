/* csv.c — one row per session, RFC 4180 (csv.h; the columns: docs/csv.md). */
#include "csv.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* The columns, in order; docs/csv.md says what each holds. */
static const char *const columns[] = {
    "session", "tcp_stream", "ts", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto",
    "duration", "orig_bytes", "resp_bytes", "conn_state", "history", "orig_pkts", "resp_pkts",
    "ip_version", "generation", "handshake", "teardown", "active_closer", "rst_sender", "anomalies",
    "completeness", "orig_final_state", "resp_final_state", "orig_retransmissions",
    "resp_retransmissions", "rtt_syn_synack", "rtt_synack_ack", "first_packet", "last_packet",
};

void csv_field(FILE *out, const char *s)
{
    char *clean = json_utf8_clean(s);
    const char *v = clean ? clean : s;
    if (!strpbrk(v, ",\"\r\n")) {
        fputs(v, out);
    } else {
        putc('"', out);
        for (const char *p = v; *p; p++) {
            if (*p == '"')
                putc('"', out);
            putc(*p, out);
        }
        putc('"', out);
    }
    free(clean);
}

/* Seconds with 6 or 9 digits after the point, as Zeek writes ts and duration. */
static void seconds(FILE *out, int64_t ns, int digits)
{
    uint64_t mag = ns < 0 ? (uint64_t)-(ns + 1) + 1 : (uint64_t)ns;
    uint64_t frac = mag % 1000000000u;
    if (digits != 9)
        frac /= 1000;
    fprintf(out, "%s%" PRIu64 ".%0*" PRIu64, ns < 0 ? "-" : "", mag / 1000000000u, digits == 9 ? 9 : 6, frac);
}

static const char *role_or_empty(int role)
{
    const char *name = session_role_name(role);
    return name ? name : "";
}

static void row(FILE *out, const struct capture_report *r, const struct session *s)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    char addr[IP_ADDRESS_STRING_LEN];
    int d = r->ts_digits;
    fprintf(out, "%" PRIu64 ",%" PRIu64 ",", s->id, session_tcp_stream(s));
    seconds(out, s->first_ts, d);
    fprintf(out, ",%s,%u,", ip_address_string(s->ip_version, c->addr, addr), c->port);
    fprintf(out, "%s,%u,tcp,", ip_address_string(s->ip_version, v->addr, addr), v->port);
    seconds(out, s->last_ts - s->first_ts, d);
    fprintf(out, ",%" PRIu64 ",%" PRIu64 ",", c->payload_bytes, v->payload_bytes);
    csv_field(out, s->conn_state);
    putc(',', out);
    csv_field(out, s->zeek_history);
    fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%u,%u,%s,%s,%s,%s,", c->packets, v->packets, s->ip_version,
            s->generation, handshake_class_name(s->handshake), teardown_class_name(s->teardown),
            role_or_empty(s->active_closer), role_or_empty(s->teardown == TEARDOWN_RST ? s->rst_sender : ROLE_NONE));
    bool first = true;
    for (int a = 0; a < ANOMALIES; a++) {
        if (!session_has_anomaly(s, (enum anomaly)a))
            continue;
        fprintf(out, "%s%s", first ? "" : ";", anomaly_name((enum anomaly)a));
        first = false;
    }
    fprintf(out, ",%u,%s,%s,%" PRIu64 ",%" PRIu64 ",", s->wireshark_completeness,
            tcp_state_name((enum tcp_state)c->state), tcp_state_name((enum tcp_state)v->state),
            c->retransmissions, v->retransmissions);
    if (s->rtt_syn_synack >= 0)
        seconds(out, s->rtt_syn_synack, d);
    putc(',', out);
    if (s->rtt_synack_ack >= 0)
        seconds(out, s->rtt_synack_ack, d);
    fprintf(out, ",%" PRIu64 ",%" PRIu64 "\r\n", s->first_packet, s->last_packet);
}

int csv_write_report(FILE *out, const struct capture_report *r, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++)
        fprintf(out, "%s%s", i ? "," : "", columns[i]);
    fputs("\r\n", out);
    struct session_view v = {0};
    for (size_t i = 0; i < r->n_sessions; i++)
        row(out, r, capture_session(r, i, &v));
    session_view_release(&v);
    if (ferror(out)) {
        snprintf(err, errlen, "cannot write the CSV: %s", strerror(errno));
        return -1;
    }
    return 0;
}
