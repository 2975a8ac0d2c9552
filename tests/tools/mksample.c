/* mksample.c — writes synthetic captures for tests/cli.sh.
 *
 *   mksample classic OUT     one IPv4 session over Ethernet, four-way close (11 packets)
 *   mksample big OUT         >= 200,000 packets in 2,000 sessions of mixed classes (Ethernet)
 *   mksample damaged OUT     the classic session, cut inside the data of packet 8
 *   mksample ns OUT          the classic session in a nanosecond pcap
 *   mksample pcapng OUT      the classic session in a pcapng file
 *   mksample linktypes DIR   the classic session once per supported link type, DIR/<name>.pcap
 *   mksample offload OUT     checksum offload: six classic sessions from 192.0.2.1 (the
 *                            capturing host) to 198.51.100.2-7, every segment it sent with a
 *                            bad TCP checksum; then one from 192.0.2.9 to 198.51.100.9 whose
 *                            server sends one bad checksum (a real error)
 *
 * Exit status 0, or 1 with a message on standard error. Everything is deterministic: the same
 * command writes the same bytes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode.h"
#include "pktbuild.h"

#define TS0 (1700000000LL * 1000000000LL + 123456000LL)
#define STEP_NS 1000000LL /* 1 ms */

enum { BIG_SESSIONS = 2000, BIG_DATA_SEGMENTS = 90, BIG_MIN_PACKETS = 200000 };

static const struct pkt_flow classic_v4 = {
    .linktype = LINK_ETHERNET, .ip_version = 4, .client = "192.0.2.1", .server = "198.51.100.2",
    .cport = 56952, .sport = 80, .cisn = 310736074u, .sisn = 491778611u,
};

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "mksample: %s: %s: %s\n", what, path, errno ? strerror(errno) : "failed");
    return 1;
}

static int write_classic(const char *path, const struct pkt_flow *f, bool nanosecond, bool pcapng)
{
    struct pcap_file_writer w;
    int rc = pcapng ? pcapngw_open(&w, path, f->linktype, nanosecond, 262144)
                    : pcapw_open(&w, path, f->linktype, nanosecond, 262144);
    if (rc != 0)
        return fail("cannot create", path);
    /* A nanosecond file gets sub-microsecond digits so the precision shows. */
    unsigned n = pkt_flow_classic(&w, f, TS0 + (nanosecond ? 789 : 0), STEP_NS);
    if (pcapw_close(&w) != 0 || n != PKT_CLASSIC_SEGMENTS)
        return fail("cannot write", path);
    return 0;
}

static int write_big(const char *path)
{
    struct pcap_file_writer w;
    struct pkt_mix_stats st;
    if (pcapw_open(&w, path, LINK_ETHERNET, false, 262144) != 0)
        return fail("cannot create", path);
    int rc = pkt_gen_mixed(&w, LINK_ETHERNET, BIG_SESSIONS, BIG_DATA_SEGMENTS, TS0, &st);
    if (pcapw_close(&w) != 0 || rc != 0)
        return fail("cannot write", path);
    if (st.packets < BIG_MIN_PACKETS) {
        fprintf(stderr, "mksample: only %llu packets generated\n", (unsigned long long)st.packets);
        return 1;
    }
    return 0;
}

/* Offset of the 1-based packet record `packet` in a little-endian classic pcap file, or -1. */
static long record_offset(const char *path, int packet)
{
    FILE *f = fopen(path, "rb");
    long off = 24;
    if (!f)
        return -1;
    for (int i = 1; i < packet; i++) {
        uint8_t h[16];
        if (fseek(f, off, SEEK_SET) != 0 || fread(h, 1, 16, f) != 16) {
            off = -1;
            break;
        }
        off += 16 + (long)((uint32_t)h[8] | (uint32_t)h[9] << 8 | (uint32_t)h[10] << 16 | (uint32_t)h[11] << 24);
    }
    fclose(f);
    return off;
}

/* The classic session with the file cut 20 bytes into the frame of packet 8 (the client's
 * FIN/ACK): libpcap delivers packets 1-7, then reports the truncation. */
static int write_damaged(const char *path)
{
    if (write_classic(path, &classic_v4, false, false) != 0)
        return 1;
    long off = record_offset(path, 8);
    if (off < 0 || truncate(path, off + 16 + 20) != 0)
        return fail("cannot cut", path);
    return 0;
}

/* The classic session's frames (pkt_flow_classic's script), each sent by a host in bad
 * (PKT_C2S or PKT_S2C bits, 1 << dir) with its TCP checksum spoilt; -1 spoils the packet
 * numbered bad_packet (1-based) only. */
