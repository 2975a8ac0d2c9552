/* pdf_summary.c — the first page (the capture, charts of the classes) and the sessions table
 * (pdf_summary.h).
 *
 * The first page's header is laid out by running its drawing code without a page, which gives
 * its height and so how many table rows fit under it. */
#include "pdf_summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_archive.h"
#include "pdf_charts.h"
#include "pdf_encap.h"
#include "pdf_offload.h"

enum { WARNINGS_SHOWN = 5, CHART_ROWS_MAX = 8 };

#define TOP_Y (PDF_PAGE_H - PDF_MARGIN)
#define CONTENT_W (PDF_PAGE_W - 2 * PDF_MARGIN)

/* Table geometry: columns (left edges and widths) and rows of two text lines. */
#define ROW_H 18.0f
#define HEAD_H 20.0f
#define COL_ID_R 58.0f
#define COL_EP 64.0f
#define COL_EP_W 150.0f
#define COL_START 220.0f
#define COL_START_W 64.0f
#define COL_PKTS 288.0f
#define COL_PKTS_W 44.0f
#define COL_CLASS 336.0f
#define COL_CLASS_W 82.0f
#define COL_ZEEK 422.0f
#define COL_ZEEK_W 30.0f
#define COL_ANOM 456.0f
#define COL_ANOM_W (PDF_PAGE_W - PDF_MARGIN - COL_ANOM)
#define TABLE_TITLE_H 20.0f

/* ---- the capture block ---------------------------------------------------------------------- */

/* One "label  value" line of the capture block; returns the new y. */
static float field(struct pdf_summary *sm, HPDF_Page page, float y, const char *label, const char *value,
                   enum pdf_font_role role)
{
    struct pdf_canvas *c = &sm->doc->canvas;
    const float size = 7.5f, leading = 9.6f, value_x = PDF_MARGIN + 72;
    pdf_fill_color(page, PDF_MUTED);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, size, 5.5f, PDF_MARGIN, y, 68, PDF_LEFT, label);
    pdf_fill_color(page, PDF_TEXT);
    int lines = pdf_text_wrap(c, page, role, size, leading, value_x, y,
                              PDF_PAGE_W - PDF_MARGIN - value_x, value);
    return y - (float)lines * leading - 1.5f;
}

/* Appends the template's ", N item" to buf when count is not zero (the wording starts with
 * its language's separator). */
static void append_count(struct pdf_words *wd, char *buf, size_t len, const char *key, uint64_t count)
{
    if (!count)
        return;
    size_t n = strlen(buf);
    snprintf(buf + n, len - n, "%s", T(wd, key, {"count", pdf_format_count(wd, count)}));
}

/* The packets by outcome, into buf (of PDF_WORDS_LEN). */
void pdf_summary_packets_text(struct pdf_words *wd, const struct capture_counts *k, char *buf)
{
    const size_t len = PDF_WORDS_LEN;
    snprintf(buf, len, "%s",
             T(wd, "field.packets-value", {"total", pdf_format_count(wd, k->total)},
               {"tcp", pdf_format_count(wd, k->by_outcome[DECODE_TCP])}));
    append_count(wd, buf, len, "packets.not_ip", k->by_outcome[DECODE_NOT_IP]);
    append_count(wd, buf, len, "packets.not_tcp", k->by_outcome[DECODE_NOT_TCP]);
    append_count(wd, buf, len, "packets.fragment", k->by_outcome[DECODE_FRAGMENT]);
    append_count(wd, buf, len, "packets.truncated", k->by_outcome[DECODE_TRUNCATED]);
    append_count(wd, buf, len, "packets.malformed", k->by_outcome[DECODE_MALFORMED]);
    append_count(wd, buf, len, "packets.filtered", k->filtered_out);
    append_count(wd, buf, len, "packets.session_cap", k->session_cap);
}

/* The sessions by IP version, those dropped, and the conn.log records Zeek would write for
 * them when its timers split some, into buf (of PDF_WORDS_LEN). */
