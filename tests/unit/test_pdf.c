/* test_pdf.c — the PDF report as a reader meets it: page count, bookmarks and the words on the
 * pages (read back with poppler's pdfinfo, pdftohtml and pdftotext), for the samples and for
 * hand-made sessions; the diagram cap on a 10,000-session capture, with its time and memory;
 * identical bytes from identical input; failures that leave no file behind; and the template
 * loader's checks. */
#define _GNU_SOURCE /* popen, mkdtemp */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "convo.h"
#include "pdf_wording.h" /* pdf_wording_schema, for the template tests */
#include "pdf_templates.h"
#include "pdf_writer.h"
#include "pktbuild.h"
#include "scratch.h"

/* ---- helpers -------------------------------------------------------------------------------- */

static void setup(void) { scratch_create("pcap2report-pdf"); }

TestSuite(pdf, .init = setup, .fini = scratch_remove, .timeout = 120);

static int page_count(const char *pdf)
{
    char *info = scratch_run("pdfinfo '%s' 2>/dev/null", pdf);
    const char *p = strstr(info, "Pages:");
    cr_assert_not_null(p, "pdfinfo shows no page count");
    int n = atoi(p + 6);
    free(info);
    return n;
}

/* The text of pages first..last in content order (pdftotext -raw), whitespace collapsed to
 * single spaces so a test need not know where lines wrap. */
static char *page_text(const char *pdf, int first, int last)
{
    char *t = scratch_run("pdftotext -raw -f %d -l %d '%s' - 2>/dev/null", first, last, pdf);
    char *w = t;
    bool space = false;
    for (const char *r = t; *r; r++) {
        if (*r == ' ' || *r == '\n' || *r == '\t' || *r == '\f' || *r == '\r') {
            space = true;
            continue;
        }
        if (space && w != t)
            *w++ = ' ';
        space = false;
        *w++ = *r;
    }
    *w = '\0';
    return t;
}

