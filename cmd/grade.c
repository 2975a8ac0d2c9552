/* grade.c — `pcap2report grade`: marks a folder of homework captures against a rubric.
 *
 * Finds the hand-ins (one capture or folder per student), analyses each capture, grades each
 * student against the rubric, compares the students for copying, and writes OUT/grades.csv
 * and OUT/grades.json (docs/grading.md). Exit status: 0 when every capture could be read, 1
 * when some could not (those students get zero with the reason; the sheet is still
 * written), 2 for a usage error (bad option, unknown rubric, missing argument).
 *
 * This file is the run; the command line is grade_args.c, finding the hand-ins and naming the
 * students grade_handins.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "capture.h"
#include "commands.h"
#include "grade.h"
#include "grade_args.h"
#include "grade_handins.h"
#include "grade_words.h"
#include "grades_pdf.h"
#include "grades_writer.h"
#include "outfile.h"
#include "paths.h"
#include "rubric.h"
#include "sha256.h"
#include "term.h"

/* What the run has written and how it went, across students. */
struct run {
    struct outdir out;     /* OUT, every output made below it (outfile.h) */
    char **pdf_names;      /* feedback file names already used */
    size_t n_pdf_names;
    unsigned unreadable;   /* captures that could not be analysed */
    unsigned pdf_failed;
    bool pdf_reported;     /* the first PDF failure was printed */
};

/* ---- grading -------------------------------------------------------------------------------- */

/* SHA-256 and size of a whole file; false when it cannot be read. */
static bool hash_file(const char *path, char hex[65], uint64_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    struct sha256 h;
    sha256_init(&h);
    unsigned char buf[65536];
    size_t got;
    *size = 0;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        sha256_update(&h, buf, got);
        *size += got;
    }
    bool ok = !ferror(f);
    fclose(f);
    if (!ok) {
        sha256_free(&h);
        return false;
    }
    if (!sha256_final_hex(&h, hex)) {
        errno = ENOMEM; /* libcrypto failed (an earlier sha256_init or _update): most likely memory */
        return false;
    }
    return true;
}

enum output_kind { OUT_CSV, OUT_JSON };

/* Writes OUT/name through outfile.h (a temporary, synced, then named). */
static int write_output(const struct outdir *out, const char *name, enum output_kind kind,
                        const struct grade_sheet *s, char *err, size_t errlen)
{
    struct outfile o;
    if (outfile_begin(&o, out, name, err, errlen) != 0)
        return -1;
    int rc = kind == OUT_CSV ? grades_write_csv(o.stream, s, err, errlen)
                             : grades_write_json(o.stream, s, PCAP2REPORT_VERSION, err, errlen);
    if (rc != 0) {
        outfile_failure(&o, err, err, errlen);
        outfile_end(&o);
        return -1;
    }
    return outfile_commit(&o, err, errlen);
}

/* A student's name as a file name: valid UTF-8 kept (any script), '/', control and
 * shell-hostile characters replaced, never hidden, at most about 200 bytes, unique in the run
 * even where the file system ignores case ("Alice" and "alice" get alice.pdf, alice-2.pdf). */
static char *feedback_name(struct run *run, const char *student)
{
    char base[256];
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)student; *p && n < 200;) {
        size_t k = 1;
        if (*p >= 0x80) {
            k = (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
            for (size_t i = 1; i < k; i++)
                if ((p[i] & 0xc0) != 0x80)
                    k = 0;
            if (k == 0) {
                base[n++] = '_';
                p++;
                continue;
            }
            memcpy(base + n, p, k);
            n += k;
            p += k;
            continue;
        }
        base[n++] = *p < 0x20 || *p == 0x7f || strchr("/\\:*?\"<>|", *p) ? '_' : (char)*p;
        p++;
    }
    base[n] = '\0';
    if (n == 0)
        strcpy(base, "_");
    if (base[0] == '.' || base[0] == '-')
        base[0] = '_';
    char *name = NULL;
    for (unsigned k = 1;; k++) {
        free(name);
        if ((k == 1 ? asprintf(&name, "%s.pdf", base) : asprintf(&name, "%s-%u.pdf", base, k)) < 0)
            return NULL;
        bool used = false;
        for (size_t i = 0; i < run->n_pdf_names && !used; i++)
            used = strcasecmp(run->pdf_names[i], name) == 0; /* case-insensitive file systems */
        if (!used)
            break;
    }
    char **grown = realloc(run->pdf_names, (run->n_pdf_names + 1) * sizeof *grown);
    if (!grown) {
        free(name);
        return NULL;
    }
    run->pdf_names = grown;
    run->pdf_names[run->n_pdf_names++] = name;
    return strdup(name);
}