void pdf_summary_sessions_text(struct pdf_words *wd, const struct capture_report *r, char *buf)
{
    uint64_t v6 = r->ipv6_sessions, records = r->zeek_records, split = r->zeek_split_sessions;
    snprintf(buf, PDF_WORDS_LEN, "%s",
             T(wd, "field.sessions-value", {"count", pdf_format_count(wd, r->n_sessions)},
               {"v4", pdf_format_count(wd, r->n_sessions - v6)}, {"v6", pdf_format_count(wd, v6)}));
    if (split) { /* continues the sentence before it */
        size_t n = strlen(buf);
        snprintf(buf + n, PDF_WORDS_LEN - n, "%s",
                 T(wd, "field.sessions-zeek", {"records", pdf_format_count(wd, records)},
                   {"split", pdf_format_count(wd, split)}));
    }
    if (r->sessions_dropped) {
        size_t n = strlen(buf);
        snprintf(buf + n, PDF_WORDS_LEN - n, " %s",
                 T(wd, "field.sessions-dropped", {"count", pdf_format_count(wd, r->sessions_dropped)}));
    }
}

/* The bad checksums and the hosts whose checksums are all bad (offload), into buf. */
void pdf_summary_checksums_text(struct pdf_words *wd, const struct capture_report *r, char *buf)
{
    if (!r->bad_checksums) {
        snprintf(buf, PDF_WORDS_LEN, "%s", T0(wd, "field.checksums-none"));
        return;
    }
    snprintf(buf, PDF_WORDS_LEN, "%s", T(wd, "field.checksums-bad", {"count", pdf_format_count(wd, r->bad_checksums)}));
    if (!r->n_offload_hosts)
        return;
    char hosts[512] = "";
    for (size_t i = 0; i < r->n_offload_hosts && strlen(hosts) < sizeof hosts - 64; i++) {
        size_t n = strlen(hosts);
        snprintf(hosts + n, sizeof hosts - n, "%s%s", i ? ", " : "",
                 pdf_format_ip(wd, r->offload_hosts[i].ip_version, r->offload_hosts[i].addr));
    }
    size_t n = strlen(buf);
    snprintf(buf + n, PDF_WORDS_LEN - n, "%s", T(wd, "field.checksums-offload", {"hosts", hosts}));
}

/* The first warnings, one a line, and how many more there are, into buf. */
void pdf_summary_warnings_text(struct pdf_words *wd, const struct capture_report *r, char *buf)
{
    buf[0] = '\0';
    size_t shown = r->n_warnings < WARNINGS_SHOWN ? r->n_warnings : WARNINGS_SHOWN;
    for (size_t i = 0; i < shown; i++) {
        const struct capture_warning *w = &r->warnings[i];
        const char *line = w->packet
            ? T(wd, "warning.item", {"packet", pdf_format_count(wd, w->packet)},
                {"message", w->message}, {"code", w->code})
            : T(wd, "warning.item-capture", {"message", w->message}, {"code", w->code});
        size_t n = strlen(buf);
        snprintf(buf + n, PDF_WORDS_LEN - n, "%s%s", i ? "\n" : "", line);
    }
    uint64_t more = (r->n_warnings - shown) + r->warnings_suppressed;
    if (more) {
        size_t n = strlen(buf);
        snprintf(buf + n, PDF_WORDS_LEN - n, "%s%s", shown ? "\n" : "",
                 T(wd, "warnings.more", {"count", pdf_format_count(wd, more)}));
    }
}

