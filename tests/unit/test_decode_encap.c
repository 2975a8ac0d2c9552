/* test_decode_encap.c — the link types, encapsulations and tunnels of issue 15, and every cut.
 *
 * Each case of tests/support/pktencap.c wraps a SYN (with options) and a data segment; the
 * frame must decode to the inner segment with a good checksum and the expected path, and
 * every prefix of it to "truncated" with a reason until the TCP header is whole (the one
 * exception: a cut inside a UDP header's ports is "not TCP", as for any UDP datagram too
 * short to say where it goes). Frames are decoded from heap copies of exactly the captured
 * length, so the sanitizer build catches any read past them. Then the corners: the depth
 * limit, GRE's optional fields and PPTP, MPLS control words, 802.11 frames that carry no IP,
 * NFLOG in either byte order, and garbage in every new link type. */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "pktbuild.h"
#include "pktencap.h"

static enum decode_outcome decode_copy(int linktype, const uint8_t *data, size_t caplen, size_t wirelen,
                                       struct decoded_packet *out, const char **why)
{
    uint8_t *copy = malloc(caplen ? caplen : 1);
    cr_assert_not_null(copy);
    memcpy(copy, data, caplen);
    enum decode_outcome o = decode_packet(linktype, copy, caplen, wirelen, out, why);
    free(copy);
    return o;
}

static struct pkt_spec inner_spec(int version, bool syn, uint8_t *opt)
{
    struct pkt_spec s = {
        .ip_version = version, .src = version == 6 ? "2001:db8::10" : "10.0.0.10",
        .dst = version == 6 ? "2001:db8::20" : "10.0.0.20", .sport = 40000, .dport = 80,
        .seq = 1000, .ack = 2000, .flags = TCP_PSH | TCP_ACK, .window = 64240, .payload_len = 33,
    };
    if (syn) {
        s.flags = TCP_SYN;
        s.ack = 0;
        s.payload_len = 0;
        s.options = opt;
        s.options_len = pkt_syn_options(opt, 7, 0);
    }
    return s;
}

struct built {
    struct pkt_frame f;
    struct pkt_encap_expect e;
    size_t len, tcp_off, udp_off; /* udp_off: SIZE_MAX when no UDP */
    struct pkt_spec s;
    uint8_t opt[20];
};

static void build(const struct pkt_encap_case *c, bool syn, struct built *b)
{
    uint8_t ip[2048];
    b->s = inner_spec(c->inner_version, syn, b->opt);
    size_t n = pkt_build_ip(&b->s, ip, sizeof ip);
    cr_assert_gt(n, 0);
    b->len = pkt_encap_build(c, ip, n, &b->f, &b->e);
    cr_assert_gt(b->len, 0, "%s: build failed", c->name);
    b->tcp_off = b->len - n + (c->inner_version == 6 ? 40 : 20);
    b->udp_off = b->f.udp_from_end ? b->len - b->f.udp_from_end : SIZE_MAX;
}

static void assert_addr(const uint8_t *got, int version, const char *text, const char *what)
{
    uint8_t want[16] = {0};
    cr_assert_eq(inet_pton(version == 6 ? AF_INET6 : AF_INET, text, want), 1);
    cr_assert(memcmp(got, want, 16) == 0, "%s: address differs from %s", what, text);
}

