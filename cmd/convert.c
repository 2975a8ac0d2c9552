/* convert.c — the default command: converts captures (files and folders) into reports.
 *
 * It only sequences the jobs: read the options (settings.c), collect the inputs, convert
 * them and write the index (batch.c, with outputs.c for each capture's files and progress.c
 * for the terminal); the exit status is batch.h's. */
#include "batch.h"
#include "commands.h"
#include "settings.h"

int cmd_convert(int argc, char **argv)
{
    struct settings st;
    int rc = settings_parse(&st, argc, argv);
    if (rc != SETTINGS_GO_ON)
        return rc;
    struct batch b;
    batch_init(&b, &st);
    rc = batch_collect(&b);
    if (rc == EXIT_OK) {
        batch_convert(&b);
        rc = batch_finish(&b);
    }
    batch_free(&b);
    return rc;
}
