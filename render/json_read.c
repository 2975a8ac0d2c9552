/* json_read.c — reading back a report's first lines, every value checked (json_read.h). */
#define _GNU_SOURCE
#include "json_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "session.h"

bool json_read_whole(const cJSON *v, double max, unsigned long long *out)
{
    if (!cJSON_IsNumber(v))
        return false;
    double d = v->valuedouble;
    if (!(d >= 0 && d <= max && d == floor(d))) /* NaN fails every comparison */
        return false;
    if (out)
        *out = (unsigned long long)d; /* defined: a whole number within range */
    return true;
}

/* What v is, for a message: its number, or its type. */
static const char *shown(const cJSON *v, char buf[32])
{
    if (cJSON_IsNumber(v))
        snprintf(buf, 32, "%.17g", v->valuedouble);
    else
        snprintf(buf, 32, "%s", !v ? "missing" : cJSON_IsString(v) ? "a string" : cJSON_IsNull(v) ? "null"
                               : cJSON_IsBool(v) ? "true or false" : cJSON_IsArray(v) ? "an array" : "an object");
    return buf;
}

cJSON *json_read_line_object(const char *text, size_t len, int line, const char *key, char *err, size_t errlen)
{
    const char *p = text, *end = text + len;
    for (int i = 0; i < line && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
    if (!nl) {
        snprintf(err, errlen, "line %d (\"%s\") is missing or does not end", line + 1, key);
        return NULL;
    }
    size_t n = (size_t)(nl - p);
    while (n && (p[n - 1] == ',' || p[n - 1] == '\r'))
        n--;
    /* Line 1 is "{...,\"tool\":{...}" without its closing brace; the others "\"key\":{...}". */
    char *doc = NULL;
    int made = line == 0 ? asprintf(&doc, "%.*s}", (int)n, p) : asprintf(&doc, "{%.*s}", (int)n, p);
    if (made < 0) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    const char *parse_end = NULL;
    cJSON *whole = cJSON_ParseWithOpts(doc, &parse_end, 1);
    free(doc);
    cJSON *obj = line == 0 ? whole : cJSON_DetachItemFromObjectCaseSensitive(whole, key);
    if (line != 0)
        cJSON_Delete(whole);
    if (!cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        snprintf(err, errlen, "line %d is not the \"%s\" object", line + 1, key);
        return NULL;
    }
    return obj;
}

bool json_read_counts(const cJSON *obj, const char *what, const char *const *names, size_t n, char *err,
                      size_t errlen)
{
    char b[32];
    if (!cJSON_IsObject(obj)) {
        snprintf(err, errlen, "%s is %s, not an object of counts", what, shown(obj, b));
        return false;
    }
    const cJSON *it;
    size_t at = 0; /* members come in names' order as a rule: the search starts after the last found */
    cJSON_ArrayForEach(it, obj) {
        bool known = names == NULL;
        for (size_t k = 0; k < n && !known; k++) {
            size_t i = (at + k) % n;
            if ((known = strcmp(it->string, names[i]) == 0))
                at = i + 1;
        }
        if (!known) {
            snprintf(err, errlen, "%s has a member \"%.60s\" this version does not know", what, it->string);
            return false;
        }
        if (!json_read_whole(it, JSON_READ_MAX_COUNT, NULL)) {
            snprintf(err, errlen, "%s.%.60s is %s, not a whole number from 0 to 2^53", what, it->string, shown(it, b));
            return false;
        }
    }
    return true;
}

bool json_read_check_summary(const cJSON *s, char *err, size_t errlen)
{
    const char *hs[HANDSHAKE_CLASSES], *td[TEARDOWN_CLASSES], *an[ANOMALIES];
    for (int c = 0; c < HANDSHAKE_CLASSES; c++)
        hs[c] = handshake_class_name((enum handshake_class)c);
    for (int c = 0; c < TEARDOWN_CLASSES; c++)
        td[c] = teardown_class_name((enum teardown_class)c);
    for (int c = 0; c < ANOMALIES; c++)
        an[c] = anomaly_name((enum anomaly)c);
    static const char *const top[] = {"sessions", "sessions_dropped"};
    char b[32];
    if (!cJSON_IsObject(s)) {
        snprintf(err, errlen, "summary is not an object");
        return false;
    }
    for (size_t i = 0; i < 2; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(s, top[i]);
        if ((v || i == 0) && !json_read_whole(v, JSON_READ_MAX_COUNT, NULL)) {
            snprintf(err, errlen, "summary.%s is %s, not a whole number from 0 to 2^53", top[i], shown(v, b));
            return false;
        }
    }
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(s, "handshake");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(s, "teardown");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(s, "anomalies");
    return json_read_counts(h, "summary.handshake", hs, HANDSHAKE_CLASSES, err, errlen) &&
           json_read_counts(t, "summary.teardown", td, TEARDOWN_CLASSES, err, errlen) &&
           json_read_counts(a, "summary.anomalies", an, ANOMALIES, err, errlen);
}

static bool is_sha256(const cJSON *v)
{
    const char *s = cJSON_GetStringValue(v);
    return s && strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

bool json_read_check_input(const cJSON *in, char *err, size_t errlen)
{
    const char *names[DECODE_OUTCOMES + 3] = {"total", "filtered_out", "session_cap"};
    for (int o = 0; o < DECODE_OUTCOMES; o++)
        names[3 + o] = decode_outcome_name((enum decode_outcome)o);
    const cJSON *packets = cJSON_GetObjectItemCaseSensitive(in, "packets");
    if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(in, "file_name"))) {
        snprintf(err, errlen, "input.file_name is not a string");
        return false;
    }
    if (!is_sha256(cJSON_GetObjectItemCaseSensitive(in, "sha256"))) {
        snprintf(err, errlen, "input.sha256 is not 64 hexadecimal digits");
        return false;
    }
    if (!json_read_counts(packets, "input.packets", names, DECODE_OUTCOMES + 3, err, errlen))
        return false;
    if (!cJSON_GetObjectItemCaseSensitive(packets, "total")) {
        snprintf(err, errlen, "input.packets.total is missing");
        return false;
    }
    return true;
}

