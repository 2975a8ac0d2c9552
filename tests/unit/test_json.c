/* test_json.c — the JSON writer: every write bounded whatever the counts and strings, text
 * as cJSON_PrintUnformatted writes it (strings from outside made valid UTF-8 first), and the
 * writers running safely on into the sink once memory has run out. The samples' reports are
 * compared byte for byte by tests/golden; this file takes the extremes. */
#define _GNU_SOURCE /* open_memstream */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "json_session.h"
#include "json_text.h"

/* A string of n bytes cycling through everything that needs escaping and a few that do not. */
static char *awkward_string(size_t n)
{
    static const char pool[] = "\"\\\b\f\n\r\t\x01\x1f/a\x7f";
    char *s = malloc(n + 1);
    cr_assert_not_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = pool[i % (sizeof pool - 1)];
    s[n] = '\0';
    return s;
}

/* How cJSON prints s as a string (after json_utf8_clean, as the writer does for outside text). */
static char *cjson_text(const char *s, bool clean)
{
    char *c = clean ? json_utf8_clean(s) : strdup(s);
    cJSON *item = cJSON_CreateString(c);
    char *text = cJSON_PrintUnformatted(item);
    cJSON_Delete(item);
    free(c);
    cr_assert_not_null(text);
    return text;
}

/* A session at every extreme: counts at their maximum, 5,000 events with every mark and
 * option, long gaps, a conn_state of 20,000 bytes that all need escaping. */
static struct session *extreme_session(void)
{
    struct session *s = calloc(1, sizeof *s);
    cr_assert_not_null(s);
    s->id = UINT64_MAX;
    s->generation = UINT32_MAX;
    s->ip_version = 6;
    for (int k = 0; k < 2; k++) {
        struct session_side *d = &s->side[k];
        memset(d->addr, 0xff, 16);
        d->port = 65535;
        d->isn_known = true;
        d->isn = UINT32_MAX;
        d->packets = d->payload_bytes = d->retransmissions = d->out_of_order = UINT64_MAX;
        d->bad_checksums = d->zero_windows = UINT64_MAX;
        d->syn_options.present = OPT_MSS | OPT_WSCALE | OPT_SACK_PERM | OPT_SACK | OPT_TS;
        d->syn_options.mss = 65535;
        d->syn_options.ts_val = d->syn_options.ts_ecr = UINT32_MAX;
    }
    s->first_ts = 0; /* the duration is last_ts - first_ts */
    s->last_ts = INT64_MAX;
    s->first_packet = s->last_packet = UINT64_MAX;
    s->anomalies = UINT32_MAX >> (32 - ANOMALIES);
    s->conn_state = awkward_string(20000);
    memset(s->zeek_history, '"', SESSION_HISTORY_MAX);
    s->n_events = 5000;
    s->events = calloc(s->n_events, sizeof *s->events);
    cr_assert_not_null(s->events);
    for (uint32_t i = 0; i < s->n_events; i++) {
        struct timeline_event *e = &s->events[i];
        e->ts_ns = i % 2 ? INT64_MAX : INT64_MIN + 1;
        e->packet = UINT64_MAX - i;
        e->seq = e->ack = e->len = UINT32_MAX;
        e->flags = 0xffff;
        e->window = 65535;
        e->options = s->side[0].syn_options;
        e->dir = (uint8_t)(i % 2);
        e->marks = 0xff;
    }
    s->n_gaps = 3000;
    s->gaps = calloc(s->n_gaps, sizeof *s->gaps);
    cr_assert_not_null(s->gaps);
    for (uint32_t i = 0; i < s->n_gaps; i++)
        s->gaps[i] = (struct timeline_gap){.before = i, .packets = {UINT64_MAX, 1}, .bytes = {UINT64_MAX, 0}};
    s->n_checks = SESSION_MAX_CHECKS;
    for (uint32_t i = 0; i < s->n_checks; i++)
        s->checks[i] = (struct session_check){"synack-ack", UINT64_MAX, UINT32_MAX, 0, false};
    s->rtt_syn_synack = INT64_MAX;
    s->rtt_synack_ack = -1;
    s->active_closer = ROLE_SERVER;
    s->zeek_orig = ROLE_SERVER;
    s->zeek_last_packet = UINT64_MAX;
    s->n_zeek_more = 100; /* Zeek's records: the session's own, then these */
    s->zeek_more = calloc(s->n_zeek_more, sizeof *s->zeek_more);
    cr_assert_not_null(s->zeek_more);
    for (uint32_t i = 0; i < s->n_zeek_more; i++) {
        struct zeek_record *r = &s->zeek_more[i];
        *r = (struct zeek_record){UINT64_MAX - i, UINT64_MAX, INT64_MAX, ROLE_CLIENT, "RSTRH", ""};
        memset(r->history, '^', SESSION_HISTORY_MAX);
    }
    return s;
}

static void free_session(struct session *s)
{
    free((char *)s->conn_state);
    free(s->zeek_more);
    free(s->events);
    free(s->gaps);
    free(s);
}

