/* identity.c — who a hand-in belongs to (identity.h).
 *
 * The export formats, as the platforms write them (and as the tools that sort them read them):
 *   Moodle ("Download all submissions"): one folder per student,
 *       "<Full Name>_<participant id>_assignsubmission_file_/<file>" (onlinetext for typed
 *       answers), or in older versions flat files "<Full Name>_<id>_assignsubmission_file_<file>";
 *   Canvas ("Download Submissions"): flat files "<lastfirst>_<user id>_<submission id>_<file>",
 *       with "late_" (or "LATE_") before the user id for a late hand-in;
 *   Blackboard Learn ("Assignment File Download"): flat files
 *       "<assignment>_<user name>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>", and one note per
 *       attempt "<assignment>_<user name>_attempt_<date>.txt" whose first line is
 *       "Name: <Full Name> (<user name>)". */
#define _GNU_SOURCE
#include "identity.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static void copy(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* Moodle: "<name>_<digits>_assignsubmission_<plugin>_" then the file (folder: nothing). */
static bool moodle(const char *name, bool folder, struct grade_identity *out)
{
    const char *m = strstr(name, "_assignsubmission_");
    if (!m || m == name)
        return false;
    const char *plugin = m + strlen("_assignsubmission_"), *end = strchr(plugin, '_');
    if (!end || end == plugin)
        return false;
    for (const char *p = plugin; p < end; p++)
        if (!islower((unsigned char)*p))
            return false;
    if (folder ? end[1] != '\0' : end[1] == '\0')
        return false;
    const char *us = m;
    while (us > name && us[-1] != '_')
        us--;
    if (us == name || !all_digits(us, (size_t)(m - us)))
        return false;
    copy(out->name, sizeof out->name, name, (size_t)(us - 1 - name));
    copy(out->id, sizeof out->id, us, (size_t)(m - us));
    out->platform = "moodle";
    out->file = folder ? NULL : end + 1;
    return out->name[0] != '\0';
}

/* Blackboard: "<assignment>_<user>_attempt_<YYYY-MM-DD-HH-MM-SS>" then "_<file>" or ".txt". */
static bool blackboard(const char *name, struct grade_identity *out)
{
    const char *a = strstr(name, "_attempt_");
    if (!a || a == name)
        return false;
    const char *date = a + strlen("_attempt_");
    static const char shape[] = "dddd-dd-dd-dd-dd-dd";
    for (size_t i = 0; i < sizeof shape - 1; i++)
        if (shape[i] == 'd' ? !isdigit((unsigned char)date[i]) : date[i] != '-')
            return false;
    const char *rest = date + sizeof shape - 1;
    if (strcmp(rest, ".txt") == 0)
        out->metadata = true;
    else if (rest[0] != '_' || !rest[1])
        return false;
    const char *user = a;
    while (user > name && user[-1] != '_')
        user--;
    if (user == a)
        return false;
    copy(out->id, sizeof out->id, user, (size_t)(a - user));
    copy(out->name, sizeof out->name, user, (size_t)(a - user));
    out->platform = "blackboard";
    out->file = out->metadata ? NULL : rest + 1;
    return true;
}

/* Canvas: "<lastfirst>_[late_]<digits>_<digits>_<file>". */
static bool canvas(const char *name, struct grade_identity *out)
{
    const char *u = strchr(name, '_');
    if (!u || u == name)
        return false;
    const char *p = u + 1;
    if (strncasecmp(p, "late_", 5) == 0)
        p += 5;
    const char *u2 = strchr(p, '_'), *u3 = u2 ? strchr(u2 + 1, '_') : NULL;
    if (!u2 || !u3 || !u3[1] || !all_digits(p, (size_t)(u2 - p)) || !all_digits(u2 + 1, (size_t)(u3 - u2 - 1)))
        return false;
    for (const char *q = name; q < u; q++)
        if (*q == ' ')
            return false; /* Canvas writes the name without spaces */
    copy(out->name, sizeof out->name, name, (size_t)(u - name));
    copy(out->id, sizeof out->id, p, (size_t)(u2 - p));
    out->platform = "canvas";
    out->file = u3 + 1;
    return true;
}

bool grade_identity_folder(const char *name, struct grade_identity *out)
{
    memset(out, 0, sizeof *out);
    return moodle(name, true, out);
}

bool grade_identity_file(const char *name, struct grade_identity *out)
{
    memset(out, 0, sizeof *out);
    if (moodle(name, false, out))
        return true;
    memset(out, 0, sizeof *out);
    if (blackboard(name, out))
        return true;
    memset(out, 0, sizeof *out);
    return canvas(name, out);
}

bool grade_identity_blackboard_name(const char *text, size_t len, char *name, size_t namelen)
{
    const char *p = memmem(text, len, "Name: ", 6);
    if (!p)
        return false;
    p += 6;
    size_t n = 0;
    while (p + n < text + len && p[n] != '\n' && p[n] != '\r')
        n++;
    const char *paren = memrchr(p, '(', n);
    if (paren && paren > p)
        n = (size_t)(paren - p);
    while (n && p[n - 1] == ' ')
        n--;
    if (!n)
        return false;
    copy(name, namelen, p, n);
    return true;
}

