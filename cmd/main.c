/* main.c — entry point: takes the signals (the same way for every subcommand: interrupt.h),
 * then dispatches to a subcommand, or converts captures by default. */
#include <string.h>

#include "commands.h"
#include "interrupt.h"

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } subcommands[] = {
        {"convert", cmd_convert},
        {"index", cmd_index},
        {"grade", cmd_grade},
        {"verify", cmd_verify},
    };
    interrupt_catch(); /* before any thread exists: every thread inherits the blocked signals */
    int (*run)(int, char **) = cmd_convert;
    int shift = 0;
    for (size_t i = 0; argc > 1 && i < sizeof subcommands / sizeof subcommands[0]; i++)
        if (strcmp(argv[1], subcommands[i].name) == 0) {
            run = subcommands[i].run;
            shift = 1;
        }
    int rc = run(argc - shift, argv + shift);
    interrupt_release();
    return rc;
}