/* The bookmarks, as pdftohtml lists them: one "<item page=...>title</item>" each. */
static char *outline_xml(const char *pdf)
{
    char *xml = scratch_run("pdftohtml -xml -stdout -i -q '%s'", pdf);
    char *start = strstr(xml, "<outline>");
    char *out = strdup(start ? start : "");
    free(xml);
    return out;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

#define expect_text(text, ...)                                                          \
    do {                                                                                \
        char needle_[512];                                                              \
        snprintf(needle_, sizeof needle_, __VA_ARGS__);                                 \
        cr_expect(strstr((text), needle_) != NULL, "missing \"%s\"", needle_);          \
    } while (0)

static const struct pdf_options default_options = {
    .templates_dir = "templates", .lang = "en", .tool_version = "test",
};

static struct capture_report *analyze(const char *path)
{
    struct capture_report *r = NULL;
    char err[256];
    cr_assert_eq(capture_analyze(path, NULL, &r, err, sizeof err), 0, "%s: %s", path, err);
    return r;
}

/* pdf_write_report into a file made here and removed when it fails, as the program's
 * outfile.h does for it. */
static int write_pdf(const char *path, const struct capture_report *r, const struct pdf_options *opt, char *err,
                     size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = pdf_write_report(f, r, opt, err, errlen);
    if (fclose(f) != 0 && rc == 0)
        rc = -1;
    if (rc != 0)
        remove(path);
    return rc;
}

static void render(const char *pdf, const struct capture_report *r, const struct pdf_options *opt)
{
    char err[256] = "";
    cr_assert_eq(write_pdf(pdf, r, opt, err, sizeof err), 0, "pdf_write_report: %s", err);
}

/* ---- the samples ---------------------------------------------------------------------------- */

/* Each sample's report: one summary page plus the session pages, one bookmark per session, and
 * what its pages must say. */
static const struct sample_case {
    const char *file;
    int pages;
    int sessions;
    const char *page2[6];
} samples[] = {
    {"four-way", 2, 1, {"Handshake: normal", "Close: four-way", "the classic four segments", "FIN-WAIT-2",
                        "Who waits in TIME-WAIT", "2 MSL"}},
    {"merged-fin", 2, 1, {"Close: merged-fin", "delayed ACK", "rode on its FIN", "[F.]", "LAST-ACK", "TIME-WAIT"}},
    {"transfer-1mb", 2, 1, {"segments not drawn", "server → client:", "bytes of data", "Close: merged-fin",
                            "[P.]", "ESTABLISHED"}},
    {"ipv6", 2, 1, {"IPv6", "[2001:", "Handshake: normal", "Close: four-way", "SYN-RECEIVED", "CLOSE-WAIT"}},
    {"reuse", 6, 5, {"Session 1", "Close: merged-fin", "TIME-WAIT", NULL}},
    {"rst-client", 2, 1, {"Close: rst", "The client ended the connection with a RST", "[R", "no TIME-WAIT",
                          NULL}},
    {"rst-server", 2, 1, {"Close: rst", "The server ended the connection with a RST", "[R", NULL}},
    {"refused", 2, 1, {"Handshake: refused", "answered with a RST", "nothing to close", "[R.]", "SYN-SENT", NULL}},
};

Test(pdf, samples_have_a_page_and_a_bookmark_per_session)
{
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        const struct sample_case *c = &samples[i];
        char path[256];
        snprintf(path, sizeof path, "samples/%s.pcap", c->file);
        struct capture_report *r = analyze(path);
        const char *pdf = scratch_path("sample.pdf");
        render(pdf, r, &default_options);

        cr_expect_eq(page_count(pdf), c->pages, "%s: %d pages", c->file, page_count(pdf));
        char *outline = outline_xml(pdf);
        /* Capture summary, Sessions table, Session diagrams, then one per session. */
        cr_expect_eq(count(outline, "<item"), 3 + c->sessions, "%s: bookmarks %s", c->file, outline);
        expect_text(outline, "<item page=\"2\">1: ");

        char *first = page_text(pdf, 1, 1);
        expect_text(first, "TCP session report");
        expect_text(first, "%s.pcap", c->file);
        expect_text(first, "%s", r->sha256);
        expect_text(first, "Sessions by handshake class");
        expect_text(first, "Sessions by close class");
        const struct session *s = capture_session(r, 0, NULL);
        expect_text(first, "%s %s", handshake_class_name(s->handshake), teardown_class_name(s->teardown));

        char *second = page_text(pdf, 2, 2);
        for (size_t k = 0; k < 6 && c->page2[k]; k++)
            expect_text(second, "%s", c->page2[k]);
        /* The acknowledgement checks, with the numbers of this capture. */
        for (uint32_t k = 0; k < s->n_checks; k++) {
            const struct session_check *chk = &s->checks[k];
            cr_expect(chk->pass, "%s: check %s", c->file, chk->name);
            if (strcmp(chk->name, "synack-ack") == 0)
                expect_text(second, "SYN/ACK ack = %u = client ISN + 1", chk->actual);
            else if (strcmp(chk->name, "final-ack") == 0)
                expect_text(second, "ACK ack = %u = server ISN + 1", chk->actual);
            else
                expect_text(second, "FIN = %u = FIN seq %u + 1", chk->actual, chk->expected - 1);
        }
        free(first);
        free(second);
        free(outline);
        capture_report_free(r);
    }
}

Test(pdf, arrows_are_labelled_as_tcpdump_prints_them)
{
    struct capture_report *r = analyze("samples/four-way.pcap");
    const struct session *s = capture_session(r, 0, NULL);
    const char *pdf = scratch_path("fw.pdf");
    render(pdf, r, &default_options);
    char *text = page_text(pdf, 2, 2);
    expect_text(text, "[S] seq 0, win ");
    expect_text(text, "[S.] seq 0, ack 1, win ");
    expect_text(text, "[.] ack 1, win ");
    expect_text(text, "options [mss ");
    expect_text(text, "[F.] seq ");
    expect_text(text, "ISN %u", s->side[ROLE_CLIENT].isn);
    for (const char *st = "SYN-SENT"; st; st = NULL)
        expect_text(text, "%s", st);
    free(text);

    /* On request, absolute numbers. */
    struct pdf_options abs = default_options;
    abs.absolute_seq = true;
    render(pdf, r, &abs);
    text = page_text(pdf, 2, 2);
    expect_text(text, "[S] seq %u, win ", s->side[ROLE_CLIENT].isn);
    expect_text(text, "[S.] seq %u, ack %u, win ", s->side[ROLE_SERVER].isn, s->side[ROLE_CLIENT].isn + 1);
    expect_text(text, "absolute sequence numbers");
    free(text);
    capture_report_free(r);
}

