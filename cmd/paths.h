/* paths.h — what the program takes from its surroundings: where its templates (report
 * wording, rubrics) are, output folders to create, SOURCE_DATE_EPOCH and the CPUs it may use. */
#ifndef PCAP2REPORT_PATHS_H
#define PCAP2REPORT_PATHS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#ifndef PCAP2REPORT_PREFIX
#define PCAP2REPORT_PREFIX "/usr/local"
#endif

/* The folders that may hold templates, in search order: $PCAP2REPORT_TEMPLATES, then
 * ../templates beside the program (a build tree), ../share/pcap2report/templates beside it
 * (an installed tree), PREFIX/share/pcap2report/templates. Returns how many were written. */
size_t templates_dirs(char dirs[][PATH_MAX], size_t max);

/* The first templates folder that holds <lang>.txt; false when none does. */
bool find_templates_dir(const char *lang, char *out, size_t len);

/* The languages there is wording for: the names LANG of every LANG.txt in the templates
 * folders (templates_dirs), sorted, each once, comma-separated into out ("en, zh"); "" when
 * there is none. */
void template_languages(char *out, size_t len);

/* A folder's path as the program prints it and builds paths below it: repeated slashes made
 * one and trailing ones dropped ("hw//alice/" is "hw/alice", "/" stays "/"), so that no
 * printed path holds "//". malloc'd; NULL when out of memory. */
char *path_tidy(const char *path);

/* Creates dir and its missing parents, like mkdir -p. Returns 0, or -1 with errno set. */
int make_dirs(const char *dir);

/* SOURCE_DATE_EPOCH (reproducible-builds.org): 1 and *seconds when it is set to a number of
 * seconds since 1970 up to year 9999, 0 when unset or empty, -1 when it is anything else. */
int source_date_epoch(long long *seconds);

/* Where temporary files go: $TMPDIR when set, else /tmp. The analysis writes there the
 * sessions that left memory (capture.h: spill_dir), in a file without a name. */
const char *temporary_dir(void);

/* PCAP2REPORT_SPILL_EAGERLY=1 (for tests): every session leaves memory at every segment, so a
 * test run shows that leaving memory never changes a report. */
bool spill_eagerly_requested(void);

/* The CPUs this process may run on (taskset, the cpusets of containers and batch systems),
 * which can be fewer than the machine has; at least 1. */
unsigned available_cores(void);

#endif
