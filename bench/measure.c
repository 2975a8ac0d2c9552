/* measure.c — runs a command and reports its wall time, CPU time and peak memory.
 *
 *   measure [-n RUNS] [-o FILE] [-e FILE] -- COMMAND [ARGS...]
 *
 * Runs COMMAND RUNS times (default 1), its standard output going to FILE (default /dev/null)
 * and its standard error to the -e FILE (default /dev/null), and prints one line:
 *
 *   wall=<s> user=<s> sys=<s> maxrss_kib=<KiB> runs=<n> status=<exit code>
 *
 * The times are those of the fastest run (noise on a warm machine only ever adds time); the
 * peak RSS is the largest seen in any run (getrusage's ru_maxrss of the child, which counts
 * the process's own pages, shared libraries included). The bench scripts parse that line, so
 * /usr/bin/time (a separate Debian package) is not needed. Exit status: the command's last
 * one, or 125 when it could not be started. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double tv_s(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

static int redirect(const char *path, int fd)
{
    int f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (f < 0 || dup2(f, fd) < 0)
        return -1;
    close(f);
    return 0;
}

int main(int argc, char **argv)
{
    const char *out = "/dev/null", *errf = "/dev/null";
    int runs = 1, c;
    while ((c = getopt(argc, argv, "+n:o:e:")) != -1) {
        switch (c) {
        case 'n': runs = atoi(optarg); break;
        case 'o': out = optarg; break;
        case 'e': errf = optarg; break;
        default: goto usage;
        }
    }
    if (optind < argc && strcmp(argv[optind], "--") == 0)
        optind++;
    if (optind >= argc || runs < 1)
        goto usage;

    double best_wall = 0, best_user = 0, best_sys = 0;
    long max_rss = 0;
    int status = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = now_s();
        pid_t pid = fork();
        if (pid < 0) {
            perror("measure: fork");
            return 125;
        }
        if (pid == 0) {
            if (redirect(out, STDOUT_FILENO) != 0 || redirect(errf, STDERR_FILENO) != 0)
                _exit(125);
            execvp(argv[optind], argv + optind);
            _exit(125);
        }
        int ws;
        struct rusage ru;
        while (wait4(pid, &ws, 0, &ru) < 0) {
            if (errno != EINTR) {
                perror("measure: wait4");
                return 125;
            }
        }
        double wall = now_s() - t0;
        status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
        if (r == 0 || wall < best_wall) {
            best_wall = wall;
            best_user = tv_s(ru.ru_utime);
            best_sys = tv_s(ru.ru_stime);
        }
        if (ru.ru_maxrss > max_rss)
            max_rss = ru.ru_maxrss;
    }
    printf("wall=%.4f user=%.4f sys=%.4f maxrss_kib=%ld runs=%d status=%d\n", best_wall, best_user,
           best_sys, max_rss, runs, status);
    return status;

usage:
    fputs("usage: measure [-n RUNS] [-o FILE] [-e FILE] -- COMMAND [ARGS...]\n", stderr);
    return 125;
}
