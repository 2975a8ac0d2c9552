/* interrupt.c — the signal flag of interrupt.h. A signal handler can reach nothing but static
 * storage, so this one flag is the program's only process-wide mutable state; it belongs to
 * the program (cmd/), never to the library. */
#include "interrupt.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

void interrupt_catch(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

bool interrupt_requested(void) { return interrupted; }
