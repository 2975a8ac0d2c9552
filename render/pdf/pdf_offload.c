/* pdf_offload.c — bad checksums shown as errors or as expected offload (pdf_offload.h). */
#include "pdf_offload.h"

#include <stdlib.h>
#include <string.h>

/* The order of capture_report.offload_hosts (analysis/capture.c sorts them so): IP version,
 * then the 16 address bytes. */
static int compare_host(const void *key, const void *elem)
{
    const struct host_checksums *a = key, *b = elem;
    if (a->ip_version != b->ip_version)
        return a->ip_version - b->ip_version;
    return memcmp(a->addr, b->addr, 16);
}

bool pdf_offload_host(const struct capture_report *r, int ip_version, const uint8_t *addr)
{
    if (!r->n_offload_hosts)
        return false;
    struct host_checksums key = {.ip_version = (uint8_t)ip_version};
    memcpy(key.addr, addr, 16);
    /* Binary search: a capture may name thousands of such hosts (a flood of forged segments
     * with bad checksums), and every session asks. */
    return bsearch(&key, r->offload_hosts, r->n_offload_hosts, sizeof *r->offload_hosts, compare_host) != NULL;
}

bool pdf_offload_explains(const struct capture_report *r, const struct session *s)
{
    if (!session_has_anomaly(s, ANOMALY_BAD_CHECKSUM) || !r->n_offload_hosts)
        return false;
    bool any = false;
    for (int k = 0; k < 2; k++) {
        if (!s->side[k].bad_checksums)
            continue;
        if (!pdf_offload_host(r, s->ip_version, s->side[k].addr))
            return false;
        any = true;
    }
    return any;
}

uint32_t pdf_alarming_anomalies(const struct capture_report *r, const struct session *s)
{
    uint32_t bits = s->anomalies;
    if (pdf_offload_explains(r, s))
        bits &= ~(1u << ANOMALY_BAD_CHECKSUM);
    return bits;
}

uint64_t pdf_alarming_count(const struct capture_report *r, int a)
{
    uint64_t n = r->anomaly_counts[a];
    if (a != ANOMALY_BAD_CHECKSUM || !r->n_offload_hosts)
        return n;
    struct session_view v = {0};
    for (size_t i = 0; i < r->n_sessions && n; i++)
        n -= pdf_offload_explains(r, capture_session(r, i, &v));
    session_view_release(&v);
    return n;
}
