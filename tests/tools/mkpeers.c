/* mkpeers.c — crafted captures that are not Linux loopback, for the cross-check with tshark
 * and with Zeek's rules (tests/peers_check.py, run by `make test-peers`).
 *
 *   mkpeers DIR [SEED N]  writes DIR/<scenario>.pcap, one per scenario below, DIR/zoo.pcap (N
 *                         random conversations from SEED; 600 from 14 by default) and
 *                         DIR/zeek-expect.json
 *
 * Each scenario is a conversation (or a few on one 4-tuple) the way other stacks, middleboxes
 * and partial captures produce them: data-only streams, bare FINs, flagless data, one-sided
 * captures, reuse after a RST, attempts longer than 5 s, RSTs in the handshake, simultaneous
 * open and close, SYNs minutes apart, captures that begin mid-stream. zeek-expect.json holds,
 * per scenario and per session, the conn.log records Zeek would write as read from Zeek's
 * source ("conn_state:history", records joined by '|'), derived by hand. (A SYN with data gets
 * a 'T': init_endpoint counts its payload into last_seq, so update_last_seq sees no advance.)
 * The zoo has no Zeek expectation: it is checked against tshark only.
 *
 * Exit status 0, or 1 with a message on standard error. Deterministic. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "decode.h"
#include "pktbuild.h"

#define TS0 (1700000000LL * 1000000000LL)
#define MS 1000000LL

enum { C2S = PKT_C2S, S2C = PKT_S2C };
enum {
    S = TCP_SYN, A = TCP_ACK, F = TCP_FIN, R = TCP_RST, P = TCP_PSH,
    SA = TCP_SYN | TCP_ACK, PA = TCP_PSH | TCP_ACK, FA = TCP_FIN | TCP_ACK, RA = TCP_RST | TCP_ACK,
    NONE = 0x1000, /* a segment with no flag at all */
};
enum { ZERO_WIN = 1, GEN1 = 2 }; /* seg.opt bits: a zero window; the ISNs of a later connection */

struct seg {
    uint8_t dir;
    uint16_t flags;
    uint32_t seq, ack, len; /* relative to the sender's and the receiver's ISN */
    uint32_t after_ms;      /* since the previous segment; 0 means 1 ms */
    uint8_t opt;
};

struct scenario {
    const char *name;
    uint16_t sport;        /* the server's port; 0: 80 */
    int ip_version;        /* 0: 4 */
    struct seg segs[24];
    const char *zeek;      /* sessions ';'-separated, records '|'-separated, "state:history" */
};

#define HS {C2S, S, 0, 0, 0, 0, 0}, {S2C, SA, 0, 1, 0, 0, 0}, {C2S, A, 1, 1, 0, 0, 0}
#define CLOSE(cs, ss, g) {C2S, FA, cs, ss, 0, 0, g}, {S2C, FA, ss, (cs) + 1, 0, 0, g}, {C2S, A, (cs) + 1, (ss) + 1, 0, 0, g}

