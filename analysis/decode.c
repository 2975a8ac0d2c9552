/* decode.c — IPv4/IPv6 and TCP header decoding over a checked cursor, and the entry point.
 *
 * The functions peel one layer each and hand the rest of the cursor down. "Truncated" means
 * the captured bytes ended (the snap length, or a cut file); "malformed" means the bytes are
 * there but say something impossible. Both are reported with a reason and never trusted.
 * Link layers are in decode_link.c, Ethernet in decode_ether.c, tunnels in decode_tunnel.c. */
#include "decode.h"

#include <stddef.h>
#include <string.h>

#include "cursor.h"
#include "decode_internal.h"

enum { MAX_IPV6_EXT_HEADERS = 16 };

enum decode_outcome decode_fail(struct decode_ctx *ctx, enum decode_outcome o, const char *why)
{
    *ctx->why = why;
    return o;
}

#define fail decode_fail

void decode_limit(struct decode_ctx *ctx, struct cursor *c, size_t len)
{
    size_t wire = ctx->wire_left >= c->pos ? ctx->wire_left - c->pos : 0;
    ctx->wire_left = wire < len ? wire : len;
    *c = cursor_make(cursor_ptr(c), cursor_left(c) < len ? cursor_left(c) : len);
}

struct encap_layer *decode_push(struct decode_ctx *ctx, enum encap_kind kind)
{
    struct decoded_packet *out = ctx->out;
    if (out->n_encap >= ENCAP_MAX_DEPTH) {
        *ctx->why = "encapsulations nested deeper than 8 layers (pcap2report's limit)";
        return NULL;
    }
    struct encap_layer *l = &out->encap[out->n_encap++];
    memset(l, 0, sizeof *l);
    l->kind = (uint8_t)kind;
    return l;
}

const char *encap_kind_name(enum encap_kind k)
{
    static const char *const names[ENCAP_KINDS] = {
        [ENCAP_NONE] = "none", [ENCAP_MPLS] = "mpls", [ENCAP_PBB] = "pbb", [ENCAP_PPPOE] = "pppoe",
        [ENCAP_VNTAG] = "vn-tag", [ENCAP_FABRICPATH] = "fabricpath", [ENCAP_GRE] = "gre",
        [ENCAP_ERSPAN] = "erspan", [ENCAP_ARUBA] = "aruba-gre", [ENCAP_VXLAN] = "vxlan",
        [ENCAP_GENEVE] = "geneve", [ENCAP_IP_IN_IP] = "ip-in-ip", [ENCAP_TEREDO] = "teredo",
        [ENCAP_AYIYA] = "ayiya", [ENCAP_GTPU] = "gtp-u",
    };
    return (unsigned)k < ENCAP_KINDS ? names[k] : "unknown";
}

const char *decode_outcome_name(enum decode_outcome o)
{
    static const char *const names[DECODE_OUTCOMES] = {
        [DECODE_TCP] = "tcp", [DECODE_NOT_IP] = "not_ip", [DECODE_NOT_TCP] = "not_tcp",
        [DECODE_FRAGMENT] = "fragment", [DECODE_TRUNCATED] = "truncated",
        [DECODE_MALFORMED] = "malformed",
    };
    return (unsigned)o < DECODE_OUTCOMES ? names[o] : "unknown";
}

/* ---- TCP ------------------------------------------------------------------------------ */

/* Ones' complement sum of a byte run, folded later; 16-bit words in network order. */
static uint64_t sum_bytes(const uint8_t *p, size_t n, uint64_t sum)
{
    /* Four sums side by side: one chain of dependent adds was the limit, not the loads
     * (twice as fast on payloads; the checksum was 5 % of the time). */
    uint64_t s1 = 0, s2 = 0, s3 = 0;
    while (n >= 32) {
        uint64_t w[4];
        memcpy(w, p, 32);
        sum += (w[0] & 0xffffffffu) + (w[0] >> 32);
        s1 += (w[1] & 0xffffffffu) + (w[1] >> 32);
        s2 += (w[2] & 0xffffffffu) + (w[2] >> 32);
        s3 += (w[3] & 0xffffffffu) + (w[3] >> 32);
        p += 32;
        n -= 32;
    }
    sum += s1 + s2 + s3;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        /* Adding the 64-bit word as two 32-bit halves keeps the carries; byte order does not
         * matter for a ones' complement sum as long as it is swapped back at the end. */
        sum += (w & 0xffffffffu) + (w >> 32);
        p += 8;
        n -= 8;
    }
    while (n >= 2) {
        uint16_t w;
        memcpy(&w, p, 2);
        sum += w;
        p += 2;
        n -= 2;
    }
    if (n) {
        uint16_t w = 0;
        memcpy(&w, p, 1);
        sum += w;
    }
    return sum;
}