/* Writes OUT/feedback/<name>.pdf for a graded student, through outfile.h. */
static void write_feedback(struct run *run, const struct grade_settings *st, const struct rubric *r,
                           struct grade_student *student, const struct capture_report *const *reports)
{
    char err[1024], *rel = NULL, *name = feedback_name(run, student->name);
    struct outfile o = {.dirfd = -1, .fd = -1};
    int rc = -1;
    if (!name || asprintf(&rel, "feedback/%s", name) < 0) {
        rel = NULL;
        snprintf(err, sizeof err, "out of memory");
        goto out;
    }
    if (outfile_begin(&o, &run->out, rel, err, sizeof err) != 0)
        goto out;
    struct grades_pdf_options opt = {.templates_dir = st->templates, .lang = st->lang,
                                     .tool_version = PCAP2REPORT_VERSION, .pdfa = st->pdfa,
                                     .have_source_date = st->have_source_date, .source_date = st->source_date};
    if (grade_write_feedback_pdf(o.stream, r, student, reports, &opt, err, sizeof err) != 0) {
        outfile_failure(&o, err, err, sizeof err);
        goto out;
    }
    if (outfile_commit(&o, err, sizeof err) != 0)
        goto out;
    if (asprintf(&student->feedback_file, "feedback/%s", name) < 0)
        student->feedback_file = NULL;
    rc = 0;
out:
    outfile_end(&o);
    if (rc != 0) {
        run->pdf_failed++;
        if (!run->pdf_reported)
            term_printf(stderr, "pcap2report grade: feedback PDF of %s: %s\n", student->name, err);
        run->pdf_reported = true;
    }
    free(name);
    free(rel);
}

/* Analyses and grades the hand-ins [first, last) of one student, and writes the student's
 * feedback PDF while the reports are at hand. Returns 0, or -1 when memory ran out; run counts
 * the captures that could not be analysed and the PDFs that could not be written. */
static int grade_one(struct grade_sheet *sheet, const struct rubric *r, const struct handin *v, size_t first,
                     size_t last, struct run *run, const struct grade_settings *st, char *err, size_t errlen)
{
    size_t idx;
    if (grade_sheet_student(sheet, v[first].student, &idx) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t n = last - first;
    struct capture_report **reports = calloc(n, sizeof *reports);
    if (!reports) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct handin *h = &v[first + i];
        char hex[65] = "", why[512] = "";
        uint64_t size = 0;
        struct capture_options opt = {.cores = st->cores};
        struct grade_capture_info info = {.path = h->path, .file_name = h->file_name};
        if (!hash_file(h->path, hex, &size)) {
            snprintf(why, sizeof why, "%s", strerror(errno));
        } else if (capture_analyze(h->path, &opt, &reports[i], why, sizeof why) != 0) {
            reports[i] = NULL;
        }
        if (!reports[i]) {
            /* The library names the file first; the sheet names it already. */
            size_t pl = strlen(h->path);
            if (strncmp(why, h->path, pl) == 0 && strncmp(why + pl, ": ", 2) == 0)
                memmove(why, why + pl + 2, strlen(why + pl + 2) + 1);
            run->unreadable++;
            term_printf(stderr, "pcap2report grade: %s (%s): %s\n", h->path, h->student, why);
        }
        info.size_bytes = size;
        info.sha256 = hex;
        info.report = reports[i];
        info.error = why;
        rc = grade_student_add_capture(&sheet->students[idx], &info, err, errlen);
    }
    if (rc == 0)
        rc = grade_student_evaluate(&sheet->students[idx], r, (const struct capture_report *const *)reports,
                                    err, errlen);
    if (rc == 0 && grade_words_fill(&sheet->students[idx], r, st->words) != 0) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
    if (rc == 0 && st->pdf)
        write_feedback(run, st, r, &sheet->students[idx], (const struct capture_report *const *)reports);
    for (size_t i = 0; i < n; i++)
        capture_report_free(reports[i]);
    free(reports);
    return rc;
}

/* ---- the run ------------------------------------------------------------------------------------ */

/* Finds the wording of the language chosen and loads it, then gives the rubric the command
 * line's target and resolves its host names. Returns 0, or -1 after printing why. */
static int prepare(struct grade_settings *st, struct rubric *r)
{
    char err[1024];
    if (!find_templates_dir(st->lang, st->templates, sizeof st->templates)) {
        term_printf(stderr, "pcap2report grade: no wording %s.txt found in the templates folders (where "
                        "the bundled rubrics are looked up, without rubrics/)\n", st->lang);
        return -1;
    }
    if (!(st->words = grade_words_load(st->templates, st->lang, err, sizeof err))) {
        term_printf(stderr, "pcap2report grade: %s\n", err);
        return -1;
    }
    if (rubric_set_target(r, st->hosts, st->n_hosts, st->ports, st->n_ports, err, sizeof err) != 0 ||
        rubric_resolve_hosts(r, grade_resolve_name, NULL, err, sizeof err) != 0) {
        term_printf(stderr, "pcap2report grade: %s\n", err);
        return -1;
    }
    return 0;
}

/* The hand-ins, sorted so that each student's files are together. Returns 0, or -1 after
 * printing why (none found is an error). */
