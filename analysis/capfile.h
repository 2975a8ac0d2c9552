/* capfile.h — reads pcap and pcapng files from a FILE*, every interface with its own link type.
 *
 * Our own reader beside libpcap (which stays for BPF filters): libpcap 1.10 stops at the first
 * pcapng interface whose link type or snap length differs from the first one's, and
 * libwiretap (Wireshark's reader) is GPL-2+, has no pkg-config file and an API that changes
 * with every Wireshark major version. docs/capture-formats.md has the measurements behind the
 * choice and what each format variant gives.
 *
 * What it reads: pcap in µs and ns, either byte order, and the "modified" (Kuznetzov,
 * 0xa1b2cd34) variant; pcapng (IETF draft-ietf-opsawg-pcapng) with any number of sections of
 * either byte order, each interface with its own link type, snap length, if_tsresol (powers
 * of 10 and of 2) and if_tsoffset; Enhanced, Simple and obsolete Packet Blocks. Other blocks
 * are skipped by their length.
 *
 * Every read is bounds-checked. A file that ends inside its last record is a warning
 * (CAPFILE_TRUNCATED: everything before it was delivered); anything else it cannot read in
 * full is an error (CAPFILE_ERROR) with a reason, never a quiet end of file. */
#ifndef PCAP2REPORT_CAPFILE_H
#define PCAP2REPORT_CAPFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum capfile_format { CAPFILE_PCAP, CAPFILE_PCAP_NS, CAPFILE_PCAP_MODIFIED, CAPFILE_PCAPNG };

/* One interface: a pcap file has one, a pcapng file one per Interface Description Block
 * (numbered across sections in the order they appear). */
struct capfile_interface {
    int linktype;      /* LINKTYPE_ value as written in the file */
    int dlt;           /* the DLT_ value libpcap gives for it (pcap_datalink()); for decode
                          and for pcap_open_dead() when compiling a filter */
    uint32_t snaplen;  /* 0 in pcapng means "no limit" */
    int fcs_len;       /* bytes of FCS at the end of each frame; -1 unknown */
    unsigned section;  /* which section header (0, 1, ...) it belongs to */
    bool big_endian;   /* byte order of its section */
    uint8_t tsresol;   /* if_tsresol as written: low 7 bits the exponent, top bit 2^-n */
    int64_t tsoffset;  /* if_tsoffset: seconds added to every timestamp */
    char name[64];     /* if_name ("eth0", "\\Device\\NPF_{...}"), cut to 63 bytes; "" when
                          none. Bytes as written: not necessarily UTF-8 */
};

/* One packet. data is borrowed: valid until the next capfile_next or capfile_close. */
struct capfile_packet {
    const uint8_t *data;
    uint32_t caplen;   /* bytes in data */
    uint32_t len;      /* length on the wire (may be less than caplen in a damaged file) */
    int64_t ts_sec;    /* timestamp: ts_sec s + ts_nsec ns since 1970 (ts_nsec < 10^9) */
    uint32_t ts_nsec;
    bool has_ts;       /* false for a Simple Packet Block: the timestamp is the previous
                          packet's (or 0), so time never runs backwards */
    unsigned interface; /* index for capfile_interface() */
    int dlt;           /* its interface's dlt, for convenience */
};

enum capfile_status {
    CAPFILE_PACKET = 1,     /* *pkt filled */
    CAPFILE_END = 0,        /* clean end of file */
    CAPFILE_TRUNCATED = -1, /* the file ends inside its last record: a warning */
    CAPFILE_ERROR = -2,     /* damaged or unreadable: capfile_error() says why */
};

struct capfile;

/* Reads the file header (pcap) or first Section Header Block (pcapng) from f, which stays
 * the caller's (capfile_close does not close it); the reader reads f sequentially in large
 * blocks and never seeks. Returns NULL with a sentence in err when f is not a capture we can
 * read (or out of memory). */
struct capfile *capfile_open(FILE *f, char *err, size_t errlen);

/* The next packet. After CAPFILE_TRUNCATED or CAPFILE_ERROR, capfile_error() holds the
 * reason and every later call returns the same status. */
enum capfile_status capfile_next(struct capfile *cf, struct capfile_packet *pkt);

/* Why the last call failed or stopped early ("" otherwise); lives as long as cf. */
const char *capfile_error(const struct capfile *cf);

enum capfile_format capfile_format(const struct capfile *cf);
const char *capfile_format_name(enum capfile_format f); /* "pcap", "pcapng", ... */

/* Interfaces seen so far (pcapng files may describe new ones between packets). */
size_t capfile_interface_count(const struct capfile *cf);
const struct capfile_interface *capfile_interface(const struct capfile *cf, size_t i);

/* Sections seen so far (pcap: 1). */
unsigned capfile_section_count(const struct capfile *cf);

void capfile_close(struct capfile *cf); /* accepts NULL */

/* The DLT libpcap reports for a LINKTYPE value (pcap-common.c's linktype_to_dlt on Linux). */
int capfile_linktype_to_dlt(int linktype);

#endif
