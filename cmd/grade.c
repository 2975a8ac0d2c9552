/* grade.c — `pcap2report grade`: marks a folder of homework captures against a rubric.
 *
 * Finds the hand-ins (a folder per student as platforms export them, or a file per student),
 * matches them to the class list when one is given, looks inside each file (archives are
 * unpacked; what is not a capture is named), analyses each capture once, grades each student
 * against the rubric, groups the students whose hand-ins are copies, and writes OUT/grades.csv,
 * OUT/grades.json and a feedback PDF per student (docs/grading.md). Exit status: 0 when every
 * hand-in was a capture that could be read, 1 when some could not (those students get zero with
 * the reason; the sheet is still written), 2 for a usage error (bad option, unknown rubric,
 * missing argument, two hand-ins that would be one student).
 *
 * This file is the run; the command line is grade_args.c, finding the hand-ins and naming the
 * students grade_handins.c, looking inside files grade_files.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "capture.h"
#include "commands.h"
#include "grade.h"
#include "grade_args.h"
#include "grow.h"
#include "grade_files.h"
#include "grade_handins.h"
#include "grade_words.h"
#include "feedback_html.h"
#include "grades_pdf.h"
#include "grades_writer.h"
#include "identity.h"
#include "names.h"
#include "outfile.h"
#include "paths.h"
#include "readfile.h"
#include "rubric.h"
#include "term.h"

/* What the run has written and how it went, across students. */
struct run {
    struct outdir out;     /* OUT, every output made below it (outfile.h) */
    char **pdf_names;      /* feedback file names already used */
    size_t n_pdf_names, cap_pdf_names;
    unsigned unreadable;   /* captures that could not be analysed */
    unsigned pdf_failed;
    bool pdf_reported;     /* the first PDF failure was printed */
    char **pdf_file;       /* per student of the sheet: its feedback file's name, made in order */
    pthread_mutex_t lock;  /* the counters and the terminal, between the workers */
};

/* ---- grading -------------------------------------------------------------------------------- */

enum output_kind { OUT_CSV, OUT_JSON };

/* Writes OUT/name through outfile.h (a temporary, synced, then named). */
static int write_output(const struct outdir *out, const char *name, enum output_kind kind,
                        const struct grade_sheet *s, const char *off_list, char *err, size_t errlen)
{
    struct outfile o;
    if (outfile_begin(&o, out, name, err, errlen) != 0)
        return -1;
    int rc = kind == OUT_CSV ? grades_write_csv(o.stream, s, off_list, err, errlen)
                             : grades_write_json(o.stream, s, PCAP2REPORT_VERSION, err, errlen);
    if (rc != 0) {
        outfile_failure(&o, err, err, errlen);
        outfile_end(&o);
        return -1;
    }
    return outfile_commit(&o, err, errlen);
}

/* A student's name as a file name, by the rule `convert` names its outputs with (names.h:
 * every valid UTF-8 character kept), unique in the run even where the file system ignores
 * case ("Alice" and "alice" get alice.pdf and alice~2.pdf, as convert's "~N"). */
static char *feedback_name(struct run *run, const char *student)
{
    char base[NAMES_MAX + 1];
    names_component(student, strlen(student), base);
    char *name = NULL;
    for (unsigned k = 1;; k++) {
        free(name);
        if ((k == 1 ? asprintf(&name, "%s.pdf", base) : asprintf(&name, "%s~%u.pdf", base, k)) < 0)
            return NULL;
        bool used = false;
        for (size_t i = 0; i < run->n_pdf_names && !used; i++)
            used = strcasecmp(run->pdf_names[i], name) == 0; /* case-insensitive file systems */
        if (!used)
            break;
    }
    if (!GROW(run->pdf_names, run->cap_pdf_names, run->n_pdf_names + 1, 16)) {
        free(name);
        return NULL;
    }
    run->pdf_names[run->n_pdf_names++] = name;
    return strdup(name);
}

/* Writes OUT/feedback/<name> for a graded student through outfile.h: the PDF, or with html the
 * HTML (name's ".pdf" then ".html"). Records it in the student; a failure is counted and the
 * first one said. */