static int find_handins(struct handins *h, const struct grade_settings *st)
{
    char err[1024];
    if (handins_collect(h, st->out_dir, st->naming, st->inputs, st->n_inputs, err, sizeof err) != 0) {
        term_printf(stderr, "pcap2report grade: %s\n", err);
        return -1;
    }
    for (size_t i = 0; !st->quiet && i < h->n_skipped; i++)
        term_printf(stderr, "pcap2report grade: skipped %s: %s\n", h->skipped[i].path, h->skipped[i].reason);
    if (h->n == 0) {
        fprintf(stderr, "pcap2report grade: no hand-ins found in the folders given\n");
        return -1;
    }
    handins_sort(h);
    return 0;
}

/* Grades every student into the sheet, compares them, and writes grades.csv and grades.json.
 * Returns 0, or -1 after printing why. */
static int grade_all(struct grade_sheet *sheet, const struct rubric *r, const struct handins *h, struct run *run,
                     const struct grade_settings *st)
{
    char err[1024];
    if (outdir_open(&run->out, st->out_dir, true, err, sizeof err) != 0) {
        term_printf(stderr, "pcap2report grade: %s\n", err);
        return -1;
    }
    for (size_t i = 0; i < h->n;) {
        size_t j = i + 1;
        while (j < h->n && strcmp(h->v[j].student, h->v[i].student) == 0)
            j++;
        if (grade_one(sheet, r, h->v, i, j, run, st, err, sizeof err) != 0) {
            term_printf(stderr, "pcap2report grade: %s\n", err);
            return -1;
        }
        i = j;
    }
    grade_sheet_sort(sheet);
    if (grade_sheet_integrity(sheet, err, sizeof err) != 0) {
        term_printf(stderr, "pcap2report grade: %s\n", err);
        return -1;
    }
    if (write_output(&run->out, "grades.csv", OUT_CSV, sheet, err, sizeof err) != 0 ||
        write_output(&run->out, "grades.json", OUT_JSON, sheet, err, sizeof err) != 0) {
        term_printf(stderr, "pcap2report grade: %s\n", err);
        return -1;
    }
    return 0;
}

/* Each student's points and integrity flags, then where the sheet went. */
static void print_summary(const struct grade_sheet *sheet, const struct rubric *r, const struct grade_settings *st)
{
    for (size_t i = 0; i < sheet->n_students; i++) {
        const struct grade_student *s = &sheet->students[i];
        char t[24], m[24];
        term_printf(stderr, "%s: %s/%s%s%s%s\n", s->name, rubric_points_string(s->total, t),
                rubric_points_string(s->max, m), s->error ? " (" : "", s->error ? s->error : "",
                s->error ? ")" : "");
        for (size_t f = 0; f < s->n_flags; f++)
            term_printf(stderr, "  integrity: %s\n", s->flags[f].message);
    }
    term_printf(stderr, "pcap2report grade: %zu student%s graded with %s -> %s/grades.csv, %s/grades.json%s%s%s\n",
            sheet->n_students, sheet->n_students == 1 ? "" : "s", r->name, st->out_dir, st->out_dir,
            st->pdf ? ", " : "", st->pdf ? st->out_dir : "", st->pdf ? "/feedback/" : "");
}

int cmd_grade(int argc, char **argv)
{
    struct grade_settings st;
    int status = grade_args_parse(argc, argv, &st);
    if (status >= 0)
        return status;
    struct core_budget cores;
    core_budget_init(&cores, available_cores());
    st.cores = &cores;

    char err[1024];
    struct run run = {.out = {.fd = -1}};
    struct handins h = {0};
    struct grade_sheet *sheet = NULL;
    struct rubric *r = grade_find_rubric(st.rubric, err, sizeof err);
    if (!r) {
        term_printf(stderr, "pcap2report grade: %s\n", err);
        return EXIT_USAGE;
    }
    status = EXIT_USAGE;
    if (prepare(&st, r) != 0 || find_handins(&h, &st) != 0)
        goto out;
    status = EXIT_SOME_FAILED;
    if (!(sheet = grade_sheet_new(r))) {
        fprintf(stderr, "pcap2report grade: out of memory\n");
        goto out;
    }
    if (grade_all(sheet, r, &h, &run, &st) != 0)
        goto out;
    if (!st.quiet)
        print_summary(sheet, r, &st);
    if (run.pdf_failed)
        fprintf(stderr, "pcap2report grade: %u feedback PDF%s could not be written\n", run.pdf_failed,
                run.pdf_failed == 1 ? "" : "s");
    status = run.unreadable || run.pdf_failed ? EXIT_SOME_FAILED : EXIT_OK;
out:
    for (size_t i = 0; i < run.n_pdf_names; i++)
        free(run.pdf_names[i]);
    free(run.pdf_names);
    outdir_close(&run.out);
    grade_sheet_free(sheet);
    handins_free(&h);
    rubric_free(r);
    pdf_templates_free(st.words);
    return status;
}
