/* capfilter.c — one compiled BPF program per link type (see capfilter.h). */
#include "capfilter.h"
#include "grow.h"

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_SNAP = 262144 }; /* what the program returns for a match; any nonzero will do */

struct compiled {
    int dlt;
    bool ok;
    struct bpf_program prog;
    char err[PCAP_ERRBUF_SIZE + 64];
};

struct capfilter {
    char *expr;
    struct compiled *v;
    size_t n, cap;
    size_t last; /* the entry used last: packets of one link type come in runs */
};

struct capfilter *capfilter_new(const char *expr)
{
    struct capfilter *f = calloc(1, sizeof *f);
    if (f)
        f->expr = strdup(expr);
    if (!f || !f->expr) {
        capfilter_free(f);
        return NULL;
    }
    return f;
}

/* The entry for dlt, compiled on first use; NULL when out of memory. */
static struct compiled *compiled_for(struct capfilter *f, int dlt)
{
    if (f->n && f->v[f->last].dlt == dlt)
        return &f->v[f->last];
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].dlt == dlt)
            return &f->v[f->last = i];
    if (!GROW(f->v, f->cap, f->n + 1, 4))
        return NULL;
    struct compiled *c = &f->v[f->n];
    memset(c, 0, sizeof *c);
    c->dlt = dlt;
    pcap_t *p = pcap_open_dead(dlt, MAX_SNAP);
    if (!p) {
        snprintf(c->err, sizeof c->err, "cannot compile a filter for link type %d", dlt);
    } else if (pcap_compile(p, &c->prog, f->expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        const char *name = pcap_datalink_val_to_name(dlt);
        /* One message for a syntax error and for an expression this link type cannot have
         * (`ether host` on raw IP): libpcap's reason tells them apart. */
        snprintf(c->err, sizeof c->err, "bad filter \"%s\" for link type %d (%s): %s", f->expr, dlt,
                 name ? name : "no name", pcap_geterr(p));
    } else {
        c->ok = true;
    }
    if (p)
        pcap_close(p);
    f->last = f->n++;
    return c;
}

int capfilter_prepare(struct capfilter *f, int dlt, char *err, size_t errlen)
{
    struct compiled *c = compiled_for(f, dlt);
    if (!c || !c->ok) {
        snprintf(err, errlen, "%s", c ? c->err : "out of memory");
        return -1;
    }
    return 0;
}

int capfilter_match(struct capfilter *f, int dlt, const uint8_t *data, uint32_t caplen, uint32_t len,
                    char *err, size_t errlen)
{
    struct compiled *c = compiled_for(f, dlt);
    if (!c || !c->ok) {
        snprintf(err, errlen, "%s", c ? c->err : "out of memory");
        return -1;
    }
    struct pcap_pkthdr h;
    memset(&h, 0, sizeof h);
    h.caplen = caplen;
    h.len = len;
    return pcap_offline_filter(&c->prog, &h, data) != 0;
}

void capfilter_free(struct capfilter *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        if (f->v[i].ok)
            pcap_freecode(&f->v[i].prog);
    free(f->v);
    free(f->expr);
    free(f);
}

int capfilter_check(const char *expr, char *err, size_t errlen)
{
    static const int common[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW, DLT_NULL, DLT_LOOP,
                                 DLT_IEEE802_11_RADIO};
    snprintf(err, errlen, "out of memory");
    for (size_t i = 0; i < sizeof common / sizeof common[0]; i++) {
        pcap_t *p = pcap_open_dead(common[i], MAX_SNAP);
        if (!p)
            return -1;
        struct bpf_program prog;
        if (pcap_compile(p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0) {
            pcap_freecode(&prog);
            pcap_close(p);
            return 0;
        }
        if (i == 0)
            snprintf(err, errlen, "%s", pcap_geterr(p));
        pcap_close(p);
    }
    return -1;
}