static float capture_block(struct pdf_summary *sm, HPDF_Page page, float y)
{
    struct pdf_words *wd = &sm->doc->words;
    const struct capture_report *r = sm->r;
    char buf[PDF_WORDS_LEN];

    y = field(sm, page, y, T0(wd, "field.file"), sm->file_name, PDF_FONT_TEXT);
    y = field(sm, page, y, T0(wd, "field.size"),
              T(wd, "field.size-value", {"bytes", pdf_format_count(wd, r->size_bytes)}), PDF_FONT_TEXT);
    y = field(sm, page, y, T0(wd, "field.sha256"), r->sha256, PDF_FONT_MONO);
    y = field(sm, page, y, T0(wd, "field.format"), pdf_encap_format(wd, r), PDF_FONT_TEXT);
    y = field(sm, page, y, T0(wd, "field.time"),
              r->have_packets
                  ? T(wd, "field.time-value", {"first", pdf_format_utc(wd, r->first_ts, r->ts_digits)},
                      {"last", pdf_format_utc(wd, r->last_ts, r->ts_digits)},
                      {"duration", pdf_format_duration(wd, r->last_ts - r->first_ts)})
                  : T0(wd, "field.time-none"),
              PDF_FONT_TEXT);
    pdf_summary_packets_text(wd, &r->counts, buf);
    y = field(sm, page, y, T0(wd, "field.packets"), buf, PDF_FONT_TEXT);
    pdf_summary_sessions_text(wd, r, buf);
    y = field(sm, page, y, T0(wd, "field.sessions"), buf, PDF_FONT_TEXT);
    if (pdf_encap_counts(wd, r, buf))
        y = field(sm, page, y, T0(wd, "field.encapsulations"), buf, PDF_FONT_TEXT);
    pdf_summary_checksums_text(wd, r, buf);
    y = field(sm, page, y, T0(wd, "field.checksums"), buf, PDF_FONT_TEXT);
    if (!r->n_warnings && !r->warnings_suppressed)
        return field(sm, page, y, T0(wd, "field.warnings"), T0(wd, "field.warnings-none"), PDF_FONT_TEXT);
    pdf_summary_warnings_text(wd, r, buf);
    return field(sm, page, y, T0(wd, "field.warnings"), buf, PDF_FONT_TEXT);
}

/* What made this report, so that it can be made again: the tool and schema version, the
 * options (the capture's SHA-256 is in the block above), and its date with the rule it
 * follows. */
static float provenance_block(struct pdf_summary *sm, HPDF_Page page, float y)
{
    struct pdf_words *wd = &sm->doc->words;
    y = field(sm, page, y, T0(wd, "field.producer"),
              T(wd, "field.producer-value", {"version", sm->opt->tool_version ? sm->opt->tool_version : "?"},
                {"schema", PCAP2REPORT_SCHEMA_VERSION}),
              PDF_FONT_TEXT);
    char options[PDF_WORDS_LEN];
    pdf_archive_options(sm->opt, sm->max_diagrams, options);
    y = field(sm, page, y, T0(wd, "field.options"), options, PDF_FONT_MONO);
    /* The same words whichever source gave the date, so that SOURCE_DATE_EPOCH set to the
     * capture's time gives the same bytes as no SOURCE_DATE_EPOCH. */
    int64_t s;
    enum pdf_date_source src = pdf_archive_date(sm->opt, sm->r, &s);
    const char *date = pdf_format_utc(wd, s * 1000000000, sm->r->ts_digits);
    const char *text = src == PDF_DATE_NONE
                           ? T0(wd, "field.date-none")
                           : T(wd, "field.date-value", {"date", pdf_fmt(wd, "%.19s", date)});
    return field(sm, page, y, T0(wd, "field.date"), text, PDF_FONT_TEXT);
}

/* ---- charts --------------------------------------------------------------------------------- */

static float charts(struct pdf_summary *sm, HPDF_Page page, float y)
{
    struct pdf_words *wd = &sm->doc->words;
    const struct capture_report *r = sm->r;
    y = pdf_class_charts(sm->doc, page, y, r->handshake_counts, r->teardown_counts);

    /* Anomalies as one wrapped line of "name count" items. */
    char buf[PDF_WORDS_LEN] = "";
    for (int a = 0; a < ANOMALIES; a++) {
        /* Sessions whose bad checksums offload explains are no anomaly: the checksums field
         * above says why, once (pdf_offload.h). */
        uint64_t count = pdf_alarming_count(r, a);
        if (!count)
            continue;
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "%s%s", n ? "   " : "",
                 T(wd, "chart.anomaly-item", {"name", anomaly_name((enum anomaly)a)},
                   {"count", pdf_format_count(wd, count)}));
    }
    struct pdf_canvas *c = &sm->doc->canvas;
    pdf_fill_color(page, PDF_TEXT);
    float w = pdf_text(c, page, PDF_FONT_TEXT_BOLD, 7.5f, PDF_MARGIN, y, PDF_LEFT, T0(wd, "chart.anomalies"));
    if (page) {
        struct pdf_rgb t = buf[0] ? PDF_ALERT : PDF_MUTED;
        pdf_fill_color(page, t);
    }
    int lines = pdf_text_wrap(c, page, buf[0] ? PDF_FONT_LABEL : PDF_FONT_TEXT, 7.5f, 9.5f,
                              PDF_MARGIN + w + 8, y, CONTENT_W - w - 8,
                              buf[0] ? buf : T0(wd, "chart.anomalies-none"));
    return y - (float)lines * 9.5f - 4;
}

