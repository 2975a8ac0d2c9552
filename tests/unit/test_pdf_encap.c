/* test_pdf_encap.c — tunnels, encapsulations and interfaces in the PDF (render/pdf/pdf_encap.c):
 * the first page counts the sessions per encapsulation and lists a pcapng file's interfaces;
 * the session page names the path of each direction, once when both read alike. Captures are
 * built with the encapsulation cases of tests/support/pktencap.c; the text is read back with
 * pdftotext, in English and in Chinese. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capbuild.h"
#include "capture.h"
#include "pdf_writer.h"
#include "pktbuild.h"
#include "pktencap.h"
#include "scratch.h"

/* In the suite "pdf" (test_pdf.c, whose .init makes the scratch folder): see
 * test_pdf_layers.c on why not one of its own. */

static const struct { int dir; uint16_t flags; uint32_t seq, ack, len; } script[PKT_CLASSIC_SEGMENTS] = {
    {PKT_C2S, TCP_SYN, 0, 0, 0},          {PKT_S2C, TCP_SYN | TCP_ACK, 0, 1, 0},
    {PKT_C2S, TCP_ACK, 1, 1, 0},          {PKT_C2S, TCP_PSH | TCP_ACK, 1, 1, 100},
    {PKT_S2C, TCP_ACK, 1, 101, 0},        {PKT_S2C, TCP_PSH | TCP_ACK, 1, 101, 200},
    {PKT_C2S, TCP_ACK, 101, 201, 0},      {PKT_C2S, TCP_FIN | TCP_ACK, 101, 201, 0},
    {PKT_S2C, TCP_ACK, 201, 102, 0},      {PKT_S2C, TCP_FIN | TCP_ACK, 201, 102, 0},
    {PKT_C2S, TCP_ACK, 102, 202, 0},
};

static const struct pkt_encap_case *encap_case(const char *name)
{
    for (size_t i = 0; i < pkt_encap_n_cases; i++)
        if (strcmp(pkt_encap_cases[i].name, name) == 0)
            return &pkt_encap_cases[i];
    cr_assert_fail("no case %s", name);
    return NULL;
}

/* The classic conversation in case `name`, each direction as it travels, written to path. */
static void write_encapsulated(const char *path, const char *name)
{
    const struct pkt_encap_case *c = encap_case(name);
    struct pkt_flow f = {
        .linktype = LINK_RAW, .ip_version = c->inner_version,
        .client = c->inner_version == 6 ? "2001:db8::10" : "10.0.0.10",
        .server = c->inner_version == 6 ? "2001:db8::20" : "10.0.0.20",
        .cport = 40000, .sport = 80, .cisn = 1000, .sisn = 5000,
    };
    struct pcap_file_writer w;
    cr_assert_eq(pcapw_open(&w, path, c->linktype, false, 262144), 0);
    for (int i = 0; i < PKT_CLASSIC_SEGMENTS; i++) {
        uint8_t ip[512];
        struct pkt_frame fr;
        struct pkt_encap_expect e;
        size_t n = pkt_flow_frame(&f, script[i].dir, script[i].flags, script[i].seq, script[i].ack, script[i].len,
                                  ip, sizeof ip);
        size_t len = pkt_encap_build_as(c, ip, n, script[i].dir == PKT_S2C, 0, &fr, &e);
        cr_assert_gt(len, 0);
        pcapw_write(&w, 1700000000000000000LL + i * 1000000LL, pkt_frame_data(&fr), (uint32_t)len, (uint32_t)len);
    }
    cr_assert_eq(pcapw_close(&w), 0);
}

/* The text of the PDF of capture path in lang, whitespace collapsed to single spaces. */
static char *pdf_text_of(const char *path, const char *lang)
{
    struct capture_report *r = NULL;
    char err[512] = "";
    cr_assert_eq(capture_analyze(path, NULL, &r, err, sizeof err), 0, "%s", err);
    struct pdf_options opt = {.templates_dir = "templates", .lang = lang, .tool_version = "test"};
    char pdf[600];
    snprintf(pdf, sizeof pdf, "%s.%s.pdf", path, lang);
    FILE *f = fopen(pdf, "wb");
    cr_assert_not_null(f, "%s", pdf);
    cr_assert_eq(pdf_write_report(f, r, &opt, err, sizeof err), 0, "%s", err);
    cr_assert_eq(fclose(f), 0);
    capture_report_free(r);
    char *t = scratch_run("pdftotext -raw '%s' - | tr -s ' \\n\\f' '   '", pdf);
    return t;
}

