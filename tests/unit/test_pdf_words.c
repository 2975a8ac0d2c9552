/* test_pdf_words.c — render/pdf/pdf_words.c on its own: how the PDFs write counts, durations,
 * times, endpoints and anomaly lists, that a string stays valid for the next
 * PDF_WORDS_BUFFERS - 1 calls, and that a file name of any bytes becomes valid UTF-8. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "capture.h"
#include "pdf_templates.h"
#include "pdf_wording.h"
#include "pdf_words.h"

/* In the suite "pdf" (test_pdf.c): with a suite of their own, Criterion 2.4.1's runner leaked
 * 48 bytes under -j2 in most runs (LeakSanitizer, make test-sanitize). */

static struct pdf_templates *english(void)
{
    char err[256] = "";
    struct pdf_templates *t = pdf_templates_load("templates", "en", pdf_wording_schema,
                                                 pdf_wording_schema_len, err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    return t;
}

static struct pdf_words *words_new(struct pdf_templates *t)
{
    struct pdf_words *w = malloc(sizeof *w);
    cr_assert_not_null(w);
    pdf_words_init(w, t);
    return w;
}

Test(pdf, counts_are_grouped_by_the_template)
{
    struct pdf_templates *t = english();
    struct pdf_words *w = words_new(t);
    cr_expect_str_eq(pdf_format_count(w, 0), "0");
    cr_expect_str_eq(pdf_format_count(w, 999), "999");
    cr_expect_str_eq(pdf_format_count(w, 1000), "1,000");
    cr_expect_str_eq(pdf_format_count(w, 1048576), "1,048,576");
    cr_expect_str_eq(pdf_format_count(w, UINT64_MAX), "18,446,744,073,709,551,615");
    cr_expect_str_eq(pdf_format_u32(w, 606026523), "606026523"); /* sequence numbers: never grouped */
    free(w);
    pdf_templates_free(t);
}

Test(pdf, durations_keep_three_digits_and_change_unit)
{
    struct pdf_templates *t = english();
    struct pdf_words *w = words_new(t);
    static const struct {
        int64_t ns;
        const char *text;
    } cases[] = {
        {0, "0 ns"}, {500, "500 ns"}, {129000, "129 \xc2\xb5s"}, {1234000, "1.23 ms"},
        {999499, "999 \xc2\xb5s"}, {999500, "1.00 ms"}, {4930000000LL, "4.93 s"},
        {61000000000LL, "61.0 s"}, {125000000000LL, "2 min 05 s"}, {10920000000000LL, "3 h 02 min"},
        {-1500, "-1.50 \xc2\xb5s"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_str_eq(pdf_format_duration(w, cases[i].ns), cases[i].text, "%lld ns", (long long)cases[i].ns);
    free(w);
    pdf_templates_free(t);
}

Test(pdf, times_follow_the_capture_resolution)
{
    struct pdf_templates *t = english();
    struct pdf_words *w = words_new(t);
    int64_t ns = 1700000000123456789LL; /* 2023-11-14 22:13:20.123456789 UTC */
    cr_expect_str_eq(pdf_format_utc(w, ns, 6), "2023-11-14 22:13:20.123456");
    cr_expect_str_eq(pdf_format_utc(w, ns, 9), "2023-11-14 22:13:20.123456789");
    cr_expect_str_eq(pdf_format_utc(w, -1, 6), "1969-12-31 23:59:59.999999");
    cr_expect_str_eq(pdf_format_clock(w, ns, 6), "22:13:20.123456");
    cr_expect_str_eq(pdf_format_clock(w, ns, 9), "22:13:20.123456789");
    cr_expect_str_eq(pdf_format_offset(w, 129000), "+0.000129");
    cr_expect_str_eq(pdf_format_offset(w, -1000000000), "-1.000000");
    free(w);
    pdf_templates_free(t);
}

Test(pdf, endpoints_as_tcpdump_writes_them)
{
    struct pdf_templates *t = english();
    struct pdf_words *w = words_new(t);
    char err[256];
    struct capture_report *v4 = NULL, *v6 = NULL;
    cr_assert_eq(capture_analyze("samples/four-way.pcap", NULL, &v4, err, sizeof err), 0, "%s", err);
    cr_assert_eq(capture_analyze("samples/ipv6.pcap", NULL, &v6, err, sizeof err), 0, "%s", err);
    cr_expect_str_eq(pdf_format_endpoint(w, capture_session(v4, 0, NULL), ROLE_CLIENT), "127.0.0.1:60912");
    cr_expect_str_eq(pdf_format_endpoint(w, capture_session(v4, 0, NULL), ROLE_SERVER), "127.0.0.1:9001");
    cr_expect_str_eq(pdf_format_endpoint(w, capture_session(v6, 0, NULL), ROLE_CLIENT), "[2001:db8::1]:55856");
    cr_expect_str_eq(pdf_format_endpoint(w, capture_session(v6, 0, NULL), ROLE_SERVER), "[2001:db8::2]:9012");
    capture_report_free(v4);
    capture_report_free(v6);
    free(w);
    pdf_templates_free(t);
}

Test(pdf, anomalies_are_listed_up_to_a_limit)
{
    struct pdf_templates *t = english();
    struct pdf_words *w = words_new(t);
    struct session s;
    memset(&s, 0, sizeof s);
    s.anomalies = 1u << ANOMALY_RETRANSMISSION | 1u << ANOMALY_BAD_ACK | 1u << ANOMALY_BAD_CHECKSUM;
    cr_expect_str_eq(pdf_format_anomalies(w, &s, 3), "retransmission, bad-ack, bad-checksum");
    const char *two = pdf_format_anomalies(w, &s, 1);
    cr_expect(strncmp(two, "retransmission ", 15) == 0 && strstr(two, "2"), "\"%s\"", two);
    s.anomalies = 0;
    cr_expect_str_eq(pdf_format_anomalies(w, &s, 3), "");
    free(w);
    pdf_templates_free(t);
}

Test(pdf, a_string_lives_for_the_next_calls)
{
    struct pdf_templates *t = english();
    struct pdf_words *w = words_new(t);
    const char *first = pdf_fmt(w, "%s", "kept");
    for (int i = 0; i < PDF_WORDS_BUFFERS - 1; i++)
        pdf_fmt(w, "%d", i);
    cr_expect_str_eq(first, "kept");
    cr_expect_str_eq(T(w, "footer.right", {"page", "2"}, {"pages", "7"}), "page 2 of 7");
    free(w);
    pdf_templates_free(t);
}

Test(pdf, file_names_become_valid_utf8)
{
    char out[32];
    pdf_valid_utf8("caf\xc3\xa9.pcap", out, sizeof out);
    cr_expect_str_eq(out, "caf\xc3\xa9.pcap");
    pdf_valid_utf8("a\xff" "b", out, sizeof out);
    cr_expect_str_eq(out, "a\xef\xbf\xbd" "b");
    pdf_valid_utf8("\xc0\xaf", out, sizeof out); /* an overlong '/' */
    cr_expect_str_eq(out, "\xef\xbf\xbd\xef\xbf\xbd");
    pdf_valid_utf8("ab\xe4\xbc\x9a", out, 5); /* no room for the whole character: left out */
    cr_expect_str_eq(out, "ab");
}
