/* commands.h — the subcommands of pcap2report; main.c picks one by the first argument. */
#ifndef PCAP2REPORT_COMMANDS_H
#define PCAP2REPORT_COMMANDS_H

#ifndef PCAP2REPORT_VERSION
#define PCAP2REPORT_VERSION "0.0.0"
#endif

/* A signal ends the program by the signal itself (interrupt.h), which shells report as 128 +
 * its number: 130 SIGINT, 143 SIGTERM, 129 SIGHUP, 141 SIGPIPE. */
enum { EXIT_OK = 0, EXIT_SOME_FAILED = 1, EXIT_USAGE = 2 };

/* pcap2report [OPTIONS] CAPTURE... : convert captures into reports (cmd/convert.c). */
int cmd_convert(int argc, char **argv);

/* pcap2report index OUT... : build OUT/index.json from shard indexes or reports (cmd/index.c). */
int cmd_index(int argc, char **argv);

/* pcap2report grade --rubric RUBRIC CAPTURE|FOLDER... : marks homework captures (cmd/grade.c). */
int cmd_grade(int argc, char **argv);

/* pcap2report verify REPORT.json CAPTURE : does the report still match? (cmd/verify.c). */
int cmd_verify(int argc, char **argv);

#endif
