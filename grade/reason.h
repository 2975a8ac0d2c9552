/* reason.h — why a check passed or failed, as data rather than words.
 *
 * A reason is a list of clauses; each clause is a code (the template key grade.<code>, listed
 * in docs/grading.md) with named values: packet numbers, classes, expected and actual
 * numbers. grade_words.c turns a reason into sentences of the language chosen, grades.json
 * lists its clauses, so the grader itself never writes a sentence a student reads.
 *
 * The grader records a reason through a builder while it evaluates a requirement on a session;
 * the same code runs with no builder when it only scores sessions, so that what is recorded and
 * what is scored can never disagree. */
#ifndef PCAP2REPORT_GRADE_REASON_H
#define PCAP2REPORT_GRADE_REASON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session.h"

enum { GRADE_CLAUSE_ARGS = 10 };

/* How a clause of an explanation joins the others (grade/grade_words.c):
 *  LEAD      a sentence whose {details} are the parts after it ("Session 1 (...): {details}.");
 *  PART      a finding of its own, joined to the previous with grade.join ("{first}; {next}");
 *  MORE      continues the part before it, which its text takes as {before}
 *            ("{before}, but the check asks for {expected}");
 *  SENTENCE  a whole sentence, joined to the previous with grade.sentences. */
enum grade_clause_kind { GRADE_CLAUSE_LEAD, GRADE_CLAUSE_PART, GRADE_CLAUSE_MORE, GRADE_CLAUSE_SENTENCE };

/* What a value is, so that a renderer knows which to translate and how to write lists. Lists
 * are names separated by GRADE_LIST_SEP (a control character, which no name holds: a
 * student's name may hold a comma). */
#define GRADE_LIST_SEP '\x1f'
#define GRADE_LIST_SEP_STR "\x1f"
enum grade_arg_kind {
    GRADE_ARG_TEXT,       /* as it stands: an endpoint, a class or state name, a file name */
    GRADE_ARG_NUMBER,     /* a count, a packet or a sequence number, in decimal */
    GRADE_ARG_ROLE,       /* "client" or "server" */
    GRADE_ARG_HANDSHAKES, /* handshake class names, one of which was wanted */
    GRADE_ARG_TEARDOWNS,  /* teardown class names, one of which was wanted */
    GRADE_ARG_ANOMALIES,  /* anomaly names, all of which were seen */
    GRADE_ARG_NAMES,      /* names listed as they stand ("none of: a, b") */
    GRADE_ARG_CHOICES,    /* names or numbers of which one was wanted ("a, b or c") */
};

struct grade_arg {
    const char *name;     /* the placeholder, static */
    enum grade_arg_kind kind;
    char *value;          /* owned */
};

/* One clause: the template key grade.<code> and its values. */
struct grade_clause {
    const char *code;     /* static: "opens.normal", "fin-arith.wrong" ... (docs/grading.md) */
    enum grade_clause_kind kind;
    struct grade_arg args[GRADE_CLAUSE_ARGS];
    size_t n_args;
};

/* An explanation as data, language-independent. */
struct grade_reason {
    struct grade_clause *clauses;
    size_t n;
};

/* The clause's value of name, or NULL. */
const char *grade_reason_arg(const struct grade_clause *c, const char *name);

/* The code that sums up a reason for scripts: the first finding after the lead (the first
 * reason a check failed, or what it saw when it passed), else the lead's. NULL when empty. */
const struct grade_clause *grade_reason_main(const struct grade_reason *r);

/* Frees the clauses and empties the reason. */
void grade_reason_clear(struct grade_reason *r);

/* ---- recording a reason ---- */

/* A reason being recorded into r. Every function below accepts a NULL builder and then records
 * nothing (while sessions are only scored). When memory runs out, oom is set and the rest is
 * ignored; the caller checks oom once at the end. */
struct grade_reason_builder {
    struct grade_reason *r;
    size_t cap;
    bool oom;
};

/* Starts a clause; the values added next go to it. Returns it, or NULL when not recording or
 * out of memory. */
struct grade_clause *grade_reason_clause(struct grade_reason_builder *b, enum grade_clause_kind kind,
                                         const char *code);

/* Adds a value to the last clause: as it stands (NULL as ""), a number in decimal, a role
 * ("client" or "server"), or the names of the bits of set among the first count, as a list. */
void grade_reason_text(struct grade_reason_builder *b, const char *name, enum grade_arg_kind kind, const char *value);
void grade_reason_num(struct grade_reason_builder *b, const char *name, uint64_t v);
void grade_reason_role(struct grade_reason_builder *b, const char *name, int role);
void grade_reason_set(struct grade_reason_builder *b, const char *name, enum grade_arg_kind kind, uint32_t set,
                      unsigned count, const char *(*names)(unsigned));

/* Moves every clause of part onto the reason being built, then clears part. */
void grade_reason_append(struct grade_reason_builder *b, struct grade_reason *part);

#endif
