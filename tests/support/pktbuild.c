/* pktbuild.c — test packet construction and a minimal pcap writer. */
#include "pktbuild.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t sum)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

size_t pkt_build_ip(const struct pkt_spec *s, uint8_t *buf, size_t cap)
{
    uint8_t src[16] = {0}, dst[16] = {0};
    int af = s->ip_version == 6 ? AF_INET6 : AF_INET;
    if (inet_pton(af, s->src, src) != 1 || inet_pton(af, s->dst, dst) != 1)
        return 0;
    size_t iph = s->ip_version == 6 ? 40 : 20;
    size_t tcph = 20 + s->options_len;
    size_t total = iph + tcph + s->payload_len;
    if (total > cap || total > 65535 || s->options_len > 40)
        return 0;
    memset(buf, 0, total);
    uint8_t *t = buf + iph;
    if (s->ip_version == 6) {
        buf[0] = 0x60;
        put16(buf + 4, (uint16_t)(tcph + s->payload_len));
        buf[6] = 6;
        buf[7] = 64;
        memcpy(buf + 8, src, 16);
        memcpy(buf + 24, dst, 16);
    } else {
        buf[0] = 0x45;
        put16(buf + 2, (uint16_t)total);
        buf[6] = 0x40; /* don't fragment */
        buf[8] = 64;
        buf[9] = 6;
        memcpy(buf + 12, src, 4);
        memcpy(buf + 16, dst, 4);
        put16(buf + 10, fold(sum16(buf, 20, 0)));
    }
    put16(t, s->sport);
    put16(t + 2, s->dport);
    put32(t + 4, s->seq);
    put32(t + 8, s->ack);
    t[12] = (uint8_t)((tcph / 4) << 4 | ((s->flags >> 8) & 1));
    t[13] = (uint8_t)s->flags;
    put16(t + 14, s->window);
    if (s->options_len)
        memcpy(t + 20, s->options, s->options_len);
    for (uint32_t i = 0; i < s->payload_len; i++)
        t[tcph + i] = (uint8_t)('a' + i % 26);

    size_t alen = s->ip_version == 6 ? 16 : 4;
    uint32_t sum = sum16(src, alen, 0);
    sum = sum16(dst, alen, sum);
    sum += 6 + (uint32_t)(tcph + s->payload_len);
    sum = sum16(t, tcph + s->payload_len, sum);
    uint16_t ck = fold(sum);
    put16(t + 16, s->bad_checksum ? (uint16_t)(ck ^ 0x5a5a) : ck);
    return total;
}

size_t pkt_syn_options(uint8_t out[20], uint32_t ts_val, uint32_t ts_ecr)
{
    uint8_t o[20] = {2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3, 7};
    put32(o + 8, ts_val);
    put32(o + 12, ts_ecr);
    memcpy(out, o, 20);
    return 20;
}