static const struct scenario scenarios[] = {
    {"data-only-one", 0, 0, {{C2S, PA, 1, 1, 100, 0, 0}}, "OTH:D"},
    {"data-only-two", 0, 0, {{C2S, PA, 1, 1, 100, 0, 0}, {C2S, PA, 101, 1, 100, 0, 0}}, "OTH:D"},
    {"data-both-ways", 0, 0,
     {{C2S, PA, 1, 1, 100, 0, 0}, {S2C, A, 1, 101, 0, 0, 0}, {S2C, PA, 1, 101, 50, 0, 0}, {C2S, A, 101, 51, 0, 0, 0}},
     "OTH:DadA"},
    {"bare-fin-mid-stream", 0, 0,
     {{C2S, PA, 1, 1, 100, 0, 0}, {S2C, A, 1, 101, 0, 0, 0}, {C2S, F, 101, 0, 0, 0, 0}, {S2C, FA, 1, 102, 0, 0, 0},
      {C2S, A, 102, 2, 0, 0, 0}},
     "SF:DaFfA"},
    {"bare-fin-only", 0, 0, {{C2S, F, 1, 0, 0, 0, 0}}, "SH:F"},
    {"flagless-data", 0, 0,
     {HS, {C2S, NONE, 1, 0, 50, 0, 0}, {S2C, A, 1, 51, 0, 0, 0}, CLOSE(51, 1, 0)}, "SF:ShADaFf"},
    {"flagless-only", 0, 0, {{C2S, NONE, 1, 0, 50, 0, 0}}, "OTH:D"},
    {"flagless-empty", 0, 0, {{C2S, NONE, 1, 0, 0, 0, 0}, {C2S, NONE, 1, 0, 0, 0, 0}}, "OTH:"},
    {"one-sided-client", 0, 0,
     {{C2S, S, 0, 0, 0, 0, 0}, {C2S, A, 1, 1, 0, 0, 0}, {C2S, PA, 1, 1, 100, 0, 0}, {C2S, FA, 101, 1, 0, 0, 0}},
     "SH:SADF"},
    {"one-sided-client-long", 0, 0,
     {{C2S, S, 0, 0, 0, 0, 0}, {C2S, A, 1, 1, 0, 0, 0}, {C2S, PA, 1, 1, 100, 0, 0}, {C2S, FA, 101, 1, 0, 6000, 0}},
     "S0:SAD|SH:F"},
    {"one-sided-server", 0, 0,
     {{S2C, SA, 0, 1, 0, 0, 0}, {S2C, PA, 1, 1, 100, 0, 0}, {S2C, FA, 101, 1, 0, 0, 0}}, "SHR:^hdf"},
    {"reuse-after-rst-2s", 0, 0,
     {HS, {C2S, PA, 1, 1, 10, 0, 0}, {C2S, R, 11, 0, 0, 0, 0}, {C2S, S, 0, 0, 0, 2000, GEN1}, {S2C, SA, 0, 1, 0, 0, GEN1},
      {C2S, A, 1, 1, 0, 0, GEN1}, CLOSE(1, 1, GEN1)},
     "RSTO:ShADR;SF:ShAFf"},
    {"reuse-after-rst-20s", 0, 0,
     {HS, {C2S, PA, 1, 1, 10, 0, 0}, {C2S, R, 11, 0, 0, 0, 0}, {C2S, S, 0, 0, 0, 20000, GEN1},
      {S2C, SA, 0, 1, 0, 0, GEN1}, {C2S, A, 1, 1, 0, 0, GEN1}, CLOSE(1, 1, GEN1)},
     "RSTO:ShADR;SF:ShAFf"},
    {"same-isn-after-rst", 0, 0,
     {HS, {S2C, RA, 1, 1, 0, 0, 0}, {C2S, S, 0, 0, 0, 1000, 0}, {S2C, RA, 0, 1, 0, 0, 0}}, "RSTR:ShAr|REJ:Sr"},
    {"stray-data-after-rst", 0, 0,
     {HS, {C2S, PA, 1, 1, 10, 0, 0}, {S2C, PA, 1, 11, 20, 0, 0}, {C2S, R, 11, 0, 0, 0, 0},
      {C2S, PA, 11, 21, 10, 16000, 0}, {S2C, R, 21, 0, 0, 0, 0}},
     "RSTO:ShADdR|RSTRH:Dr"},
    {"attempt-long", 0, 0,
     {{C2S, S, 0, 0, 0, 0, 0}, {C2S, S, 0, 0, 0, 1000, 0}, {C2S, S, 0, 0, 0, 2000, 0}, {C2S, S, 0, 0, 0, 4000, 0},
      {C2S, S, 0, 0, 0, 8000, 0}},
     "S0:S|S0:S|S0:S"},
    {"attempt-answered-late", 0, 0,
     {{C2S, S, 0, 0, 0, 0, 0}, {C2S, S, 0, 0, 0, 3000, 0}, {C2S, S, 0, 0, 0, 4000, 0}, {S2C, SA, 0, 1, 0, 10, 0},
      {C2S, A, 1, 1, 0, 0, 0}, {C2S, PA, 1, 1, 10, 0, 0}, CLOSE(11, 1, 0)},
     "S0:S|SF:ShADFf"},
    {"rst-in-handshake", 0, 0, {{C2S, S, 0, 0, 0, 0, 0}, {S2C, SA, 0, 1, 0, 0, 0}, {C2S, R, 1, 0, 0, 0, 0}}, "RSTO:ShR"},
    {"rst-ack-in-handshake", 0, 0, {{C2S, S, 0, 0, 0, 0, 0}, {S2C, SA, 0, 1, 0, 0, 0}, {C2S, RA, 1, 1, 0, 0, 0}},
     "RSTO:ShR"},
    {"refused", 0, 0, {{C2S, S, 0, 0, 0, 0, 0}, {S2C, RA, 0, 1, 0, 0, 0}}, "REJ:Sr"},
    {"simultaneous-open", 40002, 0,
     {{C2S, S, 0, 0, 0, 0, 0}, {S2C, S, 0, 0, 0, 0, 0}, {C2S, SA, 0, 1, 0, 0, 0}, {S2C, SA, 0, 1, 0, 0, 0},
      {C2S, A, 1, 1, 0, 0, 0}, CLOSE(1, 1, 0)},
     "S0:S|SF:ShafF"},
    {"simultaneous-close", 0, 0,
     {HS, {C2S, FA, 1, 1, 0, 0, 0}, {S2C, FA, 1, 1, 0, 0, 0}, {C2S, A, 2, 2, 0, 0, 0}, {S2C, A, 2, 2, 0, 0, 0}},
     "SF:ShAFfa"},
    {"syns-minutes-apart", 0, 0,
     {{C2S, S, 0, 0, 0, 0, 0}, {C2S, S, 0, 0, 0, 120000, 0}, {C2S, S, 0, 0, 0, 120000, 0}}, "S0:S|S0:S|S0:S"},
    {"mid-stream-close", 0, 0,
     {{C2S, PA, 1, 1, 10, 0, 0}, {S2C, PA, 1, 11, 20, 0, 0}, {C2S, FA, 11, 21, 0, 0, 0}, {S2C, FA, 21, 12, 0, 0, 0},
      {C2S, A, 12, 22, 0, 0, 0}},
     "SF:DdFfA"},
    {"syn-with-data", 0, 0, {{C2S, S, 0, 0, 20, 0, 0}, {S2C, SA, 0, 21, 0, 0, 0}, {C2S, A, 21, 1, 0, 0, 0},
                             CLOSE(21, 1, 0)}, "SF:SThAFf"},
    {"syn-with-data-on-reuse", 0, 0,
     {HS, {C2S, R, 1, 0, 0, 0, 0}, {C2S, S, 0, 0, 20, 1000, GEN1}, {S2C, SA, 0, 21, 0, 0, GEN1},
      {C2S, A, 21, 1, 0, 0, GEN1}},
     "RSTO:ShAR;S1:SThA"},
    {"synack-first", 0, 0,
     {{S2C, SA, 0, 1, 0, 0, 0}, {C2S, A, 1, 1, 0, 0, 0}, {C2S, PA, 1, 1, 10, 0, 0}, {S2C, A, 1, 11, 0, 0, 0},
      CLOSE(11, 1, 0)},
     "SF:^hADaFf"},
    {"rst-only", 0, 0, {{C2S, R, 1, 0, 0, 0, 0}}, "OTH:R"},
    {"rst-ack-twice", 0, 0, {{C2S, RA, 1, 1, 0, 0, 0}, {C2S, RA, 1, 1, 0, 0, 0}}, "OTH:R"},
    {"fin-then-rst-by-server", 0, 0,
     {HS, {C2S, PA, 1, 1, 10, 0, 0}, {S2C, FA, 1, 11, 0, 0, 0}, {C2S, A, 11, 2, 0, 0, 0}, {S2C, R, 2, 0, 0, 0, 0}},
     "RSTR:ShADfr"},
    {"zero-window", 0, 0,
     {HS, {C2S, PA, 1, 1, 10, 0, 0}, {S2C, A, 1, 11, 0, 0, ZERO_WIN}, {C2S, PA, 1, 1, 10, 0, 0}, CLOSE(11, 1, 0)},
     "SF:ShADawTFf"},
    {"ipv6-full", 0, 6, {HS, {C2S, PA, 1, 1, 10, 0, 0}, {S2C, PA, 1, 11, 10, 0, 0}, CLOSE(11, 11, 0)}, "SF:ShADdFf"},
    {"server-opens-after-close", 0, 0,
     {HS, CLOSE(1, 1, 0), {S2C, S, 0, 0, 0, 500, GEN1}, {C2S, SA, 0, 1, 0, 0, GEN1}, {S2C, A, 1, 1, 0, 0, GEN1}},
     "SF:ShAFf;S1:ShA"},
    {"synack-moves-base", 0, 0,
     {{C2S, S, 0, 0, 0, 0, 0}, {S2C, SA, 0, 1, 0, 0, 0}, {S2C, SA, 4096, 1, 0, 0, 0}, {S2C, S, 4096, 0, 0, 0, 0}},
     "S1:Sh|S0:S"},
    {"silent-side-base", 0, 0,
     {{C2S, A, 1, 1, 0, 0, 0}, {S2C, S, 0, 0, 0, 0, 0}, {S2C, S, 4096, 0, 0, 0, 0}}, "OTH:A|S0:S;S0:S"},
    {"data-then-syn-same-base", 0, 0, {{C2S, PA, 1, 1, 10, 0, 0}, {C2S, S, 0, 0, 0, 0, 0}}, "S0:DS"},
    {"unlikely-ports-synack-ack", 40002, 0,
     {{S2C, SA, 0, 1, 0, 0, 0}, {C2S, A, 1, 1, 0, 0, 0}, {C2S, PA, 1, 1, 10, 0, 0}}, "OTH:^hAD"},
};

