/* pdf_session_panel.c — the text column beside a session's diagram (pdf_session_parts.h):
 * the handshake and the close in words with their acknowledgement checks (and why a session
 * begins where it does, or was classed from one side's segments), TIME-WAIT, the anomalies,
 * the facts as each tool reports them (with Zeek's records when it writes several), and how to
 * read the diagram. It flows from
 * page to page of the session and adds pages when it is longer than the diagram. Every
 * sentence is a template whose placeholders are the session's values. A session that
 * travelled in tunnels or encapsulations starts with them (pdf_encap.c words them). */
#include "pdf_session_parts.h"

#include "classify.h"
#include "pdf_offload.h"

#include <stdio.h>
#include <string.h>

#include "pdf_encap.h"

enum { VAR_COUNT = 64, VAR_LEN = 64 };

/* The placeholders of session sentences, filled once per session. */
struct session_vars {
    struct tpl_arg args[VAR_COUNT];
    char values[VAR_COUNT][VAR_LEN];
    size_t n;
};

static void var(struct session_vars *v, const char *name, const char *value)
{
    if (v->n == VAR_COUNT)
        return;
    snprintf(v->values[v->n], VAR_LEN, "%s", value ? value : "");
    v->args[v->n] = (struct tpl_arg){name, v->values[v->n]};
    v->n++;
}

static const char *packet_no(struct pdf_sess *x, uint64_t p)
{
    return p ? pdf_fmt(x->words, "%llu", (unsigned long long)p) : "?";
}

static const char *role_word(struct pdf_sess *x, int role)
{
    return role == ROLE_CLIENT ? T0(x->words, "word.client") : role == ROLE_SERVER ? T0(x->words, "word.server") : "";
}