static void classic_with_bad_checksums(struct pcap_file_writer *w, const struct pkt_flow *f, int64_t ts0,
                                       unsigned bad_dirs, int bad_packet)
{
    static const struct { int dir; uint16_t flags; uint32_t seq, ack, len; } script[PKT_CLASSIC_SEGMENTS] = {
        {PKT_C2S, TCP_SYN, 0, 0, 0},                {PKT_S2C, TCP_SYN | TCP_ACK, 0, 1, 0},
        {PKT_C2S, TCP_ACK, 1, 1, 0},                {PKT_C2S, TCP_PSH | TCP_ACK, 1, 1, 100},
        {PKT_S2C, TCP_ACK, 1, 101, 0},              {PKT_S2C, TCP_PSH | TCP_ACK, 1, 101, 200},
        {PKT_C2S, TCP_ACK, 101, 201, 0},            {PKT_C2S, TCP_FIN | TCP_ACK, 101, 201, 0},
        {PKT_S2C, TCP_ACK, 201, 102, 0},            {PKT_S2C, TCP_FIN | TCP_ACK, 201, 102, 0},
        {PKT_C2S, TCP_ACK, 102, 202, 0},
    };
    for (int i = 0; i < PKT_CLASSIC_SEGMENTS; i++) {
        uint8_t frame[2048];
        size_t n = pkt_flow_frame(f, script[i].dir, script[i].flags, script[i].seq, script[i].ack, script[i].len,
                                  frame, sizeof frame);
        /* Ethernet (14) + IPv4 (20) + the TCP checksum at offset 16. */
        if (n > 52 && (((bad_dirs >> script[i].dir) & 1u) || bad_packet == i + 1))
            frame[50] ^= 0x5a;
        pcapw_write(w, ts0 + (int64_t)i * STEP_NS, frame, (uint32_t)n, (uint32_t)n);
    }
}

static int write_offload(const char *path)
{
    static char servers[6][sizeof "198.51.100.-2147483648"];
    struct pcap_file_writer w;
    if (pcapw_open(&w, path, LINK_ETHERNET, false, 262144) != 0)
        return fail("cannot create", path);
    for (int k = 0; k < 6; k++) {
        struct pkt_flow f = classic_v4;
        snprintf(servers[k], sizeof servers[k], "198.51.100.%d", k + 2);
        f.server = servers[k];
        f.cport = (uint16_t)(50000 + k);
        classic_with_bad_checksums(&w, &f, TS0 + k * 20 * STEP_NS, 1u << PKT_C2S, 0);
    }
    struct pkt_flow f = classic_v4;
    f.client = "192.0.2.9";
    f.server = "198.51.100.9";
    classic_with_bad_checksums(&w, &f, TS0 + 200 * STEP_NS, 0, 6); /* the server's data segment */
    return pcapw_close(&w) != 0 ? fail("cannot write", path) : 0;
}

static int write_linktypes(const char *dir)
{
    static const struct {
        const char *name;
        int linktype, vlan_tags;
        bool big_endian_af;
        int ip_version;
    } kinds[] = {
        {"null-le", LINK_NULL, 0, false, 4},         {"null-be", LINK_NULL, 0, true, 4},
        {"null-le-ipv6", LINK_NULL, 0, false, 6},    {"null-be-ipv6", LINK_NULL, 0, true, 6},
        {"ethernet", LINK_ETHERNET, 0, false, 4},    {"ethernet-ipv6", LINK_ETHERNET, 0, false, 6},
        {"ethernet-vlan", LINK_ETHERNET, 1, false, 4}, {"ethernet-qinq", LINK_ETHERNET, 2, false, 6},
        {"raw", LINK_RAW, 0, false, 4},              {"raw-ipv6", LINK_RAW, 0, false, 6},
        {"raw-bsd", LINK_RAW_BSD, 0, false, 4},      {"loop", LINK_LOOP, 0, false, 4},
        {"loop-ipv6", LINK_LOOP, 0, false, 6},       {"linux-sll", LINK_LINUX_SLL, 0, false, 4},
        {"linux-sll-ipv6", LINK_LINUX_SLL, 0, false, 6}, {"linux-sll2", LINK_LINUX_SLL2, 0, false, 4},
        {"linux-sll2-ipv6", LINK_LINUX_SLL2, 0, false, 6}, {"ipv4", LINK_IPV4, 0, false, 4},
        {"ipv6", LINK_IPV6, 0, false, 6},
    };
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return fail("cannot create", dir);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        char path[4096];
        struct pkt_flow f = classic_v4;
        f.linktype = kinds[i].linktype;
        f.vlan_tags = kinds[i].vlan_tags;
        f.big_endian_af = kinds[i].big_endian_af;
        f.ip_version = kinds[i].ip_version;
        if (f.ip_version == 6) {
            f.client = "2001:db8::1";
            f.server = "2001:db8::2";
        }
        snprintf(path, sizeof path, "%s/%s.pcap", dir, kinds[i].name);
        if (write_classic(path, &f, false, false) != 0)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: mksample classic|big|damaged|ns|pcapng|offload OUT.pcap\n"
              "       mksample linktypes DIR\n", stderr);
        return 2;
    }
    const char *kind = argv[1], *out = argv[2];
    errno = 0;
    if (strcmp(kind, "classic") == 0)
        return write_classic(out, &classic_v4, false, false);
    if (strcmp(kind, "ns") == 0)
        return write_classic(out, &classic_v4, true, false);
    if (strcmp(kind, "pcapng") == 0)
        return write_classic(out, &classic_v4, false, true);
    if (strcmp(kind, "big") == 0)
        return write_big(out);
    if (strcmp(kind, "damaged") == 0)
        return write_damaged(out);
    if (strcmp(kind, "linktypes") == 0)
        return write_linktypes(out);
    if (strcmp(kind, "offload") == 0)
        return write_offload(out);
    fprintf(stderr, "mksample: unknown kind '%s'\n", kind);
    return 2;
}
