/* clusters.c — copy groups across the students of a sheet (grade_sheet_integrity, grade.h).
 *
 * Two kinds of evidence: byte-identical files (one SHA-256 and size) and the same connection
 * in several students' captures (the same ports and ISNs, or first sequence numbers when no
 * SYN was captured: a random 32-bit ISN on each side does not repeat by chance). Each file and
 * each connection fingerprint goes once into a hash table keyed by that evidence, so the work
 * grows linearly with the hand-ins, whether 2 or 1,000 students handed in the same file; each
 * key shared by several students is one copy group, reported once with all its members. A
 * connection shared only by students whose files are byte-identical says nothing new and is
 * not reported; groups of connections with the very same members are one group. */
#include "grade.h"
#include "grow.h"
#include "integrity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a small hash table: keys are the caller's, compared through a callback ----------------- */

struct table {
    size_t *slots; /* entry index + 1; 0 is empty */
    size_t mask;
};

static bool table_init(struct table *t, size_t n)
{
    size_t cap = 16;
    while (cap < n * 2)
        cap <<= 1;
    t->mask = cap - 1;
    return (t->slots = calloc(cap, sizeof *t->slots)) != NULL;
}

/* The slot for hash h holding an entry equal to the caller's key (same(arg, entry)), or the
 * empty slot where it goes. */
static size_t *table_find(struct table *t, uint64_t h, bool (*same)(const void *arg, size_t entry), const void *arg)
{
    for (size_t i = (size_t)h & t->mask;; i = (i + 1) & t->mask)
        if (!t->slots[i] || same(arg, t->slots[i] - 1))
            return &t->slots[i];
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h * 0xff51afd7ed558ccdULL;
}

/* ---- groups being built ------------------------------------------------------------------------- */

struct group {
    enum grade_flag_kind kind;
    const struct grade_capture *file;       /* identical-file: the first file */
    const struct grade_fingerprint *print;  /* same-connection: the first fingerprint */
    struct grade_member *members;
    size_t n, cap;
    uint64_t member_hash;                   /* of the students, for merging equal groups */
    size_t connections;
    bool dropped;
};

struct builder {
    const struct grade_sheet *s;
    struct group *groups;
    size_t n, cap;
    struct table by_key;
    size_t *file_group;   /* per (student, capture): identical-file group + 1, 0 for none */
    size_t *first_capture; /* per student: index of its first capture in file_group */
};

static bool same_file(const void *arg, size_t g)
{
    const struct builder *b = ((const void *const *)arg)[0];
    const struct grade_capture *x = ((const void *const *)arg)[1];
    const struct group *gr = &b->groups[g];
    return gr->kind == GRADE_FLAG_IDENTICAL_FILE && gr->file->size_bytes == x->size_bytes &&
           memcmp(gr->file->sha256, x->sha256, 64) == 0;
}

static bool same_print(const void *arg, size_t g)
{
    const struct builder *b = ((const void *const *)arg)[0];
    const struct grade_fingerprint *x = ((const void *const *)arg)[1], *y = b->groups[g].print;
    return b->groups[g].kind == GRADE_FLAG_SAME_CONNECTION && x->isns == y->isns && x->c_known == y->c_known &&
           x->s_known == y->s_known && x->c_anchor == y->c_anchor && x->s_anchor == y->s_anchor &&
           x->cport == y->cport && x->sport == y->sport;
}

/* Adds a member to the group of the key, made when new. One member per student: students come
 * in order, so a student's second file or connection in a group is the last member. */
static int join(struct builder *b, size_t *slot, struct group proto, struct grade_member m)
{
    if (!*slot) {
        if (!GROW(b->groups, b->cap, b->n + 1, 64))
            return -1;
        b->groups[b->n++] = proto;
        *slot = b->n;
    }
    struct group *g = &b->groups[*slot - 1];
    if (g->n && g->members[g->n - 1].student == m.student)
        return 0;
    if (!GROW(g->members, g->cap, g->n + 1, 4))
        return -1;
    g->members[g->n++] = m;
    return 0;
}

static int identical_files(struct builder *b)
{
    const struct grade_sheet *s = b->s;
    for (size_t a = 0; a < s->n_students; a++)
        for (size_t c = 0; c < s->students[a].n_captures; c++) {
            const struct grade_capture *x = &s->students[a].captures[c];
            if (!x->hashed || x->size_bytes == 0) /* empty files carry nothing to copy */
                continue;
            uint64_t h = 0;
            memcpy(&h, x->sha256, sizeof h); /* hex digits of a hash: already well mixed */
            h = mix(h, x->size_bytes);
            const void *arg[2] = {b, x};
            size_t *slot = table_find(&b->by_key, h, same_file, arg);
            if (join(b, slot, (struct group){.kind = GRADE_FLAG_IDENTICAL_FILE, .file = x},
                     (struct grade_member){a, c, 0, 0}) != 0)
                return -1;
            b->file_group[b->first_capture[a] + c] = *slot;
        }
    return 0;
}

