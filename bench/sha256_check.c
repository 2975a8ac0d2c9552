/* sha256_check.c — prints the SHA-256 of files as sha256sum does, for checking analysis/sha256.c.
 *
 *   sha256-check FILE...
 *
 * Each file is fed to sha256_update in pieces of varying sizes (1 byte to 64 KiB, from a
 * fixed sequence), as the capture reader feeds it whatever libpcap asked for; every third
 * file goes through sha256_hex in one call instead. bench/sha256-check.sh compares the output
 * with sha256sum. Exit status 1 when a file cannot be read or libcrypto fails. */
#include <stdio.h>
#include <stdlib.h>

#include "sha256.h"

/* The digest of f in pieces; false when libcrypto failed. */
static bool hash_pieces(FILE *f, unsigned char *buf, size_t size, char hex[65])
{
    static const size_t pieces[] = {1, 63, 64, 65, 7, 128, 4096, 1000, 65536, 3, 191, 8192};
    struct sha256 c;
    size_t n, k = 0;
    sha256_init(&c); /* a failure shows in sha256_final_hex */
    while ((n = fread(buf, 1, size, f)) > 0) {
        for (size_t off = 0; off < n;) {
            size_t take = pieces[k++ % (sizeof pieces / sizeof pieces[0])];
            if (take > n - off)
                take = n - off;
            sha256_update(&c, buf + off, take);
            off += take;
        }
    }
    return sha256_final_hex(&c, hex);
}

int main(int argc, char **argv)
{
    static unsigned char buf[1 << 22];
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            rc = 1;
            continue;
        }
        char hex[65];
        bool ok;
        if (i % 3 == 0) {
            size_t n = fread(buf, 1, sizeof buf, f); /* the files checked are smaller than buf */
            ok = feof(f) && sha256_hex(buf, n, hex);
        } else {
            ok = hash_pieces(f, buf, 1 << 20, hex);
        }
        fclose(f);
        if (!ok) {
            fprintf(stderr, "sha256-check: %s: could not hash the file\n", argv[i]);
            rc = 1;
            continue;
        }
        printf("%s  %s\n", hex, argv[i]);
    }
    return rc;
}