static int fail(const char *what, const char *path)
{
    fprintf(stderr, "mkpeers: %s: %s: %s\n", what, path, errno ? strerror(errno) : "failed");
    return 1;
}

/* Writes one segment of the conversation between client:cport and server:sport. */
static void put(struct pcap_file_writer *w, int64_t ts, int ipv, int cport, int sport, const uint32_t isn[2],
                const struct seg *g)
{
    static const char *addr4[2] = {"192.0.2.10", "198.51.100.20"}, *addr6[2] = {"2001:db8::10", "2001:db8::20"};
    const char **addr = ipv == 6 ? addr6 : addr4;
    bool c2s = g->dir == C2S;
    uint16_t flags = g->flags == NONE ? 0 : g->flags;
    uint8_t ip[70000], frame[70100], opts[20];
    struct pkt_spec s = {
        .ip_version = ipv,
        .src = addr[!c2s], .dst = addr[c2s],
        .sport = (uint16_t)(c2s ? cport : sport), .dport = (uint16_t)(c2s ? sport : cport),
        .seq = isn[!c2s] + g->seq,
        .ack = (flags & TCP_ACK) ? isn[c2s] + g->ack : 0,
        .flags = flags,
        .window = (g->opt & ZERO_WIN) ? 0 : 64240,
        .payload_len = g->len,
    };
    if (flags & TCP_SYN) {
        s.options = opts;
        s.options_len = pkt_syn_options(opts, 7, flags & TCP_ACK ? 7 : 0);
    }
    size_t n = pkt_build_ip(&s, ip, sizeof ip);
    size_t m = n ? pkt_wrap(LINK_ETHERNET, ip, n, frame, sizeof frame, 0, false) : 0;
    if (m)
        pcapw_write(w, ts, frame, (uint32_t)m, (uint32_t)m);
}

