/* rubric_parse.c — reading a rubric file (format: templates/rubrics/README.md): UTF-8 lines of
 * "keyword value", the header before the first check, then each check's lines; a check is
 * complete when the next one starts or the file ends. The values on the lines are read by
 * rubric_values.c. */
#define _GNU_SOURCE
#include "rubric_parser.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "readfile.h"
#include "sha256.h"
#include "utf8.h"

/* Column names of grades.csv that a check id may not take. */
static const char *const reserved_ids[] = {"student", "id", "total", "max", "error", "integrity", "notes"};

/* Appends value to *field, separated by a space (continuation lines). */
static int append_text(struct rubric_parser *p, char **field, const char *value)
{
    char *joined;
    /* Chinese and Japanese continue a sentence without a space between the lines. */
    size_t n = *field ? strlen(*field) : 0;
    bool cjk = n && (unsigned char)(*field)[n - 1] >= 0x80 && (unsigned char)value[0] >= 0xe2;
    if (!*field) {
        joined = strdup(value);
    } else if (asprintf(&joined, cjk ? "%s%s" : "%s %s", *field, value) < 0) {
        joined = NULL;
    }
    if (!joined)
        return rubric_oom(p);
    free(*field);
    *field = joined;
    return 0;
}

/* A line of ll bytes must be UTF-8 without NUL bytes. Returns 0, or -1 naming the byte. */
static int check_utf8(struct rubric_parser *p, const char *line, size_t ll)
{
    for (size_t i = 0; i < ll;) {
        size_t k = utf8_char((const unsigned char *)line + i, ll - i, NULL);
        if (k == 0 || line[i] == '\0')
            return rubric_fail(p, "%s at byte %zu of the line (save the file as UTF-8)",
                               line[i] == '\0' ? "a NUL byte" : "not valid UTF-8", i + 1);
        i += k;
    }
    return 0;
}

/* Every "{word}" in a sentence must be a known placeholder. */
static int check_placeholders(struct rubric_parser *p, const char *text, const char *field)
{
    for (const char *s = strchr(text, '{'); s; s = strchr(s + 1, '{')) {
        size_t n = strspn(s + 1, "abcdefghijklmnopqrstuvwxyz_-");
        if (n == 0 || s[1 + n] != '}')
            continue; /* a literal brace */
        bool known = false;
        for (size_t i = 0; rubric_placeholders[i]; i++)
            if (strlen(rubric_placeholders[i]) == n && memcmp(rubric_placeholders[i], s + 1, n) == 0)
                known = true;
        if (!known)
            return rubric_fail(p, "'%s' uses {%.*s}, which is not a placeholder (known: session, capture, "
                               "client, server, handshake, teardown, packets, reason, points, max, target)",
                               field, (int)n, s + 1);
    }
    return 0;
}

/* Called at the next "check" line and at the end of the file. */
static int finish_check(struct rubric_parser *p)
{
    struct rubric_check *c = p->check;
    if (!c)
        return 0;
    unsigned line = p->line;
    p->line = c->line;
    int rc = 0;
    if (!c->looks_for)
        rc = rubric_fail(p, "check '%s' has no 'looks-for' line (what it looks for)", c->id);
    else if (c->points < 0)
        rc = rubric_fail(p, "check '%s' has no 'points' line", c->id);
    else if (c->n_reqs == 0)
        rc = rubric_fail(p, "check '%s' has no 'require' line", c->id);
    else if (!c->pass)
        rc = rubric_fail(p, "check '%s' has no 'pass' sentence", c->id);
    else if (!c->fail)
        rc = rubric_fail(p, "check '%s' has no 'fail' sentence", c->id);
    p->line = line;
    p->check = NULL;
    return rc;
}

