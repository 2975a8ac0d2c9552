/* grades_writer.c — grades.csv and grades.json from a grade sheet. */
#define _GNU_SOURCE
#include "grades_writer.h"

#include <cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

/* ---- CSV -------------------------------------------------------------------------------------- */

int grades_csv_cell(FILE *out, const char *text, int is_text)
{
    char *clean = json_utf8_clean(text ? text : "");
    if (!clean)
        return -1;
    const char *t = clean;
    bool formula = is_text && t[0] && strchr("=+-@\t\r", t[0]);
    bool quote = formula || strpbrk(t, ",\"\r\n") || (t[0] && (t[0] == ' ' || t[strlen(t) - 1] == ' '));
    int rc = 0;
    if (quote && fputc('"', out) == EOF)
        rc = -1;
    if (formula && fputc('\'', out) == EOF)
        rc = -1;
    for (const char *p = t; rc == 0 && *p; p++) {
        if (*p == '"' && fputc('"', out) == EOF)
            rc = -1;
        if (fputc(*p, out) == EOF)
            rc = -1;
    }
    if (rc == 0 && quote && fputc('"', out) == EOF)
        rc = -1;
    free(clean);
    return rc;
}

/* The notes cell: why the student got nothing (what each file is), else what the student
 * should know about each file (one that is not a capture, a damaged tail); then, with a class
 * list, a student not on it. Each sentence once. */
static char *student_notes(const struct grade_student *st, const char *off_list)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    const char *sep = "";
    if (st->error) {
        fputs(st->error, m);
        sep = " ";
    } else {
        for (size_t c = 0; c < st->n_captures; c++)
            if (st->captures[c].words && *st->captures[c].words) {
                fprintf(m, "%s%s", sep, st->captures[c].words);
                sep = " ";
            }
    }
    if (st->listed == GRADE_LIST_OFF && off_list)
        fprintf(m, "%s%s", sep, off_list);
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static char *student_integrity(const struct grade_student *st)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    for (size_t i = 0; i < st->n_flags; i++)
        fprintf(m, "%s%s: %s", i ? "; " : "", grade_flag_kind_name(st->flags[i].kind),
                st->flags[i].message ? st->flags[i].message : "");
    if (fclose(m) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

int grades_write_csv(FILE *out, const struct grade_sheet *s, const char *off_list, char *err, size_t errlen)
{
    const struct rubric *r = s->rubric;
    int rc = 0;
    rc |= grades_csv_cell(out, "student", 0);
    fputc(',', out);
    rc |= grades_csv_cell(out, "id", 0);
    fputc(',', out);
    rc |= grades_csv_cell(out, "total", 0);
    for (size_t c = 0; c < r->n_checks; c++) {
        fputc(',', out);
        rc |= grades_csv_cell(out, r->checks[c].id, 0);
    }
    fputs(",notes,integrity\n", out);
    for (size_t i = 0; rc == 0 && i < s->n_students; i++) {
        const struct grade_student *st = &s->students[i];
        char pts[24];
        rc |= grades_csv_cell(out, st->name, 1);
        fputc(',', out);
        rc |= grades_csv_cell(out, st->id ? st->id : "", 1);
        fputc(',', out);
        rc |= grades_csv_cell(out, rubric_points_string(st->total, pts), 0);
        for (size_t c = 0; c < r->n_checks; c++) {
            fputc(',', out);
            const struct grade_result *res = c < st->n_results ? &st->results[c] : NULL;
            if (!res)
                rc |= grades_csv_cell(out, "0", 0);
            else if (res->status == GRADE_NA)
                rc |= grades_csv_cell(out, "n/a", 0);
            else
                rc |= grades_csv_cell(out, rubric_points_string(res->points, pts), 0);
        }
        char *notes = student_notes(st, off_list), *integrity = student_integrity(st);
        if (!notes || !integrity)
            rc = -1;
        fputc(',', out);
        rc |= grades_csv_cell(out, notes, 1);
        fputc(',', out);
        rc |= grades_csv_cell(out, integrity, 1);
        fputc('\n', out);
        free(notes);
        free(integrity);
    }
    if (rc != 0 || ferror(out)) {
        snprintf(err, errlen, "cannot write grades.csv: %s", errno ? strerror(errno) : "write error");
        return -1;
    }
    return 0;
}

/* ---- JSON ------------------------------------------------------------------------------------- */

struct jb {
    bool oom;
};

static cJSON *str(struct jb *j, const char *s)
{
    if (!s)
        return cJSON_CreateNull();
    char *clean = json_utf8_clean(s);
    if (!clean) {
        j->oom = true;
        return NULL;
    }
    cJSON *v = cJSON_CreateString(clean);
    free(clean);
    return v;
}

static void add(struct jb *j, cJSON *o, const char *key, cJSON *v)
{
    if (!v || !cJSON_AddItemToObject(o, key, v)) {
        cJSON_Delete(v);
        j->oom = true;
    }
}

static void push(struct jb *j, cJSON *a, cJSON *v)
{
    if (!v || !cJSON_AddItemToArray(a, v)) {
        cJSON_Delete(v);
        j->oom = true;
    }
}

/* Points and counters printed exactly (cJSON keeps only doubles). */
static cJSON *points(int hundredths)
{
    char buf[24];
    return cJSON_CreateRaw(rubric_points_string(hundredths, buf));
}

static cJSON *count(uint64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRIu64, v);
    return cJSON_CreateRaw(buf);
}

