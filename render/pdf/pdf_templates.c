/* pdf_templates.c — reads and checks a wording file, and fills its placeholders.
 *
 * The file is read whole, split into entries in place, and kept sorted by key for binary
 * search; the format is documented in templates/README.md. */
#include "pdf_templates.h"
#include "grow.h"
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tpl_entry {
    const char *key;
    char *value;
    unsigned line;
};

struct pdf_templates {
    char *dir;
    char *text; /* the file, cut into keys and values */
    struct tpl_entry *entries;
    size_t n_entries;
};

void pdf_templates_free(struct pdf_templates *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_entries; i++)
        free(t->entries[i].value);
    free(t->entries);
    free(t->text);
    free(t->dir);
    free(t);
}

/* A wording file is about 30 KB; a megabyte is no wording file. */
enum { TEMPLATES_MAX_FILE = 1 << 20 };

static char *read_file(const char *path, char *err, size_t errlen)
{
    size_t len;
    return readfile(AT_FDCWD, path, TEMPLATES_MAX_FILE, 0, &len, NULL, err, errlen);
}

static bool is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-' || c == '_' || c == '@';
}

static int compare_entries(const void *a, const void *b)
{
    return strcmp(((const struct tpl_entry *)a)->key, ((const struct tpl_entry *)b)->key);
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* The code point of the UTF-8 sequence at s (0 for anything else). */
static unsigned decode_utf8(const unsigned char *s)
{
    if (s[0] < 0x80)
        return s[0];
    if ((s[0] >> 5) == 6 && (s[1] & 0xc0) == 0x80)
        return (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
    if ((s[0] >> 4) == 14 && (s[1] & 0xc0) == 0x80 && (s[2] & 0xc0) == 0x80)
        return (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
    return 0;
}

static bool fullwidth_punctuation(unsigned cp)
{
    return (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff01 && cp <= 0xff0f) ||
           (cp >= 0xff1a && cp <= 0xff20) || (cp >= 0xff3b && cp <= 0xff40) ||
           (cp >= 0xff5b && cp <= 0xff65) || cp == 0x2026 || cp == 0x2014;
}

/* Chinese and Japanese characters, which are written without spaces between them; not Hangul,
 * since Korean separates words with spaces. */
static bool wide_cjk(unsigned cp)
{
    bool hangul = (cp >= 0x1100 && cp <= 0x11ff) || (cp >= 0x3130 && cp <= 0x318f) ||
                  (cp >= 0xac00 && cp <= 0xd7af);
    return !hangul && ((cp >= 0x2e80 && cp <= 0x9fff) || (cp >= 0xf900 && cp <= 0xfaff) ||
                       (cp >= 0xff00 && cp <= 0xffef));
}

/* Whether a continued line joins the text before it with a space: not next to full-width
 * punctuation, nor between two Chinese or Japanese characters (a line break in the file is
 * not a space in the text, as CSS treats segment breaks). */
static bool join_with_space(const char *before, size_t len, const char *after)
{
    size_t i = len ? len - 1 : 0; /* the start of the last character */
    while (i > 0 && ((unsigned char)before[i] & 0xc0) == 0x80)
        i--;
    unsigned a = len ? decode_utf8((const unsigned char *)before + i) : 0;
    unsigned b = decode_utf8((const unsigned char *)after);
    if (fullwidth_punctuation(a) || fullwidth_punctuation(b))
        return false;
    return !(wide_cjk(a) && wide_cjk(b));
}

/* Appends one line of a value: joined to what came before with a space (see
 * join_with_space), with the escapes "\n" (a line break) and "\\" (a backslash) resolved. */
static bool append_value(char **value, const char *part)
{
    size_t old = *value ? strlen(*value) : 0, add = strlen(part);
    char *v = realloc(*value, old + add + 2);
    if (!v)
        return false;
    char *w = v + old;
    if (old && w[-1] != '\n' && join_with_space(v, old, part))
        *w++ = ' ';
    for (const char *p = part; *p; p++) {
        if (p[0] == '\\' && p[1] == 'n') {
            *w++ = '\n';
            p++;
        } else if (p[0] == '\\' && p[1] == '\\') {
            *w++ = '\\';
            p++;
        } else {
            *w++ = *p;
        }
    }
    *w = '\0';
    *value = v;
    return true;
}

/* Splits the file into entries; returns false with a sentence in err. */
static bool parse(struct pdf_templates *t, const char *path, char *err, size_t errlen)
{
    size_t cap = 0;
    struct tpl_entry *cur = NULL;
    unsigned line_no = 0;
    for (char *line = t->text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        line_no++;
        bool continued = line[0] == ' ' || line[0] == '\t';
        char *s = trim(line);
        if (*s == '\0') {
            cur = NULL; /* a blank line ends an entry */
            continue;
        }
        /* A comment starts in the first column: an indented line is always text, so that a
         * continued line may begin with "#{packet}". */
        if (*s == '#' && !continued)
            continue;
        if (continued) {
            if (!cur) {
                snprintf(err, errlen, "%s:%u: an indented line continues no entry", path, line_no);
                return false;
            }
            if (!append_value(&cur->value, s))
                goto oom;
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%u: expected 'key = text'", path, line_no);
            return false;
        }
        *eq = '\0';
        char *key = trim(s);
        for (const char *k = key; *k; k++) {
            if (!is_key_char(*k)) {
                snprintf(err, errlen, "%s:%u: '%s' is not a valid key", path, line_no, key);
                return false;
            }
        }
        if (!*key) {
            snprintf(err, errlen, "%s:%u: empty key", path, line_no);
            return false;
        }
        if (!GROW(t->entries, cap, t->n_entries + 1, 256))
            goto oom;
        cur = &t->entries[t->n_entries++];
        *cur = (struct tpl_entry){key, NULL, line_no};
        if (!append_value(&cur->value, trim(eq + 1)))
            goto oom;
    }
    qsort(t->entries, t->n_entries, sizeof *t->entries, compare_entries);
    for (size_t i = 1; i < t->n_entries; i++) {
        if (strcmp(t->entries[i - 1].key, t->entries[i].key) == 0) {
            snprintf(err, errlen, "%s:%u: '%s' is defined twice", path, t->entries[i].line,
                     t->entries[i].key);
            return false;
        }
    }
    return true;
oom:
    snprintf(err, errlen, "out of memory reading %s", path);
    return false;
}

static const struct tpl_key_spec *find_spec(const struct tpl_key_spec *schema, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(schema[i].key, key) == 0)
            return &schema[i];
    return NULL;
}

/* True when name (of length len) is one of the space-separated words of list. */
static bool listed(const char *list, const char *name, size_t len)
{
    for (const char *p = list; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n == len && memcmp(p, name, len) == 0)
            return true;
        p += n;
    }
    return false;
}

static bool check_entry(const struct tpl_entry *e, const struct tpl_key_spec *spec, const char *path,
                        char *err, size_t errlen)
{
    for (const char *p = e->value; *p; p++) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            p++;
            continue;
        }
        if (*p == '}') {
            snprintf(err, errlen, "%s:%u: '%s' has a '}' without '{' (write '}}' for a brace)",
                     path, e->line, e->key);
            return false;
        }
        if (*p != '{')
            continue;
        const char *end = strchr(p, '}');
        if (!end) {
            snprintf(err, errlen, "%s:%u: '%s' has an unclosed '{'", path, e->line, e->key);
            return false;
        }
        /* {name} or {name|one|other}: only the name is checked. */
        size_t name_len = strcspn(p + 1, "|}");
        if (!listed(spec->placeholders, p + 1, name_len)) {
            snprintf(err, errlen, "%s:%u: '%s' uses {%.*s}; it may use: %s", path, e->line,
                     e->key, (int)name_len, p + 1,
                     *spec->placeholders ? spec->placeholders : "no placeholders");
            return false;
        }
        if (p[1 + name_len] == '|') {
            const char *forms = p + 2 + name_len;
            const char *bar = memchr(forms, '|', (size_t)(end - forms));
            if (!bar || memchr(bar + 1, '|', (size_t)(end - bar - 1))) {
                snprintf(err, errlen, "%s:%u: '%s': write a plural as {%.*s|one|other}", path,
                         e->line, e->key, (int)name_len, p + 1);
                return false;
            }
        }
        p = end;
    }
    return true;
}

