/* grow.h — the one way pcap2report makes room in an array that grows.
 *
 * Every growing array (sessions' chunks, warnings, pages, entries, hand-ins, text buffers)
 * keeps its element count and its room, and asks grow_array for room before it appends: the
 * room doubles, so appending n elements costs O(n) copying in all, and a size that would
 * overflow size_t is refused like an allocation that fails. */
#ifndef PCAP2REPORT_GROW_H
#define PCAP2REPORT_GROW_H

#include <stdbool.h>
#include <stddef.h>

/* Makes the array whose pointer is at *items (elements of elem bytes, room for *cap) hold at
 * least need elements: its room doubles, starting from at least min. Returns true when there
 * is room; false when out of memory or on overflow, with the array and *cap as they were.
 * items points at the array's pointer, whatever its element type (see GROW). */
bool grow_array(void *items, size_t *cap, size_t need, size_t elem, size_t min);

/* grow_array for an array arr with room cap (a size_t), holding at least need elements. */
#define GROW(arr, cap, need, min) grow_array(&(arr), &(cap), (need), sizeof *(arr), (min))

#endif