static void fill_vars(struct pdf_sess *x, const struct session *s, struct session_vars *v)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *sv = &s->side[ROLE_SERVER];
    int closer = s->active_closer, passive = closer == ROLE_NONE ? ROLE_NONE : !closer;
    int waiter = c->state == TCP_TIME_WAIT ? ROLE_CLIENT : sv->state == TCP_TIME_WAIT ? ROLE_SERVER : ROLE_NONE;
    v->n = 0;
    var(v, "id", pdf_format_count(x->words, s->id));
    var(v, "number", pdf_format_count(x->words, s->generation + 1));
    var(v, "client", pdf_format_endpoint(x->words, s, ROLE_CLIENT));
    var(v, "server", pdf_format_endpoint(x->words, s, ROLE_SERVER));
    var(v, "client_port", pdf_fmt(x->words, "%u", c->port));
    var(v, "server_port", pdf_fmt(x->words, "%u", sv->port));
    var(v, "client_isn", c->isn_known ? pdf_format_u32(x->words, c->isn) : "?");
    var(v, "server_isn", sv->isn_known ? pdf_format_u32(x->words, sv->isn) : "?");
    var(v, "closer", role_word(x, closer));
    var(v, "passive", role_word(x, passive));
    var(v, "waiter", role_word(x, waiter));
    var(v, "rst_sender", role_word(x, s->rst_seen ? s->rst_sender : ROLE_NONE));
    var(v, "syn_packet", packet_no(x, c->syn_packet));
    var(v, "peer_syn_packet", packet_no(x, sv->syn_packet));
    var(v, "synack_packet", packet_no(x, sv->synacks ? sv->syn_packet : 0));
    var(v, "ack_packet", packet_no(x, c->acked_syn ? c->ack_of_syn_packet : 0));
    var(v, "c_ack_packet", packet_no(x, c->first_ack_packet));
    var(v, "s_ack_packet", packet_no(x, sv->first_ack_packet));
    var(v, "records", pdf_format_count(x->words, 1 + (uint64_t)s->n_zeek_more));
    /* Without a FIN these read "?": no wording uses them then, but none may show a raw
     * placeholder either. */
    const struct session_side *a = closer != ROLE_NONE ? &s->side[closer] : NULL;
    const struct session_side *b = closer != ROLE_NONE ? &s->side[passive] : NULL;
    var(v, "fin1_packet", packet_no(x, a ? a->fin_packet : 0));
    var(v, "fin2_packet", packet_no(x, b && b->fin_seen ? b->fin_packet : 0));
    var(v, "fin2_delay", a && b->fin_seen ? pdf_format_duration(x->words, b->fin_ts - a->fin_ts) : "?");
    var(v, "ackfin1_packet", packet_no(x, b && b->acked_fin ? b->ack_of_fin_packet : 0));
    var(v, "lastack_packet", packet_no(x, a && a->acked_fin ? a->ack_of_fin_packet : 0));
    var(v, "rst_packet", packet_no(x, s->rst_seen ? s->rst_packet : 0));
    var(v, "rtt1", s->rtt_syn_synack >= 0 ? pdf_format_duration(x->words, s->rtt_syn_synack) : "?");
    var(v, "rtt2", s->rtt_synack_ack >= 0 ? pdf_format_duration(x->words, s->rtt_synack_ack) : "?");
    var(v, "handshake", handshake_class_name(s->handshake));
    var(v, "teardown", teardown_class_name(s->teardown));
    var(v, "client_syns", pdf_format_count(x->words, c->syns));
    var(v, "server_synacks", pdf_format_count(x->words, sv->synacks));
    var(v, "c_rexmit", pdf_format_count(x->words, c->retransmissions));
    var(v, "s_rexmit", pdf_format_count(x->words, sv->retransmissions));
    var(v, "bad_checksums", pdf_format_count(x->words, c->bad_checksums + sv->bad_checksums));
    var(v, "c_packets", pdf_format_count(x->words, c->packets));
    var(v, "s_packets", pdf_format_count(x->words, sv->packets));
    var(v, "c_bytes", pdf_format_count(x->words, c->payload_bytes));
    var(v, "s_bytes", pdf_format_count(x->words, sv->payload_bytes));
    var(v, "c_state", tcp_state_name((enum tcp_state)c->state));
    var(v, "s_state", tcp_state_name((enum tcp_state)sv->state));
    var(v, "conn_state", s->conn_state);
    var(v, "history", s->zeek_history[0] ? s->zeek_history : "-");
    var(v, "completeness", pdf_fmt(x->words, "%u", s->wireshark_completeness));
    var(v, "ipv", pdf_fmt(x->words, "%u", s->ip_version));
}

/* Where the text column is: which of the session's pages, and how far down; or the sink it
 * goes to instead of pages (pdf_session_explain). */
struct panel {
    const struct pdf_session_sink *sink;
    const struct session *s;
    size_t first;      /* the session's first page in x->doc's pages; its pages follow it */
    uint32_t n_pages, page;
    float y;
};

static HPDF_Page panel_page(const struct pdf_sess *x, const struct panel *p)
{
    return x->doc->pages[p->first + p->page];
}

/* Makes room for h points, moving to the session's next page (added when needed). */
static void panel_room(struct pdf_sess *x, struct panel *p, float h)
{
    if (p->sink || p->y - h >= PDF_BOTTOM)
        return;
    p->page++;
    if (p->page == p->n_pages) {
        HPDF_Page page = pdf_doc_add_page(x->doc);
        p->n_pages++;
        pdf_session_page_header(x, page, p->s, false, false);
    }
    p->y = PANEL_TOP;
}

static float text_height(struct pdf_sess *x, const char *text, enum pdf_font_role role, float size)
{
    float lead = size * TEXT_LEAD / TEXT_SIZE;
    return (float)pdf_text_wrap(x->canvas, NULL, role, size, lead, 0, 0, PANEL_W, text) * lead;
}