static bool valid_lang(const char *lang)
{
    if (!*lang)
        return false;
    for (const char *p = lang; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

struct pdf_templates *pdf_templates_load(const char *dir, const char *lang,
                                         const struct tpl_key_spec *schema, size_t n_schema,
                                         char *err, size_t errlen)
{
    if (!valid_lang(lang)) {
        snprintf(err, errlen, "'%s' is not a language name (letters, digits, '-', '_')", lang);
        return NULL;
    }
    struct pdf_templates *t = calloc(1, sizeof *t);
    size_t plen = strlen(dir) + strlen(lang) + 8;
    char *path = malloc(plen);
    if (!t || !path || !(t->dir = strdup(dir))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    snprintf(path, plen, "%s/%s.txt", dir, lang);
    if (!(t->text = read_file(path, err, errlen)) || !parse(t, path, err, errlen))
        goto fail;

    for (size_t i = 0; i < t->n_entries; i++) {
        const struct tpl_entry *e = &t->entries[i];
        const struct tpl_key_spec *spec = find_spec(schema, n_schema, e->key);
        if (!spec) {
            snprintf(err, errlen, "%s:%u: unknown key '%s'", path, e->line, e->key);
            goto fail;
        }
        if (!check_entry(e, spec, path, err, errlen))
            goto fail;
    }
    for (size_t i = 0; i < n_schema; i++) {
        if (!pdf_templates_get(t, schema[i].key)) {
            snprintf(err, errlen, "%s: missing key '%s'", path, schema[i].key);
            goto fail;
        }
    }
    free(path);
    return t;
fail:
    free(path);
    pdf_templates_free(t);
    return NULL;
}

const char *pdf_templates_get(const struct pdf_templates *t, const char *key)
{
    struct tpl_entry probe = {key, NULL, 0};
    const struct tpl_entry *e = bsearch(&probe, t->entries, t->n_entries, sizeof *t->entries,
                                        compare_entries);
    return e ? e->value : NULL;
}

const char *pdf_templates_dir(const struct pdf_templates *t)
{
    return t->dir;
}

char *pdf_templates_format(const struct pdf_templates *t, const char *key,
                           const struct tpl_arg *args, size_t n_args, char *out, size_t outlen)
{
    const char *src = pdf_templates_get(t, key);
    size_t n = 0;
    if (!outlen)
        return out;
    if (!src)
        src = key; /* unreachable for schema keys: the loader requires them */
#define PUT(ptr, len) do { size_t l_ = (len); if (l_ > outlen - 1 - n) l_ = outlen - 1 - n; \
                           memcpy(out + n, (ptr), l_); n += l_; } while (0)
    for (const char *p = src; *p;) {
        if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
            PUT(p, 1);
            p += 2;
            continue;
        }
        const char *end = p[0] == '{' ? strchr(p, '}') : NULL;
        if (!end) {
            size_t run = strcspn(p + 1, "{}") + 1;
            PUT(p, run);
            p += run;
            continue;
        }
        size_t name_len = strcspn(p + 1, "|}");
        const char *value = NULL;
        for (size_t i = 0; i < n_args && !value; i++)
            if (strlen(args[i].name) == name_len && memcmp(args[i].name, p + 1, name_len) == 0)
                value = args[i].value ? args[i].value : "";
        if (!value) {
            PUT(p, (size_t)(end - p + 1));
        } else if (p[1 + name_len] == '|') {
            /* {name|one|other}: the word that agrees with the number (the loader checked the
             * two bars). */
            const char *one = p + 2 + name_len, *bar = strchr(one, '|');
            if (strcmp(value, "1") == 0)
                PUT(one, (size_t)(bar - one));
            else
                PUT(bar + 1, (size_t)(end - bar - 1));
        } else {
            PUT(value, strlen(value));
        }
        p = end + 1;
    }
#undef PUT
    out[n] = '\0';
    return out;
}
