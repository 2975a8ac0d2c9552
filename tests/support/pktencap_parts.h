/* pktencap_parts.h — what pktencap.c and pktencap_lan.c share: prepending bytes to a frame,
 * writing fields, and the layers several cases use. Internal to tests/support. */
#ifndef PCAP2REPORT_PKTENCAP_PARTS_H
#define PCAP2REPORT_PKTENCAP_PARTS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "pktencap.h"

static inline uint8_t *pre(struct pkt_frame *f, size_t n)
{
    static uint8_t sink[4096];
    if (n > f->start) {
        f->overflow = true;
        return sink;
    }
    f->start -= n;
    memset(f->buf + f->start, 0, n);
    return f->buf + f->start;
}

static inline size_t flen(const struct pkt_frame *f) { return pkt_frame_len(f); }
static inline void p16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void p32(uint8_t *p, uint32_t v) { p16(p, v >> 16); p16(p + 2, v); }
static inline void l16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void l32(uint8_t *p, uint32_t v) { l16(p, v); l16(p + 2, v >> 16); }

static inline void expect(struct pkt_encap_expect *e, int kind, bool has_id, uint32_t id)
{
    if (e->n < PKT_ENCAP_MAX_LAYERS) {
        e->kind[e->n] = kind;
        e->has_id[e->n] = has_id;
        e->id[e->n] = id;
        e->n++;
    }
}

static inline void ether(struct pkt_frame *f, uint16_t type)
{
    uint8_t *h = pre(f, 14);
    memcpy(h, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
    p16(h + 12, type);
}

static inline void mpls(struct pkt_frame *f, const uint32_t *labels, int n)
{
    uint8_t *h = pre(f, (size_t)n * 4);
    for (int i = 0; i < n; i++)
        p32(h + 4 * i, labels[i] << 12 | (i == n - 1 ? 0x100u : 0) | 64);
}

static inline uint16_t inner_type(const struct pkt_frame *f)
{
    return (f->buf[f->start] >> 4) == 6 ? 0x86DD : 0x0800;
}

/* The link types of decode_lan.c (pktencap_lan.c). */
void pkt_lan_fddi(struct pkt_frame *f, struct pkt_encap_expect *e);
void pkt_lan_token_ring(struct pkt_frame *f, struct pkt_encap_expect *e);
void pkt_lan_atm(struct pkt_frame *f, struct pkt_encap_expect *e);
void pkt_lan_frelay(struct pkt_frame *f, struct pkt_encap_expect *e);
void pkt_lan_slip(struct pkt_frame *f, struct pkt_encap_expect *e);
void pkt_lan_1394(struct pkt_frame *f, struct pkt_encap_expect *e);
void pkt_lan_mpls(struct pkt_frame *f, struct pkt_encap_expect *e);
void pkt_lan_ppp_ether(struct pkt_frame *f, struct pkt_encap_expect *e);

#endif
