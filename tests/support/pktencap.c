/* pktencap.c — the encapsulation cases of pktencap.h, built inside out (the older link types
 * in pktencap_lan.c). */
#include "pktencap.h"

#include <arpa/inet.h>
#include <string.h>

#include "decode.h"
#include "pktencap_parts.h"


void pkt_frame_init(struct pkt_frame *f, const uint8_t *ip, size_t n)
{
    f->start = sizeof f->buf;
    f->udp_from_end = 0;
    f->overflow = false;
    f->reverse = false;
    f->variant = 0;
    memcpy(pre(f, n), ip, n);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        s += (uint32_t)p[n - 1] << 8;
    return s;
}

static uint16_t fold(uint32_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/* ---- building blocks --------------------------------------------------------------------- */

static const char *const OUT4_SRC = "192.0.2.1", *const OUT4_DST = "192.0.2.2";
static const char *const OUT6_SRC = "2001:db8:ffff::1", *const OUT6_DST = "2001:db8:ffff::2";

/* The outer source (src) or destination address of version v as this frame's direction
 * carries it, in 4 or 16 bytes at a; outer_shift moves both to other tunnel endpoints. */
static int outer_shift;
static void outer_addr(const struct pkt_frame *f, int v, bool src, uint8_t *a)
{
    bool first = src != f->reverse;
    if (v == 6) {
        inet_pton(AF_INET6, first ? OUT6_SRC : OUT6_DST, a);
        a[14] = (uint8_t)(a[14] + outer_shift);
    } else {
        inet_pton(AF_INET, first ? OUT4_SRC : OUT4_DST, a);
        a[2] = (uint8_t)(a[2] + outer_shift);
    }
}

/* A 4-byte tag (VLAN TCI, I-TAG, VN-Tag...) followed by the next ethertype. */
static void tag(struct pkt_frame *f, uint32_t tci, int tci_bytes, uint16_t next)
{
    uint8_t *h = pre(f, (size_t)tci_bytes + 2);
    if (tci_bytes == 4)
        p32(h, tci);
    else
        p16(h, tci);
    p16(h + tci_bytes, next);
}

static void ipv4(struct pkt_frame *f, uint8_t proto)
{
    size_t total = flen(f) + 20;
    uint8_t *h = pre(f, 20);
    h[0] = 0x45;
    p16(h + 2, (uint32_t)total);
    h[8] = 64;
    h[9] = proto;
    outer_addr(f, 4, true, h + 12);
    outer_addr(f, 4, false, h + 16);
    p16(h + 10, fold(sum16(h, 20, 0)));
}

static void ipv6(struct pkt_frame *f, uint8_t next)
{
    size_t payload = flen(f);
    uint8_t *h = pre(f, 40);
    h[0] = 0x60;
    p16(h + 4, (uint32_t)payload);
    h[6] = next;
    h[7] = 64;
    outer_addr(f, 6, true, h + 8);
    outer_addr(f, 6, false, h + 24);
}

/* UDP with its checksum over the pseudo header of the outer datagram to come (version). */
static void udp(struct pkt_frame *f, uint16_t sport, uint16_t dport, int version)
{
    if (f->reverse && sport >= 49152) {
        sport = (uint16_t)(sport + 100); /* the other end's entropy port, to the same service */
    } else if (f->reverse) {
        uint16_t t = sport;
        sport = dport;
        dport = t;
    }
    size_t len = flen(f) + 8;
    uint8_t *h = pre(f, 8);
    p16(h, sport);
    p16(h + 2, dport);
    p16(h + 4, (uint32_t)len);
    uint8_t a[32];
    size_t al = version == 6 ? 16 : 4;
    outer_addr(f, version, true, a);
    outer_addr(f, version, false, a + al);
    uint32_t s = sum16(a, 2 * al, 0) + 17 + (uint32_t)len;
    uint16_t ck = fold(sum16(h, len, s));
    p16(h + 6, ck ? ck : 0xffff);
    f->udp_from_end = len;
}

/* Ethernet + IPv4 (or IPv6) + UDP to port, around what f holds. */
static void over_udp(struct pkt_frame *f, uint16_t sport, uint16_t dport, int version)
{
    udp(f, sport, dport, version);
    if (version == 6)
        ipv6(f, 17);
    else
        ipv4(f, 17);
    ether(f, version == 6 ? 0x86DD : 0x0800);
}

static void gre(struct pkt_frame *f, uint16_t flags, uint16_t proto, uint32_t key, uint32_t seq)
{
    size_t n = 4 + ((flags & 0x2000) ? 4 : 0) + ((flags & 0x1000) ? 4 : 0);
    uint8_t *h = pre(f, n), *p = h + 4;
    p16(h, flags);
    p16(h + 2, proto);
    if (flags & 0x2000) {
        p32(p, key);
        p += 4;
    }
    if (flags & 0x1000)
        p32(p, seq);
}

/* An 802.11 QoS data frame to the distribution system, with LLC/SNAP; pad adds the 2 bytes
 * that radiotap's "data pad" flag announces after the 26-byte header. */
static void wlan(struct pkt_frame *f, bool pad)
{
    uint16_t type = inner_type(f);
    uint8_t *h = pre(f, 26 + (pad ? 2 : 0) + 8);
    h[0] = 0x88; /* data, QoS data */
    h[1] = 0x01; /* To DS */
    memcpy(h + 4, "\x02\x00\x00\x00\x00\xaa\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 18);
    uint8_t *llc = h + 26 + (pad ? 2 : 0);
    memcpy(llc, "\xaa\xaa\x03\x00\x00\x00", 6);
    p16(llc + 6, type);
}

/* ---- the cases --------------------------------------------------------------------------- */

static void c_mpls(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    /* Labels are chosen per direction (RFC 3031 3.1): the way back has its own. */
    const uint32_t labels[] = {f->reverse ? 300u : 100u, 2001};
    mpls(f, labels, 2);
    ether(f, 0x8847);
    expect(e, ENCAP_MPLS, true, labels[0]);
}

static void c_mpls_vlan(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    static const uint32_t labels[] = {77};
    mpls(f, labels, 1);
    tag(f, 10, 2, 0x8847);
    ether(f, 0x8100);
    expect(e, ENCAP_MPLS, true, 77);
}

/* An Ethernet pseudowire (RFC 4448) without the control word, as Wireshark decodes one by
 * default; the unit tests also build one with it. */
static void c_mpls_pw(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    static const uint32_t labels[] = {16, 17};
    ether(f, inner_type(f));
    mpls(f, labels, 2);
    ether(f, 0x8847);
    expect(e, ENCAP_MPLS, true, 16);
}

static void c_pbb(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    tag(f, 20, 2, inner_type(f));                 /* the customer's VLAN */
    ether(f, 0x8100);                             /* customer addresses */
    p32(pre(f, 4), 0x00012345);                   /* I-TAG, I-SID 0x12345 */
    tag(f, 30, 2, 0x88E7);                        /* B-TAG */
    ether(f, 0x88A8);
    expect(e, ENCAP_PBB, true, 0x12345);
}

static void c_pppoe(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    size_t n = flen(f) + 2;
    bool v6 = inner_type(f) == 0x86DD;
    uint8_t *h = pre(f, 8);
    h[0] = 0x11;
    p16(h + 2, 0x1234u + (uint32_t)f->variant);
    p16(h + 4, (uint32_t)n);
    p16(h + 6, v6 ? 0x0057 : 0x0021);
    ether(f, 0x8864);
    expect(e, ENCAP_PPPOE, true, 0x1234u + (uint32_t)f->variant);
}

static void c_vntag(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    tag(f, 0x00050007, 4, inner_type(f));
    ether(f, 0x8926);
    expect(e, ENCAP_VNTAG, true, 0x00050007);
}

static void c_fabricpath(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    ether(f, inner_type(f));
    uint8_t *h = pre(f, 16);
    memcpy(h, "\x02\x00\x0a\x00\x00\x01\x02\x00\x0b\x00\x00\x02", 12);
    p16(h + 12, 0x8903);
    p16(h + 14, 5 << 6 | 32); /* FTag 5, TTL 32 */
    expect(e, ENCAP_FABRICPATH, true, 5);
}

static void c_gre(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    gre(f, 0x2000, inner_type(f), 42, 0);
    outer_shift = f->variant; /* another tunnel: other endpoints */
    ipv4(f, 47);
    outer_shift = 0;
    ether(f, 0x0800);
    expect(e, ENCAP_GRE, true, 42);
}

static void c_gre_teb6(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    ether(f, inner_type(f));
    gre(f, 0, 0x6558, 0, 0);
    ipv6(f, 47);
    ether(f, 0x86DD);
    expect(e, ENCAP_GRE, false, 0);
}

static void c_erspan1(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    ether(f, inner_type(f));
    gre(f, 0, 0x88BE, 0, 0);
    f->reverse = false; /* a mirror: switch to collector, whichever way the copy went */
    ipv4(f, 47);
    ether(f, 0x0800);
    expect(e, ENCAP_ERSPAN, false, 0);
}

static void c_erspan2(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    ether(f, inner_type(f));
    uint8_t *h = pre(f, 8);
    p16(h, 0x1000 | 10);       /* version 1, VLAN 10 */
    p16(h + 2, 0x0000 | 300);  /* COS, En, T, session 300 */
    gre(f, 0x1000, 0x88BE, 0, 7);
    f->reverse = false; /* a mirror: switch to collector, whichever way the copy went */
    ipv4(f, 47);
    ether(f, 0x0800);
    expect(e, ENCAP_ERSPAN, true, 300);
}

static void c_erspan3(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    ether(f, inner_type(f));
    uint8_t *h = pre(f, 12);
    p16(h, 0x2000 | 10);       /* version 2, VLAN 10 */
    p16(h + 2, 513);           /* session 513 */
    p32(h + 4, 123456);        /* timestamp */
    p16(h + 10, 0x0000);       /* P 0, frame type 0 (Ethernet), O 0 */
    gre(f, 0x1000, 0x22EB, 0, 8);
    f->reverse = false; /* a mirror: switch to collector, whichever way the copy went */
    ipv4(f, 47);
    ether(f, 0x0800);
    expect(e, ENCAP_ERSPAN, true, 513);
}

static void c_aruba(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    wlan(f, false);
    gre(f, 0, 0x8210, 0, 0);
    ipv4(f, 47);
    ether(f, 0x0800);
    expect(e, ENCAP_ARUBA, false, 0);
}

static void vxlan_hdr(struct pkt_frame *f, uint32_t vni)
{
    ether(f, inner_type(f));
    uint8_t *h = pre(f, 8);
    h[0] = 0x08;
    p32(h + 4, vni << 8);
}

static void c_vxlan(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    uint32_t vni = 5001u + (uint32_t)f->variant;
    vxlan_hdr(f, vni);
    over_udp(f, 49152, 4789, 4);
    expect(e, ENCAP_VXLAN, true, vni);
}

static void c_vxlan6(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    vxlan_hdr(f, 0xabcdef);
    over_udp(f, 49153, 4789, 6);
    expect(e, ENCAP_VXLAN, true, 0xabcdef);
}

static void c_geneve(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    ether(f, inner_type(f));
    uint8_t *h = pre(f, 16);
    h[0] = 2;                 /* version 0, 2 words of options */
    p16(h + 2, 0x6558);
    p32(h + 4, 777u << 8);
    p16(h + 8, 0x0104);       /* an option: class 0x0104, type 1, length 1 word */
    h[10] = 1;
    h[11] = 1;
    over_udp(f, 49154, 6081, 4);
    expect(e, ENCAP_GENEVE, true, 777);
}

static void c_ipip(struct pkt_frame *f, struct pkt_encap_expect *e, int outer)
{
    uint8_t proto = inner_type(f) == 0x86DD ? 41 : 4;
    outer_shift = f->variant; /* another tunnel: other endpoints */
    if (outer == 6)
        ipv6(f, proto);
    else
        ipv4(f, proto);
    outer_shift = 0;
    ether(f, outer == 6 ? 0x86DD : 0x0800);
    expect(e, ENCAP_IP_IN_IP, false, 0);
}
static void c_ipip4(struct pkt_frame *f, struct pkt_encap_expect *e) { c_ipip(f, e, 4); }
static void c_ipip6(struct pkt_frame *f, struct pkt_encap_expect *e) { c_ipip(f, e, 6); }

static void c_teredo(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    uint8_t *h = pre(f, 8); /* origin indication: port and address, obfuscated */
    p16(h + 2, 0xffff ^ 40000);
    p32(h + 4, 0xffffffff ^ 0xc0000201);
    /* variant 1: a relay's own port, not 3544 (found by the payload: decode_tunnel.c) */
    over_udp(f, f->variant ? 32900 : 3544, f->variant ? 3797 : 50000, 4);
    expect(e, ENCAP_TEREDO, false, 0);
}

static void c_ayiya(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    uint8_t next = inner_type(f) == 0x86DD ? 41 : 4;
    uint8_t *h = pre(f, 8 + 16 + 20);
    h[0] = 4 << 4 | 1;   /* identity 2^4 = 16 bytes, an IPv6 address */
    h[1] = 5 << 4 | 2;   /* signature 5 words (SHA-1), hash method 2 */
    h[2] = 1 << 4 | 1;   /* shared secret, opcode forward */
    h[3] = next;
    p32(h + 4, 1700000000);
    over_udp(f, 5072, 5072, 4);
    expect(e, ENCAP_AYIYA, false, 0);
}

static void c_gtpu(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    size_t n = flen(f);
    uint8_t *h = pre(f, 8 + 4 + 4);
    h[0] = 0x34;               /* version 1, PT, E */
    h[1] = 0xff;               /* G-PDU */
    p16(h + 2, (uint32_t)(n + 8));
    p32(h + 4, f->reverse ? 0x0badf00du : 0xdeadbeefu); /* each end chooses the TEID it receives on */
    h[11] = 0x85;              /* next extension: PDU session container */
    h[12] = 1;                 /* 4 bytes */
    h[13] = 0x10;
    h[14] = 0x09;
    h[15] = 0;                 /* no more */
    over_udp(f, 2152, 2152, 4);
    expect(e, ENCAP_GTPU, true, f->reverse ? 0x0badf00du : 0xdeadbeefu);
}

static void c_nested(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    vxlan_hdr(f, 99);
    udp(f, 49155, 4789, 4);
    ipv4(f, 17);
    gre(f, 0x2000, 0x0800, 7, 0);
    ipv4(f, 47);
    ether(f, 0x0800);
    expect(e, ENCAP_GRE, true, 7);
    expect(e, ENCAP_VXLAN, true, 99);
}

/* ---- link types --------------------------------------------------------------------------- */

static void l_ppp(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    bool v6 = inner_type(f) == 0x86DD;
    uint8_t *h = pre(f, 4);
    h[0] = 0xff, h[1] = 0x03;
    p16(h + 2, v6 ? 0x0057 : 0x0021);
}

static void l_chdlc(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    uint16_t t = inner_type(f);
    uint8_t *h = pre(f, 4);
    h[0] = 0x0f;
    p16(h + 2, t);
}

static void l_enc(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    bool v6 = inner_type(f) == 0x86DD;
    uint8_t *h = pre(f, 12);
    l32(h, v6 ? 24 : 2);     /* OpenBSD AF_INET6 is 24; host (little-endian) order */
    p32(h + 4, 0x1000);      /* SPI */
    l32(h + 8, 0x0001);      /* M_CONF */
}

static void l_pflog(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    bool v6 = inner_type(f) == 0x86DD;
    uint8_t *h = pre(f, 64);
    h[0] = 61;               /* PFLOG_REAL_HDRLEN of OpenBSD's struct pfloghdr */
    h[1] = v6 ? 24 : 2;
    h[2] = 0;                /* PF_PASS */
    memcpy(h + 4, "em0", 3);
    p32(h + 36, 0xffffffff); /* rulenr, subrulenr: none */
    p32(h + 40, 0xffffffff);
    h[60] = 1;               /* PF_IN */
}

static void l_ipnet(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    bool v6 = inner_type(f) == 0x86DD;
    size_t n = flen(f);
    uint8_t *h = pre(f, 24);
    h[0] = 1;
    h[1] = v6 ? 26 : 2;      /* Solaris AF_INET6 is 26 */
    p32(h + 4, (uint32_t)n);
    p32(h + 8, 2);
}

static void l_nflog(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    bool v6 = inner_type(f) == 0x86DD;
    size_t n = flen(f); /* the payload TLV comes last: its padding may be left out */
    uint8_t *h = pre(f, 4 + 8 + 4);
    h[0] = v6 ? 10 : 2;
    p16(h + 2, 0);
    l16(h + 4, 4 + 2);       /* NFULA_PREFIX "x", padded to 8 */
    l16(h + 6, 10);
    h[8] = 'x';
    l16(h + 12, (uint32_t)(4 + n)); /* NFULA_PAYLOAD */
    l16(h + 14, 9);
}

static void l_pktap(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    ether(f, inner_type(f));
    uint8_t *h = pre(f, 108);
    l32(h, 108);
    l32(h + 4, 1);           /* PTH_TYPE_PACKET */
    l32(h + 8, 1);           /* DLT_EN10MB */
    memcpy(h + 12, "en0", 3);
}

static void l_wlan(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    wlan(f, false);
}

static void l_radiotap(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    wlan(f, true);
    uint8_t *h = pre(f, 18);
    l16(h + 2, 18);
    l32(h + 4, 0x7);         /* TSFT, flags, rate */
    l32(h + 8, 123456);      /* TSFT */
    h[16] = 0x20;            /* flags: data pad */
    h[17] = 2;               /* 1 Mb/s */
}

static void l_ppi(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    wlan(f, false);
    uint8_t *h = pre(f, 8);
    l16(h + 2, 8);
    l32(h + 4, 105);
}

static void l_prism(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    wlan(f, false);
    uint8_t *h = pre(f, 144);
    l32(h, 0x44);            /* DIDmsg_lnxind_wlansniffrm */
    l32(h + 4, 144);
    memcpy(h + 8, "wlan0", 5);
    for (int i = 0; i < 10; i++) {
        uint8_t *d = h + 24 + 12 * i;
        l32(d, 0x1044u + 0x1000u * (uint32_t)i); /* DIDs of the sniff frame items */
        l16(d + 6, 4);
    }
}

const struct pkt_encap_case pkt_encap_cases[] = {
    {"mpls", LINK_ETHERNET, 4, c_mpls, NULL},
    {"mpls-vlan", LINK_ETHERNET, 6, c_mpls_vlan, NULL},
    {"mpls-pw", LINK_ETHERNET, 4, c_mpls_pw, "-d mpls.label==17,pwethnocw"},
    {"pbb", LINK_ETHERNET, 4, c_pbb, NULL},
    {"pppoe", LINK_ETHERNET, 4, c_pppoe, NULL},
    {"pppoe6", LINK_ETHERNET, 6, c_pppoe, NULL},
    {"vntag", LINK_ETHERNET, 4, c_vntag, NULL},
    {"fabricpath", LINK_ETHERNET, 4, c_fabricpath, NULL},
    {"gre", LINK_ETHERNET, 4, c_gre, NULL},
    {"gre-teb-6", LINK_ETHERNET, 6, c_gre_teb6, NULL},
    {"erspan1", LINK_ETHERNET, 4, c_erspan1, NULL},
    {"erspan2", LINK_ETHERNET, 4, c_erspan2, NULL},
    {"erspan3", LINK_ETHERNET, 6, c_erspan3, NULL},
    {"aruba", LINK_ETHERNET, 4, c_aruba, NULL},
    {"vxlan", LINK_ETHERNET, 4, c_vxlan, NULL},
    {"vxlan6", LINK_ETHERNET, 6, c_vxlan6, NULL},
    {"geneve", LINK_ETHERNET, 4, c_geneve, NULL},
    {"4in4", LINK_ETHERNET, 4, c_ipip4, NULL},
    {"6in4", LINK_ETHERNET, 6, c_ipip4, NULL},
    {"4in6", LINK_ETHERNET, 4, c_ipip6, NULL},
    {"6in6", LINK_ETHERNET, 6, c_ipip6, NULL},
    {"teredo", LINK_ETHERNET, 6, c_teredo, NULL},
    {"ayiya", LINK_ETHERNET, 6, c_ayiya, NULL},
    {"gtpu", LINK_ETHERNET, 4, c_gtpu, NULL},
    {"gre-vxlan", LINK_ETHERNET, 4, c_nested, NULL},
    {"ppp", LINK_PPP, 4, l_ppp, NULL},
    {"ppp-hdlc", LINK_PPP_HDLC, 6, l_ppp, NULL},
    {"chdlc", LINK_C_HDLC, 4, l_chdlc, NULL},
    {"enc", LINK_ENC, 4, l_enc, NULL},
    {"pflog", LINK_PFLOG, 6, l_pflog, NULL},
    {"ipnet", LINK_IPNET, 6, l_ipnet, NULL},
    {"nflog", LINK_NFLOG, 4, l_nflog, NULL},
    {"pktap", LINK_PKTAP, 4, l_pktap, NULL},
    {"wlan", LINK_IEEE802_11, 4, l_wlan, NULL},
    {"radiotap", LINK_RADIOTAP, 6, l_radiotap, NULL},
    {"ppi", LINK_PPI, 4, l_ppi, NULL},
    {"prism", LINK_PRISM, 4, l_prism, NULL},
    {"fddi", LINK_FDDI, 4, pkt_lan_fddi, NULL},
    {"token-ring", LINK_TOKEN_RING, 6, pkt_lan_token_ring, NULL},
    {"atm-rfc1483", LINK_ATM_RFC1483, 4, pkt_lan_atm, NULL},
    {"frame-relay", LINK_FRELAY, 6, pkt_lan_frelay, NULL},
    {"slip", LINK_SLIP, 4, pkt_lan_slip, PKT_ENCAP_NO_TSHARK},
    {"ip-over-1394", LINK_APPLE_IP_OVER_1394, 6, pkt_lan_1394, NULL},
    {"mpls-raw", LINK_MPLS, 4, pkt_lan_mpls, PKT_ENCAP_NO_TSHARK},
    {"ppp-ether", LINK_PPP_ETHER, 6, pkt_lan_ppp_ether, NULL},
};
const size_t pkt_encap_n_cases = sizeof pkt_encap_cases / sizeof pkt_encap_cases[0];

size_t pkt_encap_build_as(const struct pkt_encap_case *c, const uint8_t *ip, size_t n, bool reverse, int variant,
                          struct pkt_frame *f, struct pkt_encap_expect *e)
{
    memset(e, 0, sizeof *e);
    pkt_frame_init(f, ip, n);
    f->reverse = reverse;
    f->variant = variant;
    c->wrap(f, e);
    return f->overflow ? 0 : pkt_frame_len(f);
}

size_t pkt_encap_build(const struct pkt_encap_case *c, const uint8_t *ip, size_t n, struct pkt_frame *f,
                       struct pkt_encap_expect *e)
{
    return pkt_encap_build_as(c, ip, n, false, 0, f, e);
}