static cJSON *prefix_string(const struct rubric_prefix *p)
{
    char a[IP_ADDRESS_STRING_LEN], buf[IP_ADDRESS_STRING_LEN + 8];
    ip_address_string(p->ip_version, p->addr, a);
    if (p->bits != (p->ip_version == 6 ? 128 : 32))
        snprintf(buf, sizeof buf, "%s/%u", a, p->bits);
    else
        snprintf(buf, sizeof buf, "%s", a);
    return cJSON_CreateString(buf);
}

static cJSON *hosts_json(struct jb *j, const struct rubric_hosts *h)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < h->n; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o) {
            j->oom = true;
            break;
        }
        add(j, o, "spec", str(j, h->items[i].spec));
        cJSON *addrs = cJSON_CreateArray();
        for (size_t k = 0; addrs && k < h->items[i].n_prefixes; k++)
            push(j, addrs, prefix_string(&h->items[i].prefixes[k]));
        add(j, o, "addresses", addrs);
        push(j, arr, o);
    }
    if (!arr)
        j->oom = true;
    return arr;
}

static cJSON *ports_json(const uint16_t *ports, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; arr && i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateNumber(ports[i]));
    return arr;
}

static cJSON *rubric_json(struct jb *j, const struct rubric *r, int max_points)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) {
        j->oom = true;
        return NULL;
    }
    add(j, o, "name", str(j, r->name));
    add(j, o, "title", str(j, r->title));
    add(j, o, "about", str(j, r->about));
    add(j, o, "file", str(j, r->source));
    add(j, o, "sha256", str(j, r->sha256));
    add(j, o, "max_points", points(max_points));
    if (rubric_has_target(r)) {
        cJSON *t = cJSON_CreateObject();
        if (t) {
            add(j, t, "hosts", hosts_json(j, &r->target_hosts));
            add(j, t, "ports", ports_json(r->target_ports, r->n_target_ports));
        }
        add(j, o, "target", t);
    } else {
        add(j, o, "target", cJSON_CreateNull());
    }
    cJSON *checks = cJSON_CreateArray();
    for (size_t c = 0; checks && c < r->n_checks; c++) {
        const struct rubric_check *chk = &r->checks[c];
        cJSON *co = cJSON_CreateObject();
        if (!co) {
            j->oom = true;
            break;
        }
        add(j, co, "id", str(j, chk->id));
        add(j, co, "looks_for", str(j, chk->looks_for));
        add(j, co, "points", points(chk->points));
        cJSON *reqs = cJSON_CreateArray();
        for (size_t q = 0; reqs && q < chk->n_reqs; q++)
            push(j, reqs, str(j, chk->reqs[q].text));
        add(j, co, "requires", reqs);
        push(j, checks, co);
    }
    add(j, o, "checks", checks);
    return o;
}

