/* pktencap.h — wraps an IP datagram in every link type, encapsulation and tunnel of issue 15.
 *
 * One table (pkt_encap_cases) names each case with its link type and a builder that puts
 * the headers in front of the datagram, inside out, with lengths and checksums right. The
 * decoder's unit tests (tests/unit/test_decode_encap.c) decode each frame and every prefix of
 * it; tests/tools/mkencap.c writes a whole TCP conversation per case for tests/encap_check.sh,
 * which compares pcap2report with tshark. The header layouts are those the decoder cites. */
#ifndef PCAP2REPORT_PKTENCAP_H
#define PCAP2REPORT_PKTENCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { PKT_ENCAP_MAX_LAYERS = 8 };

/* A frame under construction: bytes are prepended, so it lives at the end of buf. */
struct pkt_frame {
    uint8_t buf[4096];
    size_t start;       /* the frame is buf[start, sizeof buf) */
    size_t udp_from_end;/* where the outermost UDP header starts, counted from the end; 0: none */
    bool overflow;
    /* Set before building (pkt_encap_build_as): */
    bool reverse;       /* a segment of the other direction: outer addresses swapped, a UDP
                           tunnel's source port another entropy port, per-direction ids (GTP-U
                           TEID, MPLS labels) the other end's; a mirror (ERSPAN) stays as it is */
    int variant;        /* another tunnel instance (0: the case's own): the VXLAN VNI or the
                           PPPoE session plus variant, other GRE and IP-in-IP endpoints;
                           Teredo through a relay's port other than 3544 */
};

/* What the decoder must find: the layers' kinds (enum encap_kind) and ids, outermost first. */
struct pkt_encap_expect {
    unsigned n;
    int kind[PKT_ENCAP_MAX_LAYERS];
    bool has_id[PKT_ENCAP_MAX_LAYERS];
    uint32_t id[PKT_ENCAP_MAX_LAYERS];
};

struct pkt_encap_case {
    const char *name;     /* also the file name mkencap writes: NAME.pcap */
    int linktype;         /* the DLT of the frame (file LINKTYPE is the same for all of these) */
    int inner_version;    /* 4 or 6: the TCP datagram's IP version */
    /* Prepends this case's headers to f, which holds the inner datagram; fills *e. */
    void (*wrap)(struct pkt_frame *f, struct pkt_encap_expect *e);
    const char *tshark_opts; /* extra tshark options the comparison needs, or NULL; or
                                PKT_ENCAP_NO_TSHARK: tshark 4.0 has no dissector for the link
                                type (LINKTYPE_SLIP, LINKTYPE_MPLS), so only the unit tests check it */
};

#define PKT_ENCAP_NO_TSHARK "(no tshark)"

extern const struct pkt_encap_case pkt_encap_cases[];
extern const size_t pkt_encap_n_cases;

/* Starts a frame holding the datagram ip[0, n). */
void pkt_frame_init(struct pkt_frame *f, const uint8_t *ip, size_t n);
static inline const uint8_t *pkt_frame_data(const struct pkt_frame *f) { return f->buf + f->start; }
static inline size_t pkt_frame_len(const struct pkt_frame *f) { return sizeof f->buf - f->start; }

/* Builds the frame of case c around ip[0, n); returns its length (0 on overflow). */
size_t pkt_encap_build(const struct pkt_encap_case *c, const uint8_t *ip, size_t n, struct pkt_frame *f,
                       struct pkt_encap_expect *e);

/* The same, for a segment of the other direction (reverse) and of tunnel instance variant. */
size_t pkt_encap_build_as(const struct pkt_encap_case *c, const uint8_t *ip, size_t n, bool reverse, int variant,
                          struct pkt_frame *f, struct pkt_encap_expect *e);

#endif
