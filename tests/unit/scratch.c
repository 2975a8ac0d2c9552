/* scratch.c — see scratch.h. Linked into the unit tests only (it needs Criterion); it holds no tests. */
#define _GNU_SOURCE /* popen, mkdtemp, nftw */
#include "scratch.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static char dir[128];

void scratch_create(const char *prefix)
{
    snprintf(dir, sizeof dir, "/tmp/%s-XXXXXX", prefix);
    cr_assert_not_null(mkdtemp(dir), "mkdtemp %s", dir);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

void scratch_remove(void)
{
    if (dir[0])
        nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *scratch_dir(void) { return dir; }

const char *scratch_path(const char *name)
{
    static char paths[32][512];
    static unsigned next;
    char *p = paths[next++ % 32];
    snprintf(p, sizeof paths[0], "%s/%s", dir, name);
    return p;
}

char *scratch_run(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p, "popen %s", cmd);
    size_t cap = 1 << 16, n = 0, k;
    char *out = malloc(cap);
    cr_assert_not_null(out);
    while ((k = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += k;
        if (n == cap - 1) {
            out = realloc(out, cap *= 2);
            cr_assert_not_null(out);
        }
    }
    out[n] = '\0';
    cr_assert_eq(pclose(p), 0, "command failed: %s", cmd);
    return out;
}
