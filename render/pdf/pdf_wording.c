/* pdf_wording.c — the template keys the PDF documents use (pdf_wording.h).
 *
 * The schema below is the contract with templates/<lang>.txt: a translation must define every
 * key, and may use only the placeholders listed for it. */
#include "pdf_wording.h"

/* Placeholders every session sentence may use (filled by pdf_session.c). */
#define SESSION_VARS \
    "id number client server client_port server_port client_isn server_isn closer passive " \
    "waiter rst_sender syn_packet peer_syn_packet synack_packet ack_packet fin1_packet " \
    "fin2_packet fin2_delay ackfin1_packet lastack_packet rst_packet rtt1 rtt2 handshake " \
    "teardown client_syns server_synacks c_rexmit s_rexmit bad_checksums c_packets s_packets " \
    "c_bytes s_bytes c_state s_state conn_state history completeness ipv"
#define CHECK_VARS SESSION_VARS " actual expected fin_seq packet"
/* Placeholders every grader's reason may use (render/grade_words.c): the values of its clauses
 * (analysis/grade.c), {before} and {details} for the text they continue or hold, {wanted} for
 * the target server in words. */
#define GRADE_VARS \
    "before details wanted session sessions client server capture handshake teardown syn synack " \
    "ack first second rst syns packet closer passive sender fin1 ack1 fin2 ack2 x y x1 y1 actual " \
    "expected side peer fin seq bytes fin_seq hosts ports anomalies names client_bytes " \
    "server_bytes min state ipv error packets"

