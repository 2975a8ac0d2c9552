/* sha256_check.c — prints the SHA-256 of files as sha256sum does, for checking analysis/sha256.c.
 *
 *   sha256-check FILE...
 *
 * Each file is fed to sha256_update in pieces of varying sizes (1 byte to 64 KiB, from a
 * fixed sequence), so that the partial-block path is exercised as well as whole blocks.
 * bench/bench.mk builds it twice, with the run-time choice of the hardware path and with
 * SHA256_PORTABLE_ONLY, and bench/sha256-check.sh compares both with sha256sum. */
#include <stdio.h>
#include <stdlib.h>

#include "sha256.h"

int main(int argc, char **argv)
{
    static unsigned char buf[1 << 20];
    static const size_t pieces[] = {1, 63, 64, 65, 7, 128, 4096, 1000, 65536, 3, 191, 8192};
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            rc = 1;
            continue;
        }
        struct sha256 c;
        sha256_init(&c);
        size_t n, k = 0;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
            for (size_t off = 0; off < n;) {
                size_t take = pieces[k++ % (sizeof pieces / sizeof pieces[0])];
                if (take > n - off)
                    take = n - off;
                sha256_update(&c, buf + off, take);
                off += take;
            }
        }
        fclose(f);
        char hex[65];
        sha256_final_hex(&c, hex);
        printf("%s  %s\n", hex, argv[i]);
    }
    return rc;
}