static int write_scenario(const char *dir, const struct scenario *sc, int index)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.pcap", dir, sc->name);
    struct pcap_file_writer w;
    if (pcapw_open(&w, path, LINK_ETHERNET, false, 262144) != 0)
        return fail("cannot create", path);
    int64_t ts = TS0 + (int64_t)index * 1000 * MS;
    for (size_t i = 0; i < sizeof sc->segs / sizeof sc->segs[0] && sc->segs[i].flags; i++) {
        const struct seg *g = &sc->segs[i];
        /* Generation 1 has other ISNs: a new connection on the same 4-tuple. */
        uint32_t isn[2] = {(g->opt & GEN1) ? 0x60000000u : 0x10000000u, (g->opt & GEN1) ? 0x70000000u : 0x20000000u};
        ts += (g->after_ms ? g->after_ms : 1) * MS;
        put(&w, ts, sc->ip_version ? sc->ip_version : 4, 40000 + index, sc->sport ? sc->sport : 80, isn, g);
    }
    return pcapw_close(&w) != 0 ? fail("cannot write", path) : 0;
}

/* ---- the zoo: random conversations ------------------------------------------------------------ */

static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

static uint16_t random_flags(uint32_t r)
{
    static const uint16_t pick[] = {S, SA, A, PA, PA, PA, FA, F, R, RA, A, NONE, P, S | F, F | R | A, PA | F};
    return pick[r % (sizeof pick / sizeof pick[0])];
}

/* Gaps between segments: mostly short, now and then past one of Zeek's timers. */
static uint32_t random_gap_ms(uint32_t r)
{
    static const uint32_t gaps[] = {1, 1, 2, 5, 20, 200, 4000, 6000, 61000, 301000};
    return gaps[r % 64 < 54 ? r % 4 : 4 + r % 6];
}

/* A conversation: a sensible life (handshake, data, close) with random flaws: segments
 * dropped (one direction, or at random), flags changed, RSTs, gaps, reuse with a new ISN or
 * the same one. */
