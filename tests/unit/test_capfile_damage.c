/* test_capfile_damage.c — the pcap/pcapng reader (analysis/capfile.c) on damaged files:
 * every prefix of a file (no crash; packets before the cut delivered; a warning, or an error
 * when not even the header is there), damaged block lengths, unknown interfaces and versions,
 * garbage and flipped bytes. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capbuild.h"
#include "capfile.h"
#include "capfile_fixtures.h"

/* ---- damage ---------------------------------------------------------------------------------- */

Test(capfile_damage, every_prefix_is_delivered_or_reported, .timeout = 60)
{
    struct capbuild c;
    size_t pe[16], be[16], nb;
    build_two_sections(&c, pe, be, &nb);
    for (size_t cut = 0; cut <= c.len; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1);
        memcpy(copy, c.b, cut);
        struct got g;
        char err[256] = "";
        bool opened = read_all(copy, cut, &g, err, sizeof err);
        free(copy);
        if (cut < be[0]) {
            cr_assert_not(opened, "cut %zu: opened a file cut inside its first section header", cut);
            cr_assert(err[0], "cut %zu: no reason", cut);
            continue;
        }
        cr_assert(opened, "cut %zu: %s", cut, err);
        unsigned want = 0;
        bool boundary = false;
        for (size_t i = 0; i < 5; i++)
            want += pe[i] <= cut;
        for (size_t i = 0; i < nb; i++)
            boundary |= be[i] == cut;
        cr_assert_eq(g.n, want, "cut %zu: %u packets, want %u", cut, g.n, want);
        cr_assert_eq(g.end, boundary ? CAPFILE_END : CAPFILE_TRUNCATED, "cut %zu: status %d (%s)", cut, g.end, g.why);
        if (!boundary)
            cr_assert(strstr(g.why, "the file ends inside") != NULL, "cut %zu: %s", cut, g.why);
    }
    cb_free(&c);
}

Test(capfile_damage, every_prefix_of_a_pcap_file)
{
    struct capbuild c;
    uint8_t d[50] = {0};
    cb_init(&c);
    cb_pcap_header(&c, true, CB_PCAP_MODIFIED, 65535, 1);
    cb_pcap_record(&c, CB_PCAP_MODIFIED, 1, 0, d, 50, 50);
    cb_pcap_record(&c, CB_PCAP_MODIFIED, 2, 0, d, 10, 50);
    size_t ends[] = {24, 24 + 24 + 50, 24 + 24 + 50 + 24 + 10};
    cr_assert_eq(c.len, ends[2]);
    for (size_t cut = 0; cut <= c.len; cut++) {
        struct got g;
        char err[256] = "";
        bool opened = read_all(c.b, cut, &g, err, sizeof err);
        if (cut < 24) {
            cr_assert_not(opened, "cut %zu", cut);
            continue;
        }
        unsigned want = (cut >= ends[1]) + (cut >= ends[2]);
        bool boundary = cut == ends[0] || cut == ends[1] || cut == ends[2];
        cr_assert(opened, "cut %zu: %s", cut, err);
        cr_assert_eq(g.n, want, "cut %zu", cut);
        cr_assert_eq(g.end, boundary ? CAPFILE_END : CAPFILE_TRUNCATED, "cut %zu: %s", cut, g.why);
    }
    cb_free(&c);
}

/* Patches the 32-bit word at off (little-endian section). */
static void patch_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
}

Test(capfile_damage, damaged_block_lengths_are_errors)
{
    static const struct { uint32_t len; bool trailer_only; const char *says; } cases[] = {
        {45, false, "damaged length"},        /* not a multiple of 4 */
        {8, false, "damaged length"},         /* shorter than a block */
        {0x7ffffff0, false, "damaged length"},/* larger than any block we accept */
        {44, true, "two lengths differ"},     /* the trailing copy disagrees */
        {36, false, "two lengths differ"},    /* shorter, so the trailer is read from the data */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct capbuild c;
        uint8_t d[16] = {0};
        cb_init(&c);
        cb_shb(&c, false);
        cb_idb(&c, 1, 0, -1, 0);
        cb_epb(&c, 0, 1, d, 16, 16);
        size_t second = c.len;
        cb_epb(&c, 0, 2, d, 16, 16); /* 48 bytes */
        cb_epb(&c, 0, 3, d, 16, 16);
        if (cases[i].trailer_only)
            patch_le32(c.b + second + 44, cases[i].len);
        else
            patch_le32(c.b + second + 4, cases[i].len);
        struct got g;
        char err[64];
        cr_assert(read_all(c.b, c.len, &g, err, sizeof err));
        cr_assert_eq(g.n, 1, "case %zu: %u packets", i, g.n);
        cr_assert_eq(g.end, CAPFILE_ERROR, "case %zu: status %d", i, g.end);
        cr_assert(strstr(g.why, cases[i].says) != NULL, "case %zu: %s", i, g.why);
        cb_free(&c);
    }
}

