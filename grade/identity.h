/* identity.h — who a hand-in belongs to (identity.c): the student a learning platform's export
 * names in a folder or file name (Moodle, Canvas, Blackboard), and the class list a teacher
 * gives (--class-list FILE.csv: id, name, email) that hand-ins are matched against. Pure
 * functions of the text given: the caller reads files and walks folders. */
#ifndef PCAP2REPORT_GRADE_IDENTITY_H
#define PCAP2REPORT_GRADE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* What a platform's name for an export says. */
struct grade_identity {
    char name[256];        /* the student as the platform names them, its suffixes stripped */
    char id[128];          /* the platform's id or user name, or "" */
    const char *platform;  /* "moodle", "canvas", "blackboard" */
    const char *file;      /* a flat export's file: where the student's own file name starts */
    bool metadata;         /* Blackboard's attempt .txt: the platform's note, not a hand-in */
};

/* A student's folder as Moodle exports it: "<Full Name>_<id>_assignsubmission_<plugin>_".
 * False when the name is not one (the folder's name is then the student's). */
bool grade_identity_folder(const char *name, struct grade_identity *out);

/* A file of a flat export: Moodle's "<Full Name>_<id>_assignsubmission_file_<file>", Canvas's
 * "<lastfirst>_[late_]<user id>_<submission id>_<file>", Blackboard's
 * "<assignment>_<user name>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>" (and its ".txt" note). False
 * when the name is none of these. */
bool grade_identity_file(const char *name, struct grade_identity *out);

/* The name a Blackboard attempt note gives ("Name: Full Name (user)"), copied into name;
 * false when the text has none. */
bool grade_identity_blackboard_name(const char *text, size_t len, char *name, size_t namelen);

struct grade_class_entry {
    char *id, *name, *email;
    char *key_name, *key_letters, *key_reversed; /* the name normalised for matching */
};

struct grade_class_list {
    struct grade_class_entry *v;
    size_t n;
};

/* Reads a class list (UTF-8 CSV, RFC 4180 quoting, ',' ';' or tab separated, a byte order
 * mark and CRLF accepted). A first row naming its columns (id / ID number / student id /
 * username / SIS user id, name / full name / student, first name + last name / surname,
 * email; also in Chinese: 学号, 姓名, 邮箱) says which is which; without one the columns are id,
 * name, email. Returns 0, or -1 with a sentence naming the line in err. */
int grade_class_list_parse(const char *text, size_t len, struct grade_class_list *out, char *err, size_t errlen);

void grade_class_list_free(struct grade_class_list *l);

/* The entry a hand-in matches, by the platform's id (against the list's id or email), else by
 * name (case, spacing and punctuation aside; "lastfirst" as Canvas writes it matches
 * "First Last"); -1 for none, -2 when several entries match equally. */
ssize_t grade_class_list_match(const struct grade_class_list *l, const char *name, const char *id);

#endif