static void check_full(const struct pkt_encap_case *c, const struct built *b, const struct decoded_packet *p)
{
    cr_assert_eq(p->ip_version, c->inner_version, "%s: ip_version %d", c->name, p->ip_version);
    assert_addr(p->src, c->inner_version, b->s.src, c->name);
    assert_addr(p->dst, c->inner_version, b->s.dst, c->name);
    cr_assert_eq(p->sport, b->s.sport, "%s", c->name);
    cr_assert_eq(p->dport, b->s.dport, "%s", c->name);
    cr_assert_eq(p->seq, b->s.seq, "%s", c->name);
    cr_assert_eq(p->flags, b->s.flags, "%s", c->name);
    cr_assert_eq(p->payload_len, b->s.payload_len, "%s", c->name);
    cr_assert_eq(p->checksum, CHECKSUM_GOOD, "%s: checksum %d", c->name, p->checksum);
    cr_assert_eq(p->n_encap, b->e.n, "%s: %u layers, want %u", c->name, p->n_encap, b->e.n);
    for (unsigned i = 0; i < b->e.n; i++) {
        const struct encap_layer *l = &p->encap[i];
        cr_assert_eq(l->kind, b->e.kind[i], "%s: layer %u is %s", c->name, i,
                     encap_kind_name((enum encap_kind)l->kind));
        cr_assert_eq(l->has_id, b->e.has_id[i], "%s: layer %u has_id", c->name, i);
        if (b->e.has_id[i])
            cr_assert_eq(l->id, b->e.id[i], "%s: layer %u id %u, want %u", c->name, i, l->id, b->e.id[i]);
    }
}

Test(decode_encap, every_case_decodes_to_the_inner_segment)
{
    for (size_t i = 0; i < pkt_encap_n_cases; i++) {
        const struct pkt_encap_case *c = &pkt_encap_cases[i];
        cr_assert(decode_link_supported(c->linktype), "%s", c->name);
        for (int syn = 0; syn < 2; syn++) {
            struct built b;
            struct decoded_packet p;
            const char *why = "unset";
            build(c, syn, &b);
            enum decode_outcome o = decode_copy(c->linktype, pkt_frame_data(&b.f), b.len, b.len, &p, &why);
            cr_assert_eq(o, DECODE_TCP, "%s: outcome %s (%s)", c->name, decode_outcome_name(o), why ? why : "-");
            cr_assert_null(why, "%s", c->name);
            check_full(c, &b, &p);
            if (syn)
                cr_assert_eq(p.options.mss, 1460, "%s: options", c->name);
        }
    }
}

Test(decode_encap, tunnels_record_the_outer_addresses_and_ports)
{
    for (size_t i = 0; i < pkt_encap_n_cases; i++) {
        const struct pkt_encap_case *c = &pkt_encap_cases[i];
        struct built b;
        struct decoded_packet p;
        build(c, false, &b);
        cr_assert_eq(decode_copy(c->linktype, pkt_frame_data(&b.f), b.len, b.len, &p, NULL), DECODE_TCP);
        for (unsigned k = 0; k < p.n_encap; k++) {
            const struct encap_layer *l = &p.encap[k];
            bool over_ip = l->kind >= ENCAP_GRE;
            cr_assert_eq(l->ip_version != 0, over_ip, "%s: layer %u ip_version %u", c->name, k, l->ip_version);
            if (!over_ip)
                continue;
            assert_addr(l->src, l->ip_version, l->ip_version == 6 ? "2001:db8:ffff::1" : "192.0.2.1", c->name);
            assert_addr(l->dst, l->ip_version, l->ip_version == 6 ? "2001:db8:ffff::2" : "192.0.2.2", c->name);
            bool udp = l->kind == ENCAP_VXLAN || l->kind == ENCAP_GENEVE || l->kind == ENCAP_TEREDO ||
                       l->kind == ENCAP_AYIYA || l->kind == ENCAP_GTPU;
            cr_assert_eq(l->dport != 0, udp, "%s: layer %u ports", c->name, k);
        }
    }
}