size_t pkt_wrap(int linktype, const uint8_t *ip, size_t ip_len, uint8_t *buf, size_t cap,
                int vlan_tags, bool big_endian_af)
{
    uint8_t h[64];
    size_t hl = 0;
    bool v6 = ip_len && (ip[0] >> 4) == 6;
    uint16_t ethertype = v6 ? 0x86DD : 0x0800;
    uint32_t af = v6 ? 30 : 2; /* macOS AF_INET6 */
    memset(h, 0, sizeof h);
    switch (linktype) {
    case LINK_ETHERNET:
        memcpy(h, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
        hl = 12;
        for (int i = 0; i < vlan_tags; i++) {
            put16(h + hl, i == 0 && vlan_tags > 1 ? 0x88A8 : 0x8100);
            put16(h + hl + 2, (uint16_t)(100 + i));
            hl += 4;
        }
        put16(h + hl, ethertype);
        hl += 2;
        break;
    case LINK_NULL:
        if (big_endian_af)
            put32(h, af);
        else
            h[0] = (uint8_t)af;
        hl = 4;
        break;
    case LINK_LOOP:
        put32(h, af);
        hl = 4;
        break;
    case LINK_LINUX_SLL:
        put16(h, 0); /* packet type: to us */
        put16(h + 2, 772); /* ARPHRD_LOOPBACK */
        put16(h + 4, 6);
        put16(h + 14, ethertype);
        hl = 16;
        break;
    case LINK_LINUX_SLL2:
        put16(h, ethertype);
        put32(h + 4, 1); /* interface index */
        put16(h + 8, 772);
        h[11] = 6;
        hl = 20;
        break;
    case LINK_RAW: case LINK_RAW_BSD: case LINK_RAW_LINKTYPE: case LINK_IPV4: case LINK_IPV6:
        hl = 0;
        break;
    default:
        return 0;
    }
    if (hl + ip_len > cap)
        return 0;
    memcpy(buf, h, hl);
    memcpy(buf + hl, ip, ip_len);
    return hl + ip_len;
}

static void put_le32(FILE *f, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    fwrite(b, 1, 4, f);
}

int pcapw_open(struct pcap_file_writer *w, const char *path, int linktype, bool nanosecond, uint32_t snaplen)
{
    w->f = fopen(path, "wb");
    w->nanosecond = nanosecond;
    w->pcapng = false;
    if (!w->f)
        return -1;
    put_le32(w->f, nanosecond ? 0xa1b23c4d : 0xa1b2c3d4);
    uint8_t ver[4] = {2, 0, 4, 0};
    fwrite(ver, 1, 4, w->f);
    put_le32(w->f, 0);
    put_le32(w->f, 0);
    put_le32(w->f, snaplen);
    /* LINKTYPE values equal DLT values for everything the tests use, except DLT_RAW (12),
     * whose file value is LINKTYPE_RAW (101). */
    put_le32(w->f, (uint32_t)(linktype == LINK_RAW ? LINK_RAW_LINKTYPE : linktype));
    return 0;
}

static void pcapngw_write(struct pcap_file_writer *w, int64_t ts_ns, const uint8_t *frame,
                          uint32_t caplen, uint32_t len);

void pcapw_write(struct pcap_file_writer *w, int64_t ts_ns, const uint8_t *frame, uint32_t caplen, uint32_t len)
{
    if (w->pcapng) {
        pcapngw_write(w, ts_ns, frame, caplen, len);
        return;
    }
    put_le32(w->f, (uint32_t)(ts_ns / 1000000000));
    put_le32(w->f, (uint32_t)(w->nanosecond ? ts_ns % 1000000000 : ts_ns % 1000000000 / 1000));
    put_le32(w->f, caplen);
    put_le32(w->f, len);
    fwrite(frame, 1, caplen, w->f);
}

int pcapw_close(struct pcap_file_writer *w)
{
    int rc = fclose(w->f);
    w->f = NULL;
    return rc;
}

/* ---- pcapng -------------------------------------------------------------------------------- */

static void put_le16(FILE *f, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    fwrite(b, 1, 2, f);
}

int pcapngw_open(struct pcap_file_writer *w, const char *path, int linktype, bool nanosecond, uint32_t snaplen)
{
    w->f = fopen(path, "wb");
    w->nanosecond = nanosecond;
    w->pcapng = true;
    if (!w->f)
        return -1;
    /* Section Header Block: type, length, byte-order magic, version 1.0, section length -1. */
    put_le32(w->f, 0x0A0D0D0A);
    put_le32(w->f, 28);
    put_le32(w->f, 0x1A2B3C4D);
    put_le16(w->f, 1);
    put_le16(w->f, 0);
    put_le32(w->f, 0xffffffff);
    put_le32(w->f, 0xffffffff);
    put_le32(w->f, 28);
    /* Interface Description Block, with if_tsresol (code 9) = 9 and opt_endofopt when ns. */
    uint32_t idb_len = nanosecond ? 32 : 20;
    put_le32(w->f, 1);
    put_le32(w->f, idb_len);
    put_le16(w->f, (uint16_t)(linktype == LINK_RAW ? LINK_RAW_LINKTYPE : linktype));
    put_le16(w->f, 0);
    put_le32(w->f, snaplen);
    if (nanosecond) {
        static const uint8_t tsresol[8] = {9, 0, 1, 0, 9, 0, 0, 0};
        fwrite(tsresol, 1, sizeof tsresol, w->f);
        put_le32(w->f, 0); /* opt_endofopt */
    }
    put_le32(w->f, idb_len);
    return 0;
}

/* Enhanced Packet Block on interface 0; timestamps in the interface's units. */
static void pcapngw_write(struct pcap_file_writer *w, int64_t ts_ns, const uint8_t *frame,
                          uint32_t caplen, uint32_t len)
{
    static const uint8_t zeros[4];
    uint32_t padded = (caplen + 3) & ~3u;
    uint64_t ts = (uint64_t)(w->nanosecond ? ts_ns : ts_ns / 1000);
    put_le32(w->f, 6);
    put_le32(w->f, 32 + padded);
    put_le32(w->f, 0);
    put_le32(w->f, (uint32_t)(ts >> 32));
    put_le32(w->f, (uint32_t)ts);
    put_le32(w->f, caplen);
    put_le32(w->f, len);
    fwrite(frame, 1, caplen, w->f);
    fwrite(zeros, 1, padded - caplen, w->f);
    put_le32(w->f, 32 + padded);
}

/* ---- conversations --------------------------------------------------------------------------- */

size_t pkt_flow_frame(const struct pkt_flow *f, int dir, uint16_t flags, uint32_t rel_seq,
                      uint32_t rel_ack, uint32_t len, uint8_t *buf, size_t cap)
{
    uint8_t ip[65536], opts[20];
    bool c2s = dir == PKT_C2S;
    struct pkt_spec s = {
        .ip_version = f->ip_version,
        .src = c2s ? f->client : f->server,
        .dst = c2s ? f->server : f->client,
        .sport = c2s ? f->cport : f->sport,
        .dport = c2s ? f->sport : f->cport,
        .seq = (c2s ? f->cisn : f->sisn) + rel_seq,
        .ack = flags & TCP_ACK ? (c2s ? f->sisn : f->cisn) + rel_ack : 0,
        .flags = flags,
        .window = 64240,
        .payload_len = len,
    };
    if (flags & TCP_SYN) {
        s.options = opts;
        s.options_len = pkt_syn_options(opts, 1000 + rel_seq, flags & TCP_ACK ? 1000 : 0);
    }
    size_t n = pkt_build_ip(&s, ip, sizeof ip);
    return n ? pkt_wrap(f->linktype, ip, n, buf, cap, f->vlan_tags, f->big_endian_af) : 0;
}

size_t pkt_flow_write(struct pcap_file_writer *w, const struct pkt_flow *f, int64_t ts_ns, int dir,
                      uint16_t flags, uint32_t rel_seq, uint32_t rel_ack, uint32_t len)
{
    uint8_t frame[65536 + 64];
    size_t n = pkt_flow_frame(f, dir, flags, rel_seq, rel_ack, len, frame, sizeof frame);
    if (n)
        pcapw_write(w, ts_ns, frame, (uint32_t)n, (uint32_t)n);
    return n;
}

/* One planned segment of a generated session. */
struct seg {
    uint8_t dir;
    uint16_t flags;
    uint32_t seq, ack, len;
};

struct seg_list {
    struct seg *v;
    size_t n, cap;
};

static int seg_add(struct seg_list *l, int dir, uint16_t flags, uint32_t seq, uint32_t ack, uint32_t len)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        struct seg *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (struct seg){(uint8_t)dir, flags, seq, ack, len};
    return 0;
}

