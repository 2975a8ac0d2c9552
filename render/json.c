/* json.c — the JSON renderer: capture report in, documented JSON out (docs/json.md).
 *
 * Streamed as text through the bounded writer of json_text.h: the first line (schema and
 * tool: what produced the report), then the input and the summary, one line each, then one
 * line per session (json_session.c), rendered in batches, on two threads when the run's core
 * budget spares a core. 64-bit counters and timestamps are exact decimal text; strings taken
 * from outside (file names, the filter, warnings) are made valid UTF-8. The bytes are those
 * cJSON_PrintUnformatted gave when this file built trees with it. */
#include "json.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "json_session.h"
#include "json_text.h"
#include "utf8.h"

/* ---- strings from outside ----------------------------------------------------------------- */

char *json_utf8_clean(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 3 + 1), *w = out;
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    while (*p) {
        size_t len = utf8_char(p, (size_t)(end - p), NULL);
        if (len) {
            memcpy(w, p, len);
            w += len;
            p += len;
        } else {
            memcpy(w, "\xef\xbf\xbd", 3);
            w += 3;
            p++;
        }
    }
    *w = '\0';
    return out;
}

/* A string as json_utf8_clean would make it, escaped and quoted: each valid sequence as it is
 * (an ASCII byte escaped as json_str does), each other byte as U+FFFD. Room is asked for
 * sequence by sequence: 6 bytes at most (\u00XX; a sequence 4, U+FFFD 3) and the closing
 * quote. */
static struct json_at clean_str(struct json_buf *b, struct json_at a, const char *s)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s);
    a = JSON_LIT(b, a, "\"");
    while (*p) {
        a = json_need(b, a, JSON_ROOM(6 + 1));
        size_t len = utf8_char(p, (size_t)(end - p), NULL);
        if (len == 1) {
            a.p = json_escape_(a.p, *p++);
        } else if (len) {
            memcpy(a.p, p, len);
            a.p += len;
            p += len;
        } else {
            memcpy(a.p, "\xef\xbf\xbd", 3);
            a.p += 3;
            p++;
        }
    }
    return JSON_LIT(b, a, "\"");
}

/* A member of an object whose key is a name from the vocabulary: "name": after a comma
 * unless it is the first. */
static struct json_at member(struct json_buf *b, struct json_at a, const char *name)
{
    return JSON_LIT(b, JSON_SEP_STR(b, a, name), ":");
}

/* ---- the header parts --------------------------------------------------------------------- */

/* The first line, up to the "tool" object. */
static struct json_at header_json(struct json_buf *b, struct json_at a, const struct json_provenance *prov)
{
    a = JSON_LIT_STR(b, a, "{\"schema\":{\"name\":", PCAP2REPORT_SCHEMA_NAME);
    a = JSON_KEY_STR(b, a, "version", PCAP2REPORT_SCHEMA_VERSION);
    a = JSON_LIT_STR(b, a, "},\"tool\":{\"name\":", "pcap2report");
    a = JSON_KEY_STR(b, a, "version", prov->tool_version);
    a = JSON_LIT(b, a, ",\"options\":{\"filter\":");
    a = prov->filter ? clean_str(b, a, prov->filter) : JSON_LIT(b, a, "null");
    a = JSON_KEY_U64(b, a, "max_sessions", prov->max_sessions);
    a = JSON_KEY_U64(b, a, "idle_timeout_s", (uint64_t)prov->idle_timeout_s);
    return JSON_LIT(b, a, "}}");
}

static struct json_at checksums_json(struct json_buf *b, struct json_at a, const struct capture_report *r)
{
    a = JSON_LIT_U64(b, a, "{\"bad\":", r->bad_checksums);
    a = JSON_LIT(b, a, ",\"offload_suspected\":[");
    for (size_t i = 0; i < r->n_offload_hosts; i++) {
        char ip[IP_ADDRESS_STRING_LEN];
        ip_address_string(r->offload_hosts[i].ip_version, r->offload_hosts[i].addr, ip);
        a = JSON_SEP_STR(b, a, ip);
    }
    return JSON_LIT(b, a, "]}");
}

/* Each interface of the capture (one for a pcap file), in file order: a pcapng file may
 * have several, each with its own link type and snap length. */
