/* inputs.h — turns the command line's files and folders into a list of captures to convert.
 *
 * Folders are walked recursively in sorted order (walk.h: links inside are not followed
 * unless asked, loops end, the output folder is left out, every entry not taken is listed
 * with its reason); files inside them are recognised as captures by their magic number, not
 * their name. Each capture gets an output stem: its path relative to the folder it was found
 * in (or its bare name for a file given directly), made safe for the file system and unique
 * within the run, and never a name the batch uses (index.json, index.pdf, index.shard-*). */
#ifndef PCAP2REPORT_INPUTS_H
#define PCAP2REPORT_INPUTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum input_status { INPUT_PENDING, INPUT_CONVERTED, INPUT_UP_TO_DATE, INPUT_FAILED, INPUT_SKIPPED };

struct input {
    char *path;      /* as given or as found: "hw/alice/capture.pcap", "-" */
    char *stem;      /* output path without extension, relative to OUT: "alice/capture" */
    enum input_status status;
    char *reason;    /* why it failed or was skipped, or NULL */
    char *renamed_from; /* the stem it would have had, when another input or the index has
                         * that name ("index" for a capture named index.pcap), or NULL */
    /* Filled by the conversion for the index. */
    unsigned long long packets, sessions;
    unsigned outputs_failed; /* bits 1u << OUTPUT_* (outputs.h): outputs of a converted input that
                              * failed while another was written; reason says why */
};

struct input_list {
    struct input *items;
    size_t n, cap;
};

struct inputs_options {
    bool follow;       /* follow symbolic links inside folders (--follow) */
    bool exclude;      /* the output folder, left out of every walk */
    dev_t exclude_dev;
    ino_t exclude_ino;
};

/* Adds every argument: files as they are (whatever their content: a bad one fails with a
 * reason), folders recursively (non-captures, links not followed, FIFOs, devices... become
 * INPUT_SKIPPED with the reason; an unreadable folder INPUT_FAILED), "-" for standard input.
 * Returns 0, or -1 with err filled when memory runs out. A missing file is not an error
 * here: it is an input that will fail with its reason. */
int inputs_collect(struct input_list *list, char **args, size_t n_args, const struct inputs_options *opt,
                   char *err, size_t errlen);

/* Whether stem names one of the batch's own files at the top of OUT: "index" (index.json,
 * index.pdf) or "index.shard-K-of-N" (a shard index), ignoring case, for file systems that
 * do. An input with such a stem is renamed as for a clash ("index~2"), and `pcap2report
 * index` takes no report by such a name. */
bool inputs_reserved_stem(const char *stem);

/* Keeps only share k (1-based) of n: a stable choice by the output stem, so the same input
 * lands in the same share on every machine whatever the order of arguments. */
void inputs_shard(struct input_list *list, unsigned k, unsigned n);

/* True when the first bytes of the file, after gunzipping a gzip'd one, look like a pcap or
 * pcapng capture. */
bool inputs_is_capture(const char *path);

void inputs_free(struct input_list *list);

/* Makes one path component safe by the rule of names.h (valid UTF-8 kept in any script; '/',
 * control characters and invalid bytes replaced; never "." or ".." or empty or hidden; at most
 * 200 bytes). Writes into out (size >= 201). */
void inputs_safe_component(const char *in, size_t len, char *out);

#endif
