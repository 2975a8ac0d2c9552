/* batch.h — a conversion run over its inputs: collect them (files and folders, this machine's
 * shard), convert them on up to N threads (each capture analysed and written by one thread),
 * then write the batch index and decide the exit status: 0 when every input converted, 1
 * when some input failed (the others still converted), 2 for a usage error; a signal ends the
 * program on its own (interrupt.h). */
#ifndef PCAP2REPORT_BATCH_H
#define PCAP2REPORT_BATCH_H

#include <pthread.h>
#include <stddef.h>

#include "inputs.h"
#include "outfile.h"
#include "progress.h"
#include "settings.h"

struct batch {
    const struct settings *st;
    struct outdir out;    /* OUT, open from batch_collect on (not with -o -) */
    struct input_list inputs;
    struct progress progress;
    pthread_mutex_t lock; /* guards next */
    size_t next;          /* the next input a worker looks at */
};

/* Prepares b for a run with st (borrowed until batch_free); cannot fail. */
void batch_init(struct batch *b, const struct settings *st);

/* Creates and opens the output folder, collects the inputs (leaving OUT out), keeps this
 * machine's shard and says which folder entries are skipped and why. Returns EXIT_OK to go
 * on, or the exit status (after printing why). */
int batch_collect(struct batch *b);

/* Converts every pending input, on as many threads as -j allows (this one included), until
 * all are done or the run is interrupted. */
void batch_convert(struct batch *b);

/* Writes the batch index (and its PDF summary) and the closing line; returns the exit status. */
int batch_finish(struct batch *b);

void batch_free(struct batch *b);

#endif
