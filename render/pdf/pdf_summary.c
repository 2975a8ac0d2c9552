/* pdf_summary.c — the first page (the capture, charts of the classes) and the sessions table.
 *
 * The table lists every session, however many there are; rows of sessions with a diagram
 * link to its page. The first page's header is laid out by running its drawing code without
 * a page, which gives its height and so how many table rows fit under it. */
#include <stdio.h>
#include <string.h>

#include "report.h" /* PCAP2REPORT_SCHEMA_VERSION */
#include "pdf_archive.h"
#include "pdf_report.h"

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
static float field(struct pdf_ctx *x, HPDF_Page page, float y, const char *label, const char *value,
                   enum pdf_font_role role)
{
    struct pdf_canvas *c = &x->canvas;
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
static void append_count(struct pdf_ctx *x, char *buf, size_t len, const char *key, uint64_t count)
{
    if (!count)
        return;
    size_t n = strlen(buf);
    snprintf(buf + n, len - n, "%s", T(x, key, {"count", pdf_format_count(x, count)}));
}

static float capture_block(struct pdf_ctx *x, HPDF_Page page, float y)
{
    const struct capture_report *r = x->r;
    char buf[PDF_FMT_LEN];

    y = field(x, page, y, T0(x, "field.file"), x->file_name, PDF_FONT_TEXT);
    y = field(x, page, y, T0(x, "field.size"),
              T(x, "field.size-value", {"bytes", pdf_format_count(x, r->size_bytes)}), PDF_FONT_TEXT);
    y = field(x, page, y, T0(x, "field.sha256"), r->sha256, PDF_FONT_MONO);
    y = field(x, page, y, T0(x, "field.format"),
              T(x, "field.format-value", {"format", r->format}, {"link", r->link_name},
                {"dlt", pdf_fmt(x, "%d", r->link_type)},
                {"precision", T0(x, r->ts_digits == 9 ? "precision.ns" : "precision.us")}),
              PDF_FONT_TEXT);
    y = field(x, page, y, T0(x, "field.time"),
              r->have_packets
                  ? T(x, "field.time-value", {"first", pdf_format_utc(x, r->first_ts)},
                      {"last", pdf_format_utc(x, r->last_ts)},
                      {"duration", pdf_format_duration(x, r->last_ts - r->first_ts)})
                  : T0(x, "field.time-none"),
              PDF_FONT_TEXT);

    const struct capture_counts *k = &r->counts;
    snprintf(buf, sizeof buf, "%s",
             T(x, "field.packets-value", {"total", pdf_format_count(x, k->total)},
               {"tcp", pdf_format_count(x, k->by_outcome[DECODE_TCP])}));
    append_count(x, buf, sizeof buf, "packets.not_ip", k->by_outcome[DECODE_NOT_IP]);
    append_count(x, buf, sizeof buf, "packets.not_tcp", k->by_outcome[DECODE_NOT_TCP]);
    append_count(x, buf, sizeof buf, "packets.fragment", k->by_outcome[DECODE_FRAGMENT]);
    append_count(x, buf, sizeof buf, "packets.truncated", k->by_outcome[DECODE_TRUNCATED]);
    append_count(x, buf, sizeof buf, "packets.malformed", k->by_outcome[DECODE_MALFORMED]);
    append_count(x, buf, sizeof buf, "packets.filtered", k->filtered_out);
    append_count(x, buf, sizeof buf, "packets.session_cap", k->session_cap);
    y = field(x, page, y, T0(x, "field.packets"), buf, PDF_FONT_TEXT);

    uint64_t v6 = 0;
    for (size_t i = 0; i < r->n_sessions; i++)
        v6 += capture_session(r, i)->ip_version == 6;
    snprintf(buf, sizeof buf, "%s",
             T(x, "field.sessions-value", {"count", pdf_format_count(x, r->n_sessions)},
               {"v4", pdf_format_count(x, r->n_sessions - v6)}, {"v6", pdf_format_count(x, v6)}));
    if (r->sessions_dropped) {
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, " %s",
                 T(x, "field.sessions-dropped", {"count", pdf_format_count(x, r->sessions_dropped)}));
    }
    y = field(x, page, y, T0(x, "field.sessions"), buf, PDF_FONT_TEXT);

