/* pktbuild.c — test packet construction and a minimal pcap writer. */
#include "pktbuild.h"

#include <arpa/inet.h>
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

void pcapw_write(struct pcap_file_writer *w, int64_t ts_ns, const uint8_t *frame, uint32_t caplen, uint32_t len)
{
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