/* Says which sessions have diagrams, and how to get the others, in the sentences under prefix
 * ("diagrams" for the PDF's pages, "html.diagrams" for the HTML's). */
const char *pdf_summary_diagrams_text(struct pdf_words *wd, const struct capture_report *r,
                                      const struct pdf_selection *sel, size_t max_diagrams, const char *prefix)
{
    char key[64];
#define KEY(k) (snprintf(key, sizeof key, "%s.%s", prefix, (k)), key)
    const char *text;
    const char *drawn = pdf_format_count(wd, sel->n), *total = pdf_format_count(wd, r->n_sessions);
    const char *limit = pdf_format_count(wd, max_diagrams);
    if (!r->n_sessions) {
        text = T0(wd, "summary.no-sessions");
    } else if (sel->filter) {
        const char *filter = sel->filter;
        if (!sel->n)
            text = T(wd, KEY("filtered-none"), {"filter", filter});
        else if (sel->n_requested > sel->n)
            text = T(wd, KEY("filtered-capped"), {"drawn", drawn}, {"total", total},
                     {"selected", pdf_format_count(wd, sel->n_requested)}, {"filter", filter},
                     {"omitted", pdf_format_count(wd, sel->n_requested - sel->n)}, {"limit", limit});
        else
            text = T(wd, KEY("filtered"), {"drawn", drawn}, {"total", total}, {"filter", filter});
    } else if (sel->n < r->n_sessions) {
        /* The example names the earliest sessions left out, as many as the limit allows. */
        uint64_t first = 0, last = 0;
        size_t taken = 0;
        for (size_t i = 0, k = 0; i < r->n_sessions && taken < max_diagrams; i++) {
            if (k < sel->n && sel->index[k] == i) {
                k++;
                if (taken)
                    break; /* keep the example one contiguous range */
                continue;
            }
            if (!taken)
                first = i + 1; /* session i has id i + 1 */
            last = i + 1;
            taken++;
        }
        const char *example = first == last ? pdf_fmt(wd, "%llu", (unsigned long long)first)
                                            : pdf_fmt(wd, "%llu-%llu", (unsigned long long)first,
                                                      (unsigned long long)last);
        text = T(wd, KEY("capped"), {"drawn", drawn}, {"total", total}, {"limit", limit},
                 {"omitted", pdf_format_count(wd, r->n_sessions - sel->n)}, {"example", example});
    } else {
        text = T(wd, KEY("all"), {"total", total});
    }
    return text;
#undef KEY
}

static float diagrams_note(struct pdf_summary *sm, HPDF_Page page, float y)
{
    const char *text = pdf_summary_diagrams_text(&sm->doc->words, sm->r, sm->sel, sm->max_diagrams, "diagrams");
    pdf_fill_color(page, PDF_TEXT);
    int lines = pdf_text_wrap(&sm->doc->canvas, page, PDF_FONT_TEXT, 7.5f, 9.5f, PDF_MARGIN, y, CONTENT_W, text);
    return y - (float)lines * 9.5f - 2;
}

