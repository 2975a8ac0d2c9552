/* reader.h — a capture file's bytes, handed to our pcap/pcapng reader, hashed and counted on
 * the way.
 *
 * One pass gives capfile (capfile.h) its packets and the file its SHA-256 and size, for
 * standard input too; a gzip'd capture is inflated on the way (the digest and size stay those
 * of the file as given). On a machine with a core to spare, a helper thread hashes a regular
 * file beside the packet loop (reader.c says how). capture.c drives it: open, read packets
 * with reader_capfile, finish, close. */
#ifndef PCAP2REPORT_READER_H
#define PCAP2REPORT_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capfile.h"
#include "cores.h"

struct reader;

/* Opens path ("-": standard input) and capfile on it (which reads the file header or first
 * section header). cores says whether a helper thread may hash beside the reading (NULL:
 * never); path is borrowed until reader_close. Returns NULL with a sentence naming path in err
 * when the file cannot be opened or is not a capture capfile reads, or when memory or
 * libcrypto fail. */
struct reader *reader_open(const char *path, const struct core_budget *cores, char *err, size_t errlen);

/* The capture reader to read packets from; the reader owns it. */
struct capfile *reader_capfile(const struct reader *rd);

/* Bytes of the file read so far (compressed bytes for a gzip'd file), for progress. */
uint64_t reader_bytes_read(const struct reader *rd);

/* What went wrong with gzip'd data: nothing, an early end (the capture was cut short), bytes
 * after it (ignored), or damage (the rest of the capture cannot be read). */
enum reader_gzip { READER_GZIP_FINE, READER_GZIP_ENDS_EARLY, READER_GZIP_TRAILING, READER_GZIP_DAMAGED };

/* Why the gzip data stopped ("the gzip data ends early", "bytes after the gzip data were
 * ignored", "the gzip data is damaged (...)"), with its kind in *kind; NULL when nothing
 * went wrong. */
const char *reader_gzip_problem(const struct reader *rd, enum reader_gzip *kind);

/* After the last packet: reads the rest of the file (what capfile left unread, after a
 * damaged tail too), waits for the helper, and writes the file's size and SHA-256 (64 hex
 * digits). Returns 0, or -1 with a sentence in err (the file changed under us, a read error,
 * libcrypto failed). */
int reader_finish(struct reader *rd, uint64_t *size, char sha256[65], char *err, size_t errlen);

/* Stops a helper, closes capfile and the file, frees rd. Accepts NULL. */
void reader_close(struct reader *rd);

#endif
