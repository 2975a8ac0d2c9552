/* interrupt.h — Ctrl-C (SIGINT) and SIGTERM during a batch: the handler only sets a flag, which
 * the batch polls between captures and while one is read, so the run stops with every
 * finished report kept and none partial. */
#ifndef PCAP2REPORT_INTERRUPT_H
#define PCAP2REPORT_INTERRUPT_H

#include <stdbool.h>

/* Installs the handler for SIGINT and SIGTERM. */
void interrupt_catch(void);

/* Whether one of them has arrived. */
bool interrupt_requested(void);

#endif