/* ---- class lists ---------------------------------------------------------------------------- */

/* A name made comparable: ASCII letters in lower case, runs of spaces and punctuation as one
 * space (letters: none at all), other bytes (any script) kept. */
static char *normalise(const char *s, bool letters)
{
    char *out = malloc(strlen(s) + 1), *w = out;
    if (!out)
        return NULL;
    bool gap = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80 && !isalnum(*p)) {
            gap = w != out;
            continue;
        }
        if (gap && !letters)
            *w++ = ' ';
        gap = false;
        *w++ = (char)(*p < 0x80 ? tolower(*p) : *p);
    }
    *w = '\0';
    return out;
}

/* "Bob Smith" -> "smithbob" (the last word first), as Canvas writes a name. */
static char *reversed_letters(const char *name)
{
    char *n = normalise(name, false);
    if (!n)
        return NULL;
    char *last = strrchr(n, ' '), *out = NULL;
    if (last) {
        *last = '\0';
        char *a = normalise(last + 1, true), *b = normalise(n, true);
        if (a && b && asprintf(&out, "%s%s", a, b) < 0)
            out = NULL;
        free(a);
        free(b);
    } else {
        out = strdup(n);
    }
    free(n);
    return out;
}

enum { COL_ID, COL_NAME, COL_FIRST, COL_LAST, COL_EMAIL, COLS };

/* The column a header cell names, or -1. */
static int header_column(const char *cell)
{
    static const struct { const char *name; int col; } names[] = {
        {"id", COL_ID}, {"id number", COL_ID}, {"idnumber", COL_ID}, {"student id", COL_ID},
        {"student number", COL_ID}, {"user id", COL_ID}, {"userid", COL_ID}, {"sis user id", COL_ID},
        {"sis id", COL_ID}, {"username", COL_ID}, {"user name", COL_ID}, {"login", COL_ID},
        {"login id", COL_ID}, {"学号", COL_ID}, {"name", COL_NAME}, {"full name", COL_NAME},
        {"fullname", COL_NAME}, {"student", COL_NAME}, {"student name", COL_NAME}, {"display name", COL_NAME},
        {"姓名", COL_NAME}, {"first name", COL_FIRST}, {"firstname", COL_FIRST}, {"given name", COL_FIRST},
        {"last name", COL_LAST}, {"lastname", COL_LAST}, {"surname", COL_LAST}, {"family name", COL_LAST},
        {"email", COL_EMAIL}, {"email address", COL_EMAIL}, {"e-mail", COL_EMAIL}, {"mail", COL_EMAIL},
        {"邮箱", COL_EMAIL}, {"电子邮件", COL_EMAIL},
    };
    char *n = normalise(cell, false);
    int col = -1;
    for (size_t i = 0; n && i < sizeof names / sizeof names[0] && col < 0; i++) {
        char *m = normalise(names[i].name, false);
        if (m && strcmp(n, m) == 0)
            col = names[i].col;
        free(m);
    }
    free(n);
    return col;
}

/* One CSV row from *p (RFC 4180): cells into cells[] (at most max, each malloc'd), *p moved
 * past the row. Returns the number of cells, or -1 when out of memory. */
static int csv_row(const char **p, const char *end, char sep, char **cells, int max)
{
    int n = 0;
    const char *s = *p;
    for (;;) {
        char *cell = malloc((size_t)(end - s) + 1), *w = cell;
        if (!cell)
            return -1;
        if (s < end && *s == '"') {
            for (s++; s < end; s++) {
                if (*s == '"' && s + 1 < end && s[1] == '"')
                    *w++ = '"', s++;
                else if (*s == '"') {
                    s++;
                    break;
                } else
                    *w++ = *s;
            }
        }
        while (s < end && *s != sep && *s != '\n' && *s != '\r')
            *w++ = *s++;
        *w = '\0';
        if (n < max)
            cells[n++] = cell;
        else
            free(cell);
        if (s < end && *s == sep) {
            s++;
            continue;
        }
        if (s < end && *s == '\r')
            s++;
        if (s < end && *s == '\n')
            s++;
        break;
    }
    *p = s;
    return n;
}

static char *trimmed(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return strndup(s, n);
}

