/* mkencap.c — writes the crafted captures of tests/encap_check.sh.
 *
 *   mkencap DIR
 *
 * One pcap per case of tests/support/pktencap.c (NAME.pcap: two TCP conversations wrapped in
 * that link type, encapsulation or tunnel, each direction as it travels: outer addresses
 * swapped, per-direction ids its own), the tunnel-key files (NAME-key.pcap: two conversations
 * on the same inner addresses and ports in two instances of one tunnel kind, which must stay
 * two sessions), Teredo through a relay's own port (teredo-relay.pcap), and the
 * multi-interface pcapng files: multi2
 * (Ethernet and Linux cooked, different snap lengths and resolutions), multi3 (Ethernet, BSD
 * loopback and raw IP, one with if_tsresol 2^-20 and an offset) and sections (two sections of
 * different byte order, with obsolete Packet Blocks), each also split into one pcap per
 * interface (NAME-ifN.pcap: the same packets, alone). Prints one line per file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capbuild.h"
#include "decode.h"
#include "pktbuild.h"
#include "pktencap.h"

/* The classic conversation of pktbuild.h (client closes): direction, flags, relative seq,
 * relative ack, payload bytes. */
static const struct { int dir; uint16_t flags; uint32_t seq, ack, len; } script[] = {
    {PKT_C2S, TCP_SYN, 0, 0, 0},             {PKT_S2C, TCP_SYN | TCP_ACK, 0, 1, 0},
    {PKT_C2S, TCP_ACK, 1, 1, 0},             {PKT_C2S, TCP_PSH | TCP_ACK, 1, 1, 100},
    {PKT_S2C, TCP_ACK, 1, 101, 0},           {PKT_S2C, TCP_PSH | TCP_ACK, 1, 101, 200},
    {PKT_C2S, TCP_ACK, 101, 201, 0},         {PKT_C2S, TCP_FIN | TCP_ACK, 101, 201, 0},
    {PKT_S2C, TCP_ACK, 201, 102, 0},         {PKT_S2C, TCP_FIN | TCP_ACK, 201, 102, 0},
    {PKT_C2S, TCP_ACK, 102, 202, 0},
};
enum { SEGMENTS = sizeof script / sizeof script[0] };

static struct pkt_flow flow(int version, int k)
{
    struct pkt_flow f = {
        .linktype = LINK_RAW, .ip_version = version,
        .client = version == 6 ? "2001:db8::10" : "10.0.0.10",
        .server = version == 6 ? "2001:db8::20" : "10.0.0.20",
        .cport = (uint16_t)(40000 + k), .sport = k ? 443 : 80,
        .cisn = 1000u + 7u * (uint32_t)k, .sisn = 5000u + 11u * (uint32_t)k,
    };
    return f;
}

/* The k-th segment (of 2 * SEGMENTS) of the two interleaved conversations, as a datagram;
 * with same_inner, both are the first one, byte for byte (they differ in their tunnel). */
static size_t segment(int version, int k, bool same_inner, uint8_t *ip, size_t cap)
{
    struct pkt_flow f = flow(version, same_inner ? 0 : k % 2);
    int i = k / 2;
    return pkt_flow_frame(&f, script[i].dir, script[i].flags, script[i].seq, script[i].ack, script[i].len, ip, cap);
}

/* Writes case c's two conversations into DIR/NAME.pcap; for a tunnel-key file (key), on the
 * same inner addresses and ports, the second in tunnel instance 1. Prints the file's line
 * for encap_check.sh: "FILE TSHARK-OPTIONS", or "=2 FILE ..." for a key file, whose report
 * must hold 2 sessions where tshark, which ignores tunnels, sees one stream. */
static int write_case(const char *dir, const struct pkt_encap_case *c, bool key)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s%s.pcap", dir, c->name, key ? "-key" : "");
    struct pcap_file_writer w;
    if (pcapw_open(&w, path, c->linktype, false, 262144) != 0)
        return -1;
    for (int k = 0; k < 2 * SEGMENTS; k++) {
        uint8_t ip[2048];
        struct pkt_frame fr;
        struct pkt_encap_expect e;
        size_t n = segment(c->inner_version, k, key, ip, sizeof ip);
        bool reverse = script[k / 2].dir == PKT_S2C;
        size_t len = n ? pkt_encap_build_as(c, ip, n, reverse, key ? k % 2 : 0, &fr, &e) : 0;
        if (!len) {
            pcapw_close(&w);
            return -1;
        }
        pcapw_write(&w, 1700000000000000000LL + k * 1000000LL, pkt_frame_data(&fr), (uint32_t)len, (uint32_t)len);
    }
    printf("%s%s %s\n", key ? "=2 " : "", path, c->tshark_opts ? c->tshark_opts : "");
    return pcapw_close(&w);
}

