/* test_pdf_archive.c — reports that last and reports in Chinese: the date (SOURCE_DATE_EPOCH,
 * else the capture, never the clock), the provenance in the document information and on the
 * first page, the /ID computed from the bytes, PDF/A-1b (every font embedded, XMP, output
 * intent), the Chinese wording read back with pdftotext, how a continued template line joins
 * Chinese text, and that an incomplete or over-complete translation is refused. The full
 * PDF/A rule check (tests/pdfa_check.py), the page images and the command line are in
 * tests/lang.sh. */
#define _GNU_SOURCE /* popen, mkdtemp */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture.h"
#include "pdf_wording.h" /* pdf_wording_schema */
#include "pdf_templates.h"
#include "pdf_writer.h"
#include "scratch.h"
#include "sha256.h"

static void setup(void) { scratch_create("pcap2report-archive"); }

TestSuite(archive, .init = setup, .fini = scratch_remove, .timeout = 120);

#define expect_text(text, ...)                                                          \
    do {                                                                                \
        char needle_[512];                                                              \
        snprintf(needle_, sizeof needle_, __VA_ARGS__);                                 \
        cr_expect(strstr((text), needle_) != NULL, "missing \"%s\" in:\n%s", needle_, (text)); \
    } while (0)

static struct capture_report *analyze(const char *path)
{
    struct capture_report *r = NULL;
    char err[256];
    cr_assert_eq(capture_analyze(path, NULL, &r, err, sizeof err), 0, "%s: %s", path, err);
    return r;
}

static void render(const char *pdf, const struct capture_report *r, const struct pdf_options *opt)
{
    char err[512] = "";
    FILE *f = fopen(pdf, "wb");
    cr_assert_not_null(f, "%s", pdf);
    cr_assert_eq(pdf_write_report(f, r, opt, err, sizeof err), 0, "pdf_write_report: %s", err);
    cr_assert_eq(fclose(f), 0);
}

static const struct pdf_options en = {
    .templates_dir = "templates", .lang = "en", .tool_version = "9.8.7", .idle_timeout_s = 300,
};

/* ---- date and provenance -------------------------------------------------------------------- */

Test(archive, the_date_is_source_date_epoch_else_the_first_packet)
{
    struct capture_report *r = analyze("samples/four-way.pcap");
    const char *a = scratch_path("capture-date.pdf"), *b = scratch_path("epoch.pdf");
    render(a, r, &en);
    struct pdf_options o = en;
    o.have_source_date = true;
    o.source_date = 1700000000; /* 2023-11-14 22:13:20 UTC */
    render(b, r, &o);
    char *info = scratch_run("TZ=UTC pdfinfo '%s'; TZ=UTC pdfinfo '%s'", a, b);
    /* first packet 1795502213.171963: rounded down to the second */
    expect_text(info, "CreationDate:    Tue Nov 24 06:36:53 2026 UTC");
    expect_text(info, "ModDate:         Tue Nov 24 06:36:53 2026 UTC");
    expect_text(info, "CreationDate:    Tue Nov 14 22:13:20 2023 UTC");
    free(info);
    char *text = scratch_run("pdftotext -raw -l 1 '%s' - | tr -s ' \\n' '  '", b);
    expect_text(text, "Date 2023-11-14 22:13:20 UTC: SOURCE_DATE_EPOCH when it is set");
    free(text);

    /* SOURCE_DATE_EPOCH equal to the capture's second: the same bytes. */
    o.source_date = 1795502213;
    render(b, r, &o);
    char *same = scratch_run("cmp '%s' '%s' && echo same", a, b);
    expect_text(same, "same");
    free(same);
    capture_report_free(r);
}

Test(archive, no_packets_and_no_epoch_means_no_date)
{
    /* A pcap header without packets. */
    static const unsigned char header[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
                                             0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0};
    const char *cap = scratch_path("empty.pcap"), *pdf = scratch_path("empty.pdf");
    FILE *f = fopen(cap, "wb");
    cr_assert_not_null(f);
    fwrite(header, 1, sizeof header, f);
    fclose(f);
    struct capture_report *r = analyze(cap);
    render(pdf, r, &en);
    char *info = scratch_run("pdfinfo '%s'", pdf);
    cr_expect_null(strstr(info, "CreationDate"), "%s", info);
    free(info);
    char *text = scratch_run("pdftotext -raw -l 1 '%s' - | tr -s ' \\n' '  '", pdf);
    expect_text(text, "Date none: the capture has no packet");
    free(text);
    capture_report_free(r);
}