/* A section's heading, kept on the same page as the `keep` points of text that follow it. */
static void panel_heading(struct pdf_sess *x, struct panel *p, const char *text, struct pdf_rgb ink,
                          float keep)
{
    if (p->sink) {
        p->sink->heading(p->sink->arg, text, ink);
        return;
    }
    panel_room(x, p, 24 + keep);
    HPDF_Page page = panel_page(x, p);
    p->y -= 10;
    pdf_fill_rect(page, X_PANEL, p->y - 2.5f, 2.5f, 11, ink);
    pdf_fill_color(page, ink);
    pdf_text_fit(x->canvas, page, PDF_FONT_TEXT_BOLD, 8.5f, 5, X_PANEL + 6, p->y, PANEL_W - 6, PDF_LEFT, text);
    p->y -= 5;
    pdf_line(page, X_PANEL, p->y, X_PANEL + PANEL_W, p->y, 0.4f, PDF_RULE, 0, 0);
    p->y -= 9;
}

static void panel_text(struct pdf_sess *x, struct panel *p, const char *text, enum pdf_font_role role,
                       float size, struct pdf_rgb ink, float indent)
{
    struct pdf_canvas *c = x->canvas;
    if (p->sink) {
        p->sink->text(p->sink->arg, text, role == PDF_FONT_LABEL_BOLD, size < TEXT_SIZE, ink);
        return;
    }
    float lead = size * TEXT_LEAD / TEXT_SIZE;
    int lines = pdf_text_wrap(c, NULL, role, size, lead, X_PANEL + indent, p->y, PANEL_W - indent, text);
    panel_room(x, p, (float)lines * lead);
    HPDF_Page page = panel_page(x, p);
    pdf_fill_color(page, ink);
    pdf_text_wrap(c, page, role, size, lead, X_PANEL + indent, p->y, PANEL_W - indent, text);
    p->y -= (float)lines * lead + 3;
}

/* One check: a tick or a cross, the arithmetic, and where it was read. */
static void panel_check(struct pdf_sess *x, struct panel *p, const struct session_vars *v,
                        const struct session_check *chk)
{
    struct session_vars cv = *v;
    var(&cv, "actual", pdf_format_u32(x->words, chk->actual));
    var(&cv, "expected", pdf_format_u32(x->words, chk->expected));
    var(&cv, "fin_seq", pdf_format_u32(x->words, chk->expected - 1));
    var(&cv, "packet", packet_no(x, chk->packet));
    char key[64];
    snprintf(key, sizeof key, "check.%s.%s", chk->name, chk->pass ? "pass" : "fail");
    if (!pdf_templates_get(x->doc->tpl, key))
        return; /* a check this version does not know how to word */
    const char *text = pdf_tpl(x->words, key, cv.args, cv.n);
    const char *where = pdf_tpl(x->words, "check.where", cv.args, cv.n);
    if (p->sink) {
        p->sink->check(p->sink->arg, chk->pass, text, where);
        return;
    }
    struct pdf_canvas *c = x->canvas;
    float indent = 11;
    int lines = pdf_text_wrap(c, NULL, PDF_FONT_TEXT_BOLD, TEXT_SIZE, TEXT_LEAD, 0, 0, PANEL_W - indent, text);
    panel_room(x, p, (float)lines * TEXT_LEAD + 8);
    HPDF_Page page = panel_page(x, p);
    struct pdf_rgb mark = chk->pass ? PDF_PASS : PDF_ALERT;
    pdf_fill_color(page, mark);
    /* ZapfDingbats: '4' is a heavy check mark, '8' a heavy ballot X. */
    pdf_text(c, page, PDF_FONT_DINGBATS, 8, X_PANEL + 1, p->y - 0.5f, PDF_LEFT, chk->pass ? "4" : "8");
    pdf_fill_color(page, PDF_TEXT);
    pdf_text_wrap(c, page, PDF_FONT_TEXT_BOLD, TEXT_SIZE, TEXT_LEAD, X_PANEL + indent, p->y, PANEL_W - indent, text);
    p->y -= (float)lines * TEXT_LEAD;
    pdf_fill_color(page, PDF_MUTED);
    pdf_text_fit(c, page, PDF_FONT_TEXT, 6, 4, X_PANEL + indent, p->y, PANEL_W - indent, PDF_LEFT, where);
    p->y -= TEXT_LEAD + 2;
}

