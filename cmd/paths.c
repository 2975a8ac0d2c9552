/* paths.c — finding the templates folder from the environment, the program's own location,
 * or the installation prefix; creating output folders. */
#define _GNU_SOURCE /* sched_getaffinity */
#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

size_t templates_dirs(char dirs[][PATH_MAX], size_t max)
{
    size_t n = 0;
    const char *env = getenv("PCAP2REPORT_TEMPLATES");
    if (env && *env && n < max)
        snprintf(dirs[n++], PATH_MAX, "%s", env);
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    char *slash = len > 0 ? (exe[len] = '\0', strrchr(exe, '/')) : NULL;
    if (slash) {
        *slash = '\0';
        if (n < max)
            snprintf(dirs[n++], PATH_MAX, "%.*s/../templates", PATH_MAX - 40, exe);
        if (n < max)
            snprintf(dirs[n++], PATH_MAX, "%.*s/../share/pcap2report/templates", PATH_MAX - 40, exe);
    }
    if (n < max)
        snprintf(dirs[n++], PATH_MAX, "%s/share/pcap2report/templates", PCAP2REPORT_PREFIX);
    return n;
}

bool find_templates_dir(const char *lang, char *out, size_t len)
{
    char dirs[4][PATH_MAX];
    size_t n = templates_dirs(dirs, 4);
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX + 64];
        struct stat st;
        snprintf(path, sizeof path, "%s/%.40s.txt", dirs[i], lang);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            snprintf(out, len, "%s", dirs[i]);
            return true;
        }
    }
    return false;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void template_languages(char *out, size_t len)
{
    char dirs[4][PATH_MAX];
    size_t n_dirs = templates_dirs(dirs, 4), n = 0;
    char *names[64];
    for (size_t i = 0; i < n_dirs; i++) {
        DIR *d = opendir(dirs[i]);
        struct dirent *e;
        while (d && (e = readdir(d)) && n < sizeof names / sizeof names[0]) {
            size_t l = strlen(e->d_name);
            if (l > 4 && l < 40 && e->d_name[0] != '.' && strcmp(e->d_name + l - 4, ".txt") == 0 &&
                (names[n] = strndup(e->d_name, l - 4)))
                n++;
        }
        if (d)
            closedir(d);
    }
    qsort(names, n, sizeof *names, compare_strings);
    size_t w = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if ((i == 0 || strcmp(names[i], names[i - 1]) != 0) && w < len)
            w += (size_t)snprintf(out + w, len - w, "%s%s", w ? ", " : "", names[i]);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
}

char *path_tidy(const char *path)
{
    char *out = malloc(strlen(path) + 1);
    size_t n = 0;
    if (!out)
        return NULL;
    for (const char *p = path; *p; p++)
        if (*p != '/' || n == 0 || out[n - 1] != '/')
            out[n++] = *p;
    while (n > 1 && out[n - 1] == '/')
        n--;
    out[n] = '\0';
    return out;
}

int make_dirs(const char *dir)
{
    char *tmp = strdup(dir);
    if (!tmp)
        return -1;
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
                free(tmp);
                return -1;
            }
            *p = '/';
        }
    }
    int rc = mkdir(tmp, 0777) != 0 && errno != EEXIST ? -1 : 0;
    free(tmp);
    return rc;
}

int source_date_epoch(long long *seconds)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s)
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || errno || v > 253402300799ULL) /* 9999-12-31 */
        return -1;
    *seconds = (long long)v;
    return 1;
}

unsigned available_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return (unsigned)CPU_COUNT(&set);
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (unsigned)online : 1;
}

const char *temporary_dir(void)
{
    const char *dir = getenv("TMPDIR");
    return dir && *dir ? dir : "/tmp";
}

bool spill_eagerly_requested(void)
{
    const char *v = getenv("PCAP2REPORT_SPILL_EAGERLY");
    return v && strcmp(v, "1") == 0;
}
