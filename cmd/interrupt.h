/* interrupt.h — SIGINT (Ctrl-C), SIGTERM, SIGHUP (a closed terminal, a dropped ssh) and
 * SIGPIPE, handled the same way in every subcommand: the temporaries of the outputs being
 * written are removed (outfile.h), finished outputs stay, and the program ends by the signal
 * itself, which shells report as status 128+signal (130, 143, 129, 141).
 *
 * Dying by the signal rather than exiting with that number is what lets a shell loop around
 * pcap2report stop at Ctrl-C too (bash's "wait and cooperative exit"). The signals are blocked
 * in every thread and taken by one thread of their own with sigwait, so the work done on a
 * signal (taking the lock of the temporaries, unlinking them) needs no async-signal-safe
 * tricks, and no temporary can be created after it has started. */
#ifndef PCAP2REPORT_INTERRUPT_H
#define PCAP2REPORT_INTERRUPT_H

#include <stdbool.h>

/* Called first in main(), before any other thread exists: blocks the signals in this thread
 * (every thread started later inherits that) and starts the thread that waits for them. A
 * SIGHUP or SIGPIPE the parent set to be ignored stays ignored (nohup; a SIGPIPE ignored
 * makes a closed standard output an error instead). If the thread cannot start, the signals
 * keep their default action. */
void interrupt_catch(void);

/* At the program's normal end: stops the waiting thread (so that nothing of it is left for a
 * leak checker). A signal arriving from then on is not taken; the program is ending anyway. */
void interrupt_release(void);

/* Whether a signal has arrived (the program is about to end). */
bool interrupt_requested(void);

/* Ends the program as sig would, after removing the temporaries: for a closed standard
 * output found as EPIPE (SIGPIPE is blocked, so the write returned an error instead). Returns
 * only when sig is ignored (SIGPIPE under a parent that ignores it). */
void interrupt_die(int sig);

#endif