/* Teredo through a relay that uses a port of its own (as in Zeek's tunnels/Teredo.pcap), so
 * that only the payload says Teredo: the inner addresses are Teredo's 2001:0::/32 (the client)
 * and a native IPv6 server; tshark finds it with its Teredo heuristic. */
static int write_teredo_relay(const char *dir, const struct pkt_encap_case *c)
{
    char path[512];
    snprintf(path, sizeof path, "%s/teredo-relay.pcap", dir);
    struct pcap_file_writer w;
    if (pcapw_open(&w, path, c->linktype, false, 262144) != 0)
        return -1;
    for (int k = 0; k < 2 * SEGMENTS; k++) {
        struct pkt_flow f = flow(6, k % 2);
        f.client = "2001:0:4137:9e50:8000:f12a:b9c8:2815";
        f.server = "2001:4860:0:2001::68";
        int i = k / 2;
        uint8_t ip[2048];
        struct pkt_frame fr;
        struct pkt_encap_expect e;
        size_t n = pkt_flow_frame(&f, script[i].dir, script[i].flags, script[i].seq, script[i].ack, script[i].len, ip,
                                  sizeof ip);
        size_t len = n ? pkt_encap_build_as(c, ip, n, script[i].dir == PKT_S2C, 1, &fr, &e) : 0;
        if (!len) {
            pcapw_close(&w);
            return -1;
        }
        pcapw_write(&w, 1700000000000000000LL + k * 1000000LL, pkt_frame_data(&fr), (uint32_t)len, (uint32_t)len);
    }
    printf("%s --enable-heuristic teredo_udp\n", path);
    return pcapw_close(&w);
}

/* The cases whose tunnel instance is part of the session key (analysis/tcp/tunnel.c) and
 * that pktencap.c can build in two instances. */
static bool keyed_variant(const char *name)
{
    static const char *const names[] = {"vxlan", "pppoe", "gre", "4in6"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    return false;
}

/* The k-th segment of conversation set `set` (its own ports), wrapped for linktype. */
static size_t framed(int linktype, int version, int set, int k, uint8_t *out, size_t cap)
{
    struct pkt_flow f = flow(version, k % 2);
    f.linktype = linktype;
    f.cport = (uint16_t)(f.cport + 100 * set);
    int i = k / 2;
    return pkt_flow_frame(&f, script[i].dir, script[i].flags, script[i].seq, script[i].ack, script[i].len, out, cap);
}

/* Appends the conversations of each interface, interleaved, as Enhanced Packet Blocks (or,
 * in the second section of "sections", Simple and obsolete ones). */
static void packets(struct capbuild *cb, const int *links, const int *versions, const int *resol, int n_if,
                    int set0, int first_if, int style, struct capbuild *parts)
{
    for (int k = 0; k < 2 * SEGMENTS; k++) {
        for (int i = 0; i < n_if; i++) {
            uint8_t fr[2048];
            size_t n = framed(links[i], versions[i], set0 + i, k, fr, sizeof fr);
            /* Times an interface counting in 2^-20 s holds exactly: multiples of 1/64 s. */
            bool binary = resol[i] == (0x80 | 20);
            uint64_t us = 1700000000000000ull + (binary ? (uint64_t)k * 15625 : (uint64_t)k * 1000 + (uint64_t)i);
            uint64_t ts = resol[i] == 9 ? us * 1000
                          : binary ? (us / 1000000) << 20 | ((us % 1000000) << 20) / 1000000 : us;
            if (style == 1 && i == 0 && k % 3 == 1)
                cb_opb(cb, (uint16_t)(first_if + i), ts, fr, (uint32_t)n, (uint32_t)n);
            else
                cb_epb(cb, (uint32_t)(first_if + i), ts, fr, (uint32_t)n, (uint32_t)n);
            cb_pcap_record(&parts[i], CB_PCAP_US, (uint32_t)(us / 1000000), (uint32_t)(us % 1000000), fr,
                           (uint32_t)n, (uint32_t)n);
        }
    }
}

static int write_cb(const char *dir, const char *name, struct capbuild *cb)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int rc = cb_write_file(cb, path);
    cb_free(cb);
    if (rc == 0)
        printf("%s\n", path);
    return rc;
}

