/* replay.c — runs a fuzzing harness over saved inputs without libFuzzer.
 *
 * Usage: replay-decode FILE...   (or replay-capture FILE...)
 * Linked with one harness, built by the ordinary compiler, so `make test` replays
 * fuzz/regressions/ in the plain and the sanitizer builds. A harness finding aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    for (size_t n; buf && (n = fread(buf + len, 1, cap - len, f)) > 0;) {
        len += n;
        if (len == cap) {
            uint8_t *b = realloc(buf, cap *= 2);
            if (!b)
                free(buf);
            buf = b;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "%s: out of memory\n", path);
        return -1;
    }
    /* An exact-size copy, so reads past the input's end are caught as they are by libFuzzer. */
    uint8_t *exact = malloc(len ? len : 1);
    if (!exact) {
        free(buf);
        return -1;
    }
    for (size_t i = 0; i < len; i++)
        exact[i] = buf[i];
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

int main(int argc, char **argv)
{
    int failed = 0;
    for (int i = 1; i < argc; i++)
        failed += replay(argv[i]) != 0;
    printf("replay: %d inputs, %d unreadable\n", argc - 1, failed);
    return failed ? 1 : 0;
}