/* Every prefix of every case. Returns the number of bad cuts; the first is described. */
static unsigned replay(const struct pkt_encap_case *c, const struct built *b, char *msg, size_t msglen)
{
    unsigned bad = 0;
    struct decoded_packet full, p;
    cr_assert_eq(decode_copy(c->linktype, pkt_frame_data(&b->f), b->len, b->len, &full, NULL), DECODE_TCP);
    for (size_t cut = 0; cut <= b->len; cut++) {
        const char *why = NULL;
        enum decode_outcome o = decode_copy(c->linktype, pkt_frame_data(&b->f), cut, b->len, &p, &why);
        const char *err = NULL;
        bool in_ports = b->udp_off != SIZE_MAX && cut >= b->udp_off && cut < b->udp_off + 4;
        if (cut < b->tcp_off + 20) {
            if (in_ports ? o != DECODE_NOT_TCP : o != DECODE_TRUNCATED)
                err = in_ports ? "want not_tcp" : "want truncated";
            else if (!in_ports && (!why || !why[0]))
                err = "truncated without a reason";
        } else if (o != DECODE_TCP) {
            err = "want tcp";
        } else if (p.sport != full.sport || p.seq != full.seq || memcmp(p.src, full.src, 16) != 0 ||
                   p.n_encap != full.n_encap || p.payload_len != full.payload_len) {
            err = "fields differ from the full frame";
        }
        if (err && !bad++)
            snprintf(msg, msglen, "%s: caplen %zu of %zu: %s (outcome %s, %s)", c->name, cut, b->len, err,
                     decode_outcome_name(o), why ? why : "-");
    }
    return bad;
}

Test(decode_encap, every_cut_is_truncated_or_the_segment, .timeout = 60)
{
    for (size_t i = 0; i < pkt_encap_n_cases; i++) {
        for (int syn = 0; syn < 2; syn++) {
            struct built b;
            char msg[256] = "";
            build(&pkt_encap_cases[i], syn, &b);
            unsigned bad = replay(&pkt_encap_cases[i], &b, msg, sizeof msg);
            cr_expect_eq(bad, 0, "%u bad lengths; first: %s", bad, msg);
        }
    }
}

/* ---- corners --------------------------------------------------------------------------------- */

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

/* The IPv4 datagram of a data segment, in buf; returns its length. */
static size_t inner4(uint8_t *buf, size_t cap)
{
    uint8_t opt[20];
    struct pkt_spec s = inner_spec(4, false, opt);
    return pkt_build_ip(&s, buf, cap);
}

/* Prepends an IPv4 header of protocol proto to buf[0, n) in place; returns the new length. */
static size_t wrap4(uint8_t *buf, size_t n, uint8_t proto)
{
    memmove(buf + 20, buf, n);
    memset(buf, 0, 20);
    buf[0] = 0x45;
    put16(buf + 2, (unsigned)(n + 20));
    buf[8] = 64;
    buf[9] = proto;
    buf[12] = 192, buf[15] = 1, buf[16] = 192, buf[19] = 2;
    return n + 20;
}

static enum decode_outcome decode_raw(const uint8_t *b, size_t n, struct decoded_packet *p, const char **why)
{
    return decode_copy(LINK_RAW, b, n, n, p, why);
}

Test(decode_encap, nesting_stops_at_the_depth_limit)
{
    uint8_t buf[1024];
    struct decoded_packet p;
    const char *why = NULL;
    size_t n = inner4(buf, sizeof buf);
    for (int i = 0; i < ENCAP_MAX_DEPTH; i++)
        n = wrap4(buf, n, 4);
    cr_assert_eq(decode_raw(buf, n, &p, &why), DECODE_TCP, "%s", why ? why : "-");
    cr_assert_eq(p.n_encap, ENCAP_MAX_DEPTH);
    n = wrap4(buf, n, 4);
    cr_assert_eq(decode_raw(buf, n, &p, &why), DECODE_MALFORMED);
    cr_assert(why && strstr(why, "deeper than 8") != NULL, "%s", why ? why : "-");
}

