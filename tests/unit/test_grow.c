/* test_grow.c — the one growth helper (analysis/grow.c). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "grow.h"

Test(grow, room_doubles_from_the_minimum_and_keeps_the_elements)
{
    uint32_t *v = NULL;
    size_t cap = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        cr_assert(GROW(v, cap, i + 1, 8));
        v[i] = i;
    }
    cr_assert_eq(cap, 1024, "room %zu", cap);
    for (uint32_t i = 0; i < 1000; i++)
        cr_assert_eq(v[i], i);
    cr_assert(GROW(v, cap, 10, 8)); /* enough room already: nothing moves */
    cr_assert_eq(cap, 1024);
    free(v);
}

Test(grow, a_size_that_overflows_is_refused_and_nothing_changes)
{
    uint64_t *v = NULL;
    size_t cap = 0;
    cr_assert(GROW(v, cap, 3, 4));
    uint64_t *before = v;
    cr_assert_not(GROW(v, cap, SIZE_MAX / 4, 4));
    cr_assert_not(GROW(v, cap, SIZE_MAX, 4));
    cr_assert_eq(v, before);
    cr_assert_eq(cap, 4);
    free(v);
}