static int shared_connections(struct builder *b)
{
    const struct grade_sheet *s = b->s;
    for (size_t a = 0; a < s->n_students; a++)
        for (size_t i = 0; i < s->students[a].n_prints; i++) {
            const struct grade_fingerprint *fp = &s->students[a].prints[i];
            uint64_t h = mix(mix(mix(0, fp->cport), fp->sport), (uint64_t)fp->c_anchor << 32 | fp->s_anchor);
            h = mix(h, (uint64_t)fp->isns << 2 | (uint64_t)fp->c_known << 1 | fp->s_known);
            const void *arg[2] = {b, fp};
            size_t *slot = table_find(&b->by_key, h, same_print, arg);
            if (join(b, slot, (struct group){.kind = GRADE_FLAG_SAME_CONNECTION, .print = fp, .connections = 1},
                     (struct grade_member){a, fp->capture, fp->session_id, fp->first_ts}) != 0)
                return -1;
        }
    return 0;
}

/* A connection group whose members' captures all belong to one identical-file group. */
static bool explained(const struct builder *b, const struct group *g)
{
    size_t fg = b->file_group[b->first_capture[g->members[0].student] + g->members[0].capture];
    if (!fg || b->groups[fg - 1].n < 2)
        return false;
    for (size_t i = 1; i < g->n; i++)
        if (b->file_group[b->first_capture[g->members[i].student] + g->members[i].capture] != fg)
            return false;
    return true;
}

static bool same_members(const void *arg, size_t g)
{
    const struct builder *b = ((const void *const *)arg)[0];
    const struct group *x = ((const void *const *)arg)[1], *y = &b->groups[g];
    if (y->kind != GRADE_FLAG_SAME_CONNECTION || y->dropped || y->n != x->n || y->member_hash != x->member_hash)
        return false;
    for (size_t i = 0; i < x->n; i++)
        if (x->members[i].student != y->members[i].student)
            return false;
    return true;
}

/* Drops connection groups of one student, or explained by identical files, and folds groups
 * with the same members into the first (the other connections are counted). */
static int fold_connections(struct builder *b)
{
    struct table by_members;
    if (!table_init(&by_members, b->n))
        return -1;
    for (size_t g = 0; g < b->n; g++) {
        struct group *gr = &b->groups[g];
        if (gr->kind != GRADE_FLAG_SAME_CONNECTION)
            continue;
        if (gr->n < 2 || explained(b, gr)) {
            gr->dropped = true;
            continue;
        }
        uint64_t h = 0;
        for (size_t i = 0; i < gr->n; i++)
            h = mix(h, gr->members[i].student);
        gr->member_hash = h;
        const void *arg[2] = {b, gr};
        size_t *slot = table_find(&by_members, h, same_members, arg);
        if (*slot) {
            b->groups[*slot - 1].connections++;
            gr->dropped = true;
        } else {
            *slot = g + 1;
        }
    }
    free(by_members.slots);
    return 0;
}

/* ---- the sheet's clusters and the students' flags ---------------------------------------------- */

static int cmp_clusters(const void *x, const void *y)
{
    const struct grade_cluster *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    for (size_t i = 0; i < a->n_members && i < b->n_members; i++)
        if (a->members[i].student != b->members[i].student)
            return a->members[i].student < b->members[i].student ? -1 : 1;
    if (a->n_members != b->n_members)
        return a->n_members < b->n_members ? -1 : 1;
    return a->members[0].capture < b->members[0].capture ? -1 : a->members[0].capture > b->members[0].capture;
}

/* The sheet's clusters from the groups with two students or more, sorted by kind and members,
 * numbered from 1. The groups' member lists move to the clusters. */