Test(pdf, session_filter_picks_the_diagrams)
{
    struct capture_report *r = analyze("samples/reuse.pcap");
    struct pdf_options opt = default_options;
    opt.session_filter = "2,4-5";
    const char *pdf = scratch_path("filtered.pdf");
    render(pdf, r, &opt);
    cr_expect_eq(page_count(pdf), 4);
    char *outline = outline_xml(pdf);
    cr_expect_eq(count(outline, "<item"), 3 + 3, "%s", outline);
    expect_text(outline, ">2: ");
    expect_text(outline, ">4: ");
    expect_text(outline, ">5: ");
    cr_expect_null(strstr(outline, ">1: "));
    char *text = page_text(pdf, 1, 1);
    expect_text(text, "the sessions you picked (2,4-5): 3 of the 5 sessions");
    expect_text(text, "connection 2 on this pair");
    free(text);
    text = page_text(pdf, 2, 2);
    expect_text(text, "Session 2, connection 2 on this address pair");
    free(text);
    free(outline);

    /* A list that is not one leaves no file behind. */
    opt.session_filter = "2,x";
    const char *bad = scratch_path("bad-filter.pdf");
    char err[256] = "";
    cr_expect_eq(write_pdf(bad, r, &opt, err, sizeof err), -1);
    expect_text(err, "2,x");
    cr_expect_neq(access(bad, F_OK), 0);
    capture_report_free(r);
}

Test(pdf, failures_are_reported_not_crashed)
{
    struct capture_report *r = analyze("samples/four-way.pcap");
    char err[256] = "";
    /* A full disk: the system's reason, alone (the caller names its file). */
    FILE *full = fopen("/dev/full", "wb");
    cr_assert_not_null(full);
    cr_expect_eq(pdf_write_report(full, r, &default_options, err, sizeof err), -1);
    expect_text(err, "No space left on device");
    fclose(full);

    struct pdf_options opt = default_options;
    opt.lang = "xx";
    err[0] = '\0';
    cr_expect_eq(write_pdf(scratch_path("xx.pdf"), r, &opt, err, sizeof err), -1);
    expect_text(err, "xx.txt");
    opt.lang = "../en";
    cr_expect_eq(write_pdf(scratch_path("up.pdf"), r, &opt, err, sizeof err), -1);
    capture_report_free(r);
}

Test(pdf, a_font_libharu_rejects_ends_in_an_error)
{
    /* libharu raises the error deep inside (not a TrueType collection): the error handler's
     * longjmp must free everything and leave no file. */
    char *out = scratch_run("sed 's|^@font.regular = .*|@font.regular = ttc %s/not-a-font.ttc 0|' "
                    "templates/en.txt > '%s' && head -c 4096 /dev/zero > '%s/not-a-font.ttc' && echo ok",
                    scratch_dir(), scratch_path("broken.txt"), scratch_dir());
    free(out);
    struct capture_report *r = analyze("samples/four-way.pcap");
    struct pdf_options opt = default_options;
    opt.templates_dir = scratch_dir();
    opt.lang = "broken";
    char err[256] = "";
    const char *pdf = scratch_path("broken.pdf");
    cr_expect_eq(write_pdf(pdf, r, &opt, err, sizeof err), -1);
    expect_text(err, "libharu error");
    cr_expect_neq(access(pdf, F_OK), 0);
    capture_report_free(r);
}

Test(pdf, an_empty_capture_still_has_its_first_page)
{
    const char *capture = scratch_path("empty.pcap");
    struct pcap_file_writer w;
    cr_assert_eq(pcapw_open(&w, capture, LINK_ETHERNET, false, 262144), 0);
    cr_assert_eq(pcapw_close(&w), 0);
    struct capture_report *r = analyze(capture);
    const char *pdf = scratch_path("empty.pdf");
    render(pdf, r, &default_options);
    cr_expect_eq(page_count(pdf), 1);
    char *text = page_text(pdf, 1, 1);
    expect_text(text, "The capture contains no TCP session.");
    expect_text(text, "no packets");
    free(text);
    capture_report_free(r);
}