/* The first page above the table; returns the y where the table's title goes. */
static float first_page_header(struct pdf_summary *sm, HPDF_Page page)
{
    struct pdf_words *wd = &sm->doc->words;
    struct pdf_canvas *c = &sm->doc->canvas;
    float y = TOP_Y - 16;
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 18, 10, PDF_MARGIN, y, CONTENT_W, PDF_LEFT,
                 T0(wd, "summary.heading"));
    y -= 18;
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_fit(c, page, PDF_FONT_LABEL_BOLD, 11, 6, PDF_MARGIN, y, CONTENT_W, PDF_LEFT, sm->file_name);
    y -= 8;
    pdf_line(page, PDF_MARGIN, y, PDF_PAGE_W - PDF_MARGIN, y, 1.2f, PDF_ACCENT, 0, 0);
    y -= 14;
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text(c, page, PDF_FONT_TEXT_BOLD, 9.5f, PDF_MARGIN, y, PDF_LEFT, T0(wd, "summary.capture"));
    y -= 13;
    y = capture_block(sm, page, y);
    y -= 6;
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text(c, page, PDF_FONT_TEXT_BOLD, 9.5f, PDF_MARGIN, y, PDF_LEFT, T0(wd, "summary.report"));
    y -= 13;
    y = provenance_block(sm, page, y);
    y -= 8;
    y = charts(sm, page, y);
    y -= 2;
    y = diagrams_note(sm, page, y);
    return y - 6;
}

/* ---- the table ------------------------------------------------------------------------------ */

static void table_header(struct pdf_summary *sm, HPDF_Page page, float top)
{
    struct pdf_words *wd = &sm->doc->words;
    struct pdf_canvas *c = &sm->doc->canvas;
    const float size = 6.5f, lead = 7.6f;
    float base = top - 7.5f;
    pdf_fill_rect(page, PDF_MARGIN, top - HEAD_H, CONTENT_W, HEAD_H, PDF_ACCENT);
    pdf_fill_color(page, PDF_WHITE);
    pdf_text(c, page, PDF_FONT_TEXT_BOLD, size, COL_ID_R, base, PDF_RIGHT, T0(wd, "table.col.id"));
    pdf_text_wrap(c, page, PDF_FONT_TEXT_BOLD, size, lead, COL_EP, base, COL_EP_W, T0(wd, "table.col.endpoints"));
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, size, 4.5f, COL_START, base, COL_START_W, PDF_LEFT, T0(wd, "table.col.start"));
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, size, 4.5f, COL_START, base - lead, COL_START_W, PDF_LEFT, T0(wd, "table.col.duration"));
    pdf_text_wrap(c, page, PDF_FONT_TEXT_BOLD, size, lead, COL_PKTS, base, COL_PKTS_W, T0(wd, "table.col.packets"));
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, size, 4.5f, COL_CLASS, base, COL_CLASS_W, PDF_LEFT, T0(wd, "table.col.handshake"));
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, size, 4.5f, COL_CLASS, base - lead, COL_CLASS_W, PDF_LEFT, T0(wd, "table.col.teardown"));
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, size, 4.5f, COL_ZEEK, base, COL_ZEEK_W, PDF_LEFT, T0(wd, "table.col.zeek"));
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, size, 4.5f, COL_ANOM, base, COL_ANOM_W, PDF_LEFT, T0(wd, "table.col.anomalies"));
}

