/* outfile_check.c — drives cmd/outfile.c and cmd/interrupt.c for tests/hostile-fs.sh, where
 * the program alone cannot be caught at the right instant.
 *
 *   outfile_check exclusive DIR NAME     creates DIR/NAME as a temporary is created; prints
 *                                        "created" or the system's reason (a link planted at
 *                                        NAME must give "File exists" and stay untouched)
 *   outfile_check hold OUT REL named|anonymous
 *                                        takes the signals as the program does, begins OUT/REL
 *                                        with a named (or anonymous) temporary, writes to it,
 *                                        prints "holding" and waits for a signal
 *   outfile_check write OUT REL BYTES    writes BYTES bytes to OUT/REL through the module and
 *                                        prints "ok" or the module's message */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interrupt.h"
#include "outfile.h"

static int exclusive(const char *dir, const char *name)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    int fd = dfd < 0 ? -1 : outfile_create_exclusive(dfd, name);
    if (fd < 0) {
        printf("%s\n", strerror(errno));
        return 1;
    }
    printf("created\n");
    close(fd);
    close(dfd);
    return 0;
}

static int hold(const char *out_path, const char *rel, const char *mode)
{
    interrupt_catch();
    outfile_use_anonymous(strcmp(mode, "anonymous") == 0);
    struct outdir out;
    struct outfile o;
    char err[512];
    if (outdir_open(&out, out_path, true, err, sizeof err) != 0 || outfile_begin(&o, &out, rel, err, sizeof err) != 0) {
        printf("%s\n", err);
        return 1;
    }
    fputs("{\"partial\":", o.stream);
    fflush(o.stream);
    printf("holding\n");
    fflush(stdout);
    for (;;)
        pause(); /* the signal thread ends the program */
}

static int write_bytes(const char *out_path, const char *rel, long bytes)
{
    struct outdir out;
    struct outfile o;
    char err[512];
    if (outdir_open(&out, out_path, true, err, sizeof err) != 0 || outfile_begin(&o, &out, rel, err, sizeof err) != 0) {
        printf("%s\n", err);
        return 1;
    }
    for (long i = 0; i < bytes; i++)
        putc('x', o.stream);
    int rc = outfile_commit(&o, err, sizeof err);
    printf("%s\n", rc == 0 ? "ok" : err);
    outdir_close(&out);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "exclusive") == 0)
        return exclusive(argv[2], argv[3]);
    if (argc == 5 && strcmp(argv[1], "hold") == 0)
        return hold(argv[2], argv[3], argv[4]);
    if (argc == 5 && strcmp(argv[1], "write") == 0)
        return write_bytes(argv[2], argv[3], atol(argv[4]));
    fprintf(stderr, "usage: outfile_check exclusive DIR NAME | hold OUT REL named|anonymous | write OUT REL BYTES\n");
    return 2;
}
