/* decode_wlan.c — IEEE 802.11 data frames, bare or behind a radiotap or Prism/AVS header.
 *
 * Only what carries IP is decoded: unprotected data frames with an LLC/SNAP header (IEEE
 * 802.11-2020 section 9.3.2; RFC 1042 encapsulation). Management and control frames, frames
 * without a body and protected (encrypted) ones are "not IP"; so are A-MSDUs (several
 * subframes in one frame), which pcap2report does not split. */
#include "decode_internal.h"

#define fail decode_fail

/* The 802.11 MAC header (9.2.3): frame control, duration, three addresses, sequence control
 * (24 bytes); a fourth address when both To DS and From DS are set; QoS control in QoS data
 * subtypes; HT control when a QoS frame has the +HTC/Order bit. Then LLC/SNAP. */
enum decode_outcome decode_ieee80211(struct decode_ctx *ctx, struct cursor c, bool data_pad)
{
    size_t start = c.pos;
    uint8_t fc0, fc1;
    if (!rd_u8(&c, &fc0) || !rd_u8(&c, &fc1))
        return fail(ctx, DECODE_TRUNCATED, "802.11 header cut short by the capture");
    if ((fc0 & 3) != 0)
        return fail(ctx, DECODE_MALFORMED, "802.11 protocol version is not 0");
    unsigned type = (fc0 >> 2) & 3, subtype = fc0 >> 4;
    if (type != 2 || (subtype & 0x4) || (fc1 & 0x40))
        return DECODE_NOT_IP; /* not data; no body (null data); protected */
    bool qos = (subtype & 0x8) != 0;
    size_t hl = 24 + ((fc1 & 3) == 3 ? 6 : 0);
    size_t qos_at = hl;
    hl += qos ? 2 + ((fc1 & 0x80) ? 4 : 0) : 0;
    if (!cursor_skip(&c, hl - 2))
        return fail(ctx, DECODE_TRUNCATED, "802.11 header cut short by the capture");
    if (qos && (c.data[start + qos_at] & 0x80))
        return DECODE_NOT_IP; /* A-MSDU */
    if (data_pad && !cursor_skip(&c, ((hl + 3) & ~(size_t)3) - hl))
        return fail(ctx, DECODE_TRUNCATED, "802.11 padding cut short by the capture");
    uint8_t snap[8];
    if (!rd_bytes(&c, snap, 8))
        return fail(ctx, DECODE_TRUNCATED, "802.11 LLC header cut short by the capture");
    if (snap[0] != 0xAA || snap[1] != 0xAA || snap[2] != 0x03)
        return DECODE_NOT_IP;
    return decode_ethertype(ctx, c, (uint16_t)(snap[6] << 8 | snap[7]));
}

/* radiotap (radiotap.org): version 0, pad, length (LE u16), present bitmaps (LE u32 each,
 * bit 31 says another follows). The Flags field (present bit 1) follows TSFT (bit 0, 8 bytes
 * aligned to 8) and says whether the body is padded (0x20). */
static enum decode_outcome radiotap(struct decode_ctx *ctx, struct cursor c)
{
    uint8_t version;
    uint16_t len;
    uint32_t present, word;
    if (!rd_u8(&c, &version) || !cursor_skip(&c, 1) || !rd_le16(&c, &len) || !rd_le32(&c, &present))
        return fail(ctx, DECODE_TRUNCATED, "radiotap header cut short by the capture");
    if (version != 0 || len < 8)
        return fail(ctx, DECODE_MALFORMED, "radiotap header of an unknown version or too short");
    for (word = present; word & 0x80000000u;)
        if (!rd_le32(&c, &word))
            return fail(ctx, DECODE_TRUNCATED, "radiotap header cut short by the capture");
    bool pad = false;
    if (present & 2) {
        size_t at = c.pos;
        if (present & 1)
            at = ((at + 7) & ~(size_t)7) + 8;
        if (at >= len)
            return fail(ctx, DECODE_MALFORMED, "radiotap fields run past the header length");
        if (at >= c.len)
            return fail(ctx, DECODE_TRUNCATED, "radiotap header cut short by the capture");
        pad = (c.data[at] & 0x20) != 0;
    }
    c.pos = 0;
    if (!cursor_skip(&c, len))
        return fail(ctx, DECODE_TRUNCATED, "radiotap header cut short by the capture");
    return decode_ieee80211(ctx, c, pad);
}

/* Prism monitor-mode header (msgcode, msglen, device name, DIDs; Wireshark's
 * packet-ieee80211-prism.c), in the capturing host's byte order; or the AVS header that
 * shares this link type (magic 0x8021100x, big-endian, its length in the next word). */
static enum decode_outcome prism(struct decode_ctx *ctx, struct cursor c)
{
    uint32_t w0, w1;
    if (!rd_be32(&c, &w0) || !rd_be32(&c, &w1))
        return fail(ctx, DECODE_TRUNCATED, "Prism header cut short by the capture");
    size_t len = w1;
    if ((w0 & 0xfffffff0u) != 0x80211000u) {
        len = __builtin_bswap32(w1); /* most Prism headers come from little-endian hosts */
        if (len < 8 || len > 4096)
            len = w1;
    }
    if (len < 8 || len > 4096)
        return fail(ctx, DECODE_MALFORMED, "Prism header length out of range");
    c.pos = 0;
    if (!cursor_skip(&c, len))
        return fail(ctx, DECODE_TRUNCATED, "Prism header cut short by the capture");
    return decode_ieee80211(ctx, c, false);
}

enum decode_outcome decode_wlan_link(struct decode_ctx *ctx, struct cursor c, int linktype)
{
    if (linktype == LINK_RADIOTAP)
        return radiotap(ctx, c);
    if (linktype == LINK_PRISM)
        return prism(ctx, c);
    return decode_ieee80211(ctx, c, false);
}