    if (!r->bad_checksums) {
        snprintf(buf, sizeof buf, "%s", T0(x, "field.checksums-none"));
    } else {
        snprintf(buf, sizeof buf, "%s",
                 T(x, "field.checksums-bad", {"count", pdf_format_count(x, r->bad_checksums)}));
        if (r->n_offload_hosts) {
            char hosts[512] = "";
            for (size_t i = 0; i < r->n_offload_hosts && strlen(hosts) < sizeof hosts - 64; i++) {
                size_t n = strlen(hosts);
                snprintf(hosts + n, sizeof hosts - n, "%s%s", i ? ", " : "",
                         pdf_format_ip(x, r->offload_hosts[i].ip_version, r->offload_hosts[i].addr));
            }
            size_t n = strlen(buf);
            snprintf(buf + n, sizeof buf - n, "%s", T(x, "field.checksums-offload", {"hosts", hosts}));
        }
    }
    y = field(x, page, y, T0(x, "field.checksums"), buf, PDF_FONT_TEXT);

    if (!r->n_warnings && !r->warnings_suppressed) {
        y = field(x, page, y, T0(x, "field.warnings"), T0(x, "field.warnings-none"), PDF_FONT_TEXT);
    } else {
        buf[0] = '\0';
        size_t shown = r->n_warnings < WARNINGS_SHOWN ? r->n_warnings : WARNINGS_SHOWN;
        for (size_t i = 0; i < shown; i++) {
            const struct capture_warning *w = &r->warnings[i];
            const char *line = w->packet
                ? T(x, "warning.item", {"packet", pdf_format_count(x, w->packet)},
                    {"message", w->message}, {"code", w->code})
                : T(x, "warning.item-capture", {"message", w->message}, {"code", w->code});
            size_t n = strlen(buf);
            snprintf(buf + n, sizeof buf - n, "%s%s", i ? "\n" : "", line);
        }
        uint64_t more = (r->n_warnings - shown) + r->warnings_suppressed;
        if (more) {
            size_t n = strlen(buf);
            snprintf(buf + n, sizeof buf - n, "%s%s", shown ? "\n" : "",
                     T(x, "warnings.more", {"count", pdf_format_count(x, more)}));
        }
        y = field(x, page, y, T0(x, "field.warnings"), buf, PDF_FONT_TEXT);
    }
    return y;
}

/* What made this report, so that it can be made again: the tool and schema version, the
 * options (the capture's SHA-256 is in the block above), and its date with the rule it
 * follows. */
static float provenance_block(struct pdf_ctx *x, HPDF_Page page, float y)
{
    y = field(x, page, y, T0(x, "field.producer"),
              T(x, "field.producer-value", {"version", x->opt->tool_version ? x->opt->tool_version : "?"},
                {"schema", PCAP2REPORT_SCHEMA_VERSION}),
              PDF_FONT_TEXT);
    y = field(x, page, y, T0(x, "field.options"), pdf_archive_options(x), PDF_FONT_MONO);
    /* The same words whichever source gave the date, so that SOURCE_DATE_EPOCH set to the
     * capture's time gives the same bytes as no SOURCE_DATE_EPOCH. */
    int64_t s;
    enum pdf_date_source src = pdf_archive_date(x, &s);
    const char *date = pdf_format_utc(x, s * 1000000000);
    const char *text = src == PDF_DATE_NONE
                           ? T0(x, "field.date-none")
                           : T(x, "field.date-value", {"date", pdf_fmt(x, "%.19s", date)});
    return field(x, page, y, T0(x, "field.date"), text, PDF_FONT_TEXT);
}

/* ---- charts --------------------------------------------------------------------------------- */

/* Horizontal bars, one per class, every class listed so a zero shows as a zero. Returns the
 * height used. */
