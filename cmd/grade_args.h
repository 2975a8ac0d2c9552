/* grade_args.h — the command line of `pcap2report grade` (grade_args.c): the settings it gives,
 * the rubric it names (a file, or a bundled rubric by name), and the resolver of the host names
 * a rubric or --target-host may hold. */
#ifndef PCAP2REPORT_GRADE_ARGS_H
#define PCAP2REPORT_GRADE_ARGS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "grade_handins.h"
#include "rubric.h"

enum { MAX_LIST = 64 };

struct core_budget;
struct pdf_templates;

struct grade_settings {
    const char *out_dir;
    const char *rubric;
    enum handin_naming naming;
    const char *class_list; /* --class-list FILE.csv, or NULL */
    const char *hosts[MAX_LIST];
    size_t n_hosts;
    const char *ports[MAX_LIST];
    size_t n_ports;
    bool quiet;
    bool pdf;              /* write the feedback PDFs */
    bool html;             /* write the feedback as HTML (grade/feedback_html.h) */
    const char *lang;      /* of the wording: reasons, feedback PDFs */
    char templates[PATH_MAX]; /* the folder holding <lang>.txt, found at start */
    struct pdf_templates *words; /* <lang>.txt, loaded at start */
    bool pdfa;             /* the feedback PDFs as PDF/A-1b */
    bool have_source_date; /* SOURCE_DATE_EPOCH, for the PDFs' date */
    long long source_date;
    struct core_budget *cores; /* hand-ins are analysed one at a time: helpers may hash */
    char **inputs;         /* the captures and folders handed in, as given */
    size_t n_inputs;
};

/* Reads the command line into st, defaults first (and SOURCE_DATE_EPOCH). Returns -1 when the
 * run goes on; otherwise the exit status, with what there was to say printed: --help,
 * --list-rubrics, or a usage error. */
int grade_args_parse(int argc, char **argv, struct grade_settings *st);

/* The rubric named by arg: a file when arg holds a '/' or names a file, else a bundled rubric
 * (arg or arg.rubric in the templates folders' rubrics/). NULL with a sentence in err. */
struct rubric *grade_find_rubric(const char *arg, char *err, size_t errlen);

/* The rubric_resolver of the program: the addresses of a host name, through getaddrinfo. */
int grade_resolve_name(void *arg, const char *name, struct rubric_prefix **out, size_t *n_out,
                       char *err, size_t errlen);

#endif
