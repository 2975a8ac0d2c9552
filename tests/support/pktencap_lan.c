/* pktencap_lan.c — the cases of pktencap.h for the older link types of decode_lan.c: Token
 * Ring, FDDI, ATM, Frame Relay, SLIP, FireWire, raw MPLS, PPPoE without Ethernet. */
#include "pktencap_parts.h"

#include "decode.h"

/* LLC/SNAP (RFC 1042) in front of what f holds. */
static void llc_snap(struct pkt_frame *f)
{
    uint16_t type = inner_type(f);
    uint8_t *h = pre(f, 8);
    memcpy(h, "\xaa\xaa\x03\x00\x00\x00", 6);
    p16(h + 6, type);
}

void pkt_lan_fddi(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    llc_snap(f);
    uint8_t *h = pre(f, 13);
    h[0] = 0x50; /* frame control: LLC, asynchronous */
    memcpy(h + 1, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
}

void pkt_lan_token_ring(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    llc_snap(f);
    uint8_t *h = pre(f, 14 + 4);
    h[0] = 0x10;             /* access control */
    h[1] = 0x40;             /* frame control: LLC */
    memcpy(h + 2, "\x02\x00\x00\x00\x00\x02\x82\x00\x00\x00\x00\x01", 12); /* source routed */
    h[14] = 0x04;            /* routing control: 4 bytes of routing information */
    h[15] = 0x30;
    p16(h + 16, 0x0011);     /* one route designator */
}

void pkt_lan_atm(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    llc_snap(f);
}

void pkt_lan_frelay(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    bool v6 = inner_type(f) == 0x86DD;
    uint8_t *h = pre(f, 4);
    h[0] = 0x18, h[1] = 0x41; /* DLCI 100, EA in the second byte */
    h[2] = 0x03;              /* UI */
    h[3] = v6 ? 0x8E : 0xCC;  /* NLPID */
}

void pkt_lan_slip(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    uint8_t *h = pre(f, 16);
    h[0] = 0; /* received; IP, no compressed header */
    h[1] = 0x40;
}

void pkt_lan_1394(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    (void)e;
    uint16_t type = inner_type(f);
    uint8_t *h = pre(f, 18);
    memcpy(h, "\x00\x11\x22\xff\xfe\x33\x44\x55\x00\x11\x22\xff\xfe\x33\x44\x66", 16);
    p16(h + 16, type);
}

void pkt_lan_mpls(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    static const uint32_t labels[] = {3000};
    mpls(f, labels, 1);
    expect(e, ENCAP_MPLS, true, 3000);
}

void pkt_lan_ppp_ether(struct pkt_frame *f, struct pkt_encap_expect *e)
{
    size_t n = flen(f) + 2;
    bool v6 = inner_type(f) == 0x86DD;
    uint8_t *h = pre(f, 8);
    h[0] = 0x11;
    p16(h + 2, 0x0042);
    p16(h + 4, (uint32_t)n);
    p16(h + 6, v6 ? 0x0057 : 0x0021);
    expect(e, ENCAP_PPPOE, true, 0x42);
}