static float bar_chart(struct pdf_ctx *x, HPDF_Page page, float left, float top, float width,
                       const char *title, const char *const *names, const unsigned *counts,
                       size_t n, struct pdf_rgb ink)
{
    struct pdf_canvas *c = &x->canvas;
    const float row = 10.5f, label_w = 78, count_w = 34;
    unsigned max = 1;
    for (size_t i = 0; i < n; i++)
        if (counts[i] > max)
            max = counts[i];
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 8.5f, 6, left, top - 9, width, PDF_LEFT, title);
    float y = top - 16;
    float bar_x = left + label_w, bar_w = width - label_w - count_w;
    for (size_t i = 0; i < n; i++, y -= row) {
        if (page) {
            pdf_fill_rect(page, bar_x, y - row + 2, bar_w, row - 3, PDF_ZEBRA);
            if (counts[i]) {
                float w = bar_w * (float)counts[i] / (float)max;
                pdf_fill_rect(page, bar_x, y - row + 2, w < 1.5f ? 1.5f : w, row - 3, ink);
            }
            struct pdf_rgb t = counts[i] ? PDF_TEXT : PDF_MUTED;
            pdf_fill_color(page, t);
        }
        pdf_text_fit(c, page, PDF_FONT_LABEL, 7, 5, bar_x - 4, y - row + 4.5f, label_w - 6, PDF_RIGHT, names[i]);
        float bw = counts[i] ? bar_w * (float)counts[i] / (float)max : 0;
        pdf_text(c, page, PDF_FONT_LABEL_BOLD, 7, bar_x + bw + 3, y - row + 4.5f, PDF_LEFT,
                 pdf_format_count(x, counts[i]));
    }
    return top - y + 4;
}

float pdf_class_charts(struct pdf_ctx *x, HPDF_Page page, float y, const unsigned *handshake,
                       const unsigned *teardown)
{
    const char *hs[HANDSHAKE_CLASSES], *td[TEARDOWN_CLASSES];
    for (int i = 0; i < HANDSHAKE_CLASSES; i++)
        hs[i] = handshake_class_name((enum handshake_class)i);
    for (int i = 0; i < TEARDOWN_CLASSES; i++)
        td[i] = teardown_class_name((enum teardown_class)i);
    float half = (CONTENT_W - 20) / 2;
    float h1 = bar_chart(x, page, PDF_MARGIN, y, half, T0(x, "chart.handshake"), hs, handshake,
                         HANDSHAKE_CLASSES, PDF_HANDSHAKE_INK);
    float h2 = bar_chart(x, page, PDF_MARGIN + half + 20, y, half, T0(x, "chart.teardown"), td, teardown,
                         TEARDOWN_CLASSES, PDF_TEARDOWN_INK);
    return y - (h1 > h2 ? h1 : h2) - 4;
}

static float charts(struct pdf_ctx *x, HPDF_Page page, float y)
{
    const struct capture_report *r = x->r;
    y = pdf_class_charts(x, page, y, r->handshake_counts, r->teardown_counts);

    /* Anomalies as one wrapped line of "name count" items. */
    char buf[PDF_FMT_LEN] = "";
    for (int a = 0; a < ANOMALIES; a++) {
        if (!r->anomaly_counts[a])
            continue;
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof buf - n, "%s%s", n ? "   " : "",
                 T(x, "chart.anomaly-item", {"name", anomaly_name((enum anomaly)a)},
                   {"count", pdf_format_count(x, r->anomaly_counts[a])}));
    }
    struct pdf_canvas *c = &x->canvas;
    pdf_fill_color(page, PDF_TEXT);
    float w = pdf_text(c, page, PDF_FONT_TEXT_BOLD, 7.5f, PDF_MARGIN, y, PDF_LEFT, T0(x, "chart.anomalies"));
    if (page) {
        struct pdf_rgb t = buf[0] ? PDF_ALERT : PDF_MUTED;
        pdf_fill_color(page, t);
    }
    int lines = pdf_text_wrap(c, page, buf[0] ? PDF_FONT_LABEL : PDF_FONT_TEXT, 7.5f, 9.5f,
                              PDF_MARGIN + w + 8, y, CONTENT_W - w - 8,
                              buf[0] ? buf : T0(x, "chart.anomalies-none"));
    return y - (float)lines * 9.5f - 4;
}