#define ACK_ TCP_ACK
#define PSH_ACK (TCP_PSH | TCP_ACK)
#define FIN_ACK (TCP_FIN | TCP_ACK)

/* The segments of one session of the given kind, with relative numbers. */
static int plan_session(struct seg_list *l, enum pkt_mix_kind kind, unsigned data_segments)
{
    int rc = 0;
    l->n = 0;
    rc |= seg_add(l, PKT_C2S, TCP_SYN, 0, 0, 0);
    if (kind == PKT_MIX_SYN_ONLY)
        return rc | seg_add(l, PKT_C2S, TCP_SYN, 0, 0, 0); /* retransmitted, same ISN */
    if (kind == PKT_MIX_REFUSED)
        return rc | seg_add(l, PKT_S2C, TCP_RST | TCP_ACK, 0, 1, 0);
    rc |= seg_add(l, PKT_S2C, TCP_SYN | TCP_ACK, 0, 1, 0);
    rc |= seg_add(l, PKT_C2S, ACK_, 1, 1, 0);
    rc |= seg_add(l, PKT_C2S, PSH_ACK, 1, 1, 100);
    uint32_t c = 101, s = 1; /* next relative seq of client and server */
    for (unsigned k = 0; k < data_segments; k++) {
        rc |= seg_add(l, PKT_S2C, k + 1 == data_segments ? PSH_ACK : ACK_, s, c, 100);
        s += 100;
        if (k % 2 == 1 || k + 1 == data_segments)
            rc |= seg_add(l, PKT_C2S, ACK_, c, s, 0);
    }
    switch (kind) {
    case PKT_MIX_FOUR_WAY_SERVER:
        rc |= seg_add(l, PKT_S2C, FIN_ACK, s, c, 0);
        rc |= seg_add(l, PKT_C2S, ACK_, c, s + 1, 0);
        rc |= seg_add(l, PKT_C2S, FIN_ACK, c, s + 1, 0);
        rc |= seg_add(l, PKT_S2C, ACK_, s + 1, c + 1, 0);
        break;
    case PKT_MIX_MERGED_FIN:
        rc |= seg_add(l, PKT_C2S, FIN_ACK, c, s, 0);
        rc |= seg_add(l, PKT_S2C, FIN_ACK, s, c + 1, 0);
        rc |= seg_add(l, PKT_C2S, ACK_, c + 1, s + 1, 0);
        break;
    case PKT_MIX_RST_SERVER:
        rc |= seg_add(l, PKT_S2C, TCP_RST | TCP_ACK, s, c, 0);
        break;
    default: /* the client closes: four-way */
        rc |= seg_add(l, PKT_C2S, FIN_ACK, c, s, 0);
        rc |= seg_add(l, PKT_S2C, ACK_, s, c + 1, 0);
        rc |= seg_add(l, PKT_S2C, FIN_ACK, s, c + 1, 0);
        rc |= seg_add(l, PKT_C2S, ACK_, c + 1, s + 1, 0);
        break;
    }
    return rc;
}

