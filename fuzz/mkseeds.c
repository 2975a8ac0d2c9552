/* mkseeds.c — turns the sample captures into seeds for fuzz_decode (layout in fuzz_decode.c).
 *
 * Usage: mkseeds OUTDIR CAPTURE...
 * For each capture it writes one seed holding all its frames in its own link type, one with a
 * session cap of 1, and, when the frames are Ethernet, the same IP packets re-wrapped in every
 * other supported link type, so each link type starts with real sessions. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"

enum { MAX_SEED = 1 << 20 };

struct seed {
    uint8_t *buf;
    size_t len;
};

static void put(struct seed *s, const void *p, size_t n)
{
    if (s->len + n <= MAX_SEED) {
        memcpy(s->buf + s->len, p, n);
        s->len += n;
    }
}

/* Wraps an IP packet in the link header of link; returns the header length written. */
static size_t link_header(int link, const uint8_t *ip, uint8_t *hdr)
{
    int v6 = (ip[0] >> 4) == 6;
    uint16_t et = v6 ? 0x86dd : 0x0800;
    switch (link) {
    case LINK_NULL: hdr[0] = v6 ? 10 : 2; hdr[1] = hdr[2] = hdr[3] = 0; return 4;
    case LINK_LOOP: hdr[0] = hdr[1] = hdr[2] = 0; hdr[3] = v6 ? 24 : 2; return 4;
    case LINK_ETHERNET:
        memset(hdr, 0, 12);
        hdr[12] = (uint8_t)(et >> 8); hdr[13] = (uint8_t)et;
        return 14;
    case LINK_LINUX_SLL:
        memset(hdr, 0, 14);
        hdr[14] = (uint8_t)(et >> 8); hdr[15] = (uint8_t)et;
        return 16;
    case LINK_LINUX_SLL2:
        memset(hdr, 0, 20);
        hdr[0] = (uint8_t)(et >> 8); hdr[1] = (uint8_t)et;
        return 20;
    default: return 0; /* raw IP */
    }
}

static int write_seed(const char *dir, const char *name, const char *suffix, const struct seed *s)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s", dir, name, suffix);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(s->buf, 1, s->len, f) != s->len || fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

static int link_index(int link)
{
    for (int i = 0; i < FUZZ_LINKS; i++)
        if (fuzz_links[i] == link)
            return i;
    return -1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: mkseeds OUTDIR CAPTURE...\n");
        return 2;
    }
    int rc = 0;
    struct seed all[FUZZ_LINKS + 1];
    for (int i = 0; i <= FUZZ_LINKS; i++)
        if (!(all[i].buf = malloc(MAX_SEED)))
            return 1;
    for (int a = 2; a < argc; a++) {
        char err[PCAP_ERRBUF_SIZE];
        pcap_t *p = pcap_open_offline(argv[a], err);
        if (!p) {
            fprintf(stderr, "mkseeds: %s\n", err);
            rc = 1;
            continue;
        }
        int own = link_index(pcap_datalink(p));
        if (own < 0) {
            pcap_close(p);
            continue;
        }
        /* all[FUZZ_LINKS] is the capture as it is; all[i] its IP packets in link type i. */
        for (int i = 0; i <= FUZZ_LINKS; i++) {
            uint8_t head[2] = {(uint8_t)(i == FUZZ_LINKS ? own : i), 0};
            all[i].len = 0;
            put(&all[i], head, 2);
        }
        bool ethernet = fuzz_links[own] == LINK_ETHERNET;
        struct pcap_pkthdr *h;
        const u_char *d;
        int64_t prev = -1;
        while (pcap_next_ex(p, &h, &d) == 1) {
            int64_t us = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
            int64_t step = prev < 0 ? 0 : (us - prev) / 10000;
            prev = us;
            size_t cap = h->caplen > 0xffff ? 0xffff : h->caplen;
            size_t extra = h->len - h->caplen > 254 ? 254 : h->len - h->caplen;
            uint8_t fh[4] = {(uint8_t)(cap >> 8), (uint8_t)cap, (uint8_t)extra,
                             (uint8_t)(step > 254 ? 254 : step)};
            put(&all[FUZZ_LINKS], fh, 4);
            put(&all[FUZZ_LINKS], d, cap);
            if (!ethernet || cap < 15 || (d[12] != 0x08 && d[12] != 0x86))
                continue;
            for (int i = 0; i < FUZZ_LINKS; i++) {
                uint8_t lh[20];
                size_t hl = link_header(fuzz_links[i], d + 14, lh);
                size_t n = cap - 14 + hl;
                uint8_t wh[4] = {(uint8_t)(n >> 8), (uint8_t)n, fh[2], fh[3]};
                put(&all[i], wh, 4);
                put(&all[i], lh, hl);
                put(&all[i], d + 14, cap - 14);
            }
        }
        pcap_close(p);

        const char *base = strrchr(argv[a], '/');
        base = base ? base + 1 : argv[a];
        if (write_seed(argv[1], base, ".seed", &all[FUZZ_LINKS]) != 0)
            rc = 1;
        all[FUZZ_LINKS].buf[1] = 0x01; /* a session cap of 1 */
        if (write_seed(argv[1], base, ".cap1.seed", &all[FUZZ_LINKS]) != 0)
            rc = 1;
        for (int i = 0; ethernet && i < FUZZ_LINKS; i++) {
            char suffix[32];
            snprintf(suffix, sizeof suffix, ".link%d.seed", fuzz_links[i]);
            if (fuzz_links[i] != LINK_ETHERNET && write_seed(argv[1], base, suffix, &all[i]) != 0)
                rc = 1;
        }
    }
    for (int i = 0; i <= FUZZ_LINKS; i++)
        free(all[i].buf);
    return rc;
}