static int make_clusters(struct grade_sheet *s, struct builder *b)
{
    size_t n = 0;
    for (size_t g = 0; g < b->n; g++)
        n += !b->groups[g].dropped && b->groups[g].n >= 2;
    if (!n)
        return 0;
    if (!(s->clusters = calloc(n, sizeof *s->clusters)))
        return -1;
    for (size_t g = 0; g < b->n; g++) {
        struct group *gr = &b->groups[g];
        if (gr->dropped || gr->n < 2)
            continue;
        struct grade_cluster *c = &s->clusters[s->n_clusters++];
        *c = (struct grade_cluster){.kind = gr->kind, .members = gr->members, .n_members = gr->n,
                                    .connections = gr->connections};
        gr->members = NULL;
        if (gr->kind == GRADE_FLAG_IDENTICAL_FILE) {
            memcpy(c->sha256, gr->file->sha256, sizeof c->sha256);
            c->size_bytes = gr->file->size_bytes;
        } else {
            c->print = *gr->print;
            int64_t lo = c->members[0].first_ts, hi = lo;
            for (size_t i = 1; i < c->n_members; i++) {
                lo = c->members[i].first_ts < lo ? c->members[i].first_ts : lo;
                hi = c->members[i].first_ts > hi ? c->members[i].first_ts : hi;
            }
            c->ts_spread = hi - lo;
        }
    }
    qsort(s->clusters, s->n_clusters, sizeof *s->clusters, cmp_clusters);
    for (size_t i = 0; i < s->n_clusters; i++)
        s->clusters[i].number = i + 1;
    return 0;
}

enum { NAMED_OTHERS = 5 }; /* a flag names this many others of its group; the sheet names all */

/* Each member's flag: its file or session, how many others, the first few of them by name. */
static int member_flags(struct grade_sheet *s, const struct grade_cluster *c)
{
    for (size_t i = 0; i < c->n_members; i++) {
        const struct grade_member *m = &c->members[i];
        struct grade_student *st = &s->students[m->student];
        struct grade_reason_builder b;
        if (grade_integrity_flag(st, c->kind, m->capture, m->session_id, c->number, &b) != 0)
            return -1;
        bool file = c->kind == GRADE_FLAG_IDENTICAL_FILE, many = c->n_members - 1 > NAMED_OTHERS;
        grade_reason_clause(&b, GRADE_CLAUSE_PART, file ? (many ? "flag.copy-file-many" : "flag.copy-file")
                                                        : (many ? "flag.copy-connection-many" : "flag.copy-connection"));
        grade_reason_text(&b, "capture", GRADE_ARG_TEXT, st->captures[m->capture].file_name);
        if (!file)
            grade_reason_num(&b, "session", m->session_id);
        grade_reason_num(&b, "others", c->n_members - 1);
        grade_reason_num(&b, "group", c->number);
        char names[1024];
        size_t n = 0, named = 0;
        names[0] = '\0';
        for (size_t k = 0; k < c->n_members && named < NAMED_OTHERS; k++) {
            if (k == i)
                continue;
            const char *name = s->students[c->members[k].student].name;
            size_t len = strlen(name);
            if (n + len + 2 >= sizeof names)
                break;
            if (n)
                names[n++] = GRADE_LIST_SEP;
            memcpy(names + n, name, len + 1);
            n += len;
            named++;
        }
        grade_reason_text(&b, "names", GRADE_ARG_NAMES, names);
        if (b.oom)
            return -1;
    }
    return 0;
}

static int cmp_flags(const void *x, const void *y)
{
    const struct grade_flag *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    if (a->capture != b->capture)
        return a->capture < b->capture ? -1 : 1;
    return a->session_id < b->session_id ? -1 : a->session_id > b->session_id;
}

int grade_sheet_integrity(struct grade_sheet *s, char *err, size_t errlen)
{
    struct builder b = {.s = s};
    size_t n_files = 0, n_prints = 0;
    int rc = -1;
    if (!(b.first_capture = calloc(s->n_students + 1, sizeof *b.first_capture)))
        goto out;
    for (size_t a = 0; a < s->n_students; a++) {
        b.first_capture[a] = n_files;
        n_files += s->students[a].n_captures;
        n_prints += s->students[a].n_prints;
    }
    if (!(b.file_group = calloc(n_files + 1, sizeof *b.file_group)) || !table_init(&b.by_key, n_files + n_prints))
        goto out;
    if (identical_files(&b) != 0 || shared_connections(&b) != 0 || fold_connections(&b) != 0 ||
        make_clusters(s, &b) != 0)
        goto out;
    for (size_t i = 0; i < s->n_clusters; i++)
        if (member_flags(s, &s->clusters[i]) != 0)
            goto out;
    for (size_t a = 0; a < s->n_students; a++)
        if (s->students[a].n_flags > 1)
            qsort(s->students[a].flags, s->students[a].n_flags, sizeof *s->students[a].flags, cmp_flags);
    rc = 0;
out:
    for (size_t g = 0; g < b.n; g++)
        free(b.groups[g].members);
    free(b.groups);
    free(b.by_key.slots);
    free(b.file_group);
    free(b.first_capture);
    if (rc)
        snprintf(err, errlen, "out of memory");
    return rc;
}
