/* interrupt.c — the signals of interrupt.h, taken by a thread of their own. The set of signals
 * taken and whether one arrived are the program's own process-wide state (cmd/, never the
 * library). */
#define _GNU_SOURCE
#include "interrupt.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "outfile.h"

static sigset_t taken;          /* the signals the waiting thread takes */
static pthread_t waiter;        /* that thread, while waiter_running */
static bool waiter_running;
static atomic_int arrived;      /* the first one that came, 0 before */
static bool erase_progress;     /* stderr is a terminal: a progress line may be on it */

static const char *signal_name(int sig)
{
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGPIPE: return "SIGPIPE";
    default: return "a signal";
    }
}

bool interrupt_requested(void) { return atomic_load(&arrived) != 0; }

void interrupt_die(int sig)
{
    if (!sigismember(&taken, sig))
        return;
    /* No cancelling from here on (interrupt_release): the program ends by the signal. */
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    int expected = 0;
    atomic_compare_exchange_strong(&arrived, &expected, sig);
    outfile_freeze(); /* the temporaries go, and no other is made: the lock is kept */
    char msg[160];
    int n = snprintf(msg, sizeof msg, "%spcap2report: interrupted by %s; finished outputs were kept, none is partial\n",
                     erase_progress ? "\r\033[K" : "", signal_name(sig));
    if (sig != SIGPIPE && n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0) {
        /* nothing more can be said */
    }
    /* Die of the signal itself: its default action, unblocked in this thread. */
    signal(sig, SIG_DFL);
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    _exit(128 + sig); /* not reached: the default action of all four ends the process */
}

static void *wait_for_signals(void *arg)
{
    (void)arg;
    for (;;) {
        int sig;
        if (sigwait(&taken, &sig) == 0)
            interrupt_die(sig);
    }
    return NULL;
}

void interrupt_catch(void)
{
    static const int signals[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
    sigemptyset(&taken);
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction old;
        if (sigaction(signals[i], NULL, &old) != 0)
            continue;
        /* nohup's SIGHUP stays ignored, and so does a SIGPIPE the parent ignores. SIGINT and
         * SIGTERM are always taken, even where a shell without job control ignored SIGINT for a
         * background job: stopping cleanly is what anyone sending them wants. */
        if (old.sa_handler == SIG_IGN && (signals[i] == SIGHUP || signals[i] == SIGPIPE))
            continue;
        sigaddset(&taken, signals[i]);
    }
    erase_progress = isatty(STDERR_FILENO);
    pthread_sigmask(SIG_BLOCK, &taken, NULL);
    waiter_running = pthread_create(&waiter, NULL, wait_for_signals, NULL) == 0;
    if (!waiter_running) {
        pthread_sigmask(SIG_UNBLOCK, &taken, NULL);
        sigemptyset(&taken);
    }
}

void interrupt_release(void)
{
    if (!waiter_running)
        return;
    pthread_cancel(waiter); /* sigwait is a cancellation point */
    pthread_join(waiter, NULL);
    waiter_running = false;
}