static void write_feedback(struct run *run, const struct grade_settings *st, const struct rubric *r,
                           struct grade_student *student, const struct capture_report *const *reports,
                           const char *name, bool html)
{
    char err[1024], *rel = NULL;
    struct outfile o = {.dirfd = -1, .fd = -1};
    int rc = -1;
    size_t stem = name ? strlen(name) - 4 : 0; /* without ".pdf" (feedback_name) */
    if (!name || asprintf(&rel, "feedback/%.*s.%s", (int)stem, name, html ? "html" : "pdf") < 0) {
        rel = NULL;
        snprintf(err, sizeof err, "out of memory");
        goto out;
    }
    if (outfile_begin(&o, &run->out, rel, err, sizeof err) != 0)
        goto out;
    struct grades_pdf_options opt = {.templates_dir = st->templates, .lang = st->lang,
                                     .tool_version = PCAP2REPORT_VERSION, .pdfa = st->pdfa,
                                     .have_source_date = st->have_source_date, .source_date = st->source_date};
    if ((html ? grade_write_feedback_html(o.stream, r, student, reports, &opt, err, sizeof err)
              : grade_write_feedback_pdf(o.stream, r, student, reports, &opt, err, sizeof err)) != 0) {
        outfile_failure(&o, err, err, sizeof err);
        goto out;
    }
    if (outfile_commit(&o, err, sizeof err) != 0)
        goto out;
    char **recorded = html ? &student->feedback_html : &student->feedback_file;
    *recorded = rel;
    rel = NULL;
    rc = 0;
out:
    outfile_end(&o);
    if (rc != 0) {
        pthread_mutex_lock(&run->lock);
        run->pdf_failed++;
        if (!run->pdf_reported)
            term_printf(stderr, "pcap2report grade: feedback %s of %s: %s\n", html ? "HTML" : "PDF", student->name, err);
        run->pdf_reported = true;
        pthread_mutex_unlock(&run->lock);
    }
    free(rel);
}

/* One student's files being graded: their reports, kept until the student is evaluated. */
struct grading {
    struct grade_student *st;
    struct capture_report **reports;
    size_t n, cap;
    struct run *run;
    const struct grade_settings *settings;
    const char *student; /* for messages */
    bool oom;
};

/* One file to grade (grade_files.c): a capture is analysed once (its report carries its hash
 * and size); anything else is recorded with what it is. */
static int grade_item(void *arg, const struct grade_item *it)
{
    struct grading *g = arg;
    if (!GROW(g->reports, g->cap, g->n + 1, 4)) {
        g->oom = true;
        return -1;
    }
    struct capture_report *rep = NULL;
    char why[512] = "";
    struct grade_capture_info info = {.path = it->path, .file_name = it->file_name, .kind = it->kind,
                                      .size_bytes = it->size_bytes, .sha256 = it->sha256, .detail = it->detail,
                                      .refusal = it->refusal, .limit = it->limit};
    if (it->kind == GRADE_KIND_CAPTURE) {
        /* The default session cap and temporary file, as for a conversion: a hand-in that is
         * a SYN flood costs at most about 1.6 GB (capture.h). */
        struct capture_options opt = {.cores = g->settings->cores, .max_sessions = CAPTURE_DEFAULT_MAX_SESSIONS,
                                      .spill_dir = temporary_dir(), .spill_eagerly = spill_eagerly_requested()};
        if (capture_analyze(it->path, &opt, &rep, why, sizeof why) != 0) {
            rep = NULL;
            info.kind = GRADE_KIND_DAMAGED;
            info.detail = why;
        }
    }
    if (!rep) {
        pthread_mutex_lock(&g->run->lock);
        g->run->unreadable++;
        /* The grade sheet says in the teacher's language what to hand in instead. */
        term_printf(stderr, "pcap2report grade: %s (%s): not graded (%s%s%s%s%s)\n", it->file_name, g->student,
                    grade_kind_name(info.kind), it->refusal ? " " : "", it->refusal ? it->refusal : "",
                    info.detail ? ": " : "", info.detail ? info.detail : "");
        pthread_mutex_unlock(&g->run->lock);
    }
    info.report = rep;
    g->reports[g->n++] = rep;
    char err[128];
    if (grade_student_add_capture(g->st, &info, err, sizeof err) != 0) {
        g->oom = true;
        return -1;
    }
    return 0;
}

/* Analyses and grades the hand-ins [first, last) of student idx, and writes the student's
 * feedback PDF while the reports are at hand. Returns 0, or -1 when memory ran out; run counts
 * the files that could not be graded and the PDFs that could not be written. */
