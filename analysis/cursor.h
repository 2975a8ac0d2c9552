/* cursor.h — a bounds-checked reader over untrusted packet bytes.
 *
 * Every read of packet data goes through a cursor, which knows how many bytes were captured.
 * A read that would pass the end fails and leaves the cursor unchanged, so a decoder can say
 * "truncated" instead of reading past the buffer. Lengths are compared, never pointers, so a
 * huge length cannot wrap an address (the reason for ND_TTEST_LEN's form in tcpdump). */
#ifndef PCAP2REPORT_CURSOR_H
#define PCAP2REPORT_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cursor {
    const uint8_t *data;
    size_t len; /* bytes available from data[0] */
    size_t pos; /* next byte to read; always <= len */
};

static inline struct cursor cursor_make(const uint8_t *data, size_t len)
{
    struct cursor c = {data, len, 0};
    return c;
}

static inline size_t cursor_left(const struct cursor *c) { return c->len - c->pos; }

static inline bool cursor_has(const struct cursor *c, size_t n) { return n <= c->len - c->pos; }

static inline const uint8_t *cursor_ptr(const struct cursor *c) { return c->data + c->pos; }

static inline bool cursor_skip(struct cursor *c, size_t n)
{
    if (!cursor_has(c, n))
        return false;
    c->pos += n;
    return true;
}

static inline bool rd_u8(struct cursor *c, uint8_t *v)
{
    if (!cursor_has(c, 1))
        return false;
    *v = c->data[c->pos++];
    return true;
}

static inline bool rd_be16(struct cursor *c, uint16_t *v)
{
    if (!cursor_has(c, 2))
        return false;
    const uint8_t *p = c->data + c->pos;
    *v = (uint16_t)(p[0] << 8 | p[1]);
    c->pos += 2;
    return true;
}

static inline bool rd_le16(struct cursor *c, uint16_t *v)
{
    if (!cursor_has(c, 2))
        return false;
    const uint8_t *p = c->data + c->pos;
    *v = (uint16_t)(p[1] << 8 | p[0]);
    c->pos += 2;
    return true;
}

static inline bool rd_be32(struct cursor *c, uint32_t *v)
{
    if (!cursor_has(c, 4))
        return false;
    const uint8_t *p = c->data + c->pos;
    *v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    c->pos += 4;
    return true;
}

static inline bool rd_le32(struct cursor *c, uint32_t *v)
{
    if (!cursor_has(c, 4))
        return false;
    const uint8_t *p = c->data + c->pos;
    *v = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
    c->pos += 4;
    return true;
}

static inline bool rd_bytes(struct cursor *c, void *dst, size_t n)
{
    if (!cursor_has(c, n))
        return false;
    for (size_t i = 0; i < n; i++)
        ((uint8_t *)dst)[i] = c->data[c->pos + i];
    c->pos += n;
    return true;
}

#endif