static int start_check(struct rubric_parser *p, const char *id)
{
    if (finish_check(p) != 0)
        return -1;
    size_t n = strlen(id);
    bool ok = n > 0 && n <= 40 && isalnum((unsigned char)id[0]);
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)id[i]) || strchr("._-", id[i]);
    if (!ok)
        return rubric_fail(p, "a check's id is 1 to 40 letters, digits, '.', '_' or '-', starting with a "
                           "letter or digit: 'check handshake' (got '%s')", id);
    for (size_t i = 0; i < sizeof reserved_ids / sizeof reserved_ids[0]; i++)
        if (strcasecmp(id, reserved_ids[i]) == 0)
            return rubric_fail(p, "'%s' is a column of grades.csv; give the check another id", id);
    for (size_t i = 0; i < p->r->n_checks; i++)
        if (strcasecmp(p->r->checks[i].id, id) == 0)
            return rubric_fail(p, "a check '%s' already exists (line %u)", p->r->checks[i].id, p->r->checks[i].line);
    struct rubric_check *grown = realloc(p->r->checks, (p->r->n_checks + 1) * sizeof *grown);
    if (!grown)
        return rubric_oom(p);
    p->r->checks = grown;
    struct rubric_check *c = &grown[p->r->n_checks++];
    memset(c, 0, sizeof *c);
    c->line = p->line;
    c->points = -1;
    if (!(c->id = strdup(id)))
        return rubric_oom(p);
    p->check = c;
    return 0;
}

/* "pass.zh": a field in another language. Splits key into its field and language; false when
 * the key has no language part. */
static bool split_lang(const char *key, char *field, size_t fl, const char **lang)
{
    const char *dot = strchr(key, '.');
    if (!dot || (size_t)(dot - key) >= fl)
        return false;
    size_t n = strlen(dot + 1);
    bool ok = n >= 2 && n <= 16 && islower((unsigned char)dot[1]);
    for (size_t i = 1; ok && i < n; i++)
        ok = isalnum((unsigned char)dot[1 + i]) || dot[1 + i] == '-' || dot[1 + i] == '_';
    if (!ok)
        return false;
    memcpy(field, key, (size_t)(dot - key));
    field[dot - key] = '\0';
    *lang = dot + 1;
    return true;
}

/* Adds value to the field's text in lang (continuation lines are joined). */
static int add_text(struct rubric_parser *p, struct rubric_texts *t, const char *field, const char *lang,
                    const char *value)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->items[i].field, field) == 0 && strcmp(t->items[i].lang, lang) == 0)
            return append_text(p, &t->items[i].text, value);
    struct rubric_text *grown = realloc(t->items, (t->n + 1) * sizeof *grown);
    if (!grown)
        return rubric_oom(p);
    t->items = grown;
    struct rubric_text *x = &grown[t->n];
    *x = (struct rubric_text){strdup(field), strdup(lang), NULL};
    t->n++;
    if (!x->field || !x->lang)
        return rubric_oom(p);
    return append_text(p, &x->text, value);
}

/* "same-session ID ID...": kept until every check is read. */
static int same_session_line(struct rubric_parser *p, const char *value)
{
    char **grown = realloc(p->same, (p->n_same + 1) * sizeof *grown);
    if (!grown)
        return rubric_oom(p);
    p->same = grown;
    unsigned *lines = realloc(p->same_line, (p->n_same + 1) * sizeof *lines);
    if (!lines)
        return rubric_oom(p);
    p->same_line = lines;
    if (!(p->same[p->n_same] = strdup(value)))
        return rubric_oom(p);
    p->same_line[p->n_same++] = p->line;
    return 0;
}