Test(decode_encap, gre_optional_fields_and_pptp)
{
    uint8_t buf[1024], gre[32];
    struct decoded_packet p;
    const char *why = NULL;
    size_t n = inner4(buf + 64, sizeof buf - 64);
    /* Checksum, key and sequence number (RFC 2784, RFC 2890). */
    static const uint8_t full[] = {0xb0, 0x00, 0x08, 0x00, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 1};
    memcpy(gre, full, sizeof full);
    memmove(buf + sizeof full, buf + 64, n);
    memcpy(buf, gre, sizeof full);
    size_t m = wrap4(buf, n + sizeof full, 47);
    cr_assert_eq(decode_raw(buf, m, &p, &why), DECODE_TCP, "%s", why ? why : "-");
    cr_assert_eq(p.encap[0].kind, ENCAP_GRE);
    cr_assert(p.encap[0].has_id);
    cr_assert_eq(p.encap[0].id, 9);
    /* PPTP's enhanced GRE (RFC 2637): version 1, key (payload length, call id), sequence,
     * acknowledgment; PPP in HDLC-like framing. */
    n = inner4(buf + 64, sizeof buf - 64);
    static const uint8_t pptp[] = {0x30, 0x81, 0x88, 0x0b, 0, 40, 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0,
                                   0xff, 0x03, 0x00, 0x21};
    memmove(buf + sizeof pptp, buf + 64, n);
    memcpy(buf, pptp, sizeof pptp);
    m = wrap4(buf, n + sizeof pptp, 47);
    cr_assert_eq(decode_raw(buf, m, &p, &why), DECODE_TCP, "%s", why ? why : "-");
    cr_assert_eq(p.encap[0].id, 0x1234);
    /* A GRE version we do not know carries nothing we decode. */
    buf[21] = 0x05;
    cr_assert_eq(decode_raw(buf, m, &p, &why), DECODE_NOT_IP);
}

