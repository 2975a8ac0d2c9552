/* capbuild.h — builds pcap and pcapng files in memory, block by block, in either byte order.
 *
 * For the reader's tests (tests/unit/test_capfile.c) and the crafted captures of
 * tests/tools/mkencap.c: several sections, interfaces with their own link type, snap length,
 * if_tsresol and if_tsoffset, Enhanced, Simple and obsolete Packet Blocks, unknown blocks,
 * and the classic pcap variants. Nothing is checked: a test may build a damaged file on
 * purpose. An allocation failure sets oom and stops appending. */
#ifndef PCAP2REPORT_CAPBUILD_H
#define PCAP2REPORT_CAPBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct capbuild {
    uint8_t *b;
    size_t len, cap;
    bool big_endian; /* of the current section or file */
    bool oom;
};

void cb_init(struct capbuild *c);
void cb_free(struct capbuild *c);

/* Raw appends in the current byte order. */
void cb_bytes(struct capbuild *c, const void *p, size_t n);
void cb_u16(struct capbuild *c, uint16_t v);
void cb_u32(struct capbuild *c, uint32_t v);

/* ---- pcapng (draft-ietf-opsawg-pcapng) ---------------------------------------------------- */

/* Section Header Block, version 1.0, section length -1; later blocks use its byte order. */
void cb_shb(struct capbuild *c, bool big_endian);

/* Interface Description Block. tsresol < 0 leaves if_tsresol out (microseconds); tsoffset
 * is written when nonzero. */
void cb_idb(struct capbuild *c, uint16_t linktype, uint32_t snaplen, int tsresol, int64_t tsoffset);

/* Interface Description Block with an if_name option (and microseconds). */
void cb_idb_name(struct capbuild *c, uint16_t linktype, uint32_t snaplen, const char *name);

/* Enhanced Packet Block; ts in the interface's units. */
void cb_epb(struct capbuild *c, uint32_t ifid, uint64_t ts, const uint8_t *d, uint32_t caplen, uint32_t len);

/* Simple Packet Block: the data written is caplen bytes, the original length len. */
void cb_spb(struct capbuild *c, const uint8_t *d, uint32_t caplen, uint32_t len);

/* Obsolete Packet Block (type 2). */
void cb_opb(struct capbuild *c, uint16_t ifid, uint64_t ts, const uint8_t *d, uint32_t caplen, uint32_t len);

/* Any block with the given body (padded to 4). */
void cb_block(struct capbuild *c, uint32_t type, const uint8_t *body, size_t n);

/* ---- classic pcap ---------------------------------------------------------------------------- */

enum cb_pcap_kind { CB_PCAP_US, CB_PCAP_NS, CB_PCAP_MODIFIED };

void cb_pcap_header(struct capbuild *c, bool big_endian, enum cb_pcap_kind kind, uint32_t snaplen,
                    uint32_t linktype);
/* One record; for CB_PCAP_MODIFIED the 8 extra header bytes are zero. */
void cb_pcap_record(struct capbuild *c, enum cb_pcap_kind kind, uint32_t sec, uint32_t sub, const uint8_t *d,
                    uint32_t caplen, uint32_t len);

/* Writes the bytes to path. Returns 0 or -1. */
int cb_write_file(const struct capbuild *c, const char *path);

#endif