static bool is_handshake_check(const struct session_check *c)
{
    return strcmp(c->name, "synack-ack") == 0 || strcmp(c->name, "final-ack") == 0;
}

static const char *handshake_key(const struct session *s)
{
    const struct session_side *c = &s->side[ROLE_CLIENT], *v = &s->side[ROLE_SERVER];
    switch (s->handshake) {
    case HANDSHAKE_NORMAL:
        /* Classed from the evidence when the handshake's middle was not captured. */
        if (session_has_anomaly(s, ANOMALY_ONE_SIDED))
            return c->packets ? "handshake.one-sided-client" : "handshake.one-sided-server";
        if (c->syns && !v->synacks)
            return "handshake.normal-no-synack";
        return c->syns ? "handshake.normal" : "handshake.normal-no-syn";
    case HANDSHAKE_SIMULTANEOUS_OPEN: return "handshake.simultaneous-open";
    case HANDSHAKE_REFUSED: return "handshake.refused";
    case HANDSHAKE_SYN_ONLY: return "handshake.syn-only";
    case HANDSHAKE_NO_FINAL_ACK:
        return s->rst_seen ? "handshake.no-final-ack-rst" : "handshake.no-final-ack";
    default: return "handshake.missing";
    }
}

static const char *teardown_key(const struct session *s)
{
    switch (s->teardown) {
    case TEARDOWN_FOUR_WAY: return "teardown.four-way";
    case TEARDOWN_MERGED_FIN: return "teardown.merged-fin";
    case TEARDOWN_SIMULTANEOUS_CLOSE: return "teardown.simultaneous-close";
    case TEARDOWN_RST:
        if (classify_handshake_aborted(s))
            return "teardown.rst-handshake";
        return s->rst_after_fin && s->active_closer != ROLE_NONE ? "teardown.rst-after-fin" : "teardown.rst";
    case TEARDOWN_INCOMPLETE: return "teardown.incomplete";
    case TEARDOWN_HALF_CLOSED: return "teardown.half-closed";
    default:
        return s->handshake == HANDSHAKE_NORMAL || s->handshake == HANDSHAKE_SIMULTANEOUS_OPEN ||
                       s->handshake == HANDSHAKE_MISSING
                   ? "teardown.none"
                   : "teardown.none-not-open";
    }
}

/* The tunnels and encapsulations the session travelled in, outermost first: once when both
 * directions read the same, else direction by direction; then what of them tells sessions
 * apart. */
