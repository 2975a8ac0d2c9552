/* rubric.h — grading rubrics: what a homework capture must show, loaded from a text file.
 *
 * A rubric is a list of checks. Each check names what it looks for, its points, one or more
 * requirements that must all hold in one TCP session, and the feedback sentence for a pass
 * and for a fail. The file format is line based ("keyword value") and documented, with every
 * requirement type, in templates/rubrics/README.md, so that a teacher writes a new rubric
 * without touching C. Loading checks everything (keywords, class names, points, placeholders
 * in the sentences, UTF-8), so a mistake is reported with its line when the file is read
 * rather than showing up in a student's feedback. Nothing here reads captures or prints.
 * rubric_parse.c reads the file, rubric_values.c the values on its lines, rubric.c the rest. */
#ifndef PCAP2REPORT_RUBRIC_H
#define PCAP2REPORT_RUBRIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a requirement asks of a session. The names are those of the file format. */
enum rubric_req_type {
    REQ_HANDSHAKE,            /* handshake CLASS...: the handshake class is one of these */
    REQ_TEARDOWN,             /* teardown CLASS...: the teardown class is one of these */
    REQ_HANDSHAKE_ARITHMETIC, /* handshake-arithmetic: SYN/ACK ack = x+1, ACK seq = x+1, ack = y+1 */
    REQ_FIN_ARITHMETIC,       /* fin-arithmetic: both FINs acknowledged with FIN seq + 1 */
    REQ_TARGET,               /* target: to the rubric's target-host / target-port */
    REQ_SERVER_HOST,          /* server-host ADDR|PREFIX|NAME... */
    REQ_SERVER_PORT,          /* server-port PORT... */
    REQ_ANOMALY,              /* anomaly NAME...: has at least one of them */
    REQ_NO_ANOMALY,           /* no-anomaly NAME...: has none of them */
    REQ_DATA,                 /* data client|server|both|either [MIN_BYTES] */
    REQ_RST_FROM,             /* rst-from client|server|either */
    REQ_CLOSER,               /* closer client|server: whose FIN came first */
    REQ_CONN_STATE,           /* conn-state STATE...: Zeek's conn_state */
    REQ_IP_VERSION,           /* ip-version 4|6 */
    REQ_TYPES
};

enum rubric_side { RUBRIC_CLIENT, RUBRIC_SERVER, RUBRIC_BOTH, RUBRIC_EITHER };

/* An address or prefix; a plain address is a prefix of 32 or 128 bits. */
struct rubric_prefix {
    uint8_t ip_version; /* 4 or 6 */
    uint8_t bits;
    uint8_t addr[16];
};

/* One host as the rubric names it, with the addresses it stands for. */
struct rubric_host {
    char *spec;     /* as written: "192.0.2.2", "198.51.100.0/24", "example.com" */
    bool is_name;   /* a host name: its addresses come from rubric_resolve_hosts() */
    struct rubric_prefix *prefixes;
    size_t n_prefixes;
};

struct rubric_hosts {
    struct rubric_host *items;
    size_t n;
};

struct rubric_req {
    enum rubric_req_type type;
    unsigned line;
    char *text;         /* as written after "require", for reports: "handshake normal" */
    uint32_t set;       /* bit set of classes, anomalies, conn states (rubric_conn_state_name)
                         * or IP versions (bit 4, bit 6) */
    enum rubric_side side;
    uint64_t min_bytes; /* data: at least this many payload bytes (default 1) */
    uint16_t *ports;    /* server-port */
    size_t n_ports;
    struct rubric_hosts hosts; /* server-host */
};

/* A sentence of the rubric in another language: "pass.zh  ..." (templates/rubrics/README.md). */
struct rubric_text {
    char *field;      /* "title", "about", "looks-for", "pass" or "fail" */
    char *lang;       /* "zh" */
    char *text;
};

struct rubric_texts {
    struct rubric_text *items;
    size_t n;
};

struct rubric_check {
    char *id;         /* [A-Za-z0-9][A-Za-z0-9._-]*: the CSV column and the JSON key */
    unsigned line;
    char *looks_for;  /* what the check looks for, in the teacher's words */
    char *pass, *fail; /* feedback sentences, with placeholders (rubric_placeholders) */
    int points;       /* in hundredths: 150 is 1.5 points */
    struct rubric_req *reqs;
    size_t n_reqs;
    struct rubric_texts texts; /* its looks-for, pass and fail in other languages */
    size_t same_session;  /* 1-based number of its "same-session" group (rubric.same_sessions), 0 */
    bool any_server;      /* "any-server": not held to the rubric's target by default */
};