/* Gives each check of a "same-session" line that line's group number. */
static int resolve_same_sessions(struct rubric_parser *p)
{
    struct rubric *r = p->r;
    for (size_t g = 0; g < p->n_same; g++) {
        p->line = p->same_line[g];
        size_t count = 0;
        for (char *save = NULL, *id = strtok_r(p->same[g], " \t,", &save); id; id = strtok_r(NULL, " \t,", &save)) {
            struct rubric_check *c = NULL;
            for (size_t i = 0; i < r->n_checks && !c; i++)
                if (strcmp(r->checks[i].id, id) == 0)
                    c = &r->checks[i];
            if (!c)
                return rubric_fail(p, "'same-session' names '%s', which is not a check of this rubric", id);
            if (c->same_session && c->same_session != g + 1)
                return rubric_fail(p, "check '%s' is in two 'same-session' lines", id);
            c->same_session = g + 1;
            count++;
        }
        if (count < 2)
            return rubric_fail(p, "'same-session' names two checks or more: 'same-session handshake close'");
    }
    r->n_same_sessions = p->n_same;
    return 0;
}

static int header_line(struct rubric_parser *p, const char *key, char *value)
{
    struct rubric *r = p->r;
    char field[16];
    const char *lang;
    if (split_lang(key, field, sizeof field, &lang) && (strcmp(field, "title") == 0 || strcmp(field, "about") == 0))
        return add_text(p, &r->texts, field, lang, value);
    if (strcmp(key, "same-session") == 0)
        return same_session_line(p, value);
    if (strcmp(key, "rubric") == 0) {
        if (!*value)
            return rubric_fail(p, "'rubric' needs a name");
        free(r->name);
        return (r->name = strdup(value)) ? 0 : rubric_oom(p);
    }
    if (strcmp(key, "title") == 0)
        return append_text(p, &r->title, value);
    if (strcmp(key, "about") == 0)
        return append_text(p, &r->about, value);
    if (strcmp(key, "target-host") == 0)
        return rubric_read_hosts(p, value, &r->target_hosts);
    if (strcmp(key, "target-port") == 0)
        return rubric_read_ports(p, value, &r->target_ports, &r->n_target_ports);
    if (strcmp(key, "looks-for") == 0 || strcmp(key, "points") == 0 || strcmp(key, "require") == 0 ||
        strcmp(key, "pass") == 0 || strcmp(key, "fail") == 0)
        return rubric_fail(p, "'%s' belongs to a check: start one with 'check ID' first", key);
    return rubric_fail(p, "unknown keyword '%s' (before the first check: rubric, title, about, "
                       "target-host, target-port, same-session, check; title.LANG, about.LANG)", key);
}

static int check_line(struct rubric_parser *p, const char *key, char *value)
{
    struct rubric_check *c = p->check;
    char field[16];
    const char *lang;
    if (split_lang(key, field, sizeof field, &lang) &&
        (strcmp(field, "looks-for") == 0 || strcmp(field, "pass") == 0 || strcmp(field, "fail") == 0)) {
        if (strcmp(field, "looks-for") != 0 && check_placeholders(p, value, key) != 0)
            return -1;
        return add_text(p, &c->texts, field, lang, value);
    }
    if (strcmp(key, "any-server") == 0) {
        if (*value)
            return rubric_fail(p, "'any-server' takes no value");
        c->any_server = true;
        return 0;
    }
    if (strcmp(key, "looks-for") == 0)
        return append_text(p, &c->looks_for, value);
    if (strcmp(key, "pass") == 0)
        return check_placeholders(p, value, "pass") ? -1 : append_text(p, &c->pass, value);
    if (strcmp(key, "fail") == 0)
        return check_placeholders(p, value, "fail") ? -1 : append_text(p, &c->fail, value);
    if (strcmp(key, "points") == 0) {
        if (c->points >= 0)
            return rubric_fail(p, "check '%s' has two 'points' lines", c->id);
        if (!rubric_read_points(value, &c->points))
            return rubric_fail(p, "points are a number from 0 to %d with at most two decimals ('2', '1.5'), not '%s'",
                               RUBRIC_MAX_POINTS / 100, value);
        return 0;
    }
    if (strcmp(key, "require") == 0)
        return rubric_read_requirement(p, value);
    if (strcmp(key, "rubric") == 0 || strcmp(key, "title") == 0 || strcmp(key, "about") == 0 ||
        strcmp(key, "target-host") == 0 || strcmp(key, "target-port") == 0)
        return rubric_fail(p, "'%s' belongs before the first check", key);
    return rubric_fail(p, "unknown keyword '%s' in check '%s' (known: looks-for, points, require, pass, fail, "
                       "any-server, check; looks-for.LANG, pass.LANG, fail.LANG)", key, c->id);
}

