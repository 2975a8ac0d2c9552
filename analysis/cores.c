/* cores.c — the run's core budget (cores.h): two relaxed atomics, no process-wide state. */
#include "cores.h"

void core_budget_init(struct core_budget *b, unsigned usable)
{
    b->usable = usable ? usable : 1;
    b->held = 0;
}

void core_budget_hold(struct core_budget *b)
{
    if (b)
        __atomic_add_fetch(&b->held, 1, __ATOMIC_RELAXED);
}

void core_budget_release(struct core_budget *b)
{
    if (b)
        __atomic_sub_fetch(&b->held, 1, __ATOMIC_RELAXED);
}

bool core_budget_spare(const struct core_budget *b)
{
    return b && (long)__atomic_load_n(&b->held, __ATOMIC_RELAXED) * 2 <= (long)b->usable;
}