Test(decode_encap, mpls_pseudowire_with_a_control_word_and_deep_stacks)
{
    uint8_t f[1024];
    struct decoded_packet p;
    const char *why = NULL;
    size_t n = 0;
    memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x88\x47", 14);
    n = 14;
    f[n] = 0, f[n + 1] = 0x01, f[n + 2] = 0x01, f[n + 3] = 64; /* label 16, bottom */
    n += 4;
    memset(f + n, 0, 4); /* control word */
    n += 4;
    memcpy(f + n, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
    n += 14;
    n += inner4(f + n, sizeof f - n);
    cr_assert_eq(decode_copy(LINK_ETHERNET, f, n, n, &p, &why), DECODE_TCP, "%s", why ? why : "-");
    cr_assert_eq(p.encap[0].n_labels, 1);
    cr_assert_eq(p.encap[0].labels[0], 16);
    /* 17 labels: beyond what the decoder accepts. */
    uint8_t deep[14 + 17 * 4 + 20];
    memcpy(deep, f, 14);
    for (int i = 0; i < 17; i++) {
        uint8_t *l = deep + 14 + 4 * i;
        l[0] = 0, l[1] = 0x01, l[2] = (uint8_t)(i == 16 ? 0x01 : 0), l[3] = 64;
    }
    memset(deep + 14 + 17 * 4, 0x45, 20);
    cr_assert_eq(decode_copy(LINK_ETHERNET, deep, sizeof deep, sizeof deep, &p, &why), DECODE_MALFORMED);
    cr_assert(strstr(why, "16 labels") != NULL, "%s", why);
}

Test(decode_encap, wlan_frames_without_ip)
{
    uint8_t f[64] = {0x88, 0x01};
    struct decoded_packet p;
    const char *why;
    memcpy(f + 26, "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8);
    f[0] = 0x80; /* beacon */
    cr_assert_eq(decode_copy(LINK_IEEE802_11, f, sizeof f, sizeof f, &p, &why), DECODE_NOT_IP);
    f[0] = 0xc8; /* QoS null */
    cr_assert_eq(decode_copy(LINK_IEEE802_11, f, sizeof f, sizeof f, &p, &why), DECODE_NOT_IP);
    f[0] = 0x88, f[1] = 0x41; /* protected */
    cr_assert_eq(decode_copy(LINK_IEEE802_11, f, sizeof f, sizeof f, &p, &why), DECODE_NOT_IP);
    f[1] = 0x01, f[24] = 0x80; /* A-MSDU */
    cr_assert_eq(decode_copy(LINK_IEEE802_11, f, sizeof f, sizeof f, &p, &why), DECODE_NOT_IP);
    f[0] = 0x89; /* protocol version 1 */
    cr_assert_eq(decode_copy(LINK_IEEE802_11, f, sizeof f, sizeof f, &p, &why), DECODE_MALFORMED);
}

Test(decode_encap, wlan_four_address_frame)
{
    uint8_t f[512] = {0x08, 0x03}; /* data, To DS and From DS: 30-byte header */
    struct decoded_packet p;
    const char *why = NULL;
    memcpy(f + 30, "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8);
    size_t n = 38 + inner4(f + 38, sizeof f - 38);
    cr_assert_eq(decode_copy(LINK_IEEE802_11, f, n, n, &p, &why), DECODE_TCP, "%s", why ? why : "-");
}

Test(decode_encap, nflog_in_big_endian)
{
    uint8_t f[512] = {2, 0, 0, 1, 0, 8, 0, 10, 'x', 0, 0, 0};
    struct decoded_packet p;
    const char *why = NULL;
    size_t n = inner4(f + 16, sizeof f - 16);
    put16(f + 12, (unsigned)(n + 4));
    put16(f + 14, 9);
    cr_assert_eq(decode_copy(LINK_NFLOG, f, 16 + n, 16 + n, &p, &why), DECODE_TCP, "%s", why ? why : "-");
    f[1] = 1; /* version 1 */
    cr_assert_eq(decode_copy(LINK_NFLOG, f, 16 + n, 16 + n, &p, &why), DECODE_MALFORMED);
    f[1] = 0;
    put16(f + 14, 11); /* no payload TLV at all */
    cr_assert_eq(decode_copy(LINK_NFLOG, f, 16 + n, 16 + n, &p, &why), DECODE_NOT_IP);
}

Test(decode_encap, udp_that_is_not_a_tunnel_and_tunnel_control_messages)
{
    uint8_t buf[512];
    struct decoded_packet p;
    const char *why;
    memset(buf, 0, sizeof buf);
    put16(buf, 53), put16(buf + 2, 53), put16(buf + 4, 20);
    size_t n = wrap4(buf, 20, 17);
    cr_assert_eq(decode_raw(buf, n, &p, &why), DECODE_NOT_TCP, "plain UDP");
    /* A GTP-U echo request. */
    memset(buf, 0, sizeof buf);
    put16(buf, 2152), put16(buf + 2, 2152), put16(buf + 4, 20);
    buf[8] = 0x30, buf[9] = 1;
    n = wrap4(buf, 20, 17);
    cr_assert_eq(decode_raw(buf, n, &p, &why), DECODE_NOT_TCP, "GTP echo");
    /* An AYIYA heartbeat (opcode 0). */
    memset(buf, 0, sizeof buf);
    put16(buf, 5072), put16(buf + 2, 5072), put16(buf + 4, 40);
    buf[8] = 0x41, buf[9] = 0x52, buf[10] = 0x10, buf[11] = 59;
    n = wrap4(buf, 40, 17);
    cr_assert_eq(decode_raw(buf, n, &p, &why), DECODE_NOT_TCP, "AYIYA heartbeat");
    /* Geneve version 1. */
    memset(buf, 0, sizeof buf);
    put16(buf, 1000), put16(buf + 2, 6081), put16(buf + 4, 40);
    buf[8] = 0x40;
    n = wrap4(buf, 40, 17);
    cr_assert_eq(decode_raw(buf, n, &p, &why), DECODE_MALFORMED, "Geneve v1");
}

Test(decode_encap, a_tunnel_in_a_first_fragment_is_a_fragment)
{
    uint8_t buf[1024];
    struct decoded_packet p;
    const char *why;
    size_t n = wrap4(buf, inner4(buf, sizeof buf), 4);
    buf[6] = 0x20; /* more fragments */
    cr_assert_eq(decode_raw(buf, n, &p, &why), DECODE_FRAGMENT);
}

Test(decode_encap, garbage_in_every_new_link_type_never_crashes)
{
    static const int links[] = {LINK_PPP, LINK_PPP_HDLC, LINK_C_HDLC, LINK_IEEE802_11, LINK_ENC, LINK_PFLOG,
                                LINK_PRISM, LINK_RADIOTAP, LINK_PKTAP_APPLE, LINK_PPI, LINK_IPNET, LINK_NFLOG,
                                LINK_PKTAP, LINK_ETHERNET, LINK_TOKEN_RING, LINK_SLIP, LINK_FDDI,
                                LINK_ATM_RFC1483, LINK_PPP_ETHER, LINK_FRELAY, LINK_APPLE_IP_OVER_1394,
                                LINK_MPLS, LINK_LINUX_SLL, LINK_LINUX_SLL2};
    uint32_t x = 4242;
    uint8_t b[200];
    for (int round = 0; round < 300; round++) {
        for (size_t i = 0; i < sizeof b; i++) {
            x = x * 1103515245u + 12345u;
            b[i] = (uint8_t)(x >> 16);
        }
        /* Steer rounds into the tunnels: an Ethernet frame with IPv4 carrying GRE or UDP. */
        if (round % 3 == 0) {
            memcpy(b + 12, "\x08\x00\x45\x00", 4);
            b[14 + 9] = round % 2 ? 47 : 17;
            b[14 + 6] = b[14 + 7] = 0;
            put16(b + 16, 180);
            static const unsigned ports[] = {4789, 6081, 3544, 5072, 2152};
            put16(b + 36, ports[round % 5]);
        }
        for (size_t l = 0; l < sizeof links / sizeof links[0]; l++) {
            for (size_t len = 0; len <= sizeof b; len += 13) {
                struct decoded_packet p;
                const char *why = NULL;
                enum decode_outcome o = decode_copy(links[l], b, len, len, &p, &why);
                cr_assert_lt((unsigned)o, DECODE_OUTCOMES);
                cr_assert_leq(p.n_encap, ENCAP_MAX_DEPTH);
                if (o == DECODE_TRUNCATED || o == DECODE_MALFORMED)
                    cr_assert_not_null(why);
            }
        }
    }
}

Test(decode_encap, kind_names)
{
    cr_assert_str_eq(encap_kind_name(ENCAP_VXLAN), "vxlan");
    cr_assert_str_eq(encap_kind_name(ENCAP_GTPU), "gtp-u");
    cr_assert_str_eq(encap_kind_name(ENCAP_KINDS), "unknown");
    for (int k = 0; k < ENCAP_KINDS; k++)
        cr_assert_not_null(encap_kind_name((enum encap_kind)k));
}

/* ---- Teredo found by its payload ------------------------------------------------------------ */

/* The Teredo case through a relay's own port (variant 1: 32900 -> 3797), around a segment
 * between inner addresses src and dst. */
static size_t teredo_relay(const char *src, const char *dst, uint8_t *frame, size_t cap)
{
    const struct pkt_encap_case *c = NULL;
    for (size_t i = 0; i < pkt_encap_n_cases; i++)
        if (strcmp(pkt_encap_cases[i].name, "teredo") == 0)
            c = &pkt_encap_cases[i];
    cr_assert_not_null(c);
    uint8_t opt[20], ip[256];
    struct pkt_spec s = inner_spec(6, false, opt);
    s.src = src;
    s.dst = dst;
    size_t n = pkt_build_ip(&s, ip, sizeof ip);
    struct pkt_frame f;
    struct pkt_encap_expect e;
    size_t len = pkt_encap_build_as(c, ip, n, false, 1, &f, &e);
    cr_assert(len > 0 && len <= cap);
    memcpy(frame, pkt_frame_data(&f), len);
    return len;
}

Test(decode_encap, teredo_on_a_relay_port_is_found_by_its_payload)
{
    uint8_t frame[512];
    struct decoded_packet p;
    size_t len = teredo_relay("2001:0:4137:9e50:8000:f12a:b9c8:2815", "2001:4860:0:2001::68", frame, sizeof frame);
    cr_assert_eq(decode_copy(LINK_ETHERNET, frame, len, len, &p, NULL), DECODE_TCP);
    cr_assert_eq(p.n_encap, 1);
    cr_assert_eq(p.encap[0].kind, ENCAP_TEREDO);
    cr_assert_eq(p.encap[0].sport, 32900);
    cr_assert_eq(p.encap[0].dport, 3797);
    assert_addr(p.src, 6, "2001:0:4137:9e50:8000:f12a:b9c8:2815", "inner source");
    /* Either side may be the Teredo address. */
    len = teredo_relay("2001:4860:0:2001::68", "2001:0:4137:9e50:8000:f12a:b9c8:2815", frame, sizeof frame);
    cr_assert_eq(decode_copy(LINK_ETHERNET, frame, len, len, &p, NULL), DECODE_TCP);
}

Test(decode_encap, other_udp_is_not_taken_for_teredo)
{
    uint8_t frame[512];
    struct decoded_packet p;
    /* IPv6 in UDP without a Teredo address (2001:0::/32) on either side. */
    size_t len = teredo_relay("2001:db8::10", "2001:4860:0:2001::68", frame, sizeof frame);
    cr_assert_eq(decode_copy(LINK_ETHERNET, frame, len, len, &p, NULL), DECODE_NOT_TCP);
    /* A Teredo address, but an IPv6 payload length that does not fill the datagram. */
    len = teredo_relay("2001:0:4137:9e50:8000:f12a:b9c8:2815", "2001:4860:0:2001::68", frame, sizeof frame);
    size_t ip6 = 14 + 20 + 8 + 8; /* the inner IPv6 header: after Ethernet, IPv4, UDP, origin indication */
    frame[ip6 + 5]--;
    cr_assert_eq(decode_copy(LINK_ETHERNET, frame, len, len, &p, NULL), DECODE_NOT_TCP);
    /* Cut anywhere, it is never a segment (only a whole datagram can be told for Teredo). */
    frame[ip6 + 5]++;
    for (size_t cut = 0; cut < len; cut++) {
        const char *why = NULL;
        enum decode_outcome o = decode_copy(LINK_ETHERNET, frame, cut, len, &p, &why);
        cr_assert(o == DECODE_NOT_TCP || o == DECODE_TRUNCATED, "caplen %zu: %s", cut, decode_outcome_name(o));
    }
}

Test(decode_encap, frame_relay_cisco_framing_and_a_cooked_capture_carrying_mpls)
{
    uint8_t ip[128], f[160];
    size_t n = inner4(ip, sizeof ip);
    struct decoded_packet p;
    /* Frame Relay as Cisco routers frame it: the Q.922 address, then an ethertype. */
    memcpy(f, "\x18\x41\x08\x00", 4);
    memcpy(f + 4, ip, n);
    cr_assert_eq(decode_copy(LINK_FRELAY, f, n + 4, n + 4, &p, NULL), DECODE_TCP);
    /* An address without its EA bit for 4 bytes is damaged. */
    memcpy(f, "\x18\x40\x40\x40\x40", 5);
    cr_assert_eq(decode_copy(LINK_FRELAY, f, n + 5, n + 5, &p, NULL), DECODE_MALFORMED);
    /* Linux cooked v1 with protocol 0x8847: an MPLS label stack, then IPv4. */
    memset(f, 0, 16);
    f[14] = 0x88, f[15] = 0x47;
    put16(f + 16, 16 >> 4);
    f[18] = 0x01, f[19] = 64; /* label 16, bottom of stack */
    memcpy(f + 20, ip, n);
    cr_assert_eq(decode_copy(LINK_LINUX_SLL, f, n + 20, n + 20, &p, NULL), DECODE_TCP);
    cr_assert_eq(p.n_encap, 1);
    cr_assert_eq(p.encap[0].kind, ENCAP_MPLS);
    cr_assert_eq(p.encap[0].labels[0], 16);
    /* PPPoE without Ethernet: a discovery frame carries no IP. */
    memcpy(f, "\x11\x09\x00\x00\x00\x04", 6);
    cr_assert_eq(decode_copy(LINK_PPP_ETHER, f, 30, 30, &p, NULL), DECODE_NOT_IP);
}
