/* test_pdf_layers.c — the PDF renderer's structure, read from its sources (render/pdf/):
 * every file includes only headers of its own module or of a module below it, so no file can
 * call back up; and libharu is included through pdf_hpdf.h (its public API alone), except in
 * pdf_repair.c, the one file that repairs libharu 2.3.0's output. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>

/* In the suite "pdf" (test_pdf.c): with a suite of their own, Criterion 2.4.1's runner leaked
 * 48 bytes under -j2 in most runs (LeakSanitizer, make test-sanitize). */

/* Each module, by the name its files start with, and its level: a file may include headers
 * of lower levels and of its own module. The longest matching prefix names a file's module. */
static const struct {
    const char *prefix;
    int level;
} modules[] = {
    {"pdf_hpdf", 0}, {"pdf_style", 0}, {"pdf_options", 0}, {"pdf_templates", 0},
    {"pdf_fail", 1}, {"pdf_wording", 1}, {"pdf_words", 1},
    {"pdf_repair", 2}, {"pdf_encap", 2},
    {"pdf_canvas", 3}, {"pdf_text", 3}, {"pdf_shapes", 3},
    {"pdf_archive", 4},
    {"pdf_doc", 5},
    {"pdf_charts", 6}, {"pdf_select", 6},
    {"pdf_offload", 0}, /* which bad checksums offload explains: report facts only */
    {"pdf_summary", 7}, {"pdf_session", 7}, {"pdf_read", 7},
    {"pdf_writer", 8}, {"pdf_batch", 8},
};

/* pdf_text.c and pdf_shapes.c are the canvas's; pdf_batch.c shares pdf_writer.h. */
static const char *module_of(const char *file, int *level)
{
    size_t best = 0;
    const char *name = NULL;
    for (size_t i = 0; i < sizeof modules / sizeof modules[0]; i++) {
        size_t n = strlen(modules[i].prefix);
        if (strncmp(file, modules[i].prefix, n) == 0 && n > best && (file[n] == '.' || file[n] == '_')) {
            best = n;
            name = modules[i].prefix;
            *level = modules[i].level;
        }
    }
    if (name && (!strcmp(name, "pdf_text") || !strcmp(name, "pdf_shapes")))
        name = "pdf_canvas";
    if (name && !strcmp(name, "pdf_batch"))
        name = "pdf_writer";
    return name;
}

Test(pdf, includes_go_down_and_libharu_through_its_public_api)
{
    DIR *dir = opendir("render/pdf");
    cr_assert_not_null(dir, "run from the top of the source tree");
    int files = 0;
    for (struct dirent *e; (e = readdir(dir));) {
        size_t len = strlen(e->d_name);
        if (len < 3 || (strcmp(e->d_name + len - 2, ".c") && strcmp(e->d_name + len - 2, ".h")))
            continue;
        int level = -1;
        const char *module = module_of(e->d_name, &level);
        cr_expect_not_null(module, "%s: a file of no known module (add it to the table)", e->d_name);
        if (!module)
            continue;
        files++;
        char path[512], line[512];
        snprintf(path, sizeof path, "render/pdf/%s", e->d_name);
        FILE *f = fopen(path, "r");
        cr_assert_not_null(f, "%s", path);
        for (int no = 1; fgets(line, sizeof line, f); no++) {
            char inc[256];
            if (sscanf(line, "#include \"%255[^\"]\"", inc) == 1 && !strncmp(inc, "pdf_", 4)) {
                int inc_level = -1;
                const char *inc_module = module_of(inc, &inc_level);
                cr_expect(inc_module && (!strcmp(inc_module, module) || inc_level < level),
                          "%s:%d includes %s, of a module above or beside it", path, no, inc);
            }
            if (!strncmp(line, "#include <hpdf", 14))
                cr_expect(!strcmp(e->d_name, "pdf_repair.c") || !strcmp(e->d_name, "pdf_hpdf.h"),
                          "%s:%d includes libharu itself: use pdf_hpdf.h (its public API)", path, no);
        }
        fclose(f);
    }
    closedir(dir);
    cr_expect_gt(files, 30, "only %d files found", files);
}
