/* progress.h — what a batch shows on stderr while it runs: on a terminal, one line redrawn at
 * most five times a second ("files 3/300, 1200000 packets/s, 40 s left"); and messages from
 * any thread, printed whole, never inside the progress line. */
#ifndef PCAP2REPORT_PROGRESS_H
#define PCAP2REPORT_PROGRESS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct progress {
    pthread_mutex_t lock; /* guards the counters and stderr */
    bool draw;            /* stderr is a terminal and not --quiet: draw the line */
    struct timespec start;
    size_t files;         /* inputs in the batch */
    unsigned long long files_done, bytes_total, bytes_done, packets_done;
    double last_draw;     /* seconds since start */
};

void progress_init(struct progress *p, bool draw);
void progress_free(struct progress *p);

/* Starts the clock for a batch of files inputs (bytes_total is the caller's to add up). */
void progress_start(struct progress *p, size_t files);

/* Seconds since progress_init. */
double progress_seconds(const struct progress *p);

/* Prints one line (fmt ends with a newline) to stderr, erasing the progress line first. File
 * names come from strangers' disks: control characters in the line (an escape sequence would
 * drive the terminal, a newline forge a line) are escaped as ls -b does (term.h). */
void progress_say(struct progress *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A capture being read has got this far: redraws, unless another thread holds the line. */
void progress_reading(struct progress *p, unsigned long long bytes, unsigned long long packets);

/* A capture was converted: its bytes and packets count as done. */
void progress_converted(struct progress *p, unsigned long long bytes, unsigned long long packets);

/* An input is finished, whatever became of it: redraws. */
void progress_file_done(struct progress *p);

/* Erases the progress line at the end of the batch. */
void progress_end(struct progress *p);

#endif
