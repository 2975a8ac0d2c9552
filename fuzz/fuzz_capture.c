/* fuzz_capture.c — libFuzzer harness: whole capture files (pcap, pcapng, gzip'd or anything
 * else) through capture_analyze() and the JSON writer, the way the program reads them.
 *
 * The input is the file, written to a memory file that capture_analyze() opens by name
 * (/proc/self/fd/N). The file's length picks the options, so a seed stays a real capture:
 * every third length runs with a session cap of 2, every fifth with a BPF filter. The
 * report's file name is replaced by the input's first bytes, so hostile names reach the JSON
 * writer too. */
#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("fuzz-capture", 0);
        if (fd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
        abort();

    struct capture_options opt = {.max_sessions = size % 3 == 0 ? 2 : 0,
                                  .filter = size % 5 == 1 ? "tcp and port 80" : NULL};
    struct capture_report *r = NULL;
    char err[512] = "";
    if (capture_analyze(path, &opt, &r, err, sizeof err) != 0) {
        if (r || !err[0])
            abort(); /* a failure must come with a sentence and no report */
        return 0;
    }
    if (opt.max_sessions && r->n_sessions > opt.max_sessions)
        abort();
    for (size_t i = 0; i < r->n_warnings; i++)
        if (!r->warnings[i].code[0] || !r->warnings[i].message[0])
            abort();

    size_t name_len = size < 16 ? size : 16;
    char *name = malloc(name_len + 1);
    if (name) {
        memcpy(name, data, name_len);
        name[name_len] = '\0';
        free(r->file_name);
        r->file_name = name;
    }
    fuzz_check_report(r);
    capture_report_free(r);
    return 0;
}