/* A clause's values: numbers as numbers, lists as arrays of names, the rest as strings. */
static cJSON *params_json(struct jb *j, const struct grade_clause *c)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o && i < c->n_args; i++) {
        const struct grade_arg *a = &c->args[i];
        cJSON *v;
        switch (a->kind) {
        case GRADE_ARG_NUMBER:
            v = cJSON_CreateRaw(a->value);
            break;
        case GRADE_ARG_HANDSHAKES:
        case GRADE_ARG_TEARDOWNS:
        case GRADE_ARG_ANOMALIES:
        case GRADE_ARG_NAMES:
        case GRADE_ARG_CHOICES:
            v = cJSON_CreateArray();
            for (const char *p = a->value; v && *p;) {
                size_t len = strcspn(p, GRADE_LIST_SEP_STR);
                char *name = strndup(p, len);
                push(j, v, name ? str(j, name) : NULL);
                free(name);
                p += len + (p[len] == GRADE_LIST_SEP);
            }
            break;
        default:
            v = str(j, a->value);
            break;
        }
        add(j, o, a->name, v);
    }
    if (!o)
        j->oom = true;
    return o;
}

/* "reason_code" and "reason_params" (grade_reason_main), and every clause in "reason_parts". */
static void reason_json(struct jb *j, cJSON *o, const char *prefix, const struct grade_reason *r)
{
    char key[48];
    const struct grade_clause *main_clause = grade_reason_main(r);
    snprintf(key, sizeof key, "%s_code", prefix);
    add(j, o, key, main_clause ? cJSON_CreateString(main_clause->code) : cJSON_CreateNull());
    snprintf(key, sizeof key, "%s_params", prefix);
    add(j, o, key, main_clause ? params_json(j, main_clause) : cJSON_CreateNull());
    snprintf(key, sizeof key, "%s_parts", prefix);
    cJSON *parts = cJSON_CreateArray();
    static const char *const kinds[] = {"lead", "part", "more", "sentence"};
    for (size_t i = 0; parts && i < r->n; i++) {
        cJSON *po = cJSON_CreateObject();
        if (!po) {
            j->oom = true;
            break;
        }
        add(j, po, "code", cJSON_CreateString(r->clauses[i].code));
        add(j, po, "joins", cJSON_CreateString(kinds[r->clauses[i].kind]));
        add(j, po, "params", params_json(j, &r->clauses[i]));
        push(j, parts, po);
    }
    add(j, o, key, parts);
}

static cJSON *captures_json(struct jb *j, const struct grade_student *st)
{
    cJSON *caps = cJSON_CreateArray();
    for (size_t c = 0; caps && c < st->n_captures; c++) {
        const struct grade_capture *cap = &st->captures[c];
        cJSON *co = cJSON_CreateObject();
        if (!co) {
            j->oom = true;
            break;
        }
        add(j, co, "file", str(j, cap->file_name));
        add(j, co, "path", str(j, cap->path));
        add(j, co, "kind", cJSON_CreateString(grade_kind_name(cap->kind)));
        add(j, co, "size_bytes", count(cap->size_bytes));
        add(j, co, "sha256", cap->hashed ? str(j, cap->sha256) : cJSON_CreateNull());
        add(j, co, "status", cJSON_CreateString(cap->analysed ? "graded" : "unreadable"));
        add(j, co, "error", str(j, cap->analysed ? NULL : cap->words));
        reason_json(j, co, "error", cap->analysed ? &(struct grade_reason){0} : &cap->why);
        add(j, co, "detail", str(j, cap->detail));
        add(j, co, "packets", count(cap->packets));
        add(j, co, "tcp_packets", count(cap->tcp_packets));
        add(j, co, "sessions", count(cap->sessions));
        cJSON *notes = cJSON_CreateArray();
        if (notes && cap->analysed && cap->words && *cap->words)
            push(j, notes, str(j, cap->words));
        add(j, co, "notes", notes);
        push(j, caps, co);
    }
    return caps;
}

