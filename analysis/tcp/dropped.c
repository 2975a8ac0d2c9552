/* dropped.c — the 4-tuples of the sessions the session cap kept out (dropped.h): an open
 * addressing set of hashes, at most 3/4 full. */
#include "dropped.h"

#include <stdlib.h>

static bool grow(struct dropped_set *d)
{
    size_t n = d->n_slots ? d->n_slots * 2 : 4096;
    uint64_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < d->n_slots; i++) {
        if (!d->slots[i])
            continue;
        size_t j = d->slots[i] & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = d->slots[i];
    }
    free(d->slots);
    d->slots = slots;
    d->n_slots = n;
    return true;
}

bool dropped_set_note(struct dropped_set *d, uint64_t h, bool pure_syn)
{
    bool full = (d->n + 1) * 4 > d->n_slots * 3 && (d->n_slots >= DROPPED_SET_MAX || !grow(d));
    if (!d->n_slots)
        return pure_syn;
    size_t mask = d->n_slots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) { /* ends: at most 3/4 of the slots are used */
        if (d->slots[i] == h)
            return false;
        if (!d->slots[i]) {
            if (full)
                return pure_syn;
            d->slots[i] = h;
            d->n++;
            return true;
        }
    }
}

void dropped_set_free(struct dropped_set *d)
{
    free(d->slots);
    d->slots = NULL;
    d->n_slots = d->n = 0;
}
