/* grade.h — marks homework captures against a rubric, and checks them for copying.
 *
 * A grade sheet holds one record per student; a student hands in one or more captures. For
 * each check of the rubric the grader looks at every TCP session of the student's captures
 * and picks the one that best satisfies the check (all its requirements, or failing that the
 * most of them), and records that session, the points and the reason as data (reason.h),
 * which grade_words.c turns into words of the chosen language (templates/<lang>.txt, keys
 * grade.<code>). The integrity pass then compares students: byte-identical files, the same
 * connection (same ISNs) in two students' captures, and captures that no real TCP stack wrote
 * (ISN 0, answers timed before their questions). These are pure functions of the captures'
 * reports; the results copy what they need, so the reports may be freed once a student is
 * evaluated.
 *
 * Where things are: sheet.c (the records, adding captures, sorting), evaluate.c (picking the
 * session for each check), requirements.c (one requirement on one session), reason.c (reasons
 * as data), feedback.c (the rubric's sentence filled in), integrity.c (the copy checks). */
#ifndef PCAP2REPORT_GRADE_H
#define PCAP2REPORT_GRADE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reason.h"
#include "report.h"
#include "rubric.h"

enum grade_status { GRADE_FAIL, GRADE_PASS, GRADE_NA };

enum grade_flag_kind {
    GRADE_FLAG_IDENTICAL_FILE,   /* byte-identical to another student's capture */
    GRADE_FLAG_SAME_CONNECTION,  /* a connection with the same ISNs as in another student's */
    GRADE_FLAG_ISN_ZERO,         /* not a real stack: an ISN of 0 */
    GRADE_FLAG_IMPOSSIBLE_TIMING,/* not a real stack: answers before questions, clock before 1990 */
    GRADE_FLAG_KINDS
};

const char *grade_status_name(enum grade_status s);     /* "pass", "fail", "n/a" */
const char *grade_flag_kind_name(enum grade_flag_kind k); /* "identical-file", ... */

/* One capture handed in, as far as grading needs it. */
struct grade_capture {
    char *path;       /* as found on disk */
    char *file_name;  /* as shown: the path below the folder given, or the file name */
    uint64_t size_bytes;
    bool hashed;      /* sha256 holds the file's hash */
    char sha256[65];
    bool analysed;    /* capture_analyze succeeded */
    char *error;      /* why it could not be analysed, or NULL */
    uint64_t packets, tcp_packets;
    size_t sessions;
    char **notes;     /* what the student should know about the file (a damaged tail) */
    size_t n_notes;
};

enum { GRADE_MAX_PACKETS = 16 };

/* The outcome of one check for one student. */
struct grade_result {
    size_t check;           /* index into the rubric's checks */
    enum grade_status status;
    int points, max;        /* hundredths; max is 0 for GRADE_NA */
    bool has_session;       /* a session was picked (to credit, or to explain the failure) */
    size_t capture;         /* index into the student's captures */
    size_t session_index;   /* 0-based index in that capture's report */
    uint64_t session_id;    /* the report's 1-based id */
    char client[SESSION_ENDPOINT_STRING_LEN], server[SESSION_ENDPOINT_STRING_LEN]; /* "192.0.2.1:53598" */
    uint64_t packets[GRADE_MAX_PACKETS]; /* the segments the check looked at, ascending */
    size_t n_packets;
    struct grade_reason why; /* what was seen, and for a failure what is wrong, as data */
    /* The words, in the language the caller chose: filled by grade_words_fill
     * (grade_words.h) after grade_student_evaluate; NULL before. */
    char *reason;
    char *feedback;         /* the rubric's pass or fail sentence, placeholders filled in */
};

struct grade_flag {
    enum grade_flag_kind kind;
    char *other;        /* the other student's name; NULL for a flag about this student alone */
    size_t capture;     /* this student's capture concerned */
    uint64_t session_id; /* the session concerned, 0 when about the whole file */
    char *message;      /* one sentence naming both students where there are two */
};

