/* test_pdf_select.c — render/pdf/pdf_select.c on its own: a session filter picks the sessions
 * it names (bounded by the diagram cap, counting what it named), a malformed filter is refused
 * with a sentence, without a filter the sessions that show something new come first, and the
 * table of diagram pages the driver fills is found by session index. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "capture.h"
#include "pdf_select.h"

/* In the suite "pdf" (test_pdf.c): with a suite of their own, Criterion 2.4.1's runner leaked
 * 48 bytes under -j2 in most runs (LeakSanitizer, make test-sanitize). */

static struct capture_report *analyze(const char *path)
{
    struct capture_report *r = NULL;
    char err[256];
    cr_assert_eq(capture_analyze(path, NULL, &r, err, sizeof err), 0, "%s: %s", path, err);
    return r;
}

/* reuse.pcap: five connections on one address pair, all normal and merged-fin. */
Test(pdf, a_filter_names_the_sessions)
{
    struct capture_report *r = analyze("samples/reuse.pcap");
    char err[256] = "";
    struct pdf_selection sel;
    memset(&sel, 0, sizeof sel);
    cr_assert_eq(pdf_select_sessions(&sel, r, "2, 4-5", false, 50, err, sizeof err), 0, "%s", err);
    cr_expect_eq(sel.n, 3);
    cr_expect(sel.n == 3 && sel.index[0] == 1 && sel.index[1] == 3 && sel.index[2] == 4);
    cr_expect_eq(sel.n_requested, 3);
    cr_expect_str_eq(sel.filter, "2, 4-5");
    pdf_selection_free(&sel);

    memset(&sel, 0, sizeof sel);
    cr_assert_eq(pdf_select_sessions(&sel, r, "1-9", false, 2, err, sizeof err), 0, "%s", err);
    cr_expect_eq(sel.n, 2, "the cap holds");
    cr_expect_eq(sel.n_requested, 5, "the filter named five that exist");
    pdf_selection_free(&sel);
    capture_report_free(r);
}

Test(pdf, a_malformed_filter_is_refused)
{
    struct capture_report *r = analyze("samples/reuse.pcap");
    static const char *const bad[] = {"", "0", "3-2", "a", "1,,2", "1-", "-3", "2;3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[256] = "";
        struct pdf_selection sel;
        memset(&sel, 0, sizeof sel);
        cr_expect_eq(pdf_select_sessions(&sel, r, bad[i], false, 50, err, sizeof err), -1, "'%s' accepted", bad[i]);
        cr_expect(strstr(err, "bad session list") != NULL, "'%s': %s", bad[i], err);
        pdf_selection_free(&sel);
    }
    capture_report_free(r);
}

Test(pdf, without_a_filter_what_is_new_comes_first)
{
    struct capture_report *r = analyze("samples/reuse.pcap");
    char err[256] = "";
    struct pdf_selection sel;
    memset(&sel, 0, sizeof sel);
    /* All of them when they fit. */
    cr_assert_eq(pdf_select_sessions(&sel, r, NULL, false, 50, err, sizeof err), 0, "%s", err);
    cr_expect_eq(sel.n, 5);
    cr_expect_null(sel.filter);
    pdf_selection_free(&sel);
    /* Two: the first, and the second, the first reuse of the address pair. */
    memset(&sel, 0, sizeof sel);
    cr_assert_eq(pdf_select_sessions(&sel, r, NULL, false, 2, err, sizeof err), 0, "%s", err);
    cr_expect(sel.n == 2 && sel.index[0] == 0 && sel.index[1] == 1);
    pdf_selection_free(&sel);
    capture_report_free(r);
}

Test(pdf, diagram_pages_are_found_by_session_index)
{
    struct capture_report *r = analyze("samples/reuse.pcap");
    char err[256] = "";
    struct pdf_selection sel;
    memset(&sel, 0, sizeof sel);
    cr_assert_eq(pdf_select_sessions(&sel, r, "2,4", false, 50, err, sizeof err), 0, "%s", err);
    static int pages[2]; /* stand-ins for the pages the driver records */
    sel.diagram[0] = &pages[0];
    sel.diagram[1] = &pages[1];
    cr_expect_eq(pdf_selection_diagram(&sel, 1), &pages[0]);
    cr_expect_eq(pdf_selection_diagram(&sel, 3), &pages[1]);
    cr_expect_null(pdf_selection_diagram(&sel, 0));
    cr_expect_null(pdf_selection_diagram(&sel, 2));
    cr_expect_null(pdf_selection_diagram(&sel, 4));
    pdf_selection_free(&sel);
    capture_report_free(r);
}