const struct tpl_key_spec pdf_wording_schema[] = {
    {"@encoding", ""}, {"@font.regular", ""}, {"@font.bold", ""}, {"@thousands", ""},

    {"doc.title", "file"}, {"doc.subject", "file"},
    {"footer.left", "version file"}, {"footer.right", "page pages"},
    {"outline.summary", ""}, {"outline.table", ""}, {"outline.table-page", "first last"},
    {"outline.diagrams", ""},
    {"outline.session", "id client server handshake teardown"},
    {"outline.session-anomalies", "id client server handshake teardown anomalies"},

    {"summary.heading", ""}, {"summary.capture", ""},
    {"field.file", ""}, {"field.size", ""}, {"field.size-value", "bytes"},
    {"field.sha256", ""}, {"field.format", ""},
    {"field.format-value", "format link dlt precision"},
    {"precision.us", ""}, {"precision.ns", ""},
    {"field.time", ""}, {"field.time-value", "first last duration"}, {"field.time-none", ""},
    {"field.packets", ""}, {"field.packets-value", "total tcp"},
    {"packets.not_ip", "count"}, {"packets.not_tcp", "count"}, {"packets.fragment", "count"},
    {"packets.truncated", "count"}, {"packets.malformed", "count"},
    {"packets.filtered", "count"}, {"packets.session_cap", "count"},
    {"field.sessions", ""}, {"field.sessions-value", "count v4 v6"},
    {"field.sessions-dropped", "count"},
    {"field.checksums", ""}, {"field.checksums-none", ""}, {"field.checksums-bad", "count"},
    {"field.checksums-offload", "hosts"},
    {"field.warnings", ""}, {"field.warnings-none", ""},
    {"warning.item", "packet message code"}, {"warning.item-capture", "message code"},
    {"warnings.more", "count"},
    {"summary.report", ""},
    {"field.producer", ""}, {"field.producer-value", "version schema"},
    {"field.options", ""},
    {"field.date", ""}, {"field.date-value", "date"}, {"field.date-none", ""},

    {"batch.title", ""}, {"batch.heading", ""}, {"batch.file", ""}, {"batch.totals", ""},
    {"batch.inputs", "count"}, {"batch.converted", "count"}, {"batch.up-to-date", "count"},
    {"batch.failed", "count"}, {"batch.skipped", "count"}, {"batch.sessions", "count"},
    {"batch.packets", "count"}, {"batch.failures", ""}, {"batch.failures-none", ""},
    {"batch.failure-item", "input reason"}, {"batch.more-failures", "count"},
    {"chart.handshake", ""}, {"chart.teardown", ""}, {"chart.anomalies", ""},
    {"chart.anomalies-none", ""}, {"chart.anomaly-item", "name count"},

    {"table.heading", ""}, {"table.continued", ""},
    {"table.col.id", ""}, {"table.col.endpoints", ""}, {"table.col.start", ""},
    {"table.col.duration", ""}, {"table.col.packets", ""}, {"table.col.handshake", ""},
    {"table.col.teardown", ""}, {"table.col.zeek", ""}, {"table.col.anomalies", ""},
    {"table.packets", "c2s s2c"}, {"table.generation", "number"},
    {"table.no-anomaly", ""}, {"table.more-anomalies", "count"},

    {"diagrams.all", "total"},
    {"diagrams.capped", "drawn total limit omitted example"},
    {"diagrams.filtered", "drawn total filter"},
    {"diagrams.filtered-capped", "drawn total selected filter omitted limit"},
    {"diagrams.filtered-none", "filter"},
    {"summary.no-sessions", ""},

    {"session.heading", "id"}, {"session.heading-generation", "id number"},
    {"session.continued", "id"},
    {"session.meta", "ipv start duration packets bytes"},
    {"session.back", ""}, {"role.client", ""}, {"role.server", ""},
    {"word.client", ""}, {"word.server", ""},
    {"lifeline.isn", "isn"}, {"lifeline.isn-unknown", ""},
    {"diagram.fold", "packets"},
    {"diagram.fold-c2s", "packets bytes"}, {"diagram.fold-s2c", "packets bytes"},
    {"diagram.pause", "duration"}, {"diagram.time-wait", ""},
    {"phase.handshake", ""}, {"phase.teardown", ""},
    {"mark.retransmission", ""}, {"mark.out-of-order", ""}, {"mark.bad-ack", ""},
    {"mark.zero-window", ""}, {"mark.bad-checksum", ""},

    {"panel.handshake", SESSION_VARS}, {"panel.teardown", SESSION_VARS},
    {"panel.time-wait", SESSION_VARS}, {"panel.anomalies", SESSION_VARS},
    {"panel.facts", SESSION_VARS}, {"panel.legend", ""},

    {"handshake.normal", SESSION_VARS}, {"handshake.normal-no-syn", SESSION_VARS},
    {"handshake.simultaneous-open", SESSION_VARS}, {"handshake.refused", SESSION_VARS},
    {"handshake.syn-only", SESSION_VARS}, {"handshake.no-final-ack", SESSION_VARS},
    {"handshake.missing", SESSION_VARS}, {"handshake.rtt", SESSION_VARS},
    {"handshake.capture-near-client", SESSION_VARS},
    {"handshake.capture-near-server", SESSION_VARS},
    {"handshake.capture-midway", SESSION_VARS},

    {"check.synack-ack.pass", CHECK_VARS}, {"check.synack-ack.fail", CHECK_VARS},
    {"check.final-ack.pass", CHECK_VARS}, {"check.final-ack.fail", CHECK_VARS},
    {"check.client-fin-ack.pass", CHECK_VARS}, {"check.client-fin-ack.fail", CHECK_VARS},
    {"check.server-fin-ack.pass", CHECK_VARS}, {"check.server-fin-ack.fail", CHECK_VARS},
    {"check.where", CHECK_VARS},

    {"teardown.four-way", SESSION_VARS}, {"teardown.merged-fin", SESSION_VARS},
    {"teardown.simultaneous-close", SESSION_VARS}, {"teardown.rst", SESSION_VARS},
    {"teardown.rst-after-fin", SESSION_VARS}, {"teardown.incomplete", SESSION_VARS},
    {"teardown.half-closed", SESSION_VARS}, {"teardown.none", SESSION_VARS},
    {"teardown.none-not-open", SESSION_VARS},
    {"timewait.one", SESSION_VARS}, {"timewait.both", SESSION_VARS},

    {"anomaly.syn-retransmitted", SESSION_VARS}, {"anomaly.synack-retransmitted", SESSION_VARS},
    {"anomaly.fin-retransmitted", SESSION_VARS}, {"anomaly.retransmission", SESSION_VARS},
    {"anomaly.out-of-order", SESSION_VARS}, {"anomaly.bad-ack", SESSION_VARS},
    {"anomaly.rst-after-fin", SESSION_VARS}, {"anomaly.data-on-syn", SESSION_VARS},
    {"anomaly.zero-window", SESSION_VARS}, {"anomaly.isn-zero", SESSION_VARS},
    {"anomaly.final-ack-not-captured", SESSION_VARS}, {"anomaly.roles-inferred", SESSION_VARS},
    {"anomaly.truncated", SESSION_VARS}, {"anomaly.bad-checksum", SESSION_VARS},
    {"anomaly.rst-during-handshake", SESSION_VARS}, {"anomaly.syn-not-captured", SESSION_VARS},
    {"anomaly.malformed-options", SESSION_VARS}, {"anomaly.data-after-fin", SESSION_VARS},

    {"facts.client", SESSION_VARS}, {"facts.server", SESSION_VARS}, {"facts.tools", SESSION_VARS},
    {"legend.relative", ""}, {"legend.absolute", ""},

    /* The HTML report and the batch's index.html (render/html*.c, issue 17). */
    {"html.charts", ""}, {"html.filter.class", ""}, {"html.filter.anomaly", ""},
    {"html.filter.endpoint", ""}, {"html.filter.all", ""}, {"html.filter.any-anomaly", ""},
    {"html.filter.no-anomaly", ""}, {"html.filter.placeholder", ""}, {"html.filter.handshake", "name"},
    {"html.filter.teardown", "name"}, {"html.shown", "shown total"}, {"html.sort-hint", ""},
    {"html.col.stream", ""}, {"html.table-capped", "shown total"}, {"html.no-script", ""},
    {"html.explain", ""}, {"html.index.col.input", ""}, {"html.index.col.status", ""},
    {"html.index.col.sessions", ""}, {"html.index.col.packets", ""}, {"html.index.col.reports", ""}, {"html.more", "count"},

    /* pcap2report grade: the feedback PDF, and the grader's reasons (docs/grading.md). */
    {"grade.pdf.title", "student"}, {"grade.pdf.subject", "rubric"}, {"grade.pdf.rubric", "rubric"},
    {"grade.pdf.rubric-titled", "title rubric"}, {"grade.pdf.total", "points max"},
    {"grade.pdf.capture", "capture packets sessions"},
    {"grade.pdf.capture-unreadable", "capture error"}, {"grade.pdf.no-points", "error"},
    {"grade.pdf.pass", ""}, {"grade.pdf.lost", ""}, {"grade.pdf.how", "reason"},
    {"grade.pdf.why", "reason"}, {"grade.pdf.see", "session client server"},
    {"grade.pdf.see-in", "session client server capture"}, {"grade.pdf.footer", "student"},
    {"grade.pdf.outline-session", "session"}, {"grade.pdf.outline-session-in", "session capture"},
    {"grade.none", ""}, {"grade.join", "first next"}, {"grade.sentences", "first next"},
    {"grade.list.comma", "list item"}, {"grade.list.or", "list item"},
    {"grade.list.and", "list item"}, {"grade.class", "words name"}, {"grade.target.host", "hosts"},
    {"grade.target.port", "ports"}, {"grade.target.both", "host port"},
    {"grade.handshake.normal", ""}, {"grade.handshake.simultaneous-open", ""},
    {"grade.handshake.refused", ""}, {"grade.handshake.syn-only", ""},
    {"grade.handshake.no-final-ack", ""}, {"grade.handshake.missing", ""},
    {"grade.teardown.four-way", ""}, {"grade.teardown.merged-fin", ""},
    {"grade.teardown.simultaneous-close", ""}, {"grade.teardown.rst", ""},
    {"grade.teardown.incomplete", ""}, {"grade.teardown.half-closed", ""},
    {"grade.teardown.none", ""}, {"grade.anomaly.syn-retransmitted", ""},
    {"grade.anomaly.synack-retransmitted", ""}, {"grade.anomaly.fin-retransmitted", ""},
    {"grade.anomaly.retransmission", ""}, {"grade.anomaly.out-of-order", ""},
    {"grade.anomaly.bad-ack", ""}, {"grade.anomaly.rst-after-fin", ""},
    {"grade.anomaly.data-on-syn", ""}, {"grade.anomaly.zero-window", ""},
    {"grade.anomaly.isn-zero", ""}, {"grade.anomaly.final-ack-not-captured", ""},
    {"grade.anomaly.roles-inferred", ""}, {"grade.anomaly.truncated", ""},
    {"grade.anomaly.bad-checksum", ""}, {"grade.anomaly.rst-during-handshake", ""},
    {"grade.anomaly.syn-not-captured", ""}, {"grade.anomaly.malformed-options", ""},
    {"grade.anomaly.data-after-fin", ""}, {"grade.lead.session", GRADE_VARS},
    {"grade.lead.session-in", GRADE_VARS}, {"grade.lead.closest", GRADE_VARS},
    {"grade.lead.closest-in", GRADE_VARS}, {"grade.not-applicable", GRADE_VARS},
    {"grade.no-session", GRADE_VARS}, {"grade.error.nothing", GRADE_VARS},
    {"grade.error.unreadable", GRADE_VARS}, {"grade.error.no-packets", GRADE_VARS},
    {"grade.error.no-tcp", GRADE_VARS}, {"grade.asks", GRADE_VARS},
    {"grade.opens.normal", GRADE_VARS}, {"grade.opens.normal-no-syn", GRADE_VARS},
    {"grade.opens.simultaneous-open", GRADE_VARS}, {"grade.opens.refused", GRADE_VARS},
    {"grade.opens.syn-only", GRADE_VARS}, {"grade.opens.no-final-ack", GRADE_VARS},
    {"grade.opens.no-final-ack-no-syn", GRADE_VARS}, {"grade.opens.missing", GRADE_VARS},
    {"grade.ends.four-way", GRADE_VARS}, {"grade.ends.merged-fin", GRADE_VARS},
    {"grade.ends.simultaneous-close", GRADE_VARS}, {"grade.ends.rst", GRADE_VARS},
    {"grade.ends.rst-after-fin", GRADE_VARS}, {"grade.ends.incomplete", GRADE_VARS},
    {"grade.ends.half-closed", GRADE_VARS}, {"grade.ends.not-open", GRADE_VARS},
    {"grade.ends.none", GRADE_VARS}, {"grade.hs-arith.no-synack", GRADE_VARS},
    {"grade.hs-arith.no-syn", GRADE_VARS}, {"grade.hs-arith.no-ack", GRADE_VARS},
    {"grade.hs-arith.right", GRADE_VARS}, {"grade.hs-arith.right-no-third", GRADE_VARS},
    {"grade.hs-arith.synack-ack", GRADE_VARS}, {"grade.hs-arith.ack-seq", GRADE_VARS},
    {"grade.hs-arith.ack-ack", GRADE_VARS}, {"grade.fin-arith.no-fin", GRADE_VARS},
    {"grade.fin-arith.no-fin-side", GRADE_VARS}, {"grade.fin-arith.unacked", GRADE_VARS},
    {"grade.fin-arith.right", GRADE_VARS}, {"grade.fin-arith.right-data", GRADE_VARS},
    {"grade.fin-arith.also-right", GRADE_VARS}, {"grade.fin-arith.also-right-data", GRADE_VARS},
    {"grade.fin-arith.wrong", GRADE_VARS}, {"grade.fin-arith.wrong-data", GRADE_VARS},
    {"grade.server.right", GRADE_VARS}, {"grade.server.wrong", GRADE_VARS},
    {"grade.anomaly.shows", GRADE_VARS}, {"grade.anomaly.not-allowed", GRADE_VARS},
    {"grade.anomaly.none-of", GRADE_VARS}, {"grade.data.sent", GRADE_VARS},
    {"grade.data.asks-client", GRADE_VARS}, {"grade.data.asks-server", GRADE_VARS},
    {"grade.data.asks-both", GRADE_VARS}, {"grade.data.asks-either", GRADE_VARS},
    {"grade.rst.sent", GRADE_VARS}, {"grade.rst.sent-unnumbered", GRADE_VARS},
    {"grade.rst.neither", GRADE_VARS}, {"grade.rst.only-peer", GRADE_VARS},
    {"grade.rst.none", GRADE_VARS}, {"grade.closer.no-fin", GRADE_VARS},
    {"grade.closer.first", GRADE_VARS}, {"grade.closer.asks", GRADE_VARS},
    {"grade.conn-state", GRADE_VARS}, {"grade.ip-version", GRADE_VARS},
};
const size_t pdf_wording_schema_len = sizeof pdf_wording_schema / sizeof pdf_wording_schema[0];
