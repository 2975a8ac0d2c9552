/* capfile_fixtures.c — reading crafted captures whole, for the capfile tests
 * (capfile_fixtures.h). */
#define _GNU_SOURCE
#include "capfile_fixtures.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

FILE *mem_file(const uint8_t *b, size_t n)
{
    /* fmemopen refuses a zero size on some glibc versions; an empty file is /dev/null. */
    FILE *f = n ? fmemopen((void *)b, n, "rb") : fopen("/dev/null", "rb");
    cr_assert_not_null(f);
    return f;
}

/* Reads every packet of b[0, n); returns NULL-open as got->n == -1u with the reason. */
bool read_all(const uint8_t *b, size_t n, struct got *g, char *err, size_t errlen)
{
    memset(g, 0, sizeof *g);
    FILE *f = mem_file(b, n);
    struct capfile *cf = capfile_open(f, err, errlen);
    if (!cf) {
        fclose(f);
        return false;
    }
    struct capfile_packet p;
    enum capfile_status st;
    while ((st = capfile_next(cf, &p)) == CAPFILE_PACKET) {
        if (g->n < 64) {
            g->first_byte[g->n] = p.caplen ? p.data[0] : 0;
            g->p[g->n] = p;
            g->p[g->n].data = NULL;
        }
        g->n++;
    }
    g->end = st;
    snprintf(g->why, sizeof g->why, "%s", capfile_error(cf));
    cr_assert_eq(capfile_next(cf, &p), st, "the end status sticks");
    capfile_close(cf);
    fclose(f);
    return true;
}

void read_ok(const struct capbuild *c, struct got *g)
{
    char err[256] = "";
    cr_assert(read_all(c->b, c->len, g, err, sizeof err), "open failed: %s", err);
    cr_assert_eq(g->end, CAPFILE_END, "ended with %d: %s", g->end, g->why);
}

void frame(uint8_t *d, size_t n, uint8_t tag)
{
    for (size_t i = 0; i < n; i++)
        d[i] = (uint8_t)(tag + i);
}

/* Two sections of different byte order, each with its own interfaces. */
void build_two_sections(struct capbuild *c, size_t *packet_ends, size_t *block_ends, size_t *n_blocks)
{
    uint8_t d[120];
    size_t nb = 0, np = 0;
    frame(d, sizeof d, 0x10);
    cb_init(c);
    cb_shb(c, false);
    block_ends[nb++] = c->len;
    cb_idb(c, 1, 65535, 9, 0);
    block_ends[nb++] = c->len;
    cb_idb(c, 276, 200, 6, 0);
    block_ends[nb++] = c->len;
    cb_epb(c, 1, 1000001, d, 70, 70);
    block_ends[nb++] = packet_ends[np++] = c->len;
    static const uint8_t nrb[] = {1, 0, 8, 0, 10, 0, 0, 1, 'h', 'o', 's', 't', 0, 0, 0, 0, 0, 0, 0, 0};
    cb_block(c, 4, nrb, sizeof nrb); /* name resolution: skipped */
    block_ends[nb++] = c->len;
    cb_epb(c, 0, 2000000000, d + 1, 99, 99);
    block_ends[nb++] = packet_ends[np++] = c->len;
    cb_shb(c, true);
    block_ends[nb++] = c->len;
    cb_idb(c, 0, 1000, 6, 0);
    block_ends[nb++] = c->len;
    cb_epb(c, 0, 3000000, d + 2, 33, 33);
    block_ends[nb++] = packet_ends[np++] = c->len;
    cb_spb(c, d + 3, 41, 41);
    block_ends[nb++] = packet_ends[np++] = c->len;
    cb_block(c, 0x40000BAD, d, 13); /* a custom block: skipped */
    block_ends[nb++] = c->len;
    cb_opb(c, 0, 4000000, d + 4, 20, 20);
    block_ends[nb++] = packet_ends[np++] = c->len;
    *n_blocks = nb;
}