Test(archive, the_document_says_what_made_it)
{
    struct capture_report *r = analyze("samples/merged-fin.pcap");
    const char *pdf = scratch_path("prov.pdf");
    struct pdf_options o = en;
    o.filter = "tcp port 9003 and host 192.0.2.1";
    o.max_sessions = 7;
    o.absolute_seq = true;
    render(pdf, r, &o);
    char *info = scratch_run("pdfinfo '%s'", pdf);
    expect_text(info, "Creator:         pcap2report 9.8.7");
    expect_text(info, "Producer:        pcap2report 9.8.7 with libharu 2.3.0");
    expect_text(info, "Keywords:        pcap2report 9.8.7; schema pcap2report " PCAP2REPORT_SCHEMA_VERSION "; input SHA-256 %s; "
                      "options --filter 'tcp port 9003 and host 192.0.2.1' --max-sessions 7 "
                      "--idle-timeout 300 --lang en --max-diagrams 50 --absolute-seq", r->sha256);
    free(info);
    char *text = scratch_run("pdftotext -raw -l 1 '%s' - | tr -s ' \\n' '  '", pdf);
    expect_text(text, "This report Made by pcap2report 9.8.7, report schema " PCAP2REPORT_SCHEMA_VERSION " Options");
    expect_text(text, "--filter 'tcp port 9003 and host 192.0.2.1' --max-sessions 7 --idle-timeout 300");
    expect_text(text, "SHA-256 %s", r->sha256);
    free(text);
    capture_report_free(r);
}

/* The /ID of a file, and the SHA-256 of the file with its /ID strings replaced by zeros. */
static void id_and_content_hash(const char *path, char id[33], char hash[65])
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    char *p = NULL;
    for (char *q = buf; (q = memmem(q, (size_t)(buf + n - q), "/ID [ <", 7)); q++)
        p = q;
    cr_assert_not_null(p, "no /ID");
    p += 7;
    memcpy(id, p, 32);
    id[32] = '\0';
    cr_assert_eq(memcmp(p + 32, "> <", 3), 0);
    cr_assert_eq(memcmp(p + 35, id, 32), 0, "the two /ID strings differ");
    memset(p, '0', 32);
    memset(p + 35, '0', 32);
    struct sha256 h;
    sha256_init(&h);
    sha256_update(&h, buf, (size_t)n);
    sha256_final_hex(&h, hash);
    free(buf);
}

Test(archive, the_id_is_the_hash_of_the_content)
{
    struct capture_report *r = analyze("samples/four-way.pcap");
    const char *a = scratch_path("id-a.pdf"), *b = scratch_path("id-b.pdf");
    render(a, r, &en);
    struct pdf_options o = en;
    o.lang = "zh";
    render(b, r, &o);
    char ida[33], idb[33], ha[65], hb[65];
    id_and_content_hash(a, ida, ha);
    id_and_content_hash(b, idb, hb);
    for (int i = 0; i < 32; i++) {
        ha[i] = (char)(ha[i] >= 'a' ? ha[i] - 'a' + 'A' : ha[i]);
        hb[i] = (char)(hb[i] >= 'a' ? hb[i] - 'a' + 'A' : hb[i]);
    }
    cr_expect_eq(memcmp(ida, ha, 32), 0, "/ID %s, content %.32s", ida, ha);
    cr_expect_eq(memcmp(idb, hb, 32), 0, "/ID %s, content %.32s", idb, hb);
    cr_expect_neq(strcmp(ida, idb), 0, "different documents, same /ID");
    capture_report_free(r);
}

/* ---- PDF/A ---------------------------------------------------------------------------------- */

