/* classify.h — the verdicts on a finished session, as shared/TAXONOMY.md defines them.
 *
 * Every function here is a pure function of the facts the session table recorded; none looks
 * at packets. classify_session() runs them all and stores the results in the session. */
#ifndef PCAP2REPORT_CLASSIFY_H
#define PCAP2REPORT_CLASSIFY_H

#include "session.h"

enum handshake_class classify_handshake(const struct session *s);

/* Only one side's segments were captured, and they show the other side was there: the side
 * sent a segment with ACK and without SYN or RST (asymmetric routing, a capture filter). */
bool classify_one_sided(const struct session *s);

/* A RST ended a handshake that never completed (not a refusal): s->handshake must be set. */
bool classify_handshake_aborted(const struct session *s);

/* The teardown class; *active_closer gets the side whose FIN came first (ROLE_NONE if none). */
enum teardown_class classify_teardown(const struct session *s, enum handshake_class hs,
                                      int *active_closer);

/* The acknowledgement checks a teacher expects (SYN/ACK, final ACK, the ACK of each FIN);
 * writes at most SESSION_MAX_CHECKS into checks and returns how many. */
unsigned classify_checks(const struct session *s, struct session_check *checks);

/* Fills handshake, teardown, active_closer, checks, RTTs, and the anomalies
 * that follow from the verdicts. Safe to call again. */
void classify_session(struct session *s);

#endif
