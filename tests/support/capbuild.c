/* capbuild.c — pcap and pcapng files built in memory (see capbuild.h). */
#include "capbuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cb_init(struct capbuild *c) { memset(c, 0, sizeof *c); }

void cb_free(struct capbuild *c)
{
    free(c->b);
    memset(c, 0, sizeof *c);
}

void cb_bytes(struct capbuild *c, const void *p, size_t n)
{
    if (c->oom)
        return;
    if (c->len + n > c->cap) {
        size_t cap = c->cap ? c->cap : 4096;
        while (cap < c->len + n)
            cap *= 2;
        uint8_t *b = realloc(c->b, cap);
        if (!b) {
            c->oom = true;
            return;
        }
        c->b = b;
        c->cap = cap;
    }
    if (n)
        memcpy(c->b + c->len, p, n);
    c->len += n;
}

void cb_u16(struct capbuild *c, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    if (c->big_endian) {
        b[0] = (uint8_t)(v >> 8);
        b[1] = (uint8_t)v;
    }
    cb_bytes(c, b, 2);
}

void cb_u32(struct capbuild *c, uint32_t v)
{
    if (c->big_endian) {
        cb_u16(c, (uint16_t)(v >> 16));
        cb_u16(c, (uint16_t)v);
    } else {
        cb_u16(c, (uint16_t)v);
        cb_u16(c, (uint16_t)(v >> 16));
    }
}

static void pad4(struct capbuild *c, size_t n)
{
    static const uint8_t zeros[4];
    cb_bytes(c, zeros, (4 - n % 4) % 4);
}

void cb_block(struct capbuild *c, uint32_t type, const uint8_t *body, size_t n)
{
    uint32_t total = (uint32_t)(12 + ((n + 3) & ~(size_t)3));
    cb_u32(c, type);
    cb_u32(c, total);
    cb_bytes(c, body, n);
    pad4(c, n);
    cb_u32(c, total);
}

void cb_shb(struct capbuild *c, bool big_endian)
{
    c->big_endian = big_endian;
    cb_u32(c, 0x0A0D0D0A);
    cb_u32(c, 28);
    cb_u32(c, 0x1A2B3C4D);
    cb_u16(c, 1);
    cb_u16(c, 0);
    cb_u32(c, 0xffffffff);
    cb_u32(c, 0xffffffff);
    cb_u32(c, 28);
}

void cb_idb(struct capbuild *c, uint16_t linktype, uint32_t snaplen, int tsresol, int64_t tsoffset)
{
    uint32_t total = 20 + (tsresol >= 0 ? 8 : 0) + (tsoffset ? 12 : 0) + (tsresol >= 0 || tsoffset ? 4 : 0);
    cb_u32(c, 1);
    cb_u32(c, total);
    cb_u16(c, linktype);
    cb_u16(c, 0);
    cb_u32(c, snaplen);
    if (tsresol >= 0) {
        uint8_t v[4] = {(uint8_t)tsresol, 0, 0, 0};
        cb_u16(c, 9);
        cb_u16(c, 1);
        cb_bytes(c, v, 4);
    }
    if (tsoffset) {
        uint64_t u = (uint64_t)tsoffset;
        cb_u16(c, 14);
        cb_u16(c, 8);
        /* A 64-bit value in the section's byte order. */
        if (c->big_endian) {
            cb_u32(c, (uint32_t)(u >> 32));
            cb_u32(c, (uint32_t)u);
        } else {
            cb_u32(c, (uint32_t)u);
            cb_u32(c, (uint32_t)(u >> 32));
        }
    }
    if (tsresol >= 0 || tsoffset)
        cb_u32(c, 0); /* opt_endofopt */
    cb_u32(c, total);
}

void cb_idb_name(struct capbuild *c, uint16_t linktype, uint32_t snaplen, const char *name)
{
    size_t n = strlen(name), padded = (n + 3) & ~(size_t)3;
    uint32_t total = (uint32_t)(20 + 4 + padded + 4);
    static const uint8_t zero[4];
    cb_u32(c, 1);
    cb_u32(c, total);
    cb_u16(c, linktype);
    cb_u16(c, 0);
    cb_u32(c, snaplen);
    cb_u16(c, 2); /* if_name, UTF-8 without a NUL */
    cb_u16(c, (uint16_t)n);
    cb_bytes(c, name, n);
    cb_bytes(c, zero, padded - n);
    cb_u32(c, 0); /* opt_endofopt */
    cb_u32(c, total);
}

void cb_epb(struct capbuild *c, uint32_t ifid, uint64_t ts, const uint8_t *d, uint32_t caplen, uint32_t len)
{
    uint32_t total = 32 + ((caplen + 3) & ~3u);
    cb_u32(c, 6);
    cb_u32(c, total);
    cb_u32(c, ifid);
    cb_u32(c, (uint32_t)(ts >> 32));
    cb_u32(c, (uint32_t)ts);
    cb_u32(c, caplen);
    cb_u32(c, len);
    cb_bytes(c, d, caplen);
    pad4(c, caplen);
    cb_u32(c, total);
}

void cb_spb(struct capbuild *c, const uint8_t *d, uint32_t caplen, uint32_t len)
{
    uint32_t total = 16 + ((caplen + 3) & ~3u);
    cb_u32(c, 3);
    cb_u32(c, total);
    cb_u32(c, len);
    cb_bytes(c, d, caplen);
    pad4(c, caplen);
    cb_u32(c, total);
}

void cb_opb(struct capbuild *c, uint16_t ifid, uint64_t ts, const uint8_t *d, uint32_t caplen, uint32_t len)
{
    uint32_t total = 32 + ((caplen + 3) & ~3u);
    cb_u32(c, 2);
    cb_u32(c, total);
    cb_u16(c, ifid);
    cb_u16(c, 0); /* drops count */
    cb_u32(c, (uint32_t)(ts >> 32));
    cb_u32(c, (uint32_t)ts);
    cb_u32(c, caplen);
    cb_u32(c, len);
    cb_bytes(c, d, caplen);
    pad4(c, caplen);
    cb_u32(c, total);
}

void cb_pcap_header(struct capbuild *c, bool big_endian, enum cb_pcap_kind kind, uint32_t snaplen,
                    uint32_t linktype)
{
    c->big_endian = big_endian;
    cb_u32(c, kind == CB_PCAP_NS ? 0xa1b23c4d : kind == CB_PCAP_MODIFIED ? 0xa1b2cd34 : 0xa1b2c3d4);
    cb_u16(c, 2);
    cb_u16(c, 4);
    cb_u32(c, 0);
    cb_u32(c, 0);
    cb_u32(c, snaplen);
    cb_u32(c, linktype);
}

void cb_pcap_record(struct capbuild *c, enum cb_pcap_kind kind, uint32_t sec, uint32_t sub, const uint8_t *d,
                    uint32_t caplen, uint32_t len)
{
    static const uint8_t extra[8];
    cb_u32(c, sec);
    cb_u32(c, sub);
    cb_u32(c, caplen);
    cb_u32(c, len);
    if (kind == CB_PCAP_MODIFIED)
        cb_bytes(c, extra, sizeof extra); /* ifindex, protocol, packet type, padding */
    cb_bytes(c, d, caplen);
}

int cb_write_file(const struct capbuild *c, const char *path)
{
    if (c->oom)
        return -1;
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = c->len ? fwrite(c->b, 1, c->len, f) : 0;
    int rc = fclose(f);
    return n == c->len && rc == 0 ? 0 : -1;
}