static cJSON *checks_json(struct jb *j, const struct rubric *r, const struct grade_student *st)
{
    cJSON *checks = cJSON_CreateArray();
    for (size_t c = 0; checks && c < st->n_results; c++) {
        const struct grade_result *res = &st->results[c];
        cJSON *co = cJSON_CreateObject();
        if (!co) {
            j->oom = true;
            break;
        }
        add(j, co, "id", str(j, r->checks[res->check].id));
        add(j, co, "status", cJSON_CreateString(grade_status_name(res->status)));
        add(j, co, "points", points(res->points));
        add(j, co, "max", points(res->max));
        if (res->has_session) {
            add(j, co, "capture", str(j, st->captures[res->capture].file_name));
            add(j, co, "session", count(res->session_id));
            add(j, co, "client", str(j, res->client));
            add(j, co, "server", str(j, res->server));
        } else {
            add(j, co, "capture", cJSON_CreateNull());
            add(j, co, "session", cJSON_CreateNull());
            add(j, co, "client", cJSON_CreateNull());
            add(j, co, "server", cJSON_CreateNull());
        }
        cJSON *pk = cJSON_CreateArray();
        for (size_t k = 0; pk && k < res->n_packets; k++)
            push(j, pk, count(res->packets[k]));
        add(j, co, "packets", pk);
        add(j, co, "reason", str(j, res->reason));
        reason_json(j, co, "reason", &res->why);
        add(j, co, "feedback", str(j, res->feedback));
        push(j, checks, co);
    }
    return checks;
}

static cJSON *flags_json(struct jb *j, const struct grade_student *st)
{
    cJSON *flags = cJSON_CreateArray();
    for (size_t f = 0; flags && f < st->n_flags; f++) {
        const struct grade_flag *fl = &st->flags[f];
        cJSON *fo = cJSON_CreateObject();
        if (!fo) {
            j->oom = true;
            break;
        }
        add(j, fo, "kind", cJSON_CreateString(grade_flag_kind_name(fl->kind)));
        add(j, fo, "group", fl->group ? count(fl->group) : cJSON_CreateNull());
        add(j, fo, "capture", fl->capture < st->n_captures ? str(j, st->captures[fl->capture].file_name) : cJSON_CreateNull());
        add(j, fo, "session", fl->session_id ? count(fl->session_id) : cJSON_CreateNull());
        add(j, fo, "message", str(j, fl->message));
        reason_json(j, fo, "reason", &fl->why);
        push(j, flags, fo);
    }
    return flags;
}

static cJSON *student_json(struct jb *j, const struct grade_sheet *s, const struct grade_student *st)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) {
        j->oom = true;
        return NULL;
    }
    add(j, o, "name", str(j, st->name));
    add(j, o, "id", str(j, st->id));
    add(j, o, "email", str(j, st->email));
    add(j, o, "on_class_list", st->listed == GRADE_LIST_NONE ? cJSON_CreateNull()
                                                             : cJSON_CreateBool(st->listed == GRADE_LIST_ON));
    add(j, o, "total", points(st->total));
    add(j, o, "max", points(st->max));
    add(j, o, "error", str(j, st->error));
    reason_json(j, o, "error", &st->error_why);
    add(j, o, "feedback_pdf", str(j, st->feedback_file));
    if (st->feedback_html) /* only when asked for (grade --format html) */
        add(j, o, "feedback_html", str(j, st->feedback_html));
    add(j, o, "captures", captures_json(j, st));
    add(j, o, "checks", checks_json(j, s->rubric, st));
    add(j, o, "integrity", flags_json(j, st));
    return o;
}