Test(pdf, same_input_same_bytes)
{
    struct capture_report *r = analyze("samples/merged-fin.pcap");
    const char *a = scratch_path("a.pdf"), *b = scratch_path("b.pdf");
    render(a, r, &default_options);
    sleep(1); /* a clock in the output would now differ */
    render(b, r, &default_options);
    char *same = scratch_run("cmp '%s' '%s' && echo same", a, b);
    expect_text(same, "same");
    free(same);
    /* No clock: the date is the first packet's (SOURCE_DATE_EPOCH in tests/lang.sh). */
    char *info = scratch_run("TZ=UTC pdfinfo '%s'", a);
    expect_text(info, "CreationDate:    Tue Nov 24 06:36:55 2026 UTC");
    free(info);
    capture_report_free(r);
}

/* ---- hand-made sessions --------------------------------------------------------------------- */

/* A report around a convo table, as capture_analyze would fill it. */
static void report_of(struct convo *cv, struct capture_report *r)
{
    memset(r, 0, sizeof *r);
    r->path = r->file_name = "hand-made.pcap";
    r->format = "pcap";
    strcpy(r->link_name, "EN10MB");
    r->link_type = 1;
    r->ts_digits = 6;
    r->table = cv->table;
    r->n_sessions = session_table_count(cv->table);
    for (size_t i = 0; i < r->n_sessions; i++) {
        const struct session *s = session_table_get(cv->table, i, NULL);
        r->handshake_counts[s->handshake]++;
        r->teardown_counts[s->teardown]++;
        r->ipv6_sessions += s->ip_version == 6;
        r->zeek_records += 1 + (uint64_t)s->n_zeek_more;
        r->zeek_split_sessions += s->n_zeek_more != 0;
        for (int a = 0; a < ANOMALIES; a++)
            r->anomaly_counts[a] += session_has_anomaly(s, (enum anomaly)a);
        if (!i || s->first_ts < r->first_ts)
            r->first_ts = s->first_ts;
        if (s->last_ts > r->last_ts)
            r->last_ts = s->last_ts;
    }
    r->have_packets = r->n_sessions > 0;
}

#define A TCP_ACK
#define F (TCP_FIN | TCP_ACK)
#define P (TCP_PSH | TCP_ACK)

Test(pdf, a_wrong_ack_and_a_retransmission_stand_out)
{
    struct convo cv;
    convo_init(&cv, 6);
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_send(&cv, S2C, TCP_SYN | TCP_ACK, 5000, 1002, 0); /* should be 1001 */
    convo_send(&cv, C2S, A, 1001, 5001, 0);
    convo_send(&cv, C2S, P, 1001, 5001, 100);
    convo_send(&cv, C2S, P, 1001, 5001, 100); /* retransmitted */
    convo_send(&cv, S2C, A, 5001, 1101, 0);
    convo_send(&cv, C2S, F, 1101, 5001, 0);
    convo_send(&cv, S2C, F, 5001, 1102, 0);
    convo_send(&cv, C2S, A, 1102, 5002, 0);
    convo_finish(&cv, 0);
    struct capture_report r;
    report_of(&cv, &r);
    r.path = r.file_name = "caf\xe9 \xc3\xa9t\xc3\xa9.pcap"; /* a Latin-1 byte, then UTF-8 */

    const char *pdf = scratch_path("hand.pdf");
    render(pdf, &r, &default_options);
    char *text = page_text(pdf, 1, 1);
    expect_text(text, "caf? \xc3\xa9t\xc3\xa9.pcap");
    free(text);
    text = page_text(pdf, 2, 3);
    expect_text(text, "SYN/ACK ack = 1002, but client ISN + 1 = 1001");
    expect_text(text, "ACK ack = 5001 = server ISN + 1");
    expect_text(text, "wrong ack");      /* the tag on the SYN/ACK's arrow */
    expect_text(text, "retransmission"); /* the tag on the repeated segment */
    expect_text(text, "bad-ack");
    expect_text(text, "Close: merged-fin");
    expect_text(text, "[2001:db8::1]:40000");
    free(text);
    convo_free(&cv);
}

