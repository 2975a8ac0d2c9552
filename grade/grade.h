/* grade.h — marks homework captures against a rubric, and checks them for copying.
 *
 * A grade sheet holds one record per student; a student hands in one or more captures. For
 * each check of the rubric the grader looks at every TCP session of the student's captures
 * and picks the one that best satisfies the check (all its requirements, or failing that the
 * most of them), and records that session, the points and the reason as data (reason.h),
 * which grade_words.c turns into words of the chosen language (templates/<lang>.txt, keys
 * grade.<code>). The integrity pass then compares students: byte-identical files, the same
 * connection (same ISNs) in several students' captures (copy groups), and captures that no real
 * TCP stack wrote (ISN 0, answers timed before their questions). Files that are not captures
 * (a screenshot, tcpdump's text, an archive the caller could not unpack) are recorded with
 * what they are (kind.c). These are pure functions of the captures' reports; the results copy
 * what they need, so the reports may be freed once a student is evaluated.
 *
 * Where things are: sheet.c (the records, adding captures, sorting), evaluate.c (picking the
 * session for each check), requirements.c (one requirement on one session), reason.c (reasons
 * as data), feedback.c (the rubric's sentence filled in), integrity.c (the single-capture
 * checks), clusters.c (the copy groups), kind.c (what a file is). */
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
    GRADE_FLAG_IDENTICAL_FILE,   /* byte-identical to other students' hand-ins */
    GRADE_FLAG_SAME_CONNECTION,  /* a connection with the same ports and ISNs as in other students' */
    GRADE_FLAG_ISN_ZERO,         /* not a real stack: an ISN of 0 */
    GRADE_FLAG_IMPOSSIBLE_TIMING,/* not a real stack: answers before questions, clock before 1990 */
    GRADE_FLAG_KINDS
};

/* What a file handed in is, from its first bytes (grade_kind_of, kind.c). Only captures are
 * analysed; every other kind gets one sentence saying what to hand in instead
 * (grade.error.<name> in templates/<lang>.txt). */
enum grade_kind {
    GRADE_KIND_CAPTURE,         /* pcap or pcapng, maybe gzip'd: analysed */
    GRADE_KIND_DAMAGED,         /* a capture's magic number, but the file cannot be read */
    GRADE_KIND_EMPTY,           /* no bytes at all */
    GRADE_KIND_TCPDUMP_TEXT,    /* the lines tcpdump prints, saved as text */
    GRADE_KIND_WIRESHARK_TEXT,  /* Wireshark's Export Packet Dissections as plain text */
    GRADE_KIND_WIRESHARK_CSV,   /* Wireshark's Export Packet Dissections as CSV */
    GRADE_KIND_IMAGE,           /* a screenshot: PNG, JPEG, GIF, BMP, WebP, TIFF, HEIC */
    GRADE_KIND_PDF,
    GRADE_KIND_DOCUMENT,        /* a word processor's or spreadsheet's file */
    GRADE_KIND_ARCHIVE,         /* zip, tar, 7z, rar, or gzip/xz/bzip2/zstd of something: unpacked */
    GRADE_KIND_ARCHIVE_REFUSED, /* an archive that was not unpacked (limits, damage, a password) */
    GRADE_KIND_TEXT,            /* some other text */
    GRADE_KIND_UNKNOWN,         /* anything else */
    GRADE_KIND_UNREADABLE,      /* the file could not be opened or read */
    GRADE_KINDS
};

const char *grade_status_name(enum grade_status s);     /* "pass", "fail", "n/a" */
const char *grade_flag_kind_name(enum grade_flag_kind k); /* "identical-file", ... */
const char *grade_kind_name(enum grade_kind k);         /* "capture", "tcpdump-text", ... */