static struct json_at interfaces_json(struct json_buf *b, struct json_at a, const struct capture_report *r)
{
    a = JSON_LIT(b, a, "[");
    for (size_t i = 0; i < r->n_interfaces; i++) {
        const struct capture_interface *f = &r->interfaces[i];
        a = JSON_SEP_LIT_U64(b, a, "{\"id\":", i);
        a = JSON_KEY_U64(b, a, "section", f->section);
        a = JSON_KEY(b, a, "name");
        a = f->name[0] ? clean_str(b, a, f->name) : JSON_LIT(b, a, "null");
        a = json_i64(b, JSON_LIT(b, a, ",\"link_type\":{\"value\":"), f->link_type);
        a = JSON_KEY_STR(b, a, "name", f->link_name);
        a = JSON_LIT_U64(b, a, "},\"snaplen\":", f->snaplen);
        a = JSON_KEY_U64(b, a, "packets", f->packets);
        a = JSON_LIT(b, a, "}");
    }
    return JSON_LIT(b, a, "]");
}

static struct json_at input_json(struct json_buf *b, struct json_at a, const struct capture_report *r)
{
    a = clean_str(b, JSON_FIRST_KEY(b, a, "file_name"), r->file_name);
    a = JSON_KEY_U64(b, a, "size_bytes", r->size_bytes);
    a = JSON_KEY_STR(b, a, "sha256", r->sha256);
    a = JSON_KEY_STR(b, a, "format", r->format);
    a = json_i64(b, JSON_LIT(b, a, ",\"link_type\":{\"value\":"), r->link_type);
    a = JSON_KEY_STR(b, a, "name", r->link_name);
    a = interfaces_json(b, JSON_LIT(b, a, "},\"interfaces\":"), r);
    a = JSON_LIT_STR(b, a, ",\"timestamp_precision\":", r->ts_digits == 9 ? "ns" : "us");
    a = JSON_LIT_U64(b, a, ",\"packets\":{\"total\":", r->counts.total);
    for (int o = 0; o < DECODE_OUTCOMES; o++)
        a = json_u64(b, member(b, a, decode_outcome_name((enum decode_outcome)o)), r->counts.by_outcome[o]);
    a = JSON_KEY_U64(b, a, "filtered_out", r->counts.filtered_out);
    a = JSON_KEY_U64(b, a, "session_cap", r->counts.session_cap);
    a = JSON_LIT(b, a, "}");
    if (r->have_packets) {
        a = JSON_KEY_TIME(b, a, "first_time", r->first_ts, r->ts_digits);
        a = JSON_KEY_TIME(b, a, "last_time", r->last_ts, r->ts_digits);
    } else {
        a = JSON_LIT(b, a, ",\"first_time\":null,\"last_time\":null");
    }
    a = checksums_json(b, JSON_KEY(b, a, "checksums"), r);
    a = JSON_LIT(b, a, ",\"warnings\":[");
    for (size_t i = 0; i < r->n_warnings; i++) {
        const struct capture_warning *w = &r->warnings[i];
        a = JSON_SEP_LIT_STR(b, a, "{\"code\":", w->code);
        a = JSON_KEY(b, a, "packet");
        a = w->packet ? json_u64(b, a, w->packet) : JSON_LIT(b, a, "null");
        a = clean_str(b, JSON_KEY(b, a, "message"), w->message);
        a = JSON_LIT(b, a, "}");
    }
    a = JSON_LIT_U64(b, a, "],\"warnings_suppressed\":", r->warnings_suppressed);
    return JSON_LIT(b, a, "}");
}

static struct json_at summary_json(struct json_buf *b, struct json_at a, const struct capture_report *r)
{
    a = JSON_LIT_U64(b, a, "{\"sessions\":", r->n_sessions);
    a = JSON_KEY_U64(b, a, "sessions_dropped", r->sessions_dropped);
    a = JSON_LIT(b, a, ",\"handshake\":{");
    for (int c = 0; c < HANDSHAKE_CLASSES; c++)
        a = json_u64(b, member(b, a, handshake_class_name((enum handshake_class)c)), r->handshake_counts[c]);
    a = JSON_LIT(b, a, "},\"teardown\":{");
    for (int c = 0; c < TEARDOWN_CLASSES; c++)
        a = json_u64(b, member(b, a, teardown_class_name((enum teardown_class)c)), r->teardown_counts[c]);
    a = JSON_LIT(b, a, "},\"anomalies\":{");
    for (int x = 0; x < ANOMALIES; x++)
        a = json_u64(b, member(b, a, anomaly_name((enum anomaly)x)), r->anomaly_counts[x]);
    a = JSON_LIT(b, a, "},\"encapsulations\":{");
    for (int k = 0; k < ENCAP_KINDS; k++)
        a = json_u64(b, member(b, a, encap_kind_name((enum encap_kind)k)), r->encap_counts[k]);
    return JSON_LIT(b, a, "}}");
}

/* ---- all sessions ------------------------------------------------------------------------- */

