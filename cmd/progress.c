/* progress.c — the batch's progress line and messages on stderr (progress.h). */
#define _GNU_SOURCE
#include "progress.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term.h"

void progress_init(struct progress *p, bool draw)
{
    *p = (struct progress){.draw = draw};
    pthread_mutex_init(&p->lock, NULL);
    clock_gettime(CLOCK_MONOTONIC, &p->start);
}

void progress_start(struct progress *p, size_t files)
{
    p->files = files;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
}

void progress_free(struct progress *p) { pthread_mutex_destroy(&p->lock); }

double progress_seconds(const struct progress *p)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - p->start.tv_sec) + (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
}

/* Draws "files 3/300 · 1.2 M packets/s · 40 s left", at most 5 times a second; the caller
 * holds the lock. extra_*: what the capture being read has done so far. */
static void draw(struct progress *p, unsigned long long extra_bytes, unsigned long long extra_packets)
{
    double t = progress_seconds(p);
    if (!p->draw || t - p->last_draw < 0.2)
        return;
    p->last_draw = t;
    double bytes = (double)(p->bytes_done + extra_bytes), packets = (double)(p->packets_done + extra_packets);
    double rate = t > 0 ? packets / t : 0;
    fprintf(stderr, "\r\033[Kfiles %llu/%zu, %.0f packets/s", p->files_done, p->files, rate);
    if (bytes > 0 && p->bytes_total > bytes)
        fprintf(stderr, ", %.0f s left", t * ((double)p->bytes_total - bytes) / bytes);
}

void progress_say(struct progress *p, const char *fmt, ...)
{
    char *line = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&line, fmt, ap);
    va_end(ap);
    char *safe = n >= 0 ? term_escape(line, 1) : NULL;
    if (n >= 0)
        free(line);
    pthread_mutex_lock(&p->lock);
    if (p->draw)
        fputs("\r\033[K", stderr);
    fputs(safe ? safe : "pcap2report: out of memory\n", stderr);
    p->last_draw = 0;
    pthread_mutex_unlock(&p->lock);
    free(safe);
}

void progress_reading(struct progress *p, unsigned long long bytes, unsigned long long packets)
{
    if (p->draw && pthread_mutex_trylock(&p->lock) == 0) {
        draw(p, bytes, packets);
        pthread_mutex_unlock(&p->lock);
    }
}

void progress_converted(struct progress *p, unsigned long long bytes, unsigned long long packets)
{
    pthread_mutex_lock(&p->lock);
    p->packets_done += packets;
    p->bytes_done += bytes;
    pthread_mutex_unlock(&p->lock);
}

void progress_file_done(struct progress *p)
{
    pthread_mutex_lock(&p->lock);
    p->files_done++;
    draw(p, 0, 0);
    pthread_mutex_unlock(&p->lock);
}

void progress_end(struct progress *p)
{
    if (p->draw)
        fputs("\r\033[K", stderr);
}