/* The header's checks, filling p's version and options. */
static int read_options(const cJSON *head, struct json_read_provenance *p, char *err, size_t errlen)
{
    const cJSON *tool = cJSON_GetObjectItemCaseSensitive(head, "tool");
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(tool, "options");
    const char *schema = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(head, "schema"), "name"));
    const char *version = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tool, "version"));
    char b[32];
    if (!schema || strcmp(schema, "pcap2report") != 0 || !version || !cJSON_IsObject(opts)) {
        snprintf(err, errlen, "its first line is not the header of a pcap2report report");
        return -1;
    }
    if (strlen(version) >= sizeof p->version) {
        snprintf(err, errlen, "tool.version is longer than %zu bytes", sizeof p->version - 1);
        return -1;
    }
    snprintf(p->version, sizeof p->version, "%s", version);
    const cJSON *filter = cJSON_GetObjectItemCaseSensitive(opts, "filter");
    if (!cJSON_IsNull(filter) && !cJSON_IsString(filter)) {
        snprintf(err, errlen, "tool.options.filter is %s, not a string or null", shown(filter, b));
        return -1;
    }
    if (cJSON_IsString(filter) && !(p->filter = strdup(filter->valuestring))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(opts, "max_sessions");
    if (!json_read_whole(ms, 18446744073709549568.0 /* the largest double below 2^64 */, &p->max_sessions)) {
        snprintf(err, errlen, "tool.options.max_sessions is %s, not a whole number from 0 to 2^64", shown(ms, b));
        return -1;
    }
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(opts, "idle_timeout_s");
    unsigned long long idle = 0;
    if (!json_read_whole(it, 1e9, &idle) || idle < 1) { /* --idle-timeout's range */
        snprintf(err, errlen, "tool.options.idle_timeout_s is %s, not a whole number from 1 to 1000000000",
                 shown(it, b));
        return -1;
    }
    p->idle_timeout_s = (long long)idle;
    return 0;
}

int json_read_provenance(const char *text, size_t len, struct json_read_provenance *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    cJSON *head = json_read_line_object(text, len, 0, "schema", err, errlen);
    cJSON *input = head ? json_read_line_object(text, len, 1, "input", err, errlen) : NULL;
    int rc = head && input ? read_options(head, p, err, errlen) : -1;
    if (rc == 0 && !is_sha256(cJSON_GetObjectItemCaseSensitive(input, "sha256"))) {
        snprintf(err, errlen, "input.sha256 is not 64 hexadecimal digits");
        rc = -1;
    }
    if (rc == 0)
        snprintf(p->sha256, sizeof p->sha256, "%s", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(input, "sha256")));
    cJSON_Delete(head);
    cJSON_Delete(input);
    if (rc != 0)
        json_read_provenance_free(p);
    return rc;
}

void json_read_provenance_free(struct json_read_provenance *p)
{
    free(p->filter);
    p->filter = NULL;
}
