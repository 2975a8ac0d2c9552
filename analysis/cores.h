/* cores.h — how many cores a run's helper threads may take: a budget the program makes and
 * passes down to every stage that could start a helper.
 *
 * Helper threads (hashing while reading, rendering the JSON and the PDF beside each other) pay
 * off only on a core that no other capture of the run is using; in batch mode every core
 * already converts a capture. Each capture being analysed or rendered holds a core from
 * core_budget_hold() to core_budget_release(); core_budget_spare() is true while the cores held
 * leave at least one free for each of them. Only the program (cmd/) decides how many cores a
 * run may use; library code asks the budget it was handed, and a NULL budget never spares a
 * core (no helper threads). Safe from any thread. */
#ifndef PCAP2REPORT_CORES_H
#define PCAP2REPORT_CORES_H

#include <stdbool.h>

struct core_budget {
    unsigned usable; /* cores the run may use, at least 1 */
    int held;        /* atomic: cores held by captures being read or rendered */
};

/* A budget of usable cores (0 is taken as 1). */
void core_budget_init(struct core_budget *b, unsigned usable);
/* Both accept NULL and then do nothing. */
void core_budget_hold(struct core_budget *b);
void core_budget_release(struct core_budget *b);
/* Whether a helper thread may start now; false for NULL. */
bool core_budget_spare(const struct core_budget *b);

#endif