static uint16_t fold_sum(uint64_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

static bool tcp_checksum_ok(const struct decoded_packet *p, const uint8_t *tcp, size_t tcp_len)
{
    uint64_t sum = 0;
    size_t alen = p->ip_version == 4 ? 4 : 16;
    sum = sum_bytes(p->src, alen, sum);
    sum = sum_bytes(p->dst, alen, sum);
    uint8_t tail[8] = {0, 0, 0, 0, 0, 0, 0, IPPROTO_TCP_};
    if (p->ip_version == 4) {
        /* IPv4 pseudo header: zero, protocol, 16-bit length. */
        uint8_t ph[4] = {0, IPPROTO_TCP_, (uint8_t)(tcp_len >> 8), (uint8_t)tcp_len};
        sum = sum_bytes(ph, 4, sum);
    } else {
        tail[0] = (uint8_t)(tcp_len >> 24);
        tail[1] = (uint8_t)(tcp_len >> 16);
        tail[2] = (uint8_t)(tcp_len >> 8);
        tail[3] = (uint8_t)tcp_len;
        sum = sum_bytes(tail, 8, sum);
    }
    sum = sum_bytes(tcp, tcp_len, sum);
    return fold_sum(sum) == 0xffff;
}

/* Parses options; stops at the first malformed one, as tcpdump does ("bad opt"). c holds
 * the captured part of the options, declared_len what the data offset says: an option cut by
 * the snap length ends the parsing quietly (the segment is marked options_truncated), one
 * that runs past the header is malformed. */
static void decode_tcp_options(struct cursor c, size_t declared_len, struct decoded_packet *out)
{
    struct tcp_options *o = &out->options;
    while (cursor_left(&c) > 0) {
        uint8_t kind, len;
        rd_u8(&c, &kind);
        if (kind == 0) /* end of option list */
            return;
        if (kind == 1) /* no-operation */
            continue;
        if (!rd_u8(&c, &len)) {
            /* No length byte: cut by the snap length, or missing from the header itself. */
            out->options_malformed = c.len == declared_len;
            return;
        }
        if (len < 2 || c.pos - 2 + len > declared_len) {
            out->options_malformed = true;
            return;
        }
        if (!cursor_has(&c, (size_t)len - 2))
            return; /* cut by the snap length */
        struct cursor body = cursor_make(cursor_ptr(&c), (size_t)len - 2);
        cursor_skip(&c, (size_t)len - 2);
        switch (kind) {
        case 2: /* RFC 9293 3.2: maximum segment size */
            if (len == 4 && rd_be16(&body, &o->mss))
                o->present |= OPT_MSS;
            else
                out->options_malformed = true;
            break;
        case 3: /* RFC 7323 2.2: window scale */
            if (len == 3 && rd_u8(&body, &o->wscale))
                o->present |= OPT_WSCALE;
            else
                out->options_malformed = true;
            break;
        case 4: /* RFC 2018: SACK permitted */
            if (len == 2)
                o->present |= OPT_SACK_PERM;
            else
                out->options_malformed = true;
            break;
        case 5: /* RFC 2018: SACK blocks of 8 bytes each */
            if ((len - 2) % 8 == 0 && len > 2) {
                o->present |= OPT_SACK;
                o->sack_blocks = (uint8_t)((len - 2) / 8);
            } else {
                out->options_malformed = true;
            }
            break;
        case 8: /* RFC 7323 3.2: timestamps */
            if (len == 10 && rd_be32(&body, &o->ts_val) && rd_be32(&body, &o->ts_ecr))
                o->present |= OPT_TS;
            else
                out->options_malformed = true;
            break;
        default:
            break; /* unknown options are skipped by their length */
        }
    }
}

/* ip_payload_len: the TCP header plus payload as the IP header declares it. */
static enum decode_outcome decode_tcp(struct decode_ctx *ctx, struct cursor c, size_t ip_payload_len)
{
    struct decoded_packet *out = ctx->out;
    const uint8_t *tcp_start = cursor_ptr(&c);
    size_t captured = cursor_left(&c);
    uint8_t off_flags_hi = 0, flags_lo = 0;

    if (ip_payload_len < 20)
        return fail(ctx, DECODE_MALFORMED, "IP length too short for a TCP header");
    if (!cursor_has(&c, 20))
        return fail(ctx, DECODE_TRUNCATED, "TCP header cut short by the capture");
    rd_be16(&c, &out->sport);
    rd_be16(&c, &out->dport);
    rd_be32(&c, &out->seq);
    rd_be32(&c, &out->ack);
    rd_u8(&c, &off_flags_hi);
    rd_u8(&c, &flags_lo);
    rd_be16(&c, &out->window);
    cursor_skip(&c, 4); /* checksum, urgent pointer */

    size_t hdr_len = (size_t)(off_flags_hi >> 4) * 4;
    out->flags = (uint16_t)(flags_lo | (off_flags_hi & 1) << 8);
    if (hdr_len < 20)
        return fail(ctx, DECODE_MALFORMED, "TCP data offset below 5");
    if (hdr_len > ip_payload_len)
        return fail(ctx, DECODE_MALFORMED, "TCP data offset beyond the IP payload");
    out->payload_len = (uint32_t)(ip_payload_len - hdr_len);

    size_t opt_len = hdr_len - 20;
    if (opt_len > cursor_left(&c)) {
        out->options_truncated = true;
        opt_len = cursor_left(&c);
    }
    decode_tcp_options(cursor_make(cursor_ptr(&c), opt_len), hdr_len - 20, out);

    out->checksum = CHECKSUM_UNVERIFIED;
    if (captured >= ip_payload_len && !ctx->fragment)
        out->checksum = tcp_checksum_ok(out, tcp_start, ip_payload_len) ? CHECKSUM_GOOD : CHECKSUM_BAD;
    return DECODE_TCP;
}

/* ---- IP -------------------------------------------------------------------------------- */

static enum decode_outcome decode_ipv4(struct decode_ctx *ctx, struct cursor c)
{
    uint8_t vihl = 0, proto = 0;
    uint16_t total_len = 0, frag = 0;
    if (!cursor_has(&c, 20))
        return fail(ctx, DECODE_TRUNCATED, "IPv4 header cut short by the capture");
    rd_u8(&c, &vihl);
    cursor_skip(&c, 1);
    rd_be16(&c, &total_len);
    cursor_skip(&c, 2);
    rd_be16(&c, &frag);
    cursor_skip(&c, 1);
    rd_u8(&c, &proto);
    cursor_skip(&c, 2);
    ctx->out->ip_version = 4;
    rd_bytes(&c, ctx->out->src, 4);
    rd_bytes(&c, ctx->out->dst, 4);

    size_t ihl = (size_t)(vihl & 0x0f) * 4;
    if (ihl < 20)
        return fail(ctx, DECODE_MALFORMED, "IPv4 header length below 20");
    /* A total length of 0 is what TCP segmentation offload leaves in captures taken on the
     * sending host; the frame's own length is then the best measure. */
    size_t ip_len = total_len ? total_len : ctx->wire_left;
    if (ip_len < ihl)
        return fail(ctx, DECODE_MALFORMED, "IPv4 total length shorter than its header");
    if (ip_len > ctx->wire_left)
        return fail(ctx, DECODE_MALFORMED, "IPv4 total length beyond the frame's length");
    if (!cursor_skip(&c, ihl - 20))
        return fail(ctx, DECODE_TRUNCATED, "IPv4 options cut short by the capture");
    if ((frag & 0x1fff) != 0)
        return DECODE_FRAGMENT;
    ctx->fragment |= (frag & 0x2000) != 0; /* more fragments (here or in an outer datagram) */
    size_t payload = ip_len - ihl;
    /* Bytes the capture holds beyond the IP datagram are link padding, not TCP. */
    if (cursor_left(&c) > payload)
        c.len = c.pos + payload;
    if (proto != IPPROTO_TCP_)
        return decode_ip_payload(ctx, c, proto, payload);
    return decode_tcp(ctx, c, payload);
}

static enum decode_outcome decode_ipv6(struct decode_ctx *ctx, struct cursor c)
{
    uint8_t next = 0;
    uint16_t payload_len = 0;
    if (!cursor_has(&c, 40))
        return fail(ctx, DECODE_TRUNCATED, "IPv6 header cut short by the capture");
    cursor_skip(&c, 4);
    rd_be16(&c, &payload_len);
    rd_u8(&c, &next);
    cursor_skip(&c, 1);
    ctx->out->ip_version = 6;
    rd_bytes(&c, ctx->out->src, 16);
    rd_bytes(&c, ctx->out->dst, 16);

    /* A payload length of 0 means a jumbogram or offload; fall back to the frame length. */
    size_t remaining = payload_len ? payload_len : (ctx->wire_left > 40 ? ctx->wire_left - 40 : 0);
    if (remaining + 40 > ctx->wire_left)
        return fail(ctx, DECODE_MALFORMED, "IPv6 payload length beyond the frame's length");
    for (int n = 0; next != IPPROTO_TCP_; n++) {
        uint8_t nh, hlen;
        size_t ext_len;
        if (n == MAX_IPV6_EXT_HEADERS)
            return fail(ctx, DECODE_MALFORMED, "too many IPv6 extension headers");
        switch (next) {
        case 0: case 43: case 60: case 135: case 139: case 140: /* RFC 8200 4.3-4.6, mobility, HIP, shim6 */
        case 44: case 51: /* fragment, authentication header */
            break;
        default: /* no next header, ESP, ICMPv6, UDP, a tunnel, ... */
            if (cursor_left(&c) > remaining)
                c.len = c.pos + remaining;
            return decode_ip_payload(ctx, c, next, remaining);
        }
        if (!cursor_has(&c, 8))
            return fail(ctx, DECODE_TRUNCATED, "IPv6 extension header cut short by the capture");
        const uint8_t *h = cursor_ptr(&c);
        nh = h[0];
        hlen = h[1];
        if (next == 44) {
            uint16_t off = (uint16_t)(h[2] << 8 | h[3]);
            if ((off & 0xfff8) != 0)
                return DECODE_FRAGMENT;
            ctx->fragment |= (off & 1) != 0; /* more fragments */
            ext_len = 8;
        } else if (next == 51) {
            ext_len = ((size_t)hlen + 2) * 4; /* RFC 4302 2.2: in 4-byte units, minus 2 */
        } else {
            ext_len = ((size_t)hlen + 1) * 8;
        }
        if (ext_len > remaining)
            return fail(ctx, DECODE_MALFORMED, "IPv6 extension header longer than the payload");
        if (!cursor_skip(&c, ext_len))
            return fail(ctx, DECODE_TRUNCATED, "IPv6 extension header cut short by the capture");
        remaining -= ext_len;
        next = nh;
    }
    if (cursor_left(&c) > remaining)
        c.len = c.pos + remaining;
    return decode_tcp(ctx, c, remaining);
}

enum decode_outcome decode_ip(struct decode_ctx *ctx, struct cursor c, int version_hint)
{
    uint8_t first;
    if (!cursor_has(&c, 1))
        return fail(ctx, DECODE_TRUNCATED, "IP header cut short by the capture");
    first = *cursor_ptr(&c);
    int version = first >> 4;
    if (version_hint && version != version_hint)
        return fail(ctx, DECODE_MALFORMED, "IP version differs from what the link layer says");
    ctx->wire_left = ctx->wire_left >= c.pos ? ctx->wire_left - c.pos : 0;
    c = cursor_make(cursor_ptr(&c), cursor_left(&c));
    if (version == 4)
        return decode_ipv4(ctx, c);
    if (version == 6)
        return decode_ipv6(ctx, c);
    return fail(ctx, DECODE_MALFORMED, "IP version is neither 4 nor 6");
}

/* ---- the entry point ------------------------------------------------------------------- */

enum decode_outcome decode_packet(int linktype, const uint8_t *data, size_t caplen,
                                  size_t wirelen, struct decoded_packet *out, const char **why)
{
    const char *unused; /* where the reason goes when the caller does not want it */
    struct decode_ctx ctx = {out, why ? why : &unused, wirelen, false, 0};
    /* The encapsulation layers are written only as far as n_encap says: clearing all eight
     * for every packet would cost more than decoding most of them. */
    memset(out, 0, offsetof(struct decoded_packet, encap));
    *ctx.why = NULL;
    struct cursor c = cursor_make(data, caplen);
    /* Untagged IPv4 or IPv6 over Ethernet, the common case, without the calls through
     * decode_link and decode_ethertype (they cost more than the rest of the link layer). */
    if (linktype == LINK_ETHERNET && caplen >= 14) {
        uint16_t type = (uint16_t)(data[12] << 8 | data[13]);
        if (type == ETHERTYPE_IPV4 || type == ETHERTYPE_IPV6) {
            c.pos = 14;
            return decode_ip(&ctx, c, type == ETHERTYPE_IPV4 ? 4 : 6);
        }
    }
    return decode_link(&ctx, c, linktype);
}

size_t decoded_packet_size(const struct decoded_packet *p)
{
    return offsetof(struct decoded_packet, encap) + (size_t)p->n_encap * sizeof p->encap[0];
}

void decoded_packet_copy(struct decoded_packet *dst, const struct decoded_packet *src)
{
    memcpy(dst, src, decoded_packet_size(src));
}