static void table_row(struct pdf_summary *sm, HPDF_Page page, float top, size_t i, bool zebra)
{
    struct pdf_words *wd = &sm->doc->words;
    struct pdf_canvas *c = &sm->doc->canvas;
    const struct session *s = capture_session(sm->r, i, sm->view);
    HPDF_Page target = pdf_selection_diagram(sm->sel, i);
    const float size = 6.5f, line1 = top - 7.2f, line2 = top - 14.6f;
    if (zebra)
        pdf_fill_rect(page, PDF_MARGIN, top - ROW_H, CONTENT_W, ROW_H, PDF_ZEBRA);

    struct pdf_rgb id_ink = target ? PDF_LINK : PDF_MUTED;
    pdf_fill_color(page, id_ink);
    float w = pdf_text(c, page, PDF_FONT_LABEL_BOLD, 7, COL_ID_R, line1, PDF_RIGHT, pdf_format_count(wd, s->id));
    if (target)
        pdf_line(page, COL_ID_R - w, line1 - 1.2f, COL_ID_R, line1 - 1.2f, 0.5f, PDF_LINK, 0, 0);
    pdf_fill_color(page, PDF_TEXT);
    const char *client = pdf_format_endpoint(wd, s, ROLE_CLIENT);
    float cw = pdf_text_width(c, PDF_FONT_LABEL, size, client);
    if (s->generation) {
        /* A reused address pair: say which connection on it this is, after the client. */
        const char *gen = T(wd, "table.generation", {"number", pdf_format_count(wd, s->generation + 1)});
        float gw = pdf_text_width(c, PDF_FONT_TEXT, 5.5f, gen);
        float room = COL_EP_W - gw - 4;
        if (room < COL_EP_W * 0.6f)
            room = COL_EP_W * 0.6f;
        float used = cw < room ? cw : room;
        pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_EP, line1, room, PDF_LEFT, client);
        pdf_fill_color(page, PDF_MUTED);
        pdf_text_fit(c, page, PDF_FONT_TEXT, 5.5f, 3.5f, COL_EP + used + 4, line1, COL_EP_W - used - 4,
                     PDF_LEFT, gen);
        pdf_fill_color(page, PDF_TEXT);
    } else {
        pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_EP, line1, COL_EP_W, PDF_LEFT, client);
    }
    pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_EP, line2, COL_EP_W, PDF_LEFT,
                 pdf_fmt(wd, "\xe2\x86\x92 %s", pdf_format_endpoint(wd, s, ROLE_SERVER)));
    pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_START, line1, COL_START_W, PDF_LEFT,
                 pdf_format_clock(wd, s->first_ts, sm->r->ts_digits));
    pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_START, line2, COL_START_W, PDF_LEFT,
                 pdf_format_duration(wd, s->last_ts - s->first_ts));
    pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_PKTS, line1, COL_PKTS_W, PDF_LEFT,
                 T(wd, "table.packets", {"c2s", pdf_format_count(wd, s->side[ROLE_CLIENT].packets)},
                   {"s2c", pdf_format_count(wd, s->side[ROLE_SERVER].packets)}));
    pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_CLASS, line1, COL_CLASS_W, PDF_LEFT,
                 handshake_class_name(s->handshake));
    pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_CLASS, line2, COL_CLASS_W, PDF_LEFT,
                 teardown_class_name(s->teardown));
    pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_ZEEK, line1, COL_ZEEK_W, PDF_LEFT, s->conn_state);

    /* A bad checksum that offload explains is no error: a quiet mark on the last line, in
     * grey, where the anomalies in red leave it room (pdf_offload.h). */
    uint32_t shown = pdf_alarming_anomalies(sm->r, s);
    bool offload = pdf_offload_explains(sm->r, s);
    if (!shown) {
        pdf_fill_color(page, PDF_MUTED);
        pdf_text_fit(c, page, PDF_FONT_TEXT, size, 4.2f, COL_ANOM, line1, COL_ANOM_W, PDF_LEFT,
                     T0(wd, offload ? "table.checksum-offload" : "table.no-anomaly"));
    } else {
        /* As many names as two lines hold (one beside the offload mark), then "+N more". */
        unsigned max = ANOMALIES;
        int lines = offload ? 1 : 2;
        const char *text = pdf_format_anomaly_bits(wd, shown, max);
        while (max > 1 &&
               pdf_text_wrap(c, NULL, PDF_FONT_LABEL, size, 7.4f, COL_ANOM, line1, COL_ANOM_W, text) > lines)
            text = pdf_format_anomaly_bits(wd, shown, --max);
        pdf_fill_color(page, PDF_ALERT);
        pdf_text_wrap(c, page, PDF_FONT_LABEL, size, 7.4f, COL_ANOM, line1, COL_ANOM_W, text);
        if (offload) {
            pdf_fill_color(page, PDF_MUTED);
            pdf_text_fit(c, page, PDF_FONT_TEXT, size, 4.2f, COL_ANOM, line2, COL_ANOM_W, PDF_LEFT,
                         T0(wd, "table.checksum-offload"));
        }
    }
    if (target)
        pdf_link(page, PDF_MARGIN, top - ROW_H, CONTENT_W, ROW_H, target);
}