/* What identifies a connection, to find it in another student's capture. */
struct grade_fingerprint {
    size_t capture;
    uint64_t session_id;
    uint16_t cport, sport;
    bool c_known, s_known;     /* an ISN, or the first sequence number seen, for each side */
    uint32_t c_anchor, s_anchor;
    bool isns;                 /* the anchors are ISNs (else first sequence numbers) */
    int64_t first_ts;
};

struct grade_student {
    char *name;
    struct grade_capture *captures;
    size_t n_captures;
    struct grade_result *results; /* one per rubric check, after grade_student_evaluate */
    size_t n_results;
    int total, max;     /* hundredths */
    struct grade_reason error_why; /* why the student got nothing (no capture readable, no TCP):
                                      SENTENCE clauses; empty when the student was graded */
    char *error;        /* error_why in words (grade_words_fill), or NULL */
    struct grade_flag *flags;
    size_t n_flags;
    struct grade_fingerprint *prints;
    size_t n_prints;
    char *feedback_file; /* the feedback PDF, relative to the output folder; set by the caller */
};

/* A pair of students flagged together, for the sheet's own list. */
struct grade_pair {
    enum grade_flag_kind kind;
    size_t a, b;        /* student indexes, a < b (after grade_sheet_sort) */
    char *message;
};

struct grade_sheet {
    const struct rubric *rubric; /* borrowed: must outlive the sheet */
    struct grade_student *students;
    size_t n_students, cap_students;
    struct grade_pair *pairs;
    size_t n_pairs;
};

/* Returns an empty sheet for the rubric, or NULL when out of memory. */
struct grade_sheet *grade_sheet_new(const struct rubric *r);
void grade_sheet_free(struct grade_sheet *s); /* accepts NULL */

/* The index of the student with this name, added when new. Returns 0, or -1 when out of
 * memory. Pointers to students are valid until the next student is added. */
int grade_sheet_student(struct grade_sheet *s, const char *name, size_t *index);

/* What the caller knows about one capture. report is NULL when capture_analyze failed, with
 * error saying why. sha256 may be "" when the file could not be read. */
struct grade_capture_info {
    const char *path, *file_name;
    uint64_t size_bytes;
    const char *sha256;
    const struct capture_report *report;
    const char *error;
};

/* Adds a capture to a student: copies its facts, its connections' fingerprints and the
 * single-capture integrity flags (ISN 0, impossible timing). Returns 0 or -1 (out of memory,
 * err filled). The report is not kept. */
int grade_student_add_capture(struct grade_student *st, const struct grade_capture_info *info,
                              char *err, size_t errlen);

/* Grades the student against the rubric. reports[i] is the report of captures[i] (NULL where
 * it failed); they are only read during the call. Fills results, total, max and error_why
 * (and drops the words filled before: grade_words_fill makes them again).
 * Returns 0, or -1 when out of memory (err filled). */
int grade_student_evaluate(struct grade_student *st, const struct rubric *r,
                           const struct capture_report *const *reports, char *err, size_t errlen);

/* The check's pass or fail sentence (the rubric's text) with its placeholders filled in; the
 * words that are not the rubric's come from the caller: reason ({reason}), target ({target},
 * the rubric's target server in words) and none (what a placeholder without a session shows).
 * Returns a new string, or NULL when out of memory. */
char *grade_fill_feedback(const struct grade_student *st, const struct rubric *r, const struct grade_result *res,
                          const char *reason, const char *target, const char *none);

/* Sorts students by name (byte order, so the same on every machine). */
void grade_sheet_sort(struct grade_sheet *s);

/* Compares the students with each other after grade_sheet_sort: byte-identical captures and
 * the same connection in two students' captures. Adds a flag to both students and a pair to
 * the sheet. Returns 0, or -1 when out of memory. */
int grade_sheet_integrity(struct grade_sheet *s, char *err, size_t errlen);

void grade_student_clear(struct grade_student *st); /* frees what the student holds */
void grade_result_clear(struct grade_result *res);  /* frees what the result holds */

#endif