static int grade_one(struct grade_sheet *sheet, size_t idx, const struct rubric *r, const struct handin *v,
                     size_t first, size_t last, struct run *run, const struct grade_settings *st, char *err,
                     size_t errlen)
{
    struct grading g = {.st = &sheet->students[idx], .run = run, .settings = st, .student = sheet->students[idx].name};
    int rc = 0;
    for (size_t i = first; rc == 0 && i < last; i++)
        rc = grade_files_each(v[i].path, v[i].file_name, grade_item, &g);
    if (rc == 0 && !g.oom)
        rc = grade_student_evaluate(g.st, r, (const struct capture_report *const *)g.reports, err, errlen);
    if (rc == 0 && grade_words_fill(g.st, r, st->words, st->lang) != 0)
        rc = -1;
    for (int html = 0; html < 2; html++)
        if (rc == 0 && (html ? st->html : st->pdf) && g.st->n_captures && run->pdf_file[idx])
            write_feedback(run, st, r, g.st, (const struct capture_report *const *)g.reports, run->pdf_file[idx],
                           html);
    for (size_t i = 0; i < g.n; i++)
        capture_report_free(g.reports[i]);
    free(g.reports);
    if (rc != 0 || g.oom) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
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

/* The hand-ins, sorted so that each student's files are together, and how the folders were
 * read. Returns 0, or -1 after printing why (none found, or two places that would be one
 * student). */
static int find_handins(struct handins *h, const struct grade_settings *st)
{
    char err[2048];
    if (handins_collect(h, st->out_dir, st->naming, st->inputs, st->n_inputs, err, sizeof err) != 0 ||
        handins_sort(h, st->naming, err, sizeof err) != 0) {
        term_printf(stderr, "pcap2report grade: %s\n", err);
        return -1;
    }
    for (size_t i = 0; !st->quiet && i < h->n_skipped; i++)
        term_printf(stderr, "pcap2report grade: skipped %s: %s\n", h->skipped[i].path, h->skipped[i].reason);
    if (h->n == 0) {
        term_printf(stderr, "pcap2report grade: no hand-ins found in the folders given\n");
        return -1;
    }
    for (size_t i = 0; i < h->n_notes && !st->quiet; i++)
        term_printf(stderr, "pcap2report grade: %s\n", h->notes[i]);
    return 0;
}

/* One student of the run: a run of hand-ins with one key, or a class-list entry with none. */
struct who {
    size_t first, last;   /* hand-ins [first, last) */
    ssize_t entry;        /* the class list's, or -1 */
    size_t index;         /* in the sheet */
};

/* Reads the class list (at most 16 MiB: a class of thousands is well under 1). Returns 0, or
 * -1 after printing why. */
static int load_class_list(const char *path, struct grade_class_list *l)
{
    char err[512];
    size_t len;
    char *text = readfile(AT_FDCWD, path, 16u << 20, 0, &len, NULL, err, sizeof err);
    if (!text) {
        term_printf(stderr, "pcap2report grade: --class-list %s\n", err);
        return -1;
    }
    int rc = grade_class_list_parse(text, len, l, err, sizeof err);
    free(text);
    if (rc != 0)
        term_printf(stderr, "pcap2report grade: --class-list %s: %s\n", path, err);
    return rc;
}

/* The students: one per key of the hand-ins, each matched to the class list when there is
 * one (two that match one entry are an error naming both), then the entries that handed
 * nothing in. Names shown twice get the id (or a number) after them. Returns the count, or
 * -1 after printing why. */
static ssize_t roster(const struct handins *h, const struct grade_class_list *list, struct who **out)
{
    size_t cap = 0, n = 0;
    struct who *w = NULL;
    ssize_t *used = list->n ? calloc(list->n, sizeof *used) : NULL;
    if (list->n && !used)
        goto oom;
    for (size_t i = 0; i < list->n; i++)
        used[i] = -1;
    for (size_t i = 0; i < h->n;) {
        size_t j = i + 1;
        while (j < h->n && strcmp(h->v[j].key, h->v[i].key) == 0)
            j++;
        ssize_t e = list->n ? grade_class_list_match(list, h->v[i].student, h->v[i].id) : -1;
        if (e >= 0 && used[e] >= 0) {
            term_printf(stderr, "pcap2report grade: %s and %s both match '%s' of the class list: rename one, or "
                    "give the class list the id each was handed in under\n", h->v[w[used[e]].first].source,
                    h->v[i].source, list->v[e].name);
            goto fail;
        }
        if (!GROW(w, cap, n + 1, 64))
            goto oom;
        w[n] = (struct who){i, j, e < 0 ? -1 : e, 0};
        if (e >= 0)
            used[e] = (ssize_t)n;
        n++;
        i = j;
    }
    for (size_t e = 0; e < list->n; e++) {
        if (used[e] >= 0)
            continue;
        if (!GROW(w, cap, n + 1, 64))
            goto oom;
        w[n++] = (struct who){0, 0, (ssize_t)e, 0};
    }
    free(used);
    *out = w;
    return (ssize_t)n;
oom:
    term_printf(stderr, "pcap2report grade: out of memory\n");
fail:
    free(used);
    free(w);
    return -1;
}

/* Adds the students of the roster to the sheet: the class list's name and id when matched,
 * else the hand-in's; a name shown twice gets its id (or a number) after it. Returns 0, or -1
 * when out of memory. */
static const char *who_name(const struct who *w, const struct handins *h, const struct grade_class_list *list)
{
    const struct grade_class_entry *e = w->entry >= 0 ? &list->v[w->entry] : NULL;
    if (e && *e->name)
        return e->name;
    return w->last > w->first ? h->v[w->first].student : e->id;
}

static int add_students(struct grade_sheet *sheet, struct who *w, size_t n, const struct handins *h,
                        const struct grade_class_list *list)
{
    for (size_t i = 0; i < n; i++) {
        const struct grade_class_entry *e = w[i].entry >= 0 ? &list->v[w[i].entry] : NULL;
        const struct handin *x = w[i].last > w[i].first ? &h->v[w[i].first] : NULL;
        const char *name = who_name(&w[i], h, list);
        const char *id = e && *e->id ? e->id : x ? x->id : NULL;
        unsigned same = 0;
        for (size_t k = 0; k < n; k++)
            same += k != i && strcmp(who_name(&w[k], h, list), name) == 0;
        unsigned nth = 1;
        for (size_t k = 0; k < i; k++)
            nth += strcmp(who_name(&w[k], h, list), name) == 0;
        char *shown = NULL;
        if (same && (id ? asprintf(&shown, "%s (%s)", name, id) : asprintf(&shown, "%s (%u)", name, nth)) < 0)
            return -1;
        int rc = grade_sheet_add_student(sheet, shown ? shown : name, &w[i].index);
        free(shown);
        if (rc != 0)
            return -1;
        struct grade_student *st = &sheet->students[w[i].index];
        if ((id && !(st->id = strdup(id))) || (e && *e->email && !(st->email = strdup(e->email))))
            return -1;
        st->listed = list->n ? (e ? GRADE_LIST_ON : GRADE_LIST_OFF) : GRADE_LIST_NONE;
    }
    sheet->class_list = list->n > 0;
    return 0;
}

/* The students shared out between the workers. */
struct pool {
    struct grade_sheet *sheet;
    const struct rubric *r;
    const struct handins *h;
    struct who *w;
    size_t n;
    size_t next;          /* atomic: the next student to grade */
    int failed;           /* atomic: a worker ran out of memory */
    struct run *run;
    const struct grade_settings *st;
};

/* A worker: grades students until none is left. Students are independent (each has its own
 * record, reports and PDF), so the order they are graded in changes no byte of the output. */
static void *worker(void *arg)
{
    struct pool *p = arg;
    char err[1024];
    core_budget_hold(p->st->cores);
    for (;;) {
        size_t i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
        if (i >= p->n || __atomic_load_n(&p->failed, __ATOMIC_RELAXED))
            break;
        if (grade_one(p->sheet, p->w[i].index, p->r, p->h->v, p->w[i].first, p->w[i].last, p->run, p->st, err,
                      sizeof err) != 0)
            __atomic_store_n(&p->failed, 1, __ATOMIC_RELAXED);
    }
    core_budget_release(p->st->cores);
    return NULL;
}

/* Grades every student into the sheet (on as many cores as the run has), groups the copies,
 * and writes grades.csv and grades.json. Returns 0, or -1 after printing why. */
static int grade_all(struct grade_sheet *sheet, const struct rubric *r, const struct handins *h, struct who *w,
                     size_t n, struct run *run, const struct grade_settings *st)
{
    char err[1024];
    if (outdir_open(&run->out, st->out_dir, true, err, sizeof err) != 0) {
        term_printf(stderr, "pcap2report grade: %s\n", err);
        return -1;
    }
    /* The feedback files' names first, in the roster's order: the same names on every run. */
    if (!(run->pdf_file = calloc(sheet->n_students + 1, sizeof *run->pdf_file)))
        goto oom;
    for (size_t i = 0; i < n; i++)
        if (w[i].last > w[i].first && !(run->pdf_file[w[i].index] = feedback_name(run, sheet->students[w[i].index].name)))
            goto oom;
    struct pool pool = {sheet, r, h, w, n, 0, 0, run, st};
    pthread_t threads[8];
    size_t nt = st->cores && st->cores->usable > 1 ? st->cores->usable : 1, started = 0;
    nt = nt > 8 ? 8 : nt > n ? (n ? n : 1) : nt;
    for (size_t t = 1; t < nt; t++)
        if (pthread_create(&threads[started], NULL, worker, &pool) == 0)
            started++;
    worker(&pool);
    for (size_t t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    if (pool.failed)
        goto oom;
    grade_sheet_sort(sheet);
    char *off_list = NULL;
    if (grade_sheet_integrity(sheet, err, sizeof err) != 0 || grade_words_fill_integrity(sheet, st->words) != 0 ||
        !(off_list = malloc(1024)))
        goto oom;
    pdf_templates_format(st->words, "grade.off-list", NULL, 0, off_list, 1024);
    int rc = 0;
    if (write_output(&run->out, "grades.csv", OUT_CSV, sheet, off_list, err, sizeof err) != 0 ||
        write_output(&run->out, "grades.json", OUT_JSON, sheet, NULL, err, sizeof err) != 0) {
        term_printf(stderr, "pcap2report grade: %s\n", err);
        rc = -1;
    }
    free(off_list);
    return rc;
oom:
    term_printf(stderr, "pcap2report grade: out of memory\n");
    return -1;
}

/* Each student's points and own flags, each copy group once, then where the sheet went. */
static void print_summary(const struct grade_sheet *sheet, const struct rubric *r, const struct grade_settings *st)
{
    size_t missing = 0;
    for (size_t i = 0; i < sheet->n_students; i++) {
        const struct grade_student *s = &sheet->students[i];
        char t[24], m[24];
        missing += s->n_captures == 0;
        term_printf(stderr, "%s: %s/%s%s%s%s\n", s->name, rubric_points_string(s->total, t),
                rubric_points_string(s->max, m), s->error ? " (" : "", s->error ? s->error : "",
                s->error ? ")" : "");
        for (size_t f = 0; f < s->n_flags; f++)
            if (!s->flags[f].group)
                term_printf(stderr, "  integrity: %s\n", s->flags[f].message);
    }
    for (size_t i = 0; i < sheet->n_clusters; i++)
        term_printf(stderr, "integrity: %s\n", sheet->clusters[i].message);
    if (sheet->class_list)
        term_printf(stderr, "pcap2report grade: %zu of the class list handed nothing in\n", missing);
    term_printf(stderr, "pcap2report grade: %zu student%s graded with %s -> %s/grades.csv, %s/grades.json%s%s%s\n",
            sheet->n_students, sheet->n_students == 1 ? "" : "s", r->name, st->out_dir, st->out_dir,
            st->pdf || st->html ? ", " : "", st->pdf || st->html ? st->out_dir : "",
            st->pdf || st->html ? "/feedback/" : "");
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
    struct run run = {.out = {.fd = -1}, .lock = PTHREAD_MUTEX_INITIALIZER};
    struct handins h = {0};
    struct grade_class_list list = {0};
    struct who *who = NULL;
    ssize_t n_who = 0;
    struct grade_sheet *sheet = NULL;
    struct rubric *r = grade_find_rubric(st.rubric, err, sizeof err);
    if (!r) {
        term_printf(stderr, "pcap2report grade: %s\n", err);
        return EXIT_USAGE;
    }
    status = EXIT_USAGE;
    if (prepare(&st, r) != 0 || (st.class_list && load_class_list(st.class_list, &list) != 0) ||
        find_handins(&h, &st) != 0 || (n_who = roster(&h, &list, &who)) < 0)
        goto out;
    status = EXIT_SOME_FAILED;
    if (!(sheet = grade_sheet_new(r)) || add_students(sheet, who, (size_t)n_who, &h, &list) != 0) {
        term_printf(stderr, "pcap2report grade: out of memory\n");
        goto out;
    }
    if (grade_all(sheet, r, &h, who, (size_t)n_who, &run, &st) != 0)
        goto out;
    if (!st.quiet)
        print_summary(sheet, r, &st);
    if (run.pdf_failed)
        term_printf(stderr, "pcap2report grade: %u feedback file%s could not be written\n", run.pdf_failed,
                run.pdf_failed == 1 ? "" : "s");
    status = run.unreadable || run.pdf_failed ? EXIT_SOME_FAILED : EXIT_OK;
out:
    for (size_t i = 0; i < run.n_pdf_names; i++)
        free(run.pdf_names[i]);
    free(run.pdf_names);
    for (size_t i = 0; run.pdf_file && sheet && i < sheet->n_students; i++)
        free(run.pdf_file[i]);
    free(run.pdf_file);
    outdir_close(&run.out);
    grade_sheet_free(sheet);
    free(who);
    grade_class_list_free(&list);
    handins_free(&h);
    rubric_free(r);
    pdf_templates_free(st.words);
    return status;
}