/* Under the last row of a capped table: how many sessions it leaves out, and where they are. */
static void table_more_rows(struct pdf_summary *sm, HPDF_Page page, float top)
{
    struct pdf_words *wd = &sm->doc->words;
    pdf_fill_color(page, PDF_MUTED);
    pdf_text_wrap(&sm->doc->canvas, page, PDF_FONT_TEXT, 6.5f, 7.4f, PDF_MARGIN, top - 7.2f, CONTENT_W,
                  T(wd, "table.more-rows", {"listed", pdf_format_count(wd, sm->n_rows)},
                    {"total", pdf_format_count(wd, sm->r->n_sessions)},
                    {"omitted", pdf_format_count(wd, sm->r->n_sessions - sm->n_rows)}));
    pdf_fill_color(page, PDF_TEXT);
}

/* ---- pages ---------------------------------------------------------------------------------- */

void pdf_summary_create_pages(struct pdf_summary *sm)
{
    sm->n_rows = sm->r->n_sessions < PDF_TABLE_MAX_ROWS ? sm->r->n_sessions : PDF_TABLE_MAX_ROWS;
    size_t n = sm->n_rows + (sm->n_rows < sm->r->n_sessions); /* a row's room for the note */
    float table_top = first_page_header(sm, NULL);
    sm->table_top_first = table_top;
    float first_rows_h = table_top - TABLE_TITLE_H - HEAD_H - PDF_BOTTOM;
    float rows_h = TOP_Y - TABLE_TITLE_H - HEAD_H - PDF_BOTTOM;
    sm->rows_first_page = first_rows_h > 0 ? (size_t)(first_rows_h / ROW_H) : 0;
    sm->rows_per_page = (size_t)(rows_h / ROW_H);
    sm->n_table_pages = 1;
    if (n > sm->rows_first_page)
        sm->n_table_pages += (n - sm->rows_first_page + sm->rows_per_page - 1) / sm->rows_per_page;
    sm->table_pages = calloc(sm->n_table_pages, sizeof *sm->table_pages);
    if (!sm->table_pages)
        pdf_fail(&sm->doc->fail, "out of memory");
    for (size_t p = 0; p < sm->n_table_pages; p++)
        sm->table_pages[p] = pdf_doc_add_page(sm->doc);
}

HPDF_Page pdf_summary_page_of(const struct pdf_summary *sm, size_t i)
{
    if (i < sm->rows_first_page)
        return sm->table_pages[0];
    size_t p = 1 + (i - sm->rows_first_page) / sm->rows_per_page;
    return sm->table_pages[p < sm->n_table_pages ? p : sm->n_table_pages - 1];
}

static float table_title(struct pdf_summary *sm, HPDF_Page page, float y, const char *key)
{
    struct pdf_words *wd = &sm->doc->words;
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text(&sm->doc->canvas, page, PDF_FONT_TEXT_BOLD, 9.5f, PDF_MARGIN, y - 12, PDF_LEFT, T0(wd, key));
    return y - TABLE_TITLE_H;
}

void pdf_summary_draw(struct pdf_summary *sm)
{
    first_page_header(sm, sm->table_pages[0]);
    float y = sm->table_top_first;
    size_t n = sm->n_rows, i = 0;
    for (size_t p = 0; p < sm->n_table_pages; p++) {
        HPDF_Page page = sm->table_pages[p];
        size_t rows = p == 0 ? sm->rows_first_page : sm->rows_per_page;
        if (p > 0)
            y = TOP_Y;
        if ((i >= n && p > 0) || rows == 0)
            continue; /* no room under a tall first page: the table starts on the next */
        y = table_title(sm, page, y, p == 0 ? "table.heading" : "table.continued");
        if (i >= n)
            break;
        table_header(sm, page, y);
        y -= HEAD_H;
        size_t k = 0;
        for (; k < rows && i < n; k++, i++, y -= ROW_H)
            table_row(sm, page, y, i, k % 2 == 1);
        pdf_line(page, PDF_MARGIN, y, PDF_PAGE_W - PDF_MARGIN, y, 0.6f, PDF_RULE, 0, 0);
        if (i >= n && n < sm->r->n_sessions && k < rows) /* create_pages left a row for it */
            table_more_rows(sm, page, y);
    }
}

void pdf_summary_free(struct pdf_summary *sm)
{
    free(sm->table_pages);
    sm->table_pages = NULL;
}