static int add_entry(struct grade_class_list *l, char *const cols[COLS])
{
    char *name = NULL;
    if (cols[COL_NAME] && *cols[COL_NAME])
        name = trimmed(cols[COL_NAME]);
    else if ((cols[COL_FIRST] && *cols[COL_FIRST]) || (cols[COL_LAST] && *cols[COL_LAST])) {
        if (asprintf(&name, "%s%s%s", cols[COL_FIRST] ? cols[COL_FIRST] : "",
                     cols[COL_FIRST] && cols[COL_LAST] ? " " : "", cols[COL_LAST] ? cols[COL_LAST] : "") < 0)
            name = NULL;
    } else {
        name = strdup("");
    }
    char *id = trimmed(cols[COL_ID] ? cols[COL_ID] : ""), *email = trimmed(cols[COL_EMAIL] ? cols[COL_EMAIL] : "");
    int rc = -1;
    if (!name || !id || !email)
        goto out;
    if (!*name && !*id && !*email) { /* an empty row */
        rc = 0;
        goto out;
    }
    /* "Smith, Bob" (Canvas's gradebook) is Bob Smith. */
    char *comma = strchr(name, ',');
    if (comma && !strchr(comma + 1, ',')) {
        char *swapped;
        char *first = trimmed(comma + 1);
        *comma = '\0';
        if (first && asprintf(&swapped, "%s %s", first, name) >= 0) {
            free(name);
            name = swapped;
        }
        free(first);
    }
    struct grade_class_entry *grown = realloc(l->v, (l->n + 1) * sizeof *grown);
    if (!grown)
        goto out;
    l->v = grown;
    struct grade_class_entry *e = &grown[l->n];
    *e = (struct grade_class_entry){id, name, email, normalise(name, false), normalise(name, true),
                                    reversed_letters(name)};
    if (!e->key_name || !e->key_letters || !e->key_reversed) {
        free(e->key_name);
        free(e->key_letters);
        free(e->key_reversed);
        goto out;
    }
    l->n++;
    return 0;
out:
    free(name);
    free(id);
    free(email);
    return rc;
}

/* The separator the header row uses most outside quotes: ',', ';' or a tab. */
static char separator(const char *s, const char *end)
{
    size_t counts[3] = {0};
    bool quoted = false;
    for (; s < end && (quoted || *s != '\n'); s++) {
        quoted ^= *s == '"';
        if (!quoted)
            counts[0] += *s == ',', counts[1] += *s == ';', counts[2] += *s == '\t';
    }
    return counts[1] > counts[0] && counts[1] >= counts[2] ? ';' : counts[2] > counts[0] ? '\t' : ',';
}

int grade_class_list_parse(const char *text, size_t len, struct grade_class_list *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    char sep = separator(p, end);
    int map[16];
    for (int i = 0; i < 16; i++)
        map[i] = i < 3 ? (int[]){COL_ID, COL_NAME, COL_EMAIL}[i] : -1;
    bool header = false;
    unsigned line = 0;
    while (p < end) {
        char *cells[16] = {0};
        line++;
        int n = csv_row(&p, end, sep, cells, 16);
        if (n < 0) {
            snprintf(err, errlen, "out of memory");
            grade_class_list_free(out);
            return -1;
        }
        if (line == 1) {
            int known = 0, tmp[16];
            for (int i = 0; i < 16; i++)
                tmp[i] = i < n ? header_column(cells[i]) : -1, known += tmp[i] >= 0;
            if (known) {
                header = true;
                memcpy(map, tmp, sizeof map);
            }
        }
        char *cols[COLS] = {0};
        for (int i = 0; i < n; i++)
            if (map[i] >= 0 && !cols[map[i]])
                cols[map[i]] = cells[i];
        bool skip = (line == 1 && header) || (cols[COL_NAME] && strstr(cols[COL_NAME], "Points Possible"));
        int rc = skip ? 0 : add_entry(out, cols);
        for (int i = 0; i < n; i++)
            free(cells[i]);
        if (rc != 0) {
            snprintf(err, errlen, "line %u: out of memory", line);
            grade_class_list_free(out);
            return -1;
        }
    }
    if (out->n == 0) {
        snprintf(err, errlen, "no student in it (a row per student: id, name, email)");
        return -1;
    }
    return 0;
}

void grade_class_list_free(struct grade_class_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct grade_class_entry *e = &l->v[i];
        free(e->id);
        free(e->name);
        free(e->email);
        free(e->key_name);
        free(e->key_letters);
        free(e->key_reversed);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* True when id names the entry: its id, its e-mail, or the e-mail's user part. */
static bool id_matches(const struct grade_class_entry *e, const char *id)
{
    if (!*id)
        return false;
    if (*e->id && strcasecmp(e->id, id) == 0)
        return true;
    size_t n = strlen(id);
    return *e->email && (strcasecmp(e->email, id) == 0 || (strncasecmp(e->email, id, n) == 0 && e->email[n] == '@'));
}

ssize_t grade_class_list_match(const struct grade_class_list *l, const char *name, const char *id)
{
    char *kn = normalise(name ? name : "", false), *kl = normalise(name ? name : "", true);
    ssize_t found = -1;
    for (int level = 0; level < 3 && found == -1 && kn && kl; level++) {
        for (size_t i = 0; i < l->n; i++) {
            const struct grade_class_entry *e = &l->v[i];
            bool hit = level == 0 ? id_matches(e, id ? id : "")
                     : level == 1 ? *kn && strcmp(e->key_name, kn) == 0
                                  : *kl && (strcmp(e->key_letters, kl) == 0 || strcmp(e->key_reversed, kl) == 0);
            if (!hit)
                continue;
            found = found == -1 ? (ssize_t)i : -2;
            if (found == -2)
                break;
        }
    }
    free(kn);
    free(kl);
    return found;
}
