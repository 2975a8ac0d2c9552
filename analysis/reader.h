/* reader.h — a capture file's bytes, handed to libpcap, hashed and counted on the way.
 *
 * One pass gives libpcap its packets and the file its SHA-256 and size, for standard input
 * too; a gzip'd capture is inflated on the way (the digest and size stay those of the file as
 * given). On a machine with a core to spare, a helper thread hashes a regular file beside the
 * packet loop (reader.c says how). capture.c drives it: open, read packets with reader_pcap,
 * finish, close. */
#ifndef PCAP2REPORT_READER_H
#define PCAP2REPORT_READER_H

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>

#include "cores.h"

struct reader;

/* Opens path ("-": standard input) and libpcap on it, with nanosecond timestamps. cores says
 * whether a helper thread may hash beside the reading (NULL: never); path is borrowed until
 * reader_close. Returns NULL with a sentence naming path in err when the file cannot be opened
 * or is not a capture libpcap reads, or when memory or libcrypto fail. */
struct reader *reader_open(const char *path, const struct core_budget *cores, char *err, size_t errlen);

/* The libpcap handle to read packets from; the reader owns it. */
pcap_t *reader_pcap(const struct reader *rd);

/* The first four bytes libpcap read (after gunzipping): the capture's magic number. */
const uint8_t *reader_magic(const struct reader *rd);

/* Bytes of the file read so far (compressed bytes for a gzip'd file), for progress. */
uint64_t reader_bytes_read(const struct reader *rd);

/* Why the gzip data ended early ("the gzip data is damaged (...)"), or NULL. */
const char *reader_gzip_problem(const struct reader *rd);

/* After the last packet: reads the rest of the file (what libpcap left unread, after a
 * damaged tail too), waits for the helper, and writes the file's size and SHA-256 (64 hex
 * digits). Returns 0, or -1 with a sentence in err (the file changed under us, a read error,
 * libcrypto failed). */
int reader_finish(struct reader *rd, uint64_t *size, char sha256[65], char *err, size_t errlen);

/* Stops a helper, closes libpcap and the file, frees rd. Accepts NULL. */
void reader_close(struct reader *rd);

#endif
