/* paths.h — where the program finds its templates (report wording, rubrics). */
#ifndef PCAP2REPORT_PATHS_H
#define PCAP2REPORT_PATHS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#ifndef PCAP2REPORT_PREFIX
#define PCAP2REPORT_PREFIX "/usr/local"
/* Creates dir and its missing parents, like mkdir -p. Returns 0, or -1 with errno set. */
int make_dirs(const char *dir);

#endif

/* The folders that may hold templates, in search order: $PCAP2REPORT_TEMPLATES, then
 * ../templates beside the program (a build tree), ../share/pcap2report/templates beside it
 * (an installed tree), PREFIX/share/pcap2report/templates. Returns how many were written. */
size_t templates_dirs(char dirs[][PATH_MAX], size_t max);

/* The first templates folder that holds <lang>.txt; false when none does. */
bool find_templates_dir(const char *lang, char *out, size_t len);

/* Creates dir and its missing parents, like mkdir -p. Returns 0, or -1 with errno set. */
int make_dirs(const char *dir);

#endif