/* Says which sessions have diagrams, and how to get the others. */
static float diagrams_note(struct pdf_ctx *x, HPDF_Page page, float y)
{
    const struct capture_report *r = x->r;
    const char *text;
    const char *drawn = pdf_format_count(x, x->n_selected), *total = pdf_format_count(x, r->n_sessions);
    const char *limit = pdf_format_count(x, x->max_diagrams);
    if (!r->n_sessions) {
        text = T0(x, "summary.no-sessions");
    } else if (x->filter.n) {
        const char *filter = x->opt->session_filter;
        if (!x->n_selected)
            text = T(x, "diagrams.filtered-none", {"filter", filter});
        else if (x->n_requested > x->n_selected)
            text = T(x, "diagrams.filtered-capped", {"drawn", drawn}, {"total", total},
                     {"selected", pdf_format_count(x, x->n_requested)}, {"filter", filter},
                     {"omitted", pdf_format_count(x, x->n_requested - x->n_selected)}, {"limit", limit});
        else
            text = T(x, "diagrams.filtered", {"drawn", drawn}, {"total", total}, {"filter", filter});
    } else if (x->n_selected < r->n_sessions) {
        /* The example names the earliest sessions left out, as many as the limit allows. */
        uint64_t first = 0, last = 0;
        size_t taken = 0;
        for (size_t i = 0, k = 0; i < r->n_sessions && taken < x->max_diagrams; i++) {
            if (k < x->n_selected && x->selected[k] == i) {
                k++;
                if (taken)
                    break; /* keep the example one contiguous range */
                continue;
            }
            if (!taken)
                first = capture_session(r, i)->id;
            last = capture_session(r, i)->id;
            taken++;
        }
        const char *example = first == last ? pdf_fmt(x, "%llu", (unsigned long long)first)
                                            : pdf_fmt(x, "%llu-%llu", (unsigned long long)first,
                                                      (unsigned long long)last);
        text = T(x, "diagrams.capped", {"drawn", drawn}, {"total", total}, {"limit", limit},
                 {"omitted", pdf_format_count(x, r->n_sessions - x->n_selected)}, {"example", example});
    } else {
        text = T(x, "diagrams.all", {"total", total});
    }
    pdf_fill_color(page, PDF_TEXT);
    int lines = pdf_text_wrap(&x->canvas, page, PDF_FONT_TEXT, 7.5f, 9.5f, PDF_MARGIN, y, CONTENT_W, text);
    return y - (float)lines * 9.5f - 2;
}

/* The first page above the table; returns the y where the table's title goes. */
static float first_page_header(struct pdf_ctx *x, HPDF_Page page)
{
    struct pdf_canvas *c = &x->canvas;
    float y = TOP_Y - 16;
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, 18, 10, PDF_MARGIN, y, CONTENT_W, PDF_LEFT,
                 T0(x, "summary.heading"));
    y -= 18;
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_fit(c, page, PDF_FONT_LABEL_BOLD, 11, 6, PDF_MARGIN, y, CONTENT_W, PDF_LEFT, x->file_name);
    y -= 8;
    pdf_line(page, PDF_MARGIN, y, PDF_PAGE_W - PDF_MARGIN, y, 1.2f, PDF_ACCENT, 0, 0);
    y -= 14;
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text(c, page, PDF_FONT_TEXT_BOLD, 9.5f, PDF_MARGIN, y, PDF_LEFT, T0(x, "summary.capture"));
    y -= 13;
    y = capture_block(x, page, y);
    y -= 6;
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text(c, page, PDF_FONT_TEXT_BOLD, 9.5f, PDF_MARGIN, y, PDF_LEFT, T0(x, "summary.report"));
    y -= 13;
    y = provenance_block(x, page, y);
    y -= 8;
    y = charts(x, page, y);
    y -= 2;
    y = diagrams_note(x, page, y);
    return y - 6;
}

/* ---- the table ------------------------------------------------------------------------------ */