Test(json, a_session_at_every_extreme_is_written_whole)
{
    struct session *s = extreme_session();
    struct json_buf b = {0};
    struct json_at a = json_session(&b, json_start(&b), s, 9);
    cr_assert_not(b.oom);
    size_t n = json_length(&b, a);
    cJSON *doc = cJSON_ParseWithLength(json_text(&b), n);
    cr_assert_not_null(doc, "not JSON");
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "zeek"), "conn_state")),
                     s->conn_state);
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "zeek"), "history")),
                     s->zeek_history);
    cJSON *records = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "zeek"), "records");
    cr_assert_eq(cJSON_GetArraySize(records), 101);
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(records, 0), "conn_state")),
                     s->conn_state);
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(records, 100), "orig")), "client");
    cr_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetArrayItem(records, 100), "history")),
                     s->zeek_more[99].history);
    cJSON *tl = cJSON_GetObjectItem(doc, "timeline");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(tl, "events")), 5000);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(tl, "gaps")), 3000);
    cJSON_Delete(doc);
    /* Exact digits where a double would round. */
    char *text = strndup(json_text(&b), n);
    cr_assert(strstr(text, "{\"id\":18446744073709551615,\"generation\":4294967295,"));
    cr_assert(strstr(text, "\"start\":0.000000000,\"end\":9223372036.854775807,"));
    cr_assert(strstr(text, "\"time\":-9223372036.854775807,"));
    cr_assert(strstr(text, "\"handshake\":{\"class\":\"normal\",\"packets\":[18446744073709551615,"));
    free(text);
    json_buf_free(&b);
    free_session(s);
}

Test(json, out_of_memory_writes_go_to_the_sink)
{
    struct session *s = extreme_session();
    struct json_buf b = {.oom = true}; /* as after a failed realloc */
    struct json_at a = json_session(&b, json_start(&b), s, 6);
    cr_assert(b.oom);
    cr_assert(a.p >= b.sink && a.p <= b.sink + sizeof b.sink);
    free_session(s);
}

Test(json, strings_of_any_length_escape_as_cjson_does)
{
    size_t lengths[] = {0, 1, 6, 7, 63, 64, 65, 511, 512, 513, 100000};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        char *s = awkward_string(lengths[i]);
        struct json_buf b = {0};
        struct json_at a = json_str(&b, json_start(&b), s);
        char *want = cjson_text(s, false);
        cr_assert_eq(json_length(&b, a), strlen(want), "length %zu", lengths[i]);
        cr_assert_eq(memcmp(json_text(&b), want, strlen(want)), 0, "length %zu", lengths[i]);
        free(want);
        json_buf_free(&b);
        free(s);
    }
}

/* The header parts, with strings from outside at their worst: a file name and a filter that
 * are not UTF-8, warnings with quotes and newlines. */
Test(json, outside_strings_are_clean_utf8_in_cjson_text)
{
    static char name[] = "caf\xc3\xa9-\xff\xfe\"\n\xe2\x82.pcap";
    static char filter[] = "host \"a\"\t\xc0\xaf and \xf0\x9f\x98\x80";
    struct capture_warning w[2] = {
        {.code = "damaged-tail", .packet = 7, .message = "a \"quoted\"\nline \x80"},
        {.code = "truncated", .packet = 0, .message = "x"},
    };
    struct capture_report r = {
        .file_name = name, .sha256 = "00", .format = "pcap", .link_type = 1, .link_name = "EN10MB",
        .ts_digits = 6, .warnings = w, .n_warnings = 2,
    };
    struct json_provenance prov = {"1.2.3", filter, UINT64_MAX, 300};
    char *out = NULL, err[128];
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert_eq(json_write_report(f, &r, &prov, NULL, err, sizeof err), 0, "%s", err);
    fclose(f);

    char *want_name = cjson_text(name, true), *want_filter = cjson_text(filter, true);
    char *want_msg = cjson_text(w[0].message, true);
    char *key;
    cr_assert(asprintf(&key, "\"file_name\":%s,", want_name) > 0);
    cr_assert(strstr(out, key), "%s", out);
    free(key);
    cr_assert(asprintf(&key, "\"filter\":%s,\"max_sessions\":18446744073709551615,", want_filter) > 0);
    cr_assert(strstr(out, key), "%s", out);
    free(key);
    cr_assert(asprintf(&key, "{\"code\":\"damaged-tail\",\"packet\":7,\"message\":%s}", want_msg) > 0);
    cr_assert(strstr(out, key), "%s", out);
    free(key);
    cr_assert(strstr(out, "{\"code\":\"truncated\",\"packet\":null,\"message\":\"x\"}"));
    cr_assert(strstr(out, "\"first_time\":null,\"last_time\":null,"));
    cJSON *doc = cJSON_Parse(out);
    cr_assert_not_null(doc, "not JSON: %s", out);
    cJSON_Delete(doc);
    free(want_name);
    free(want_filter);
    free(want_msg);
    free(out);
}
