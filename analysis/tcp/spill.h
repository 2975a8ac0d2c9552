/* spill.h — the spill file: sessions that left memory, each written out as one record and
 * read back when a later segment or a reader needs it (internal to analysis/tcp; table.c
 * decides which sessions leave and when).
 *
 * The file is a temporary file without a name (O_TMPFILE, or created and unlinked at once),
 * so nothing is left behind however the program ends. Records are only ever appended: a
 * session that comes back into memory and leaves again gets a new record, and the old one is
 * never read again. A record is the session's fixed part with its zero words left out (most
 * of a session's words are zero: a SYN flood's sessions need about a third of their memory
 * size) followed by the arrays it owns, so reading one back gives the session exactly as it
 * was. */
#ifndef PCAP2REPORT_SPILL_H
#define PCAP2REPORT_SPILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracked.h"

struct spill;

/* A reader's windows onto the file. Sessions leave memory in runs (a sweep's, in order of id)
 * that readers, going through the sessions by id, take from all at once, each run forwards:
 * a window follows each run, reading more the longer it goes on (16 KB, doubling up to
 * 32 KB), the least recently used giving way to a new run. Zero-initialise; one per thread. */
enum { SPILL_WINDOWS = 16 };
struct spill_window {
    struct {
        unsigned char *buf;
        size_t cap, len;
        uint64_t off;  /* where buf starts in the file */
        size_t ahead;  /* how much its next read takes, at least */
        uint64_t used; /* when it was last read from */
    } w[SPILL_WINDOWS];
    uint64_t clock;
};

/* Creates the file in directory dir. NULL with a sentence in err when it cannot. */
struct spill *spill_open(const char *dir, char *err, size_t errlen);
void spill_close(struct spill *sp); /* accepts NULL */

/* Appends e's record and returns its offset, or -1 when writing failed, now or before
 * (spill_write_errno). e is left as it was. */
int64_t spill_write(struct spill *sp, const struct tracked_session *e);

/* Writes out what is still buffered; from then on spill_read may run in several threads at
 * once (each with its own window). false when writing failed (spill_write_errno); what could
 * not be written stays buffered, and readable. */
bool spill_flush(struct spill *sp);

/* Reads the session back from the record at off into e, whose memory is overwritten (what it
 * owned must have been freed: tracked_session_clear). false when reading failed (spill_read_errno)
 * or memory ran out; e then owns nothing. */
bool spill_read(struct spill *sp, uint64_t off, struct spill_window *w, struct tracked_session *e);

/* The errno of the first read that failed (reading a session back fails), and of the first
 * write that failed (sessions can no longer leave memory); 0 when none did. */
int spill_read_errno(const struct spill *sp);
int spill_write_errno(const struct spill *sp);

/* Notes a failure of reading a session back that happened outside this file (memory ran out
 * finishing it), unless one was noted before; for any thread. */
void spill_note_read_error(struct spill *sp, int err);

/* The bytes written so far. */
uint64_t spill_size(const struct spill *sp);

void spill_window_free(struct spill_window *w);

#endif