static void table_header(struct pdf_ctx *x, HPDF_Page page, float top)
{
    struct pdf_canvas *c = &x->canvas;
    const float size = 6.5f, lead = 7.6f;
    float base = top - 7.5f;
    pdf_fill_rect(page, PDF_MARGIN, top - HEAD_H, CONTENT_W, HEAD_H, PDF_ACCENT);
    pdf_fill_color(page, PDF_WHITE);
    pdf_text(c, page, PDF_FONT_TEXT_BOLD, size, COL_ID_R, base, PDF_RIGHT, T0(x, "table.col.id"));
    pdf_text_wrap(c, page, PDF_FONT_TEXT_BOLD, size, lead, COL_EP, base, COL_EP_W, T0(x, "table.col.endpoints"));
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, size, 4.5f, COL_START, base, COL_START_W, PDF_LEFT, T0(x, "table.col.start"));
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, size, 4.5f, COL_START, base - lead, COL_START_W, PDF_LEFT, T0(x, "table.col.duration"));
    pdf_text_wrap(c, page, PDF_FONT_TEXT_BOLD, size, lead, COL_PKTS, base, COL_PKTS_W, T0(x, "table.col.packets"));
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, size, 4.5f, COL_CLASS, base, COL_CLASS_W, PDF_LEFT, T0(x, "table.col.handshake"));
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, size, 4.5f, COL_CLASS, base - lead, COL_CLASS_W, PDF_LEFT, T0(x, "table.col.teardown"));
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, size, 4.5f, COL_ZEEK, base, COL_ZEEK_W, PDF_LEFT, T0(x, "table.col.zeek"));
    pdf_text_fit(c, page, PDF_FONT_TEXT_BOLD, size, 4.5f, COL_ANOM, base, COL_ANOM_W, PDF_LEFT, T0(x, "table.col.anomalies"));
}

static void table_row(struct pdf_ctx *x, HPDF_Page page, float top, size_t i, bool zebra)
{
    struct pdf_canvas *c = &x->canvas;
    const struct session *s = capture_session(x->r, i);
    HPDF_Page target = pdf_diagram_page_of(x, i);
    const float size = 6.5f, line1 = top - 7.2f, line2 = top - 14.6f;
    if (zebra)
        pdf_fill_rect(page, PDF_MARGIN, top - ROW_H, CONTENT_W, ROW_H, PDF_ZEBRA);

    struct pdf_rgb id_ink = target ? PDF_LINK : PDF_MUTED;
    pdf_fill_color(page, id_ink);
    float w = pdf_text(c, page, PDF_FONT_LABEL_BOLD, 7, COL_ID_R, line1, PDF_RIGHT, pdf_format_count(x, s->id));
    if (target)
        pdf_line(page, COL_ID_R - w, line1 - 1.2f, COL_ID_R, line1 - 1.2f, 0.5f, PDF_LINK, 0, 0);
    pdf_fill_color(page, PDF_TEXT);
    const char *client = pdf_format_endpoint(x, s, ROLE_CLIENT);
    float cw = pdf_text_width(c, PDF_FONT_LABEL, size, client);
    if (s->generation) {
        /* A reused address pair: say which connection on it this is, after the client. */
        const char *gen = T(x, "table.generation", {"number", pdf_format_count(x, s->generation + 1)});
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
                 pdf_fmt(x, "\xe2\x86\x92 %s", pdf_format_endpoint(x, s, ROLE_SERVER)));
    pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_START, line1, COL_START_W, PDF_LEFT,
                 pdf_format_clock(x, s->first_ts));
    pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_START, line2, COL_START_W, PDF_LEFT,
                 pdf_format_duration(x, s->last_ts - s->first_ts));
    pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_PKTS, line1, COL_PKTS_W, PDF_LEFT,
                 T(x, "table.packets", {"c2s", pdf_format_count(x, s->side[ROLE_CLIENT].packets)},
                   {"s2c", pdf_format_count(x, s->side[ROLE_SERVER].packets)}));
    pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_CLASS, line1, COL_CLASS_W, PDF_LEFT,
                 handshake_class_name(s->handshake));
    pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_CLASS, line2, COL_CLASS_W, PDF_LEFT,
                 teardown_class_name(s->teardown));
    pdf_text_fit(c, page, PDF_FONT_LABEL, size, 4.2f, COL_ZEEK, line1, COL_ZEEK_W, PDF_LEFT, s->conn_state);

    if (!s->anomalies) {
        pdf_fill_color(page, PDF_MUTED);
        pdf_text(c, page, PDF_FONT_TEXT, size, COL_ANOM, line1, PDF_LEFT, T0(x, "table.no-anomaly"));
    } else {
        /* As many names as two lines hold, then "+N more". */
        unsigned max = ANOMALIES;
        const char *text = pdf_format_anomalies(x, s, max);
        while (max > 1 && pdf_text_wrap(c, NULL, PDF_FONT_LABEL, size, 7.4f, COL_ANOM, line1, COL_ANOM_W, text) > 2)
            text = pdf_format_anomalies(x, s, --max);
        pdf_fill_color(page, PDF_ALERT);
        pdf_text_wrap(c, page, PDF_FONT_LABEL, size, 7.4f, COL_ANOM, line1, COL_ANOM_W, text);
    }
    if (target)
        pdf_link(page, PDF_MARGIN, top - ROW_H, CONTENT_W, ROW_H, target);
}