Test(archive, pdfa_embeds_every_font_and_says_it_is_pdfa)
{
    struct capture_report *r = analyze("samples/merged-fin.pcap");
    for (int zh = 0; zh < 2; zh++) {
        const char *pdf = scratch_path(zh ? "pdfa-zh.pdf" : "pdfa-en.pdf");
        struct pdf_options o = en;
        o.pdfa = true;
        o.lang = zh ? "zh" : "en";
        render(pdf, r, &o);
        /* pdffonts: the fifth column says whether a font is embedded. */
        char *fonts = scratch_run("pdffonts '%s' | tail -n +3", pdf);
        cr_expect(strlen(fonts) > 0);
        for (char *line = strtok(fonts, "\n"); line; line = strtok(NULL, "\n"))
            cr_expect(strstr(line, " yes yes yes ") != NULL, "not embedded: %s", line);
        free(fonts);
        char *meta = scratch_run("pdfinfo -meta '%s'; pdfinfo '%s'", pdf, pdf);
        expect_text(meta, "<pdfaid:part>1</pdfaid:part>");
        expect_text(meta, "<pdfaid:conformance>B</pdfaid:conformance>");
        expect_text(meta, "<xmp:CreateDate>2026-11-24T06:36:55+00:00</xmp:CreateDate>");
        expect_text(meta, "PDF version:     1.4");
        expect_text(meta, "input SHA-256 %s", r->sha256);
        free(meta);
        char *intent = scratch_run("qpdf --show-object=trailer '%s' >/dev/null && qpdf --qdf --object-streams=disable "
                           "'%s' - | grep -a -c -e '/S /GTS_PDFA1' -e '/DestOutputProfile [0-9]' -e '/Subtype /XML'"
                           " -e '/CIDSet [0-9]'", pdf, pdf);
        cr_expect_geq(atoi(intent), 3 + 3, "output intent, metadata and CIDSets: %s", intent);
        free(intent);
    }
    capture_report_free(r);
}

Test(archive, metadata_escapes_what_xml_cannot_hold)
{
    struct capture_report *r = analyze("samples/four-way.pcap");
    char name[] = "a&b<c>\"q\".pcap", *own = r->file_name;
    r->file_name = name;
    const char *pdf = scratch_path("escape.pdf");
    struct pdf_options o = en;
    o.pdfa = true;
    render(pdf, r, &o);
    char *meta = scratch_run("pdfinfo -meta '%s'", pdf);
    expect_text(meta, "TCP sessions in a&amp;b&lt;c&gt;&quot;q&quot;.pcap");
    free(meta);
    char *xml = scratch_run("pdfinfo -meta '%s' | python3 -c 'import sys, xml.dom.minidom; "
                    "xml.dom.minidom.parseString(sys.stdin.buffer.read()); print(\"well-formed\")'", pdf);
    expect_text(xml, "well-formed");
    free(xml);
    r->file_name = own;
    capture_report_free(r);
}

/* ---- Chinese -------------------------------------------------------------------------------- */

