/* pdf_templates.h — the report's wording, loaded from templates/<lang>.txt.
 *
 * Every sentence a reader sees lives in a template file, so that a translation is one new
 * file and no C change (templates/README.md documents the format). The loader checks a file
 * against a schema, the list of keys the renderer asks for and the placeholders each may
 * use, so a missing key or a mistyped placeholder is an error when the file is loaded rather
 * than a gap in a report. Nothing here knows about PDF. */
#ifndef PCAP2REPORT_PDF_TEMPLATES_H
#define PCAP2REPORT_PDF_TEMPLATES_H

#include <stdbool.h>
#include <stddef.h>

/* One key the renderer needs. placeholders is a space-separated list of the names the key's
 * text may use ("" for none). */
struct tpl_key_spec {
    const char *key;
    const char *placeholders;
};

/* One value for a placeholder. */
struct tpl_arg {
    const char *name;
    const char *value;
};

/* An argument list for pdf_templates_format: TPL_ARGS({"id", "3"}, {"file", name}). */
#define TPL_ARGS(...) (const struct tpl_arg[]){__VA_ARGS__}, \
    sizeof((const struct tpl_arg[]){__VA_ARGS__}) / sizeof(struct tpl_arg)
#define TPL_NOARGS NULL, 0

struct pdf_templates;

/* Loads <dir>/<lang>.txt and checks it against the schema (keys of the file that the schema
 * does not list are errors too, since they are most likely mistyped). Returns NULL with a
 * sentence in err when the file cannot be read or does not conform. lang must be a plain
 * name (letters, digits, '-', '_'), so it cannot name a file outside dir. */
struct pdf_templates *pdf_templates_load(const char *dir, const char *lang,
                                         const struct tpl_key_spec *schema, size_t n_schema,
                                         char *err, size_t errlen);
void pdf_templates_free(struct pdf_templates *t); /* accepts NULL */

/* The raw text of a key or of a setting ("@encoding"), or NULL when absent. The pointer
 * lives as long as t. */
const char *pdf_templates_get(const struct pdf_templates *t, const char *key);

/* The folder the file was loaded from, for settings naming other files (fonts). */
const char *pdf_templates_dir(const struct pdf_templates *t);

/* Writes the text of key into out with every {name} replaced by its value from args, and
 * every {name|one|other} by "one" when the value is "1" and by "other" otherwise (so
 * "{n} {n|segment|segments}" agrees with its number); "{{" and "}}" give literal braces. A placeholder without a value is written as it stands, so a
 * programming error shows in the report instead of hiding. Output is truncated to fit and
 * always terminated. Returns out. */
char *pdf_templates_format(const struct pdf_templates *t, const char *key,
                           const struct tpl_arg *args, size_t n_args, char *out, size_t outlen);

#endif
