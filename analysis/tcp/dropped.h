/* dropped.h — the 4-tuples of the sessions the session cap kept out (internal to analysis/tcp,
 * for table.c), so that each dropped session counts once however many segments it has.
 *
 * The set knows a 4-tuple by its 64-bit hash alone (never 0: table.c's make_key) and is
 * bounded (DROPPED_SET_MAX slots, 8 MB); once it is full, a 4-tuple not in it counts as new
 * only when its segment is a SYN without ACK, the start of a session. */
#ifndef PCAP2REPORT_DROPPED_H
#define PCAP2REPORT_DROPPED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { DROPPED_SET_MAX = 1 << 20 };

struct dropped_set {
    uint64_t *slots; /* hashes; 0: empty */
    size_t n_slots, n;
};

/* Notes the 4-tuple of hash h, whose segment is a SYN without ACK when pure_syn. Returns true
 * when the tuple counts as a newly dropped session. */
bool dropped_set_note(struct dropped_set *d, uint64_t h, bool pure_syn);

void dropped_set_free(struct dropped_set *d);

#endif