/* The sheet's copy groups: one entry per group, with every member and the evidence. */
static cJSON *clusters_json(struct jb *j, const struct grade_sheet *s)
{
    cJSON *groups = cJSON_CreateArray();
    for (size_t i = 0; groups && i < s->n_clusters; i++) {
        const struct grade_cluster *c = &s->clusters[i];
        cJSON *go = cJSON_CreateObject();
        if (!go) {
            j->oom = true;
            break;
        }
        add(j, go, "group", count(c->number));
        add(j, go, "kind", cJSON_CreateString(grade_flag_kind_name(c->kind)));
        cJSON *ev = cJSON_CreateObject();
        if (ev && c->kind == GRADE_FLAG_IDENTICAL_FILE) {
            add(j, ev, "sha256", str(j, c->sha256));
            add(j, ev, "size_bytes", count(c->size_bytes));
        } else if (ev) {
            add(j, ev, "client_port", count(c->print.cport));
            add(j, ev, "server_port", count(c->print.sport));
            add(j, ev, "anchors", cJSON_CreateString(c->print.isns ? "isn" : "first-seq"));
            add(j, ev, "client_anchor", c->print.c_known ? count(c->print.c_anchor) : cJSON_CreateNull());
            add(j, ev, "server_anchor", c->print.s_known ? count(c->print.s_anchor) : cJSON_CreateNull());
            add(j, ev, "connections", count(c->connections));
            add(j, ev, "first_packet_spread_ns", count((uint64_t)c->ts_spread));
        }
        add(j, go, "evidence", ev);
        cJSON *members = cJSON_CreateArray();
        for (size_t k = 0; members && k < c->n_members; k++) {
            const struct grade_member *m = &c->members[k];
            const struct grade_student *st = &s->students[m->student];
            cJSON *mo = cJSON_CreateObject();
            if (!mo) {
                j->oom = true;
                break;
            }
            add(j, mo, "student", str(j, st->name));
            add(j, mo, "capture", str(j, st->captures[m->capture].file_name));
            add(j, mo, "session", m->session_id ? count(m->session_id) : cJSON_CreateNull());
            push(j, members, mo);
        }
        add(j, go, "members", members);
        add(j, go, "message", str(j, c->message));
        push(j, groups, go);
    }
    return groups;
}

int grades_write_json(FILE *out, const struct grade_sheet *s, const char *tool_version,
                      char *err, size_t errlen)
{
    struct jb j = {false};
    const struct rubric *r = s->rubric;
    cJSON *doc = cJSON_CreateObject();
    if (!doc) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    cJSON *schema = cJSON_CreateObject();
    if (schema) {
        add(&j, schema, "name", cJSON_CreateString(PCAP2REPORT_GRADES_SCHEMA_NAME));
        add(&j, schema, "version", cJSON_CreateString(PCAP2REPORT_GRADES_SCHEMA_VERSION));
    }
    add(&j, doc, "schema", schema);
    cJSON *tool = cJSON_CreateObject();
    if (tool) {
        add(&j, tool, "name", cJSON_CreateString("pcap2report"));
        add(&j, tool, "version", str(&j, tool_version ? tool_version : "unknown"));
    }
    add(&j, doc, "tool", tool);

    int max_points = 0;
    for (size_t c = 0; c < r->n_checks; c++)
        if (rubric_check_applies(r, &r->checks[c]))
            max_points += r->checks[c].points;
    add(&j, doc, "rubric", rubric_json(&j, r, max_points));

    unsigned flagged = 0;
    cJSON *students = cJSON_CreateArray();
    for (size_t i = 0; students && i < s->n_students; i++) {
        push(&j, students, student_json(&j, s, &s->students[i]));
        flagged += s->students[i].n_flags > 0;
    }
    cJSON *summary = cJSON_CreateObject();
    if (summary) {
        add(&j, summary, "students", count(s->n_students));
        add(&j, summary, "max_points", points(max_points));
        add(&j, summary, "students_flagged", count(flagged));
        add(&j, summary, "copy_groups", count(s->n_clusters));
    }
    add(&j, doc, "summary", summary);
    add(&j, doc, "students", students);

    add(&j, doc, "copy_groups", clusters_json(&j, s));

    char *text = j.oom ? NULL : cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = fputs(text, out) == EOF || fputc('\n', out) == EOF ? -1 : 0;
    free(text);
    if (rc != 0 || ferror(out)) {
        snprintf(err, errlen, "cannot write grades.json: %s", errno ? strerror(errno) : "write error");
        return -1;
    }
    return 0;
}
