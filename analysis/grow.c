/* grow.c — room for growing arrays (grow.h). */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

bool grow_array(void *items, size_t *cap, size_t need, size_t elem, size_t min)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : (min ? min : 1);
    while (n < need) {
        if (n > SIZE_MAX / 2)
            return false;
        n *= 2;
    }
    if (elem && n > SIZE_MAX / elem)
        return false;
    void *old; /* the pointer is copied, not cast: its type is the caller's */
    memcpy(&old, items, sizeof old);
    void *p = realloc(old, n * elem);
    if (!p)
        return false;
    memcpy(items, &p, sizeof p);
    *cap = n;
    return true;
}