Test(pdf, long_timelines_continue_on_more_pages)
{
    struct convo cv;
    convo_init(&cv, 4);
    convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    for (int i = 0; i < 60; i++) /* 61 SYNs: every one is kept and drawn */
        convo_send(&cv, C2S, TCP_SYN, 1000, 0, 0);
    convo_finish(&cv, 0);
    struct capture_report r;
    report_of(&cv, &r);
    const struct session *s = capture_session(&r, 0, NULL);
    cr_assert_gt(s->n_events, 50);

    const char *pdf = scratch_path("long.pdf");
    render(pdf, &r, &default_options);
    int pages = page_count(pdf);
    cr_expect_geq(pages, 4, "%d pages", pages);
    char *text = page_text(pdf, 2, pages);
    expect_text(text, "Session 1 (continued)");
    /* Every kept segment has its packet number in the margin. */
    for (uint32_t i = 0; i < s->n_events; i++)
        expect_text(text, "#%llu ", (unsigned long long)s->events[i].packet);
    free(text);
    convo_free(&cv);
}

/* ---- 10,000 sessions ------------------------------------------------------------------------ */

static void write_mixed_capture(const char *path, unsigned sessions)
{
    struct pcap_file_writer w;
    cr_assert_eq(pcapw_open(&w, path, LINK_ETHERNET, false, 262144), 0);
    cr_assert_eq(pkt_gen_mixed(&w, LINK_ETHERNET, sessions, 2, 1700000000LL * 1000000000LL, NULL), 0);
    cr_assert_eq(pcapw_close(&w), 0);
}