Test(archive, chinese_report_reads_back_in_chinese)
{
    struct capture_report *r = analyze("samples/merged-fin.pcap");
    const char *pdf = scratch_path("zh.pdf");
    struct pdf_options o = en;
    o.lang = "zh";
    render(pdf, r, &o);
    char *text = scratch_run("pdftotext '%s' - 2>&1 | tr -d ' \\n'", pdf);
    static const char *const phrases[] = {
        "TCP会话报告", "抓包文件", "会话一览", "三次握手", "为什么是三次而不是两次", "主动关闭方",
        "被动关闭方", "延迟确认", "为什么只有三个报文段而不是四个", "TIME-WAIT要等待2MSL",
        "最长报文段寿命（MSL）", "原因有两个", "FIN-WAIT-1", "LAST-ACK", "merged-fin", "初始序号",
        "第2页，共2页", "生成工具", "怎样读这张图",
    };
    for (size_t i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
        expect_text(text, "%s", phrases[i]);
    cr_expect_null(strstr(text, "\xef\xbf\xbd"), "a replacement character");
    cr_expect_null(strstr(text, "Syntax Warning"), "poppler complains: %s", text);
    /* No English sentence: the wording's words all come from zh.txt. */
    cr_expect_null(strstr(text, "Handshake"), "English wording in the Chinese report");
    cr_expect_null(strstr(text, "TIME-WAITlasts"), "English wording in the Chinese report");
    free(text);
    char *fonts = scratch_run("pdffonts '%s'", pdf);
    expect_text(fonts, "WenQuanYiZenHei");
    free(fonts);
    capture_report_free(r);
}

Test(archive, chinese_lines_never_start_with_closing_punctuation)
{
    struct capture_report *r = analyze("samples/four-way.pcap");
    const char *pdf = scratch_path("kinsoku.pdf");
    struct pdf_options o = en;
    o.lang = "zh";
    render(pdf, r, &o);
    /* -raw keeps each drawn line a line of its own. */
    char *bad = scratch_run("pdftotext -raw '%s' - | grep -c '^[，。、：；）」』】》]' || true", pdf);
    cr_expect_eq(atoi(bad), 0, "%s lines start with closing punctuation", bad);
    free(bad);
    capture_report_free(r);
}

/* ---- templates ------------------------------------------------------------------------------ */

Test(archive, every_language_file_is_complete)
{
    char *langs = scratch_run("ls templates/*.txt | sed 's|templates/||; s|\\.txt$||'");
    int n = 0;
    for (char *lang = strtok(langs, "\n"); lang; lang = strtok(NULL, "\n"), n++) {
        char err[512] = "";
        struct pdf_templates *t = pdf_templates_load("templates", lang, pdf_wording_schema,
                                                     pdf_wording_schema_len, err, sizeof err);
        cr_expect_not_null(t, "%s: %s", lang, err);
        pdf_templates_free(t);
    }
    cr_expect_geq(n, 2, "en and zh at least");
    free(langs);
}

Test(archive, a_translation_missing_or_adding_a_key_is_refused)
{
    char *ok = scratch_run("sed '/^anomaly.isn-zero/,/^anomaly.final-ack/{/^anomaly.final-ack/!d}' templates/zh.txt > '%s' && "
                   "cat templates/zh.txt > '%s' && printf 'anomaly.made-up = 无\\n' >> '%s' && echo ok",
                   scratch_path("less.txt"), scratch_path("more.txt"), scratch_path("more.txt"));
    free(ok);
    char err[512] = "";
    struct pdf_templates *t = pdf_templates_load(scratch_dir(), "less", pdf_wording_schema, pdf_wording_schema_len,
                                                 err, sizeof err);
    cr_expect_null(t);
    expect_text(err, "missing key 'anomaly.isn-zero'");
    pdf_templates_free(t);
    t = pdf_templates_load(scratch_dir(), "more", pdf_wording_schema, pdf_wording_schema_len, err, sizeof err);
    cr_expect_null(t);
    expect_text(err, "unknown key 'anomaly.made-up'");
    pdf_templates_free(t);
}

static const struct tpl_key_spec join_schema[] = {{"a", "x"}, {"b", ""}, {"c", ""}, {"d", ""}, {"e", "x"}};

Test(archive, a_continued_line_joins_chinese_without_a_space)
{
    FILE *f = fopen(scratch_path("j.txt"), "w");
    cr_assert_not_null(f);
    fputs("a = 客户端先关闭，\n    {x}进入\n    FIN-WAIT-1 状态\n"
          "b = 中文\n    中文\n"
          "c = English\n    words\n"
          "d = 한국어\n    문장\n"
          "# a comment\n"
          "e = packets #{x} and\n    #{x}: a continued line may start with '#'\n", f);
    fclose(f);
    char err[256] = "", out[256];
    struct pdf_templates *t = pdf_templates_load(scratch_dir(), "j", join_schema, 5, err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    cr_expect_str_eq(pdf_templates_format(t, "a", TPL_ARGS({"x", "服务器"}), out, sizeof out),
                     "客户端先关闭，服务器进入 FIN-WAIT-1 状态");
    cr_expect_str_eq(pdf_templates_get(t, "b"), "中文中文");
    cr_expect_str_eq(pdf_templates_get(t, "c"), "English words");
    cr_expect_str_eq(pdf_templates_get(t, "d"), "한국어 문장"); /* Korean keeps its spaces */
    cr_expect_str_eq(pdf_templates_format(t, "e", TPL_ARGS({"x", "3"}), out, sizeof out),
                     "packets #3 and #3: a continued line may start with '#'");
    pdf_templates_free(t);
}
