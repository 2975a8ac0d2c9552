/* verify.c — `pcap2report verify REPORT.json CAPTURE`: does a stored report still match?
 *
 * Reads the options the report records on its first line, analyses the capture again with
 * them, and compares the new document with the stored one byte for byte. Exit status: 0 the
 * report matches, 1 it does not (or the capture is not the one it was made from), 2 usage. */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "commands.h"
#include "json.h"
#include "paths.h"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            char *p = realloc(buf, cap);
            if (!p) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* The report's first line holds "schema" and "tool"; its second line "input". */
static cJSON *parse_line(const char *text, size_t len, int which)
{
    const char *p = text, *end = text + len;
    for (int i = 0; i < which && p < end; i++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    char *line = strndup(p, n);
    if (!line)
        return NULL;
    /* Make the line a document of its own: "{...," or "\"input\":{...}," -> "{...}". */
    char *json = NULL;
    size_t l = strlen(line);
    while (l && line[l - 1] == ',')
        line[--l] = '\0';
    if (which == 0 ? asprintf(&json, "%s}", line) : asprintf(&json, "{%s}", line)) {
    }
    free(line);
    cJSON *doc = json ? cJSON_Parse(json) : NULL;
    free(json);
    return doc;
}

int cmd_verify(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "--help") == 0) {
        fputs("Usage: pcap2report verify REPORT.json CAPTURE\n"
              "Analyses CAPTURE again with the options REPORT.json records and says whether the\n"
              "stored report still matches, byte for byte.\n"
              "Exit status: 0 matches, 1 does not match, 2 usage error.\n",
              argc == 2 ? stdout : stderr);
        return argc == 2 && strcmp(argv[1], "--help") == 0 ? EXIT_OK : EXIT_USAGE;
    }
    const char *report_path = argv[1], *capture_path = argv[2];
    size_t stored_len = 0;
    char *stored = read_file(report_path, &stored_len);
    if (!stored) {
        fprintf(stderr, "pcap2report: verify: cannot read %s\n", report_path);
        return EXIT_SOME_FAILED;
    }
    cJSON *head = parse_line(stored, stored_len, 0), *input = parse_line(stored, stored_len, 1);
    cJSON *tool = cJSON_GetObjectItem(head, "tool"), *opts = cJSON_GetObjectItem(tool, "options");
    const char *version = cJSON_GetStringValue(cJSON_GetObjectItem(tool, "version"));
    const char *sha = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(input, "input"), "sha256"));
    int rc = EXIT_SOME_FAILED;
    if (!opts || !version || !sha) {
        fprintf(stderr, "pcap2report: verify: %s is not a pcap2report report\n", report_path);
        goto done;
    }
    const char *filter = cJSON_GetStringValue(cJSON_GetObjectItem(opts, "filter"));
    struct core_budget cores;
    core_budget_init(&cores, available_cores());
    struct capture_options opt = {
        .max_sessions = (uint64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(opts, "max_sessions")),
        .idle_timeout_ns = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(opts, "idle_timeout_s")) * 1000000000LL,
        .filter = filter,
        .cores = &cores,
    };
    struct json_provenance prov = {PCAP2REPORT_VERSION, filter, opt.max_sessions, opt.idle_timeout_ns / 1000000000LL};
    struct capture_report *r = NULL;
    char err[512];
    if (capture_analyze(capture_path, &opt, &r, err, sizeof err) != 0) {
        fprintf(stderr, "pcap2report: verify: %s\n", err);
        goto done;
    }
    if (strcmp(r->sha256, sha) != 0) {
        printf("DIFFERENT CAPTURE: %s has SHA-256 %s; the report was made from %s\n", capture_path, r->sha256, sha);
        capture_report_free(r);
        goto done;
    }
    char *fresh = NULL;
    size_t fresh_len = 0;
    FILE *mem = open_memstream(&fresh, &fresh_len);
    int wrc = mem ? json_write_report(mem, r, &prov, &cores, err, sizeof err) : -1;
    if (mem)
        fclose(mem);
    capture_report_free(r);
    if (wrc != 0) {
        fprintf(stderr, "pcap2report: verify: %s\n", mem ? err : "out of memory");
        free(fresh);
        goto done;
    }
    if (fresh_len == stored_len && memcmp(fresh, stored, stored_len) == 0) {
        printf("MATCH: %s is what pcap2report %s makes of %s\n", report_path, PCAP2REPORT_VERSION, capture_path);
        rc = EXIT_OK;
    } else {
        size_t i = 0, line = 1;
        while (i < fresh_len && i < stored_len && fresh[i] == stored[i])
            line += fresh[i++] == '\n';
        printf("DIFFERS: %s no longer matches %s (first difference on line %zu%s)\n", report_path,
               capture_path, line, line > 4 ? ", a session" : line == 1 ? ", the header" : "");
        if (strcmp(version, PCAP2REPORT_VERSION) != 0)
            printf("The report was written by pcap2report %s; this is %s.\n", version, PCAP2REPORT_VERSION);
    }
    free(fresh);
done:
    cJSON_Delete(head);
    cJSON_Delete(input);
    free(stored);
    return rc;
}
