/* refloop.c — the benchmark's yardstick: the least a TCP flow tool has to do.
 *
 *   refloop CAPTURE
 *
 * Reads the capture with libpcap, parses Ethernet (with VLAN tags), raw IP or Linux cooked
 * headers down to the TCP ports, and counts packets and bytes per flow in an open-addressing
 * hash table keyed by the canonical 4-tuple. Nothing else: no checksums, no sequence numbers,
 * no states, no output but one summary line. pcap2report's time is reported as a ratio to
 * this loop's time on the same file (docs/benchmark.md). */
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct flow_key {
    uint8_t a[16], b[16];
    uint16_t aport, bport;
    uint8_t version, pad[3];
};

struct flow {
    struct flow_key key;
    uint64_t hash; /* 0: empty slot */
    uint64_t packets, bytes;
};

struct flow_table {
    struct flow *slots;
    size_t n_slots, n_used; /* n_slots is a power of two, at most half full */
};

static uint64_t mix64(uint64_t h)
{
    h ^= h >> 33; h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

static uint64_t hash_key(const struct flow_key *k)
{
    uint64_t w[4], h = (uint64_t)k->aport << 32 | (uint64_t)k->bport << 16 | k->version;
    memcpy(w, k->a, 16);
    memcpy(w + 2, k->b, 16);
    for (int i = 0; i < 4; i++)
        h = mix64(h ^ w[i]) + (uint64_t)i;
    return h | 1;
}

static bool grow(struct flow_table *t)
{
    size_t n = t->n_slots ? t->n_slots * 2 : 1024;
    struct flow *s = calloc(n, sizeof *s);
    if (!s)
        return false;
    for (size_t i = 0; i < t->n_slots; i++) {
        if (!t->slots[i].hash)
            continue;
        size_t j = t->slots[i].hash & (n - 1);
        while (s[j].hash)
            j = (j + 1) & (n - 1);
        s[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = s;
    t->n_slots = n;
    return true;
}

static struct flow *lookup(struct flow_table *t, const struct flow_key *k)
{
    uint64_t h = hash_key(k);
    size_t mask = t->n_slots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct flow *f = &t->slots[i];
        if (f->hash == h && memcmp(&f->key, k, sizeof *k) == 0)
            return f;
        if (!f->hash) {
            if ((t->n_used + 1) * 2 > t->n_slots) {
                if (!grow(t))
                    return NULL;
                return lookup(t, k);
            }
            f->hash = h;
            f->key = *k;
            t->n_used++;
            return f;
        }
    }
}

/* Fills k from an IP packet; false when it is not TCP or is cut short. */
static bool parse_ip(const uint8_t *p, size_t n, struct flow_key *k)
{
    const uint8_t *src, *dst, *tcp;
    size_t alen;
    if (n < 1)
        return false;
    memset(k, 0, sizeof *k);
    if (p[0] >> 4 == 4) {
        size_t ihl = (size_t)(p[0] & 15) * 4;
        if (n < 20 || ihl < 20 || p[9] != 6 || n < ihl + 4)
            return false;
        src = p + 12, dst = p + 16, alen = 4, tcp = p + ihl;
        k->version = 4;
    } else if (p[0] >> 4 == 6) {
        if (n < 44 || p[6] != 6) /* extension headers are not followed */
            return false;
        src = p + 8, dst = p + 24, alen = 16, tcp = p + 40;
        k->version = 6;
    } else {
        return false;
    }
    uint16_t sport = (uint16_t)(tcp[0] << 8 | tcp[1]), dport = (uint16_t)(tcp[2] << 8 | tcp[3]);
    int c = memcmp(src, dst, alen);
    if (c < 0 || (c == 0 && sport <= dport)) {
        memcpy(k->a, src, alen), memcpy(k->b, dst, alen), k->aport = sport, k->bport = dport;
    } else {
        memcpy(k->a, dst, alen), memcpy(k->b, src, alen), k->aport = dport, k->bport = sport;
    }
    return true;
}

static bool parse_frame(int dlt, const uint8_t *p, size_t n, struct flow_key *k)
{
    size_t off;
    switch (dlt) {
    case DLT_EN10MB: {
        uint16_t type;
        if (n < 14)
            return false;
        off = 12;
        type = (uint16_t)(p[off] << 8 | p[off + 1]);
        while (type == 0x8100 || type == 0x88a8 || type == 0x9100) { /* 802.1Q, 802.1ad, old QinQ */
            off += 4;
            if (off + 2 > n)
                return false;
            type = (uint16_t)(p[off] << 8 | p[off + 1]);
        }
        if (type != 0x0800 && type != 0x86dd)
            return false;
        off += 2;
        break;
    }
    case DLT_RAW: case 14: case DLT_IPV4: case DLT_IPV6:
        off = 0;
        break;
    case DLT_LINUX_SLL:
        off = 16;
        break;
    default:
        return false;
    }
    return off <= n && parse_ip(p + off, n - off, k);
}

int main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    if (argc != 2) {
        fputs("usage: refloop CAPTURE\n", stderr);
        return 2;
    }
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) {
        fprintf(stderr, "refloop: %s\n", err);
        return 1;
    }
    int dlt = pcap_datalink(p);
    struct flow_table t = {0};
    if (!grow(&t))
        return 1;
    struct pcap_pkthdr *h;
    const u_char *d;
    uint64_t packets = 0, tcp = 0, bytes = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
        struct flow_key k;
        packets++;
        bytes += h->len;
        if (!parse_frame(dlt, d, h->caplen, &k))
            continue;
        struct flow *f = lookup(&t, &k);
        if (!f) {
            fputs("refloop: out of memory\n", stderr);
            return 1;
        }
        f->packets++;
        f->bytes += h->len;
        tcp++;
    }
    if (rc == PCAP_ERROR)
        fprintf(stderr, "refloop: %s\n", pcap_geterr(p));
    printf("packets=%llu tcp=%llu flows=%zu bytes=%llu\n", (unsigned long long)packets,
           (unsigned long long)tcp, t.n_used, (unsigned long long)bytes);
    pcap_close(p);
    free(t.slots);
    return 0;
}
