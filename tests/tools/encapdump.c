/* encapdump.c — prints the TCP segments of a capture as our reader and decoder see them.
 *
 *   encapdump FILE
 *
 * One line per TCP segment: "SRC SPORT DST DPORT path" with the encapsulation path's kinds
 * (outermost first, "-" when none). tests/encap_check.sh compares its 4-tuples with tshark's
 * tcp.streams: the decode-level half of issue 15's check, before the pipeline (capture.c)
 * reads with analysis/capfile.c. Exit status 1 when the file cannot be read in full. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "capfile.h"
#include "decode.h"

static void addr(const struct decoded_packet *p, const uint8_t *a, char *buf, size_t len)
{
    inet_ntop(p->ip_version == 6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)len);
}

int main(int argc, char **argv)
{
    char err[256];
    if (argc != 2) {
        fprintf(stderr, "usage: encapdump FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    struct capfile *cf = capfile_open(f, err, sizeof err);
    if (!cf) {
        fprintf(stderr, "%s: %s\n", argv[1], err);
        fclose(f);
        return 1;
    }
    struct capfile_packet pkt;
    struct decoded_packet d;
    enum capfile_status st;
    unsigned long n = 0;
    while ((st = capfile_next(cf, &pkt)) == CAPFILE_PACKET) {
        n++;
        const char *why = NULL;
        enum decode_outcome o = decode_packet(pkt.dlt, pkt.data, pkt.caplen, pkt.len, &d, &why);
        if (o != DECODE_TCP) {
            if (o == DECODE_TRUNCATED || o == DECODE_MALFORMED)
                fprintf(stderr, "%s: packet %lu: %s\n", argv[1], n, why);
            continue;
        }
        char s[64], t[64], path[256] = "";
        addr(&d, d.src, s, sizeof s);
        addr(&d, d.dst, t, sizeof t);
        for (unsigned i = 0; i < d.n_encap; i++) {
            size_t l = strlen(path);
            snprintf(path + l, sizeof path - l, "%s%s", i ? "/" : "", encap_kind_name((enum encap_kind)d.encap[i].kind));
        }
        printf("%s %u %s %u %s\n", s, d.sport, t, d.dport, path[0] ? path : "-");
    }
    int rc = st == CAPFILE_END ? 0 : 1;
    if (st != CAPFILE_END)
        fprintf(stderr, "%s: %s\n", argv[1], capfile_error(cf));
    capfile_close(cf);
    fclose(f);
    return rc;
}