#define expect_text(text, needle) cr_expect(strstr((text), (needle)) != NULL, "missing \"%s\" in %s", (needle), (text))

Test(pdf, a_tunnel_is_named_on_the_session_page_and_counted_on_the_first)
{
    const char *path = scratch_path("vxlan.pcap");
    write_encapsulated(path, "vxlan");
    char *t = pdf_text_of(path, "en");
    expect_text(t, "Tunnels 1 of the 1 session travelled encapsulated: 1 in VXLAN");
    expect_text(t, "Tunnels and encapsulation Both directions travelled in VXLAN VNI 5001 between 192.0.2.1 and "
                   "192.0.2.2.");
    free(t);
    t = pdf_text_of(path, "zh");
    expect_text(t, "1 个会话中有 1 个经过封装传输：VXLAN 1 个");
    expect_text(t, "两个方向都经过192.0.2.1 与 192.0.2.2 之间的 VXLAN，VNI 5001。");
    free(t);
}

Test(pdf, directions_that_differ_are_named_each)
{
    /* GTP-U: each end chooses the TEID it receives on; nested GRE and VXLAN read alike. */
    const char *path = scratch_path("gtpu.pcap");
    write_encapsulated(path, "gtpu");
    char *t = pdf_text_of(path, "en");
    expect_text(t, "Client to server: GTP-U TEID 3735928559 between 192.0.2.1 and 192.0.2.2.");
    expect_text(t, "Server to client: GTP-U TEID 195948557 between 192.0.2.1 and 192.0.2.2.");
    free(t);
    path = scratch_path("gre-vxlan.pcap");
    write_encapsulated(path, "gre-vxlan");
    t = pdf_text_of(path, "en");
    expect_text(t, "1 in GRE, 1 in VXLAN");
    expect_text(t, "Both directions travelled in GRE between 192.0.2.1 and 192.0.2.2, key 7; inside it, VXLAN VNI 99");
    free(t);
    path = scratch_path("erspan2.pcap");
    write_encapsulated(path, "erspan2");
    t = pdf_text_of(path, "en");
    expect_text(t, "Both directions travelled in an ERSPAN mirror copy from 192.0.2.1 to 192.0.2.2, session 300.");
    free(t);
}

Test(pdf, an_untunnelled_capture_says_nothing_of_tunnels)
{
    const char *path = scratch_path("plain.pcap");
    struct pkt_flow f = {.linktype = LINK_ETHERNET, .ip_version = 4, .client = "10.0.0.1", .server = "10.0.0.2",
                         .cport = 40000, .sport = 80, .cisn = 1, .sisn = 2};
    struct pcap_file_writer w;
    cr_assert_eq(pcapw_open(&w, path, LINK_ETHERNET, false, 262144), 0);
    pkt_flow_classic(&w, &f, 1700000000000000000LL, 1000000);
    cr_assert_eq(pcapw_close(&w), 0);
    char *t = pdf_text_of(path, "en");
    cr_expect(strstr(t, "Tunnels") == NULL, "%s", t);
    expect_text(t, "Format pcap, link type EN10MB (DLT 1), timestamps to the microsecond");
    free(t);
}

Test(pdf, interfaces_of_a_pcapng_file_are_listed)
{
    struct capbuild c;
    cb_init(&c);
    cb_shb(&c, false);
    cb_idb_name(&c, LINK_ETHERNET, 262144, "eth0");
    cb_idb(&c, 113, 1500, -1, 0);
    const char *path = scratch_path("two.pcapng");
    cr_assert_eq(cb_write_file(&c, path), 0);
    cb_free(&c);
    char *t = pdf_text_of(path, "en");
    expect_text(t, "Format pcapng, 2 interfaces: eth0: EN10MB (DLT 1), LINUX_SLL (DLT 113); timestamps to the");
    free(t);
    t = pdf_text_of(path, "zh");
    expect_text(t, "pcapng，2 个接口：eth0：EN10MB（DLT 1）、LINUX_SLL（DLT 113）；时间戳精确到");
    free(t);
}