/* Sessions are rendered in batches of JSON_BATCH and each batch is written with one fwrite.
 * When the run's core budget spares a core (cores.h: not in batch mode), a helper
 * thread renders every other batch: each of the two renders its batch, waits for its turn
 * and writes it, so the text is the same as from one thread. */
enum { JSON_BATCH = 128 };

struct sessions_job {
    FILE *out;
    const struct capture_report *r;
    size_t batches;
    pthread_mutex_t lock;
    pthread_cond_t turn_done; /* next_turn moved on, or failed was set */
    size_t next_turn;         /* the batch to be written next */
    bool failed;              /* out of memory: nothing more is written */
};

/* Renders batches first, first + step, ... and writes each when its turn comes. */
static void sessions_share(struct sessions_job *job, size_t first, size_t step)
{
    struct json_buf b = {0};
    struct session_view v = {0};
    for (size_t k = first; k < job->batches; k += step) {
        size_t end = (k + 1) * JSON_BATCH < job->r->n_sessions ? (k + 1) * JSON_BATCH : job->r->n_sessions;
        struct json_at a = json_start(&b);
        for (size_t i = k * JSON_BATCH; i < end && !b.oom; i++) {
            a = i ? JSON_LIT(&b, a, ",\n") : JSON_LIT(&b, a, "\n");
            a = json_session(&b, a, capture_session(job->r, i, &v), job->r->ts_digits);
        }
        pthread_mutex_lock(&job->lock);
        while (job->next_turn != k && !job->failed)
            pthread_cond_wait(&job->turn_done, &job->lock);
        bool stop = job->failed || b.oom;
        job->failed = stop;
        pthread_mutex_unlock(&job->lock);
        if (!stop)
            fwrite(json_text(&b), 1, json_length(&b, a), job->out); /* alone: the others wait for their turn */
        pthread_mutex_lock(&job->lock);
        job->next_turn = k + 1;
        pthread_cond_broadcast(&job->turn_done);
        pthread_mutex_unlock(&job->lock);
        if (stop)
            break;
    }
    session_view_release(&v);
    json_buf_free(&b);
}

static void *sessions_helper(void *arg)
{
    sessions_share(arg, 1, 2);
    return NULL;
}

/* Writes the elements of the "sessions" array; false when out of memory. */
static bool write_sessions(FILE *out, const struct capture_report *r, struct core_budget *cores)
{
    struct sessions_job job = {.out = out, .r = r, .batches = (r->n_sessions + JSON_BATCH - 1) / JSON_BATCH};
    pthread_t helper;
    pthread_mutex_init(&job.lock, NULL);
    pthread_cond_init(&job.turn_done, NULL);
    core_budget_hold(cores);
    bool two = job.batches >= 4 && core_budget_spare(cores) &&
               pthread_create(&helper, NULL, sessions_helper, &job) == 0;
    sessions_share(&job, 0, two ? 2 : 1);
    if (two)
        pthread_join(helper, NULL);
    core_budget_release(cores);
    pthread_cond_destroy(&job.turn_done);
    pthread_mutex_destroy(&job.lock);
    return !job.failed;
}

/* ---- the document ------------------------------------------------------------------------- */

/* Writes the text of b up to a; false when it was lost to out of memory. */
static bool flush(FILE *out, struct json_buf *b, struct json_at a)
{
    bool ok = !b->oom;
    if (ok)
        fwrite(json_text(b), 1, json_length(b, a), out);
    json_buf_free(b);
    return ok;
}

int json_write_header(FILE *out, const struct json_provenance *prov)
{
    struct json_buf b = {0};
    struct json_at a = header_json(&b, json_start(&b), prov);
    return flush(out, &b, a) ? 0 : -1;
}

int json_write_report(FILE *out, const struct capture_report *r, const struct json_provenance *prov,
                      struct core_budget *cores, char *err, size_t errlen)
{
    struct json_buf b = {0};
    struct json_at a = header_json(&b, json_start(&b), prov);
    a = input_json(&b, JSON_LIT(&b, a, ",\n\"input\":"), r);
    a = summary_json(&b, JSON_LIT(&b, a, ",\n\"summary\":"), r);
    a = JSON_LIT(&b, a, ",\n\"sessions\":[");
    bool ok = flush(out, &b, a) && write_sessions(out, r, cores);
    fputs("\n]}\n", out);
    if (!ok) {
        snprintf(err, errlen, "out of memory while writing JSON");
        return -1;
    }
    if (ferror(out)) {
        snprintf(err, errlen, "write error");
        return -1;
    }
    return 0;
}