static int parse_line(struct rubric_parser *p, char *line)
{
    char *s = line + strspn(line, " \t");
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    if (n == 0 || s[0] == '#')
        return 0;
    char *value = s + strcspn(s, " \t");
    if (*value)
        *value++ = '\0';
    value += strspn(value, " \t");
    if (strcmp(s, "check") == 0)
        return start_check(p, value);
    return p->check ? check_line(p, s, value) : header_line(p, s, value);
}

static void parser_free(struct rubric_parser *p)
{
    for (size_t i = 0; i < p->n_same; i++)
        free(p->same[i]);
    free(p->same);
    free(p->same_line);
}

struct rubric *rubric_parse(const char *text, size_t len, const char *source,
                            const char *default_name, char *err, size_t errlen)
{
    struct rubric_parser p = {.source = source ? source : "rubric", .err = err, .errlen = errlen};
    struct rubric *r = calloc(1, sizeof *r);
    char *buf = NULL;
    if (!r) {
        rubric_oom(&p);
        return NULL;
    }
    p.r = r;
    if (len > RUBRIC_MAX_FILE) {
        rubric_fail(&p, "the file is larger than %d bytes: not a rubric", RUBRIC_MAX_FILE);
        goto fail;
    }
    if (!sha256_hex(text, len, r->sha256)) {
        rubric_fail(&p, "the SHA-256 of the file could not be computed (libcrypto)");
        goto fail;
    }
    if (!(r->source = strdup(p.source)) || !(buf = malloc(len + 1))) {
        rubric_oom(&p);
        goto fail;
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    char *start = buf;
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
        start += 3;
    for (char *line = start; line && line <= buf + len;) {
        char *nl = memchr(line, '\n', (size_t)(buf + len - line));
        size_t ll = nl ? (size_t)(nl - line) : strlen(line);
        p.line++;
        if (ll && line[ll - 1] == '\r')
            ll--;
        line[ll] = '\0';
        if (check_utf8(&p, line, ll) != 0 || parse_line(&p, line) != 0)
            goto fail;
        line = nl ? nl + 1 : NULL;
        if (!nl)
            break;
    }
    if (finish_check(&p) != 0 || resolve_same_sessions(&p) != 0)
        goto fail;
    p.line = 0;
    if (r->n_checks == 0) {
        rubric_fail(&p, "no check: a rubric needs at least one 'check ID' section");
        goto fail;
    }
    if (!r->name && !(r->name = strdup(default_name && *default_name ? default_name : "rubric"))) {
        rubric_oom(&p);
        goto fail;
    }
    if ((!r->title && !(r->title = strdup(""))) || (!r->about && !(r->about = strdup("")))) {
        rubric_oom(&p);
        goto fail;
    }
    free(buf);
    parser_free(&p);
    return r;
fail:
    free(buf);
    parser_free(&p);
    rubric_free(r);
    return NULL;
}

struct rubric *rubric_load(const char *path, char *err, size_t errlen)
{
    size_t len;
    char *text = readfile(AT_FDCWD, path, RUBRIC_MAX_FILE, 0, &len, NULL, err, errlen);
    if (!text)
        return NULL;
    /* The default name: the file name without folders and without ".rubric". */
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *name = strdup(base);
    if (name) {
        size_t n = strlen(name);
        if (n > 7 && strcmp(name + n - 7, ".rubric") == 0)
            name[n - 7] = '\0';
    }
    struct rubric *r = rubric_parse(text, len, path, name, err, errlen);
    free(name);
    free(text);
    return r;
}
