/* capture_fixtures.c — captures for the capture_analyze() tests (capture_fixtures.h). */
#define _GNU_SOURCE /* popen */
#include <criterion/criterion.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture_fixtures.h"
#include "classify.h"
#include "pktbuild.h"
#include "scratch.h"

const struct pkt_flow classic_flow = {
    .linktype = LINK_ETHERNET, .ip_version = 4, .client = "192.0.2.1", .server = "198.51.100.2",
    .cport = 56952, .sport = 80, .cisn = 310736074u, .sisn = 491778611u,
};

struct pkt_flow flow_for(int linktype, int ip_version, int vlan_tags, bool be_af)
{
    struct pkt_flow f = classic_flow;
    f.linktype = linktype;
    f.ip_version = ip_version;
    f.vlan_tags = vlan_tags;
    f.big_endian_af = be_af;
    if (ip_version == 6) {
        f.client = "2001:db8::1";
        f.server = "2001:db8::2";
    }
    return f;
}

void write_classic(const char *path, const struct pkt_flow *f, bool nanosecond, int64_t ts0)
{
    struct pcap_file_writer w;
    cr_assert_eq(pcapw_open(&w, path, f->linktype, nanosecond, 262144), 0, "cannot create %s", path);
    cr_assert_eq(pkt_flow_classic(&w, f, ts0, STEP_NS), PKT_CLASSIC_SEGMENTS);
    cr_assert_eq(pcapw_close(&w), 0);
}

void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

struct capture_report *analyze_ok(const char *path, const struct capture_options *opt)
{
    struct capture_report *r = NULL;
    char err[512] = "";
    int rc = capture_analyze(path, opt, &r, err, sizeof err);
    cr_assert_eq(rc, 0, "capture_analyze(%s) failed: %s", path, err);
    cr_assert_not_null(r);
    return r;
}

/* Asserts that capture_analyze fails and that its message names the file. */
void analyze_fails(const char *path, const struct capture_options *opt, const char *must_contain)
{
    struct capture_report *r = (struct capture_report *)1;
    char err[512] = "";
    int rc = capture_analyze(path, opt, &r, err, sizeof err);
    cr_assert_eq(rc, -1, "capture_analyze(%s) returned %d", path, rc);
    cr_assert_null(r, "*out must be NULL on failure");
    cr_assert(strstr(err, path) != NULL, "message does not name the file: \"%s\"", err);
    if (must_contain)
        cr_assert(strstr(err, must_contain) != NULL, "message lacks \"%s\": \"%s\"", must_contain, err);
}

const struct capture_warning *find_warning(const struct capture_report *r, const char *code)
{
    for (size_t i = 0; i < r->n_warnings; i++)
        if (strcmp(r->warnings[i].code, code) == 0)
            return &r->warnings[i];
    return NULL;
}

uint64_t outcome_sum(const struct capture_report *r)
{
    uint64_t n = 0;
    for (int o = 0; o < DECODE_OUTCOMES; o++)
        n += r->counts.by_outcome[o];
    return n;
}

/* The SHA-256 and size of a file by another route: sha256sum(1) and stat(2). */
void assert_fingerprint(const struct capture_report *r, const char *path)
{
    char cmd[512], want[128] = "";
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    cr_assert_eq(fscanf(p, "%64s", want), 1);
    cr_assert_eq(pclose(p), 0);
    cr_assert_str_eq(r->sha256, want, "sha256 of %s", path);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(r->size_bytes, (uint64_t)st.st_size, "size_bytes %llu, file has %lld",
                 (unsigned long long)r->size_bytes, (long long)st.st_size);
}

/* The classic session, as every link type must report it. */
void assert_classic(const struct capture_report *r, int ip_version, const char *what)
{
    cr_assert_eq(r->counts.total, PKT_CLASSIC_SEGMENTS, "%s: total %llu", what, (unsigned long long)r->counts.total);
    cr_assert_eq(r->counts.by_outcome[DECODE_TCP], PKT_CLASSIC_SEGMENTS, "%s: tcp %llu", what,
                 (unsigned long long)r->counts.by_outcome[DECODE_TCP]);
    cr_assert_eq(r->n_warnings, 0, "%s: warning %s", what, r->n_warnings ? r->warnings[0].message : "");
    cr_assert_eq(r->n_sessions, 1, "%s: %zu sessions", what, r->n_sessions);
    cr_assert_eq(r->bad_checksums, 0, "%s: bad checksums", what);
    const struct session *s = capture_session(r, 0, NULL);
    cr_assert_eq(s->ip_version, ip_version, "%s", what);
    cr_assert_eq(s->side[ROLE_CLIENT].port, 56952, "%s", what);
    cr_assert_eq(s->side[ROLE_SERVER].port, 80, "%s", what);
    cr_assert_eq(s->side[ROLE_CLIENT].isn, 310736074u, "%s", what);
    cr_assert_eq(s->side[ROLE_SERVER].isn, 491778611u, "%s", what);
    cr_assert_eq(s->side[ROLE_CLIENT].payload_bytes, 100, "%s", what);
    cr_assert_eq(s->side[ROLE_SERVER].payload_bytes, 200, "%s", what);
    cr_assert_eq(s->handshake, HANDSHAKE_NORMAL, "%s: handshake %s", what, handshake_class_name(s->handshake));
    cr_assert_eq(s->teardown, TEARDOWN_FOUR_WAY, "%s: teardown %s", what, teardown_class_name(s->teardown));
    cr_assert_eq(s->anomalies, 0, "%s: anomalies 0x%x", what, s->anomalies);
}

/* Offset of the 1-based record `packet` in a little-endian classic pcap file. */
long record_offset(const char *path, int packet)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    long off = 24;
    for (int i = 1; i < packet; i++) {
        uint8_t h[16];
        cr_assert_eq(fseek(f, off, SEEK_SET), 0);
        cr_assert_eq(fread(h, 1, 16, f), 16);
        off += 16 + (long)((uint32_t)h[8] | (uint32_t)h[9] << 8 | (uint32_t)h[10] << 16 | (uint32_t)h[11] << 24);
    }
    fclose(f);
    return off;
}
