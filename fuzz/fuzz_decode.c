/* fuzz_decode.c — libFuzzer harness: frames of every supported link type through the decoder,
 * the session table, the classifier and the JSON writer.
 *
 * Input layout (fuzz/README.md; fuzz/mkseeds.c writes it):
 *   byte 0      link type, an index into fuzz_links[] (modulo its length)
 *   byte 1      table settings: low 4 bits max_sessions (0: no cap), high 4 bits the idle
 *               timeout in seconds (0: the default)
 *   then frames, each: u16 BE captured length, u8 extra wire bytes, u8 time step, bytes
 * A time step of 255 moves the clock back one second (captures merged out of order do that);
 * any other value moves it forward by that many 10 ms steps. Each frame is copied into a
 * buffer of exactly its captured length, so a read past caplen is an ASan finding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "classify.h"
#include "decode.h"
#include "fuzz_check.h"
#include "table.h"

enum { MAX_FRAMES = 4096, TIMELINE_MAX_EVENTS = 64 /* session_table.c */ };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    int link = fuzz_links[data[0] % FUZZ_LINKS];
    /* Half the inputs with every session leaving memory at every segment (table.h). */
    struct session_table_config cfg = {.max_sessions = data[1] & 0x0f,
                                       .idle_timeout_ns = (int64_t)(data[1] >> 4) * 1000000000,
                                       .spill_dir = "/tmp", .spill_eagerly = (data[0] / FUZZ_LINKS) & 1};
    struct capture_report *r = calloc(1, sizeof *r);
    if (!r)
        return 0;
    r->table = session_table_new(&cfg);
    r->file_name = strdup("fuzz");
    if (!r->table || !r->file_name) {
        capture_report_free(r);
        return 0;
    }
    r->format = "pcap";
    r->link_type = link;
    snprintf(r->link_name, sizeof r->link_name, "DLT_%d", link);
    r->ts_digits = 9;

    int64_t ts = 1700000000LL * 1000000000;
    size_t pos = 2;
    while (size - pos >= 4 && r->counts.total < MAX_FRAMES) {
        size_t caplen = (size_t)data[pos] << 8 | data[pos + 1];
        size_t wirelen = caplen + data[pos + 2];
        uint8_t step = data[pos + 3];
        pos += 4;
        if (caplen > size - pos)
            caplen = size - pos;
        if (wirelen < caplen)
            wirelen = caplen;
        ts += step == 255 ? -1000000000LL : (int64_t)step * 10000000;

        uint8_t *frame = malloc(caplen ? caplen : 1);
        if (!frame)
            break;
        memcpy(frame, data + pos, caplen);
        pos += caplen;

        uint64_t n = ++r->counts.total;
        struct decoded_packet pkt;
        const char *why = NULL;
        enum decode_outcome o = decode_packet(link, frame, caplen, wirelen, &pkt, &why);
        free(frame);
        if ((unsigned)o >= DECODE_OUTCOMES)
            abort();
        r->counts.by_outcome[o]++;
        if ((o == DECODE_TRUNCATED || o == DECODE_MALFORMED) && !why)
            abort(); /* every bad packet must say what was wrong */
        if (o == DECODE_TCP && !session_table_add(r->table, &pkt, ts, n)) {
            if (session_table_oom(r->table))
                break;
            r->counts.session_cap++;
        }
    }

    session_table_finish(r->table);
    r->n_sessions = session_table_count(r->table);
    r->sessions_dropped = session_table_sessions_dropped(r->table);
    if (cfg.max_sessions && r->n_sessions > cfg.max_sessions)
        abort(); /* the cap must hold */
    struct session_view v = {0};
    for (size_t i = 0; i < r->n_sessions; i++) {
        const struct session *s = session_table_get(r->table, i, &v); /* classified by the table */
        if (s->n_events > TIMELINE_MAX_EVENTS || s->n_checks > SESSION_MAX_CHECKS || s->id != i + 1)
            abort(); /* the timeline and the checks are bounded; a session reads back whole */
    }
    session_view_release(&v);
    if (session_table_read_problem(r->table))
        abort();
    fuzz_check_report(r);
    capture_report_free(r);
    return 0;
}