/* ---- pages ---------------------------------------------------------------------------------- */

void pdf_summary_create_pages(struct pdf_ctx *x)
{
    size_t n = x->r->n_sessions;
    float table_top = first_page_header(x, NULL);
    x->table_top_first = table_top;
    float first_rows_h = table_top - TABLE_TITLE_H - HEAD_H - PDF_BOTTOM;
    float rows_h = TOP_Y - TABLE_TITLE_H - HEAD_H - PDF_BOTTOM;
    x->rows_first_page = first_rows_h > 0 ? (size_t)(first_rows_h / ROW_H) : 0;
    x->rows_per_page = (size_t)(rows_h / ROW_H);
    x->n_table_pages = 1;
    if (n > x->rows_first_page)
        x->n_table_pages += (n - x->rows_first_page + x->rows_per_page - 1) / x->rows_per_page;
    x->table_pages = calloc(x->n_table_pages, sizeof *x->table_pages);
    if (!x->table_pages)
        pdf_fail(x, "out of memory");
    for (size_t p = 0; p < x->n_table_pages; p++)
        x->table_pages[p] = pdf_add_page(x);
}

HPDF_Page pdf_summary_page_of(const struct pdf_ctx *x, size_t i)
{
    if (i < x->rows_first_page)
        return x->table_pages[0];
    size_t p = 1 + (i - x->rows_first_page) / x->rows_per_page;
    return x->table_pages[p < x->n_table_pages ? p : x->n_table_pages - 1];
}

static float table_title(struct pdf_ctx *x, HPDF_Page page, float y, const char *key)
{
    pdf_fill_color(page, PDF_ACCENT);
    pdf_text(&x->canvas, page, PDF_FONT_TEXT_BOLD, 9.5f, PDF_MARGIN, y - 12, PDF_LEFT, T0(x, key));
    return y - TABLE_TITLE_H;
}

void pdf_summary_draw(struct pdf_ctx *x)
{
    first_page_header(x, x->table_pages[0]);
    float y = x->table_top_first;
    size_t n = x->r->n_sessions, i = 0;
    for (size_t p = 0; p < x->n_table_pages; p++) {
        /* The pages before this one are done: off to be compressed while this one is drawn
         * (the session pages exist, so the page count in the footers is known). */
        pdf_finish_pages(x, p, x->file_name);
        HPDF_Page page = x->table_pages[p];
        size_t rows = p == 0 ? x->rows_first_page : x->rows_per_page;
        if (p > 0)
            y = TOP_Y;
        if ((i >= n && p > 0) || rows == 0)
            continue; /* no room under a tall first page: the table starts on the next */
        y = table_title(x, page, y, p == 0 ? "table.heading" : "table.continued");
        if (i >= n)
            break;
        table_header(x, page, y);
        y -= HEAD_H;
        for (size_t k = 0; k < rows && i < n; k++, i++, y -= ROW_H)
            table_row(x, page, y, i, k % 2 == 1);
        pdf_line(page, PDF_MARGIN, y, PDF_PAGE_W - PDF_MARGIN, y, 0.6f, PDF_RULE, 0, 0);
    }
    pdf_finish_pages(x, x->n_table_pages, x->file_name);
}
