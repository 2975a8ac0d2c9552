/* index_fixtures.c — the batch index a builder writes, as text (index_fixtures.h). */
#define _GNU_SOURCE
#include "index_fixtures.h"

#include <criterion/criterion.h>
#include <stdio.h>

char *index_written(struct index_builder *b)
{
    char *text = NULL, err[256];
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert_not_null(f);
    cr_assert_eq(index_write(b, f, "0.1.0", err, sizeof err), 0, "%s", err);
    fclose(f);
    return text;
}
