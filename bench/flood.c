/* flood.c — writes the benchmark's SYN-flood capture: N SYNs (default 3 million), one every
 * 10 us, each from its own source address and port to one server port, none answered.
 *
 *   flood [-n SYNS] [-i INTERVAL_US] -o OUT.pcap
 *
 * Every SYN opens a session of its own that never gets a second kind of packet: the capture
 * measures what an unanswered attempt costs (issue 20; docs/benchmark.md). Ethernet,
 * microsecond pcap, 54-byte frames without TCP options (3 million SYNs: 210 MB). The same
 * bytes for the same arguments. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "decode.h"
#include "pktbuild.h"

int main(int argc, char **argv)
{
    unsigned long long n = 3000000, interval_us = 10;
    const char *out = NULL;
    int c;
    while ((c = getopt(argc, argv, "n:i:o:")) != -1) {
        switch (c) {
        case 'n': n = strtoull(optarg, NULL, 10); break;
        case 'i': interval_us = strtoull(optarg, NULL, 10); break;
        case 'o': out = optarg; break;
        default: out = NULL; optind = argc; break;
        }
    }
    if (!out || !n || !interval_us) {
        fputs("usage: flood [-n SYNS] [-i INTERVAL_US] -o OUT.pcap\n", stderr);
        return 2;
    }
    struct pcap_file_writer w;
    if (pcapw_open(&w, out, LINK_ETHERNET, false, 65535) != 0) {
        perror(out);
        return 1;
    }
    int64_t t0 = 1700000000LL * 1000000000LL;
    for (unsigned long long i = 0; i < n; i++) {
        /* Sources 10.0.0.0/8 and ports 1024..65023: 64,000 ports per address. */
        unsigned long long host = i / 64000;
        char src[32];
        snprintf(src, sizeof src, "10.%u.%u.%u", (unsigned)(host >> 16) & 255, (unsigned)(host >> 8) & 255,
                 (unsigned)host & 255);
        struct pkt_spec s = {.ip_version = 4, .src = src, .dst = "192.0.2.80",
                             .sport = (uint16_t)(1024 + i % 64000), .dport = 80,
                             .seq = (uint32_t)(i * 2654435761u), .flags = TCP_SYN, .window = 64240};
        uint8_t ip[128], frame[160];
        size_t len = pkt_build_ip(&s, ip, sizeof ip);
        size_t f = len ? pkt_wrap(LINK_ETHERNET, ip, len, frame, sizeof frame, 0, false) : 0;
        if (!f) {
            fputs("flood: cannot build a frame\n", stderr);
            return 1;
        }
        pcapw_write(&w, t0 + (int64_t)(i * interval_us * 1000), frame, (uint32_t)f, (uint32_t)f);
    }
    if (pcapw_close(&w) != 0) {
        perror(out);
        return 1;
    }
    fprintf(stderr, "flood: %llu SYNs, one every %llu us, %llu packets\n", n, interval_us, n);
    return 0;
}