/* One file handed in, as far as grading needs it. */
struct grade_capture {
    char *path;       /* as found on disk (an archive's member: the archive, then the member) */
    char *file_name;  /* as shown: the path below the student's folder, or the file name */
    enum grade_kind kind;
    uint64_t size_bytes;
    bool hashed;      /* sha256 holds the file's hash */
    char sha256[65];
    bool analysed;    /* capture_analyze succeeded */
    char *detail;     /* for the teacher: the library's own words on a file it could not read
                         (English, technical; grades.json's "detail"), or NULL */
    uint64_t packets, tcp_packets;
    size_t sessions;
    /* For a file not analysed: what it is and what to hand in instead (one SENTENCE clause
     * error.<kind>); for a capture: what the student should know about it (a damaged tail,
     * note.damaged-tail). Empty when there is nothing to say. */
    struct grade_reason why;
    char *words;      /* why in words (grade_words_fill), or NULL */
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

/* An integrity finding on one student: about this student's capture alone (ISN 0, impossible
 * timing), or the student's place in a copy group of the sheet (grade_cluster). */
struct grade_flag {
    enum grade_flag_kind kind;
    size_t capture;     /* this student's capture concerned */
    uint64_t session_id; /* the session concerned, 0 when about the whole file */
    size_t group;       /* the copy group's number (1-based, the sheet's clusters), 0 for none */
    struct grade_reason why; /* as data: flag.<...> clauses */
    char *message;      /* why in words (grade_words_fill_integrity), or NULL */
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

/* Where a student stands against the class list (--class-list). */
enum grade_listed { GRADE_LIST_NONE, GRADE_LIST_ON, GRADE_LIST_OFF };

struct grade_student {
    char *name;
    char *id;           /* the class list's or the platform's id, or NULL */
    char *email;        /* the class list's, or NULL */
    enum grade_listed listed;
    struct grade_capture *captures;
    size_t n_captures;
    struct grade_result *results; /* one per rubric check, after grade_student_evaluate */
    size_t n_results;
    int total, max;     /* hundredths */
    struct grade_reason error_why; /* why the student got nothing (nothing handed in, no capture
                                      readable, no TCP): SENTENCE clauses; empty when graded */
    char *error;        /* error_why in words (grade_words_fill), or NULL */
    struct grade_flag *flags;
    size_t n_flags;
    struct grade_fingerprint *prints;
    size_t n_prints;
    char *feedback_file; /* the feedback PDF, relative to the output folder; set by the caller */
    char *feedback_html; /* the feedback as HTML, likewise; NULL when none was written */
};

/* One member of a copy group: a student and the capture (and for a shared connection, the
 * session) that puts the student in it. */
struct grade_member {
    size_t student;     /* index into the sheet's students (after grade_sheet_sort) */
    size_t capture;
    uint64_t session_id;
    int64_t first_ts;
};

/* A copy group: students whose hand-ins share the same bytes (identical-file: one SHA-256) or
 * the same connection (same-connection: the same ports and ISNs), with the evidence; one line
 * of the sheet each, whatever the number of students. */
struct grade_cluster {
    enum grade_flag_kind kind;
    size_t number;      /* 1-based, in the sheet's order */
    struct grade_member *members; /* sorted by student, one per student */
    size_t n_members;
    char sha256[65];    /* identical-file: the shared hash and size */
    uint64_t size_bytes;
    struct grade_fingerprint print; /* same-connection: the shared connection */
    size_t connections; /* same-connection: how many connections the members share */
    int64_t ts_spread;  /* same-connection: the first packets' times, latest minus earliest (ns) */
    struct grade_reason why;
    char *message;      /* why in words (grade_words_fill_integrity), or NULL */
};

struct grade_sheet {
    const struct rubric *rubric; /* borrowed: must outlive the sheet */
    struct grade_student *students;
    size_t n_students, cap_students;
    struct grade_cluster *clusters;
    size_t n_clusters;
    bool class_list; /* a class list was given: students carry listed */
};

/* Returns an empty sheet for the rubric, or NULL when out of memory. */
struct grade_sheet *grade_sheet_new(const struct rubric *r);
void grade_sheet_free(struct grade_sheet *s); /* accepts NULL */

/* The index of the student with this name, added when new. Returns 0, or -1 when out of
 * memory. Pointers to students are valid until the next student is added. */
int grade_sheet_student(struct grade_sheet *s, const char *name, size_t *index);

/* Adds a student without looking for one of that name (the caller knows who is who: two
 * students may share a name). Returns 0, or -1 when out of memory. */
int grade_sheet_add_student(struct grade_sheet *s, const char *name, size_t *index);

/* What the caller knows about one file handed in. report is the analysis of a capture, or
 * NULL: then kind says what the file is (GRADE_KIND_DAMAGED when capture_analyze failed, with
 * detail its sentence). size_bytes and sha256 are the report's when there is one (the file is
 * read and hashed once); sha256 may be "" when the file could not be read. limit is the limit
 * an archive exceeded (GRADE_KIND_ARCHIVE_REFUSED, with refusal "too-large", "too-many",
 * "too-deep", "damaged" or "encrypted"). */
struct grade_capture_info {
    const char *path, *file_name;
    enum grade_kind kind;
    uint64_t size_bytes;
    const char *sha256;
    const struct capture_report *report;
    const char *detail;
    const char *refusal;
    uint64_t limit;
};

/* Adds a file to a student: copies its facts, what to tell the student about it, its
 * connections' fingerprints and the single-capture integrity flags (ISN 0, impossible
 * timing). Returns 0 or -1 (out of memory, err filled). The report is not kept. */
int grade_student_add_capture(struct grade_student *st, const struct grade_capture_info *info,
                              char *err, size_t errlen);

/* Grades the student against the rubric. reports[i] is the report of captures[i] (NULL where
 * it failed); they are only read during the call. Fills results, total, max and error_why
 * (and drops the words filled before: grade_words_fill makes them again).
 * Returns 0, or -1 when out of memory (err filled). */
int grade_student_evaluate(struct grade_student *st, const struct rubric *r,
                           const struct capture_report *const *reports, char *err, size_t errlen);

/* The words a check's sentence takes from the caller's language (grade_words.c). */
struct grade_feedback_words {
    const char *reason;    /* {reason} */
    const char *target;    /* {target}: the rubric's target server in words */
    const char *handshake; /* {handshake}: the picked session's handshake class in words */
    const char *teardown;  /* {teardown} */
    const char *none;      /* what a placeholder without a session shows */
};

/* The check's pass or fail sentence (the rubric's text, in the language lang when the rubric
 * has it: rubric_check_text) with its placeholders filled in. Returns a new string, or NULL
 * when out of memory. */
char *grade_fill_feedback(const struct grade_student *st, const struct rubric *r, const struct grade_result *res,
                          const char *lang, const struct grade_feedback_words *w);

/* Sorts students by name, then id (byte order, so the same on every machine). */
void grade_sheet_sort(struct grade_sheet *s);

/* Compares the students with each other after grade_sheet_sort: byte-identical files and the
 * same connection in several students' captures, found by hashing in time linear in the
 * hand-ins, and reported as copy groups (the sheet's clusters, one per shared file or
 * connection; a connection shared only by students already grouped by identical files is not
 * reported again). Adds a flag to each member. Returns 0, or -1 when out of memory. */
int grade_sheet_integrity(struct grade_sheet *s, char *err, size_t errlen);

void grade_student_clear(struct grade_student *st); /* frees what the student holds */
void grade_result_clear(struct grade_result *res);  /* frees what the result holds */

#endif