struct rubric {
    char *name;       /* "rubric" line, or the file name without ".rubric" */
    char *title;      /* may be "" */
    char *about;      /* may be "" */
    char *source;     /* the file it came from, or the name given to rubric_parse */
    char sha256[65];  /* of the file's bytes */
    struct rubric_hosts target_hosts;
    uint16_t *target_ports;
    size_t n_target_ports;
    struct rubric_check *checks;
    size_t n_checks;
    struct rubric_texts texts; /* its title and about in other languages */
    size_t n_same_sessions;    /* "same-session ID ID...": groups of checks judged on one session */
};

enum { RUBRIC_MAX_POINTS = 100000 /* hundredths per check */, RUBRIC_MAX_FILE = 1 << 20 };

/* How many conn_state values there are (rubric_conn_state_name). */
enum { RUBRIC_CONN_STATES = 13 };

/* Parses rubric text (UTF-8; a leading BOM and CRLF line ends are accepted). source names
 * the text in messages and in rubric->source; default_name is the rubric's name when the
 * text has no "rubric" line. Returns the rubric (free with rubric_free), or NULL with a
 * sentence naming the line in err. */
struct rubric *rubric_parse(const char *text, size_t len, const char *source,
                            const char *default_name, char *err, size_t errlen);

/* Reads and parses a rubric file; its default name is the file name without ".rubric".
 * Returns NULL with a sentence in err when the file cannot be read or is wrong. */
struct rubric *rubric_load(const char *path, char *err, size_t errlen);

void rubric_free(struct rubric *r); /* accepts NULL */
void rubric_hosts_free(struct rubric_hosts *h); /* frees the hosts and empties the list */

/* Replaces the rubric's target: hosts when n_hosts > 0, ports when n_ports > 0 (the strings
 * as the file would write them). Returns 0, or -1 with a sentence in err. */
int rubric_set_target(struct rubric *r, const char *const *hosts, size_t n_hosts,
                      const char *const *ports, size_t n_ports, char *err, size_t errlen);

/* Finds the addresses of every host name in the rubric (target and server-host) with the
 * caller's resolver, which fills a malloc'd array of prefixes (the rubric takes it) and
 * returns 0, or returns -1 with a sentence in err. Names already resolved are skipped.
 * Returns 0, or -1 with the first failure in err. */
typedef int (*rubric_resolver)(void *arg, const char *name, struct rubric_prefix **out,
                               size_t *n_out, char *err, size_t errlen);
int rubric_resolve_hosts(struct rubric *r, rubric_resolver resolve, void *arg,
                         char *err, size_t errlen);

bool rubric_has_target(const struct rubric *r);

/* The rubric's field ("title", "about") or the check's ("looks-for", "pass", "fail") in the
 * language lang when the rubric has it in that language, else as written in the default
 * lines. c is NULL for the rubric's own fields. Never NULL. */
const char *rubric_text(const struct rubric *r, const struct rubric_check *c, const char *field, const char *lang);

/* True when a check is held to the rubric's target: the rubric (or the command line) names a
 * target, and the check neither names its own server (target, server-host, server-port) nor
 * says "any-server". Such a check counts only sessions to the target. */
bool rubric_check_on_target(const struct rubric *r, const struct rubric_check *c);

/* False when every requirement of the check is "target" and the rubric names no target: the
 * check does not count (its status is n/a, its points are not in the maximum). */
bool rubric_check_applies(const struct rubric *r, const struct rubric_check *c);

/* True when the address (4 or 16 bytes in addr[16]) is one of the hosts. */
bool rubric_hosts_match(const struct rubric_hosts *h, int ip_version, const uint8_t *addr);

/* "2", "2.5" or "2.25" for 200, 250, 225 hundredths; "-1.5" for negatives. Returns buf. */
char *rubric_points_string(int hundredths, char buf[24]);

const char *rubric_req_type_name(enum rubric_req_type t);
const char *rubric_side_name(enum rubric_side s);

/* Zeek's conn_state values in the order of their bits in rubric_req.set; NULL past the end. */
const char *rubric_conn_state_name(unsigned i);

/* The placeholders a pass or fail sentence may use, NULL-terminated: session, capture,
 * client, server, handshake, teardown, packets, reason, points, max, target. */
extern const char *const rubric_placeholders[];

#endif