/* The per-interface pcaps of a pcapng file: part i holds interface first + i's packets. */
static void parts_open(struct capbuild *parts, const int *links, int n)
{
    for (int i = 0; i < n; i++) {
        cb_init(&parts[i]);
        cb_pcap_header(&parts[i], false, CB_PCAP_US, 262144, (uint32_t)links[i]);
    }
}

static int parts_write(const char *dir, const char *name, struct capbuild *parts, int first, int n)
{
    int rc = 0;
    for (int i = 0; i < n; i++) {
        char file[128];
        snprintf(file, sizeof file, "%s-if%d.pcap", name, first + i);
        rc |= write_cb(dir, file, &parts[i]);
    }
    return rc;
}

static int write_multi(const char *dir)
{
    struct capbuild cb, parts[3];
    int rc = 0;
    {
        static const int links[] = {LINK_ETHERNET, LINK_LINUX_SLL}, versions[] = {4, 6}, resol[] = {6, 9};
        cb_init(&cb);
        parts_open(parts, links, 2);
        cb_shb(&cb, false);
        cb_idb_name(&cb, LINK_ETHERNET, 262144, "eth0"); /* microseconds, and a name */
        cb_idb(&cb, LINK_LINUX_SLL, 1500, 9, 0);
        packets(&cb, links, versions, resol, 2, 0, 0, 0, parts);
        rc |= write_cb(dir, "multi2.pcapng", &cb);
        rc |= parts_write(dir, "multi2", parts, 0, 2);
    }
    {
        static const int links[] = {LINK_ETHERNET, LINK_NULL, 101}, versions[] = {4, 4, 6};
        static const int resol[] = {6, 0x80 | 20, 6};
        cb_init(&cb);
        parts_open(parts, links, 3);
        cb_shb(&cb, false);
        cb_idb(&cb, LINK_ETHERNET, 65535, -1, 0);
        cb_idb(&cb, LINK_NULL, 4096, 0x80 | 20, 0);
        cb_idb(&cb, 101, 9000, 6, 0);
        packets(&cb, links, versions, resol, 3, 0, 0, 0, parts);
        rc |= write_cb(dir, "multi3.pcapng", &cb);
        rc |= parts_write(dir, "multi3", parts, 0, 3);
    }
    {
        static const int l1[] = {LINK_ETHERNET, LINK_LINUX_SLL2}, v1[] = {4, 6}, r1[] = {6, 9};
        static const int l2[] = {LINK_LOOP, 101}, v2[] = {6, 4}, r2[] = {6, 6};
        cb_init(&cb);
        parts_open(parts, l1, 2);
        cb_shb(&cb, false);
        cb_idb(&cb, LINK_ETHERNET, 262144, 6, 0);
        cb_idb(&cb, LINK_LINUX_SLL2, 2000, 9, 0);
        packets(&cb, l1, v1, r1, 2, 0, 0, 0, parts);
        rc |= parts_write(dir, "sections", parts, 0, 2);
        parts_open(parts, l2, 2);
        cb_shb(&cb, true);
        cb_idb(&cb, LINK_LOOP, 65535, 6, 0);
        cb_idb(&cb, 101, 65535, 6, 0);
        packets(&cb, l2, v2, r2, 2, 2, 0, 1, parts);
        rc |= write_cb(dir, "sections.pcapng", &cb);
        rc |= parts_write(dir, "sections", parts, 2, 2);
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: mkencap DIR\n");
        return 2;
    }
    for (size_t i = 0; i < pkt_encap_n_cases; i++) {
        const struct pkt_encap_case *c = &pkt_encap_cases[i];
        if (c->tshark_opts && strcmp(c->tshark_opts, PKT_ENCAP_NO_TSHARK) == 0)
            continue; /* nothing to compare with */
        if (write_case(argv[1], c, false) != 0 || (keyed_variant(c->name) && write_case(argv[1], c, true) != 0) ||
            (strcmp(c->name, "teredo") == 0 && write_teredo_relay(argv[1], c) != 0)) {
            fprintf(stderr, "mkencap: cannot write %s\n", pkt_encap_cases[i].name);
            return 1;
        }
    }
    if (write_multi(argv[1]) != 0) {
        fprintf(stderr, "mkencap: cannot write the pcapng files\n");
        return 1;
    }
    return 0;
}