#if !defined(__SANITIZE_ADDRESS__) /* ASan's shadow memory makes peak sizes meaningless */
static long max_rss_kb(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

/* How much rendering raised the process's peak memory, in KB, measured in a child process so
 * that each run starts from its own peak. */
static long render_growth_kb(const char *capture, const char *pdf)
{
    int fd[2];
    cr_assert_eq(pipe(fd), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        struct capture_report *r = NULL;
        char err[256];
        long growth = -1;
        if (capture_analyze(capture, NULL, &r, err, sizeof err) == 0) {
            long before = max_rss_kb();
            if (write_pdf(pdf, r, &default_options, err, sizeof err) == 0)
                growth = max_rss_kb() - before;
        }
        if (write(fd[1], &growth, sizeof growth) != sizeof growth)
            _exit(1);
        _exit(0);
    }
    long growth = -1;
    cr_assert_eq(read(fd[0], &growth, sizeof growth), (ssize_t)sizeof growth);
    waitpid(pid, NULL, 0);
    close(fd[0]);
    close(fd[1]);
    return growth;
}
#endif

Test(pdf, ten_thousand_sessions_stay_within_the_diagram_and_table_caps)
{
    const char *capture = scratch_path("10k.pcap");
    write_mixed_capture(capture, 10000);
    struct capture_report *r = analyze(capture);
    cr_assert_eq(r->n_sessions, 10000);

    const char *pdf = scratch_path("10k.pdf");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    render(pdf, r, &default_options);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    cr_expect_lt(seconds, 20.0, "rendering took %.2f s", seconds);

    /* 50 diagrams (the default cap), each session of this capture one page, and the table of
     * the first PDF_TABLE_MAX_ROWS (5,000) sessions. */
    char *outline = outline_xml(pdf);
    int table_pages = count(outline, ">Sessions ") - 1; /* "Sessions table" plus one per page */
    cr_expect_gt(table_pages, 100);
    cr_expect_lt(table_pages, 150);
    cr_expect_eq(count(outline, "<item") - 3 - table_pages, 50, "session bookmarks");
    cr_expect_eq(page_count(pdf), table_pages + 50);
    free(outline);

    char *first = page_text(pdf, 1, 1);
    expect_text(first, "10,000 TCP sessions");
    expect_text(first, "Diagram pages were drawn for 50 of the 10,000 sessions");
    expect_text(first, "The other 9,950 sessions have no diagram (grey numbers in this table)");
    expect_text(first, "--sessions 51-100");
    free(first);
    /* The table stops at its cap, counts the rest and points to the JSON. */
    char *last = page_text(pdf, table_pages, table_pages);
    expect_text(last, "5,000 ");
    expect_text(last, "This table lists the first 5,000 of the 10,000 sessions; the other 5,000 are in the "
                      "JSON report, which lists every session.");
    cr_expect_null(strstr(last, "5,001 "), "the row after the cap is not drawn");
    free(last);
    capture_report_free(r);

#if !defined(__SANITIZE_ADDRESS__)
    /* Memory: what rendering adds grows with the table rows only, not with diagrams. A
     * diagram page costs tens of KB, so drawing every session would show at once. */
    const char *small = scratch_path("2k.pcap");
    write_mixed_capture(small, 2000);
    long g_small = render_growth_kb(small, scratch_path("2k.pdf"));
    long g_big = render_growth_kb(capture, scratch_path("10k-again.pdf"));
    cr_assert_geq(g_small, 0);
    cr_assert_geq(g_big, 0);
    double per_session = (double)(g_big - g_small) * 1024.0 / 8000.0;
    cr_log_info("rendering raised peak memory by %ld KB (2,000 sessions) and %ld KB (10,000)", g_small, g_big);
    cr_expect_lt(per_session, 4096.0, "render memory grows %.0f bytes per session (%ld KB, %ld KB)",
                 per_session, g_small, g_big);
    cr_expect_lt(g_big, 96 * 1024, "rendering 10,000 sessions took %ld KB", g_big);
#endif
}

/* ---- templates ------------------------------------------------------------------------------ */

Test(pdf, english_templates_are_complete)
{
    char err[256] = "";
    struct pdf_templates *t = pdf_templates_load("templates", "en", pdf_wording_schema,
                                                 pdf_wording_schema_len, err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    pdf_templates_free(t);
}

static const struct tpl_key_spec tiny_schema[] = {
    {"@encoding", ""}, {"a", "n name"}, {"b", ""},
};

static struct pdf_templates *load_text(const char *text, char *err, size_t errlen)
{
    FILE *f = fopen(scratch_path("t.txt"), "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return pdf_templates_load(scratch_dir(), "t", tiny_schema, 3, err, errlen);
}

Test(pdf, templates_fill_placeholders_and_plurals)
{
    char err[256] = "", out[256];
    struct pdf_templates *t = load_text("# comment\n@encoding = UTF-8\n"
                                        "a = {n} {n|segment|segments} from {name},\n"
                                        "    {{literal}}\\nnext line\n"
                                        "b = plain\n", err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    pdf_templates_format(t, "a", TPL_ARGS({"n", "1"}, {"name", "x"}), out, sizeof out);
    cr_expect_str_eq(out, "1 segment from x, {literal}\nnext line");
    pdf_templates_format(t, "a", TPL_ARGS({"n", "12"}, {"name", "y"}), out, sizeof out);
    cr_expect_str_eq(out, "12 segments from y, {literal}\nnext line");
    pdf_templates_format(t, "a", TPL_ARGS({"n", "3"}), out, sizeof out);
    cr_expect_str_eq(out, "3 segments from {name}, {literal}\nnext line"); /* a missing value shows */
    pdf_templates_format(t, "a", TPL_ARGS({"n", "3"}, {"name", "z"}), out, 8);
    cr_expect_str_eq(out, "3 segme"); /* truncated, terminated */
    cr_expect_str_eq(pdf_templates_get(t, "@encoding"), "UTF-8");
    pdf_templates_free(t);
}

Test(pdf, templates_name_what_is_wrong)
{
    static const struct {
        const char *text, *message;
    } cases[] = {
        {"@encoding = x\na = 1\n", "missing key 'b'"},
        {"@encoding = x\na = 1\nb = 2\nc = 3\n", "t.txt:4: unknown key 'c'"},
        {"@encoding = x\na = {count}\nb = 2\n", "t.txt:2: 'a' uses {count}; it may use: n name"},
        {"@encoding = x\na = 1\nb = {n}\n", "'b' uses {n}; it may use: no placeholders"},
        {"@encoding = x\na = {n|one}\nb = 2\n", "{n|one|other}"},
        {"@encoding = x\na = {n\nb = 2\n", "unclosed"},
        {"@encoding = x\na = 1\na = 2\nb = 3\n", "'a' is defined twice"},
        {"@encoding = x\n\n  a = 1\n", "continues no entry"},
        {"@encoding = x\na 1\n", "expected 'key = text'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "";
        struct pdf_templates *t = load_text(cases[i].text, err, sizeof err);
        cr_expect_null(t, "case %zu loaded", i);
        pdf_templates_free(t);
        cr_expect(strstr(err, cases[i].message) != NULL, "case %zu: \"%s\" lacks \"%s\"", i, err,
                  cases[i].message);
    }
}