Test(capfile_damage, unknown_interface_and_bad_versions_are_errors)
{
    struct capbuild c;
    uint8_t d[16] = {0};
    struct got g;
    char err[128];
    cb_init(&c);
    cb_shb(&c, false);
    cb_idb(&c, 1, 0, -1, 0);
    cb_epb(&c, 3, 1, d, 16, 16);
    cr_assert(read_all(c.b, c.len, &g, err, sizeof err));
    cr_assert_eq(g.end, CAPFILE_ERROR);
    cr_assert(strstr(g.why, "interface 3") != NULL, "%s", g.why);
    cb_free(&c);

    cb_init(&c);
    cb_shb(&c, false);
    cb_spb(&c, d, 16, 16); /* no interface yet */
    cr_assert(read_all(c.b, c.len, &g, err, sizeof err));
    cr_assert_eq(g.end, CAPFILE_ERROR);
    cb_free(&c);

    cb_init(&c);
    cb_shb(&c, true);
    c.b[13] = 2; /* version 2.0 */
    cr_assert_not(read_all(c.b, c.len, &g, err, sizeof err));
    cr_assert(strstr(err, "version 2.0") != NULL, "%s", err);
    cb_free(&c);

    cb_init(&c);
    cb_shb(&c, false);
    cb_epb(&c, 0, 1, d, 16, 16);
    patch_le32(c.b + 28 + 20, 17); /* captured length past the block */
    cr_assert(read_all(c.b, c.len, &g, err, sizeof err));
    cr_assert_eq(g.end, CAPFILE_ERROR);
    cb_free(&c);
}

Test(capfile_damage, garbage_after_a_good_block_never_crashes)
{
    uint32_t x = 99;
    for (int round = 0; round < 300; round++) {
        struct capbuild c;
        uint8_t d[64];
        cb_init(&c);
        cb_shb(&c, round & 1);
        cb_idb(&c, 1, 0, round % 3 ? 9 : -1, 0);
        for (size_t i = 0; i < sizeof d; i++) {
            x = x * 1103515245u + 12345u;
            d[i] = (uint8_t)(x >> 16);
        }
        if (round % 4 == 0)
            d[0] = 6, d[1] = d[2] = d[3] = 0; /* an EPB type with a random length */
        cb_bytes(&c, d, (size_t)(round % 64) + 1);
        struct got g;
        char err[64];
        cr_assert(read_all(c.b, c.len, &g, err, sizeof err));
        cr_assert_neq(g.end, CAPFILE_PACKET);
        if (g.end != CAPFILE_END)
            cr_assert(g.why[0], "round %d: no reason", round);
        cb_free(&c);
    }
}

Test(capfile_damage, flipped_bytes_never_crash, .timeout = 60)
{
    struct capbuild c;
    size_t pe[16], be[16], nb;
    build_two_sections(&c, pe, be, &nb);
    uint8_t *copy = malloc(c.len);
    uint32_t x = 7;
    for (int round = 0; round < 2000; round++) {
        memcpy(copy, c.b, c.len);
        for (int k = 0; k < 1 + round % 4; k++) {
            x = x * 1103515245u + 12345u;
            copy[(x >> 8) % c.len] ^= (uint8_t)(1u << (x >> 28) % 8);
        }
        struct got g;
        char err[256] = "";
        if (!read_all(copy, c.len, &g, err, sizeof err)) {
            cr_assert(err[0], "round %d: refused without a reason", round);
            continue;
        }
        cr_assert_leq(g.n, 5 + 2, "round %d: %u packets", round, g.n);
        if (g.end != CAPFILE_END)
            cr_assert(g.why[0], "round %d: status %d without a reason", round, g.end);
    }
    free(copy);
    cb_free(&c);
}