static void panel_encapsulation(struct pdf_sess *x, struct panel *p, const struct session *s,
                                const struct session_vars *v)
{
    char c2s[PDF_WORDS_LEN], s2c[PDF_WORDS_LEN];
    pdf_encap_path(x->words, s, DIR_C2S, c2s);
    pdf_encap_path(x->words, s, DIR_S2C, s2c);
    struct tpl_arg args[VAR_COUNT + 1];
    memcpy(args, v->args, v->n * sizeof *args);
    size_t n = v->n + 1;
    const char *heading = pdf_tpl(x->words, "panel.encapsulation", args, v->n);
    if (!s2c[0] || !c2s[0] || strcmp(c2s, s2c) == 0) {
        args[n - 1] = (struct tpl_arg){"path", c2s[0] ? c2s : s2c};
        const char *text = pdf_tpl(x->words, !s2c[0] ? "encap.path-c2s" : !c2s[0] ? "encap.path-s2c" : "encap.path-both",
                                   args, n);
        panel_heading(x, p, heading, PDF_MUTED, text_height(x, text, PDF_FONT_TEXT, TEXT_SIZE));
        panel_text(x, p, text, PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
    } else {
        args[n - 1] = (struct tpl_arg){"path", c2s};
        const char *text = pdf_tpl(x->words, "encap.path-c2s", args, n);
        panel_heading(x, p, heading, PDF_MUTED, text_height(x, text, PDF_FONT_TEXT, TEXT_SIZE));
        panel_text(x, p, text, PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
        args[n - 1] = (struct tpl_arg){"path", s2c};
        panel_text(x, p, pdf_tpl(x->words, "encap.path-s2c", args, n), PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
    }
    panel_text(x, p, pdf_tpl(x->words, "encap.key-note", args, v->n), PDF_FONT_TEXT, 6.3f, PDF_MUTED, 0);
    p->y -= 4;
}

/* When Zeek's timers or its reuse rule split the session, the records Zeek would write: one
 * item each, joined by facts.zeek-record-join into the value of {list}. */
static void panel_zeek_records(struct pdf_sess *x, struct panel *p, const struct session_vars *v,
                               const struct session *s)
{
    if (!s->n_zeek_more)
        return;
    char list[PDF_WORDS_LEN] = "";
    for (uint32_t i = 0; i <= s->n_zeek_more; i++) {
        const struct zeek_record *r = i ? &s->zeek_more[i - 1] : NULL;
        const char *history = r ? r->history : s->zeek_history;
        const char *item = T(x->words, "facts.zeek-record",
                             {"first", packet_no(x, r ? r->first_packet : s->first_packet)},
                             {"last", packet_no(x, r ? r->last_packet : s->zeek_last_packet)},
                             {"conn_state", r ? r->conn_state : s->conn_state},
                             {"history", history[0] ? history : "-"});
        snprintf(list, sizeof list, "%s", i ? T(x->words, "facts.zeek-record-join", {"list", list}, {"item", item})
                                            : item);
    }
    struct tpl_arg args[VAR_COUNT + 1];
    memcpy(args, v->args, v->n * sizeof args[0]);
    args[v->n] = (struct tpl_arg){"list", list};
    panel_text(x, p, pdf_tpl(x->words, "facts.zeek-records", args, v->n + 1), PDF_FONT_TEXT, 6.6f, PDF_TEXT, 0);
}

/* The column's sections, in order, on pages or into p's sink. */
static void panel_body(struct pdf_sess *x, struct panel *p, const struct session *s,
                       const struct diagram_transit *tr, bool legend_drawn)
{
    struct session_vars v;
    fill_vars(x, s, &v);
#define S(key) pdf_tpl(x->words, (key), v.args, v.n)

    if (s->encap)
        panel_encapsulation(x, p, s, &v);
    panel_heading(x, p, S("panel.handshake"), PDF_HANDSHAKE_INK,
                  text_height(x, S(handshake_key(s)), PDF_FONT_TEXT, TEXT_SIZE));
    if (s->generation) /* why a new session begins here */
        panel_text(x, p, S("handshake.new-connection"), PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
    panel_text(x, p, S(handshake_key(s)), PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
    for (uint32_t i = 0; i < s->n_checks; i++)
        if (is_handshake_check(&s->checks[i]))
            panel_check(x, p, &v, &s->checks[i]);
    if (s->rtt_syn_synack >= 0 && s->rtt_synack_ack >= 0) {
        panel_text(x, p, S("handshake.rtt"), PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
        if (tr->one_way_ns > 0)
            panel_text(x, p, S(tr->midway ? "handshake.capture-midway"
                               : tr->near_client ? "handshake.capture-near-client"
                                                 : "handshake.capture-near-server"),
                       PDF_FONT_TEXT, 6.3f, PDF_MUTED, 0);
    }

    p->y -= 4;
    panel_heading(x, p, S("panel.teardown"), PDF_TEARDOWN_INK,
                  text_height(x, S(teardown_key(s)), PDF_FONT_TEXT, TEXT_SIZE));
    panel_text(x, p, S(teardown_key(s)), PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
    for (uint32_t i = 0; i < s->n_checks; i++)
        if (!is_handshake_check(&s->checks[i]))
            panel_check(x, p, &v, &s->checks[i]);

    bool cw = s->side[ROLE_CLIENT].state == TCP_TIME_WAIT, sw = s->side[ROLE_SERVER].state == TCP_TIME_WAIT;
    if (cw || sw) {
        p->y -= 4;
        panel_heading(x, p, S("panel.time-wait"), PDF_TEARDOWN_INK, 3 * TEXT_LEAD);
        panel_text(x, p, S(cw && sw ? "timewait.both" : "timewait.one"), PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
    }

    /* A bad checksum that offload explains is a note, not an anomaly (pdf_offload.h). */
    uint32_t shown = pdf_alarming_anomalies(x->r, s);
    if (pdf_offload_explains(x->r, s)) {
        p->y -= 4;
        panel_text(x, p, S("panel.checksum-offload"), PDF_FONT_TEXT, TEXT_SIZE, PDF_MUTED, 0);
    }
    if (shown) {
        p->y -= 4;
        panel_heading(x, p, S("panel.anomalies"), PDF_ALERT, 3 * TEXT_LEAD);
        for (int a = 0; a < ANOMALIES; a++) {
            if (!((shown >> a) & 1u))
                continue;
            char key[64];
            snprintf(key, sizeof key, "anomaly.%s", anomaly_name((enum anomaly)a));
            /* The name and its explanation stay together. */
            const char *why = S(key);
            panel_room(x, p, 8 + text_height(x, why, PDF_FONT_TEXT, TEXT_SIZE));
            panel_text(x, p, anomaly_name((enum anomaly)a), PDF_FONT_LABEL_BOLD, 6.5f, PDF_ALERT, 0);
            p->y += 2;
            panel_text(x, p, why, PDF_FONT_TEXT, TEXT_SIZE, PDF_TEXT, 0);
        }
    }

    p->y -= 4;
    panel_heading(x, p, S("panel.facts"), PDF_MUTED, 3 * TEXT_LEAD);
    panel_text(x, p, S("facts.client"), PDF_FONT_TEXT, 6.6f, PDF_TEXT, 0);
    panel_text(x, p, S("facts.server"), PDF_FONT_TEXT, 6.6f, PDF_TEXT, 0);
    panel_text(x, p, S("facts.tools"), PDF_FONT_TEXT, 6.6f, PDF_TEXT, 0);
    panel_zeek_records(x, p, &v, s);

    if (!legend_drawn) {
        const char *legend = T0(x->words, x->absolute_seq ? "legend.absolute" : "legend.relative");
        p->y -= 4;
        panel_heading(x, p, T0(x->words, "panel.legend"), PDF_MUTED, text_height(x, legend, PDF_FONT_TEXT, 6.3f));
        panel_text(x, p, legend, PDF_FONT_TEXT, 6.3f, PDF_MUTED, 0);
    }
#undef S
}

void pdf_session_panel(struct pdf_sess *x, const struct session *s, size_t first, uint32_t n_pages,
                       const struct diagram_transit *tr, bool legend_drawn)
{
    struct panel pl = {.s = s, .first = first, .n_pages = n_pages, .page = 0, .y = PANEL_TOP};
    panel_body(x, &pl, s, tr, legend_drawn);
}

void pdf_session_explain(struct pdf_doc *d, const struct capture_report *r, const struct session *s,
                         bool absolute_seq, bool legend, const struct pdf_session_sink *sink)
{
    struct pdf_sess x = {.doc = d, .words = &d->words, .canvas = &d->canvas, .r = r, .absolute_seq = absolute_seq};
    struct diagram_transit tr = diagram_transit_of(s);
    struct panel pl = {.sink = sink, .s = s, .y = PANEL_TOP};
    panel_body(&x, &pl, s, &tr, !legend);
}