const struct pkt_segment pkt_classic_script[PKT_CLASSIC_SEGMENTS] = {
    {PKT_C2S, TCP_SYN, 0, 0, 0},        {PKT_S2C, TCP_SYN | TCP_ACK, 0, 1, 0},
    {PKT_C2S, ACK_, 1, 1, 0},           {PKT_C2S, PSH_ACK, 1, 1, 100},
    {PKT_S2C, ACK_, 1, 101, 0},         {PKT_S2C, PSH_ACK, 1, 101, 200},
    {PKT_C2S, ACK_, 101, 201, 0},       {PKT_C2S, FIN_ACK, 101, 201, 0},
    {PKT_S2C, ACK_, 201, 102, 0},       {PKT_S2C, FIN_ACK, 201, 102, 0},
    {PKT_C2S, ACK_, 102, 202, 0},
};

unsigned pkt_flow_classic(struct pcap_file_writer *w, const struct pkt_flow *f, int64_t ts0, int64_t step_ns)
{
    unsigned n = 0;
    for (unsigned i = 0; i < PKT_CLASSIC_SEGMENTS; i++) {
        const struct pkt_segment *g = &pkt_classic_script[i];
        n += pkt_flow_write(w, f, ts0 + (int64_t)i * step_ns, g->dir, g->flags, g->seq, g->ack, g->len) > 0;
    }
    return n;
}

enum { MIX_CONCURRENT = 16 };

int pkt_gen_mixed(struct pcap_file_writer *w, int linktype, unsigned n, unsigned data_segments,
                  int64_t ts0, struct pkt_mix_stats *st)
{
    struct pkt_mix_stats local;
    struct seg_list plans[MIX_CONCURRENT];
    char caddr[MIX_CONCURRENT][48];
    struct pkt_flow flows[MIX_CONCURRENT];
    int64_t ts = ts0;
    int rc = 0;

    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    memset(plans, 0, sizeof plans);
    for (unsigned base = 0; base < n && rc == 0; base += MIX_CONCURRENT) {
        unsigned group = n - base < MIX_CONCURRENT ? n - base : MIX_CONCURRENT;
        for (unsigned g = 0; g < group; g++) {
            unsigned i = base + g;
            bool v6 = i % 10 == 9;
            bool port80 = (i / 8) % 2 == 0;
            enum pkt_mix_kind kind = (enum pkt_mix_kind)(i % PKT_MIX_KINDS);
            if (v6)
                snprintf(caddr[g], sizeof caddr[g], "2001:db8:1::%x", i + 1);
            else
                snprintf(caddr[g], sizeof caddr[g], "10.1.%u.%u", (i / 250) % 250, i % 250 + 1);
            flows[g] = (struct pkt_flow){
                .linktype = linktype, .ip_version = v6 ? 6 : 4,
                .client = caddr[g], .server = v6 ? "2001:db8::2" : "10.0.0.2",
                .cport = (uint16_t)(10000 + i % 50000), .sport = port80 ? 80 : 443,
                .cisn = 1000000u * (i + 1), .sisn = 0x80000000u + 7919u * i,
            };
            if (plan_session(&plans[g], kind, data_segments) != 0) {
                rc = -1;
                break;
            }
            st->sessions++;
            st->by_kind[kind]++;
            st->port80_sessions += port80;
            if (port80)
                st->port80_packets += plans[g].n;
        }
        /* Round robin over the group until every plan is written. */
        for (size_t k = 0; rc == 0; k++) {
            bool any = false;
            for (unsigned g = 0; g < group; g++) {
                if (k >= plans[g].n)
                    continue;
                const struct seg *sg = &plans[g].v[k];
                if (!pkt_flow_write(w, &flows[g], ts, sg->dir, sg->flags, sg->seq, sg->ack, sg->len)) {
                    rc = -1;
                    break;
                }
                ts += 10000;
                st->packets++;
                any = true;
            }
            if (!any)
                break;
        }
    }
    for (unsigned g = 0; g < MIX_CONCURRENT; g++)
        free(plans[g].v);
    return rc;
}
