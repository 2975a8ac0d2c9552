/* zeek.h — Zeek's view of a connection (shared/ZEEK-CONN-STATE.md): its endpoint machine, the
 * history letters and conn_state. zeek_update is internal to analysis/tcp (the table calls it
 * per segment); zeek_conn_state is the classifier's. */
#ifndef PCAP2REPORT_ZEEK_H
#define PCAP2REPORT_ZEEK_H

#include <stdint.h>

#include "decode.h"
#include "segment.h"
#include "session.h"

/* What writing one side's history letters needs, kept by the table beside the session. All
 * zero to start. */
struct zeek_tracker {
    uint32_t last_syn, last_fin, last_rst; /* sequence numbers of its last S/H, F and R */
    uint8_t seen;                          /* letters already written (ZSEEN_* in zeek.c) */
    uint8_t rexmit_log, zwin_log;          /* next power of 10 of T and W to write */
};

/* Moves the Zeek endpoint states of s (session_side.zeek_state, .zeek_prev_state) and appends
 * the history letters for segment p from side dir, whose facts segment_record found (f).
 * z holds both sides' trackers. */
void zeek_update(struct session *s, struct zeek_tracker z[2], int dir, const struct decoded_packet *p,
                 const struct segment_facts *f);

/* Zeek's conn_state (main.zeek conn_state()), from the endpoint states and the history:
 * "S0", "SF", "REJ", "RSTO" ... */
const char *zeek_conn_state(const struct session *s);

#endif