static void zoo_conversation(struct pcap_file_writer *w, int64_t *ts, uint32_t *rnd, int k)
{
    uint32_t isn[2] = {next_random(rnd) * 7919u, next_random(rnd) * 104729u};
    uint32_t seq[2] = {0, 0};
    int drop_dir = next_random(rnd) % 5 == 0 ? (int)(next_random(rnd) % 2) : -1;
    int sport = next_random(rnd) % 3 ? 80 : 30000 + (int)(next_random(rnd) % 2000);
    int cport = 20000 + k, n = 3 + (int)(next_random(rnd) % 12);
    bool skip_handshake = next_random(rnd) % 6 == 0;
    for (int i = 0; i < n; i++) {
        struct seg g = {0};
        uint32_t r = next_random(rnd);
        if (i < 3 && !skip_handshake) {
            g = (struct seg){(uint8_t)(i == 1), i == 0 ? S : i == 1 ? SA : A, 0, 0, 0, 0, 0};
            g.seq = i == 2 ? 1 : 0;
            g.ack = i == 0 ? 0 : 1;
        } else {
            g.dir = (uint8_t)(r % 2);
            g.flags = r % 3 ? (r % 5 ? PA : A) : random_flags(r >> 4);
            g.len = (g.flags & (TCP_SYN | TCP_FIN | TCP_RST)) || g.flags == A ? 0 : 1 + r % 200;
            g.seq = 1 + seq[g.dir];
            g.ack = 1 + seq[!g.dir];
        }
        if (i >= 3 && next_random(rnd) % 23 == 0) { /* a new connection on the 4-tuple */
            if (next_random(rnd) % 2)
                isn[0] += 0x01000000u;
            g = (struct seg){C2S, S, 0, 0, 0, 0, 0};
            seq[0] = seq[1] = 0;
        }
        uint32_t chaos = next_random(rnd);
        if (chaos % 11 == 0) /* any mix of flags, as scanners and broken stacks send */
            g.flags = (uint16_t)((chaos >> 8) & 0x3f) ? (uint16_t)((chaos >> 8) & 0x3f) : NONE;
        if (chaos % 17 == 0) /* a sequence or acknowledgement number out of nowhere */
            g.seq = next_random(rnd) << 8;
        if (chaos % 19 == 0)
            g.ack = next_random(rnd) << 8;
        g.after_ms = random_gap_ms(next_random(rnd));
        if ((int)g.dir == drop_dir || next_random(rnd) % 13 == 0)
            continue; /* not captured */
        if (!(g.flags & TCP_SYN))
            seq[g.dir] += g.len + !!(g.flags & TCP_FIN);
        *ts += (int64_t)g.after_ms * MS;
        put(w, *ts, k % 7 == 6 ? 6 : 4, cport, sport, isn, &g);
    }
}

static int write_zoo(const char *dir, uint32_t seed, int conversations)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/zoo.pcap", dir);
    struct pcap_file_writer w;
    if (pcapw_open(&w, path, LINK_ETHERNET, false, 262144) != 0)
        return fail("cannot create", path);
    uint32_t rnd = seed;
    int64_t ts = TS0 + 100000LL * 1000 * MS;
    /* Conversations one after the other; timestamps always grow, as in a real capture. */
    for (int k = 0; k < conversations; k++)
        zoo_conversation(&w, &ts, &rnd, k);
    return pcapw_close(&w) != 0 ? fail("cannot write", path) : 0;
}

static int write_expect(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/zeek-expect.json", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return fail("cannot create", path);
    fputs("{\n", f);
    size_t n = sizeof scenarios / sizeof scenarios[0];
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  \"%s.pcap\": \"%s\"%s\n", scenarios[i].name, scenarios[i].zeek, i + 1 < n ? "," : "");
    fputs("}\n", f);
    return fclose(f) != 0 ? fail("cannot write", path) : 0;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 4) {
        fputs("usage: mkpeers DIR [SEED N]\n", stderr);
        return 2;
    }
    uint32_t seed = argc == 4 ? (uint32_t)strtoul(argv[2], NULL, 10) : 14;
    int n = argc == 4 ? atoi(argv[3]) : 600;
    errno = 0;
    if (mkdir(argv[1], 0777) != 0 && errno != EEXIST)
        return fail("cannot create", argv[1]);
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
        if (write_scenario(argv[1], &scenarios[i], (int)i) != 0)
            return 1;
    if (write_zoo(argv[1], seed, n > 0 && n < 20000 ? n : 600) != 0)
        return 1;
    return write_expect(argv[1]);
}
